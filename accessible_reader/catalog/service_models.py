"""SQLAlchemy 2.0 typed models of the service: artifacts, jobs, readers, deliveries, staff, audit.

They share :class:`~accessible_reader.catalog.models.Base` with the catalog tables; the
schema is created by Alembic migration 0002 (``catalog/migrations/versions``). Times are
stored as UTC. JSON-shaped columns hold text written with ``json.dumps`` so the schema
stays the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accessible_reader.catalog.models import Base


def utcnow() -> datetime:
    """The current time in UTC (naive in SQLite, as SQLAlchemy stores it)."""
    return datetime.now(UTC)


class ArtifactKind(StrEnum):
    """What an artifact file is."""

    AUDIO = "audio"
    PEF = "pef"
    BRF = "brf"
    DAISY = "daisy"
    EPUB = "epub"
    MP3_FOLDER = "mp3_folder"
    PACKAGE = "package"
    DOCUMENT = "document"


class JobStatus(StrEnum):
    """Where a job is in its life: queued -> running -> done | failed | cancelled."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class StaffRole(StrEnum):
    """Staff roles: admin (everything), transcriber (books, lexicon, jobs), desk (readers, deliveries, loans)."""

    ADMIN = "admin"
    TRANSCRIBER = "transcriber"
    DESK = "desk"


class DeliveryStatus(StrEnum):
    """A delivery moves requested -> prepared -> dispatched -> returned."""

    REQUESTED = "requested"
    PREPARED = "prepared"
    DISPATCHED = "dispatched"
    RETURNED = "returned"


class ArtifactRow(Base):
    """A produced file (audio, Braille, talking book, package) stored under the data dir."""

    __tablename__ = "artifacts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    book_id: Mapped[str] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(Text)  # the name offered on download
    path: Mapped[str] = mapped_column(Text)  # relative to <data_dir>/artifacts
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)  # bytes
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 hex
    settings_json: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobRow(Base):
    """A conversion job in the database-backed queue."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    book_id: Mapped[str] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED, index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0.0-1.0
    eta_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    options_json: Mapped[str] = mapped_column(Text, default="{}")
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ReaderRow(Base):
    """A registered reader: library card (county-wide 一卡通), contact and preferences."""

    __tablename__ = "readers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_number: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(Text, default="")
    pin_hash: Mapped[str] = mapped_column(Text)
    preferences_json: Mapped[str] = mapped_column(Text, default="{}")  # braille system, voice, speed, formats
    delivery_address: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PositionRow(Base):
    """Where a reader stopped in a book (a sentence id of the document model)."""

    __tablename__ = "positions"
    __table_args__ = (UniqueConstraint("reader_id", "book_id", name="uq_positions_reader_book"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"), index=True)
    book_id: Mapped[str] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"))
    location: Mapped[str] = mapped_column(String(128))
    offset_ms: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BookmarkRow(Base):
    """A named place in a book a reader wants to come back to."""

    __tablename__ = "bookmarks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"), index=True)
    book_id: Mapped[str] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"))
    location: Mapped[str] = mapped_column(String(128))
    label: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeliveryRow(Base):
    """Books sent to a reader's home on a medium (USB stick, SD card, CD, Braille paper)."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"), index=True)
    items_json: Mapped[str] = mapped_column(Text, default="[]")  # book ids
    medium: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.REQUESTED)
    history_json: Mapped[str] = mapped_column(Text, default="[]")  # [{"status", "at", "staff_id"}]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeviceLoanRow(Base):
    """A listening device (DAISY player, MP3 player) lent to a reader."""

    __tablename__ = "device_loans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"), index=True)
    device: Mapped[str] = mapped_column(Text)
    serial: Mapped[str] = mapped_column(String(64), default="")
    loaned_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(nullable=True)
    returned_at: Mapped[datetime | None] = mapped_column(nullable=True)


class StaffUserRow(Base):
    """A member of staff who logs in to the web UI or the API."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditLogRow(Base):
    """One staff action (every write through the API or the web UI)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    staff_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class RatingRow(Base):
    """A reader's satisfaction (1-5) after a session or a book."""

    __tablename__ = "ratings"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="ck_ratings_score"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"), index=True)
    book_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchEntryRow(Base):
    """The search keys of one catalog record or book (see :mod:`accessible_reader.catalog.search`).

    On SQLite the FTS5 table ``search_fts`` indexes ``ngrams``, ``extra``, ``pinyin``, ``initials`` and
    ``formats`` of these rows (kept in step by triggers created in migration 0002).
    """

    __tablename__ = "search_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_records.id", ondelete="CASCADE"), nullable=True, unique=True
    )
    book_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    title: Mapped[str] = mapped_column(Text)
    authors: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[str] = mapped_column(String(32), default="")
    ngrams: Mapped[str] = mapped_column(Text, default="")  # title and authors
    extra: Mapped[str] = mapped_column(Text, default="")  # subjects, summary, publisher, ISBN
    pinyin: Mapped[str] = mapped_column(Text, default="")
    initials: Mapped[str] = mapped_column(Text, default="")
    formats: Mapped[str] = mapped_column(Text, default="")
