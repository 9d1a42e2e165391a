"""The staff web UI: server-rendered Jinja2 pages over the same services as the API.

Pages: login, catalog (search, stored books, upload), book (proofreading, lexicon, Braille
preview, conversions, files), jobs (live progress over SSE), readers, deliveries, device
loans, statistics (SVG charts with a data table). Every form write checks the session's CSRF
token (hidden ``csrf_token`` field, HMAC of the session cookie; 403 page otherwise), then the role
like the API does, and is audited. Pages follow WCAG 2.2 AA: ``lang``, skip link, landmarks, labelled
controls, visible focus; the browser tests run axe-core on each page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import datetime
from html import escape
from importlib.resources import files
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from accessible_reader.api.deps import (
    CSRF_FIELD,
    SESSION_COOKIE,
    StaffPrincipal,
    audit,
    get_services,
    staff_from_token,
)
from accessible_reader.api.schemas import DeliveryIn, MonthStats, ReaderIn
from accessible_reader.api.services import Services
from accessible_reader.catalog.service_models import (
    ArtifactRow,
    DeliveryRow,
    DeliveryStatus,
    DeviceLoanRow,
    ReaderRow,
    StaffRole,
)
from accessible_reader.errors import ReaderError
from accessible_reader.locale import load_strings

router = APIRouter(include_in_schema=False)
_PAGE = 30
_NEXT_STATUS = {
    "requested": DeliveryStatus.PREPARED,
    "prepared": DeliveryStatus.DISPATCHED,
    "dispatched": DeliveryStatus.RETURNED,
}
MEDIA = ("usb", "sd_card", "cd", "daisy_player", "braille_paper", "download")
FORMATS = ("audio", "daisy", "epub", "mp3_folder", "brf", "pef", "package", "document")
CsrfField = Annotated[str, Form(alias=CSRF_FIELD)]
"""The hidden CSRF field of a form; defaults to "" so a missing one is refused with the 403 page, not a 422."""


def templates_for(request: Request) -> Jinja2Templates:
    """The app's template set (built once per app)."""
    app = request.app
    found: Jinja2Templates | None = getattr(app.state, "templates", None)
    if found is None:
        found = Jinja2Templates(directory=str(files("accessible_reader.api") / "templates"))
        app.state.templates = found
    return found


def _lang(services: Services) -> tuple[str, str]:
    """(strings key, html lang) for the configured language."""
    return ("en", "en") if services.settings.language == "en" else ("zh", "zh-CN")


