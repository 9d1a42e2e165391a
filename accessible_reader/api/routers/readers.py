"""Desk work: readers, deliveries, device loans; the audit log and the annual statistics."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from accessible_reader.api.deps import AdminDep, DeskDep, RowId, ServicesDep, StaffDep, StaffPrincipal, audit
from accessible_reader.api.schemas import (
    AuditOut,
    DeliveryAdvance,
    DeliveryIn,
    DeliveryOut,
    LoanIn,
    LoanOut,
    Preferences,
    ReaderIn,
    ReaderOut,
    Stats,
    StatusChange,
)
from accessible_reader.api.services import Services
from accessible_reader.api.stats import monthly_stats
from accessible_reader.catalog.service_models import (
    AuditLogRow,
    DeliveryRow,
    DeliveryStatus,
    DeviceLoanRow,
    ReaderRow,
)

router = APIRouter(prefix="/api", tags=["desk"])
_NEXT = {
    DeliveryStatus.REQUESTED: DeliveryStatus.PREPARED,
    DeliveryStatus.PREPARED: DeliveryStatus.DISPATCHED,
    DeliveryStatus.DISPATCHED: DeliveryStatus.RETURNED,
}


def reader_out(row: ReaderRow) -> ReaderOut:
    """The API view of a reader (no PIN hash)."""
    return ReaderOut(
        id=row.id,
        card_number=row.card_number,
        name=row.name,
        contact=row.contact,
        preferences=Preferences.model_validate(json.loads(row.preferences_json or "{}")),
        delivery_address=row.delivery_address,
    )


def delivery_out(row: DeliveryRow) -> DeliveryOut:
    """The API view of a delivery with its history."""
    return DeliveryOut(
        id=row.id,
        reader_id=row.reader_id,
        items=json.loads(row.items_json),
        medium=row.medium,
        status=DeliveryStatus(row.status),
        history=[StatusChange.model_validate(h) for h in json.loads(row.history_json)],
        created_at=row.created_at,
    )


def loan_out(row: DeviceLoanRow) -> LoanOut:
    """The API view of a device loan."""
    return LoanOut(
        id=row.id,
        reader_id=row.reader_id,
        device=row.device,
        serial=row.serial,
        loaned_at=row.loaned_at,
        due_at=row.due_at,
        returned_at=row.returned_at,
    )


def _not_found(what: tuple[str, str], number: int) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"没有编号为 {number} 的{what[0]} / no {what[1]} {number}")


@router.post("/readers", status_code=201, responses={409: {}})
def add_reader(body: ReaderIn, staff: DeskDep, services: ServicesDep) -> ReaderOut:
    """Register a reader with card number and PIN (the PIN is stored as an argon2 hash)."""
    row = create_reader(services, body)
    audit(services, staff, "reader_add", str(row.id), body.card_number)
    return reader_out(row)


def create_reader(services: Services, body: ReaderIn) -> ReaderRow:
    """Store a new reader; 409 when the card number is taken."""
    row = ReaderRow(
        card_number=body.card_number,
        name=body.name,
        contact=body.contact,
        pin_hash=services.passwords.hash(body.pin),
        preferences_json=body.preferences.model_dump_json(),
        delivery_address=body.delivery_address,
    )
    try:
        with Session(services.engine, expire_on_commit=False) as session, session.begin():
            session.add(row)
    except IntegrityError:
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail="读者证号已登记 / card number already registered"
        ) from None
    return row


@router.get("/readers")
def list_readers(
    staff: DeskDep, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[ReaderOut]:
    """Registered readers (desk staff)."""
    with Session(services.engine) as session:
        return [reader_out(r) for r in session.scalars(select(ReaderRow).order_by(ReaderRow.id).limit(limit))]


@router.get("/readers/{reader_id}", responses={404: {}})
def get_reader(reader_id: RowId, staff: DeskDep, services: ServicesDep) -> ReaderOut:
    """One reader (desk staff)."""
    with Session(services.engine) as session:
        row = session.get(ReaderRow, reader_id)
        if row is None:
            raise _not_found(("读者", "reader"), reader_id)
        return reader_out(row)


@router.post("/deliveries", status_code=201, responses={404: {}})
def add_delivery(body: DeliveryIn, staff: DeskDep, services: ServicesDep) -> DeliveryOut:
    """Record a delivery request (status ``requested``)."""
    row = create_delivery(services, body, staff)
    audit(services, staff, "delivery_add", str(row.id), f"reader={body.reader_id} {body.medium}")
    return delivery_out(row)


def create_delivery(services: Services, body: DeliveryIn, staff: StaffPrincipal | None) -> DeliveryRow:
    """Store a delivery for an existing reader; 404 when the reader does not exist."""
    history = [
        {"status": DeliveryStatus.REQUESTED, "at": datetime.now(UTC).isoformat(), "staff_id": staff and staff.id}
    ]
    with Session(services.engine, expire_on_commit=False) as session, session.begin():
        if session.get(ReaderRow, body.reader_id) is None:
            raise _not_found(("读者", "reader"), body.reader_id)
        row = DeliveryRow(
            reader_id=body.reader_id,
            items_json=json.dumps(body.items, ensure_ascii=False),
            medium=body.medium,
            status=DeliveryStatus.REQUESTED,
            history_json=json.dumps(history),
        )
        session.add(row)
    return row


@router.get("/deliveries")
def list_deliveries(
    staff: DeskDep, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[DeliveryOut]:
    """Deliveries, newest first."""
    with Session(services.engine) as session:
        rows = session.scalars(select(DeliveryRow).order_by(DeliveryRow.id.desc()).limit(limit))
        return [delivery_out(r) for r in rows]


@router.post("/deliveries/{delivery_id}/status", responses={404: {}, 409: {}})
def advance_delivery(delivery_id: RowId, body: DeliveryAdvance, staff: DeskDep, services: ServicesDep) -> DeliveryOut:
    """Move a delivery to its next status (requested -> prepared -> dispatched -> returned); 409 out of order."""
    row = set_delivery_status(services, delivery_id, body.status, staff)
    audit(services, staff, "delivery_status", str(delivery_id), body.status)
    return delivery_out(row)


def set_delivery_status(
    services: Services, delivery_id: int, new: DeliveryStatus, staff: StaffPrincipal | None
) -> DeliveryRow:
    """Advance a delivery by one step, appending to its history."""
    with Session(services.engine, expire_on_commit=False) as session, session.begin():
        row = session.get(DeliveryRow, delivery_id)
        if row is None:
            raise _not_found(("配送", "delivery"), delivery_id)
        if _NEXT.get(DeliveryStatus(row.status)) != new:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                detail=f"配送状态不能从 {row.status} 改为 {new} / a delivery cannot go from {row.status} to {new}",
            )
        history = json.loads(row.history_json)
        history.append({"status": new, "at": datetime.now(UTC).isoformat(), "staff_id": staff and staff.id})
        row.status, row.history_json = new, json.dumps(history)
    return row


@router.post("/loans", status_code=201, responses={404: {}})
def add_loan(body: LoanIn, staff: DeskDep, services: ServicesDep) -> LoanOut:
    """Lend a device to a reader."""
    with Session(services.engine, expire_on_commit=False) as session, session.begin():
        if session.get(ReaderRow, body.reader_id) is None:
            raise _not_found(("读者", "reader"), body.reader_id)
        row = DeviceLoanRow(reader_id=body.reader_id, device=body.device, serial=body.serial, due_at=body.due_at)
        session.add(row)
    audit(services, staff, "loan_add", str(row.id), f"reader={body.reader_id} {body.device}")
    return loan_out(row)


@router.get("/loans")
def list_loans(
    staff: DeskDep, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[LoanOut]:
    """Device loans, newest first."""
    with Session(services.engine) as session:
        return [
            loan_out(r) for r in session.scalars(select(DeviceLoanRow).order_by(DeviceLoanRow.id.desc()).limit(limit))
        ]


@router.post("/loans/{loan_id}/return", responses={404: {}, 409: {}})
def return_loan(loan_id: RowId, staff: DeskDep, services: ServicesDep) -> LoanOut:
    """Record that a lent device came back."""
    with Session(services.engine, expire_on_commit=False) as session, session.begin():
        row = session.get(DeviceLoanRow, loan_id)
        if row is None:
            raise _not_found(("借用", "loan"), loan_id)
        if row.returned_at is not None:
            raise HTTPException(status.HTTP_409_CONFLICT, detail="设备已归还 / the device was already returned")
        row.returned_at = datetime.now(UTC)
    audit(services, staff, "loan_return", str(loan_id))
    return loan_out(row)


@router.get("/audit")
def audit_log(
    staff: AdminDep, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[AuditOut]:
    """The newest audit log lines (admin)."""
    with Session(services.engine) as session:
        rows = session.scalars(select(AuditLogRow).order_by(AuditLogRow.id.desc()).limit(limit))
        return [
            AuditOut(id=r.id, at=r.at, staff_id=r.staff_id, action=r.action, target=r.target, detail=r.detail)
            for r in rows
        ]


@router.get("/stats")
def stats(staff: StaffDep, services: ServicesDep, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> Stats:
    """Figures per month for the annual report: readers served, audio hours, Braille pages, deliveries, satisfaction."""
    return Stats(months=monthly_stats(services.engine, year or datetime.now(UTC).year))
