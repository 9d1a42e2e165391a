"""The wired job kinds on a real book: Braille (liblouis + Chinese Braille), speech (espeak-ng), DAISY, stats."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from accessible_reader.api.stats import monthly_stats
from accessible_reader.catalog.service_models import JobStatus
from accessible_reader.jobs.queue import wait_for

pytestmark = pytest.mark.slow


def test_braille_kinds_make_pages(tmp_path: Path) -> None:
    from jobs.test_queue import _setup

    queue, book_id = _setup(tmp_path)
    queue.start(workers=2)
    try:
        jobs = {kind: queue.submit(book_id, kind).id for kind in ("brf", "pef")}
        done = {kind: wait_for(queue, job, 120) for kind, job in jobs.items()}
    finally:
        queue.stop()
    for kind, info in done.items():
        assert info.status == JobStatus.DONE, (kind, info.error)
    brf = queue._artifacts.get(done["brf"].artifact_ids[0])
    data = queue._artifacts.path_of(brf).read_bytes()
    assert data.isascii() and b"\f" in data and brf.media_type.startswith("text/plain")
    pef = queue._artifacts.get(done["pef"].artifact_ids[0])
    root = etree.parse(str(queue._artifacts.path_of(pef))).getroot()
    assert root.tag.endswith("pef") and pef.media_type == "application/x-pef+xml"
    assert '"pages": ' in pef.settings_json and '"pages": 0' not in pef.settings_json
    year = brf.created_at.year
    month = next(m for m in monthly_stats(queue._engine, year) if m.month.endswith(f"-{brf.created_at.month:02d}"))
    assert month.braille_pages > 0


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_daisy_job_speaks_the_book(tmp_path: Path) -> None:
    from jobs.test_queue import _setup
    from pydub import AudioSegment

    queue, book_id = _setup(tmp_path)
    job = queue.submit(book_id, "daisy")
    assert queue.claim() == job.id
    queue.run(job.id)
    info = queue.get(job.id)
    assert info.status == JobStatus.DONE, info.error
    row = queue._artifacts.get(info.artifact_ids[0])
    assert row.media_type == "application/zip"
    with zipfile.ZipFile(queue._artifacts.path_of(row)) as archive:
        names = archive.namelist()
        assert any(n.endswith("ncc.html") for n in names)
        mp3 = next(n for n in names if n.endswith(".mp3"))
        target = tmp_path / "first.mp3"
        target.write_bytes(archive.read(mp3))
    sound = AudioSegment.from_file(target)
    assert len(sound) > 500 and sound.rms > 0
    month = [m for m in monthly_stats(queue._engine, row.created_at.year) if m.audio_hours > 0]
    assert len(month) == 1 and month[0].audio_hours > 0


def test_braille_job_reports_characters_without_braille(tmp_path: Path) -> None:
    from accessible_reader.document.builder import DocumentBuilder
    from accessible_reader.document.model import BookMetadata
    from accessible_reader.jobs.adapters import brf
    from accessible_reader.jobs.registry import JobContext
    from accessible_reader.settings import Settings

    builder = DocumentBuilder()
    builder.heading(1, "第一章")
    builder.paragraph("雪人☃在门口。")
    book = builder.build("bk-unknown", BookMetadata(title="测试"))
    messages: list[str] = []

    [path] = brf(
        book,
        JobContext(settings=Settings(data_dir=tmp_path / "data"), work_dir=tmp_path),
        lambda fraction, message="": messages.append(message),
        lambda: False,
    )

    assert path.read_bytes().isascii()
    assert messages[-1].startswith("braille; no braille for ☃")
