"""The artifact store: produced files under ``<data_dir>/artifacts``, entered atomically.

A job's output (a file, or a folder which is zipped) is first written as a hidden temporary
file in the store's own folder, fsynced, then renamed to ``<artifact id><suffix>``, and only
then recorded in the database. A crash at any point leaves either nothing or a complete file;
leftover temporaries are removed by :meth:`ArtifactStore.clean_temporaries` at start-up.
"""

from __future__ import annotations

import hashlib
import io
import json
import mimetypes
import os
import shutil
import tempfile
import threading
import uuid
import zipfile
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from accessible_reader.catalog.service_models import ArtifactRow
from accessible_reader.errors import NotFoundError

MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".pef": "application/x-pef+xml",
    ".brf": "text/plain; charset=us-ascii",
    ".epub": "application/epub+zip",
    ".zip": "application/zip",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".smil": "application/smil+xml",
}
_TEMP_PREFIX = ".incoming-"
_CACHE_ROWS = 4096


def media_type(name: str) -> str:
    """The MIME type served for a file name (MP3 as audio/mpeg, PEF, BRF, EPUB, ZIP...)."""
    suffix = Path(name).suffix.lower()
    return MEDIA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _mp3_seconds(handle: BinaryIO) -> float:
    try:
        from mutagen.mp3 import MP3

        audio = MP3(handle)  # type: ignore[no-untyped-call]
        return float(audio.info.length) if audio.info is not None else 0.0
    except Exception:  # mutagen raises several error types for non-MP3 data; such a file has no duration
        return 0.0


def measure(path: Path) -> dict[str, float | int]:
    """What the annual report counts of an artifact: ``duration_s`` of its MP3 audio, ``pages`` of Braille.

    MP3 files are measured directly or inside a zip (DAISY, MP3 folder, package); BRF pages
    are counted by form feeds, PEF pages by ``<page`` elements. Other files give ``{}``.
    """
    suffix = path.suffix.lower()
    if suffix == ".mp3":
        with path.open("rb") as handle:
            return {"duration_s": round(_mp3_seconds(handle), 3)}
    if suffix in (".zip", ".epub"):
        total = 0.0
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.lower().endswith(".mp3"):
                    with archive.open(name) as member:
                        total += _mp3_seconds(io.BytesIO(member.read()))
        return {"duration_s": round(total, 3)} if total else {}
    if suffix == ".brf":
        data = path.read_bytes().rstrip(b"\f\r\n")
        return {"pages": data.count(b"\f") + 1 if data else 0}
    if suffix == ".pef":
        return {"pages": path.read_bytes().count(b"<page")}
    return {}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ArtifactStore:
    """Stores job outputs as artifacts and finds them again. Thread-safe (a session per call)."""

    def __init__(self, engine: Engine, root: Path) -> None:
        self._engine = engine
        self.root = root
        self._rows: dict[str, ArtifactRow] = {}  # artifacts never change once stored: cache for downloads
        self._lock = threading.Lock()

    def clean_temporaries(self) -> int:
        """Remove half-written temporaries left by a crash; return how many were removed."""
        if not self.root.exists():
            return 0
        removed = 0
        for leftover in self.root.glob(f"{_TEMP_PREFIX}*"):
            leftover.unlink(missing_ok=True)
            removed += 1
        return removed

    def add(
        self, book_id: str, job_id: str | None, kind: str, produced: Path, settings: dict[str, object] | None = None
    ) -> ArtifactRow:
        """Move ``produced`` (a file, or a folder which is zipped) into the store and record it."""
        self.root.mkdir(parents=True, exist_ok=True)
        artifact_id = uuid.uuid4().hex
        fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=self.root)
        os.close(fd)
        temp = Path(temp_name)
        try:
            if produced.is_dir():
                filename = f"{produced.name}.zip"
                with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
                    for item in sorted(produced.rglob("*")):
                        if item.is_file():
                            archive.write(item, Path(produced.name) / item.relative_to(produced))
            else:
                filename = produced.name
                shutil.copyfile(produced, temp)
            with temp.open("rb+") as handle:
                os.fsync(handle.fileno())
            suffix = Path(filename).suffix.lower()
            final = self.root / f"{artifact_id}{suffix}"
            os.replace(temp, final)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        row = ArtifactRow(
            id=artifact_id,
            book_id=book_id,
            job_id=job_id,
            kind=kind,
            filename=filename,
            path=final.name,
            media_type=media_type(filename),
            size=final.stat().st_size,
            checksum=_sha256(final),
            settings_json=json.dumps({**(settings or {}), **measure(final)}, ensure_ascii=False),
        )
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            session.add(row)
        return row

    def get(self, artifact_id: str) -> ArtifactRow:
        """The artifact row (cached: rows never change once stored); NotFoundError when there is none."""
        with self._lock:
            cached = self._rows.get(artifact_id)
        if cached is not None:
            return cached
        with Session(self._engine, expire_on_commit=False) as session:
            row = session.get(ArtifactRow, artifact_id)
            if row is not None:
                session.expunge(row)
        if row is not None:
            with self._lock:
                if len(self._rows) >= _CACHE_ROWS:
                    self._rows.clear()
                self._rows[artifact_id] = row
        if row is None:
            raise NotFoundError(f"没有编号为 {artifact_id} 的文件", f"no artifact with id {artifact_id}", artifact_id)
        return row

    def path_of(self, row: ArtifactRow) -> Path:
        """The artifact's file; NotFoundError when it has gone (never outside the store)."""
        path = self.root / Path(row.path).name  # a bare generated name: never outside the store
        if not path.is_file():
            raise NotFoundError("文件已不在存储中", "the artifact's file is missing from the store", row.id)
        return path
