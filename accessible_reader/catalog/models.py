"""SQLAlchemy 2.0 typed models of the catalog. Schema changes go through Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every catalog table."""


class BookRow(Base):
    """A book whose text has been ingested; the document model is stored as JSON."""

    __tablename__ = "books"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    authors: Mapped[str] = mapped_column(Text, default="")  # "、"-joined, for display and search
    publisher: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[str] = mapped_column(String(32), default="")
    isbn: Mapped[str] = mapped_column(String(32), default="", index=True)
    language: Mapped[str] = mapped_column(String(16), default="zh")
    call_number: Mapped[str] = mapped_column(String(64), default="")
    source_name: Mapped[str] = mapped_column(Text, default="")
    characters: Mapped[int] = mapped_column(Integer, default=0)
    document_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=_now)


class CatalogRecordRow(Base):
    """One bibliographic record imported from MARC, MARCXML or CSV."""

    __tablename__ = "catalog_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    control_number: Mapped[str] = mapped_column(String(64), default="", index=True)
    source_format: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    authors: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[str] = mapped_column(String(32), default="")
    isbn: Mapped[str] = mapped_column(String(32), default="", index=True)
    language: Mapped[str] = mapped_column(String(16), default="zh")
    call_number: Mapped[str] = mapped_column(String(64), default="")
    subjects: Mapped[str] = mapped_column(Text, default="")  # "；"-joined
    summary: Mapped[str] = mapped_column(Text, default="")
    raw: Mapped[str] = mapped_column(Text, default="")
    book_id: Mapped[str | None] = mapped_column(ForeignKey("books.id", ondelete="SET NULL"), nullable=True)
    imported_at: Mapped[datetime] = mapped_column(default=_now)
