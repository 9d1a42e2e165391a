"""The job queue: runs, progress with ETA, cancel, retry, unavailable layers, restart recovery, atomic artifacts."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from fixtures.service import SAMPLE_TEXT, make_settings
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accessible_reader.catalog.db import make_engine
from accessible_reader.catalog.service_models import ArtifactKind, ArtifactRow, JobRow, JobStatus
from accessible_reader.catalog.store import CatalogStore
from accessible_reader.document.ingest import ingest_path
from accessible_reader.document.model import Book
from accessible_reader.errors import InputError
from accessible_reader.jobs.artifacts import ArtifactStore
from accessible_reader.jobs.queue import JobQueue, wait_for
from accessible_reader.jobs.registry import (
    CancelFn,
    JobCancelled,
    JobContext,
    JobKind,
    ProgressFn,
    default_registry,
)

release = threading.Event()


def slow_kind(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]:
    """Ten steps; waits for ``release`` at step 5 so tests can look at a running job."""
    out = context.work_dir / "slow.txt"
    with out.open("w", encoding="utf-8") as handle:
        for step in range(10):
            if cancel():
                raise JobCancelled()
            if step == 5:
                release.wait(10)
            handle.write(f"step {step}\n")
            progress((step + 1) / 10, f"step {step}")
            time.sleep(0.01)
    return [out]


def failing_kind(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]:
    """Writes half a file, then fails."""
    (context.work_dir / "half.mp3").write_bytes(b"ID3" + b"\0" * 100)
    progress(0.5, "half")
    raise InputError("坏了", "broken")


def folder_kind(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]:
    """A folder of two files (like an MP3 folder), zipped by the store."""
    folder = context.work_dir / "book"
    folder.mkdir()
    (folder / "01.txt").write_text("one", encoding="utf-8")
    (folder / "02.txt").write_text("two", encoding="utf-8")
    return [folder]


def _setup(tmp_path: Path) -> tuple[JobQueue, str]:
    settings = make_settings(tmp_path)
    engine = make_engine(settings)
    source = tmp_path / "book.txt"
    source.write_text(SAMPLE_TEXT, encoding="utf-8")
    book_id = CatalogStore(engine).save_book(ingest_path(source))
    kinds = {
        **default_registry(),
        "slow": JobKind("slow", ArtifactKind.DOCUMENT, "test", lambda: slow_kind),
        "failing": JobKind("failing", ArtifactKind.AUDIO, "test", lambda: failing_kind),
        "folder": JobKind("folder", ArtifactKind.MP3_FOLDER, "test", lambda: folder_kind),
    }
    queue = JobQueue(
        engine, settings, kinds, ArtifactStore(engine, settings.data_dir / "artifacts"), progress_interval_s=0
    )
    return queue, book_id


def _artifacts(queue: JobQueue) -> list[ArtifactRow]:
    with Session(queue._engine) as session:
        return list(session.scalars(select(ArtifactRow)))


def test_document_job_produces_a_checked_artifact(tmp_path: Path) -> None:
    queue, book_id = _setup(tmp_path)
    queue.start(workers=2)
    try:
        job = queue.submit(book_id, "document")
        done = wait_for(queue, job.id)
    finally:
        queue.stop()
    assert done.status == JobStatus.DONE, done.error
    assert done.progress == 1.0 and done.attempts == 1 and len(done.artifact_ids) == 1
    (row,) = _artifacts(queue)
    path = queue._artifacts.path_of(row)
    assert row.media_type == "application/json" and row.size == path.stat().st_size
    assert json.loads(path.read_text(encoding="utf-8"))["id"] == book_id
    assert not any((tmp_path / "data" / "work").glob("*"))


def test_folders_are_zipped_and_progress_has_an_eta(tmp_path: Path) -> None:
    queue, book_id = _setup(tmp_path)
    release.set()
    job = queue.submit(book_id, "folder")
    assert queue.claim() == job.id
    queue.run(job.id)
    assert queue.get(job.id).status == JobStatus.DONE
    (row,) = _artifacts(queue)
    assert row.filename == "book.zip" and row.media_type == "application/zip"
    import zipfile

    with zipfile.ZipFile(queue._artifacts.path_of(row)) as archive:
        assert sorted(archive.namelist()) == ["book/01.txt", "book/02.txt"]


def test_cancel_a_running_job_then_retry_it(tmp_path: Path) -> None:
    queue, book_id = _setup(tmp_path)
    release.clear()
    queue.start(workers=1)
    try:
        job = queue.submit(book_id, "slow")
        deadline = time.monotonic() + 10
        while queue.get(job.id).progress < 0.5 and time.monotonic() < deadline:
            time.sleep(0.02)
        running = queue.get(job.id)
        assert running.status == JobStatus.RUNNING
        assert running.eta_seconds is not None and running.eta_seconds >= 0
        assert running.message.startswith("step")
        queue.cancel(job.id)
        release.set()
        cancelled = wait_for(queue, job.id)
        assert cancelled.status == JobStatus.CANCELLED
        assert _artifacts(queue) == []
        retried = queue.retry(job.id)
        assert retried.status in (JobStatus.QUEUED, JobStatus.RUNNING)
        done = wait_for(queue, job.id)
        assert done.status == JobStatus.DONE and done.attempts == 2
    finally:
        queue.stop()


def test_a_failing_job_leaves_no_artifact_and_can_be_retried(tmp_path: Path) -> None:
    queue, book_id = _setup(tmp_path)
    job = queue.submit(book_id, "failing")
    assert queue.claim() == job.id
    queue.run(job.id)
    failed = queue.get(job.id)
    assert failed.status == JobStatus.FAILED and "broken" in failed.error
    assert _artifacts(queue) == []
    assert not (tmp_path / "data" / "work" / job.id).exists()
    try:
        queue.retry(queue.submit(book_id, "document").id)
    except InputError:
        pass
    else:
        raise AssertionError("a queued job must not be retried")


def test_a_layer_that_is_not_there_fails_with_not_available_yet(tmp_path: Path) -> None:
    from accessible_reader.jobs.registry import _from_layer

    queue, book_id = _setup(tmp_path)
    queue._kinds["braille_demo"] = JobKind(
        "braille_demo", ArtifactKind.BRF, "braille", _from_layer("accessible_reader.braille.nothing", "brf", "braille")
    )
    job = queue.submit(book_id, "braille_demo")
    assert queue.claim() == job.id
    queue.run(job.id)
    failed = queue.get(job.id)
    assert failed.status == JobStatus.FAILED
    assert "not available yet" in failed.error and "braille" in failed.error
    assert _artifacts(queue) == []


def test_unknown_kind_and_book_are_refused(tmp_path: Path) -> None:
    queue, book_id = _setup(tmp_path)
    for kind, book in (("nonsense", book_id), ("document", "nobook")):
        try:
            queue.submit(book, kind)
        except Exception as error:
            assert error.__class__.__name__ in ("InputError", "NotFoundError")
        else:
            raise AssertionError(kind)


def test_restart_requeues_running_jobs_and_cleans_half_written_files(tmp_path: Path) -> None:
    queue, book_id = _setup(tmp_path)
    job = queue.submit(book_id, "document")
    assert queue.claim() == job.id  # a worker took it ... and the process died
    leftover_work = queue.work_root / job.id / "partial.json"
    leftover_work.parent.mkdir(parents=True)
    leftover_work.write_text("{", encoding="utf-8")
    store_root = tmp_path / "data" / "artifacts"
    store_root.mkdir(parents=True)
    (store_root / ".incoming-abc").write_bytes(b"half")
    # a new process starts
    fresh = JobQueue(queue._engine, queue._settings, queue.kinds, ArtifactStore(queue._engine, store_root))
    assert fresh.recover() == 1
    assert fresh.get(job.id).status == JobStatus.QUEUED
    assert not leftover_work.exists() and not (store_root / ".incoming-abc").exists()
    fresh.start(workers=1)
    try:
        done = wait_for(fresh, job.id)
    finally:
        fresh.stop()
    assert done.status == JobStatus.DONE and done.attempts == 2


def test_two_claims_never_take_the_same_job(tmp_path: Path) -> None:
    queue, book_id = _setup(tmp_path)
    ids = {queue.submit(book_id, "document").id for _ in range(6)}
    claimed: list[str | None] = []
    threads = [threading.Thread(target=lambda: claimed.append(queue.claim())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = [c for c in claimed if c is not None]
    assert len(taken) == len(set(taken)) == 6 and set(taken) == ids
    with Session(queue._engine) as session:
        session.execute(update(JobRow).values(status=JobStatus.QUEUED))
        session.commit()
