"""Atomic writes leave either the old file or the new one, never a partial file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from accessible_reader.atomic import atomic_write_bytes, atomic_write_text
from accessible_reader.errors import DeviceError


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.txt"
    atomic_write_text(target, "第一版")
    atomic_write_text(target, "第二版")
    assert target.read_text(encoding="utf-8") == "第二版"
    assert [p.name for p in target.parent.iterdir()] == ["b.txt"]


def test_full_disk_keeps_old_file_and_names_space_needed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DeviceError, match=r"需要约 2048 KB.*about 2048 KB needed"):
        atomic_write_bytes(target, b"x" * 2048 * 1024)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
