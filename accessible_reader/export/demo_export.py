"""The talking books ``make run`` makes of the sample book: DAISY 2.02 and EPUB 3 with Media Overlays."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from accessible_reader.errors import ReaderError

if TYPE_CHECKING:
    from accessible_reader.document.model import Book
    from accessible_reader.settings import Settings
    from accessible_reader.text.readings import ReadingEngine


def sample_talking_books(
    book: Book, reader: ReadingEngine, settings: Settings, strings: Mapping[str, str]
) -> Generator[str, None, list[Path]]:
    """Write ``<output>/<id>/daisy202/`` and ``<output>/<id>/<id>.epub``; return their paths.

    The audio comes from the speech layer's cache (the demo has just synthesized the book, so nothing is
    spoken twice). Yields a "skipped" line instead when speech or the export fails.
    """
    from accessible_reader.export.daisy202 import book_to_daisy202, write_daisy202
    from accessible_reader.export.epub3 import book_to_epub3, write_epub3
    from accessible_reader.tts.book import speech_cache_dir, synthesize_book

    out = settings.output_dir / book.id
    try:
        audio = synthesize_book(book, out_dir=out / "audio", reader=reader, cache_dir=speech_cache_dir(settings))
        daisy = write_daisy202(book_to_daisy202(book, audio), out / "daisy202")
        epub = write_epub3(book_to_epub3(book, audio), out / f"{book.id}.epub")
    except ReaderError as error:
        yield strings["demo.skipped"].format(error=error.one_line())
        return []
    return [daisy, epub]
