"""Atomic file writes: a reader never sees a half-written output file.

Data is written to a temporary file in the target's own directory (same filesystem),
flushed and fsynced, then renamed over the target. On any error the temporary file is
removed and the previous target, if any, is left untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from accessible_reader.errors import DeviceError


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating parent folders.

    Raises DeviceError (with the space needed when the disk is full) and leaves nothing behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as error:
        Path(temp_name).unlink(missing_ok=True)
        raise _write_error(path, len(data), error) from None


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _write_error(path: Path, size: int, error: OSError) -> DeviceError:
    import errno

    if error.errno == errno.ENOSPC:
        kb = max(size // 1024, 1)
        return DeviceError(
            f"磁盘空间不足，需要约 {kb} KB；请清理空间或换一个位置",
            f"no space left: about {kb} KB needed; free some space or choose another place",
            path,
        )
    return DeviceError(
        f"无法写入文件（{error.strerror}）", f"cannot write the file ({error.strerror})", path
    )
