"""The text of ``accessible-reader outline`` (pure): heading tree indented by level, then counts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from accessible_reader.document.model import Book, book_stats

INDENT = "  "


def outline_lines(book: Book, strings: Mapping[str, str]) -> Iterator[str]:
    """Yield the title line, one line per heading (two spaces per level below 1), then the counts.

    The implicit leading section is shown as ``strings["outline.front_matter"]``.
    """
    yield book.metadata.title
    for section in book.sections:
        title = strings["outline.front_matter"] if section.implicit else section.title
        yield f"{INDENT * (section.level - 1)}{title}"
    stats = book_stats(book)
    yield strings["outline.counts"].format(
        sections=stats.sections,
        paragraphs=stats.paragraphs,
        sentences=stats.sentences,
        characters=stats.characters,
        pages=stats.pages,
    )
