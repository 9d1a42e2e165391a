"""``accessible-reader braille | unbraille | emboss``."""

from __future__ import annotations

from pathlib import Path

import pytest
from braille_paths import ROOT
from typer.testing import CliRunner

from accessible_reader.cli import app

SAMPLE = ROOT / "content" / "books" / "reading-room-guide.txt"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ACCESSIBLE_READER_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


@pytest.mark.slow
def test_braille_unbraille_and_emboss(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["braille", "银行行长还可以。\n你好"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["⠣⠂⠓⠦⠀⠓⠦⠌⠦⠄⠀⠓⠪⠀⠅⠢⠄⠊⠄⠐⠆", "⠝⠓⠖⠄"]
    result = runner.invoke(app, ["braille", "the children", "--system", "ueb-g2", "--format", "brf"])
    assert result.stdout.strip() == "! *N"
    result = runner.invoke(app, ["unbraille", "⠣⠂⠓⠦⠀⠓⠪", "--system", "gf2018"])
    assert result.stdout.strip() == "yin2hang2 hai2"
    result = runner.invoke(app, ["unbraille", "! *N", "--system", "ueb-g2"])
    assert result.stdout.strip() == "the children"
    out = tmp_path / "book.pef"
    result = runner.invoke(app, ["emboss", str(SAMPLE), "--profile", "compact", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"<?xml")
    assert 'cols="32"' in out.read_text(encoding="utf-8")
    device = tmp_path / "lp0"
    result = runner.invoke(app, ["emboss", str(SAMPLE), "--device", str(device)])
    assert result.exit_code == 0, result.output
    assert b"\f" in device.read_bytes()


def test_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["braille", "x", "--system", "nosuch"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "no braille system called 'nosuch'" in result.output
    result = runner.invoke(app, ["braille", "x", "--format", "pdf"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["emboss", str(SAMPLE), "-o", str(tmp_path / "out.doc")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["emboss", "no-such-book-id", "-o", str(tmp_path / "out.pef")])
    assert result.exit_code == 2
    assert not (tmp_path / "out.pef").exists()
