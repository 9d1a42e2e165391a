"""The menu's Services port over the service's own tables (``catalog/service_models.py``).

A reader logs in with the card number and PIN staff registered (``readers``, argon2id PIN hash);
a logged-in reader's resume positions, bookmarks, ratings and home-delivery requests go to the
shared database, where the staff web UI sees them. The guest's state stays in the local state file
(:class:`~accessible_reader.menu.adapters.LocalServices`). Braille printing submits a ``brf`` job to
the service's job queue (its workers run it); "my loans" lists the books of the reader's deliveries
not yet returned. Thread-safe: a session per call.
"""

from __future__ import annotations

import json
import tempfile
import threading
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from accessible_reader.catalog.models import BookRow, CatalogRecordRow
from accessible_reader.catalog.service_models import (
    ArtifactRow,
    BookmarkRow,
    DeliveryRow,
    DeliveryStatus,
    JobRow,
    PositionRow,
    RatingRow,
    ReaderRow,
)
from accessible_reader.errors import DeviceError, EngineUnavailable, ReaderError, StorageError
from accessible_reader.menu.adapters import RECORD_PREFIX, LocalServices
from accessible_reader.menu.ports import BookHit, Bookmark, NotAvailable, Reader
from accessible_reader.settings import Settings

if TYPE_CHECKING:
    from accessible_reader.jobs.queue import JobQueue

BRAILLE_JOB = "brf"
TALKING_BOOK_JOB = "mp3_folder"
DELIVERY_MEDIUM = "usb"
"""What a reader asking at the menu gets by default; staff change it in the web UI."""


class PinChecker:
    """Verifies a PIN against its stored hash (the service's argon2id ``Passwords``)."""

    def verify(self, hashed: str, pin: str) -> bool:
        """Whether ``pin`` matches; never raises."""
        from accessible_reader.api.security import Passwords

        return Passwords().verify(hashed, pin)


