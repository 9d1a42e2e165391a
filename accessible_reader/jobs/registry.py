"""Job kinds: one name per conversion, an explicit registry and what each needs.

A job kind is a callable ``(book, context, progress, cancel) -> list[Path]`` that writes its
outputs inside ``context.work_dir`` and returns their paths (files or folders). The queue
(:mod:`accessible_reader.jobs.queue`) then moves them into the artifact store atomically;
a kind never writes into the artifact store itself, so a crash leaves no half-written
artifact. A kind's layer is imported only when a job of that kind runs; a layer that is not
there (or not finished) makes the job fail with :class:`EngineUnavailable` naming it.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from accessible_reader.atomic import atomic_write_text
from accessible_reader.catalog.service_models import ArtifactKind
from accessible_reader.document.model import Book
from accessible_reader.errors import EngineUnavailable, ReaderError
from accessible_reader.settings import Settings

ProgressFn = Callable[[float, str], None]
"""``progress(fraction, message)``: fraction of the work done, 0.0-1.0, and what is being done."""
CancelFn = Callable[[], bool]
"""``cancel()``: True once the job was cancelled; a kind checks it between units of work."""


class JobCancelled(ReaderError):
    """Raised by a job kind (or the queue) when the job was cancelled."""

    def __init__(self) -> None:
        super().__init__("任务已取消", "the job was cancelled")


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a job kind gets besides the book: settings, the job's options and its private work folder."""

    settings: Settings
    work_dir: Path
    options: Mapping[str, str | int | float | bool] = field(default_factory=dict)


class JobFunction(Protocol):
    """A conversion: writes outputs under ``context.work_dir`` and returns their paths."""

    def __call__(self, book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]: ...


@dataclass(frozen=True, slots=True)
class JobKind:
    """A registered conversion: its name, the artifact kind it makes and how to get its function."""

    name: str
    artifact_kind: ArtifactKind
    layer: str  # the package that provides it, for messages
    resolve: Callable[[], JobFunction]


def document_json(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]:
    """The document model as JSON (always available; the other layers read the same model)."""
    from accessible_reader.document.serialize import book_to_dict

    progress(0.0, "document")
    if cancel():
        raise JobCancelled()
    target = context.work_dir / f"{book.id}.json"
    atomic_write_text(target, json.dumps(book_to_dict(book), ensure_ascii=False, indent=1))
    progress(1.0, "document")
    return [target]


def _from_layer(module: str, attribute: str, layer: str) -> Callable[[], JobFunction]:
    """Resolve ``module.attribute`` when a job runs; EngineUnavailable when the layer lacks it."""

    def resolve() -> JobFunction:
        try:
            found: JobFunction = getattr(importlib.import_module(module), attribute)
        except (ImportError, AttributeError):
            raise EngineUnavailable(
                f"{layer} 部分尚未提供此转换（{module}.{attribute}），暂时不能使用",
                f"not available yet: the {layer} layer does not provide {module}.{attribute}",
                layer,
            ) from None
        return found

    return resolve


def _builtin(function: JobFunction) -> Callable[[], JobFunction]:
    return lambda: function


def default_registry() -> dict[str, JobKind]:
    """Every job kind of the service, in the order the web UI offers them.

    The ``jobs.adapters`` module holds the thin adapters from each layer's public function
    to the job-kind signature; a kind whose adapter or layer is missing fails its jobs with
    a clear "not available yet".
    """
    adapters = "accessible_reader.jobs.adapters"
    kinds = [
        JobKind("document", ArtifactKind.DOCUMENT, "document", _builtin(document_json)),
        JobKind("audio", ArtifactKind.AUDIO, "tts", _from_layer(adapters, "audio", "tts")),
        JobKind("brf", ArtifactKind.BRF, "braille", _from_layer(adapters, "brf", "braille")),
        JobKind("pef", ArtifactKind.PEF, "braille", _from_layer(adapters, "pef", "braille")),
        JobKind("daisy", ArtifactKind.DAISY, "export", _from_layer(adapters, "daisy", "export")),
        JobKind("epub", ArtifactKind.EPUB, "export", _from_layer(adapters, "epub", "export")),
        JobKind("mp3_folder", ArtifactKind.MP3_FOLDER, "export", _from_layer(adapters, "mp3_folder", "export")),
        JobKind("package", ArtifactKind.PACKAGE, "export", _from_layer(adapters, "package", "export")),
    ]
    return {kind.name: kind for kind in kinds}
