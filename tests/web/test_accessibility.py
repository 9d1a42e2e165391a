"""Every staff page in Debian's chromium (Playwright) with axe-core: zero violations; keyboard basics; live progress."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.service import PASSWORD, running_app, token, upload_sample_book

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (apt-get install chromium)"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python not installed")

AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A served app with a book, a reader, a delivery, a loan and a finished job; (base URL, book id)."""
    import uvicorn

    tmp_path = tmp_path_factory.mktemp("web")
    with running_app(tmp_path, start_workers=True) as (client, _services):
        transcriber, desk = token(client, "transcriber"), token(client, "desk")
        book_id = upload_sample_book(client, transcriber)
        client.post("/api/readers", headers=desk, json={"card_number": "A1", "name": "张三", "pin": "1234"})
        client.post("/api/deliveries", headers=desk, json={"reader_id": 1, "items": [book_id], "medium": "usb"})
        client.post("/api/loans", headers=desk, json={"reader_id": 1, "device": "DAISY 播放器"})
        client.post("/api/jobs", headers=transcriber, json={"book_id": book_id, "kind": "document"})
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(client.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}", book_id
        finally:
            server.should_exit = True
            thread.join(5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        try:
            yield launched
        finally:
            launched.close()


def _logged_in_page(browser: object, base: str) -> object:
    page = browser.new_page(locale="zh-CN")  # type: ignore[attr-defined]
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/catalog")
    return page


def test_every_page_has_zero_axe_violations(site: tuple[str, str], browser: object) -> None:
    base, book_id = site
    axe = axe_api.Axe()
    anonymous = browser.new_page()  # type: ignore[attr-defined]
    anonymous.goto(f"{base}/login")
    pages = {"/login": anonymous}
    page = _logged_in_page(browser, base)
    report: list[str] = []
    results = axe.run(anonymous, options=AXE_OPTIONS)
    if results.violations_count:
        report.append(f"/login\n{results.generate_report()}")
    for path in (
        "/catalog",
        "/catalog?q=ltxz",
        f"/books/{book_id}",
        "/jobs",
        "/readers",
        "/deliveries",
        "/loans",
        "/stats",
    ):
        page.goto(base + path)  # type: ignore[attr-defined]
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            report.append(f"{path}\n{results.generate_report()}")
        pages[path] = page
    assert not report, "\n\n".join(report)


def test_skip_link_is_first_and_moves_focus_to_main(site: tuple[str, str], browser: object) -> None:
    base, _ = site
    page = _logged_in_page(browser, base)
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    focused = page.evaluate("document.activeElement.className")  # type: ignore[attr-defined]
    assert focused == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-10000px"  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.id") == "main"  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.id") == "q"  # type: ignore[attr-defined]


def test_jobs_page_shows_the_finished_job_and_its_progress(site: tuple[str, str], browser: object) -> None:
    base, _ = site
    page = _logged_in_page(browser, base)
    page.goto(f"{base}/jobs")  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelectorAll('tr[data-job]').length === 1")  # type: ignore[attr-defined]
    row = page.locator("tr[data-job]")  # type: ignore[attr-defined]
    assert "完成" in row.inner_text()
    assert row.locator("progress").get_attribute("value") == "100"
    assert row.get_by_role("progressbar").get_attribute("aria-label").startswith("任务")
