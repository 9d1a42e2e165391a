"""Service benchmark (issue 7): catalog search latency and Range-request throughput.

Run: ``.venv/bin/python benchmarks/api.py [--records 130000] [--seconds 10] [--clients 50]``.

1. Search. A catalog of ``--records`` generated records (default 130,000, the library's holdings)
   is imported and indexed (FTS5 n-grams + pinyin + initials). 400 queries of each type are timed
   in-process through ``CatalogSearch.search(q, limit=20)``: a whole title, a two-character
   fragment, full pinyin with spaces, pinyin initials. Prints p50/p95 per type (target p95 <= 30 ms)
   and the ratio against the baseline in the same run: the portable ``LIKE`` search (what a
   database without FTS5 gets) on the same table.
2. Downloads. ``--clients`` concurrent keep-alive clients request random 64 KiB ranges of 1 MiB
   MP3-sized artifacts for ``--seconds`` seconds (default 10; the issue's full run is 60) through
   the service's signed links (uvicorn, one process), then the same files from
   ``python -m http.server`` for the same time. Prints requests/s, MiB/s and errors of each and
   the ratios. ``http.server`` ignores Range and sends the whole file (HTTP/1.0, a connection per
   request), so both the request rate and the byte rate are shown.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红文辉建国志宏海波鹏飞云峰宇晨雪梅琳浩然思远佳怡子涵雨欣"
WORDS = [
    "春天",
    "故乡",
    "河流",
    "山村",
    "城市",
    "少年",
    "母亲",
    "父亲",
    "老人",
    "孩子",
    "星空",
    "大海",
    "森林",
    "草原",
    "月光",
    "阳光",
    "风雨",
    "道路",
    "梦想",
    "记忆",
    "时光",
    "岁月",
    "桂林",
    "柳州",
    "鹿寨",
    "广西",
    "长江",
    "黄河",
    "北京",
    "上海",
    "江南",
    "西部",
    "古镇",
    "小镇",
    "学校",
    "工厂",
    "医院",
    "图书馆",
    "书店",
    "火车",
    "飞机",
    "田野",
    "花园",
    "历史",
    "文化",
    "科学",
    "技术",
    "经济",
    "社会",
    "哲学",
    "艺术",
    "音乐",
    "诗歌",
    "小说",
    "散文",
    "故事",
    "传说",
    "笔记",
    "日记",
    "手册",
    "指南",
    "概论",
    "研究",
    "教程",
    "中国",
    "世界",
    "人民",
    "生活",
    "健康",
    "医学",
    "农业",
    "养殖",
    "种植",
    "烹饪",
    "旅行",
    "地理",
    "天文",
    "数学",
    "物理",
    "化学",
    "生物",
    "电脑",
    "网络",
    "手机",
    "盲文",
]
PATTERNS = ("{a}的{b}", "{a}与{b}", "{a}{b}", "我的{a}", "{a}{b}{c}", "{a}之{b}", "走进{a}", "{a}{b}研究", "{a}里的{b}")


def generate_records(count: int, seed: int = 7) -> list[tuple[str, str, str, str]]:
    """``count`` (title, author, subjects, summary) tuples, deterministic for ``seed``."""
    rng = random.Random(seed)
    records = []
    for number in range(count):
        a, b, c = rng.sample(WORDS, 3)
        title = rng.choice(PATTERNS).format(a=a, b=b, c=c)
        if number % 7 == 0:
            title += f"（第{rng.randint(1, 9)}卷）"
        author = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        subjects = "；".join(rng.sample(WORDS, 2))
        summary = "本书讲述" + "、".join(rng.sample(WORDS, 4)) + "的故事。"
        records.append((title, author, subjects, summary))
    return records


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(action: Callable[[], object]) -> float:
    """Milliseconds ``action`` takes."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def search_benchmark(data_dir: Path, count: int) -> None:
    """Import, index and query ``count`` records; print p50/p95 per query type and the LIKE baseline."""
    from pypinyin import Style, lazy_pinyin

    from accessible_reader.catalog.db import make_engine
    from accessible_reader.catalog.records import CatalogRecord
    from accessible_reader.catalog.search import CatalogSearch
    from accessible_reader.catalog.store import CatalogStore
    from accessible_reader.document.model import BookMetadata
    from accessible_reader.settings import Settings

    engine = make_engine(Settings(data_dir=data_dir))
    generated = generate_records(count)
    records = [
        CatalogRecord(
            metadata=BookMetadata(title=t, authors=(a,), subjects=tuple(s.split("；")), summary=m),
            control_number=f"b{n}",
            source_format="csv",
            raw="",
        )
        for n, (t, a, s, m) in enumerate(generated)
    ]
    start = time.perf_counter()
    store = CatalogStore(engine)
    if store.count_records() != count:
        store.import_records(records)
    imported = time.perf_counter() - start
    search = CatalogSearch(engine)
    start = time.perf_counter()
    indexed = search.sync()
    indexing = time.perf_counter() - start
    print(f"catalog: {count:,} records imported in {imported:.1f} s, {indexed:,} indexed in {indexing:.1f} s")

    rng = random.Random(11)
    sample = [generated[i][0] for i in rng.sample(range(count), 400)]
    queries = {
        "title": sample,
        "fragment (2 chars)": [next((w for w in WORDS if w in t), t[:2])[:2] for t in sample],
        "pinyin": [" ".join(lazy_pinyin(t[:4], style=Style.NORMAL)) for t in sample],
        "initials": ["".join(s[0] for s in lazy_pinyin(t.split("（")[0], style=Style.NORMAL)) for t in sample],
    }
    for q in queries["title"][:20]:  # warm the page cache
        search.search(q)
    portable = CatalogSearch(engine)
    portable._fts = False  # the LIKE fallback used on databases without FTS5
    like_ms = [timed(lambda q=q: portable.search(q, limit=20)) for q in queries["fragment (2 chars)"][:100]]
    like_p95 = percentile(like_ms, 0.95)
    print(
        f"baseline: the portable LIKE search (no FTS index) on the same table, 2-char fragments: "
        f"p50 {statistics.median(like_ms):.1f} ms, p95 {like_p95:.1f} ms"
    )
    for kind, values in queries.items():
        latencies = [timed(lambda q=q: search.search(q, limit=20)) for q in values]
        found = sum(1 for q in values[:50] if search.search(q, limit=20))
        p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
        verdict = "ok" if p95 <= 30 else "over target"
        print(
            f"search {kind:<20} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  (target p95 <= 30 ms: {verdict}; "
            f"{found}/50 found; LIKE baseline p95 / this p95: {like_p95 / p95:.1f}x)"
        )


