"""Device loading into a temporary mount root: checksums, manifest, list, remove, full disk, removal mid-copy."""

from __future__ import annotations

import json
import shutil
from collections import namedtuple
from pathlib import Path

import pytest

from accessible_reader.errors import DeviceError, NotFoundError
from accessible_reader.export import devices
from accessible_reader.export.devices import MANIFEST, list_device, load_folder, remove_from_device

Usage = namedtuple("Usage", "total used free")


@pytest.fixture
def mount_root(tmp_path: Path) -> Path:
    root = tmp_path / "media"
    (root / "usb").mkdir(parents=True)
    return root


@pytest.fixture
def book_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "export" / "阅览室指南"
    (folder / "01").mkdir(parents=True)
    (folder / "01" / "001_第一章.mp3").write_bytes(b"\xff\xfb" + bytes(range(256)) * 40)
    (folder / "01" / "002_第二章.mp3").write_bytes(b"\xff\xfb" + bytes(255 - i for i in range(256)) * 40)
    (folder / "阅览室指南.m3u").write_text("#EXTM3U\r\n01/001_第一章.mp3\r\n", encoding="utf-8")
    return folder


def _visible(mount: Path) -> list[str]:
    return sorted(p.name for p in mount.iterdir())


def test_load_verifies_and_records_the_book(mount_root: Path, book_folder: Path) -> None:
    mount = mount_root / "usb"
    loaded = load_folder(book_folder, mount, roots=[mount_root], title="阅览室指南", profile="generic")
    assert _visible(mount) == [MANIFEST, "阅览室指南"]
    for source in book_folder.rglob("*.mp3"):
        assert (mount / "阅览室指南" / source.relative_to(book_folder)).read_bytes() == source.read_bytes()
    assert (loaded.files, loaded.bytes) == (3, sum(p.stat().st_size for p in book_folder.rglob("*") if p.is_file()))
    manifest = json.loads((mount / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["books"][0]["title"] == "阅览室指南"
    assert list_device(mount, roots=[mount_root]) == [loaded]
    again = load_folder(book_folder, mount, roots=[mount_root], title="阅览室指南", profile="tingshuji")
    assert [b.profile for b in list_device(mount, roots=[mount_root])] == ["tingshuji"]
    assert again.sha256 == loaded.sha256


def test_targets_outside_the_mount_roots_are_refused(mount_root: Path, book_folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "home"
    outside.mkdir()
    with pytest.raises(DeviceError, match="mount roots"):
        load_folder(book_folder, outside, roots=[mount_root], title="t", profile="generic")
    with pytest.raises(DeviceError, match="mount roots"):
        load_folder(
            book_folder, mount_root / "usb" / ".." / ".." / "home", roots=[mount_root], title="t", profile="generic"
        )
    (mount_root / "usb" / "escape").symlink_to(outside)
    with pytest.raises(DeviceError, match="mount roots"):
        load_folder(book_folder, mount_root / "usb" / "escape", roots=[mount_root], title="t", profile="generic")
    assert list(outside.iterdir()) == []


def test_full_device_says_how_much_space_is_needed(
    mount_root: Path, book_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(devices.shutil, "disk_usage", lambda path: Usage(8_000_000, 7_900_000, 100_000))
    with pytest.raises(DeviceError) as caught:
        load_folder(book_folder, mount_root / "usb", roots=[mount_root], title="t", profile="generic")
    assert "1.0 MB needed, 0.1 MB free" in caught.value.message_en
    assert "需要 1.0 MB" in caught.value.message_zh
    assert _visible(mount_root / "usb") == []


def test_device_removed_mid_copy_leaves_nothing_half_written(
    mount_root: Path, book_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mount = mount_root / "usb"
    load_folder(book_folder, mount, roots=[mount_root], title="旧书", profile="generic", folder="旧书")
    before = (mount / MANIFEST).read_bytes()
    real_copy = shutil.copyfile
    calls = []

    def failing_copy(src: Path, dst: Path) -> Path:
        calls.append(src)
        if len(calls) == 2:
            Path(dst).write_bytes(b"\xff\xfb half")  # a torn file, then the device disappears
            raise OSError(5, "Input/output error")
        return Path(real_copy(src, dst))

    monkeypatch.setattr(devices.shutil, "copyfile", failing_copy)
    with pytest.raises(DeviceError, match="no partial book"):
        load_folder(book_folder, mount, roots=[mount_root], title="阅览室指南", profile="generic")
    assert _visible(mount) == [MANIFEST, "旧书"]
    assert (mount / MANIFEST).read_bytes() == before


def test_checksum_mismatch_is_reported(mount_root: Path, book_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def corrupting_copy(src: Path, dst: Path) -> Path:
        Path(dst).write_bytes(Path(src).read_bytes()[:-1] + b"\x00")
        return Path(dst)

    monkeypatch.setattr(devices.shutil, "copyfile", corrupting_copy)
    with pytest.raises(DeviceError, match="checksum mismatch"):
        load_folder(book_folder, mount_root / "usb", roots=[mount_root], title="t", profile="generic")
    assert _visible(mount_root / "usb") == []


def test_remove_only_what_was_loaded(mount_root: Path, book_folder: Path) -> None:
    mount = mount_root / "usb"
    (mount / "音乐").mkdir()
    load_folder(book_folder, mount, roots=[mount_root], title="阅览室指南", profile="generic")
    with pytest.raises(NotFoundError):
        remove_from_device(mount, "音乐", roots=[mount_root])
    removed = remove_from_device(mount, "阅览室指南", roots=[mount_root])
    assert removed.title == "阅览室指南"
    assert _visible(mount) == [MANIFEST, "音乐"]
    assert list_device(mount, roots=[mount_root]) == []
