"""The conversion job queue: rows in the ``jobs`` table, run by an in-process pool of worker threads.

Life of a job: ``queued`` -> ``running`` -> ``done`` | ``failed`` | ``cancelled``. A worker
claims the oldest queued job with a conditional UPDATE (so two workers never take the same
job, even across processes), runs its kind in a private work folder
``<data_dir>/work/<job id>``, then moves the outputs into the artifact store (atomic
rename) and marks the job done. Progress (fraction 0-1, ETA in seconds) is written to the
row at most every ``progress_interval_s`` and read by the API's Server-Sent Events.

Restart: :meth:`JobQueue.recover` (called by :meth:`start`) puts jobs left ``running`` by a
crash back to ``queued``, removes their work folders and any half-written artifact
temporaries; they run again from the start, reusing whatever the speech layer's segment
cache already holds. Cancel sets a flag the running kind sees through ``cancel()``;
retry queues a failed or cancelled job again.

Workers are threads: the heavy work (espeak-ng, ffmpeg, liblouis) runs in native code or
subprocesses, so two threads keep both cores busy.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from accessible_reader.catalog.service_models import JobRow, JobStatus
from accessible_reader.catalog.store import CatalogStore
from accessible_reader.errors import InputError, NotFoundError, ReaderError
from accessible_reader.jobs.artifacts import ArtifactStore
from accessible_reader.jobs.registry import CancelFn, JobCancelled, JobContext, JobKind, ProgressFn
from accessible_reader.settings import Settings

Options = Mapping[str, str | int | float | bool]
TERMINAL = frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED})


@dataclass(frozen=True, slots=True)
class JobInfo:
    """A snapshot of one job, as the API and the web UI show it. ``progress`` is 0.0-1.0."""

    id: str
    kind: str
    book_id: str
    status: str
    progress: float
    eta_seconds: float | None
    message: str
    error: str
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    artifact_ids: tuple[str, ...] = ()


def _info(row: JobRow, artifact_ids: tuple[str, ...] = ()) -> JobInfo:
    return JobInfo(
        id=row.id,
        kind=row.kind,
        book_id=row.book_id,
        status=row.status,
        progress=row.progress,
        eta_seconds=row.eta_seconds,
        message=row.message,
        error=row.error,
        attempts=row.attempts,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        artifact_ids=artifact_ids,
    )


def _now() -> datetime:
    return datetime.now(UTC)


class JobQueue:
    """Submit, watch, cancel and retry jobs; run them with ``workers`` threads. Thread-safe.

    ``on_artifacts(book_id)`` is called after a job stored its artifacts (the service uses it
    to refresh the formats in the search index).
    """

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        kinds: Mapping[str, JobKind],
        artifacts: ArtifactStore,
        *,
        on_artifacts: Callable[[str], None] | None = None,
        progress_interval_s: float = 0.25,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._kinds = dict(kinds)
        self._artifacts = artifacts
        self._on_artifacts = on_artifacts
        self._interval = progress_interval_s
        self._store = CatalogStore(engine)
        self._wake = threading.Condition()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._cancelled: set[str] = set()
        self._lock = threading.Lock()
        self.work_root = settings.data_dir / "work"

    @property
    def kinds(self) -> Mapping[str, JobKind]:
        """The registered job kinds by name."""
        return self._kinds

    # -- submitting and watching ---------------------------------------------------------

    def submit(self, book_id: str, kind: str, options: Options | None = None, staff_id: int | None = None) -> JobInfo:
        """Queue a ``kind`` job for the stored book ``book_id``; InputError for an unknown kind."""
        if kind not in self._kinds:
            raise InputError(
                f"未知的任务类型：{kind}；可选：{'、'.join(self._kinds)}",
                f"unknown job kind: {kind}; known: {', '.join(self._kinds)}",
            )
        self._store.get_book(book_id)  # NotFoundError when there is no such book
        row = JobRow(
            id=uuid.uuid4().hex,
            kind=kind,
            book_id=book_id,
            status=JobStatus.QUEUED,
            progress=0.0,
            message="",
            error="",
            attempts=0,
            cancel_requested=False,
            options_json=json.dumps(dict(options or {}), ensure_ascii=False),
            created_by=staff_id,
            created_at=_now(),
        )
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            session.add(row)
        with self._wake:
            self._wake.notify()
        return _info(row)

    def get(self, job_id: str) -> JobInfo:
        """The job's current state; NotFoundError when there is none."""
        from accessible_reader.catalog.service_models import ArtifactRow

        with Session(self._engine) as session:
            row = session.get(JobRow, job_id)
            if row is None:
                raise NotFoundError(f"没有编号为 {job_id} 的任务", f"no job with id {job_id}", job_id)
            artifact_ids = tuple(session.scalars(select(ArtifactRow.id).where(ArtifactRow.job_id == job_id)))
            return _info(row, artifact_ids)

    def list(self, limit: int = 100, status: str | None = None) -> list[JobInfo]:
        """The newest ``limit`` jobs, optionally of one status."""
        with Session(self._engine) as session:
            statement = select(JobRow).order_by(JobRow.created_at.desc()).limit(limit)
            if status:
                statement = statement.where(JobRow.status == status)
            return [_info(row) for row in session.scalars(statement)]

    def cancel(self, job_id: str) -> JobInfo:
        """Cancel a queued job at once, or ask a running one to stop; finished jobs stay as they are."""
        with Session(self._engine) as session, session.begin():
            row = session.get(JobRow, job_id)
            if row is None:
                raise NotFoundError(f"没有编号为 {job_id} 的任务", f"no job with id {job_id}", job_id)
            if row.status == JobStatus.QUEUED:
                row.status, row.finished_at = JobStatus.CANCELLED, _now()
            elif row.status == JobStatus.RUNNING:
                row.cancel_requested = True
                with self._lock:
                    self._cancelled.add(job_id)
        return self.get(job_id)

    def retry(self, job_id: str) -> JobInfo:
        """Queue a failed or cancelled job again; InputError for a job that is queued, running or done."""
        with Session(self._engine) as session, session.begin():
            row = session.get(JobRow, job_id)
            if row is None:
                raise NotFoundError(f"没有编号为 {job_id} 的任务", f"no job with id {job_id}", job_id)
            if row.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
                raise InputError(
                    "只有失败或已取消的任务可以重试", "only a failed or cancelled job can be retried", job_id
                )
            row.status, row.progress, row.eta_seconds = JobStatus.QUEUED, 0.0, None
            row.error, row.message, row.cancel_requested, row.finished_at = "", "", False, None
        with self._lock:
            self._cancelled.discard(job_id)
        with self._wake:
            self._wake.notify()
        return self.get(job_id)

    # -- running -------------------------------------------------------------------------

    def recover(self) -> int:
        """Re-queue jobs a crash left running and clean their leftovers; return how many were re-queued."""
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                update(JobRow)
                .where(JobRow.status == JobStatus.RUNNING)
                .values(status=JobStatus.QUEUED, message="resumed after restart", eta_seconds=None)
            )
            count = int(getattr(result, "rowcount", 0) or 0)
        if self.work_root.exists():
            shutil.rmtree(self.work_root, ignore_errors=True)
        self._artifacts.clean_temporaries()
        return count

    def start(self, workers: int | None = None) -> None:
        """Recover, then start the worker threads (``Settings.job_workers`` by default)."""
        if self._threads:
            return
        self.recover()
        self._stopping.clear()
        for number in range(workers if workers is not None else self._settings.job_workers):
            thread = threading.Thread(target=self._work, name=f"job-worker-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask the workers to stop after their current job and wait up to ``timeout_s`` seconds."""
        self._stopping.set()
        with self._wake:
            self._wake.notify_all()
        for thread in self._threads:
            thread.join(timeout_s)
        self._threads = []

    def _work(self) -> None:
        while not self._stopping.is_set():
            job_id = self.claim()
            if job_id is None:
                with self._wake:
                    self._wake.wait(1.0)
                continue
            self.run(job_id)

    def claim(self) -> str | None:
        """Mark the oldest queued job running and return its id; None when the queue is empty.

        The conditional UPDATE makes the claim atomic; when other workers took every candidate
        in the meantime, the next oldest are tried until none is left.
        """
        while True:
            with Session(self._engine) as session, session.begin():
                candidates = session.scalars(
                    select(JobRow.id).where(JobRow.status == JobStatus.QUEUED).order_by(JobRow.created_at).limit(5)
                ).all()
                if not candidates:
                    return None
                for job_id in candidates:
                    result = session.execute(
                        update(JobRow)
                        .where(JobRow.id == job_id, JobRow.status == JobStatus.QUEUED)
                        .values(status=JobStatus.RUNNING, started_at=_now(), attempts=JobRow.attempts + 1)
                    )
                    if getattr(result, "rowcount", 0) == 1:
                        return job_id

    def run(self, job_id: str) -> None:
        """Run one claimed job to its end (done, failed or cancelled). Never raises."""
        with Session(self._engine) as session:
            row = session.get(JobRow, job_id)
            if row is None:
                return
            kind_name, book_id, options = row.kind, row.book_id, json.loads(row.options_json or "{}")
        work_dir = self.work_root / job_id
        shutil.rmtree(work_dir, ignore_errors=True)
        work_dir.mkdir(parents=True)
        progress, cancelled = self._callbacks(job_id)
        try:
            kind = self._kinds[kind_name]
            function = kind.resolve()
            book = self._store.get_book(book_id)
            context = JobContext(settings=self._settings, work_dir=work_dir, options=options)
            outputs = function(book, context, progress, cancelled)
            if cancelled():
                raise JobCancelled()
            for output in outputs:
                if not output.resolve().is_relative_to(work_dir.resolve()):
                    raise InputError("转换结果不在任务文件夹中", "a job output lies outside its work folder", output)
            for output in outputs:
                self._artifacts.add(book_id, job_id, kind.artifact_kind, output, dict(options))
            if self._on_artifacts is not None:
                self._on_artifacts(book_id)
            self._finish(job_id, JobStatus.DONE, "")
        except JobCancelled:
            restart = self._stopping.is_set() and not self._cancel_flag(job_id)
            if restart:  # the service is stopping: leave the job for the next start
                self._update(job_id, status=JobStatus.QUEUED, message="interrupted by shutdown")
            else:
                self._finish(job_id, JobStatus.CANCELLED, "")
        except ReaderError as error:
            self._finish(job_id, JobStatus.FAILED, error.one_line())
        except Exception:
            log = self._crash_log(job_id)
            self._finish(job_id, JobStatus.FAILED, f"内部错误，详情见 {log} / internal error, see {log}")
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
            with self._lock:
                self._cancelled.discard(job_id)

    def _callbacks(self, job_id: str) -> tuple[ProgressFn, CancelFn]:
        """The ``progress`` (throttled DB write with ETA) and ``cancel`` callbacks of one run."""
        started = time.monotonic()
        last_write = [0.0]

        def cancelled() -> bool:
            with self._lock:
                if job_id in self._cancelled:
                    return True
            return self._stopping.is_set()

        def progress(fraction: float, message: str = "") -> None:
            now = time.monotonic()
            fraction = min(max(fraction, 0.0), 1.0)
            if now - last_write[0] < self._interval and fraction < 1.0:
                return
            last_write[0] = now
            elapsed = now - started
            eta = elapsed * (1.0 - fraction) / fraction if fraction > 0 else None
            self._update(job_id, progress=fraction, eta_seconds=eta, message=message[:500])
            if self._cancel_flag(job_id):
                with self._lock:
                    self._cancelled.add(job_id)

        return progress, cancelled

    def _cancel_flag(self, job_id: str) -> bool:
        with Session(self._engine) as session:
            return bool(session.scalar(select(JobRow.cancel_requested).where(JobRow.id == job_id)))

    def _update(self, job_id: str, **values: object) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(update(JobRow).where(JobRow.id == job_id).values(**values))

    def _finish(self, job_id: str, status: JobStatus, error: str) -> None:
        values: dict[str, object] = {"status": status, "error": error, "finished_at": _now(), "eta_seconds": None}
        if status == JobStatus.DONE:
            values["progress"] = 1.0
        self._update(job_id, **values)

    def _crash_log(self, job_id: str) -> Path:
        path = self._settings.log_dir / f"job-{job_id}.log"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(traceback.format_exc(), encoding="utf-8")
        except OSError:
            pass
        return path


def wait_for(queue: JobQueue, job_id: str, timeout_s: float = 30.0) -> JobInfo:
    """Poll until the job reaches a terminal state or ``timeout_s`` passes (for tests and the CLI)."""
    deadline = time.monotonic() + timeout_s
    info = queue.get(job_id)
    while info.status not in TERMINAL and time.monotonic() < deadline:
        time.sleep(0.05)
        info = queue.get(job_id)
    return info
