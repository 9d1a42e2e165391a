"""Uploads: size and type limits, generated names outside served folders, path traversal, catalog import, lexicon."""

from __future__ import annotations

from pathlib import Path

from fixtures.service import running_app, token, upload_sample_book


def test_upload_is_stored_under_a_generated_name(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services):
        staff = token(client, "transcriber")
        response = client.post(
            "/api/books",
            headers=staff,
            files={"file": ("../../../../etc/骆驼祥子.txt", "第一章\n\n祥子。\n".encode(), "text/plain")},
        )
        assert response.status_code == 201, response.text
        stored = list((services.settings.data_dir / "uploads").iterdir())
        assert len(stored) == 1
        assert stored[0].suffix == ".txt" and len(stored[0].stem) == 32 and "骆驼" not in stored[0].name
        assert not (tmp_path / "etc").exists()
        assert client.get("/static/../uploads/" + stored[0].name).status_code == 404
        hits = client.get("/api/search", params={"q": "骆驼祥子"}).json()["hits"]
        assert hits and hits[0]["book_id"] == response.json()["id"]


def test_upload_limits(tmp_path: Path) -> None:
    with running_app(tmp_path, upload_max_bytes=1000) as (client, services):
        staff = token(client, "transcriber")
        big = client.post("/api/books", headers=staff, files={"file": ("big.txt", b"x" * 1001, "text/plain")})
        assert big.status_code == 413
        exe = client.post("/api/books", headers=staff, files={"file": ("run.exe", b"MZ", "application/octet-stream")})
        assert exe.status_code == 415
        fake_epub = client.post(
            "/api/books", headers=staff, files={"file": ("a.epub", b"not a zip", "application/epub+zip")}
        )
        assert fake_epub.status_code == 415
        empty = client.post("/api/books", headers=staff, files={"file": ("a.txt", b"", "text/plain")})
        assert empty.status_code == 400
        binary = client.post(
            "/api/books", headers=staff, files={"file": ("a.txt", b"\xff\xfe\x00\xd8" * 10, "text/plain")}
        )
        assert binary.status_code in (201, 400)
        uploads = services.settings.data_dir / "uploads"
        assert not uploads.exists() or not [p for p in uploads.iterdir() if p.name.startswith(".upload-")]


def test_catalog_import_then_search(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, _):
        staff = token(client, "transcriber")
        csv = "书名,作者,编号,主题词\n骆驼祥子,老舍,c1,小说\n茶馆,老舍,c2,话剧\n".encode()
        first = client.post("/api/catalog/import", headers=staff, files={"file": ("records.csv", csv, "text/csv")})
        assert first.status_code == 201 and first.json() == {"added": 2, "updated": 0}
        assert client.get("/api/search", params={"q": "chaguan"}).json()["hits"][0]["title"] == "茶馆"
        renamed = csv.replace("茶馆".encode(), "四世同堂".encode())
        again = client.post("/api/catalog/import", headers=staff, files={"file": ("records.csv", renamed, "text/csv")})
        assert again.json() == {"added": 0, "updated": 2}
        assert client.get("/api/search", params={"q": "sstt"}).json()["hits"][0]["title"] == "四世同堂"
        assert client.get("/api/search", params={"q": "chaguan"}).json()["hits"] == []
        bad = client.post("/api/catalog/import", headers=staff, files={"file": ("r.csv", b"x,y\n1,2\n", "text/csv")})
        assert bad.status_code == 400 and "title" in bad.json()["message_en"]


def test_proofreading_and_lexicon_edit(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services):
        staff = token(client, "transcriber")
        book_id = upload_sample_book(client, staff)
        readings = client.get(f"/api/books/{book_id}/readings", headers=staff).json()
        assert any("xiang2 zi5" in r["spoken"] for r in readings)
        assert any("lu4 zhai4" in r["spoken"] for r in readings)
        saved = client.post(
            "/api/lexicon", headers=staff, json={"word": "祥子", "pinyin": "xiang2 zi3", "note": "测试"}
        )
        assert saved.status_code == 201, saved.text
        lexicon = services.settings.lexicon_path.read_text(encoding="utf-8")
        assert "祥子\txiang2 zi3\t测试" in lexicon and "鹿寨\tlu4 zhai4" in lexicon
        again = client.get(f"/api/books/{book_id}/readings", headers=staff).json()
        assert any("xiang2 zi3" in r["spoken"] for r in again)
        bad = client.post("/api/lexicon", headers=staff, json={"word": "祥子", "pinyin": "xiang"})
        assert bad.status_code == 400
        assert "祥子\txiang2 zi3" in services.settings.lexicon_path.read_text(encoding="utf-8")
        desk = token(client, "desk")
        assert (
            client.post("/api/lexicon", headers=desk, json={"word": "祥子", "pinyin": "xiang2 zi5"}).status_code == 403
        )
