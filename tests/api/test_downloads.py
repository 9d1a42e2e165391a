"""Downloads: Range (206, multi-range, suffix), 416 for bad ranges, MIME, ETag/304, signed links, SSE progress."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fixtures.service import running_app, token, upload_sample_book

from accessible_reader.api.ranges import RangeNotSatisfiable, parse_range
from accessible_reader.api.services import Services

PAYLOAD = bytes(range(256)) * 40  # 10240 bytes


def _artifact(services: Services, tmp_path: Path, book_id: str, name: str = "chapter01.mp3") -> str:
    source = tmp_path / name
    source.write_bytes(PAYLOAD)
    return services.artifacts.add(book_id, None, "audio", source).id


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-9", [(0, 9)]),
        ("bytes=10-", [(10, 99)]),
        ("bytes=-5", [(95, 99)]),
        ("bytes=-500", [(0, 99)]),
        ("bytes=90-500", [(90, 99)]),
        ("bytes=0-0, 50-59", [(0, 0), (50, 59)]),
        ("BYTES = 1-2", [(1, 2)]),
    ],
)
def test_parse_range_accepts(header: str, expected: list[tuple[int, int]]) -> None:
    assert parse_range(header, 100) == expected


@pytest.mark.parametrize(
    "header",
    [
        "bytes=",
        "bytes=-",
        "bytes=5-2",
        "bytes=100-",
        "bytes=abc",
        "items=0-1",
        "bytes=0-1,",
        "bytes=-0",
        "0-1",
        "bytes=" + ",".join(["0-1"] * 17),
        "bytes=1-2-3",
        "bytes=\u0661-2",
    ],
)
def test_parse_range_refuses(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, 100)


def test_range_requests_mime_and_etag(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services):
        staff = token(client, "transcriber")
        book_id = upload_sample_book(client, staff)
        artifact_id = _artifact(services, tmp_path, book_id)
        url = f"/api/artifacts/{artifact_id}/download"
        assert client.get(url).status_code == 401
        full = client.get(url, headers=staff)
        assert full.status_code == 200 and full.content == PAYLOAD
        assert full.headers["content-type"] == "audio/mpeg"
        assert full.headers["accept-ranges"] == "bytes"
        etag = full.headers["etag"]
        assert client.get(url, headers={**staff, "If-None-Match": etag}).status_code == 304
        part = client.get(url, headers={**staff, "Range": "bytes=100-199"})
        assert part.status_code == 206 and part.content == PAYLOAD[100:200]
        assert part.headers["content-range"] == f"bytes 100-199/{len(PAYLOAD)}"
        tail = client.get(url, headers={**staff, "Range": "bytes=-10"})
        assert tail.status_code == 206 and tail.content == PAYLOAD[-10:]
        multi = client.get(url, headers={**staff, "Range": "bytes=0-3, 5000-5003"})
        assert multi.status_code == 206
        assert multi.headers["content-type"].startswith("multipart/byteranges")
        assert PAYLOAD[0:4] in multi.content and PAYLOAD[5000:5004] in multi.content
        for bad in ("bytes=20000-", "bytes=9-3", "bytes=x-y", "pages=1-2", "bytes=,"):
            refused = client.get(url, headers={**staff, "Range": bad})
            assert refused.status_code == 416, bad
            assert refused.headers["content-range"] == f"bytes */{len(PAYLOAD)}"
        assert client.get("/api/artifacts/nothing/download", headers=staff).status_code == 404


def test_signed_links_expire_and_cannot_be_forged(tmp_path: Path) -> None:
    with running_app(tmp_path) as (client, services):
        transcriber, desk = token(client, "transcriber"), token(client, "desk")
        book_id = upload_sample_book(client, transcriber)
        artifact_id = _artifact(services, tmp_path, book_id)
        link = client.post(f"/api/artifacts/{artifact_id}/link?ttl_s=600", headers=desk).json()
        assert link["expires"] > time.time() + 500
        anonymous = TestClient(client.app)
        got = anonymous.get(link["url"], headers={"Range": "bytes=0-9"})
        assert got.status_code == 206 and got.content == PAYLOAD[:10]
        forged = link["url"].replace(f"expires={link['expires']}", f"expires={link['expires'] + 999}")
        assert anonymous.get(forged).status_code == 403
        other = _artifact(services, tmp_path, book_id, "other.mp3")
        assert anonymous.get(link["url"].replace(artifact_id, other)).status_code == 403
        past = int(time.time()) - 1
        expired = f"/d/{artifact_id}?expires={past}&sig={services.signer.link_signature(artifact_id, past)}"
        assert anonymous.get(expired).status_code == 403


def test_job_progress_arrives_as_server_sent_events(tmp_path: Path) -> None:
    with running_app(tmp_path, start_workers=True) as (client, _):
        staff = token(client, "transcriber")
        book_id = upload_sample_book(client, staff)
        job = client.post("/api/jobs", headers=staff, json={"book_id": book_id, "kind": "document"}).json()
        events: list[str] = []
        with client.stream("GET", f"/api/jobs/{job['id']}/events", headers=staff) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    events.append(line.split(":", 1)[1].strip())
                if events and events[-1] == "end":
                    break
        assert events[0] == "progress" and events[-1] == "end"
        done = client.get(f"/api/jobs/{job['id']}", headers=staff).json()
        assert done["status"] == "done" and done["percent"] == 100 and len(done["artifact_ids"]) == 1
        artifact = client.get(f"/api/artifacts/{done['artifact_ids'][0]}", headers=staff).json()
        assert artifact["media_type"] == "application/json" and artifact["kind"] == "document"
        listed = client.get(f"/api/books/{book_id}/artifacts", headers=staff).json()
        assert [a["id"] for a in listed] == done["artifact_ids"]
        # the search index now lists the format
        hits = client.get("/api/search", params={"q": "骆驼祥子", "formats": "document"}).json()["hits"]
        assert hits and hits[0]["formats"] == ["document"]
        assert client.get(f"/api/jobs/{'0' * 32}/events", headers=staff).status_code == 404
