"""Speech benchmark (issue 4): a whole book to loudness-normalized MP3s with espeak-ng, against the bare pipeline.

Run: ``.venv/bin/python benchmarks/speech.py [--chars 200000] [--workers 2]``.

Text: ../shared/corpus/luzhai-library-plan-2021.txt repeated to ``--chars`` characters (the sample book in
content/ when ../shared is absent), ingested as a TXT book.

- **espeak path**: ``synthesize_book`` (reading layer, plans, espeak-ng through libespeak-ng, segment cache,
  EBU R128 normalization to -16 LUFS, MP3 64 kbps mono per section) with ``--workers`` processes,
  cold cache. Target: <= 1.0x the baseline.
- **baseline** (same run): the same book's pinyin (from the reading layer, prepared beforehand and not timed)
  spoken by ``espeak-ng -v cmn-latn-pinyin -f`` and piped into one ``ffmpeg`` MP3 encode (64 kbps, its
  default encoder settings), both pinned to one core with ``taskset -c 0``.
- **warm re-export**: the same call again (cache and files in place). Target: <= 5% of the cold time.
- **re-encode from a warm segment cache** into a new folder (every MP3 made again, no synthesis).
- **espeak back-ends**: the same 300 runs through libespeak-ng (ctypes) and through one ``espeak-ng`` process
  per run.
- **peak RSS** of this process and of the largest child (workers, ffmpeg, espeak-ng). Target: <= 500 MB.
- **headingless book** (``--flat-chars``, default 20,000; ``--flat-only`` runs just this): the corpus as ONE
  section (headings dropped, as a TXT library book without headings), cold, no cache, ``workers=2`` (the
  section split into pieces of ``split_chars`` for the pool) against ``workers=1`` (baseline, same run).
- **neural-zh** (when the ``[neural]`` extra is installed): realtime factor on ``--neural-syllables`` syllables
  of the same readings, 2 LiteRT threads, wall clock and CPU time. Target: >= 15x on 2 cores.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from accessible_reader.audio.book_audio import BookAudio
    from accessible_reader.document.model import Book
    from accessible_reader.text.readings import ReadingEngine

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "luzhai-library-plan-2021.txt"
FALLBACK = ROOT / "content" / "books" / "reading-room-guide.txt"


T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """Wall seconds of ``action()`` and its result."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its finished children, in seconds."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measured(action: Callable[[], T]) -> tuple[tuple[float, float], T]:
    """((wall s, CPU s incl. children), result) of ``action()``; CPU time is what to trust on a busy machine."""
    cpu = cpu_seconds()
    wall, result = timed(action)
    return (wall, cpu_seconds() - cpu), result


def compare_backends(lines: list[str]) -> tuple[float, float]:
    """Seconds to synthesize ``lines`` (pinyin) through libespeak-ng, then through one process per line."""
    from accessible_reader.tts.engine import VoiceSettings
    from accessible_reader.tts.espeak import EspeakEngine
    from accessible_reader.tts.plan import TextRun

    engine_lib, engine_proc = EspeakEngine("library"), EspeakEngine("process")
    runs = [TextRun(line, "zh", tuple(line.split())) for line in lines]
    lib_s, _ = timed(lambda: [engine_lib.synthesize(r, VoiceSettings()) for r in runs])
    proc_s, _ = timed(lambda: [engine_proc.synthesize(r, VoiceSettings()) for r in runs])
    return lib_s, proc_s


