"""Book (document model) → braille document (pure apart from the injected system).

:func:`book_to_braille` translates every heading, paragraph, list item and table row with one
:class:`BrailleSystem`, keeps print page breaks, and builds the title page (from the book's catalog
metadata), the running head and the transcriber's notes. :func:`~accessible_reader.braille.layout.paginate`
lays the result out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from accessible_reader.braille.layout import BrailleBlock, BrailleDocument
from accessible_reader.braille.system import BrailleSystem, BrailleWord
from accessible_reader.document.model import BlockKind, Book


def book_to_braille(
    book: Book, system: BrailleSystem, strings: Mapping[str, str], *, producer: str = ""
) -> BrailleDocument:
    """Translate ``book`` with ``system``; ``strings`` are the locale strings for the system's language.

    The title page's volume line (``第1卷 共3卷``) is translated when pagination knows the volume count.
    """
    unknown: list[str] = []

    def words(text: str) -> Sequence[BrailleWord]:
        translation = system.translate(text)
        unknown.extend(translation.unknown)
        return translation.words

    blocks: list[BrailleBlock] = []
    for section in book.sections:
        if not section.implicit and section.title:
            blocks.append(BrailleBlock("heading", words(section.title), level=section.level))
        for block in section.blocks:
            if block.kind is BlockKind.PAGE_BREAK:
                blocks.append(BrailleBlock("page_break", page=block.page_number))
            elif block.kind is BlockKind.LIST_ITEM:
                blocks.append(BrailleBlock("list_item", words(block.text), level=max(block.list_level, 1)))
            elif block.kind is BlockKind.TABLE_ROW:
                blocks.append(BrailleBlock("table_row", words("  ".join(s.text for s in block.sentences))))
            else:
                blocks.append(BrailleBlock("paragraph", words(block.text)))
    meta = book.metadata
    title_lines: list[Sequence[BrailleWord]] = [words(meta.title)]
    if meta.authors:
        title_lines += [(), words("，".join(meta.authors) if system.language == "zh" else ", ".join(meta.authors))]
    if meta.publisher or meta.year:
        title_lines += [(), words(" ".join(part for part in (meta.publisher, meta.year) if part))]
    if meta.isbn:
        title_lines.append(words(strings["braille.title_page.isbn"].format(isbn=meta.isbn)))

    def volume_label(n: int, total: int) -> Sequence[BrailleWord]:
        return system.translate(strings["braille.title_page.volume"].format(n=n, total=total)).words

    notes = [
        words(strings["braille.notes.system"].format(system=system.description)),
        words(strings["braille.notes.pages"]),
    ]
    if producer:
        notes.append(words(strings["braille.notes.producer"].format(library=producer)))
    body_unknown = tuple(dict.fromkeys(unknown))
    if body_unknown:
        notes.append(words(strings["braille.notes.unknown"].format(chars=" ".join(body_unknown))))
    return BrailleDocument(
        blocks=tuple(blocks),
        running_head=words(meta.title),
        title_page=tuple(title_lines),
        notes_heading=words(strings["braille.notes.heading"]),
        notes=tuple(notes),
        volume_label=volume_label,
        unknown=body_unknown,
    )
