"""The `accessible-reader` commands end to end, on a temporary data dir."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accessible_reader.cli import app

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "content" / "books" / "reading-room-guide.txt"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ACCESSIBLE_READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACCESSIBLE_READER_LANGUAGE", "zh")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return CliRunner()


def test_ingest_stores_and_outline_by_id_shows_the_heading_tree(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ingest", str(GUIDE)])
    assert result.exit_code == 0, result.output
    book_id = result.stdout.strip().splitlines()[0]
    assert book_id.startswith("bk") and len(book_id) == 18

    outline = runner.invoke(app, ["outline", book_id])
    assert outline.exit_code == 0, outline.output
    assert outline.stdout.splitlines() == [
        "鹿寨县图书馆无障碍阅览室使用指南",
        "（正文前的内容）",
        "第一章 阅览室简介",
        "  第一节 设备",
        "    1.盲人阅读电脑",
        "    2.听书机",
        "    3.盲文打印机",
        "  第二节 服务",
        "第二章 借阅办法",
        "  一、办理借阅证",
        "  二、借阅规则",
        "  三、联系方式",
        "第三章 读者须知",
        "章节 11 个，段落 12 个，句子 21 个，字符 665 个，印刷页码 0 个",
    ]
    listing = runner.invoke(app, ["catalog", "books"])
    assert listing.stdout.startswith(f"{book_id}\t鹿寨县图书馆无障碍阅览室使用指南")


def test_outline_of_a_path_does_not_store_it(runner: CliRunner, tmp_path: Path) -> None:
    book = tmp_path / "短文.md"
    book.write_text("# 标题\n\n## 第一部分\n\n正文。\n", encoding="utf-8")
    result = runner.invoke(app, ["outline", str(book)])
    assert result.exit_code == 0, result.output
    assert "第一部分" in result.stdout
    assert runner.invoke(app, ["catalog", "books"]).stdout == ""


def test_english_strings_when_asked(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESSIBLE_READER_LANGUAGE", "en")
    result = runner.invoke(app, ["outline", str(GUIDE)])
    assert result.stdout.splitlines()[-1] == "11 sections, 12 paragraphs, 21 sentences, 665 characters, 0 print pages"


def test_catalog_import_csv_then_reimport_updates(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "authors", "publisher", "year"])
        writer.writerow(["LZ1", "骆驼祥子", "老舍", "人民文学出版社", "2000"])
        writer.writerow(["LZ2", "边城", "沈从文", "人民文学出版社", "2005"])
    first = runner.invoke(app, ["catalog", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "已从 records.csv 导入书目记录：新增 2 条，更新 0 条。"
    again = runner.invoke(app, ["catalog", "import", str(path)])
    assert again.stdout.strip() == "已从 records.csv 导入书目记录：新增 0 条，更新 2 条。"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "文件是空的"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "二进制文件"),
        ("book.pdf", b"%PDF-1.4", "不支持的文件格式"),
        ("broken.epub", b"PK\x03\x04 not really a zip", "EPUB"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_stored(
    runner: CliRunner, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"{path}: ") and expected in line and " / " in line
    assert "Traceback" not in result.output
    assert runner.invoke(app, ["catalog", "books"]).stdout == ""


def test_missing_file_and_unknown_id(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["ingest", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "文件不存在 / file not found" in missing.stderr
    unknown = runner.invoke(app, ["outline", "bk0000"])
    assert unknown.exit_code == 2 and "no book with id bk0000" in unknown.stderr


def test_unexpected_failure_goes_to_a_crash_log_not_the_terminal(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accessible_reader.document import ingest

    def broken(path: Path, limits: object = None) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(ingest, "ingest_path", broken)
    result = runner.invoke(app, ["ingest", str(GUIDE)])
    assert result.exit_code == 70
    assert "Traceback" not in result.output
    logs = list((tmp_path / "data" / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and "ZeroDivisionError" in logs[0].read_text(encoding="utf-8")


def test_doctor_reports_each_component_and_passes_offline(runner: CliRunner) -> None:
    result = runner.invoke(app, ["doctor"])
    for name in ("espeak-ng", "liblouis", "ffmpeg", "PortAudio", "neural-zh voice", "network (edge-tts)"):
        assert name in result.stdout
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("离线核心功能正常。")


def test_installed_console_script_runs_without_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "accessible-reader"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    env = {**os.environ, "ACCESSIBLE_READER_DATA_DIR": str(tmp_path / "data")}
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    result = subprocess.run(
        [str(script), "ingest", str(tmp_path / "empty.txt")], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 2
    assert "文件是空的" in result.stderr and "Traceback" not in result.stderr
