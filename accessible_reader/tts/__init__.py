"""tts layer."""
