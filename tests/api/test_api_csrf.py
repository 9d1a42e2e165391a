"""CSRF on the JSON API: a write authenticated by the session cookie alone needs ``X-CSRF-Token``.

Bearer-token requests need no CSRF token (a browser never adds an Authorization header by
itself); cookie reads (GET) need none either.
"""

from __future__ import annotations

import re
from pathlib import Path

from fixtures.service import PASSWORD, running_app, token

NEW_READER = {"card_number": "C7", "name": "赵六", "pin": "1234"}


def test_cookie_writes_need_the_csrf_header_bearer_writes_do_not(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services):
        desk = token(client, "desk")  # clears the cookie
        assert client.post("/api/auth/token", data={"username": "admin", "password": PASSWORD}).is_success
        session = client.cookies["session"]
        assert client.get("/api/readers").status_code == 200  # cookie reads need no token
        refused = client.post("/api/readers", json=NEW_READER)
        assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]
        other = services.signer.csrf_token(services.signer.sign("staff:1", 60))  # another session of admin
        assert client.post("/api/readers", json=NEW_READER, headers={"X-CSRF-Token": other}).status_code == 403
        assert client.get("/api/readers").json() == []  # nothing was written
        good = {"X-CSRF-Token": services.signer.csrf_token(session)}
        assert client.post("/api/readers", json=NEW_READER, headers=good).status_code == 201
        client.cookies.clear()
        bearer = client.post("/api/readers", headers=desk, json={**NEW_READER, "card_number": "C8"})
        assert bearer.status_code == 201  # bearer token: no CSRF token needed


def test_the_web_pages_token_is_the_api_header(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, _):
        client.post("/login", data={"username": "desk", "password": PASSWORD})
        found = re.search(r'<meta name="csrf-token" content="([^"]+)">', client.get("/readers").text)
        assert found
        response = client.post("/api/readers", json=NEW_READER, headers={"X-CSRF-Token": found.group(1)})
        assert response.status_code == 201, response.text


def test_a_readers_cookie_writes_need_the_header_too(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services):
        assert client.post("/api/readers", headers=token(client, "desk"), json=NEW_READER).status_code == 201
        assert client.post("/api/reader/login", json={"card_number": "C7", "pin": "1234"}).is_success
        assert client.get("/api/me").json()["card_number"] == "C7"
        assert client.post("/api/me/ratings", json={"score": 5}).status_code == 403
        header = {"X-CSRF-Token": services.signer.csrf_token(client.cookies["session"])}
        assert client.post("/api/me/ratings", json={"score": 5}, headers=header).status_code == 201
