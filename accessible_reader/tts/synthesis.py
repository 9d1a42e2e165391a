"""Plan → PCM with the measured sample offset of every mark, with caching, fallback and timeouts.

:class:`Synthesizer` speaks each :class:`~accessible_reader.tts.plan.TextRun` of a plan separately
(so marks fall exactly between runs and each run is cached on its own), trims the engine's own leading
and trailing silence, and inserts the plan's pauses. Mark offsets are therefore *measured*: the sum of
the lengths of the audio before them, in samples at :attr:`Synthesizer.sample_rate`.

Faults: for each run the engines are tried in order. An engine that raises, or does not return within
``timeout_s`` seconds, is reported (:class:`Fallback`) and the run goes to the next engine; an engine
that timed out is not used again by this synthesizer (its thread may still be stuck). A run no engine
could say is left out and reported; the rest of the plan is still spoken.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from accessible_reader.audio.pcm import resample, silence, trim_silence
from accessible_reader.tts.cache import SegmentCache
from accessible_reader.tts.engine import Pcm, TtsEngine, VoiceSettings, segment_key
from accessible_reader.tts.plan import Mark, Pause, SpeechPlan, TextRun

log = logging.getLogger(__name__)

DEFAULT_SAMPLE_RATE = 22050
DEFAULT_TIMEOUT_S = 30.0


@dataclass(frozen=True, slots=True)
class MarkTime:
    """Where a node's audio starts and ends, in samples from the start of the synthesis."""

    node_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Fallback:
    """A run an engine failed on: which engine, why, and the text (``next_engine`` empty if none took it)."""

    engine: str
    reason: str
    text: str
    next_engine: str


@dataclass(frozen=True, slots=True)
class Synthesis:
    """The audio of a plan, its marks (document order), skipped characters and engine fallbacks."""

    pcm: Pcm
    marks: tuple[MarkTime, ...]
    skipped: tuple[str, ...]
    fallbacks: tuple[Fallback, ...]
    engines_used: tuple[str, ...]


class EngineTimeout(Exception):
    """An engine did not return within the time allowed for one run."""


def call_with_timeout(engine: TtsEngine, run: TextRun, settings: VoiceSettings, timeout_s: float) -> Pcm:
    """``engine.synthesize(run, settings)`` in a daemon thread; :class:`EngineTimeout` after ``timeout_s``.

    A daemon thread, because a hung native call cannot be interrupted: it is abandoned, and it does
    not keep the process alive at exit.
    """
    answer: queue.SimpleQueue[tuple[Pcm | None, BaseException | None]] = queue.SimpleQueue()

    def work() -> None:
        try:
            answer.put((engine.synthesize(run, settings), None))
        except BaseException as error:  # handed to the caller, which decides
            answer.put((None, error))

    threading.Thread(target=work, name=f"tts-{engine.name}", daemon=True).start()
    try:
        pcm, error = answer.get(timeout=timeout_s)
    except queue.Empty:
        raise EngineTimeout(f"no answer within {timeout_s:g} s") from None
    if error is not None:
        raise error
    assert pcm is not None
    return pcm


