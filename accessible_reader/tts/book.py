"""Whole books to audio: the hand-over the talking-book exporters use.

:func:`synthesize_book` turns a :class:`~accessible_reader.document.model.Book` into one MP3 per section
and a :class:`~accessible_reader.audio.book_audio.BookAudio` with the measured clip of every heading
and sentence. Plans are built in the calling process (with the injected reading engine) and handed, one
section at a time, to a pool of worker processes that synthesize, normalize and encode, so both cores
work while the next plan is read. A long section (over ``split_chars`` characters, e.g. a TXT book
without headings) is cut at paragraph or sentence boundaries (:func:`~accessible_reader.tts.plan.split_plan`)
and its pieces are synthesized on the pool in parallel; the calling process joins their PCM in order
(marks shifted by the samples before each piece) and encodes the section's one MP3, normalized over
the whole section, exactly as an unsplit section.

Resuming and re-exporting: every run is kept in the segment cache, and every finished section leaves
a small record (``<cache>/sections/<fingerprint>.json``: duration and clips) keyed by a fingerprint of
its plan, engines, voice settings, audio options and tags. A section whose record exists and whose MP3
is still there is not touched again; an interrupted book therefore resumes where it stopped, and an
edited paragraph re-synthesizes only the runs that changed.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from accessible_reader.atomic import atomic_write_text
from accessible_reader.audio.book_audio import BookAudio, Clip, SectionAudio, file_crc32
from accessible_reader.audio.encode import AudioOptions, encode_mp3
from accessible_reader.audio.loudness import gated_loudness, subblock_energies
from accessible_reader.audio.pcm import silence
from accessible_reader.audio.tags import Mp3Tags
from accessible_reader.errors import DeviceError, ReaderError
from accessible_reader.tts.cache import SegmentCache
from accessible_reader.tts.engine import Pcm, VoiceSettings
from accessible_reader.tts.plan import PausePolicy, SpeechPlan, section_plan, split_plan
from accessible_reader.tts.registry import OFFLINE_ORDER, survey, usable_engines
from accessible_reader.tts.synthesis import DEFAULT_TIMEOUT_S, Synthesis, Synthesizer, join_syntheses

if TYPE_CHECKING:
    from accessible_reader.document.model import Book, Section
    from accessible_reader.settings import Settings
    from accessible_reader.text.readings import ReadingEngine


@dataclass(frozen=True, slots=True)
class BookProgress:
    """Reported after each finished section: counts so far and the section just finished."""

    sections_done: int
    sections_total: int
    characters_done: int
    characters_total: int
    section_id: str


ProgressCallback = Callable[[BookProgress], None]
_T = TypeVar("_T")


def speech_cache_dir(settings: Settings) -> Path:
    """Where the segment cache lives: ``<data dir>/cache/speech``."""
    return settings.cache_dir / "speech"


@dataclass(frozen=True, slots=True)
class _Job:
    index: int
    section_id: str
    node_ids: frozenset[str]
    plan: SpeechPlan
    path: Path
    tags: Mp3Tags
    fingerprint: str


@dataclass(frozen=True, slots=True)
class _Done:
    index: int
    audio: SectionAudio
    skipped: tuple[str, ...]
    problems: tuple[str, ...]
    narrator: str


@dataclass(frozen=True, slots=True)
class _WorkerSetup:
    engines: tuple[str, ...]
    settings: VoiceSettings
    audio: AudioOptions
    cache_dir: Path | None
    timeout_s: float


class _SectionWorker:
    """Synthesizes and encodes sections; one per process (engines hold per-process state)."""

    def __init__(self, setup: _WorkerSetup) -> None:
        self.setup = setup
        cache = SegmentCache(setup.cache_dir) if setup.cache_dir else None
        self.synthesizer = Synthesizer(
            usable_engines(setup.engines, setup.cache_dir),
            setup.settings,
            cache=cache,
            sample_rate=setup.audio.sample_rate,
            timeout_s=setup.timeout_s,
        )

    def run(self, job: _Job) -> _Done:
        return _encode_section(job, self.synthesizer.synthesize(job.plan), self.setup.audio)


def _encode_section(job: _Job, result: Synthesis, audio: AudioOptions, measured_lufs: float | None = None) -> _Done:
    """Encode a section's synthesis (whole, or its pieces joined) to its MP3; clips in seconds of the file.

    ``measured_lufs``: the section's loudness when already measured (from its pieces), else measured here.
    """
    pcm = result.pcm if result.pcm.samples else Pcm(silence(200, result.pcm.sample_rate), result.pcm.sample_rate)
    duration = encode_mp3(pcm, job.path, audio, job.tags, measured_lufs=measured_lufs)
    scale = 1.0 / (pcm.sample_rate * audio.speed)
    clips = tuple(
        Clip(m.node_id, round(m.start * scale, 3), round(min(m.end * scale, duration), 3))
        for m in result.marks
        if m.node_id in job.node_ids
    )
    problems = tuple(f"{f.engine} → {f.next_engine or '-'}: {f.reason} [{f.text[:30]}]" for f in result.fallbacks)
    size, crc = file_crc32(job.path)
    return _Done(
        job.index,
        SectionAudio(job.section_id, job.path, round(duration, 3), clips, size, crc),
        result.skipped,
        problems,
        "+".join(result.engines_used),
    )


_WORKER: list[_SectionWorker] = []
"""The worker process's own section worker, set by :func:`_init_worker` (one per pool process)."""