def neural_rtf(lines: list[str], syllables: int, work: Path) -> str:
    """Realtime factor of neural-zh on about ``syllables`` syllables (first call, model load, not timed)."""
    from accessible_reader.tts.engine import VoiceSettings
    from accessible_reader.tts.neural_zh import NeuralZhEngine
    from accessible_reader.tts.plan import TextRun

    engine = NeuralZhEngine(work / "neural", threads=2)
    if not engine.check().ok:
        return f"neural-zh: not measured ({engine.check().reason})"
    runs: list[TextRun] = []
    for line in lines:
        if sum(len(r.reading) for r in runs) >= syllables:
            break
        runs.append(TextRun(line, "zh", tuple(line.split())))
    engine.synthesize(runs[0], VoiceSettings())
    cpu = time.process_time()
    wall, pcms = timed(lambda: [engine.synthesize(r, VoiceSettings()) for r in runs])
    cpu = time.process_time() - cpu
    audio = sum(p.duration_s for p in pcms)
    count = sum(len(r.reading) for r in runs)
    return (
        f"neural-zh, {count} syllables, {audio:.0f} s of audio: {wall:.1f} s wall = {audio / wall:.1f}x realtime "
        f"(target >= 15x); CPU time {cpu:.1f} s = {audio / cpu:.1f}x realtime per CPU-second"
    )


def baseline(pinyin: Path, mp3: Path) -> float:
    """Seconds for ``espeak-ng -v cmn-latn-pinyin -f`` piped into one ffmpeg MP3 encode, both on core 0."""
    pin = "taskset -c 0 " if shutil.which("taskset") else ""
    command = (
        f"{pin}espeak-ng -v cmn-latn-pinyin -f {pinyin} --stdout | "
        f"{pin}ffmpeg -v error -y -i pipe:0 -ac 1 -b:a 64k {mp3}"
    )
    seconds, _ = timed(lambda: subprocess.run(command, shell=True, check=True))
    return seconds


def prepare(characters: int, work: Path) -> tuple[Book, ReadingEngine, list[str]]:
    """The corpus repeated to ``characters`` as a book, a reading engine, and the book's runs as pinyin lines.

    The pinyin lines are the baseline's input, prepared beforehand and not timed.
    """
    from accessible_reader.document.ingest import ingest_path
    from accessible_reader.text.lexicon import Lexicon
    from accessible_reader.text.readings import ReadingEngine
    from accessible_reader.tts.plan import TextRun, book_plans

    source = CORPUS if CORPUS.exists() else FALLBACK
    text = source.read_text(encoding="utf-8")
    copies = max(1, round(characters / len(text)))
    book_file = work / "book.txt"
    book_file.write_text((text + "\n") * copies, encoding="utf-8")
    book = ingest_path(book_file)
    reader = ReadingEngine(Lexicon.load(ROOT / "content" / "lexicon.tsv"), cache_dir=work / "jieba")
    lines: list[str] = []
    for _section, plan in book_plans(book, reader):
        lines.extend(" ".join(item.reading) for item in plan.items if isinstance(item, TextRun))
    chars = sum(len(s.text) for s in book.sentences()) + sum(len(s.title) for s in book.sections)
    print(f"text: {copies} copies of {source.name}, {chars:,} characters, {len(book.sections)} sections", flush=True)
    return book, reader, lines


def headingless(book: Book) -> Book:
    """``book`` as one implicit section holding every block (headings dropped): a TXT book without headings."""
    from dataclasses import replace

    from accessible_reader.document.model import Section

    blocks = tuple(block for section in book.sections for block in section.blocks)
    return replace(book, sections=(Section("h1", 1, "", blocks, implicit=True),))


