"""Atomic writers of export trees: folders and ZIPs, failures leave nothing behind, ZIP CRCs are right."""

from __future__ import annotations

import errno
import zipfile
from pathlib import Path

import pytest

from accessible_reader.errors import DeviceError
from accessible_reader.export import tree as tree_module
from accessible_reader.export.tree import CopyOf, LinkOrCopy, OutputTree, write_tree, write_zip


class Failing:
    """An entry whose writing fails like a full disk, after leaving a partial file."""

    def size(self) -> int:
        return 3 * 1_048_576

    def write_to(self, dest: Path) -> None:
        dest.write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")


def _tree(tmp_path: Path) -> OutputTree:
    audio = tmp_path / "a.mp3"
    audio.write_bytes(bytes(range(256)) * 100)
    tree = OutputTree()
    tree.add("mimetype", b"application/epub+zip")
    tree.add("EPUB/中文.xhtml", "<p>正文</p>" * 50)
    tree.add("EPUB/audio/a.mp3", CopyOf(audio))
    tree.add("EPUB/audio/b.mp3", LinkOrCopy(audio))
    return tree


def test_unsafe_paths_are_refused() -> None:
    tree = OutputTree()
    for bad in ("/etc/passwd", "a/../../b"):
        with pytest.raises(ValueError, match="bad or repeated"):
            tree.add(bad, b"")
    tree.add("a", b"")
    with pytest.raises(ValueError, match="bad or repeated"):
        tree.add("a", b"")


def test_failed_folder_write_keeps_the_old_folder_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out" / "book"
    write_tree(_tree(tmp_path), target)
    broken = _tree(tmp_path)
    broken.add("EPUB/z.mp3", Failing())
    with pytest.raises(DeviceError) as caught:
        write_tree(broken, target)
    assert "MB needed" in caught.value.message_en
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["book"]
    assert not (target / "EPUB" / "z.mp3").exists()


def test_zip_has_right_crcs_utf8_names_and_stored_audio(tmp_path: Path) -> None:
    target = write_zip(_tree(tmp_path), tmp_path / "x.epub", stored_first="mimetype")
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        infos = {i.filename: i for i in archive.infolist()}
        assert archive.namelist()[0] == "mimetype"
        assert infos["EPUB/中文.xhtml"].compress_type == zipfile.ZIP_DEFLATED
        assert infos["EPUB/audio/a.mp3"].compress_type == zipfile.ZIP_STORED
        assert archive.read("EPUB/中文.xhtml").decode() == "<p>正文</p>" * 50
        assert archive.read("EPUB/audio/b.mp3") == (tmp_path / "a.mp3").read_bytes()


def test_zip64_path_for_big_archives_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tree_module, "_PLAIN_ZIP_LIMIT", 10)
    target = write_zip(_tree(tmp_path), tmp_path / "big.zip", stored_first="mimetype")
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert archive.namelist()[0] == "mimetype"
        assert archive.read("EPUB/audio/a.mp3") == (tmp_path / "a.mp3").read_bytes()


def test_failed_zip_write_leaves_nothing(tmp_path: Path) -> None:
    broken = _tree(tmp_path)
    broken.add("z.bin", Failing())
    with pytest.raises(DeviceError, match="MB needed"):
        write_zip(broken, tmp_path / "out" / "x.zip")
    assert list((tmp_path / "out").iterdir()) == []
