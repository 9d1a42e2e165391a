"""The main job of ``make run``: ingest the embedded content and produce what can be produced.

Reads ``content/books/*`` (any supported book format) and ``content/catalog/*`` (MARC,
MARCXML, CSV) into the catalog in the data directory, then writes, for the first sample
book, every output: outline, document JSON, pronunciation proof, section MP3s, DAISY 2.02,
EPUB 3 with Media Overlays, PEF, BRF and an HTML braille preview.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path

from accessible_reader.atomic import atomic_write_text
from accessible_reader.braille.demo_braille import sample_braille
from accessible_reader.catalog.db import make_engine
from accessible_reader.catalog.records import read_records, record_to_braille_text, record_to_speech_text
from accessible_reader.catalog.store import CatalogStore
from accessible_reader.document.ingest import ingest_path, supported_suffixes
from accessible_reader.document.model import Book
from accessible_reader.document.outline_text import outline_lines
from accessible_reader.document.serialize import book_to_dict
from accessible_reader.errors import ReaderError
from accessible_reader.export.demo_export import sample_talking_books
from accessible_reader.settings import Settings
from accessible_reader.text.factory import reading_engine_for
from accessible_reader.text.readings import ReadingEngine


def run_demo(settings: Settings, content: Path, strings: Mapping[str, str]) -> Iterator[str]:
    """Do the job, yielding one line of report at a time. Bad content files are reported and skipped."""
    store = CatalogStore(make_engine(settings))
    yield strings["demo.data_dir"].format(path=settings.data_dir)

    books: list[Book] = []
    suffixes = set(supported_suffixes())
    for path in sorted((content / "books").glob("*")):
        if path.suffix.lower() not in suffixes:
            continue
        try:
            book = ingest_path(path)
        except ReaderError as error:
            yield strings["demo.skipped"].format(error=error.one_line())
            continue
        store.save_book(book, source_name=path.name)
        books.append(book)
        yield strings["demo.book_stored"].format(id=book.id, title=book.metadata.title)

    speech_lines: list[str] = []
    braille_lines: list[str] = []
    for path in sorted((content / "catalog").glob("*")):
        if path.name.startswith(".") or path.suffix.lower() == ".md":
            continue
        try:
            records = read_records(path)
        except ReaderError as error:
            yield strings["demo.skipped"].format(error=error.one_line())
            continue
        result = store.import_records(records)
        yield strings["demo.records_imported"].format(file=path.name, added=result.added, updated=result.updated)
        for record in records:
            speech_lines.append(record_to_speech_text(record))
            braille_lines.extend([*record_to_braille_text(record), ""])

    if not books:
        yield strings["demo.no_books"].format(path=content / "books")
        return
    sample = books[0]
    out = settings.output_dir / sample.id
    atomic_write_text(out / "outline.txt", "\n".join(outline_lines(sample, strings)) + "\n")
    atomic_write_text(out / "document.json", json.dumps(book_to_dict(sample), ensure_ascii=False, indent=1))
    produced = [out / "outline.txt", out / "document.json"]
    reader = reading_engine_for(settings)
    atomic_write_text(out / "reading-proof.txt", reading_proof(sample, reader))
    produced.append(out / "reading-proof.txt")
    produced += yield from sample_audio(sample, reader, settings, strings)
    produced += yield from sample_talking_books(sample, reader, settings, strings)
    produced += yield from sample_braille(sample, reader, settings, strings)
    if speech_lines:
        atomic_write_text(settings.output_dir / "catalog-speech.txt", "\n".join(speech_lines) + "\n")
        atomic_write_text(settings.output_dir / "catalog-braille-ready.txt", "\n".join(braille_lines))
        produced += [settings.output_dir / "catalog-speech.txt", settings.output_dir / "catalog-braille-ready.txt"]
    yield strings["demo.outputs"].format(title=sample.metadata.title)
    for path in produced:
        yield f"  {path}"
    yield strings["demo.next_steps"]


def sample_audio(
    book: Book, reader: ReadingEngine, settings: Settings, strings: Mapping[str, str]
) -> Generator[str, None, list[Path]]:
    """Speak ``book`` (tts/): one MP3 per section in ``<output>/<id>/audio``; returns that folder.

    Yields a "skipped" line instead when no voice or ffmpeg can be used.
    """
    from accessible_reader.tts.book import speech_cache_dir, synthesize_book

    try:
        audio = synthesize_book(
            book, out_dir=settings.output_dir / book.id / "audio", reader=reader, cache_dir=speech_cache_dir(settings)
        )
    except ReaderError as error:
        yield strings["demo.skipped"].format(error=error.one_line())
        return []
    return [audio.sections[0].path.parent] if audio.sections else []


def reading_proof(book: Book, engine: ReadingEngine) -> str:
    """Every sentence with its spoken and Braille readings, for staff to proofread before production."""
    lines: list[str] = []
    for section in book.sections:
        for text in ([section.title] if section.title else []) + [s.text for s in section.sentences()]:
            reading = engine.read(text)
            lines += [text, "  " + reading.spoken_line(), "  " + reading.orthographic_line(), ""]
    return "\n".join(lines)
