"""Staff and reader authentication, roles on every write, rate limit, audit, reader privacy."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from fixtures.service import PASSWORD, running_app, token, upload_sample_book
from sqlalchemy import select
from sqlalchemy.orm import Session

from accessible_reader.api.security import LoginRateLimiter, Passwords, Signer
from accessible_reader.catalog.service_models import ReaderRow, StaffUserRow


def _add_reader(client: TestClient, desk: dict[str, str], card: str, pin: str = "1234") -> int:
    response = client.post("/api/readers", headers=desk, json={"card_number": card, "name": f"读者{card}", "pin": pin})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _reader_token(client: TestClient, card: str, pin: str = "1234") -> dict[str, str]:
    response = client.post("/api/reader/login", json={"card_number": card, "pin": pin})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_passwords_are_argon2_and_never_stored_in_clear(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services):
        with Session(services.engine) as session:
            row = session.scalar(select(StaffUserRow).where(StaffUserRow.username == "admin"))
            assert row is not None
            assert row.password_hash.startswith("$argon2id$")
            assert PASSWORD not in row.password_hash
        desk = token(client, "desk")
        _add_reader(client, desk, "A001", "4321")
        with Session(services.engine) as session:
            reader = session.scalar(select(ReaderRow))
            assert reader is not None and reader.pin_hash.startswith("$argon2id$")
        assert "pin" not in client.get("/api/readers", headers=desk).text.lower().replace("pin_", "")


def test_login_wrong_password_and_rate_limit(tmp_path: Path) -> None:
    with running_app(tmp_path, login_max_failures=3) as (client, _):
        for _ in range(3):
            assert client.post("/api/auth/token", data={"username": "admin", "password": "nope"}).status_code == 401
        blocked = client.post("/api/auth/token", data={"username": "admin", "password": PASSWORD})
        assert blocked.status_code == 429
        # another user name from the same client is not blocked
        assert client.post("/api/auth/token", data={"username": "desk", "password": PASSWORD}).status_code == 200


def test_rate_limiter_window_slides() -> None:
    limiter = LoginRateLimiter(max_failures=2, window_s=10)
    limiter.failed("k", now=0)
    limiter.failed("k", now=1)
    assert limiter.blocked("k", now=2)
    assert not limiter.blocked("k", now=11.5)
    limiter.succeeded("k")
    assert not limiter.blocked("k", now=2)


def test_signer_rejects_tampering_and_expiry() -> None:
    signer = Signer(b"secret")
    good = signer.sign("staff:1", 60, now=1000)
    assert signer.unsign(good, now=1010) == "staff:1"
    assert signer.unsign(good, now=2000) is None
    assert signer.unsign(good.replace("staff:1", "staff:2"), now=1010) is None
    assert signer.unsign("garbage", now=1010) is None
    assert Signer(b"other").unsign(good, now=1010) is None
    assert not Passwords().verify("not-a-hash", "x")


def test_writes_need_a_login_and_the_right_role(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, _):
        reader_body = {"card_number": "B1", "name": "x", "pin": "1234"}
        assert client.post("/api/readers", json=reader_body).status_code == 401
        transcriber, desk, admin = token(client, "transcriber"), token(client, "desk"), token(client, "admin")
        assert client.post("/api/readers", headers=transcriber, json=reader_body).status_code == 403
        assert client.post("/api/readers", headers=desk, json=reader_body).status_code == 201
        book_id = upload_sample_book(client, transcriber)
        files = {"file": ("a.txt", b"text", "text/plain")}
        assert client.post("/api/books", headers=desk, files=files).status_code == 403
        assert client.post("/api/jobs", headers=desk, json={"book_id": book_id, "kind": "document"}).status_code == 403
        assert client.post("/api/jobs", headers=admin, json={"book_id": book_id, "kind": "document"}).status_code == 201
        staff_body = {"username": "new", "password": "long enough", "role": "desk"}
        assert client.post("/api/staff", headers=desk, json=staff_body).status_code == 403
        assert client.post("/api/staff", headers=admin, json=staff_body).status_code == 201
        assert client.get("/api/audit", headers=desk).status_code == 403


def test_staff_actions_are_audited(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, _):
        admin, desk = token(client, "admin"), token(client, "desk")
        _add_reader(client, desk, "C1")
        client.post("/api/auth/token", data={"username": "desk", "password": "wrong"})
        actions = [(e["action"], e["target"]) for e in client.get("/api/audit", headers=admin).json()]
        assert ("reader_add", "1") in actions
        assert ("login_failed", "desk") in actions
        assert ("login", "desk") in actions


def test_session_cookie_works_and_logout_clears_it(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, _):
        response = client.post("/api/auth/token", data={"username": "desk", "password": PASSWORD})
        assert "httponly" in response.headers["set-cookie"].lower()
        assert "samesite=strict" in response.headers["set-cookie"].lower()
        assert client.get("/api/auth/me").json()["username"] == "desk"
        client.post("/api/auth/logout")
        assert client.get("/api/auth/me").status_code == 401


def test_a_reader_sees_only_their_own_data(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, _):
        desk, transcriber = token(client, "desk"), token(client, "transcriber")
        book_id = upload_sample_book(client, transcriber)
        a_id, b_id = _add_reader(client, desk, "A1"), _add_reader(client, desk, "B1", "9999")
        assert client.post(
            "/api/deliveries", headers=desk, json={"reader_id": b_id, "items": [book_id], "medium": "usb"}
        )
        assert client.post("/api/loans", headers=desk, json={"reader_id": b_id, "device": "DAISY 播放器"})
        a, b = _reader_token(client, "A1"), _reader_token(client, "B1", "9999")
        mark = client.post(
            "/api/me/bookmarks", headers=b, json={"book_id": book_id, "location": "s3", "label": "B 的书签"}
        )
        assert mark.status_code == 201
        put = client.put("/api/me/positions", headers=b, json={"book_id": book_id, "location": "s2", "offset_ms": 1500})
        assert put.status_code == 200
        # A sees nothing of B's
        assert client.get("/api/me", headers=a).json()["id"] == a_id
        for path in ("/api/me/bookmarks", "/api/me/positions", "/api/me/loans", "/api/me/deliveries"):
            assert client.get(path, headers=a).json() == [], path
            assert len(client.get(path, headers=b).json()) == 1, path
        assert client.delete(f"/api/me/bookmarks/{mark.json()['id']}", headers=a).status_code == 404
        assert len(client.get("/api/me/bookmarks", headers=b).json()) == 1
        # a reader's token opens no staff route, a wrong PIN no reader route
        assert client.get("/api/readers", headers=a).status_code == 401
        assert client.get(f"/api/readers/{b_id}", headers=a).status_code == 401
        assert client.post("/api/reader/login", json={"card_number": "B1", "pin": "0000"}).status_code == 401
        # a staff token is not a reader token
        assert client.get("/api/me/bookmarks", headers=desk).status_code == 401


def test_ratings_are_checked_and_delivery_status_moves_in_order(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, _):
        desk = token(client, "desk")
        reader_id = _add_reader(client, desk, "R1")
        reader = _reader_token(client, "R1")
        assert client.post("/api/me/ratings", headers=reader, json={"score": 6}).status_code == 422
        assert client.post("/api/me/ratings", headers=reader, json={"score": 5}).status_code == 201
        delivery = client.post(
            "/api/deliveries", headers=desk, json={"reader_id": reader_id, "items": ["x"], "medium": "cd"}
        ).json()
        path = f"/api/deliveries/{delivery['id']}/status"
        assert client.post(path, headers=desk, json={"status": "dispatched"}).status_code == 409
        for status in ("prepared", "dispatched", "returned"):
            response = client.post(path, headers=desk, json={"status": status})
            assert response.status_code == 200, response.text
        history = [h["status"] for h in response.json()["history"]]
        assert history == ["requested", "prepared", "dispatched", "returned"]
        assert client.post(path, headers=desk, json={"status": "returned"}).status_code == 409
