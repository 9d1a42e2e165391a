"""Ingest: files of every supported format -> :class:`~accessible_reader.document.model.Book`.

One function per format, each ``(path, limits) -> Book``, looked up in an explicit
registry by file suffix. ``ingest_path`` is the only entry point the rest of the service
uses.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from accessible_reader.document.ingest.source import IngestLimits
from accessible_reader.document.ingest.txt import ingest_txt
from accessible_reader.document.model import Book
from accessible_reader.errors import UnsupportedFormatError

Ingester = Callable[[Path, IngestLimits], Book]


def _registry() -> dict[str, Ingester]:
    from accessible_reader.document.ingest.docx import ingest_docx
    from accessible_reader.document.ingest.epub import ingest_epub
    from accessible_reader.document.ingest.html import ingest_html, ingest_markdown

    return {
        ".txt": ingest_txt,
        ".text": ingest_txt,
        ".md": ingest_markdown,
        ".markdown": ingest_markdown,
        ".html": ingest_html,
        ".htm": ingest_html,
        ".xhtml": ingest_html,
        ".epub": ingest_epub,
        ".docx": ingest_docx,
    }


def supported_suffixes() -> list[str]:
    """File suffixes ``ingest_path`` accepts."""
    return sorted(_registry())


def ingest_path(path: Path, limits: IngestLimits | None = None) -> Book:
    """Read a book file of any supported format into the document model.

    Raises :class:`~accessible_reader.errors.InputError` (or its subclass
    UnsupportedFormatError) with a message naming the file and the problem.
    """
    ingester = _registry().get(path.suffix.lower())
    if ingester is None:
        names = "、".join(supported_suffixes())
        raise UnsupportedFormatError(
            f"不支持的文件格式“{path.suffix or '无扩展名'}”；支持：{names}",
            f"unsupported file format '{path.suffix or 'no extension'}'; supported: {', '.join(supported_suffixes())}",
            path,
        )
    return ingester(path, limits or IngestLimits())


__all__ = ["IngestLimits", "Ingester", "ingest_path", "supported_suffixes"]
