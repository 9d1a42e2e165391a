"""CSRF protection of the staff web UI's forms: every write needs the session's own token.

A form POST without the token, with a wrong one or with another session's is answered by the
accessible 403 page and changes nothing (database rows, lexicon file, uploads, audit log); the
token rendered in the page's hidden field works.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from fixtures.service import PASSWORD, running_app, token, upload_sample_book
from sqlalchemy import select
from sqlalchemy.orm import Session

from accessible_reader.api.services import Services
from accessible_reader.catalog.service_models import AuditLogRow, DeliveryRow, DeviceLoanRow, ReaderRow

READER = {"card_number": "A9", "name": "王五", "pin": "1234"}
REFUSED_ZH = "这次提交没有被接受"


def _login(client: TestClient, username: str) -> None:
    response = client.post("/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303, response.text


def _page_token(client: TestClient, page: str = "/catalog") -> str:
    """The CSRF token in the hidden field of ``page``'s forms (every form on a page carries the same one)."""
    html = client.get(page).text
    tokens = set(re.findall(r'<input type="hidden" name="csrf_token" value="([^"]*)">', html))
    assert len(tokens) == 1 and "" not in tokens, (page, tokens)
    return tokens.pop()


def _snapshot(services: Services) -> tuple[object, ...]:
    """Everything a staff form can change."""
    with Session(services.engine) as session:
        readers = session.scalars(select(ReaderRow.card_number).order_by(ReaderRow.id)).all()
        deliveries = session.execute(select(DeliveryRow.id, DeliveryRow.status).order_by(DeliveryRow.id)).all()
        loans = session.execute(select(DeviceLoanRow.id, DeviceLoanRow.returned_at).order_by(DeviceLoanRow.id)).all()
        actions = session.scalars(
            select(AuditLogRow.action).where(AuditLogRow.action.not_in(["login", "login_failed"]))
        ).all()
    jobs = sorted((job.id, job.status) for job in services.jobs.list(100))
    books = sorted(book.id for book in services.store.list_books())
    lexicon = services.settings.lexicon_path.read_bytes()
    return tuple(readers), tuple(deliveries), tuple(loans), tuple(actions), tuple(jobs), tuple(books), lexicon


def _seed(client: TestClient) -> str:
    """A book, a queued job, a reader, a delivery and a loan made through the API (bearer tokens); the book id."""
    transcriber, desk = token(client, "transcriber"), token(client, "desk")
    book_id = upload_sample_book(client, transcriber)
    assert client.post("/api/jobs", headers=transcriber, json={"book_id": book_id, "kind": "document"}).is_success
    assert client.post("/api/readers", headers=desk, json={"card_number": "A1", "name": "张三", "pin": "1234"})
    assert client.post("/api/deliveries", headers=desk, json={"reader_id": 1, "items": [book_id], "medium": "usb"})
    assert client.post("/api/loans", headers=desk, json={"reader_id": 1, "device": "DAISY 播放器"}).is_success
    return book_id


def _writes(book_id: str, job_id: str) -> list[tuple[str, dict[str, str], dict[str, tuple[str, bytes, str]] | None]]:
    """Every state-changing form of the web UI with valid data: (path, fields, files)."""
    upload = {"file": ("新书.txt", "第一章\n\n新的一本书。\n".encode(), "text/plain")}
    return [
        ("/catalog/upload", {}, upload),
        (f"/books/{book_id}/lexicon", {"word": "祥子", "pinyin": "xiang2 zi3"}, None),
        (f"/books/{book_id}/jobs", {"kind": "document"}, None),
        (f"/jobs/{job_id}/cancel", {}, None),
        ("/readers", READER, None),
        ("/deliveries", {"reader_id": "1", "items": book_id, "medium": "cd"}, None),
        ("/deliveries/1/status", {"status": "prepared"}, None),
        ("/loans", {"reader_id": "1", "device": "盲文点显器"}, None),
        ("/loans/1/return", {}, None),
        ("/logout", {}, None),
    ]


def _assert_refused(response: object, path: str) -> None:
    html = response.text  # type: ignore[attr-defined]
    assert response.status_code == 403, (path, response.status_code, html[:300])  # type: ignore[attr-defined]
    assert '<p role="alert" class="error">' in html and REFUSED_ZH in html, path
    assert '<html lang="zh-CN">' in html and html.count("<h1") == 1, path
    assert '<a href="/">回到首页</a>' in html, path


def test_forms_without_or_with_a_wrong_token_are_refused_and_change_nothing(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services):
        book_id = _seed(client)
        job_id = services.jobs.list(1)[0].id
        _login(client, "admin")
        real = _page_token(client)
        before = _snapshot(services)
        for wrong in (None, "", "x" * 43, real[:-1], real + "A", "祥子" * 30):
            for path, fields, files in _writes(book_id, job_id):
                data = dict(fields) if wrong is None else {**fields, "csrf_token": wrong}
                _assert_refused(client.post(path, data=data, files=files, follow_redirects=False), path)
        assert _snapshot(services) == before
        assert client.get("/catalog", follow_redirects=False).status_code == 200  # still logged in
        assert len(list(Path(services.uploads_dir).iterdir())) == 1  # only the seeded book's upload


def test_the_token_in_the_page_lets_every_form_through(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services):
        book_id = _seed(client)
        job_id = services.jobs.list(1)[0].id
        _login(client, "admin")
        csrf = {"csrf_token": _page_token(client, f"/books/{book_id}")}
        assert _page_token(client, "/loans") == csrf["csrf_token"]  # one token per session
        for path, fields, files in _writes(book_id, job_id):
            response = client.post(path, data={**fields, **csrf}, files=files, follow_redirects=False)
            assert response.status_code == 303, (path, response.status_code, response.text[:300])
        with Session(services.engine) as session:
            assert session.scalar(select(ReaderRow.name).where(ReaderRow.card_number == "A9")) == "王五"
            assert session.get(DeliveryRow, 1).status == "prepared"  # type: ignore[union-attr]
            assert session.get(DeviceLoanRow, 1).returned_at is not None  # type: ignore[union-attr]
            assert session.scalar(select(DeviceLoanRow.device).where(DeviceLoanRow.id == 2)) == "盲文点显器"
        assert "祥子\txiang2 zi3" in services.settings.lexicon_path.read_text(encoding="utf-8")
        assert services.jobs.get(job_id).status == "cancelled"
        assert len(services.store.list_books()) == 2
        assert client.get("/catalog", follow_redirects=False).headers["location"] == "/login"  # logged out last


def test_a_token_from_another_session_is_refused(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services), TestClient(client.app) as other:
        _login(client, "admin")
        _login(other, "desk")
        foreign = _page_token(other, "/readers")
        assert foreign != _page_token(client, "/readers")
        # the same member of staff in another session (another session token) gets another CSRF token too
        same_user_other_session = services.signer.csrf_token(services.signer.sign("staff:1", 60))
        before = _snapshot(services)
        for stolen in (foreign, same_user_other_session):
            _assert_refused(client.post("/readers", data={**READER, "csrf_token": stolen}), "/readers")
        assert _snapshot(services) == before
        # and the desk's own token still works in the desk's session
        added = other.post("/readers", data={**READER, "csrf_token": foreign}, follow_redirects=False)
        assert added.status_code == 303


def test_the_login_page_has_no_token_and_logged_out_posts_go_to_login(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services):
        assert "csrf" not in client.get("/login").text
        before = _snapshot(services)
        response = client.post("/readers", data={**READER, "csrf_token": "x"}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"
        assert _snapshot(services) == before
