"""Books and real MP3 audio (made with ffmpeg) for the exporter tests.

Until speech provides audio in these tests, :func:`make_audio` stands in for ``synthesize_book``: one real
MP3 per section (a sine tone of the right length) and clips spread evenly over each file, heading first.
(A uniquely named module, not ``conftest``: test files import it by name.)
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from mutagen.mp3 import MP3

from accessible_reader.audio.book_audio import BookAudio, Clip, SectionAudio
from accessible_reader.document.builder import DocumentBuilder
from accessible_reader.document.model import Book, BookMetadata


def sample_book() -> Book:
    """Two chapters (the second with a sub-section), roman and arabic print pages, a table row."""
    b = DocumentBuilder()
    b.page_break("iii")
    b.heading(1, "第一章 借书")
    b.paragraph("读者凭读者证借书。每次最多借五本。")
    b.page_break("1")
    b.paragraph("借期为三十天。可以续借一次。")
    b.heading(2, "第一节 续借")
    b.paragraph("续借可以打电话。也可以到馆办理。")
    b.table_row(["开馆时间", "九点"])
    b.page_break("2")
    b.heading(1, "第二章 听书机")
    b.paragraph("听书机可以外借。Please return it in time.")
    return b.build("bktest0000000001", BookMetadata(title="阅览室指南", authors=("鹿寨县图书馆",), year="2024"))


def headingless_book(paragraphs: int = 25) -> Book:
    """A book without any heading: ``paragraphs`` paragraphs of two sentences."""
    b = DocumentBuilder()
    for n in range(1, paragraphs + 1):
        b.paragraph(f"这是第{n}段的第一句。这是第{n}段的第二句。")
    return b.build("bktest0000000002", BookMetadata(title="无标题的书"))


def make_mp3(path: Path, seconds: float, *, rate: int = 22050, channels: int = 1, frequency: int = 440) -> float:
    """Write a real MP3 (sine tone) of about ``seconds``; return its measured duration in seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={frequency}:duration={seconds}",
            "-ac",
            str(channels),
            "-ar",
            str(rate),
            "-b:a",
            "32k",
            str(path),
        ],
        check=True,
    )
    return float(MP3(path).info.length)


def make_audio(book: Book, folder: Path, *, per_node_s: float = 0.6, rate: int = 22050) -> BookAudio:
    """One MP3 per section with evenly spread clips for its heading (if any) and every sentence."""
    sections = []
    for section in book.sections:
        nodes = ([] if section.implicit else [section.id]) + [s.id for s in section.sentences()]
        path = folder / f"{section.id}.mp3"
        duration = make_mp3(path, per_node_s * len(nodes) + 0.2, rate=rate)
        clips = tuple(
            Clip(node, round(0.1 + i * per_node_s, 3), round(0.1 + i * per_node_s + per_node_s * 0.8, 3))
            for i, node in enumerate(nodes)
        )
        sections.append(SectionAudio(section.id, path, duration, clips))
    return BookAudio(book.id, tuple(sections), narrator="espeak-ng cmn (test)", sample_rate=rate, bitrate_kbps=32)