def _init_worker(setup: _WorkerSetup) -> None:
    _WORKER.append(_SectionWorker(setup))


@dataclass(frozen=True, slots=True)
class _Failure:
    """A ReaderError raised in a worker, carried back as plain data (ReaderError does not pickle)."""

    kind: type[ReaderError]
    message_zh: str
    message_en: str
    source: str | None


def _run_job(job: _Job) -> _Done | _Failure:
    try:
        return _WORKER[0].run(job)
    except ReaderError as error:
        return _Failure(type(error), error.message_zh, error.message_en, error.source)


@dataclass(frozen=True, slots=True)
class _Piece:
    """One piece of a split section: its synthesis and the loudness energies of its 100 ms sub-blocks."""

    synthesis: Synthesis
    energies: np.ndarray


def _run_piece(plan: SpeechPlan) -> _Piece | _Failure:
    """Synthesize one piece of a split section in a pool process and measure its loudness energies.

    No encoding: the caller joins the pieces, gates the joined energies into the section's loudness
    (the costly part of the measurement is done here, in parallel) and encodes one MP3.
    """
    try:
        synthesis = _WORKER[0].synthesizer.synthesize(plan)
    except ReaderError as error:
        return _Failure(type(error), error.message_zh, error.message_en, error.source)
    return _Piece(synthesis, subblock_energies(synthesis.pcm))


def _encode_pieces(job: _Job, pieces: Sequence[_Piece], audio: AudioOptions) -> _Done:
    """Join a split section's pieces in order and encode its one MP3, normalized over the whole section."""
    loudness = gated_loudness(np.concatenate([p.energies for p in pieces]))
    return _encode_section(job, join_syntheses([p.synthesis for p in pieces]), audio, loudness)


def _fingerprint(job_plan: SpeechPlan, setup: _WorkerSetup, tags: Mp3Tags, path: Path) -> str:
    material = repr((job_plan, setup.engines, setup.settings.key(), setup.audio.key(), tags, path.name))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _load_record(records: Path | None, job: _Job) -> _Done | None:
    """The finished section recorded for ``job``'s fingerprint, if its MP3 is still the one recorded."""
    if records is None or not job.path.exists():
        return None
    try:
        data = json.loads((records / f"{job.fingerprint}.json").read_text(encoding="utf-8"))
        if data["size"] != job.path.stat().st_size:
            return None
        clips = tuple(Clip(str(c[0]), float(c[1]), float(c[2])) for c in data["clips"])
        crc = data.get("crc32")
        audio = SectionAudio(
            job.section_id, job.path, float(data["duration_s"]), clips, int(data["size"]), int(crc) if crc else None
        )
        return _Done(job.index, audio, tuple(data["skipped"]), tuple(data["problems"]), str(data["narrator"]))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


def _save_record(records: Path | None, job: _Job, done: _Done) -> None:
    if records is None:
        return
    data = {
        "section_id": done.audio.section_id,
        "size": job.path.stat().st_size,
        "crc32": done.audio.crc32,
        "duration_s": done.audio.duration_s,
        "clips": [[c.node_id, c.start_s, c.end_s] for c in done.audio.clips],
        "skipped": list(done.skipped),
        "problems": list(done.problems),
        "narrator": done.narrator,
    }
    atomic_write_text(records / f"{job.fingerprint}.json", json.dumps(data, ensure_ascii=False))