def render(
    request: Request, template: str, staff: StaffPrincipal | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render ``template`` with the strings, the html lang, the signed-in member of staff and their CSRF token."""
    services = get_services(request)
    key, html_lang = _lang(services)
    session = request.cookies.get(SESSION_COOKIE)
    csrf_token = services.signer.csrf_token(session) if staff is not None and session else ""
    return templates_for(request).TemplateResponse(
        request,
        template,
        {
            "t": load_strings(key),
            "html_lang": html_lang,
            "staff": staff,
            "path": request.url.path,
            "csrf_field": CSRF_FIELD,
            "csrf_token": csrf_token,
            **context,
        },
        status_code=status_code,
    )


def _staff(request: Request) -> StaffPrincipal | None:
    return staff_from_token(get_services(request), request.cookies.get(SESSION_COOKIE))


def _login_redirect() -> RedirectResponse:
    return RedirectResponse("/login", status_code=303)


def _csrf_refused(request: Request, staff: StaffPrincipal) -> HTMLResponse:
    """The 403 page for a form whose CSRF token is missing or not this session's (nothing was changed)."""
    message = load_strings(_lang(get_services(request))[0])["web.csrf.refused"]
    return render(request, "error.html", staff, status_code=403, message=message, back="/")


def _writer(request: Request, csrf_token: str, role: StaffRole | None = None) -> StaffPrincipal | Response:
    """The member of staff allowed to submit this form, or the response refusing it.

    Order: no session -> login redirect; wrong or missing CSRF token -> 403 page; ``role`` given
    and not held (admins hold every role) -> 403 page. Call it before changing anything.
    """
    staff = _staff(request)
    if staff is None:
        return _login_redirect()
    if not get_services(request).signer.check_csrf(request.cookies.get(SESSION_COOKIE), csrf_token):
        return _csrf_refused(request, staff)
    if role is not None and not _allowed(staff, role):
        return _forbidden(request, staff)
    return staff


def _allowed(staff: StaffPrincipal, role: StaffRole) -> bool:
    return staff.role in (StaffRole.ADMIN, role)


def _forbidden(request: Request, staff: StaffPrincipal) -> HTMLResponse:
    message = f"你的角色（{staff.role}）不能做这件事 / your role ({staff.role}) may not do this"
    return render(request, "error.html", staff, status_code=403, message=message)


def _error_text(error: Exception) -> str:
    if isinstance(error, ReaderError):
        return error.one_line()
    if isinstance(error, HTTPException):
        return str(error.detail)
    if isinstance(error, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return str(error)


# -- login -----------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    """The staff login form."""
    return render(request, "login.html", None)


@router.post("/login", response_model=None)
def login_submit(
    request: Request, username: Annotated[str, Form(max_length=64)], password: Annotated[str, Form(max_length=200)]
) -> Response:
    """Check the login (rate-limited, audited) and set the session cookie."""
    from accessible_reader.api.routers.auth import set_session, staff_login

    services = get_services(request)
    try:
        row = staff_login(services, request, username, password)
    except HTTPException as error:
        return render(request, "login.html", None, status_code=error.status_code, error=str(error.detail))
    response = RedirectResponse("/catalog", status_code=303)
    set_session(response, services, services.signer.sign(f"staff:{row.id}", services.settings.session_ttl_s))
    return response


@router.post("/logout", response_model=None)
def logout(request: Request, csrf_token: CsrfField = "") -> Response:
    """Forget the session cookie (a signed-in session must send its CSRF token)."""
    staff = _writer(request, csrf_token)
    if isinstance(staff, HTMLResponse):  # a session without its token: the 403 page (no session: log out anyway)
        return staff
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", response_model=None)
def home(request: Request) -> Response:
    """The start page is the catalog."""
    return RedirectResponse("/catalog" if _staff(request) else "/login", status_code=303)


# -- catalog and books -------------------------------------------------------------------


@router.get("/catalog", response_model=None)
def catalog_page(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    format: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Search form, results and the stored books."""
    staff = _staff(request)
    if staff is None:
        return _login_redirect()
    services = get_services(request)
    hits = services.search.search(q, limit=50, formats=[format] if format else ()) if q or format else None
    return render(
        request,
        "catalog.html",
        staff,
        q=q,
        format=format,
        formats=FORMATS,
        hits=hits,
        books=services.store.list_books()[:100],
    )


@router.post("/catalog/upload", response_model=None)
async def catalog_upload(request: Request, file: Annotated[UploadFile, File()], csrf_token: CsrfField = "") -> Response:
    """Upload a book file from the catalog page."""
    from pathlib import Path

    from accessible_reader.api.routers.catalog import ingest_upload
    from accessible_reader.api.uploads import BOOK_SUFFIXES, save_upload

    staff = _writer(request, csrf_token, StaffRole.TRANSCRIBER)
    if not isinstance(staff, StaffPrincipal):
        return staff
    services = get_services(request)
    try:
        path = await save_upload(file, Path(services.uploads_dir), BOOK_SUFFIXES, services.settings.upload_max_bytes)
        book = ingest_upload(services, path, file.filename or path.name, staff)
    except (ReaderError, HTTPException) as error:
        return render(request, "error.html", staff, status_code=400, message=_error_text(error))
    return RedirectResponse(f"/books/{book.id}", status_code=303)


def _braille_preview(services: Services, text: str) -> str | None:
    """Unicode Braille of ``text`` (国家通用盲文, 40 cells a line), or None when the Braille layer cannot run."""
    try:
        from accessible_reader.braille.convert import text_to_lines
        from accessible_reader.braille.system import BrailleSystem, build_system
    except ImportError:
        return None
    try:
        found = services._extras.get("braille")
        system: BrailleSystem = found if found is not None else build_system("gf2018", lambda: services.reading)  # type: ignore[assignment]
        services._extras["braille"] = system
        return "\n".join(text_to_lines(text, system))
    except ReaderError:
        return None


@router.get("/books/{book_id}", response_model=None)
def book_page(
    request: Request, book_id: str, start: Annotated[int, Query(ge=0, le=10**7)] = 0, saved: str = ""
) -> Response:
    """Proofreading (reading layer per sentence), lexicon form, Braille preview, conversions and files."""
    from accessible_reader.api.routers.catalog import book_readings

    staff = _staff(request)
    if staff is None:
        return _login_redirect()
    services = get_services(request)
    try:
        book = services.store.get_book(book_id)
    except ReaderError as error:
        return render(request, "error.html", staff, status_code=404, message=_error_text(error))
    sentences = book_readings(services, book_id, start, _PAGE)
    total = sum(1 for _ in book.sentences())
    with Session(services.engine) as session:
        artifacts = session.scalars(
            select(ArtifactRow).where(ArtifactRow.book_id == book_id).order_by(ArtifactRow.created_at.desc())
        ).all()
    preview = _braille_preview(services, "\n".join(s.text for s in sentences[:5]))
    return render(
        request,
        "book.html",
        staff,
        book=book,
        sentences=sentences,
        start=start,
        total=total,
        page=_PAGE,
        artifacts=artifacts,
        kinds=list(services.jobs.kinds),
        braille=preview,
        saved=saved,
    )


@router.post("/books/{book_id}/lexicon", response_model=None)
def book_lexicon(
    request: Request,
    book_id: str,
    *,
    word: Annotated[str, Form(max_length=32)],
    pinyin: Annotated[str, Form(max_length=200)],
    note: Annotated[str, Form(max_length=200)] = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Save a pronunciation to the staff lexicon (atomically) and show the book again."""
    from urllib.parse import quote

    from accessible_reader.api.routers.catalog import save_lexicon_entry

    staff = _writer(request, csrf_token, StaffRole.TRANSCRIBER)
    if not isinstance(staff, StaffPrincipal):
        return staff
    services = get_services(request)
    try:
        entry = save_lexicon_entry(services, word, pinyin, note)
    except ReaderError as error:
        return render(request, "error.html", staff, status_code=400, message=_error_text(error))
    audit(services, staff, "lexicon_edit", entry.word, entry.pinyin)
    return RedirectResponse(f"/books/{book_id}?saved={quote(entry.word + ' ' + entry.pinyin)}", status_code=303)


@router.post("/books/{book_id}/jobs", response_model=None)
def book_job(
    request: Request, book_id: str, kind: Annotated[str, Form(max_length=32)], csrf_token: CsrfField = ""
) -> Response:
    """Queue a conversion of the book."""
    staff = _writer(request, csrf_token, StaffRole.TRANSCRIBER)
    if not isinstance(staff, StaffPrincipal):
        return staff
    services = get_services(request)
    try:
        info = services.jobs.submit(book_id, kind, {}, staff.id)
    except ReaderError as error:
        return render(request, "error.html", staff, status_code=400, message=_error_text(error))
    audit(services, staff, "job_submit", info.id, f"{kind} {book_id}")
    return RedirectResponse("/jobs", status_code=303)


@router.get("/artifacts/{artifact_id}", response_model=None)
def artifact_download(request: Request, artifact_id: str) -> Response:
    """Download an artifact from the web UI (session cookie)."""
    from accessible_reader.api.routers.artifacts import serve_artifact

    staff = _staff(request)
    if staff is None:
        return _login_redirect()
    try:
        return serve_artifact(get_services(request), artifact_id, request)
    except ReaderError as error:
        return render(request, "error.html", staff, status_code=404, message=_error_text(error))


# -- jobs ------------------------------------------------------------------------------


@router.get("/jobs", response_model=None)
def jobs_page(request: Request) -> Response:
    """The job queue with live progress."""
    staff = _staff(request)
    if staff is None:
        return _login_redirect()
    services = get_services(request)
    titles = {b.id: b.title for b in services.store.list_books()}
    return render(request, "jobs.html", staff, jobs=services.jobs.list(100), titles=titles)


@router.post("/jobs/{job_id}/{action}", response_model=None)
def job_action(request: Request, job_id: str, action: str, csrf_token: CsrfField = "") -> Response:
    """Cancel or retry a job."""
    staff = _writer(request, csrf_token, StaffRole.TRANSCRIBER)
    if not isinstance(staff, StaffPrincipal):
        return staff
    services = get_services(request)
    if action not in ("cancel", "retry"):
        return render(request, "error.html", staff, status_code=404, message=action)
    try:
        services.jobs.cancel(job_id) if action == "cancel" else services.jobs.retry(job_id)
    except ReaderError as error:
        return render(request, "error.html", staff, status_code=400, message=_error_text(error))
    audit(services, staff, f"job_{action}", job_id)
    return RedirectResponse("/jobs", status_code=303)


# -- readers, deliveries, loans ------------------------------------------------------------


def _desk(request: Request) -> StaffPrincipal | Response:
    staff = _staff(request)
    if staff is None:
        return _login_redirect()
    if not _allowed(staff, StaffRole.DESK):
        return _forbidden(request, staff)
    return staff


@router.get("/readers", response_model=None)
def readers_page(request: Request, error: str = "") -> Response:
    """Registered readers and the form to register one."""
    staff = _desk(request)
    if not isinstance(staff, StaffPrincipal):
        return staff
    with Session(get_services(request).engine) as session:
        readers = session.scalars(select(ReaderRow).order_by(ReaderRow.id)).all()
    return render(request, "readers.html", staff, readers=readers, error=error)


@router.post("/readers", response_model=None)
def readers_add(
    request: Request,
    *,
    card_number: Annotated[str, Form(max_length=64)],
    name: Annotated[str, Form(max_length=200)],
    pin: Annotated[str, Form(max_length=32)],
    contact: Annotated[str, Form(max_length=200)] = "",
    delivery_address: Annotated[str, Form(max_length=500)] = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Register a reader."""
    from accessible_reader.api.routers.readers import create_reader

    staff = _writer(request, csrf_token, StaffRole.DESK)
    if not isinstance(staff, StaffPrincipal):
        return staff
    services = get_services(request)
    try:
        body = ReaderIn(card_number=card_number, name=name, pin=pin, contact=contact, delivery_address=delivery_address)
        row = create_reader(services, body)
    except (ValidationError, HTTPException) as error:
        return render(request, "error.html", staff, status_code=400, message=_error_text(error))
    audit(services, staff, "reader_add", str(row.id), card_number)
    return RedirectResponse("/readers", status_code=303)


@router.get("/deliveries", response_model=None)
def deliveries_page(request: Request) -> Response:
    """Deliveries with their status and the next step."""
    staff = _desk(request)
    if not isinstance(staff, StaffPrincipal):
        return staff
    with Session(get_services(request).engine) as session:
        rows = session.scalars(select(DeliveryRow).order_by(DeliveryRow.id.desc()).limit(200)).all()
    deliveries = [(row, json.loads(row.items_json), _NEXT_STATUS.get(row.status)) for row in rows]
    return render(request, "deliveries.html", staff, deliveries=deliveries, media=MEDIA)


@router.post("/deliveries", response_model=None)
def deliveries_add(
    request: Request,
    reader_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    items: Annotated[str, Form(max_length=2000)],
    medium: Annotated[str, Form(max_length=32)],
    csrf_token: CsrfField = "",
) -> Response:
    """Record a delivery request."""
    from accessible_reader.api.routers.readers import create_delivery

    staff = _writer(request, csrf_token, StaffRole.DESK)
    if not isinstance(staff, StaffPrincipal):
        return staff
    services = get_services(request)
    try:
        body = DeliveryIn.model_validate({"reader_id": reader_id, "items": items.split(), "medium": medium})
        row = create_delivery(services, body, staff)
    except (ValidationError, HTTPException) as error:
        return render(request, "error.html", staff, status_code=400, message=_error_text(error))
    audit(services, staff, "delivery_add", str(row.id), f"reader={reader_id} {medium}")
    return RedirectResponse("/deliveries", status_code=303)


@router.post("/deliveries/{delivery_id}/status", response_model=None)
def deliveries_advance(
    request: Request, delivery_id: int, status: Annotated[str, Form(max_length=16)], csrf_token: CsrfField = ""
) -> Response:
    """Move a delivery to its next status."""
    from accessible_reader.api.routers.readers import set_delivery_status

    staff = _writer(request, csrf_token, StaffRole.DESK)
    if not isinstance(staff, StaffPrincipal):
        return staff
    services = get_services(request)
    try:
        set_delivery_status(services, delivery_id, DeliveryStatus(status), staff)
    except (ValueError, HTTPException) as error:
        return render(request, "error.html", staff, status_code=400, message=_error_text(error))
    audit(services, staff, "delivery_status", str(delivery_id), status)
    return RedirectResponse("/deliveries", status_code=303)


@router.get("/loans", response_model=None)
def loans_page(request: Request) -> Response:
    """Device loans and the form to lend one."""
    staff = _desk(request)
    if not isinstance(staff, StaffPrincipal):
        return staff
    with Session(get_services(request).engine) as session:
        loans = session.scalars(select(DeviceLoanRow).order_by(DeviceLoanRow.id.desc()).limit(200)).all()
    return render(request, "loans.html", staff, loans=loans)


@router.post("/loans", response_model=None)
def loans_add(
    request: Request,
    reader_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    device: Annotated[str, Form(min_length=1, max_length=200)],
    serial: Annotated[str, Form(max_length=64)] = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Lend a device."""
    staff = _writer(request, csrf_token, StaffRole.DESK)
    if not isinstance(staff, StaffPrincipal):
        return staff
    services = get_services(request)
    with Session(services.engine, expire_on_commit=False) as session, session.begin():
        if session.get(ReaderRow, reader_id) is None:
            return render(request, "error.html", staff, status_code=404, message=f"no reader {reader_id}")
        row = DeviceLoanRow(reader_id=reader_id, device=device, serial=serial)
        session.add(row)
    audit(services, staff, "loan_add", str(row.id), f"reader={reader_id} {device}")
    return RedirectResponse("/loans", status_code=303)


@router.post("/loans/{loan_id}/return", response_model=None)
def loans_return(request: Request, loan_id: int, csrf_token: CsrfField = "") -> Response:
    """Record a returned device."""
    from datetime import UTC

    staff = _writer(request, csrf_token, StaffRole.DESK)
    if not isinstance(staff, StaffPrincipal):
        return staff
    services = get_services(request)
    with Session(services.engine) as session, session.begin():
        row = session.get(DeviceLoanRow, loan_id)
        if row is not None and row.returned_at is None:
            row.returned_at = datetime.now(UTC)
    audit(services, staff, "loan_return", str(loan_id))
    return RedirectResponse("/loans", status_code=303)


# -- statistics --------------------------------------------------------------------------


def bar_chart_svg(chart_id: str, title: str, labels: Sequence[str], values: Sequence[float]) -> str:
    """An accessible SVG bar chart: ``role="img"``, a ``<title>`` naming it and a ``<desc>`` listing every value.

    Pure. Bars are drawn in a 600x200 box; values are also in the page's data table.
    """
    width, height, top, bottom = 600, 200, 10, 30
    peak = max([*values, 0.0]) or 1.0
    step = width / max(len(values), 1)
    description = "; ".join(f"{label}: {value:g}" for label, value in zip(labels, values, strict=True))
    parts = [
        f'<svg id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar = (height - top - bottom) * (value / peak)
        x = index * step + step * 0.15
        y = height - bottom - bar
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{bar:.1f}" fill="#1d4f91"></rect>'
        )
        parts.append(
            f'<text x="{x + step * 0.35:.1f}" y="{height - 10}" font-size="12" text-anchor="middle" '
            f'fill="#1a1a1a">{escape(label[-2:])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


@router.get("/stats", response_model=None)
def stats_page(request: Request, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> Response:
    """Charts and a data table per month for the annual report."""
    from datetime import UTC

    from accessible_reader.api.stats import monthly_stats

    staff = _staff(request)
    if staff is None:
        return _login_redirect()
    services = get_services(request)
    shown_year = year or datetime.now(UTC).year
    months: list[MonthStats] = monthly_stats(services.engine, shown_year)
    strings = load_strings(_lang(services)[0])
    labels = [m.month for m in months]
    series = (
        ("readers_served", [float(m.readers_served) for m in months]),
        ("audio_hours", [m.audio_hours for m in months]),
        ("braille_pages", [float(m.braille_pages) for m in months]),
        ("deliveries", [float(m.deliveries) for m in months]),
        ("satisfaction", [m.satisfaction or 0.0 for m in months]),
    )
    charts = [
        bar_chart_svg(
            f"chart-{name}",
            strings["web.stats.chart"].format(what=strings[f"web.stats.{name}"]),
            labels,
            [0.0 if math.isnan(v) else v for v in values],
        )
        for name, values in series
    ]
    return render(request, "stats.html", staff, months=months, charts=charts, year=shown_year)
