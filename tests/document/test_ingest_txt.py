"""TXT ingest: encodings, Chinese and Markdown heading conventions, title detection, bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from accessible_reader.document.ingest.source import IngestLimits, decode_text
from accessible_reader.document.ingest.txt import HeadingKind, heading_kind, ingest_txt, text_to_book
from accessible_reader.document.model import BlockKind, Book
from accessible_reader.errors import InputError

LIMITS = IngestLimits()
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"

SIMPLIFIED = "鹿寨县图书馆“十四五”事业发展规划\n一、指导思想\n以读者为中心，服务第一。\n"
# 㐀 (U+3400, CJK Extension A) and 𠀀 (U+20000, Extension B) exist in GB18030 but not in GBK.
GB18030_ONLY = "生僻字的规划\n第一章 总则\n古籍里有“㐀”和“𠀀”两个字。\n"
TRADITIONAL = "鹿寨縣圖書館的發展規劃。第一章 總則\n本館為全縣讀者提供閱讀服務。\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("text", "data", "encoding"),
    [
        (SIMPLIFIED, SIMPLIFIED.encode("utf-8"), "utf-8"),
        (SIMPLIFIED, codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (GB18030_ONLY, GB18030_ONLY.encode("gb18030"), "gb18030"),
        (SIMPLIFIED, SIMPLIFIED.encode("gbk"), "gb18030"),  # GB18030 is a superset of GBK
        (TRADITIONAL, TRADITIONAL.encode("big5"), "big5"),
        (SIMPLIFIED, codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16"),
        (SIMPLIFIED, codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "big5", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_encodings_decode_to_the_exact_text(tmp_path: Path, text: str, data: bytes, encoding: str) -> None:
    assert decode_text(data, "f.txt") == (text, encoding)
    book = ingest_txt(_write(tmp_path, "book.txt", data), LIMITS)
    assert list(book.blocks())[-1].text == text.splitlines()[-1]


def test_gb18030_characters_outside_gbk_survive_ingest(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        "㐀".encode("gbk")
    book = ingest_txt(_write(tmp_path, "rare.txt", GB18030_ONLY.encode("gb18030")), LIMITS)
    assert [s.text for s in book.sentences()] == ["古籍里有“㐀”和“𠀀”两个字。"]


def test_big5_traditional_book(tmp_path: Path) -> None:
    book = ingest_txt(_write(tmp_path, "big5.txt", TRADITIONAL.encode("big5")), LIMITS)
    assert [s.text for s in book.sentences()] == [
        "鹿寨縣圖書館的發展規劃。",
        "第一章 總則",
        "本館為全縣讀者提供閱讀服務。",
    ]


# --- headings -------------------------------------------------------------------------


def _outline(book: Book) -> list[tuple[int, str]]:
    return [(s.level, s.title) for s in book.sections if not s.implicit]


def test_chapters_and_sections() -> None:
    text = "书名\n第一章 总则\n总则正文。\n第一节 目的\n目的正文。\n第二节 范围\n第二章 服务\n服务正文。\n"
    assert _outline(text_to_book(text, "bk1", "x")) == [
        (1, "第一章 总则"),
        (2, "第一节 目的"),
        (2, "第二节 范围"),
        (1, "第二章 服务"),
    ]


def test_numbered_headings_get_levels_by_rank() -> None:
    text = "规划\n一、指导思想\n正文。\n（一）主要成绩\n1.设施完善\n正文。\n2.服务提升\n（二）问题\n二、目标\n"
    assert _outline(text_to_book(text, "bk1", "x")) == [
        (1, "一、指导思想"),
        (2, "（一）主要成绩"),
        (3, "1.设施完善"),
        (3, "2.服务提升"),
        (2, "（二）问题"),
        (1, "二、目标"),
    ]


def test_lower_conventions_alone_start_at_level_one() -> None:
    text = "通知\n（一）开放时间\n每天开放。\n1.周末\n（二）借阅规则\n"
    assert _outline(text_to_book(text, "bk1", "x")) == [(1, "（一）开放时间"), (2, "1.周末"), (1, "（二）借阅规则")]


def test_markdown_headings() -> None:
    text = "# 读者指南\n前言。\n## 借书\n### 借书证 ###\n办证需要身份证。\n## 学习 C#\n"
    book = text_to_book(text, "bk1", "x")
    assert book.metadata.title == "读者指南"
    assert _outline(book) == [(2, "借书"), (3, "借书证"), (2, "学习 C#")]


def test_numbered_sentence_line_is_a_paragraph_not_a_heading() -> None:
    line = "1.转变办馆模式。坚持以服务为本，变“被动服务”为“主动服务”。"
    assert heading_kind(line) is None
    assert heading_kind("1.阅读服务设施建设日趋完善") is HeadingKind.ARABIC
    assert heading_kind("4.23世界读书日") is None  # a date, not "4." numbering
    assert heading_kind("一、" + "很长的标题" * 10) is None
    assert heading_kind("一、主要包括：") is None  # ends like a clause
    book = text_to_book(f"规划\n一、任务\n{line}\n", "bk1", "x")
    assert _outline(book) == [(1, "一、任务")]
    assert [b.kind for b in book.blocks()] == [BlockKind.PARAGRAPH]
    assert next(s.text for s in book.sentences()) == "1.转变办馆模式。"


def test_title_is_the_first_short_line() -> None:
    book = text_to_book("鹿寨县图书馆简介\n本馆位于鹿寨县。\n", "bk1", "fallback")
    assert book.metadata.title == "鹿寨县图书馆简介"
    assert [b.text for b in book.blocks()] == ["本馆位于鹿寨县。"]


def test_breadcrumb_line_is_not_the_title() -> None:
    book = text_to_book("您当前在:首页 > 工作动态 >\n鹿寨县图书馆简介\n本馆位于鹿寨县。\n", "bk1", "fallback")
    assert book.metadata.title == "鹿寨县图书馆简介"


def test_no_title_when_text_starts_with_a_sentence_or_heading() -> None:
    assert text_to_book("这是一个很长的句子。然后还有第二句。\n", "bk1", "文件名").metadata.title == "文件名"
    assert text_to_book("第一章 总则\n正文。\n", "bk1", "文件名").metadata.title == "文件名"


def test_single_line_file_keeps_its_text(tmp_path: Path) -> None:
    book = ingest_txt(_write(tmp_path, "one.txt", "鹿寨县图书馆简介".encode()), LIMITS)
    assert book.metadata.title == "鹿寨县图书馆简介"
    assert [s.text for s in book.sentences()] == ["鹿寨县图书馆简介"]


def test_file_stem_is_fallback_title(tmp_path: Path) -> None:
    book = ingest_txt(_write(tmp_path, "开放时间.txt", "每天九点开门。周一闭馆。\n".encode()), LIMITS)
    assert book.metadata.title == "开放时间"
    assert [s.text for s in book.sentences()] == ["每天九点开门。", "周一闭馆。"]


def test_english_text_is_tagged_english(tmp_path: Path) -> None:
    data = b"Library Guide\nMr. Smith opens the library at 9.30 every day. Welcome!\n"
    book = ingest_txt(_write(tmp_path, "en.txt", data), LIMITS)
    assert book.metadata.language == "en"
    assert book.metadata.title == "Library Guide"
    assert [s.text for s in book.sentences()] == ["Mr. Smith opens the library at 9.30 every day.", "Welcome!"]


@pytest.mark.skipif(not (CORPUS / "luzhai-library-plan-2021.txt").exists(), reason="../shared corpus not present")
def test_luzhai_plan_outline() -> None:
    path = CORPUS / "luzhai-library-plan-2021.txt"
    book = ingest_txt(path, LIMITS)
    assert book.metadata.title == "鹿寨县图书馆“十四五”事业发展规划"
    outline = _outline(book)
    assert outline[:4] == [
        (1, "一、指导思想"),
        (1, "二、“十三五”时期主要工作回顾"),
        (2, "(一)“十三五”时期取得的主要成绩"),
        (3, "1.阅读服务设施建设日趋完善"),
    ]
    assert [title for level, title in outline if level == 1] == [
        "一、指导思想",
        "二、“十三五”时期主要工作回顾",
        "三、主要目标",
        "四、“十四五”时期主要任务",
        "五、保障措施",
    ]
    assert (2, "(五)加强人才队伍建设,提高人才队伍素质") in outline
    assert (3, "3.公共财政投入急需加大") in outline
    assert outline[-1] == (1, "五、保障措施")
    # "1.转变办馆模式。坚持以服务为本……" is a numbered paragraph, not a heading
    assert not any(title.startswith("1.转变办馆模式") for _, title in outline)
    assert any(b.text.startswith("1.转变办馆模式。") for b in book.blocks())
    assert all(level <= 3 for level, _ in outline)


# --- bad input ------------------------------------------------------------------------


def _error(path: Path, limits: IngestLimits = LIMITS) -> InputError:
    with pytest.raises(InputError) as caught:
        ingest_txt(path, limits)
    error = caught.value
    assert error.source == str(path)
    assert str(path) in str(error)
    assert f"{error.message_zh} / {error.message_en}" in str(error)
    return error


def test_empty_file(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "empty.txt", b""))
    assert "文件是空的" in error.message_zh and "file is empty" in error.message_en


def test_whitespace_only_file(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "blank.txt", b"  \r\n\t\n  "))
    assert "文件是空的" in error.message_zh and "file is empty" in error.message_en


def test_ideographic_spaces_only_file(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "blank.txt", "\u3000\u3000\n".encode()))
    assert error.message_zh == "文件里没有文字" and error.message_en == "file contains no text"


def test_binary_file(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "picture.txt", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 200))
    assert "二进制文件" in error.message_zh and "binary file" in error.message_en


def test_undecodable_bytes(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "garbled.txt", b"\x80\x80\x80\x80" * 8))
    assert "无法识别文件编码" in error.message_zh
    assert "cannot tell the text encoding" in error.message_en and "UTF-8" in error.message_en


def test_nonexistent_path(tmp_path: Path) -> None:
    error = _error(tmp_path / "nowhere.txt")
    assert error.message_zh == "文件不存在" and error.message_en == "file not found"


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "book.txt"
    folder.mkdir()
    error = _error(folder)
    assert "文件夹" in error.message_zh and "folder" in error.message_en


def test_oversize_file(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "big.txt", "超过十个字节的文本".encode()), IngestLimits(max_file_bytes=10))
    assert "文件太大" in error.message_zh and "file too large" in error.message_en