class _Tally:
    """Finished sections by index, and the progress callback (called in the caller's process)."""

    def __init__(self, sections: int, characters: int, progress: ProgressCallback | None) -> None:
        self.sections = sections
        self.characters = characters
        self.progress = progress
        self.finished: dict[int, _Done] = {}
        self.characters_done = 0

    def report(self, done: _Done, characters: int) -> None:
        self.finished[done.index] = done
        self.characters_done += characters
        if self.progress is not None:
            self.progress(
                BookProgress(
                    len(self.finished), self.sections, self.characters_done, self.characters, done.audio.section_id
                )
            )


class _Workers:
    """Where sections are made: this process (``workers <= 1``) or a pool of forked processes.

    Nothing is started until the first section needs synthesis, so a fully cached re-export starts
    no process and loads no engine. Fork, not spawn: workers start at once with the modules already
    loaded, and callers need no ``if __name__ == "__main__"`` guard (spawn re-imports the main module).
    """

    def __init__(self, setup: _WorkerSetup, workers: int) -> None:
        self.setup = setup
        self.workers = workers
        self._local: _SectionWorker | None = None
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def run_here(self, job: _Job) -> _Done:
        """Make one section in this process (``workers <= 1``)."""
        self._local = self._local or _SectionWorker(self.setup)
        return self._local.run(job)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_init_worker, initargs=(self.setup,)
            )
        return self._pool

    def submit(self, job: _Job) -> Future[_Done | _Failure]:
        """Hand one section to the pool (``workers >= 2``): synthesis and encoding."""
        return self._started().submit(_run_job, job)

    def submit_piece(self, plan: SpeechPlan) -> Future[_Piece | _Failure]:
        """Hand one piece of a split section to the pool (``workers >= 2``): synthesis only."""
        return self._started().submit(_run_piece, plan)


def _section_tags(book: Book, section: Section, index: int) -> Mp3Tags:
    title = section.title if not section.implicit and section.title else book.metadata.title
    return Mp3Tags(
        title=title,
        album=book.metadata.title,
        artist="、".join(book.metadata.authors),
        track=index + 1,
        track_total=len(book.sections),
        language="eng" if book.metadata.language == "en" else "chi",
    )


