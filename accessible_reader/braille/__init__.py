"""braille layer."""