class ServiceBackedServices:
    """Reader accounts and per-reader state in the database; the guest's in ``guest`` (a local file)."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        guest: LocalServices,
        *,
        pins: PinChecker | None = None,
        jobs: JobQueue | None = None,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._guest = guest
        self._pins = pins or PinChecker()
        self._jobs = jobs
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def _reader_id(self, reader: Reader) -> int | None:
        with self._lock:
            return self._ids.get(reader.id)

    def login(self, card: str, pin: str) -> Reader | None:
        """The reader with this card number when the PIN matches its hash, else None."""
        with Session(self._engine) as session:
            row = session.scalars(select(ReaderRow).where(ReaderRow.card_number == card)).first()
            if row is None or not self._pins.verify(row.pin_hash, pin):
                return None
            with self._lock:
                self._ids[card] = row.id
            return Reader(card, row.name)

    def position(self, reader: Reader, book_id: str) -> str | None:
        """Where the reader stopped in the book."""
        reader_id = self._reader_id(reader)
        if reader_id is None:
            return self._guest.position(reader, book_id)
        with Session(self._engine) as session:
            return session.scalars(
                select(PositionRow.location).where(PositionRow.reader_id == reader_id, PositionRow.book_id == book_id)
            ).first()

    def save_position(self, reader: Reader, book_id: str, sentence_id: str) -> None:
        """Insert or update the reader's position in the book."""
        reader_id = self._reader_id(reader)
        if reader_id is None:
            self._guest.save_position(reader, book_id, sentence_id)
            return
        with self._write() as session:
            row = session.scalars(
                select(PositionRow).where(PositionRow.reader_id == reader_id, PositionRow.book_id == book_id)
            ).first()
            if row is None:
                session.add(PositionRow(reader_id=reader_id, book_id=book_id, location=sentence_id))
            else:
                row.location = sentence_id
                row.updated_at = datetime.now(UTC)

    def bookmarks(self, reader: Reader, book_id: str | None = None) -> Sequence[Bookmark]:
        """The reader's bookmarks, oldest first."""
        reader_id = self._reader_id(reader)
        if reader_id is None:
            return self._guest.bookmarks(reader, book_id)
        query = select(BookmarkRow).where(BookmarkRow.reader_id == reader_id)
        if book_id is not None:
            query = query.where(BookmarkRow.book_id == book_id)
        with Session(self._engine) as session:
            rows = session.scalars(query.order_by(BookmarkRow.id)).all()
            return [Bookmark(r.book_id, r.location, r.label) for r in rows]

    def add_bookmark(self, reader: Reader, bookmark: Bookmark) -> int:
        """Store a bookmark; how many the reader has in that book."""
        reader_id = self._reader_id(reader)
        if reader_id is None:
            return self._guest.add_bookmark(reader, bookmark)
        with self._write() as session:
            session.add(
                BookmarkRow(
                    reader_id=reader_id, book_id=bookmark.book_id, location=bookmark.sentence_id, label=bookmark.label
                )
            )
        with Session(self._engine) as session:
            count = session.scalar(
                select(func.count())
                .select_from(BookmarkRow)
                .where(BookmarkRow.reader_id == reader_id, BookmarkRow.book_id == bookmark.book_id)
            )
        return int(count or 0)

    def loans(self, reader: Reader) -> Sequence[BookHit]:
        """The books of this reader's deliveries that are not ``returned`` yet, newest delivery first.

        Only rows of the logged-in reader are read (never another reader's). A book in several
        deliveries is listed once, at its newest; an item that is no longer in the catalog is skipped.
        Device loans (``device_loans``) name a device, not a book, so they are not listed here. The
        guest gets NeedLogin (the menu asks to log in first).
        """
        reader_id = self._reader_id(reader)
        if reader_id is None:
            return self._guest.loans(reader)
        with Session(self._engine) as session:
            rows = session.scalars(
                select(DeliveryRow)
                .where(DeliveryRow.reader_id == reader_id, DeliveryRow.status != DeliveryStatus.RETURNED)
                .order_by(DeliveryRow.created_at.desc(), DeliveryRow.id.desc())
            ).all()
            wanted: list[str] = []
            for row in rows:
                for item in _delivery_items(row.items_json):
                    if item not in wanted:
                        wanted.append(item)
            hits = {hit.id: hit for hit in _book_hits(session, wanted)}
        return [hits[book_id] for book_id in wanted if book_id in hits]

    def queue_braille(self, reader: Reader, book_id: str, system: str) -> str:
        """Submit a ``brf`` job (the embosser's Braille ASCII) for the book to the service's job queue.

        The service's workers run it and staff emboss the result; NotAvailable when the queue has no
        usable ``brf`` kind (the Braille layer is missing).
        """
        jobs = self._job_queue()
        kind = jobs.kinds.get(BRAILLE_JOB)
        if kind is None:
            raise NotAvailable("feature.braille")
        try:
            kind.resolve()
        except ReaderError:
            raise NotAvailable("feature.braille") from None
        return jobs.submit(book_id, BRAILLE_JOB, {"braille_system": system}).id

    def job_progress(self, job_id: str) -> int:
        """Percent done (0-100); a failed job raises its error so the menu speaks it."""
        info = self._job_queue().get(job_id)
        if info.status == "failed":
            raise EngineUnavailable(
                f"盲文制作失败：{info.error}；请告诉工作人员",
                f"making the Braille failed: {info.error}; tell the staff",
            )
        return 100 if info.status == "done" else min(99, round(info.progress * 100))

    def _job_queue(self) -> JobQueue:
        with self._lock:
            if self._jobs is None:
                from accessible_reader.jobs.artifacts import ArtifactStore
                from accessible_reader.jobs.queue import JobQueue
                from accessible_reader.jobs.registry import default_registry

                artifacts = ArtifactStore(self._engine, self._settings.data_dir / "artifacts")
                self._jobs = JobQueue(self._engine, self._settings, default_registry(), artifacts)
            return self._jobs

    def load_device(self, reader: Reader, book_id: str) -> str:
        """Copy the book's newest MP3-folder export onto the first device under the mount roots.

        Returns the device's folder name. DeviceError (spoken to the reader) when the book has no
        export yet (an ``mp3_folder`` job is queued for it) or no device is plugged in.
        """
        from accessible_reader.export.devices import load_folder

        with Session(self._engine) as session:
            row = session.scalars(
                select(ArtifactRow)
                .where(ArtifactRow.book_id == book_id, ArtifactRow.kind == TALKING_BOOK_JOB)
                .order_by(ArtifactRow.created_at.desc())
            ).first()
            title = session.scalar(select(BookRow.title).where(BookRow.id == book_id)) or book_id
        if row is None:
            self._queue_talking_book(book_id)
            raise DeviceError(
                "这本书的有声文件还没有做好，已经开始制作，请过一会儿再试",
                "this book's talking-book files are not ready; they are being made, try again later",
                book_id,
            )
        roots = list(self._settings.device_mount_roots)
        devices = find_devices(roots)
        if not devices:
            raise DeviceError(
                "没有找到听书机或U盘，请插好后再试", "no listening device or USB disk found; plug it in and try again"
            )
        from accessible_reader.jobs.artifacts import ArtifactStore

        archive = ArtifactStore(self._engine, self._settings.data_dir / "artifacts").path_of(row)
        profile = str(json.loads(row.settings_json or "{}").get("profile", "generic"))
        with tempfile.TemporaryDirectory(prefix="menu-device-") as temp:
            source = _unpack(archive, Path(temp))
            load_folder(source, devices[0], roots=roots, title=title, profile=profile)
        return devices[0].name

    def _queue_talking_book(self, book_id: str) -> None:
        """Queue an ``mp3_folder`` job for the book unless one is already waiting or running."""
        with Session(self._engine) as session:
            pending = session.scalar(
                select(func.count())
                .select_from(JobRow)
                .where(
                    JobRow.book_id == book_id,
                    JobRow.kind == TALKING_BOOK_JOB,
                    JobRow.status.in_(("queued", "running")),
                )
            )
        if not pending:
            self._job_queue().submit(book_id, TALKING_BOOK_JOB)

    def request_delivery(self, reader: Reader, book_id: str) -> None:
        """A ``requested`` delivery of the book for staff to prepare."""
        reader_id = self._reader_id(reader)
        if reader_id is None:
            self._guest.request_delivery(reader, book_id)
            return
        now = datetime.now(UTC)
        with self._write() as session:
            session.add(
                DeliveryRow(
                    reader_id=reader_id,
                    items_json=json.dumps([book_id]),
                    medium=DELIVERY_MEDIUM,
                    status=DeliveryStatus.REQUESTED,
                    history_json=json.dumps([{"status": "requested", "at": now.isoformat(), "staff_id": None}]),
                )
            )

    def rate(self, reader: Reader, stars: int) -> None:
        """A 1-5 rating of the session."""
        reader_id = self._reader_id(reader)
        if reader_id is None:
            self._guest.rate(reader, stars)
            return
        with self._write() as session:
            session.add(RatingRow(reader_id=reader_id, score=stars, comment="menu"))

    def _write(self) -> _Transaction:
        return _Transaction(self._engine)


