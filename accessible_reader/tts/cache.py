"""A content-addressed segment cache on disk: synthesized runs keyed by engine, voice, settings and reading.

A re-export, or a book whose one paragraph was edited, re-synthesizes only the runs whose key is new.
Entries are raw PCM files ``<dir>/<k[:2]>/<key>.pcm`` (16-bit mono at the synthesizer's rate, which is
part of the key). Writes go to a temporary name in the same folder and are renamed, so a reader never
sees a partial entry; they are not fsynced (a lost entry is simply synthesized again), which keeps a
book of thousands of runs fast. Safe to share between processes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from accessible_reader.tts.engine import Pcm


class SegmentCache:
    """PCM by content key under ``root`` (e.g. ``<data dir>/cache/speech``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pcm"

    def get(self, key: str, sample_rate: int) -> Pcm | None:
        """The cached PCM for ``key``, or None."""
        try:
            return Pcm(self._path(key).read_bytes(), sample_rate)
        except OSError:
            return None

    def put(self, key: str, pcm: Pcm) -> None:
        """Store ``pcm`` under ``key``; a failure to write (disk full, read-only) only loses the entry."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".", suffix=".part", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pcm.samples)
            os.replace(temp, path)
        except OSError:
            return
