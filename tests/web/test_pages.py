"""Staff web UI through the test client: login, every page, forms, roles, and the markup WCAG needs."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from fixtures.service import PASSWORD, running_app, token, upload_sample_book

from accessible_reader.api.web import bar_chart_svg

PAGES = ["/catalog", "/catalog?q=ltxz", "/jobs", "/readers", "/deliveries", "/loans", "/stats"]


def _login(client: TestClient, username: str) -> None:
    response = client.post("/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303, response.text


def _csrf(client: TestClient, page: str) -> dict[str, str]:
    """The hidden CSRF field of the forms on ``page``, as form data."""
    found = re.search(r'<input type="hidden" name="csrf_token" value="([^"]+)">', client.get(page).text)
    assert found, page
    return {"csrf_token": found.group(1)}


def test_pages_need_a_login(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, _):
        for page in [*PAGES, "/books/x"]:
            response = client.get(page, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"] == "/login", page
        wrong = client.post("/login", data={"username": "admin", "password": "nope"})
        assert wrong.status_code == 401 and 'role="alert"' in wrong.text


def test_every_page_has_lang_skip_link_landmarks_and_one_h1(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, _):
        book_id = upload_sample_book(client, token(client, "transcriber"))
        _login(client, "admin")
        for page in [*PAGES, f"/books/{book_id}", "/login"]:
            html = client.get(page).text
            assert '<html lang="zh-CN">' in html, page
            assert '<a class="skip" href="#main">跳到主要内容</a>' in html, page
            for landmark in ("<header>", '<main id="main"', "<footer>"):
                assert landmark in html, (page, landmark)
            assert html.count("<h1") == 1, page
            ids = re.findall(r'<input id="([^"]+)"', html)
            for control in ids:
                assert f'<label for="{control}"' in html, (page, control)


def test_book_page_shows_readings_and_saves_the_lexicon(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services):
        book_id = upload_sample_book(client, token(client, "transcriber"))
        _login(client, "transcriber")
        page = client.get(f"/books/{book_id}").text
        assert "祥子拉着车出了门。" in page and "xiang2 zi5" in page and "lu4 zhai4" in page
        csrf = _csrf(client, f"/books/{book_id}")
        saved = client.post(f"/books/{book_id}/lexicon", data={"word": "祥子", "pinyin": "xiang2 zi3", **csrf})
        assert saved.status_code == 200 and "xiang2 zi3" in saved.text
        assert "祥子\txiang2 zi3" in services.settings.lexicon_path.read_text(encoding="utf-8")
        bad = client.post(f"/books/{book_id}/lexicon", data={"word": "abc", "pinyin": "a1", **csrf})
        assert bad.status_code == 400 and 'role="alert"' in bad.text
        queued = client.post(f"/books/{book_id}/jobs", data={"kind": "document", **csrf})
        assert queued.status_code == 200 and "document" in queued.text


def test_desk_forms_and_roles(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, _):
        _login(client, "transcriber")
        csrf = _csrf(client, "/catalog")
        refused = client.post("/readers", data={"card_number": "A1", "name": "张三", "pin": "1234", **csrf})
        assert refused.status_code == 403 and "（transcriber）" in refused.text
        _login(client, "desk")
        csrf = _csrf(client, "/readers")
        added = client.post("/readers", data={"card_number": "A1", "name": "张三", "pin": "1234", **csrf})
        assert added.status_code == 200 and "张三" in added.text
        bad_pin = client.post("/readers", data={"card_number": "A2", "name": "李四", "pin": "12", **csrf})
        assert bad_pin.status_code == 400
        delivery = client.post("/deliveries", data={"reader_id": "1", "items": "bk1 bk2", "medium": "usb", **csrf})
        assert delivery.status_code == 200 and "bk1 bk2" in delivery.text and "已申请" in delivery.text
        advanced = client.post("/deliveries/1/status", data={"status": "prepared", **csrf})
        assert "已备好" in advanced.text
        loan = client.post("/loans", data={"reader_id": "1", "device": "DAISY 播放器", "serial": "SN1", **csrf})
        assert "SN1" in loan.text and "登记归还" in loan.text
        returned = client.post("/loans/1/return", data=csrf)
        assert "登记归还" not in returned.text
        _login(client, "admin")
        actions = [a["action"] for a in client.get("/api/audit").json()]
        assert {"reader_add", "delivery_add", "delivery_status", "loan_add", "loan_return"} <= set(actions)


def test_stats_page_has_accessible_charts_and_a_table(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, _):
        _login(client, "admin")
        html = client.get("/stats?year=2026").text
        assert html.count('role="img"') == 5
        assert "<caption>2026 年每月数据</caption>" in html
        assert html.count('<th scope="row">2026-') == 12


def test_bar_chart_names_every_value() -> None:
    svg = bar_chart_svg("c", "读者 <人数>", ["2026-01", "2026-02"], [3.0, 0.0])
    assert 'role="img" aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">读者 &lt;人数&gt;</title>' in svg
    assert "2026-01: 3; 2026-02: 0" in svg
    assert svg.count("<rect") == 2
