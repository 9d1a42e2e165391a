"""In-process adapters of the menu's ports over the layers that exist.

:class:`CatalogLibrary` reads the catalog database (books with text and imported records) and
matches queries by characters, full pinyin and pinyin initials. :class:`LocalServices` keeps
resume positions, bookmarks and ratings in one JSON file in the data directory (written
atomically); the guest has no loans (:class:`NeedLogin`: the menu asks to log in first) and the
actions whose layers are not built here (reader accounts, Braille embossing, device loading, home
delivery) raise :class:`NotAvailable` so the menu says so.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from accessible_reader.atomic import atomic_write_text
from accessible_reader.catalog.models import BookRow, CatalogRecordRow
from accessible_reader.catalog.records import CatalogRecord, record_to_speech_text
from accessible_reader.catalog.store import CatalogStore
from accessible_reader.document.model import Book, BookMetadata
from accessible_reader.errors import NotFoundError, StorageError
from accessible_reader.menu.ports import BookHit, Bookmark, Category, NeedLogin, NotAvailable, Reader

if TYPE_CHECKING:
    from accessible_reader.catalog.search import CatalogSearch

log = logging.getLogger(__name__)

RECORD_PREFIX = "record:"


@dataclass(frozen=True, slots=True)
class _Entry:
    hit: BookHit
    metadata: BookMetadata
    keys: tuple[str, ...]  # lower-case texts a query may match: title, authors, pinyin, initials


def pinyin_keys(text: str) -> tuple[str, str]:
    """Full toneless pinyin and pinyin initials of ``text`` without spaces (``luzhaixianzhi``, ``lzxz``).

    Non-Chinese runs are kept as they are, lower-cased.
    """
    from pypinyin import Style, lazy_pinyin

    full: list[str] = lazy_pinyin(text, style=Style.NORMAL, errors=str.lower)
    initials = [s[0] for s in full if s and s[0].isalnum()]
    return "".join(full).lower().replace(" ", ""), "".join(initials).lower()


class CatalogLibrary:
    """The catalog as the menu sees it; the index is built on first use (see :meth:`refresh`).

    Thread-safe for reads.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._store = CatalogStore(engine)
        self._entries: list[_Entry] | None = None
        self._search: CatalogSearch | Literal[False] | None = None
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Re-read books and records from the database (call after an import)."""
        if self._search:
            self._search.sync()
        entries: list[_Entry] = []
        titles: set[str] = set()
        with Session(self._engine) as session:
            books = session.execute(select(BookRow).order_by(BookRow.created_at.desc())).scalars().all()
            for row in books:
                meta = BookMetadata(
                    title=row.title,
                    authors=tuple(a for a in row.authors.split("、") if a),
                    publisher=row.publisher,
                    year=row.year,
                    isbn=row.isbn,
                    language=row.language,
                    call_number=row.call_number,
                )
                entries.append(self._entry(BookHit(row.id, row.title, row.authors, True), meta))
                titles.add(row.title)
            records = session.execute(select(CatalogRecordRow).order_by(CatalogRecordRow.id.desc())).scalars().all()
            for record in records:
                if record.book_id is None and record.title in titles:
                    continue  # the ingested book already stands for it
                meta = BookMetadata(
                    title=record.title,
                    authors=tuple(a for a in record.authors.split("、") if a),
                    publisher=record.publisher,
                    year=record.year,
                    isbn=record.isbn,
                    language=record.language,
                    call_number=record.call_number,
                    subjects=tuple(s for s in record.subjects.split("；") if s),
                    summary=record.summary,
                )
                hit_id = record.book_id or f"{RECORD_PREFIX}{record.id}"
                entries.append(
                    self._entry(BookHit(hit_id, record.title, record.authors, record.book_id is not None), meta)
                )
        with self._lock:
            self._entries = entries

    @staticmethod
    def _entry(hit: BookHit, meta: BookMetadata) -> _Entry:
        keys = [meta.title.lower(), hit.authors.lower()]
        for text in (meta.title, *meta.authors):
            keys.extend(pinyin_keys(text))
        return _Entry(hit, meta, tuple(k for k in keys if k))

    def _all(self) -> list[_Entry]:
        if self._entries is None:
            self.refresh()
        assert self._entries is not None
        return self._entries

    def search(self, query: str, limit: int = 9) -> list[BookHit]:
        """Title or author matches by characters, full pinyin or pinyin initials.

        Uses the catalog's search index (``catalog/search.py``, FTS5 on SQLite, ranked) when it can be
        used; otherwise a scan of this adapter's own keys (prefix matches first).
        """
        if not query.strip():
            return []
        searcher = self._searcher()
        if searcher is not None:
            return [
                BookHit(h.book_id or f"{RECORD_PREFIX}{h.record_id}", h.title, h.authors, h.book_id is not None)
                for h in searcher.search(query, limit=limit)
            ]
        return self.scan(query, limit)

    def _searcher(self) -> CatalogSearch | None:
        if self._search is None:
            try:
                from accessible_reader.catalog.search import CatalogSearch

                search = CatalogSearch(self._engine)
                search.sync()
            except Exception as error:  # the index is optional: the scan still finds books; logged
                log.warning("catalog search index unavailable (%s: %s); scanning", type(error).__name__, error)
                self._search = False
                return None
            self._search = search
        return self._search or None

    def scan(self, query: str, limit: int = 9) -> list[BookHit]:
        """Search without the index: characters anywhere, pinyin or initials from the start first."""
        wanted = query.lower().replace(" ", "")
        if not wanted:
            return []
        starts: list[BookHit] = []
        inside: list[BookHit] = []
        for entry in self._all():
            if any(k.startswith(wanted) for k in entry.keys):
                starts.append(entry.hit)
            elif any(wanted in k for k in entry.keys):
                inside.append(entry.hit)
        return (starts + inside)[:limit]

    def categories(self) -> list[Category]:
        """CLC classes (first letter of the call number) that have books."""
        counts = Counter(
            e.metadata.call_number[:1].upper() for e in self._all() if e.metadata.call_number[:1].isalpha()
        )
        return [Category(code, count) for code, count in sorted(counts.items())]

    def in_category(self, code: str, limit: int = 9) -> list[BookHit]:
        """Books whose call number starts with ``code``."""
        return [e.hit for e in self._all() if e.metadata.call_number.upper().startswith(code.upper())][:limit]

    def new_books(self, limit: int = 9) -> list[BookHit]:
        """Books with text, newest first, then records."""
        return [e.hit for e in self._all()][:limit]

    def recommended(self, limit: int = 9) -> list[BookHit]:
        """Books readers rated best, then the newest books, ``limit`` at most (no duplicates).

        Rated books come from the service's ``ratings`` rows that name a book (``book_id``; a
        session rating names none), ranked by mean score (1-5) and, on a tie, by how many ratings
        they have; ids that are not in the catalog any more are skipped. The rest of the list is
        :meth:`new_books`, so it is never empty while the catalog has books.
        """
        from accessible_reader.catalog.service_models import RatingRow

        query = (
            select(RatingRow.book_id, func.avg(RatingRow.score), func.count(RatingRow.id))
            .where(RatingRow.book_id.is_not(None))
            .group_by(RatingRow.book_id)
        )
        with Session(self._engine) as session:
            rated = [(str(book), float(mean), int(count)) for book, mean, count in session.execute(query)]
        by_id = {e.hit.id: e.hit for e in self._all()}
        ranked = sorted((r for r in rated if r[0] in by_id), key=lambda r: (-r[1], -r[2]))
        picked: dict[str, BookHit] = {book: by_id[book] for book, _, _ in ranked[:limit]}
        for hit in self.new_books(limit + len(picked)):
            if len(picked) >= limit:
                break
            picked.setdefault(hit.id, hit)
        return list(picked.values())[:limit]

    def book_info(self, book_id: str, lang: str) -> str:
        """The spoken catalog record of the book."""
        for entry in self._all():
            if entry.hit.id == book_id:
                return record_to_speech_text(CatalogRecord(entry.metadata, "csv", "", ""), lang)
        return self._store.get_book(book_id).metadata.title  # raises NotFoundError when absent

    def open_book(self, book_id: str) -> Book:
        """The stored document; NotFoundError for a catalog record without text."""
        if book_id.startswith(RECORD_PREFIX):
            raise NotFoundError("这条书目没有全文", "this catalog record has no text", book_id)
        return self._store.get_book(book_id)


class LocalServices:
    """Positions, bookmarks and ratings in ``state_file`` (JSON, atomic writes). Thread-safe.

    The remaining actions raise NotAvailable until their layers exist.
    """

    def __init__(self, state_file: Path) -> None:
        self.state_file = state_file
        self._path = state_file
        self._lock = threading.Lock()
        self._state = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError) as error:
            raise StorageError(
                f"读不了阅览室状态文件（{error.__class__.__name__}）；可以改名后重试",
                f"cannot read the reading-room state file ({error.__class__.__name__}); rename it and retry",
                self._path,
            ) from None
        for key in ("positions", "bookmarks", "ratings"):
            data.setdefault(key, {} if key == "positions" else [])
        return dict(data)

    def _write(self) -> None:
        atomic_write_text(self._path, json.dumps(self._state, ensure_ascii=False, indent=1))

    def login(self, card: str, pin: str) -> Reader | None:
        """Reader accounts are not built yet."""
        raise NotAvailable("feature.login")

    def position(self, reader: Reader, book_id: str) -> str | None:
        """The saved sentence id, if any."""
        with self._lock:
            value = self._state["positions"].get(f"{reader.id}/{book_id}")
        return str(value) if value else None

    def save_position(self, reader: Reader, book_id: str, sentence_id: str) -> None:
        """Save and write the state file."""
        with self._lock:
            self._state["positions"][f"{reader.id}/{book_id}"] = sentence_id
            self._write()

    def bookmarks(self, reader: Reader, book_id: str | None = None) -> Sequence[Bookmark]:
        """Bookmarks of the reader, oldest first."""
        with self._lock:
            rows = list(self._state["bookmarks"])
        return [
            Bookmark(r["book"], r["sentence"], r["label"])
            for r in rows
            if r["reader"] == reader.id and (book_id is None or r["book"] == book_id)
        ]

    def add_bookmark(self, reader: Reader, bookmark: Bookmark) -> int:
        """Append a bookmark; the count in that book."""
        with self._lock:
            self._state["bookmarks"].append(
                {
                    "reader": reader.id,
                    "book": bookmark.book_id,
                    "sentence": bookmark.sentence_id,
                    "label": bookmark.label,
                }
            )
            self._write()
        return len(self.bookmarks(reader, bookmark.book_id))

    def loans(self, reader: Reader) -> Sequence[BookHit]:
        """Loans belong to a logged-in reader's account: NeedLogin (the menu asks to log in first)."""
        raise NeedLogin("loans")

    def queue_braille(self, reader: Reader, book_id: str, system: str) -> str:
        """The Braille layer is not built yet."""
        raise NotAvailable("feature.braille")

    def job_progress(self, job_id: str) -> int:
        """No jobs without the job queue."""
        raise NotAvailable("feature.braille")

    def load_device(self, reader: Reader, book_id: str) -> str:
        """Device loading is not built yet."""
        raise NotAvailable("feature.device")

    def request_delivery(self, reader: Reader, book_id: str) -> None:
        """Deliveries are not built yet."""
        raise NotAvailable("feature.delivery")

    def rate(self, reader: Reader, stars: int) -> None:
        """Store the rating with the time (UTC)."""
        if not 1 <= stars <= 5:
            raise ValueError(f"rating must be 1-5, not {stars}")
        with self._lock:
            self._state["ratings"].append({"reader": reader.id, "stars": stars, "at": datetime.now(UTC).isoformat()})
            self._write()
