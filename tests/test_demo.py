"""The main job of `make run` on the embedded content."""

from __future__ import annotations

import json
from pathlib import Path

from accessible_reader.demo import run_demo
from accessible_reader.locale import load_strings
from accessible_reader.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_demo_ingests_content_and_writes_outputs(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    lines = list(run_demo(settings, ROOT / "content", load_strings("zh")))
    assert not any(line.startswith("已跳过") for line in lines), lines
    assert any("《鹿寨县图书馆无障碍阅览室使用指南》" in line for line in lines)
    assert any("sample-records.csv：新增 5 条，更新 0 条" in line for line in lines)

    [book_dir] = [p for p in settings.output_dir.iterdir() if p.is_dir()]
    outline = (book_dir / "outline.txt").read_text(encoding="utf-8").splitlines()
    assert outline[0] == "鹿寨县图书馆无障碍阅览室使用指南"
    assert "  第一节 设备" in outline
    document = json.loads((book_dir / "document.json").read_text(encoding="utf-8"))
    assert document["metadata"]["title"] == "鹿寨县图书馆无障碍阅览室使用指南"

    proof = (book_dir / "reading-proof.txt").read_text(encoding="utf-8")
    heading_proof = (
        "第一章 阅览室简介\n  di4 yi1 zhang1 yue4 lan3 shi4 jian3 jie4\n  di4-yi1 zhang1 yue4lan3shi4 jian3jie4\n"
    )
    assert heading_proof in proof

    speech = (settings.output_dir / "catalog-speech.txt").read_text(encoding="utf-8").splitlines()
    assert speech[0].startswith("书名：骆驼祥子；作者：老舍；出版社：人民文学出版社；出版年：2000")

    # a second run updates instead of duplicating
    again = list(run_demo(settings, ROOT / "content", load_strings("zh")))
    assert any("sample-records.csv：新增 0 条，更新 5 条" in line for line in again)


def test_bad_content_file_is_reported_and_skipped(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "books").mkdir(parents=True)
    (content / "catalog").mkdir()
    (content / "books" / "a-good.txt").write_text("好书\n第一章 开始\n正文。\n", encoding="utf-8")
    (content / "books" / "b-empty.txt").write_bytes(b"")
    lines = list(run_demo(Settings(data_dir=tmp_path / "data"), content, load_strings("en")))
    assert any(line.startswith("Skipped: ") and "b-empty.txt" in line for line in lines)
    assert any("Stored book" in line and "好书" in line for line in lines)
