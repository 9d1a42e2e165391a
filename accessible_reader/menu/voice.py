"""Voices for the menu (the :class:`~accessible_reader.menu.ports.Voice` port) and the prompt cache.

:class:`TtsVoice` speaks through the speech layer's registry and synthesizer (``tts/``): the
reading layer turns text into pinyin runs and the first usable engine of ``engines`` speaks them.
:class:`EspeakCliVoice` is the fallback when the speech layer cannot be used: ``espeak-ng --stdout
-v cmn-latn-pinyin`` on the reading layer's spoken pinyin. Speed is passed to the engine as its
rate, so pitch does not change. :class:`PromptCache` holds the audio of every fixed menu text so
that a keypress on a menu needs no synthesis.
"""

from __future__ import annotations

import logging
import subprocess
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from accessible_reader.errors import EngineUnavailable
from accessible_reader.menu.ports import Audio, Voice

if TYPE_CHECKING:
    from accessible_reader.text.readings import ReadingEngine

log = logging.getLogger(__name__)

ESPEAK_NORMAL_WPM = 175
MENU_ENGINES = ("espeak", "espeak-process")
"""Offline engines tried for menu speech, in order (edge-tts is online and too slow for a keypress)."""
MENU_VOICES = ("espeak", "neural-zh")
"""Voices a reader can choose in the settings screen (first = default). neural-zh is slower (about
0.1-0.8 s an utterance), so the prompt cache matters more with it; English runs fall back to espeak."""


class TtsVoice:
    """The speech layer's synthesizer behind the menu's Voice port. Thread-safe (one lock)."""

    def __init__(self, reading: ReadingEngine, engines: Iterable[str] = MENU_ENGINES) -> None:
        from accessible_reader.tts.registry import usable_engines

        self._reading = reading
        self._engines = usable_engines(list(engines))  # EngineUnavailable with every reason when none
        self.name = self._engines[0].name
        self._lock = threading.Lock()
        self._synthesizers: dict[float, object] = {}

    def synthesize(self, text: str, lang: str, speed: float) -> Audio:
        """Speak ``text``; ``speed`` 0.5-3.0 becomes the engine rate (percent)."""
        from accessible_reader.tts.engine import VoiceSettings
        from accessible_reader.tts.plan import text_plan
        from accessible_reader.tts.synthesis import Synthesizer

        with self._lock:
            synthesizer = self._synthesizers.get(speed)
            if not isinstance(synthesizer, Synthesizer):
                synthesizer = Synthesizer(self._engines, VoiceSettings(rate=round(speed * 100)))
                self._synthesizers[speed] = synthesizer
            result = synthesizer.synthesize(text_plan(text, self._reading))
        return Audio(result.pcm.samples, result.pcm.sample_rate)


class EspeakCliVoice:
    """``espeak-ng`` as a process: Mandarin through the reading layer's pinyin, English as text. Thread-safe."""

    name = "espeak-ng"

    def __init__(self, reading: ReadingEngine, executable: str = "espeak-ng") -> None:
        self._reading = reading
        self._executable = executable

    def synthesize(self, text: str, lang: str, speed: float) -> Audio:
        """Speak ``text``: pinyin with ``cmn-latn-pinyin`` when it has Chinese, else ``en-us``."""
        has_chinese = any("\u3400" <= ch <= "\u9fff" for ch in text)
        if has_chinese or (lang != "en" and not text.isascii()):
            voice, spoken = "cmn-latn-pinyin", self._reading.read(text).spoken_line()
        else:
            voice, spoken = "en-us", text
        wpm = max(80, min(450, round(ESPEAK_NORMAL_WPM * speed)))
        try:
            result = subprocess.run(
                [self._executable, "-v", voice, "-s", str(wpm), "--stdout", spoken],
                capture_output=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise EngineUnavailable(
                "espeak-ng 无法运行；请安装 espeak-ng",
                f"espeak-ng cannot run ({error}); install espeak-ng",
                "espeak-ng",
            ) from None
        if result.returncode != 0 or len(result.stdout) <= 44:
            raise EngineUnavailable(
                "espeak-ng 没有发出声音", f"espeak-ng produced no audio (exit {result.returncode})", "espeak-ng"
            )
        return wav_bytes_to_audio(result.stdout)


def wav_bytes_to_audio(data: bytes) -> Audio:
    """16-bit mono WAV in memory (as espeak-ng writes to a pipe, length field unknown) -> Audio."""
    import io
    import wave

    with wave.open(io.BytesIO(data)) as reader:
        rate = reader.getframerate()
    body = data[data.find(b"data") + 8 :]
    return Audio(body[: len(body) - len(body) % 2], rate)


def usable_voices(reading: ReadingEngine, names: Iterable[str] = MENU_VOICES) -> list[str]:
    """The menu voices that can speak here, in order (never raises; reasons are logged)."""
    try:
        from accessible_reader.tts.registry import survey
    except ImportError as error:
        log.warning("speech layer unavailable (%s); only espeak-ng", error)
        return []
    return [choice.name for choice in survey(list(names)) if choice.engine is not None]


def make_voice(reading: ReadingEngine, name: str | None = None) -> Voice:
    """The speech layer's voice ``name`` (default: the menu engines), espeak as its fallback for runs
    it cannot speak; the espeak-ng process fallback (logged) when the speech layer cannot be used."""
    try:
        return TtsVoice(reading, (name, *MENU_ENGINES) if name else MENU_ENGINES)
    except Exception as error:  # the speech layer is optional for the menu; the reason is logged (STYLE §10)
        log.warning(
            "speech layer unavailable for the menu (%s: %s); using espeak-ng directly", type(error).__name__, error
        )
        return EspeakCliVoice(reading)


class PromptCache:
    """Audio of texts by (text, language, speed); fills on demand and can be warmed in advance.

    Thread-safe: :meth:`warm` may run in a thread while :meth:`get` serves keypresses.
    ``hits`` and ``misses`` count lookups (the benchmark reads them).
    """

    def __init__(self, voice: Voice) -> None:
        self.voice = voice
        self._audio: dict[tuple[str, str, float], Audio] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def cached(self, text: str, lang: str, speed: float) -> Audio | None:
        """The audio if it is already cached (no synthesis)."""
        with self._lock:
            return self._audio.get((text, lang, speed))

    def get(self, text: str, lang: str, speed: float) -> Audio:
        """Cached audio, or synthesize it now (and keep it)."""
        found = self.cached(text, lang, speed)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        audio = self.voice.synthesize(text, lang, speed)
        with self._lock:
            self._audio[(text, lang, speed)] = audio
        return audio

    def warm(self, texts: Iterable[str], lang: str, speed: float) -> int:
        """Synthesize every text not yet cached; returns how many were synthesized."""
        made = 0
        for text in texts:
            if self.cached(text, lang, speed) is None and text.strip():
                audio = self.voice.synthesize(text, lang, speed)
                with self._lock:
                    self._audio[(text, lang, speed)] = audio
                made += 1
        return made

    def __len__(self) -> int:
        with self._lock:
            return len(self._audio)
