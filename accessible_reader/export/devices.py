"""Loading talking books onto listening devices (USB sticks, MP3 players, 听书机, DAISY players).

A device is a mounted folder that must lie under one of ``Settings.device_mount_roots`` (no path
traversal: paths are resolved, symlinks included, before the check). :func:`load_folder` checks the free
space first, copies the book into a hidden temporary folder on the device, verifies every file's SHA-256
against the source, then renames the folder into place and records it in a small manifest
(``.accessible-reader.json`` at the device's root). A device that fills up or is pulled out mid-copy
leaves no half-written book under the book's name: only the hidden temporary folder, removed when possible
and swept at the next load. :func:`list_device` and :func:`remove_from_device` read and update the manifest;
only books this service loaded can be removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from accessible_reader.atomic import atomic_write_text
from accessible_reader.errors import DeviceError, InputError, NotFoundError

MANIFEST = ".accessible-reader.json"
PARTIAL_PREFIX = ".ar-loading-"
MARGIN_BYTES = 1 << 20
"""Free space kept on top of the book's size (directory entries, the manifest, FAT cluster slack)."""


@dataclass(frozen=True, slots=True)
class LoadedBook:
    """One book on a device, as its manifest entry records it."""

    folder: str
    title: str
    profile: str
    files: int
    bytes: int
    sha256: str  # SHA-256 over the sorted "path sha256" lines of every file
    loaded_at: str  # ISO 8601, UTC


def check_mount(mount: Path, roots: Sequence[Path]) -> Path:
    """The resolved ``mount`` when it is an existing folder under one of ``roots``; DeviceError otherwise."""
    try:
        resolved = mount.resolve(strict=True)
    except OSError:
        raise DeviceError(
            "找不到这个设备（未插好或未挂载）", "device not found (not plugged in or not mounted)", mount
        ) from None
    allowed = [r.resolve() for r in roots]
    if not any(resolved == root or resolved.is_relative_to(root) for root in allowed):
        shown = ", ".join(str(r) for r in roots)
        raise DeviceError(
            f"只能写入设备挂载目录（{shown}）下的位置", f"only places under the device mount roots ({shown})", mount
        )
    if not resolved.is_dir():
        raise DeviceError("这不是一个文件夹", "not a folder", mount)
    return resolved


def _check_name(folder: str) -> str:
    if not folder or folder in {".", ".."} or "/" in folder or "\\" in folder or folder.startswith("."):
        raise InputError(f"书的文件夹名无效：{folder!r}", f"invalid book folder name: {folder!r}")
    return folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(source: Path) -> list[Path]:
    return sorted(p for p in source.rglob("*") if p.is_file())


def load_folder(
    source: Path,
    mount: Path,
    *,
    roots: Sequence[Path],
    title: str,
    profile: str,
    folder: str | None = None,
) -> LoadedBook:
    """Copy the export folder ``source`` onto the device at ``mount`` as ``folder`` (default: source's name).

    Raises DeviceError: outside the mount roots, not enough space (says how much is needed), a write
    failure or a checksum mismatch; in every case nothing is visible under ``folder`` except a complete
    earlier copy, which is replaced only once the new one is verified.
    """
    device = check_mount(mount, roots)
    name = _check_name(folder or source.name)
    if not source.is_dir():
        raise InputError("要装入的书不存在", "the book to load does not exist", source)
    files = _files(source)
    needed = sum(p.stat().st_size for p in files) + MARGIN_BYTES
    _sweep_partial(device)
    free = shutil.disk_usage(device).free
    if free < needed:
        need_mb, free_mb = needed / 1_048_576, free / 1_048_576
        raise DeviceError(
            f"设备空间不足：需要 {need_mb:.1f} MB，只剩 {free_mb:.1f} MB；请删掉一些书再试",
            f"not enough space on the device: {need_mb:.1f} MB needed, {free_mb:.1f} MB free; "
            "remove some books and try again",
            mount,
        )
    temp = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{name}.", dir=device))
    lines: list[str] = []
    try:
        for path in files:
            relative = path.relative_to(source).as_posix()
            dest = temp / relative
            dest.parent.mkdir(parents=True, exist_ok=True)
            expected = _sha256(path)
            shutil.copyfile(path, dest)
            with dest.open("rb") as handle:
                os.fsync(handle.fileno())
            if _sha256(dest) != expected:
                raise DeviceError(
                    f"校验失败：{relative} 写入设备后内容不一致；设备可能损坏",
                    f"checksum mismatch: {relative} differs after writing; the device may be faulty",
                    mount,
                )
            lines.append(f"{relative} {expected}")
        _replace(temp, device / name)
    except OSError as error:
        shutil.rmtree(temp, ignore_errors=True)
        raise DeviceError(
            f"写入设备失败（{error.strerror or error}）；设备上没有留下不完整的书，请插好后重试",
            f"writing to the device failed ({error.strerror or error}); no partial book was left on it, "
            "reconnect it and try again",
            mount,
        ) from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    book = LoadedBook(
        folder=name,
        title=title,
        profile=profile,
        files=len(files),
        bytes=needed - MARGIN_BYTES,
        sha256=hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest(),
        loaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    entries = {b.folder: b for b in _read_manifest(device)}
    entries[name] = book
    _write_manifest(device, list(entries.values()))
    return book


def _replace(temp: Path, final: Path) -> None:
    if not final.exists():
        os.replace(temp, final)
        return
    trash = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}old.", dir=final.parent))
    os.replace(final, trash / final.name)
    os.replace(temp, final)
    shutil.rmtree(trash, ignore_errors=True)


def _sweep_partial(device: Path) -> None:
    """Remove hidden temporary folders left by an earlier interrupted load."""
    for leftover in device.glob(f"{PARTIAL_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _read_manifest(device: Path) -> list[LoadedBook]:
    path = device / MANIFEST
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [LoadedBook(**entry) for entry in data.get("books", [])]
    except (ValueError, TypeError, AttributeError):
        raise DeviceError(
            f"设备上的清单文件 {MANIFEST} 已损坏；可删除它后重新装入",
            f"the device manifest {MANIFEST} is damaged; delete it and load the books again",
            path,
        ) from None


def _write_manifest(device: Path, books: list[LoadedBook]) -> None:
    data = {"generator": "accessible_reader", "books": [asdict(b) for b in sorted(books, key=lambda b: b.folder)]}
    atomic_write_text(device / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def list_device(mount: Path, *, roots: Sequence[Path]) -> list[LoadedBook]:
    """Books this service loaded onto the device at ``mount`` and still present there, by folder name."""
    device = check_mount(mount, roots)
    return [b for b in _read_manifest(device) if (device / b.folder).is_dir()]


def remove_from_device(mount: Path, folder: str, *, roots: Sequence[Path]) -> LoadedBook:
    """Remove a book this service loaded (NotFoundError for anything else); the manifest is updated last."""
    device = check_mount(mount, roots)
    name = _check_name(folder)
    entries = {b.folder: b for b in _read_manifest(device)}
    if name not in entries:
        raise NotFoundError(
            f"设备上没有本系统装入的 {name}", f"no book called {name} loaded by this service on the device", mount
        )
    target = device / name
    if target.exists():
        trash = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}rm.", dir=device))
        try:
            os.replace(target, trash / name)
        except OSError as error:
            shutil.rmtree(trash, ignore_errors=True)
            raise DeviceError(f"无法删除（{error.strerror}）", f"cannot remove ({error.strerror})", target) from None
        shutil.rmtree(trash, ignore_errors=True)
    removed = entries.pop(name)
    _write_manifest(device, list(entries.values()))
    return removed
