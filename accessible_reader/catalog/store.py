"""The catalog repository: books and catalog records in and out of the database.

All writes of one call happen in one transaction: an import that fails halfway stores
nothing, and nothing already stored is touched.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from accessible_reader.catalog.models import BookRow, CatalogRecordRow
from accessible_reader.catalog.records import CatalogRecord
from accessible_reader.document.model import Book, book_stats
from accessible_reader.document.serialize import book_from_dict, book_to_dict
from accessible_reader.errors import NotFoundError, StorageError


@dataclass(frozen=True, slots=True)
class BookSummary:
    """A stored book as listed: id, title, authors and size."""

    id: str
    title: str
    authors: str
    characters: int


class CatalogStore:
    """Reads and writes books and records through an injected engine. Thread-safe (a session per call)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def save_book(self, book: Book, source_name: str = "") -> str:
        """Store ``book`` (replacing a stored book with the same id) and return its id."""
        meta = book.metadata
        row = BookRow(
            id=book.id,
            title=meta.title,
            authors="、".join(meta.authors),
            publisher=meta.publisher,
            year=meta.year,
            isbn=meta.isbn,
            language=meta.language,
            call_number=meta.call_number,
            source_name=source_name,
            characters=book_stats(book).characters,
            document_json=json.dumps(book_to_dict(book), ensure_ascii=False, separators=(",", ":")),
        )
        try:
            with Session(self._engine) as session, session.begin():
                session.merge(row)
        except SQLAlchemyError as error:
            raise _storage_error(error) from None
        return book.id

    def get_book(self, book_id: str) -> Book:
        """The stored book with ``book_id``; NotFoundError when there is none."""
        with Session(self._engine) as session:
            row = session.get(BookRow, book_id)
            if row is None:
                raise NotFoundError(f"没有编号为 {book_id} 的书", f"no book with id {book_id}", book_id)
            return book_from_dict(json.loads(row.document_json))

    def list_books(self) -> list[BookSummary]:
        """Every stored book, newest first."""
        with Session(self._engine) as session:
            rows = session.execute(
                select(BookRow.id, BookRow.title, BookRow.authors, BookRow.characters).order_by(
                    BookRow.created_at.desc()
                )
            )
            return [BookSummary(*row) for row in rows]

    def import_records(self, records: Sequence[CatalogRecord]) -> ImportResult:
        """Store every record in one transaction.

        A record whose format and control number (001 / id column) are already stored
        updates that row, so importing a library's refreshed export twice does not
        duplicate it; records without a control number are always added.
        """
        added = updated = 0
        try:
            with Session(self._engine) as session, session.begin():
                numbers = {r.control_number for r in records if r.control_number}
                existing: dict[tuple[str, str], CatalogRecordRow] = {}
                for chunk in _chunks(sorted(numbers), 500):
                    for row in session.scalars(
                        select(CatalogRecordRow).where(CatalogRecordRow.control_number.in_(chunk))
                    ):
                        existing[(row.source_format, row.control_number)] = row
                for record in records:
                    key = (record.source_format, record.control_number)
                    found = existing.get(key) if record.control_number else None
                    if found is None:
                        row = CatalogRecordRow(control_number=record.control_number, source_format=record.source_format)
                        session.add(row)
                        if record.control_number:
                            existing[key] = row
                        added += 1
                    else:
                        row = found
                        updated += 1
                    _fill_record_row(row, record)
        except SQLAlchemyError as error:
            raise _storage_error(error) from None
        return ImportResult(added=added, updated=updated)

    def count_records(self) -> int:
        """How many catalog records are stored."""
        with Session(self._engine) as session:
            return session.scalar(select(func.count()).select_from(CatalogRecordRow)) or 0


@dataclass(frozen=True, slots=True)
class ImportResult:
    """How many records an import added and how many it updated."""

    added: int
    updated: int


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _fill_record_row(row: CatalogRecordRow, record: CatalogRecord) -> None:
    meta = record.metadata
    row.title = meta.title
    row.authors = "、".join(meta.authors)
    row.publisher = meta.publisher
    row.year = meta.year
    row.isbn = meta.isbn
    row.language = meta.language
    row.call_number = meta.call_number
    row.subjects = "；".join(meta.subjects)
    row.summary = meta.summary
    row.raw = record.raw


def _storage_error(error: SQLAlchemyError) -> StorageError:
    return StorageError(
        f"写入目录数据库失败，未保存任何内容（{error.__class__.__name__}）",
        f"writing to the catalog database failed; nothing was saved ({error.__class__.__name__})",
    )
