"""Uploads: limited in size and type, stored outside any served folder under generated names."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

from fastapi import HTTPException, UploadFile, status

BOOK_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub", ".docx"})
CATALOG_SUFFIXES = frozenset({".mrc", ".iso", ".marc", ".xml", ".csv", ".tsv"})
_ZIP_SUFFIXES = frozenset({".epub", ".docx"})
_CHUNK = 1 << 16


def safe_suffix(filename: str | None, allowed: frozenset[str]) -> str:
    """The lower-cased suffix of an uploaded file's name if allowed; 415 otherwise.

    Only the suffix is kept: the name itself (which may hold ``../`` or a drive) never
    reaches the filesystem.
    """
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            detail=f"不接受这种文件（{suffix or '无扩展名'}）；可上传：{' '.join(sorted(allowed))} / "
            f"file type not accepted ({suffix or 'no extension'}); allowed: {' '.join(sorted(allowed))}",
        )
    return suffix


async def save_upload(upload: UploadFile, folder: Path, allowed: frozenset[str], max_bytes: int) -> Path:
    """Store ``upload`` as ``folder/<random hex><suffix>`` (atomically); 413 past ``max_bytes``, 415 for a bad type."""
    suffix = safe_suffix(upload.filename, allowed)
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=".upload-", dir=folder)
    size = 0
    first = b""
    try:
        with os.fdopen(fd, "wb") as handle:
            while chunk := await upload.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise HTTPException(
                        status.HTTP_413_CONTENT_TOO_LARGE,
                        detail=f"文件太大（上限 {max_bytes // (1024 * 1024)} MB） / file too large "
                        f"(limit {max_bytes // (1024 * 1024)} MB)",
                    )
                if not first:
                    first = chunk[:4]
                handle.write(chunk)
        if suffix in _ZIP_SUFFIXES and not first.startswith(b"PK\x03\x04"):
            raise HTTPException(
                status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                detail=f"文件内容不是 {suffix} 格式 / the file's content is not {suffix}",
            )
        if size == 0:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="文件是空的 / the file is empty")
        target = folder / f"{uuid.uuid4().hex}{suffix}"
        os.replace(temp_name, target)
        return target
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
