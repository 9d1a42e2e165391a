"""An export held in memory as a tree of files, and the writers that store it atomically.

Converters build an :class:`OutputTree` (relative POSIX path -> :class:`Entry`); audio entries name their
source file instead of holding its bytes, so an export of many hours costs no memory. :func:`write_tree`
writes everything into a hidden temporary folder beside the target, then renames it into place;
:func:`write_zip` writes a ZIP to a temporary file, then renames it. On any error the temporary folder or
file is removed and an earlier output at the target is left untouched.
"""

from __future__ import annotations

import errno
import os
import shutil
import struct
import tempfile
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from accessible_reader.audio.book_audio import file_crc32
from accessible_reader.errors import DeviceError


class Entry(Protocol):
    """One file of an export: it knows its size and how to write itself to ``dest`` (a new file)."""

    def size(self) -> int:
        """Bytes this entry will take once written (exact, or a close upper estimate)."""
        ...

    def write_to(self, dest: Path) -> None:
        """Create ``dest`` with the entry's content."""
        ...


@dataclass(frozen=True, slots=True)
class Data:
    """A file whose content is in memory (XML, playlists, manifests)."""

    content: bytes

    def size(self) -> int:
        """Length of the content in bytes."""
        return len(self.content)

    def write_to(self, dest: Path) -> None:
        """Write the bytes to ``dest``."""
        dest.write_bytes(self.content)


@dataclass(frozen=True, slots=True)
class CopyOf:
    """A file copied byte for byte from ``source`` (audio that is already MP3 is never re-encoded).

    ``recorded_size`` / ``recorded_crc32``: what the source's producer recorded when it wrote the file; a ZIP
    writer uses the CRC only while the file still has that size, else it computes it.
    """

    source: Path
    recorded_size: int | None = None
    recorded_crc32: int | None = None

    def size(self) -> int:
        """Size of the source file in bytes."""
        return self.source.stat().st_size

    def write_to(self, dest: Path) -> None:
        """Copy the source's bytes (in-kernel copy where the OS offers it)."""
        shutil.copyfile(self.source, dest)


@dataclass(frozen=True, slots=True)
class LinkOrCopy:
    """A file that shares the source's bytes by hard link when both lie on one disk, else a byte copy.

    For audio the speech layer writes atomically (temp file + rename), so the shared bytes never change
    under the export; it saves the disk space and time of a second copy of many hours of MP3.
    """

    source: Path

    def size(self) -> int:
        """Size of the source file in bytes (an upper bound: a hard link takes none)."""
        return self.source.stat().st_size

    def write_to(self, dest: Path) -> None:
        """Hard-link the source to ``dest``; copy the bytes when linking is not possible."""
        try:
            os.link(self.source, dest)
        except OSError:
            shutil.copyfile(self.source, dest)


@dataclass
class OutputTree:
    """Files of one export, keyed by relative POSIX path (``ncc.html``, ``audio/h1.mp3``), in writing order."""

    files: dict[str, Entry] = field(default_factory=dict)

    def add(self, path: str, entry: Entry | bytes | str) -> None:
        """Add a file; ``str`` is stored as UTF-8, ``bytes`` as is. Raises ValueError on an unsafe or repeated path."""
        if path.startswith("/") or ".." in path.split("/") or path in self.files:
            raise ValueError(f"bad or repeated export path: {path}")
        if isinstance(entry, str):
            entry = Data(entry.encode("utf-8"))
        elif isinstance(entry, bytes):
            entry = Data(entry)
        self.files[path] = entry

    def text(self, path: str) -> str:
        """The content of an in-memory file as text (for tests and checks)."""
        entry = self.files[path]
        if not isinstance(entry, Data):
            raise TypeError(f"{path} is not held in memory")
        return entry.content.decode("utf-8")

    def size(self) -> int:
        """Total bytes of every file."""
        return sum(entry.size() for entry in self.files.values())


