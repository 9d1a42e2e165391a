"""Voice-menu latency: keypress -> first audio frame at the sink, and keypress -> playback stopped.

Runs the real menu (real catalog with the sample book and records, real espeak-ng through the speech
layer, the speaker thread and a real-time paced null sink) and measures from the moment a key is
handed to the app to the moment the sink wrote the first frame (``first_frame_at``) or went silent
(``stopped_at``). Budgets (issue 8): cached prompts p95 <= 50 ms; a dynamic search result with
espeak-ng p95 <= 300 ms; barge-in p95 <= 50 ms.

Baselines, measured in the same run:
- cached prompts vs. the same keypresses with no prompt cache (synthesis on every keypress);
- barge-in vs. an unchunked sink, which can only fall silent when the utterance ends
  (the remaining length of the interrupted utterance).

Usage: .venv/bin/python benchmarks/menu.py [--rounds N] [--voice espeak|neural-zh]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from accessible_reader.audio.sinks import NullSink  # noqa: E402
from accessible_reader.catalog.db import make_engine  # noqa: E402
from accessible_reader.catalog.records import read_records  # noqa: E402
from accessible_reader.catalog.store import CatalogStore  # noqa: E402
from accessible_reader.document.ingest import ingest_path  # noqa: E402
from accessible_reader.menu.adapters import CatalogLibrary, LocalServices  # noqa: E402
from accessible_reader.menu.app import Speaker  # noqa: E402
from accessible_reader.menu.definitions import default_menu_dir, load_menu_set  # noqa: E402
from accessible_reader.menu.runtime import Menu  # noqa: E402
from accessible_reader.menu.voice import PromptCache, make_voice  # noqa: E402
from accessible_reader.settings import Settings  # noqa: E402
from accessible_reader.text.lexicon import Lexicon  # noqa: E402
from accessible_reader.text.readings import ReadingEngine  # noqa: E402

QUERIES = ["lzx", "luotuo", "bian", "pingfan", "laoshe", "pfdsj", "hemingway", "xiangzi"]


def p95(values: list[float]) -> float:
    """95th percentile (nearest rank), in the values' unit."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1)]


def first_frame_ms(speaker: Speaker, sink: NullSink, menu: Menu, key: str) -> float:
    """Hand ``key`` to the menu as the app does; ms until the sink wrote the first frame."""
    start = time.perf_counter()
    speaker.interrupt()
    response = menu.respond(key)
    speaker.say(response.utterances, menu.lang, menu.speed)  # no earcon: measure speech itself
    while sink.first_frame_at is None or sink.first_frame_at < start:
        time.sleep(0.0005)
    return (sink.first_frame_at - start) * 1000


def build(data_dir: Path, voice_name: str | None) -> tuple[Menu, Speaker, NullSink, PromptCache, float, int]:
    """The menu over a fresh catalog with the samples, a speaker on a paced null sink, a warm cache."""
    engine = make_engine(Settings(data_dir=data_dir))
    store = CatalogStore(engine)
    store.save_book(ingest_path(REPO / "content" / "books" / "reading-room-guide.txt"))
    store.import_records(read_records(REPO / "content" / "catalog" / "sample-records.csv"))
    reading = ReadingEngine(Lexicon.load(REPO / "content" / "lexicon.tsv"), cache_dir=data_dir / "cache")
    voice = make_voice(reading, voice_name)
    menu = Menu(load_menu_set(default_menu_dir()), CatalogLibrary(engine), LocalServices(data_dir / "state.json"))
    sink = NullSink(realtime=True)
    cache = PromptCache(voice)
    speaker = Speaker(cache, sink)
    menu.start()
    started = time.perf_counter()
    warmed = cache.warm(menu.cacheable_texts(), menu.lang, menu.speed)
    return menu, speaker, sink, cache, time.perf_counter() - started, warmed


def measure_dynamic(menu: Menu, speaker: Speaker, sink: NullSink, rounds: int) -> list[float]:
    """Type a query and Enter; ms until the first search result line (synthesized now) starts.

    Every round uses an empty cache, so the result lines are synthesized on the keypress.
    """
    dynamic: list[float] = []
    warm = speaker.cache
    for i in range(rounds):
        query = QUERIES[i % len(QUERIES)]
        speaker.cache = PromptCache(warm.voice)
        menu.respond("1")
        for key in query:
            menu.respond(key)
        start = time.perf_counter()
        speaker.interrupt()
        response = menu.respond("enter")
        speaker.say(response.utterances[2:] or response.utterances[-1:], menu.lang, menu.speed)
        while sink.first_frame_at is None or sink.first_frame_at < start:
            time.sleep(0.0005)
        dynamic.append((sink.first_frame_at - start) * 1000)
        menu.respond("escape")
        menu.respond("escape")
    speaker.cache = warm
    return dynamic


def measure_barge_in(menu: Menu, speaker: Speaker, sink: NullSink, rounds: int) -> tuple[list[float], list[float]]:
    """A long utterance plays for 0.2 s, then a key: ms until silent, and the unchunked baseline."""
    stops: list[float] = []
    unchunked: list[float] = []
    long_text = menu.menus.screens["player"].help.get("zh")
    audio = speaker.cache.get(long_text, menu.lang, menu.speed)
    for _ in range(rounds):
        speaker.say([long_text], menu.lang, menu.speed)
        while not sink.busy():
            time.sleep(0.0005)
        time.sleep(0.2)
        start = time.perf_counter()
        speaker.interrupt()
        assert sink.stopped_at is not None
        stops.append((sink.stopped_at - start) * 1000)
        unchunked.append((audio.duration_s - 0.2) * 1000)
    return stops, unchunked


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--voice", default=None, help="menu voice (espeak, neural-zh); default espeak")
    args = parser.parse_args()
    menu, speaker, sink, cache, warm_s, warmed = build(Path(tempfile.mkdtemp(prefix="menu-bench-")), args.voice)

    keys = ["down" if i % 2 else "up" for i in range(args.rounds)]
    cached = [first_frame_ms(speaker, sink, menu, key) for key in keys]
    uncached: list[float] = []
    for key in keys:  # baseline: the same keys with an empty cache every time
        speaker.cache = PromptCache(cache.voice)
        uncached.append(first_frame_ms(speaker, sink, menu, key))
    speaker.cache = cache
    dynamic = measure_dynamic(menu, speaker, sink, args.rounds)
    stops, unchunked = measure_barge_in(menu, speaker, sink, args.rounds)
    speaker.close()

    print(f"voice: {cache.voice.name}; sink: paced null sink, {args.rounds} rounds; machine: {sys.platform}")
    print(f"prompt cache warm-up at start: {warmed} texts in {warm_s:.2f} s")
    print(
        f"keypress -> first frame, cached prompt:   p95 {p95(cached):6.1f} ms (median {statistics.median(cached):.1f})"
        f"  budget 50 ms; baseline no cache p95 {p95(uncached):.1f} ms; ratio {p95(cached) / p95(uncached):.3f}"
    )
    print(
        f"keypress -> first frame, search result:   p95 {p95(dynamic):6.1f} ms (median "
        f"{statistics.median(dynamic):.1f})  budget 300 ms; ratio to budget {p95(dynamic) / 300:.3f}"
    )
    print(
        f"keypress -> playback stopped (barge-in):  p95 {p95(stops):6.1f} ms (median {statistics.median(stops):.1f})"
        f"  budget 50 ms; baseline unchunked p95 {p95(unchunked):.0f} ms; ratio {p95(stops) / p95(unchunked):.4f}"
    )


if __name__ == "__main__":
    main()
