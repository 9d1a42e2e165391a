"""Catalog: search, books, uploads of books and records, proofreading and the staff lexicon."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from accessible_reader.api.deps import ServicesDep, StaffDep, TranscriberDep, audit
from accessible_reader.api.schemas import (
    ArtifactOut,
    BookOut,
    FormatName,
    Hit,
    ImportOut,
    LexiconEntryIn,
    SearchResult,
    SentenceReading,
)
from accessible_reader.api.services import Services
from accessible_reader.api.uploads import BOOK_SUFFIXES, CATALOG_SUFFIXES, save_upload
from accessible_reader.catalog.models import CatalogRecordRow
from accessible_reader.catalog.service_models import ArtifactRow

router = APIRouter(prefix="/api", tags=["catalog"])


@router.get("/search")
def search(
    services: ServicesDep,
    q: Annotated[str, Query(max_length=200, description="characters, pinyin (luotuo xiangzi) or initials (ltxz)")] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    formats: Annotated[list[FormatName] | None, Query(description="only books with all these formats")] = None,
) -> SearchResult:
    """Search the catalog by title, author, summary, subjects, pinyin or pinyin initials."""
    hits = services.search.search(q, limit=limit, formats=formats or (), offset=offset)
    return SearchResult(
        query=q,
        hits=[
            Hit(
                record_id=h.record_id,
                book_id=h.book_id,
                title=h.title,
                authors=h.authors,
                year=h.year,
                formats=list(h.formats),
            )
            for h in hits
        ],
    )


@router.get("/books")
def books(services: ServicesDep) -> list[BookOut]:
    """Every stored book, newest first."""
    return [
        BookOut(id=b.id, title=b.title, authors=b.authors, characters=b.characters) for b in services.store.list_books()
    ]


@router.post("/books", status_code=201, responses={400: {}, 413: {}, 415: {}})
async def upload_book(
    file: Annotated[UploadFile, File(description="TXT, Markdown, HTML, EPUB or DOCX")],
    staff: TranscriberDep,
    services: ServicesDep,
) -> BookOut:
    """Upload a book file: it is stored under a generated name, ingested and added to the catalog."""
    path = await save_upload(file, Path(services.uploads_dir), BOOK_SUFFIXES, services.settings.upload_max_bytes)
    return ingest_upload(services, path, file.filename or path.name, staff)


def ingest_upload(services: Services, path: Path, original_name: str, staff: object) -> BookOut:
    """Ingest a stored upload, save the book, index it for search, audit the action."""
    from accessible_reader.api.deps import StaffPrincipal
    from accessible_reader.document.ingest import ingest_path
    from accessible_reader.document.model import book_stats

    book = ingest_path(path)
    display_name = original_name.replace("\\", "/").rsplit("/", 1)[-1][:200]
    if book.metadata.title == path.stem:  # a title taken from the generated file name: use the uploaded name
        title = Path(display_name).stem.strip() or book.id
        book = dataclasses.replace(book, metadata=dataclasses.replace(book.metadata, title=title))
    services.store.save_book(book, source_name=display_name)
    services.search.sync()
    audit(services, staff if isinstance(staff, StaffPrincipal) else None, "book_upload", book.id, display_name)
    authors = "、".join(book.metadata.authors)
    return BookOut(id=book.id, title=book.metadata.title, authors=authors, characters=book_stats(book).characters)


@router.post("/catalog/import", status_code=201, responses={400: {}, 413: {}, 415: {}})
async def import_records(
    file: Annotated[UploadFile, File(description="MARC 21 / CNMARC (ISO 2709 or MARCXML) or CSV")],
    staff: TranscriberDep,
    services: ServicesDep,
) -> ImportOut:
    """Import catalog records; all or nothing. Updated records are re-indexed for search."""
    from accessible_reader.catalog.records import read_records

    path = await save_upload(file, Path(services.uploads_dir), CATALOG_SUFFIXES, services.settings.upload_max_bytes)
    records = read_records(path)
    result = services.store.import_records(records)
    numbers = [r.control_number for r in records if r.control_number]
    with Session(services.engine) as session:
        ids = [
            i
            for start in range(0, len(numbers), 500)
            for i in session.scalars(
                select(CatalogRecordRow.id).where(CatalogRecordRow.control_number.in_(numbers[start : start + 500]))
            )
        ]
    services.search.reindex_records(ids)
    audit(services, staff, "catalog_import", file.filename or "", f"added={result.added} updated={result.updated}")
    return ImportOut(added=result.added, updated=result.updated)


@router.get("/books/{book_id}/readings", responses={404: {}})
def readings(
    book_id: str,
    staff: StaffDep,
    services: ServicesDep,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[SentenceReading]:
    """The reading layer's output per sentence (spoken pinyin, word division), for proofreading."""
    return book_readings(services, book_id, offset, limit)