class Synthesizer:
    """Speaks plans with ``engines`` in fallback order. One synthesizer per thread (engines are not shared).

    ``sample_rate`` is the rate of every result (runs from engines of another rate are resampled).
    ``cache`` (optional) stores each run's trimmed PCM by content key.
    """

    def __init__(
        self,
        engines: Sequence[TtsEngine],
        settings: VoiceSettings | None = None,
        *,
        cache: SegmentCache | None = None,
        sample_rate: int = DEFAULT_SAMPLE_RATE,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        trim: bool = True,
    ) -> None:
        if not engines:
            raise ValueError("a synthesizer needs at least one engine")
        self.engines = list(engines)
        self.settings = settings or VoiceSettings()
        self.cache = cache
        self.sample_rate = sample_rate
        self.timeout_s = timeout_s
        self.trim = trim
        self._stuck: set[str] = set()

    def speak_run(self, run: TextRun) -> tuple[Pcm | None, list[Fallback], str]:
        """One run through the engines: (PCM or None, fallbacks on the way, engine that spoke it)."""
        fallbacks: list[Fallback] = []
        candidates = [e for e in self.engines if run.language in e.languages and e.name not in self._stuck]
        for index, engine in enumerate(candidates):
            key = segment_key(
                engine.name, engine.voice_for(run.language, self.settings), self.settings, self.sample_rate, run
            )
            if self.cache is not None:
                cached = self.cache.get(key, self.sample_rate)
                if cached is not None:
                    return cached, fallbacks, engine.name
            try:
                pcm = call_with_timeout(engine, run, self.settings, self.timeout_s)
            except Exception as error:
                if isinstance(error, EngineTimeout):
                    self._stuck.add(engine.name)
                following = candidates[index + 1].name if index + 1 < len(candidates) else ""
                reason = f"{type(error).__name__}: {error}"
                log.warning("engine %s failed on %r (%s); next: %s", engine.name, run.text[:40], reason, following)
                fallbacks.append(Fallback(engine.name, reason, run.text, following))
                continue
            pcm = resample(pcm, self.sample_rate)
            if self.trim:
                pcm = trim_silence(pcm)
            if self.cache is not None:
                self.cache.put(key, pcm)
            return pcm, fallbacks, engine.name
        return None, fallbacks, ""

    def synthesize(self, plan: SpeechPlan) -> Synthesis:
        """Speak ``plan``: PCM, and for each node marked in it the measured start and end sample."""
        chunks: list[bytes] = []
        position = 0
        starts: dict[str, int] = {}
        marks: list[MarkTime] = []
        fallbacks: list[Fallback] = []
        used: dict[str, None] = {}
        skipped = list(plan.skipped)
        for item in plan.items:
            if isinstance(item, Mark):
                if item.end:
                    start = starts.pop(item.node_id, position)
                    marks.append(MarkTime(item.node_id, start, position))
                else:
                    starts[item.node_id] = position
                continue
            if isinstance(item, Pause):
                data = silence(item.ms, self.sample_rate)
            else:
                pcm, failed, engine_name = self.speak_run(item)
                fallbacks.extend(failed)
                if pcm is None:
                    skipped.append(item.text)
                    continue
                used[engine_name] = None
                data = pcm.samples
            chunks.append(data)
            position += len(data) // 2
        marks.sort(key=lambda m: (m.start, m.end))
        return Synthesis(
            Pcm(b"".join(chunks), self.sample_rate),
            tuple(marks),
            tuple(dict.fromkeys(skipped)),
            tuple(fallbacks),
            tuple(used),
        )


def join_syntheses(parts: Sequence[Synthesis]) -> Synthesis:
    """The syntheses of consecutive pieces of one plan as one: PCM joined in order, marks shifted.

    Each piece's marks move by the samples of the pieces before it; skipped characters and engines
    are merged in order (first seen kept), fallbacks concatenated. With the pieces of
    :func:`~accessible_reader.tts.plan.split_plan` the result equals the synthesis of the whole plan.
    ``parts`` must share one sample rate and not be empty.
    """
    if not parts:
        raise ValueError("nothing to join")
    rate = parts[0].pcm.sample_rate
    if any(p.pcm.sample_rate != rate for p in parts):
        raise ValueError("pieces of different sample rates")
    marks: list[MarkTime] = []
    offset = 0
    for part in parts:
        marks.extend(MarkTime(m.node_id, m.start + offset, m.end + offset) for m in part.marks)
        offset += len(part.pcm.samples) // 2
    marks.sort(key=lambda m: (m.start, m.end))
    return Synthesis(
        Pcm(b"".join(p.pcm.samples for p in parts), rate),
        tuple(marks),
        tuple(dict.fromkeys(c for p in parts for c in p.skipped)),
        tuple(f for p in parts for f in p.fallbacks),
        tuple(dict.fromkeys(e for p in parts for e in p.engines_used)),
    )
