"""A reader's own data: positions, bookmarks, loans, deliveries, ratings. Always the reader of the token."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from accessible_reader.api.deps import ReaderDep, RowId, ServicesDep
from accessible_reader.api.routers.readers import delivery_out, loan_out, reader_out
from accessible_reader.api.schemas import (
    BookmarkIn,
    BookmarkOut,
    DeliveryOut,
    LoanOut,
    PositionIn,
    PositionOut,
    RatingIn,
    RatingOut,
    ReaderOut,
)
from accessible_reader.catalog.models import BookRow
from accessible_reader.catalog.service_models import (
    BookmarkRow,
    DeliveryRow,
    DeviceLoanRow,
    PositionRow,
    RatingRow,
    ReaderRow,
)

router = APIRouter(prefix="/api/me", tags=["reader"])


def _book_exists(session: Session, book_id: str) -> None:
    if session.get(BookRow, book_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"没有编号为 {book_id} 的书 / no book {book_id}")


@router.get("")
def me(reader: ReaderDep, services: ServicesDep) -> ReaderOut:
    """The logged-in reader."""
    with Session(services.engine) as session:
        row = session.get(ReaderRow, reader.id)
        assert row is not None
        return reader_out(row)


@router.get("/positions")
def positions(reader: ReaderDep, services: ServicesDep) -> list[PositionOut]:
    """Where this reader stopped in each book."""
    with Session(services.engine) as session:
        rows = session.scalars(select(PositionRow).where(PositionRow.reader_id == reader.id))
        return [
            PositionOut(book_id=r.book_id, location=r.location, offset_ms=r.offset_ms, updated_at=r.updated_at)
            for r in rows
        ]


@router.put("/positions", responses={404: {}})
def save_position(body: PositionIn, reader: ReaderDep, services: ServicesDep) -> PositionOut:
    """Remember where this reader stopped in a book (one position per book)."""
    with Session(services.engine, expire_on_commit=False) as session, session.begin():
        _book_exists(session, body.book_id)
        row = session.scalar(
            select(PositionRow).where(PositionRow.reader_id == reader.id, PositionRow.book_id == body.book_id)
        )
        if row is None:
            row = PositionRow(reader_id=reader.id, book_id=body.book_id, location=body.location)
            session.add(row)
        row.location, row.offset_ms, row.updated_at = body.location, body.offset_ms, datetime.now(UTC)
    return PositionOut(book_id=row.book_id, location=row.location, offset_ms=row.offset_ms, updated_at=row.updated_at)


@router.get("/bookmarks")
def bookmarks(reader: ReaderDep, services: ServicesDep) -> list[BookmarkOut]:
    """This reader's bookmarks."""
    with Session(services.engine) as session:
        rows = session.scalars(select(BookmarkRow).where(BookmarkRow.reader_id == reader.id).order_by(BookmarkRow.id))
        return [_bookmark_out(r) for r in rows]


def _bookmark_out(row: BookmarkRow) -> BookmarkOut:
    return BookmarkOut(
        id=row.id, book_id=row.book_id, location=row.location, label=row.label, created_at=row.created_at
    )


@router.post("/bookmarks", status_code=201, responses={404: {}})
def add_bookmark(body: BookmarkIn, reader: ReaderDep, services: ServicesDep) -> BookmarkOut:
    """Add a bookmark."""
    with Session(services.engine, expire_on_commit=False) as session, session.begin():
        _book_exists(session, body.book_id)
        row = BookmarkRow(reader_id=reader.id, book_id=body.book_id, location=body.location, label=body.label)
        session.add(row)
    return _bookmark_out(row)


@router.delete("/bookmarks/{bookmark_id}", responses={404: {}})
def delete_bookmark(bookmark_id: RowId, reader: ReaderDep, services: ServicesDep) -> BookmarkOut:
    """Delete one of this reader's bookmarks (another reader's answers 404, as if it did not exist)."""
    with Session(services.engine, expire_on_commit=False) as session, session.begin():
        row = session.get(BookmarkRow, bookmark_id)
        if row is None or row.reader_id != reader.id:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail="没有这个书签 / no such bookmark")
        session.delete(row)
    return _bookmark_out(row)


@router.get("/loans")
def loans(reader: ReaderDep, services: ServicesDep) -> list[LoanOut]:
    """Devices lent to this reader."""
    with Session(services.engine) as session:
        return [loan_out(r) for r in session.scalars(select(DeviceLoanRow).where(DeviceLoanRow.reader_id == reader.id))]


@router.get("/deliveries")
def deliveries(reader: ReaderDep, services: ServicesDep) -> list[DeliveryOut]:
    """Deliveries to this reader with their status history."""
    with Session(services.engine) as session:
        return [delivery_out(r) for r in session.scalars(select(DeliveryRow).where(DeliveryRow.reader_id == reader.id))]


@router.post("/ratings", status_code=201)
def rate(body: RatingIn, reader: ReaderDep, services: ServicesDep) -> RatingOut:
    """Rate a session or a book, 1-5."""
    with Session(services.engine, expire_on_commit=False) as session, session.begin():
        row = RatingRow(reader_id=reader.id, book_id=body.book_id, score=body.score, comment=body.comment)
        session.add(row)
    return RatingOut(id=row.id, score=row.score, book_id=row.book_id, comment=row.comment, created_at=row.created_at)