def book_readings(services: Services, book_id: str, offset: int, limit: int) -> list[SentenceReading]:
    """Sentences ``offset``..``offset+limit`` of a stored book with their readings."""
    book = services.store.get_book(book_id)
    out: list[SentenceReading] = []
    for index, sentence in enumerate(book.sentences()):
        if index < offset:
            continue
        if len(out) >= limit:
            break
        reading = services.reading.read(sentence.text)
        out.append(
            SentenceReading(
                id=sentence.id, text=sentence.text, spoken=reading.spoken_line(), words=reading.words_line()
            )
        )
    return out


@router.post("/lexicon", status_code=201, responses={400: {}})
def add_lexicon_entry(body: LexiconEntryIn, staff: TranscriberDep, services: ServicesDep) -> LexiconEntryIn:
    """Add or replace a word's pronunciation in the staff lexicon (written atomically, reloaded at once)."""
    entry = save_lexicon_entry(services, body.word, body.pinyin, body.note)
    audit(services, staff, "lexicon_edit", entry.word, entry.pinyin)
    return entry


def save_lexicon_entry(services: Services, word: str, pinyin: str, note: str) -> LexiconEntryIn:
    """Validate one entry like a lexicon line, replace or append it, write the file atomically."""
    from accessible_reader.atomic import atomic_write_text
    from accessible_reader.text.lexicon import parse_lexicon

    clean = [" ".join(v.replace("\t", " ").split()) for v in (word, pinyin, note)]
    line = "\t".join(clean if clean[2] else clean[:2])
    (entry,) = parse_lexicon(line, "lexicon")  # InputError (400) when invalid
    path = services.settings.lexicon_path
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = [raw for raw in old.splitlines() if raw.split("\t", 1)[0].strip().lstrip("\ufeff") != entry.word]
    text = "\n".join([*kept, line]) + "\n"
    parse_lexicon(text, str(path))  # the whole file must stay valid
    atomic_write_text(path, text)
    if "reading" in services.__dict__:  # the reading engine was built: reload its lexicon
        if services.reading.lexicon.path is None:
            del services.__dict__["reading"]  # it had no file to reload: build it again on next use
        else:
            services.reading.reload_lexicon()
    return LexiconEntryIn(word=entry.word, pinyin=" ".join(entry.syllables), note=entry.note)


@router.get("/books/{book_id}/artifacts")
def book_artifacts(book_id: str, staff: StaffDep, services: ServicesDep) -> list[ArtifactOut]:
    """The files produced for a book, newest first."""
    with Session(services.engine) as session:
        rows = session.scalars(
            select(ArtifactRow).where(ArtifactRow.book_id == book_id).order_by(ArtifactRow.created_at.desc())
        )
        return [artifact_out(r) for r in rows]


def artifact_out(row: ArtifactRow) -> ArtifactOut:
    """The API view of an artifact row."""
    return ArtifactOut(
        id=row.id,
        book_id=row.book_id,
        job_id=row.job_id,
        kind=row.kind,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        checksum=row.checksum,
        created_at=row.created_at,
    )
