"""Builds a :class:`~accessible_reader.document.model.Book` in reading order and hands out node ids.

Every ingester (TXT, Markdown, HTML, EPUB, DOCX) turns its source into calls on one
:class:`DocumentBuilder`, so ids, sentence splitting and the leading untitled section are
done the same way for every format. Ids are ``h1, h2, ...`` for sections, ``p1, p2, ...``
for blocks and ``s1, s2, ...`` for sentences, numbered in document order: the same input
always yields the same ids.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from accessible_reader.document.model import Block, BlockKind, Book, BookMetadata, Section, Sentence
from accessible_reader.text.sentences import detect_language, split_sentences

_SPACES = re.compile(r"[ \t\r\n\u00a0\u3000]+")


def clean_text(text: str) -> str:
    """Collapse runs of whitespace (including the ideographic space) to one space and strip."""
    return _SPACES.sub(" ", text).strip()


def book_id_for(content: bytes) -> str:
    """A stable book id from the source bytes: ``bk`` + 16 hex digits of SHA-256."""
    return "bk" + hashlib.sha256(content).hexdigest()[:16]


@dataclass
class _OpenSection:
    id: str
    level: int
    title: str
    implicit: bool
    blocks: list[Block] = field(default_factory=list)


class DocumentBuilder:
    """Collects headings and blocks in reading order, then freezes them into a Book.

    Not thread-safe; one builder per document.
    """

    def __init__(self) -> None:
        self._sections: list[_OpenSection] = []
        self._counters = {"h": 0, "p": 0, "s": 0}

    def _next(self, prefix: str) -> str:
        self._counters[prefix] += 1
        return f"{prefix}{self._counters[prefix]}"

    def heading(self, level: int, title: str) -> None:
        """Start a new section. Levels outside 1-6 are clamped; an empty title is ignored."""
        title = clean_text(title)
        if not title:
            return
        level = min(max(level, 1), 6)
        self._sections.append(_OpenSection(self._next("h"), level, title, implicit=False))

    def _current(self) -> _OpenSection:
        if not self._sections:
            self._sections.append(_OpenSection(self._next("h"), 1, "", implicit=True))
        return self._sections[-1]

    def _sentences(self, text: str) -> tuple[Sentence, ...]:
        return tuple(
            Sentence(self._next("s"), sentence, detect_language(sentence))
            for sentence in split_sentences(clean_text(text))
        )

    def paragraph(self, text: str) -> None:
        """Add a paragraph; whitespace-only text is ignored."""
        self._text_block(BlockKind.PARAGRAPH, text)

    def list_item(self, text: str, level: int = 1) -> None:
        """Add a list item at nesting ``level`` (1 = top level)."""
        self._text_block(BlockKind.LIST_ITEM, text, list_level=max(level, 1))

    def _text_block(self, kind: BlockKind, text: str, list_level: int = 0) -> None:
        sentences = self._sentences(text)
        if sentences:
            self._current().blocks.append(Block(self._next("p"), kind, sentences, list_level=list_level))

    def table_row(self, cells: list[str]) -> None:
        """Add one table row; each non-empty cell becomes one sentence."""
        sentences = tuple(
            Sentence(self._next("s"), cell, detect_language(cell)) for cell in map(clean_text, cells) if cell
        )
        if sentences:
            self._current().blocks.append(Block(self._next("p"), BlockKind.TABLE_ROW, sentences))

    def page_break(self, page_number: str) -> None:
        """Mark the start of print page ``page_number`` (as printed: "12", "xii")."""
        page_number = clean_text(page_number)
        if page_number:
            self._current().blocks.append(
                Block(self._next("p"), BlockKind.PAGE_BREAK, page_number=page_number)
            )

    def is_empty(self) -> bool:
        """True when nothing readable has been added yet."""
        return not any(s.blocks or not s.implicit for s in self._sections)

    def build(self, book_id: str, metadata: BookMetadata) -> Book:
        """Freeze everything added so far into a Book with ``metadata``."""
        sections = tuple(
            Section(
                id=s.id,
                level=s.level,
                title=s.title,
                blocks=tuple(s.blocks),
                implicit=s.implicit,
                language=detect_language(s.title + "".join(b.text for b in s.blocks[:3])),
            )
            for s in self._sections
            if s.blocks or not s.implicit
        )
        return Book(id=book_id, metadata=metadata, sections=sections)