def synthesize_book(
    book: Book,
    *,
    out_dir: Path,
    reader: ReadingEngine,
    engines: Sequence[str] = OFFLINE_ORDER,
    settings: VoiceSettings | None = None,
    audio: AudioOptions | None = None,
    cache_dir: Path | None = None,
    workers: int = 2,
    split_chars: int = 4000,
    speak_page_numbers: bool = False,
    pauses: PausePolicy | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    progress: ProgressCallback | None = None,
) -> BookAudio:
    """Speak ``book`` into ``out_dir``: one MP3 per section (``001-h1.mp3`` …) and their measured clips.

    ``reader``: the service's reading engine (built once, injected). ``engines``: registry names in
    fallback order (default espeak, then silence). ``settings``: rate, pitch, volume, voices.
    ``audio``: bit rate, sample rate, loudness target, speed. ``cache_dir``: segment cache and section
    records (pass :func:`speech_cache_dir`; None = no cache, nothing resumes). ``workers``: processes
    (1 = in this process). ``split_chars``: with ``workers >= 2``, a section of more characters than
    this is synthesized on the pool in pieces of at most about this size, as many as a multiple of
    ``workers``, and joined (0 = never split); the files, clips and records are the same either way.
    ``progress`` is called in this process after each section.

    Clips: the heading (node id = section id) and every sentence, times in seconds from the start of
    the section's file, measured from the synthesized audio. Skipped characters and engine fallbacks
    are in :attr:`BookAudio.skipped` and :attr:`BookAudio.problems`.
    Raises :class:`~accessible_reader.errors.EngineUnavailable` when no engine can speak,
    :class:`~accessible_reader.errors.InputError` for unsupported audio options,
    :class:`~accessible_reader.errors.DeviceError` when ``out_dir`` cannot be written.
    """
    audio = audio or AudioOptions()
    audio.validate()
    settings = settings or VoiceSettings()
    chosen = tuple(c.name for c in survey(engines, cache_dir) if c.engine is not None)
    if not chosen:
        usable_engines(engines, cache_dir)  # raises with every reason
    setup = _WorkerSetup(chosen, settings, audio, cache_dir, timeout_s)
    records = cache_dir / "sections" if cache_dir else None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DeviceError(
            f"无法创建文件夹（{error.strerror}）", f"cannot create the folder ({error.strerror})", out_dir
        ) from None

    total_chars = sum(len(s.text) for s in book.sentences()) + sum(len(s.title) for s in book.sections)
    tally = _Tally(len(book.sections), total_chars, progress)

    def jobs() -> Iterator[tuple[_Job, int]]:
        """Plans are read lazily, so workers synthesize one section while the next is being read."""
        for index, section in enumerate(book.sections):
            plan = section_plan(section, reader, policy=pauses, speak_pages=speak_page_numbers)
            path = out_dir / f"{index + 1:03d}-{section.id}.mp3"
            tags = _section_tags(book, section, index)
            ids = frozenset({section.id, *(s.id for s in section.sentences())})
            job = _Job(index, section.id, ids, plan, path, tags, _fingerprint(plan, setup, tags, path))
            yield job, len(section.title) + sum(len(s.text) for s in section.sentences())

    paragraph_ms = (pauses or PausePolicy()).paragraph
    with _Workers(setup, workers) as pool:
        pending: list[tuple[_Job, int, Future[_Done | _Failure] | list[Future[_Piece | _Failure]]]] = []
        for job, chars in jobs():
            previous = _load_record(records, job)
            if previous is not None:
                tally.report(previous, chars)
            elif pool.workers <= 1:  # in this process: record and report each section as soon as it is made
                done = _unwrap(pool.run_here(job))
                _save_record(records, job, done)
                tally.report(done, chars)
            else:
                size = piece_chars(job.plan.characters, split_chars, pool.workers)
                pieces = split_plan(job.plan, size, paragraph_ms=paragraph_ms)
                if len(pieces) > 1:
                    pending.append((job, chars, [pool.submit_piece(piece) for piece in pieces]))
                else:
                    pending.append((job, chars, pool.submit(job)))
        for job, chars, waiting in pending:
            if isinstance(waiting, list):  # a split section: join its pieces in order, encode here
                done = _encode_pieces(job, [_unwrap(f.result()) for f in waiting], audio)
            else:
                done = _unwrap(waiting.result())
            _save_record(records, job, done)
            tally.report(done, chars)

    finished = tally.finished
    ordered = [finished[i] for i in range(len(book.sections))]
    return BookAudio(
        book_id=book.id,
        sections=tuple(d.audio for d in ordered),
        narrator=_narrator(chosen, settings, ordered),
        sample_rate=audio.sample_rate,
        bitrate_kbps=audio.bitrate_kbps,
        skipped=tuple(dict.fromkeys(c for d in ordered for c in d.skipped)),
        problems=tuple(p for d in ordered for p in d.problems),
    )


def piece_chars(characters: int, split_chars: int, workers: int) -> int:
    """The piece size (for :func:`~accessible_reader.tts.plan.split_plan`) of a section of ``characters``.

    As many pieces as a multiple of ``workers`` (so no worker waits on the last round), each of at most
    about ``split_chars`` characters.

    0 (no split) when the section has at most ``split_chars`` characters or ``split_chars < 1``.
    """
    if split_chars < 1 or characters <= split_chars:
        return 0
    pieces = -(-characters // split_chars)
    pieces = -(-pieces // workers) * workers
    return -(-characters // pieces)


def _unwrap(result: _T | _Failure) -> _T:
    if isinstance(result, _Failure):
        raise result.kind(result.message_zh, result.message_en, result.source)
    return result


def _narrator(chosen: Sequence[str], settings: VoiceSettings, done: Sequence[_Done]) -> str:
    used = [name for d in done for name in d.narrator.split("+") if name]
    names = list(dict.fromkeys(used)) or list(chosen[:1])
    voices = [v for v in (settings.voice_zh, settings.voice_en) if v]
    return " + ".join(names) + (f" ({', '.join(voices)})" if voices else "")
