"""`accessible-reader export`, `device load|list|remove` and `deliver` end to end, with real espeak-ng speech."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from mutagen.id3 import ID3
from typer.testing import CliRunner

from accessible_reader.cli import app

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")

BOOK = """# 小书

## 第一章 开馆

图书馆九点开门。欢迎光临。

## 第二章 借书

每人可借五本。
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ACCESSIBLE_READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACCESSIBLE_READER_LANGUAGE", "en")
    monkeypatch.setenv("ACCESSIBLE_READER_DEVICE_MOUNT_ROOTS", json.dumps([str(tmp_path / "media")]))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "media" / "usb").mkdir(parents=True)
    book = tmp_path / "小书.md"
    book.write_text(BOOK, encoding="utf-8")
    return tmp_path


@pytest.mark.slow
def test_export_every_format_then_load_list_and_remove(env: Path) -> None:
    runner = CliRunner()
    book, out = str(env / "小书.md"), env / "out"
    for fmt in ("daisy202", "epub3", "mp3"):
        result = runner.invoke(app, ["export", book, "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert f"Written {fmt}" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["小书", "小书.epub", "小书_DAISY"]
    ncc = etree.parse(str(out / "小书_DAISY" / "ncc.html")).getroot()
    headings = [(h.tag[-2:], "".join(h.itertext())) for h in ncc.iter() if str(h.tag)[-3:] in {"}h1", "}h2"}]
    assert headings == [("h1", "小书"), ("h2", "第一章 开馆"), ("h2", "第二章 借书")]
    with zipfile.ZipFile(out / "小书.epub") as epub:
        assert epub.namelist()[0] == "mimetype"
    tracks = sorted((out / "小书").glob("*.mp3"))
    assert [t.name for t in tracks] == ["001_小书.mp3", "002_第一章_开馆.mp3", "003_第二章_借书.mp3"]
    assert str(ID3(tracks[-1])["TALB"]) == "小书"

    book_id = runner.invoke(app, ["ingest", book]).stdout.strip().splitlines()[0]
    by_id = runner.invoke(app, ["export", book_id, "--format", "epub3", "-o", str(env / "by-id")])
    assert by_id.exit_code == 0, by_id.output
    assert (env / "by-id" / "小书.epub").read_bytes() == (out / "小书.epub").read_bytes()  # reproducible

    several = runner.invoke(
        app, ["export", book_id, "-f", "daisy202", "-f", "epub3", "-f", "mp3", "-o", str(env / "all")]
    )
    assert several.exit_code == 0, several.output
    assert sorted(p.name for p in (env / "all").iterdir()) == ["小书", "小书.epub", "小书_DAISY"]
    assert (env / "all" / "小书.epub").read_bytes() == (out / "小书.epub").read_bytes()

    mount = env / "media" / "usb"
    load = runner.invoke(app, ["device", "load", book, "--profile", "tingshuji", "--to", str(mount)])
    assert load.exit_code == 0, load.output
    assert "checksums verified" in load.stdout
    listed = runner.invoke(app, ["device", "list", str(mount)])
    assert listed.stdout.startswith("小书\t小书\ttingshuji\t")
    removed = runner.invoke(app, ["device", "remove", str(mount), "小书"])
    assert removed.exit_code == 0, removed.output
    assert sorted(p.name for p in mount.iterdir()) == [".accessible-reader.json"]


def test_bad_format_and_bad_mount_are_one_line_errors(env: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(env / "小书.md"), "--format", "wav", "-o", str(env / "out")])
    assert result.exit_code == 2
    assert "Unknown format wav" in result.stderr and "Traceback" not in result.output
    outside = env / "elsewhere"
    outside.mkdir()
    result = runner.invoke(app, ["device", "list", str(outside)])
    assert result.exit_code == 5
    assert "mount roots" in result.stderr
