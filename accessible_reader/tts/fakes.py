"""The ``silence`` and ``recording`` engines: part of the product, for tests and for machines without a voice.

Both return digital silence whose length follows the reading (``ms_per_item`` per syllable or word), so
timing, marks and assembly can be checked without sound. :class:`RecordingEngine` also keeps every run
it was asked to say, in order, so a menu test can assert what would have been spoken (STYLE §8).
"""

from __future__ import annotations

from accessible_reader.tts.engine import Availability, Pcm, Voice, VoiceSettings
from accessible_reader.tts.plan import TextRun

FAKE_SAMPLE_RATE = 22050


class SilenceEngine:
    """Speaks every language as silence, ``ms_per_item`` milliseconds per reading item (scaled by rate)."""

    name = "silence"
    languages = frozenset({"zh", "en"})

    def __init__(self, ms_per_item: int = 250, sample_rate: int = FAKE_SAMPLE_RATE) -> None:
        self.ms_per_item = ms_per_item
        self.sample_rate = sample_rate

    def check(self) -> Availability:
        """Always available."""
        return Availability(True, "built in / 内置")

    def voices(self) -> list[Voice]:
        """One voice per language, both silent."""
        return [Voice("silence-zh", "silence", "zh"), Voice("silence-en", "silence", "en")]

    def voice_for(self, language: str, settings: VoiceSettings) -> str:
        """``silence-<language>``."""
        return f"silence-{language}"

    def synthesize(self, run: TextRun, settings: VoiceSettings) -> Pcm:
        """Silence as long as the reading at ``settings.rate``."""
        ms = len(run.reading) * self.ms_per_item * 100 / max(settings.rate, 1)
        return Pcm(bytes(2 * round(self.sample_rate * ms / 1000)), self.sample_rate)


class RecordingEngine(SilenceEngine):
    """A silence engine that records what it was asked to say (``runs``, ``texts()``)."""

    name = "recording"

    def __init__(self, ms_per_item: int = 250, sample_rate: int = FAKE_SAMPLE_RATE) -> None:
        super().__init__(ms_per_item, sample_rate)
        self.runs: list[TextRun] = []

    def voices(self) -> list[Voice]:
        """One voice per language, both silent and recorded."""
        return [Voice("recording-zh", "recording", "zh"), Voice("recording-en", "recording", "en")]

    def voice_for(self, language: str, settings: VoiceSettings) -> str:
        """``recording-<language>``."""
        return f"recording-{language}"

    def synthesize(self, run: TextRun, settings: VoiceSettings) -> Pcm:
        """Record ``run``, then return silence as :class:`SilenceEngine` does."""
        self.runs.append(run)
        return super().synthesize(run, settings)

    def texts(self) -> list[str]:
        """The texts of the recorded runs, in order."""
        return [run.text for run in self.runs]
