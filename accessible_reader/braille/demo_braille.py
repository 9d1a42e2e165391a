"""The braille part of ``make run``: the sample book as PEF (master), BRF and an HTML preview."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from pathlib import Path

from accessible_reader.braille.convert import book_to_pages, store
from accessible_reader.braille.layout import PROFILES
from accessible_reader.braille.system import DEFAULT_SYSTEM, build_system
from accessible_reader.document.model import Book
from accessible_reader.errors import ReaderError
from accessible_reader.settings import Settings
from accessible_reader.text.readings import ReadingEngine


def sample_braille(
    book: Book, reader: ReadingEngine, settings: Settings, strings: Mapping[str, str]
) -> Generator[str, None, list[Path]]:
    """Write ``<output>/<id>/braille/book.{pef,brf,html}`` in 国家通用盲文 on 40×25 pages; return the paths.

    Yields a "skipped" line instead when the braille cannot be made (e.g. a disk error).
    """
    out = settings.output_dir / book.id / "braille"
    try:
        system = build_system(DEFAULT_SYSTEM, lambda: reader)
        pages = book_to_pages(book, system, PROFILES["default"]).pages
        paths = [out / "book.pef", out / "book.brf", out / "book.html"]
        for path in paths:
            store(pages, path, book=book, language=system.language, labels=settings.language)
    except ReaderError as error:
        yield strings["demo.skipped"].format(error=error.one_line())
        return []
    return paths
