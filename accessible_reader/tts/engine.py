"""The engine contract: a small Protocol every speech engine implements, and the values it exchanges.

An engine turns one :class:`~accessible_reader.tts.plan.TextRun` (text in one language with its
reading) into PCM. Plans, pauses, marks, caching, fallback and timeouts are handled above the engines
(:mod:`accessible_reader.tts.synthesis`), so an engine stays one small module (STYLE §1).

Audio is 16-bit signed little-endian mono PCM; lengths are in samples at ``Pcm.sample_rate``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from accessible_reader.tts.plan import TextRun

BYTES_PER_SAMPLE = 2


@dataclass(frozen=True, slots=True)
class Availability:
    """Whether an engine can speak here and now; ``reason`` says why not (or what was found)."""

    ok: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Voice:
    """One voice an engine offers. ``language`` is ``zh`` or ``en``; ``note`` carries licence remarks."""

    id: str
    name: str
    language: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class VoiceSettings:
    """What a listener can set, engine-neutral.

    ``rate``: percent of the engine's normal speed (100 = normal, 50-300). ``pitch``: 0-100, 50 = normal.
    ``volume``: percent, 0-200, 100 = normal. ``voice_zh`` / ``voice_en``: a voice id per language, or None
    for the engine's default.
    """

    rate: int = 100
    pitch: int = 50
    volume: int = 100
    voice_zh: str | None = None
    voice_en: str | None = None

    def key(self) -> str:
        """A stable text form, part of the segment-cache key."""
        return json.dumps(asdict(self), sort_keys=True)


@dataclass(frozen=True, slots=True)
class Pcm:
    """Mono 16-bit signed little-endian samples at ``sample_rate`` Hz."""

    samples: bytes
    sample_rate: int

    @property
    def n_samples(self) -> int:
        """Length in samples."""
        return len(self.samples) // BYTES_PER_SAMPLE

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return self.n_samples / self.sample_rate


@runtime_checkable
class TtsEngine(Protocol):
    """A speech engine. ``name`` is its registry name; ``languages`` the run languages it speaks.

    ``check`` never raises. ``synthesize`` may raise any exception or hang: the synthesizer runs it
    under a timeout and falls back to the next engine. Engines need not be thread-safe; one
    synthesizer calls one engine from one thread at a time.
    """

    name: str
    languages: frozenset[str]

    def check(self) -> Availability:
        """Whether the engine can speak here; the reason when it cannot."""
        ...

    def voices(self) -> list[Voice]:
        """The voices offered (may be empty when unavailable)."""
        ...

    def voice_for(self, language: str, settings: VoiceSettings) -> str:
        """The voice id used for ``language`` under ``settings`` (part of the cache key)."""
        ...

    def synthesize(self, run: TextRun, settings: VoiceSettings) -> Pcm:
        """Speak one run; returns its PCM at the engine's own sample rate."""
        ...


def segment_key(engine: str, voice: str, settings: VoiceSettings, sample_rate: int, run: TextRun) -> str:
    """Content address of a synthesized run: engine, voice, settings, rate, language and reading."""
    material = "\x1f".join(
        [engine, voice, settings.key(), str(sample_rate), run.language, " ".join(run.reading), run.text]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()