def write_tree(tree: OutputTree, target: Path) -> Path:
    """Store ``tree`` as the folder ``target`` atomically (temp folder beside it, then rename); return ``target``.

    An existing ``target`` is replaced only once the new folder is complete. Raises :class:`DeviceError`
    (with the space needed when the disk is full); nothing half-written is left behind.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        for relative, entry in tree.files.items():
            dest = temp / relative
            dest.parent.mkdir(parents=True, exist_ok=True)
            entry.write_to(dest)
        _replace_folder(temp, target)
    except OSError as error:
        shutil.rmtree(temp, ignore_errors=True)
        raise write_error(target, tree.size(), error) from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return target


def _replace_folder(temp: Path, target: Path) -> None:
    if not target.exists():
        os.replace(temp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.replace(target, old / "previous")
    try:
        os.replace(temp, target)
    except OSError:
        os.replace(old / "previous", target)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def write_zip(tree: OutputTree, target: Path, *, stored_first: str | None = None) -> Path:
    """Store ``tree`` as the ZIP file ``target`` atomically; return ``target``.

    ``stored_first`` (EPUB's ``mimetype``) is written first and uncompressed. MP3 files are stored (already
    compressed); everything else is deflated. Raises :class:`DeviceError` as :func:`write_tree` does.
    Archives under 4 GiB are written by :func:`_write_plain_zip` (audio copied in the kernel, CRC-32 on a
    second core); larger ones by :mod:`zipfile` with ZIP64.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".zipentries.") as scratch:
            members: list[tuple[str, int, bytes | Path]] = []
            recorded: dict[Path, tuple[int, int]] = {}  # source -> (size, CRC-32) its producer recorded
            for number, relative in enumerate(sorted(tree.files, key=lambda p: p != stored_first)):
                entry = tree.files[relative]
                stored = relative == stored_first or relative.lower().endswith((".mp3", ".png", ".jpg", ".zip"))
                method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                content: bytes | Path
                if isinstance(entry, Data):
                    content = entry.content
                elif isinstance(entry, CopyOf | LinkOrCopy):
                    content = entry.source
                    known = (entry.recorded_size, entry.recorded_crc32) if isinstance(entry, CopyOf) else (None, None)
                    if known[0] is not None and known[1] is not None:
                        recorded[entry.source] = (known[0], known[1])
                else:
                    content = Path(scratch) / f"entry{number}"
                    entry.write_to(content)
                members.append((relative, method, content))
            sizes = sum(len(c) if isinstance(c, bytes) else c.stat().st_size for _, _, c in members)
            if sizes < _PLAIN_ZIP_LIMIT and len(members) < 0xFFFF:
                _write_plain_zip(Path(name), members, recorded)
            else:
                _write_zip64(Path(name), members)
        os.replace(name, target)
    except OSError as error:
        Path(name).unlink(missing_ok=True)
        raise write_error(target, tree.size(), error) from None
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return target


_PLAIN_ZIP_LIMIT = 0xFFFFFFFF - (64 << 20)  # offsets and sizes must fit 32 bits (with room for the XML)
_DOS_DATE = (2000 - 1980) << 9 | 1 << 5 | 1  # 2000-01-01, 00:00: reproducible archives


def _crc32_of(path: Path) -> int:
    """CRC-32 of a file (over a memory map: no copy into Python, and zlib lets the other thread run)."""
    return file_crc32(path)[1]


def _recorded_crc_holds(source: Path, recorded: dict[Path, tuple[int, int]]) -> bool:
    return source in recorded and source.stat().st_size == recorded[source][0]


