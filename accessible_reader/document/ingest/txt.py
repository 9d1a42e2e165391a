"""Plain-text ingest: encoding detection, Chinese heading conventions, Markdown-style headings.

Headings are recognised by the conventions of Chinese books and official documents
(第X卷/编/部/篇, 第X章/回, 第X节, 一、, （一）, 1., （1）) and Markdown ``#`` lines. A line
is a heading only when it is short and does not read as a sentence: "1.阅读服务设施建设日趋完善"
is a heading, "1.转变办馆模式。坚持以服务为本……" is a numbered paragraph. Levels follow
nesting, not fixed kinds: a heading is one level below the nearest open heading of a
higher-ranked convention. So a document whose top headings are 一、 gets level 1 for 一、,
2 for （一） and 3 for 1.; under 第二章 an 一、 is level 2. Levels never skip (DAISY and
EPUB navigation require that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from accessible_reader.document.builder import DocumentBuilder, book_id_for
from accessible_reader.document.ingest.source import IngestLimits, decode_text, read_bytes
from accessible_reader.document.model import Book, BookMetadata
from accessible_reader.errors import InputError
from accessible_reader.text.sentences import detect_language

_NUM = r"[0-9０-９一二三四五六七八九十百千零〇两]+"
MAX_HEADING_CHARS = 40


class HeadingKind(IntEnum):
    """Heading conventions, highest rank first."""

    PART = 1  # 第一卷 / 第一编 / 第一部 / 第一篇
    CHAPTER = 2  # 第一章 / 第一回
    SECTION = 3  # 第一节
    CN_ENUM = 4  # 一、
    CN_PAREN = 5  # （一）
    ARABIC = 6  # 1. / 1、 / 1．
    ARABIC_PAREN = 7  # （1）


_PATTERNS: tuple[tuple[HeadingKind, re.Pattern[str]], ...] = (
    (HeadingKind.PART, re.compile(rf"^第{_NUM}[卷编部篇](?:[\s:：]|$)")),
    (HeadingKind.CHAPTER, re.compile(rf"^第{_NUM}[章回](?:[\s:：]|$|(?=\S))")),
    (HeadingKind.SECTION, re.compile(rf"^第{_NUM}节(?:[\s:：]|$|(?=\S))")),
    (HeadingKind.CN_ENUM, re.compile(r"^[一二三四五六七八九十百]+[、．.]")),
    (HeadingKind.CN_PAREN, re.compile(r"^[（(][一二三四五六七八九十百]+[)）]")),
    (HeadingKind.ARABIC, re.compile(r"^[0-9０-９]{1,3}[.．、](?![0-9０-９])")),
    (HeadingKind.ARABIC_PAREN, re.compile(r"^[（(][0-9０-９]{1,3}[)）]")),
)
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)(?:\s+#+)?\s*$")  # a closing "#" run needs a space before it
_SENTENCE_INSIDE = re.compile(r"[。！？；!?]")
_TRAILING_CLAUSE = re.compile(r"[，,、：:；;]$")
_NAVIGATION = re.compile(r"首页|当前位置|您当前在|\s>\s|»")


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    kind: HeadingKind | None = None
    markdown_level: int = 0


def heading_kind(line: str) -> HeadingKind | None:
    """The heading convention ``line`` follows, or None when it reads as body text."""
    if len(line) > MAX_HEADING_CHARS or _TRAILING_CLAUSE.search(line):
        return None
    for kind, pattern in _PATTERNS:
        if pattern.match(line):
            # Numbered headings carry no sentence inside; chapter titles may ("第一章 起。")
            if kind >= HeadingKind.CN_ENUM and _SENTENCE_INSIDE.search(line):
                return None
            return kind
    return None


def _classify(line: str) -> _Line:
    markdown = _MARKDOWN_HEADING.match(line)
    if markdown:
        return _Line(markdown.group(2), markdown_level=len(markdown.group(1)))
    return _Line(line, heading_kind(line))


def _title_candidate(lines: list[_Line]) -> int | None:
    """Index of the line that names the document, looked for among the first lines."""
    for index, line in enumerate(lines[:5]):
        if line.kind is not None or line.markdown_level > 1:
            return None
        if line.markdown_level == 1:
            return index
        if _NAVIGATION.search(line.text):
            continue
        if len(line.text) <= MAX_HEADING_CHARS and not _SENTENCE_INSIDE.search(line.text[:-1] or "x"):
            return index
        return None
    return None


def text_to_book(text: str, book_id: str, fallback_title: str) -> Book:
    """Build a Book from decoded plain text (pure).

    Each non-empty line is a paragraph or a heading; the document's title is taken from
    its first short line (or a level-1 Markdown heading), else ``fallback_title``.
    """
    lines = [_classify(raw.strip()) for raw in text.splitlines() if raw.strip()]
    title_index = _title_candidate(lines)
    title = lines[title_index].text if title_index is not None else fallback_title
    body = [line for index, line in enumerate(lines) if index != title_index]
    if not body:  # a lone line is both the title and the whole text
        body = lines

    builder = DocumentBuilder()
    markdown_level = 0  # convention headings nest below the last Markdown heading
    open_kinds: list[HeadingKind] = []
    for line in body:
        if line.markdown_level:
            markdown_level = line.markdown_level
            open_kinds.clear()
            builder.heading(line.markdown_level, line.text)
        elif line.kind is not None:
            while open_kinds and open_kinds[-1] >= line.kind:
                open_kinds.pop()
            open_kinds.append(line.kind)
            builder.heading(markdown_level + len(open_kinds), line.text)
        else:
            builder.paragraph(line.text)
    language = detect_language(text[:2000])
    return builder.build(book_id, BookMetadata(title=title, language=language))


def ingest_txt(path: Path, limits: IngestLimits) -> Book:
    """Read a TXT file in any of the supported encodings and build its Book."""
    data = read_bytes(path, limits)
    text, _encoding = decode_text(data, path)
    if not text.strip():
        raise InputError("文件里没有文字", "file contains no text", path)
    return text_to_book(text, book_id_for(data), fallback_title=path.stem)
