"""Conversion jobs: submit, list, cancel, retry, and live progress as Server-Sent Events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from accessible_reader.api.deps import ServicesDep, StaffDep, TranscriberDep, audit
from accessible_reader.api.schemas import JobIn, JobKindOut, JobOut
from accessible_reader.api.services import Services
from accessible_reader.jobs.queue import TERMINAL, JobInfo

router = APIRouter(prefix="/api", tags=["jobs"])


def job_out(info: JobInfo) -> JobOut:
    """The API view of a job."""
    return JobOut(
        id=info.id,
        kind=info.kind,
        book_id=info.book_id,
        status=info.status,
        progress=info.progress,
        percent=round(info.progress * 100),
        eta_seconds=info.eta_seconds,
        message=info.message,
        error=info.error,
        attempts=info.attempts,
        created_at=info.created_at,
        started_at=info.started_at,
        finished_at=info.finished_at,
        artifact_ids=list(info.artifact_ids),
    )


@router.get("/job-kinds")
def job_kinds(staff: StaffDep, services: ServicesDep) -> list[JobKindOut]:
    """The conversions the service knows (a kind whose layer is missing fails with "not available yet")."""
    return [JobKindOut(name=k.name, artifact_kind=k.artifact_kind, layer=k.layer) for k in services.jobs.kinds.values()]


@router.post("/jobs", status_code=201, responses={400: {}, 404: {}})
def submit(body: JobIn, staff: TranscriberDep, services: ServicesDep) -> JobOut:
    """Queue a conversion of a stored book."""
    info = services.jobs.submit(body.book_id, body.kind, body.options, staff.id)
    audit(services, staff, "job_submit", info.id, f"{body.kind} {body.book_id}")
    return job_out(info)


@router.get("/jobs")
def list_jobs(staff: StaffDep, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[JobOut]:
    """The newest jobs."""
    return [job_out(i) for i in services.jobs.list(limit)]


@router.get("/jobs/{job_id}", responses={404: {}})
def get_job(job_id: str, staff: StaffDep, services: ServicesDep) -> JobOut:
    """One job's state, with the ids of the artifacts it produced."""
    return job_out(services.jobs.get(job_id))


@router.post("/jobs/{job_id}/cancel", responses={404: {}})
def cancel(job_id: str, staff: TranscriberDep, services: ServicesDep) -> JobOut:
    """Cancel a queued job, or ask a running one to stop."""
    info = services.jobs.cancel(job_id)
    audit(services, staff, "job_cancel", job_id)
    return job_out(info)


@router.post("/jobs/{job_id}/retry", responses={400: {}, 404: {}})
def retry(job_id: str, staff: TranscriberDep, services: ServicesDep) -> JobOut:
    """Queue a failed or cancelled job again."""
    info = services.jobs.retry(job_id)
    audit(services, staff, "job_retry", job_id)
    return job_out(info)


async def job_events(services: Services, job_id: str, request: Request, poll_s: float = 0.3) -> AsyncIterator[str]:
    """SSE lines: a ``progress`` event each time the job changes, ``end`` when it is finished."""
    last = ""
    while True:
        info = await asyncio.to_thread(services.jobs.get, job_id)
        data = job_out(info).model_dump_json()
        if data != last:
            last = data
            yield f"event: progress\ndata: {data}\n\n"
        if info.status in TERMINAL:
            yield f"event: end\ndata: {json.dumps({'status': info.status})}\n\n"
            return
        if await request.is_disconnected():
            return
        await asyncio.sleep(poll_s)


@router.get(
    "/jobs/{job_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, 404: {}},
)
def events(job_id: str, request: Request, staff: StaffDep, services: ServicesDep) -> StreamingResponse:
    """Live progress (percent as ``progress`` 0-1, ``eta_seconds``) as Server-Sent Events until the job ends."""
    services.jobs.get(job_id)  # 404 before the stream starts
    return StreamingResponse(
        job_events(services, job_id, request),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