class _Transaction:
    """``with`` a session in a transaction; database errors become StorageError."""

    def __init__(self, engine: Engine) -> None:
        self._session = Session(engine)

    def __enter__(self) -> Session:
        self._session.begin()
        return self._session

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _tb: object) -> None:
        try:
            if kind is None:
                self._session.commit()
            else:
                self._session.rollback()
        except SQLAlchemyError as failure:
            raise StorageError(
                f"保存阅读记录失败（{failure.__class__.__name__}）", f"saving failed ({failure.__class__.__name__})"
            ) from None
        finally:
            self._session.close()
        if isinstance(error, SQLAlchemyError):
            raise StorageError(
                f"保存阅读记录失败（{error.__class__.__name__}）", f"saving failed ({error.__class__.__name__})"
            ) from None


def _delivery_items(items_json: str) -> list[str]:
    """The book ids of a delivery's ``items_json`` (a list of ids); nothing for malformed text."""
    try:
        items = json.loads(items_json or "[]")
    except ValueError:
        return []
    return [str(item) for item in items if isinstance(item, str | int)] if isinstance(items, list) else []


def _book_hits(session: Session, book_ids: Sequence[str]) -> list[BookHit]:
    """BookHits of stored books and of ``record:N`` catalog records among ``book_ids`` (found ones only)."""
    plain = [b for b in book_ids if not b.startswith(RECORD_PREFIX)]
    numbers = [b.removeprefix(RECORD_PREFIX) for b in book_ids if b.startswith(RECORD_PREFIX)]
    records = [int(n) for n in numbers if n.isdigit()]
    hits = [
        BookHit(r.id, r.title, r.authors, True) for r in session.scalars(select(BookRow).where(BookRow.id.in_(plain)))
    ]
    hits.extend(
        BookHit(f"{RECORD_PREFIX}{r.id}", r.title, r.authors, False)
        for r in session.scalars(select(CatalogRecordRow).where(CatalogRecordRow.id.in_(records)))
    )
    return hits


def find_devices(roots: Sequence[Path]) -> list[Path]:
    """Writable folders mounted under the roots: ``/media/USB``, ``/run/media/<user>/USB`` (sorted)."""
    import os

    found: list[Path] = []
    for root in roots:
        try:
            children = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        except OSError:
            continue
        for child in children:
            if os.path.ismount(child) or any(True for _ in _files_in(child)):
                found.append(child)
            else:  # /run/media/<user>/<label>, /media/<user>/<label>
                found.extend(sorted(p for p in child.iterdir() if p.is_dir() and not p.name.startswith(".")))
    return [p for p in found if os.access(p, os.W_OK)]


def _files_in(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []


def _unpack(archive: Path, into: Path) -> Path:
    """Unzip an MP3-folder artifact (one top folder) safely; the folder to load."""
    with zipfile.ZipFile(archive) as zipped:
        for name in zipped.namelist():
            target = (into / name).resolve()
            if not target.is_relative_to(into.resolve()):
                raise DeviceError("有声书文件包有误", "the talking-book archive is malformed", archive)
        zipped.extractall(into)
    tops = [p for p in into.iterdir() if p.is_dir()]
    return tops[0] if len(tops) == 1 else into
