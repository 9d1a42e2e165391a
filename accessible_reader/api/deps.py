"""Request dependencies: the injected services, the logged-in member of staff or reader, roles, audit.

Staff and readers authenticate with a bearer token (``Authorization: Bearer ...``) or the
``session`` cookie the login sets (HttpOnly, SameSite=Strict). The token's payload names
who it is for (``staff:<id>`` or ``reader:<id>``), so a reader's token never opens a staff
route and a reader's routes always use the id from the token, never one from the request.

CSRF: a write (any method but GET/HEAD/OPTIONS) authenticated by the cookie alone must carry the
session's CSRF token in the ``X-CSRF-Token`` header (403 otherwise); bearer-token requests need
none, since a browser never adds an ``Authorization`` header on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi import Path as PathParam
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from accessible_reader.api.services import Services
from accessible_reader.catalog.service_models import AuditLogRow, ReaderRow, StaffRole, StaffUserRow
from accessible_reader.locale import load_strings

SESSION_COOKIE = "session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
"""The hidden form field of the web UI carrying the session's CSRF token."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_bearer = HTTPBearer(auto_error=False)


def get_services(request: Request) -> Services:
    """The app's :class:`Services` (set by ``create_app``)."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
RowId = Annotated[int, PathParam(ge=1, le=2**31 - 1, description="a row number")]
"""An integer id in a URL path, bounded so no database can overflow on it."""


@dataclass(frozen=True, slots=True)
class StaffPrincipal:
    """The member of staff making the request."""

    id: int
    username: str
    role: StaffRole


@dataclass(frozen=True, slots=True)
class ReaderPrincipal:
    """The reader making the request."""

    id: int
    card_number: str


def _token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> tuple[str | None, bool]:
    """(the session token, whether it came from the cookie)."""
    if credentials is not None and credentials.scheme.lower() == "bearer":
        return credentials.credentials, False
    return request.cookies.get(SESSION_COOKIE), True


def check_cookie_csrf(request: Request, services: Services, token: str | None, from_cookie: bool) -> None:
    """403 when a cookie-authenticated write lacks the session's CSRF token in ``X-CSRF-Token``."""
    if not from_cookie or request.method in SAFE_METHODS:
        return
    if not services.signer.check_csrf(token, request.headers.get(CSRF_HEADER)):
        detail = f"{load_strings('zh')['web.csrf.api_refused']} / {load_strings('en')['web.csrf.api_refused']}"
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=detail)


def _unauthorized() -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        detail="请先登录 / please log in",
        headers={"WWW-Authenticate": "Bearer"},
    )


def staff_from_token(services: Services, token: str | None) -> StaffPrincipal | None:
    """The active member of staff a session token belongs to, or None."""
    payload = services.signer.unsign(token) if token else None
    if not payload or not payload.startswith("staff:"):
        return None
    try:
        staff_id = int(payload.removeprefix("staff:"))
    except ValueError:
        return None
    with Session(services.engine) as session:
        row = session.get(StaffUserRow, staff_id)
        if row is None or not row.active:
            return None
        return StaffPrincipal(id=row.id, username=row.username, role=StaffRole(row.role))


def current_staff(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> StaffPrincipal:
    """The logged-in member of staff; 401 otherwise (403 for a cookie write without its CSRF token)."""
    token, from_cookie = _token(request, credentials)
    staff = staff_from_token(services, token)
    if staff is None:
        raise _unauthorized()
    check_cookie_csrf(request, services, token, from_cookie)
    return staff


StaffDep = Annotated[StaffPrincipal, Depends(current_staff)]


def require_role(*roles: StaffRole) -> Callable[[StaffPrincipal], StaffPrincipal]:
    """A dependency letting through staff with one of ``roles`` (admins always); 403 otherwise."""
    allowed = {StaffRole.ADMIN, *roles}

    def check(staff: StaffDep) -> StaffPrincipal:
        if staff.role not in allowed:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"需要以下角色之一：{', '.join(sorted(allowed))} / needs one of the roles: "
                f"{', '.join(sorted(allowed))}",
            )
        return staff

    return check


AdminDep = Annotated[StaffPrincipal, Depends(require_role(StaffRole.ADMIN))]
TranscriberDep = Annotated[StaffPrincipal, Depends(require_role(StaffRole.TRANSCRIBER))]
DeskDep = Annotated[StaffPrincipal, Depends(require_role(StaffRole.DESK))]


def current_reader(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ReaderPrincipal:
    """The logged-in reader (card number + PIN); 401 otherwise (403 for a cookie write without its CSRF token)."""
    token, from_cookie = _token(request, credentials)
    payload = services.signer.unsign(token) if token else None
    if not payload or not payload.startswith("reader:"):
        raise _unauthorized()
    try:
        reader_id = int(payload.removeprefix("reader:"))
    except ValueError:
        raise _unauthorized() from None
    with Session(services.engine) as session:
        row = session.get(ReaderRow, reader_id)
        if row is None:
            raise _unauthorized()
        reader = ReaderPrincipal(id=row.id, card_number=row.card_number)
    check_cookie_csrf(request, services, token, from_cookie)
    return reader


ReaderDep = Annotated[ReaderPrincipal, Depends(current_reader)]


def audit(services: Services, staff: StaffPrincipal | None, action: str, target: str = "", detail: str = "") -> None:
    """Write one line to the audit log (every staff write calls this)."""
    with Session(services.engine) as session, session.begin():
        session.add(
            AuditLogRow(staff_id=staff.id if staff else None, action=action, target=target[:500], detail=detail[:2000])
        )


def client_key(request: Request, name: str) -> str:
    """The rate-limit key of a login attempt: the name tried and the client's address."""
    host = request.client.host if request.client else "?"
    return f"{name.strip().lower()}@{host}"
