"""The document model every renderer reads: Book > Section > Block > Sentence.

Pure data, no I/O. Nodes are frozen; ingest builds them with :class:`DocumentBuilder`
(see ``builder.py``), which also hands out the ids. Every node id is stable for the same
input (document order, not random) and a valid XML id, because DAISY SMIL, EPUB Media
Overlays, bookmarks and resume positions point at them.

Sections are kept flat in reading order with a heading level, as DAISY's NCC and most
players see them; :func:`outline` builds the tree when one is wanted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    """What a block is in the printed book."""

    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"  # one row of a table; each cell is one sentence
    PAGE_BREAK = "page_break"  # start of a print page; carries the print page number


@dataclass(frozen=True, slots=True)
class Sentence:
    """The smallest unit that is spoken, synchronised and bookmarked.

    ``language`` is a BCP 47 tag (``zh``, ``en``); mixed sentences are tagged by their
    majority script and split into language runs later by the reading layer.
    """

    id: str
    text: str
    language: str


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, list item, table row or print page break.

    ``page_number`` is set only for :attr:`BlockKind.PAGE_BREAK` (the print page number as
    printed, e.g. ``"12"`` or ``"xii"``). ``list_level`` is 1 for a top-level list item.
    """

    id: str
    kind: BlockKind
    sentences: tuple[Sentence, ...] = ()
    page_number: str | None = None
    list_level: int = 0

    @property
    def text(self) -> str:
        """The block's text, sentences joined as they were (table cells with a tab)."""
        sep = "\t" if self.kind is BlockKind.TABLE_ROW else ""
        return sep.join(s.text for s in self.sentences)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading (level 1-6) and the blocks up to the next heading.

    ``implicit`` marks the section that holds text found before the first heading; it has
    no heading of its own (``title`` is empty) and renderers use the book title for it.
    """

    id: str
    level: int
    title: str
    blocks: tuple[Block, ...] = ()
    implicit: bool = False
    language: str = "zh"

    def sentences(self) -> Iterator[Sentence]:
        """Every sentence of the section's blocks in reading order."""
        for block in self.blocks:
            yield from block.sentences


@dataclass(frozen=True, slots=True)
class BookMetadata:
    """Bibliographic data of a book, as a catalog record gives it.

    ``call_number`` is the 中图分类号 (CLC) call number; ``year`` is kept as text because
    records carry forms like ``"2021"`` or ``"[2021]"``.
    """

    title: str
    authors: tuple[str, ...] = ()
    publisher: str = ""
    year: str = ""
    isbn: str = ""
    language: str = "zh"
    call_number: str = ""
    subjects: tuple[str, ...] = ()
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Book:
    """A whole book: metadata and its sections in reading order.

    ``id`` is derived from the source content (see ``builder.book_id_for``), so ingesting
    the same file twice gives the same id.
    """

    id: str
    metadata: BookMetadata
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def blocks(self) -> Iterator[Block]:
        """Every block in reading order."""
        for section in self.sections:
            yield from section.blocks

    def sentences(self) -> Iterator[Sentence]:
        """Every sentence in reading order (headings excluded)."""
        for section in self.sections:
            yield from section.sentences()

    def page_numbers(self) -> list[str]:
        """Print page numbers in reading order."""
        return [b.page_number for b in self.blocks() if b.kind is BlockKind.PAGE_BREAK and b.page_number]


@dataclass(frozen=True, slots=True)
class OutlineNode:
    """One heading in the heading tree built by :func:`outline`."""

    section: Section
    children: tuple[OutlineNode, ...] = ()


def outline(book: Book) -> tuple[OutlineNode, ...]:
    """Build the heading tree from the flat section list.

    A section becomes the child of the nearest earlier section with a lower level; the
    implicit leading section, if any, is a root.
    """

    @dataclass
    class _Open:
        section: Section
        children: list[_Open]

    roots: list[_Open] = []
    stack: list[_Open] = []
    for section in book.sections:
        node = _Open(section, [])
        while stack and stack[-1].section.level >= section.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def freeze(node: _Open) -> OutlineNode:
        return OutlineNode(node.section, tuple(freeze(c) for c in node.children))

    return tuple(freeze(r) for r in roots)


@dataclass(frozen=True, slots=True)
class BookStats:
    """Counts shown by ``accessible-reader outline``."""

    sections: int
    paragraphs: int
    sentences: int
    characters: int
    pages: int


def book_stats(book: Book) -> BookStats:
    """Count sections, text blocks, sentences, characters (of sentences and headings) and print pages."""
    text_blocks = [b for b in book.blocks() if b.kind is not BlockKind.PAGE_BREAK]
    sentences = list(book.sentences())
    characters = sum(len(s.text) for s in sentences) + sum(len(sec.title) for sec in book.sections)
    return BookStats(
        sections=sum(1 for s in book.sections if not s.implicit),
        paragraphs=len(text_blocks),
        sentences=len(sentences),
        characters=characters,
        pages=len(book.page_numbers()),
    )
