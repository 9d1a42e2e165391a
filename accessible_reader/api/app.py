"""``create_app(settings)``: the FastAPI application of the reading service. No import-time globals.

Everything long-lived (engine, catalog store, search, artifact store, job queue, password
hasher, signer, login rate limiter) is built here from ``settings`` and kept on
``app.state.services``; routes get it through :func:`accessible_reader.api.deps.get_services`.
The job workers start with the app (lifespan) and stop with it; ``start_workers=False``
leaves them off (tests that drive the queue by hand).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from accessible_reader.api.schemas import Health
from accessible_reader.api.security import LoginRateLimiter, Passwords, Signer, load_secret
from accessible_reader.api.services import Services
from accessible_reader.catalog.db import make_engine
from accessible_reader.catalog.search import CatalogSearch
from accessible_reader.catalog.store import CatalogStore
from accessible_reader.errors import (
    EngineUnavailable,
    InputError,
    NotFoundError,
    ReaderError,
    StorageError,
)
from accessible_reader.jobs.artifacts import ArtifactStore
from accessible_reader.jobs.queue import JobQueue
from accessible_reader.jobs.registry import JobKind, default_registry
from accessible_reader.settings import Settings

_log = logging.getLogger(__name__)


def build_services(settings: Settings, job_kinds: Mapping[str, JobKind] | None = None) -> Services:
    """Open the database (migrating it) and build every long-lived part of the service."""
    engine = make_engine(settings)
    search = CatalogSearch(engine)
    artifacts = ArtifactStore(engine, settings.data_dir / "artifacts")
    jobs = JobQueue(
        engine,
        settings,
        job_kinds if job_kinds is not None else default_registry(),
        artifacts,
        on_artifacts=search.refresh_formats,
    )
    return Services(
        settings=settings,
        engine=engine,
        store=CatalogStore(engine),
        search=search,
        artifacts=artifacts,
        jobs=jobs,
        passwords=Passwords(),
        signer=Signer(load_secret(settings)),
        login_limiter=LoginRateLimiter(settings.login_max_failures, settings.login_window_s),
    )


def _status_of(error: ReaderError) -> int:
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, InputError):
        return 400
    if isinstance(error, EngineUnavailable | StorageError):
        return 503
    return 400


def create_app(
    settings: Settings, *, start_workers: bool = True, job_kinds: Mapping[str, JobKind] | None = None
) -> FastAPI:
    """The service for ``settings``: API under ``/api``, signed downloads under ``/d``, staff web UI at ``/``."""
    services = build_services(settings, job_kinds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        services.search.sync()
        if start_workers:
            services.jobs.start()
        try:
            yield
        finally:
            services.jobs.stop()

    app = FastAPI(
        title="accessible_reader",
        summary="Reading service for blind readers: catalog, conversions, downloads, readers and deliveries.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.services = services

    @app.exception_handler(ReaderError)
    async def reader_error(_request: Request, error: ReaderError) -> JSONResponse:
        return JSONResponse(
            status_code=_status_of(error),
            content={"detail": error.one_line(), "message_zh": error.message_zh, "message_en": error.message_en},
        )

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, _error: Exception) -> JSONResponse:
        path = _crash_report(settings)
        return JSONResponse(
            status_code=500,
            content={"detail": f"内部错误，详情已记录在 {path} / internal error, written to {path}"},
        )

    from accessible_reader.api.routers import artifacts, auth, catalog, jobs, me, readers
    from accessible_reader.api.web import router as web_router

    for module in (auth, catalog, jobs, artifacts, readers, me):
        app.include_router(module.router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=str(files("accessible_reader.api") / "static")), name="static")

    @app.get("/api/health", tags=["service"])
    def health() -> Health:
        """The service is up: how many catalog records, how many jobs wait."""
        return Health(
            status="ok", records=services.store.count_records(), queued_jobs=len(services.jobs.list(500, "queued"))
        )

    return app


def _crash_report(settings: Settings) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = settings.log_dir / f"api-{stamp}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:
        _log.exception("internal error")
    return path