# -- downloads ---------------------------------------------------------------------------------------


def free_port() -> int:
    """An unused TCP port on localhost."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout_s: float = 30) -> None:
    """Block until something listens on ``port``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


async def _client(
    port: int, paths: list[str], size: int, *, until: float, stats: dict[str, int], rng: random.Random
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.monotonic() < until:
        start = rng.randrange(0, size - 65536)
        request = (
            f"GET {rng.choice(paths)} HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes={start}-{start + 65535}\r\n\r\n"
        ).encode()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert reader is not None
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            length = int(headers.get("content-length", "0"))
            await reader.readexactly(length)
            stats["requests"] += 1
            stats["bytes"] += length
            stats[f"status_{status}"] = stats.get(f"status_{status}", 0) + 1
            if status not in (200, 206):
                stats["errors"] += 1
            if lines[0].startswith("HTTP/1.0") or headers.get("connection", "").lower() == "close":
                writer.close()
                reader = writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            stats["errors"] += 1
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def load(port: int, paths: list[str], size: int, clients: int, seconds: float) -> dict[str, int]:
    """Run ``clients`` concurrent Range clients for ``seconds``; counts of requests, bytes, errors, statuses."""
    stats = {"requests": 0, "bytes": 0, "errors": 0}
    until = time.monotonic() + seconds

    async def main() -> None:
        await asyncio.gather(
            *(_client(port, paths, size, until=until, stats=stats, rng=random.Random(i)) for i in range(clients))
        )

    asyncio.run(main())
    return stats


def statuses(stats: dict[str, int]) -> dict[str, int]:
    """The HTTP status counts of a load run."""
    return {k: v for k, v in stats.items() if k.startswith("status")}


def download_benchmark(data_dir: Path, clients: int, seconds: float) -> None:
    """Service vs ``python -m http.server`` on the same files; prints throughput, errors and ratios."""
    from accessible_reader.api.app import build_services
    from accessible_reader.document.ingest import ingest_path
    from accessible_reader.settings import Settings

    settings = Settings(data_dir=data_dir, secret_key="bench-secret-0123456789", job_workers=0)
    services = build_services(settings)
    source = data_dir / "book.txt"
    source.write_text("第一章\n\n测试。\n", encoding="utf-8")
    book_id = services.store.save_book(ingest_path(source))
    size = 1 << 20
    rng = random.Random(3)
    paths: list[str] = []
    files_dir = data_dir / "static"
    files_dir.mkdir()
    for number in range(8):
        payload = rng.randbytes(size)
        mp3 = data_dir / f"track{number:02d}.mp3"
        mp3.write_bytes(payload)
        row = services.artifacts.add(book_id, None, "audio", mp3)
        expires = int(time.time()) + 3600
        paths.append(f"/d/{row.id}?expires={expires}&sig={services.signer.link_signature(row.id, expires)}")
        (files_dir / f"track{number:02d}.mp3").write_bytes(payload)
    static_paths = [f"/track{n:02d}.mp3" for n in range(8)]

    env = {
        **os.environ,
        "ACCESSIBLE_READER_DATA_DIR": str(data_dir),
        "ACCESSIBLE_READER_SECRET_KEY": settings.secret_key or "",
        "ACCESSIBLE_READER_JOB_WORKERS": "0",
    }
    port = free_port()
    code = (
        "import uvicorn;from accessible_reader.api.app import create_app;"
        "from accessible_reader.settings import Settings;"
        f"uvicorn.run(create_app(Settings(), start_workers=False), host='127.0.0.1', port={port}, "
        "log_level='warning', access_log=False)"
    )
    service = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        wait_port(port)
        ours = load(port, paths, size, clients, seconds)
    finally:
        service.terminate()
        service.wait(10)
    static_port = free_port()
    static = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(static_port), "--bind", "127.0.0.1", "--directory", str(files_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(static_port)
        theirs = load(static_port, static_paths, size, clients, seconds)
    finally:
        static.terminate()
        static.wait(10)
    mib = 1024 * 1024
    for name, stats in (("service (uvicorn, signed links, Range)", ours), ("python -m http.server", theirs)):
        print(
            f"{name:<40} {stats['requests'] / seconds:8.1f} req/s  {stats['bytes'] / seconds / mib:8.1f} MiB/s  "
            f"errors {stats['errors']}  statuses {json.dumps(statuses(stats))}"
        )
    req_ratio = ours["requests"] / max(theirs["requests"], 1)
    byte_ratio = ours["bytes"] / max(theirs["bytes"], 1)
    print(
        f"ratio service / http.server: requests {req_ratio:.2f}x, bytes {byte_ratio:.2f}x "
        f"({clients} clients, {seconds:g} s each; http.server ignores Range and sends whole files)"
    )


def main() -> None:
    """Parse arguments and run both benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=130_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--skip-downloads", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the search database in this folder (reused when present)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_search:
            search_benchmark(args.keep or Path(tmp) / "search", args.records)
        if not args.skip_downloads:
            (Path(tmp) / "downloads").mkdir()
            download_benchmark(Path(tmp) / "downloads", args.clients, args.seconds)


if __name__ == "__main__":
    main()
