"""The service's long-lived parts, built once by ``create_app`` and injected into every route."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from accessible_reader.api.security import LoginRateLimiter, Passwords, Signer
from accessible_reader.catalog.search import CatalogSearch
from accessible_reader.catalog.store import CatalogStore
from accessible_reader.jobs.artifacts import ArtifactStore
from accessible_reader.jobs.queue import JobQueue
from accessible_reader.settings import Settings

if TYPE_CHECKING:
    from accessible_reader.text.readings import ReadingEngine


@dataclass
class Services:
    """Everything a request handler may need; one per app, shared by all requests (all thread-safe)."""

    settings: Settings
    engine: Engine
    store: CatalogStore
    search: CatalogSearch
    artifacts: ArtifactStore
    jobs: JobQueue
    passwords: Passwords
    signer: Signer
    login_limiter: LoginRateLimiter
    _extras: dict[str, object] = field(default_factory=dict)

    @cached_property
    def reading(self) -> ReadingEngine:
        """The reading layer (built on first use: loading jieba takes about a second)."""
        from accessible_reader.text.factory import reading_engine_for

        return reading_engine_for(self.settings)

    @property
    def uploads_dir(self) -> str:
        """Where uploads are kept: ``<data_dir>/uploads``, never served as static files."""
        return str(self.settings.data_dir / "uploads")
