"""Logging in: staff (user name + password, OAuth2 password form) and readers (card number + PIN)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from accessible_reader.api.deps import (
    SESSION_COOKIE,
    AdminDep,
    ServicesDep,
    StaffDep,
    audit,
    client_key,
)
from accessible_reader.api.schemas import ReaderLogin, StaffIn, StaffOut, Token
from accessible_reader.api.services import Services
from accessible_reader.catalog.service_models import ReaderRow, StaffRole, StaffUserRow

router = APIRouter(prefix="/api", tags=["auth"])

_TOO_MANY = "登录失败次数过多，请稍后再试 / too many failed logins; try again later"
_BAD_LOGIN = "用户名或密码不对 / wrong user name or password"
_BAD_CARD = "读者证号或密码不对 / wrong card number or PIN"


def staff_login(services: Services, request: Request, username: str, password: str) -> StaffUserRow:
    """Check a staff login (rate-limited); the user row, or HTTPException 401 / 429."""
    key = client_key(request, username)
    if services.login_limiter.blocked(key):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, detail=_TOO_MANY)
    with Session(services.engine, expire_on_commit=False) as session:
        row = session.scalar(select(StaffUserRow).where(StaffUserRow.username == username))
    if row is None or not row.active or not services.passwords.verify(row.password_hash, password):
        services.login_limiter.failed(key)
        audit(services, None, "login_failed", username)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=_BAD_LOGIN, headers={"WWW-Authenticate": "Bearer"})
    services.login_limiter.succeeded(key)
    audit(services, None, "login", username, f"staff_id={row.id}")
    return row


def set_session(response: Response, services: Services, token: str) -> None:
    """Set the HttpOnly, SameSite=Strict session cookie the web UI uses."""
    response.set_cookie(
        SESSION_COOKIE, token, max_age=services.settings.session_ttl_s, httponly=True, samesite="strict"
    )


@router.post("/auth/token", responses={401: {}, 429: {}})
def login(
    request: Request,
    response: Response,
    services: ServicesDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Token:
    """Staff login (OAuth2 password flow): a bearer token, also set as the session cookie."""
    row = staff_login(services, request, form.username, form.password)
    ttl = services.settings.session_ttl_s
    token = services.signer.sign(f"staff:{row.id}", ttl)
    set_session(response, services, token)
    return Token(access_token=token, expires_in=ttl)


@router.post("/auth/logout")
def logout(response: Response) -> Token:
    """Forget the session cookie (bearer tokens simply expire)."""
    response.delete_cookie(SESSION_COOKIE)
    return Token(access_token="", expires_in=0)


@router.get("/auth/me")
def me(staff: StaffDep, services: ServicesDep) -> StaffOut:
    """The logged-in member of staff."""
    with Session(services.engine) as session:
        row = session.get(StaffUserRow, staff.id)
        assert row is not None
        return StaffOut.model_validate(row)


@router.get("/staff")
def list_staff(staff: AdminDep, services: ServicesDep) -> list[StaffOut]:
    """Every member of staff (admin)."""
    with Session(services.engine) as session:
        return [StaffOut.model_validate(r) for r in session.scalars(select(StaffUserRow).order_by(StaffUserRow.id))]


@router.post("/staff", status_code=201, responses={409: {}})
def add_staff(body: StaffIn, staff: AdminDep, services: ServicesDep) -> StaffOut:
    """Add a member of staff (admin)."""
    row = create_staff(services, body.username, body.password, body.role, body.display_name)
    audit(services, staff, "staff_add", body.username, body.role)
    return StaffOut.model_validate(row)


def create_staff(
    services: Services, username: str, password: str, role: StaffRole, display_name: str = ""
) -> StaffUserRow:
    """Store a member of staff with an argon2 hash of ``password``; 409 when the name is taken."""
    with Session(services.engine, expire_on_commit=False) as session, session.begin():
        if session.scalar(select(StaffUserRow.id).where(StaffUserRow.username == username)) is not None:
            raise HTTPException(status.HTTP_409_CONFLICT, detail="用户名已存在 / user name taken")
        row = StaffUserRow(
            username=username,
            display_name=display_name,
            password_hash=services.passwords.hash(password),
            role=role,
            active=True,
        )
        session.add(row)
    return row


@router.post("/reader/login", responses={401: {}, 429: {}})
def reader_login(body: ReaderLogin, request: Request, response: Response, services: ServicesDep) -> Token:
    """Reader login with library card number and PIN (rate-limited like staff logins)."""
    key = client_key(request, "card:" + body.card_number)
    if services.login_limiter.blocked(key):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, detail=_TOO_MANY)
    with Session(services.engine) as session:
        row = session.scalar(select(ReaderRow).where(ReaderRow.card_number == body.card_number))
        reader = (row.id, row.pin_hash) if row else None
    if reader is None or not services.passwords.verify(reader[1], body.pin):
        services.login_limiter.failed(key)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=_BAD_CARD, headers={"WWW-Authenticate": "Bearer"})
    services.login_limiter.succeeded(key)
    ttl = services.settings.session_ttl_s
    token = services.signer.sign(f"reader:{reader[0]}", ttl)
    set_session(response, services, token)
    return Token(access_token=token, expires_in=ttl)
