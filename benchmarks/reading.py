"""Benchmark of the reading layer: normalization + segmentation + readings, in characters per second.

Text: 40 copies of the 鹿寨县图书馆 plan (shared/corpus/luzhai-library-plan-2021.txt, ~200,000
characters), or generated Chinese text when the corpus is absent. Read paragraph by paragraph,
as the service does. Prints:

- start-up (imports + dictionary loads + engine), measured in fresh interpreters (target ≤ 1.5 s);
- throughput after start-up on the whole text (target ≥ 100,000 chars/s), and on the first copy
  alone with empty word caches (every word seen for the first time);
- the same text through bare ``pypinyin.lazy_pinyin`` (tone3, neutral 5) and the ratio.

Run: ``.venv/bin/python benchmarks/reading.py``
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared/corpus/luzhai-library-plan-2021.txt"
COPIES = 40
TARGET_CHARS = 200_000

STARTUP = """
import time
t = time.perf_counter()
from pathlib import Path
from accessible_reader.text.lexicon import Lexicon
from accessible_reader.text.readings import ReadingEngine
engine = ReadingEngine(Lexicon.load(Path({lexicon!r})))
engine.read("鹿寨县图书馆")
print(time.perf_counter() - t)
"""


def load_text() -> tuple[str, str]:
    if CORPUS.is_file():
        return CORPUS.read_text(encoding="utf-8") * COPIES, f"{COPIES} x {CORPUS.name}"
    rng = random.Random(2021)
    words = ["读者", "图书馆", "鹿寨", "服务", "阅读", "发展", "建设", "文化", "公共", "数字", "资源"]
    words += ["银行", "行长", "还书", "借阅", "2021年", "3.5%", "12345", "，", "。"]
    parts: list[str] = []
    size = 0
    while size < TARGET_CHARS:
        word = rng.choice(words)
        parts.append(word)
        size += len(word)
        if rng.random() < 0.03:
            parts.append("\n")
    return "".join(parts), "generated text (corpus not found)"


def startup_seconds(runs: int = 3) -> list[float]:
    lexicon = ROOT / "content" / "lexicon.tsv"
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", STARTUP.format(lexicon=str(lexicon))],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return times


def main() -> None:
    text, label = load_text()
    paragraphs = [p for p in text.splitlines() if p.strip()]
    chars = sum(len(p) for p in paragraphs)

    startups = startup_seconds()
    print(
        f"start-up (fresh interpreter, imports + dictionaries + engine): {', '.join(f'{s:.2f}' for s in startups)} s"
        f" -> best {min(startups):.2f} s (target <= 1.5 s; the first run after install also builds jieba's cache)"
    )

    from pypinyin import Style, lazy_pinyin

    from accessible_reader.text.lexicon import Lexicon
    from accessible_reader.text.readings import ReadingEngine

    engine = ReadingEngine(Lexicon.load(ROOT / "content" / "lexicon.tsv"))
    first_copy = paragraphs[: max(1, len(paragraphs) // COPIES)]
    first_chars = sum(len(p) for p in first_copy)
    t = time.perf_counter()
    for paragraph in first_copy:
        engine.read(paragraph)
    cold = time.perf_counter() - t

    t = time.perf_counter()
    syllables = 0
    for paragraph in paragraphs:
        syllables += len(engine.read(paragraph).syllables())
    ours = time.perf_counter() - t

    t = time.perf_counter()
    for paragraph in paragraphs:
        lazy_pinyin(paragraph, style=Style.TONE3, neutral_tone_with_five=True)
    baseline = time.perf_counter() - t

    print(f"text: {label}, {chars:,} characters in {len(paragraphs):,} paragraphs")
    print(
        f"reading layer (normalize + segment + readings): {chars / ours:,.0f} chars/s "
        f"({ours:.2f} s, {syllables:,} spoken items; target >= 100,000)"
    )
    print(f"  first copy with empty word caches: {first_chars / cold:,.0f} chars/s ({first_chars:,} chars)")
    print(f"bare pypinyin.lazy_pinyin (TONE3): {chars / baseline:,.0f} chars/s ({baseline:.2f} s)")
    print(f"ratio reading layer / lazy_pinyin: {baseline / ours:.2f}x the speed")


if __name__ == "__main__":
    main()
