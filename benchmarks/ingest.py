"""Ingest benchmark (issue 2): text into the document model, MARC records, peak memory.

Prints each figure with its target and the ratio against reading the same bytes with a
plain ``open().read()`` in the same run. Run: ``.venv/bin/python benchmarks/ingest.py``.

- 200,000 characters of Chinese TXT (40 copies of ../shared/corpus/luzhai-library-plan-2021.txt,
  or of content/books/reading-room-guide.txt when ../shared is absent): target >= 1 MB/s.
- a generated 10,000-record MARC file (CNMARC and MARC 21 mixed): target >= 2,000 records/s.
- peak RSS of a process ingesting a 10 MB text: target <= 200 MB.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
CORPUS = ROOT.parent / "shared" / "corpus" / "luzhai-library-plan-2021.txt"
FALLBACK = ROOT / "content" / "books" / "reading-room-guide.txt"


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``action``, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def plain_read(path: Path) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def plain_read_bytes(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def source_text() -> tuple[str, str]:
    source = CORPUS if CORPUS.exists() else FALLBACK
    return source.read_text(encoding="utf-8"), source.name


def bench_text(workdir: Path) -> None:
    from accessible_reader.document.ingest import IngestLimits
    from accessible_reader.document.ingest.txt import ingest_txt

    text, name = source_text()
    copies = max(1, round(200_000 / len(text)))
    big = workdir / "book.txt"
    big.write_text((text + "\n") * copies, encoding="utf-8")
    size = big.stat().st_size
    chars = len(big.read_text(encoding="utf-8"))
    limits = IngestLimits()
    ingest_txt(big, limits)  # warm imports and caches
    seconds = best_of(3, lambda: ingest_txt(big, limits))
    baseline = best_of(3, lambda: plain_read(big))
    mb_s = size / seconds / 1e6
    print(f"text ingest: {copies} x {name} = {chars:,} characters, {size / 1e6:.2f} MB")
    print(f"  {seconds * 1000:.1f} ms -> {mb_s:.2f} MB/s, {chars / seconds:,.0f} characters/s (target >= 1 MB/s)")
    print(f"  plain open().read(): {baseline * 1000:.2f} ms; ratio ingest/plain = {seconds / baseline:.0f}x")


def bench_marc(workdir: Path) -> None:
    from marc_fixture import make_marc_file

    from accessible_reader.catalog.records import read_records

    path = workdir / "records.mrc"
    make_marc_file(path, 10_000)
    seconds = best_of(3, lambda: read_records(path))
    count = len(read_records(path))
    baseline = best_of(3, lambda: plain_read_bytes(path))
    print(f"MARC import: {count:,} records, {path.stat().st_size / 1e6:.2f} MB")
    print(f"  {seconds * 1000:.0f} ms -> {count / seconds:,.0f} records/s (target >= 2,000 records/s)")
    print(f"  plain open().read(): {baseline * 1000:.2f} ms; ratio parse/plain = {seconds / baseline:.0f}x")


def bench_memory(workdir: Path) -> None:
    text, _ = source_text()
    big = workdir / "ten-mb.txt"
    data = (text + "\n").encode("utf-8")
    big.write_bytes(data * (10_000_000 // len(data) + 1))
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from accessible_reader.document.ingest import ingest_path\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "book = ingest_path(Path(sys.argv[1]))\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(base, peak, sum(1 for _ in book.sentences()))\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(big)], capture_output=True, text=True, check=True)
    base_kb, peak_kb, sentences = map(int, result.stdout.split())
    print(f"peak memory: {big.stat().st_size / 1e6:.1f} MB text, {sentences:,} sentences")
    print(
        f"  peak RSS {peak_kb / 1024:.0f} MB (after imports {base_kb / 1024:.0f} MB; "
        f"ingest adds {(peak_kb - base_kb) / 1024:.0f} MB) (target <= 200 MB); "
        f"ratio peak RSS / file size = {peak_kb * 1024 / big.stat().st_size:.1f}x"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        workdir = Path(temp)
        bench_text(workdir)
        bench_marc(workdir)
        bench_memory(workdir)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"(benchmark process peak RSS {own / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
