"""Markdown ingest: CommonMark plus tables, rendered to HTML and read by the HTML walker.

Every file is written in tmp_path by the test that reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import flow

from accessible_reader.document.ingest import ingest_path
from accessible_reader.document.ingest.html import ingest_markdown
from accessible_reader.document.ingest.source import IngestLimits
from accessible_reader.document.model import Book
from accessible_reader.errors import InputError

LIMITS = IngestLimits()

PLAN = """\
# 鹿寨县图书馆“十四五”发展规划

鹿寨县图书馆始建于1978年。馆舍面积2000平方米！
近年来服务不断完善。

## 一、发展基础

- 借阅服务
  - 盲文图书
  - 有声读物
- 讲座与培训

1. 第一项
2. 第二项

| 年份 | 藏书（万册） |
| ---- | ------------ |
| 2020 | 12 |
| 2021 | 15 |

> 引用的一段话。

### （一）*强调*的标题

```
代码块里的文字
```
"""


def _read(tmp_path: Path, text: str | bytes, name: str = "plan.md") -> Book:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return ingest_markdown(path, LIMITS)


def test_structure_in_reading_order(tmp_path: Path) -> None:
    assert flow(_read(tmp_path, PLAN)) == [
        "H1 鹿寨县图书馆“十四五”发展规划",
        "P 鹿寨县图书馆始建于1978年。馆舍面积2000平方米！近年来服务不断完善。",
        "H2 一、发展基础",
        "L1 借阅服务",
        "L2 盲文图书",
        "L2 有声读物",
        "L1 讲座与培训",
        "L1 第一项",
        "L1 第二项",
        "T 年份 | 藏书（万册）",
        "T 2020 | 12",
        "T 2021 | 15",
        "P 引用的一段话。",
        "H3 （一）强调的标题",
        "P 代码块里的文字",
    ]


def test_heading_levels_and_sentences(tmp_path: Path) -> None:
    book = _read(tmp_path, PLAN)
    assert [(s.level, s.title) for s in book.sections] == [
        (1, "鹿寨县图书馆“十四五”发展规划"),
        (2, "一、发展基础"),
        (3, "（一）强调的标题"),
    ]
    first = book.sections[0].blocks[0]
    assert [s.text for s in first.sentences] == [
        "鹿寨县图书馆始建于1978年。",
        "馆舍面积2000平方米！",
        "近年来服务不断完善。",
    ]


def test_title_is_the_first_level_one_heading(tmp_path: Path) -> None:
    metadata = _read(tmp_path, "前言。\n\n## 小节\n\n# 真正的**书名**\n\n# 第二个一级标题\n").metadata
    assert metadata.title == "真正的书名"
    assert metadata.language == "zh"


def test_title_falls_back_to_the_file_name(tmp_path: Path) -> None:
    book = _read(tmp_path, "## Notes\n\nReading room opens at nine.\n", name="opening-hours.md")
    assert book.metadata.title == "opening-hours"
    assert book.metadata.language == "en"


def test_gbk_encoded_markdown(tmp_path: Path) -> None:
    book = _read(tmp_path, "# 鹿寨\n\n视障读者服务。\n".encode("gbk"))
    assert flow(book) == ["H1 鹿寨", "P 视障读者服务。"]


def test_raw_html_scripts_are_not_read(tmp_path: Path) -> None:
    book = _read(
        tmp_path,
        '正文。\n\n<script>alert("脚本")</script>\n\n<span epub:type="pagebreak" title="3"></span>\n\n下一页。\n',
    )
    assert flow(book) == ["P 正文。", "[3]", "P 下一页。"]


def test_markdown_without_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        _read(tmp_path, "---\n\n<!-- 注释 -->\n")
    assert "no readable text" in caught.value.message_en


def test_ingest_path_routes_markdown_suffixes(tmp_path: Path) -> None:
    for name in ("a.md", "b.markdown"):
        path = tmp_path / name
        path.write_text("# 标题\n\n文字。\n", encoding="utf-8")
        assert flow(ingest_path(path)) == ["H1 标题", "P 文字。"]