def send_file(source: Path, out_fd: int, offset: int = 0) -> None:
    """Append ``source`` from ``offset`` to the file open at ``out_fd``, copied in the kernel (``sendfile``).

    Falls back to a user-space copy where the filesystem has no ``sendfile``.
    """
    with source.open("rb") as src:
        end = os.fstat(src.fileno()).st_size
        try:
            while offset < end:
                sent = os.sendfile(out_fd, src.fileno(), offset, end - offset)
                if sent == 0:
                    break
                offset += sent
        except OSError:
            src.seek(offset)
            while chunk := src.read(1 << 20):
                os.write(out_fd, chunk)


def _write_plain_zip(
    path: Path, members: list[tuple[str, int, bytes | Path]], recorded: dict[Path, tuple[int, int]] | None = None
) -> None:
    """A ZIP without ZIP64: local header, data, central directory, end record (APPNOTE 6.3, section 4.3).

    ``recorded`` maps source files to the (size, CRC-32) their producer recorded; a file whose size still
    matches is not read for its CRC, any other is.
    """
    recorded = recorded or {}
    central: list[bytes] = []
    # "r+b", not "wb": the file exists (mkstemp), and truncating it makes ext4 flush it to disk on close
    # (auto_da_alloc), which cost more than the copy itself
    with ThreadPoolExecutor(max_workers=2) as pool, path.open("r+b", buffering=0) as out:
        crcs = {
            i: pool.submit(_crc32_of, c)
            for i, (_, _, c) in enumerate(members)
            if isinstance(c, Path) and not _recorded_crc_holds(c, recorded)
        }
        for index, (name, wanted, content) in enumerate(members):
            method = wanted if isinstance(content, bytes) else zipfile.ZIP_STORED  # files are audio or archives
            encoded = name.encode("utf-8")
            flags = 0 if name.isascii() else 0x800  # bit 11: the name is UTF-8
            if isinstance(content, bytes):
                crc, size = zlib.crc32(content), len(content)
                if method == zipfile.ZIP_DEFLATED:
                    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
                    payload = packer.compress(content) + packer.flush()
                else:
                    payload = content
                packed = len(payload)
            else:
                size = content.stat().st_size
                crc = crcs[index].result() if index in crcs else recorded[content][1]
                packed = size
            offset = out.tell()
            out.write(
                struct.pack(
                    "<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, _DOS_DATE, crc, packed, size, len(encoded), 0
                )
                + encoded
            )
            if isinstance(content, bytes):
                out.write(payload)
            else:
                send_file(content, out.fileno())
            central.append(
                struct.pack(
                    "<4s6H3L5H2L",
                    b"PK\x01\x02",
                    20,
                    20,
                    flags,
                    method,
                    0,
                    _DOS_DATE,
                    crc,
                    packed,
                    size,
                    len(encoded),
                    0,
                    0,
                    0,
                    0,
                    0o100644 << 16,
                    offset,
                )
                + encoded
            )
        start = out.tell()
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), start, 0))


def _write_zip64(path: Path, members: list[tuple[str, int, bytes | Path]]) -> None:
    """Archives of 4 GiB or more, through :mod:`zipfile` (ZIP64 records)."""
    with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
        for name, method, content in members:
            if isinstance(content, bytes):
                archive.writestr(zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0)), content, method)
                continue
            info = zipfile.ZipInfo.from_file(content, name)
            info.compress_type = method
            with content.open("rb") as src, archive.open(info, "w", force_zip64=True) as dest:
                shutil.copyfileobj(src, dest, 1 << 20)


def write_error(path: Path, size: int, error: OSError) -> DeviceError:
    """A DeviceError for a failed write of ``size`` bytes to ``path``; says the space needed when full."""
    if error.errno == errno.ENOSPC:
        mb = max(round(size / 1_048_576, 1), 0.1)
        return DeviceError(
            f"空间不足，需要约 {mb} MB；请清理空间或换一个位置",
            f"not enough space: about {mb} MB needed; free some space or choose another place",
            path,
        )
    reason = error.strerror or str(error)
    return DeviceError(f"无法写入（{reason}）", f"cannot write ({reason})", path)