def flat_book_figures(characters: int, work: Path) -> None:
    """Wall and CPU time of a one-section book with 2 workers (split into pieces) and with 1 (baseline)."""
    from accessible_reader.tts.book import piece_chars, synthesize_book
    from accessible_reader.tts.plan import section_plan, split_plan

    (work / "flat").mkdir()
    book, reader, _lines = prepare(characters, work / "flat")
    book = headingless(book)
    plan = section_plan(book.sections[0], reader)
    pieces = split_plan(plan, piece_chars(plan.characters, 4000, 2))
    sizes = ", ".join(f"{p.characters:,}" for p in pieces)
    print(f"headingless book: 1 section, {len(pieces)} pieces for 2 workers ({sizes} characters)", flush=True)
    times: dict[int, float] = {}

    def export(workers: int) -> BookAudio:
        return synthesize_book(book, out_dir=work / "flat" / f"out{workers}", reader=reader, workers=workers)

    for workers in (1, 2):
        (wall, cpu), audio = measured(lambda: export(workers))  # noqa: B023 (called at once)
        times[workers] = wall
        print(
            f"  workers={workers}: {wall:.1f} s wall, {cpu:.1f} s CPU, {audio.total_duration_s:.0f} s of audio",
            flush=True,
        )
    print(
        f"  ratio workers=2 / workers=1 (baseline): {times[2] / times[1]:.2f}x wall ({times[1] / times[2]:.2f}x faster)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=200_000, help="characters of book text (default 200,000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-reencode", action="store_true", help="leave out the re-encode measurement")
    parser.add_argument("--neural-syllables", type=int, default=2000, help="syllables for neural-zh (0 = skip)")
    parser.add_argument("--flat-chars", type=int, default=20_000, help="headingless book size (0 = skip)")
    parser.add_argument("--flat-only", action="store_true", help="measure only the headingless book")
    args = parser.parse_args()

    from accessible_reader.tts.book import synthesize_book

    work = Path(tempfile.mkdtemp(prefix="speech-bench-"))
    if args.flat_only:
        try:
            flat_book_figures(args.flat_chars, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    try:
        book, reader, lines = prepare(args.chars, work)
        chars = sum(len(s.text) for s in book.sentences()) + sum(len(s.title) for s in book.sections)
        pinyin = work / "pinyin.txt"
        pinyin.write_text("\n".join(lines), encoding="utf-8")

        def export(folder: str) -> BookAudio:
            return synthesize_book(
                book, out_dir=work / folder, reader=reader, cache_dir=work / "cache", workers=args.workers
            )

        (cold_s, cold_cpu), audio = measured(lambda: export("out"))
        rate = audio.total_duration_s / cold_s
        print(f"audio: {audio.total_duration_s / 3600:.2f} h in {len(audio.sections)} MP3 files", flush=True)
        print(
            f"espeak path, cold, {args.workers} workers: {cold_s:.1f} s wall, {cold_cpu:.1f} s CPU "
            f"({chars / cold_s:,.0f} chars/s, {rate:.0f}x realtime)",
            flush=True,
        )
        (base_s, base_cpu), _ = measured(lambda: baseline(pinyin, work / "baseline.mp3"))
        print(f"baseline espeak-ng -f | ffmpeg, one core: {base_s:.1f} s wall, {base_cpu:.1f} s CPU")
        print(f"  ratio espeak path / baseline: {cold_s / base_s:.2f}x wall (target <= 1.0x)")
        print(f"  ratio of CPU time: {cold_cpu / base_cpu:.2f}x")
        children_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS: this process {self_rss:.0f} MB, largest child {children_rss:.0f} MB (target <= 500 MB)")

        (warm_s, _), _ = measured(lambda: export("out"))
        print(f"warm re-export: {warm_s:.2f} s = {100 * warm_s / cold_s:.1f}% of cold (target <= 5%)", flush=True)
        if not args.skip_reencode:
            shutil.rmtree(work / "cache" / "sections")
            (reencode_s, _), _ = measured(lambda: export("out2"))
            print(f"re-encode from warm segment cache: {reencode_s:.1f} s = {100 * reencode_s / cold_s:.0f}% of cold")

        lib_s, proc_s = compare_backends(lines[:300])
        print(
            f"espeak back-ends, 300 runs: libespeak-ng {lib_s:.2f} s, espeak-ng process {proc_s:.2f} s "
            f"(library {proc_s / lib_s:.1f}x faster)",
            flush=True,
        )
        if args.neural_syllables:
            print(neural_rtf(lines, args.neural_syllables, work))
            neural_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
            print(f"  peak RSS of this process after neural-zh: {neural_rss} MB")
        if args.flat_chars:
            flat_book_figures(args.flat_chars, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
