"""The document model and its builder: outline tree, stats, stable ids, empty text, implicit section."""

from __future__ import annotations

import re
from pathlib import Path

from accessible_reader.document.builder import DocumentBuilder, book_id_for, clean_text
from accessible_reader.document.ingest.source import IngestLimits
from accessible_reader.document.ingest.txt import ingest_txt, text_to_book
from accessible_reader.document.model import BlockKind, Book, BookMetadata, OutlineNode, book_stats, outline

# XML NCName restricted to what ids may use here: no colon, not starting with a digit, "-" or ".".
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
TEXT = (
    "鹿寨县图书馆简介\n前言在标题之前。\n第一章 总则\n本馆成立于1950年。馆藏丰富！\n"
    "第一节 目的\n服务读者。\n第二章 服务\n"
)


def _book(levels: list[int], leading_text: bool = False) -> Book:
    builder = DocumentBuilder()
    if leading_text:
        builder.paragraph("前言。")
    for index, level in enumerate(levels):
        builder.heading(level, f"标题{index}")
        builder.paragraph(f"正文{index}。")
    return builder.build("bk1", BookMetadata(title="书"))


def _shape(nodes: tuple[OutlineNode, ...]) -> list[object]:
    return [(n.section.title, _shape(n.children)) if n.children else n.section.title for n in nodes]


def test_outline_builds_the_heading_tree() -> None:
    book = _book([1, 2, 3, 2, 1, 2])
    assert _shape(outline(book)) == [
        ("标题0", [("标题1", ["标题2"]), "标题3"]),
        ("标题4", ["标题5"]),
    ]


def test_outline_with_skipped_levels_and_implicit_root() -> None:
    book = _book([1, 3, 2, 2], leading_text=True)
    roots = outline(book)
    assert roots[0].section.implicit and roots[0].children == ()
    # level 3 under level 1; the following level 2 closes it and is a sibling, not its child
    assert _shape(roots[1:]) == [("标题0", ["标题1", "标题2", "标题3"])]


def test_outline_of_book_without_sections() -> None:
    assert outline(Book("bk1", BookMetadata(title="空"))) == ()


def test_book_stats() -> None:
    builder = DocumentBuilder()
    builder.paragraph("前言。")  # implicit section: not counted as a section
    builder.heading(1, "第一章")
    builder.page_break("1")
    builder.paragraph("第一句。第二句！")
    builder.list_item("条目", 2)
    builder.table_row(["甲", "", "乙"])
    builder.page_break("ii")
    stats = book_stats(builder.build("bk1", BookMetadata(title="书")))
    assert stats.sections == 1
    assert stats.paragraphs == 4  # paragraph blocks, list item, table row; page breaks excluded
    assert stats.sentences == 6  # 前言。 第一句。 第二句！ 条目 甲 乙
    assert stats.characters == len("前言。第一句。第二句！条目甲乙") + len("第一章")
    assert stats.pages == 2


def test_page_numbers_and_block_text() -> None:
    builder = DocumentBuilder()
    builder.page_break(" 12 ")
    builder.table_row(["项目", "数量"])
    book = builder.build("bk1", BookMetadata(title="书"))
    assert book.page_numbers() == ["12"]
    row = next(b for b in book.blocks() if b.kind is BlockKind.TABLE_ROW)
    assert row.text == "项目\t数量"


def test_ids_are_stable_for_the_same_text() -> None:
    first = text_to_book(TEXT, "bk1", "x")
    second = text_to_book(TEXT, "bk1", "x")
    assert first == second
    assert [s.id for s in first.sections] == [s.id for s in second.sections]
    assert [s.id for s in first.sentences()] == [s.id for s in second.sentences()]


def test_ingesting_the_same_file_twice_gives_identical_ids(tmp_path: Path) -> None:
    path = tmp_path / "book.txt"
    path.write_text(TEXT, encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text(TEXT, encoding="utf-8")
    first, second, third = (ingest_txt(p, IngestLimits()) for p in (path, path, copy))
    assert first == second
    assert first.id == third.id == book_id_for(TEXT.encode())  # the id follows the content, not the name
    assert re.fullmatch(r"bk[0-9a-f]{16}", first.id)


def test_ids_are_ncnames_and_unique() -> None:
    book = text_to_book(TEXT, book_id_for(TEXT.encode()), "x")
    ids = [book.id]
    for section in book.sections:
        ids.append(section.id)
        for block in section.blocks:
            ids.append(block.id)
            ids.extend(s.id for s in block.sentences)
    assert all(NCNAME.match(i) for i in ids), ids
    assert len(ids) == len(set(ids))


def test_ids_in_document_order() -> None:
    book = text_to_book(TEXT, "bk1", "x")
    assert [s.id for s in book.sections] == ["h1", "h2", "h3", "h4"]
    assert [b.id for b in book.blocks()] == ["p1", "p2", "p3"]
    assert [s.id for s in book.sentences()] == ["s1", "s2", "s3", "s4"]


def test_builder_ignores_empty_text() -> None:
    builder = DocumentBuilder()
    builder.paragraph("")
    builder.paragraph("  \t\n\u3000\u00a0 ")
    builder.list_item("   ")
    builder.table_row(["", " ", "\u3000"])
    builder.table_row([])
    builder.page_break("  ")
    builder.heading(1, "  \u3000")
    assert builder.is_empty()
    assert builder.build("bk1", BookMetadata(title="空")).sections == ()


def test_heading_alone_is_not_empty_and_levels_are_clamped() -> None:
    builder = DocumentBuilder()
    builder.heading(0, "零级")
    builder.heading(9, "九级")
    assert not builder.is_empty()
    book = builder.build("bk1", BookMetadata(title="书"))
    assert [(s.level, s.title, s.blocks) for s in book.sections] == [(1, "零级", ()), (6, "九级", ())]


def test_implicit_leading_section() -> None:
    builder = DocumentBuilder()
    builder.paragraph("标题之前的文字。")
    builder.heading(2, "第一节")
    builder.paragraph("正文。")
    book = builder.build("bk1", BookMetadata(title="书"))
    leading, first = book.sections
    assert leading.implicit and leading.title == "" and leading.level == 1
    assert [b.text for b in leading.blocks] == ["标题之前的文字。"]
    assert not first.implicit and first.title == "第一节" and first.level == 2


def test_no_implicit_section_when_text_starts_with_a_heading() -> None:
    builder = DocumentBuilder()
    builder.heading(1, "第一章")
    builder.paragraph("正文。")
    assert [s.implicit for s in builder.build("bk1", BookMetadata(title="书")).sections] == [False]


def test_whitespace_is_collapsed_and_languages_tagged() -> None:
    assert clean_text("  鹿寨\u3000县 \n 图书馆\t ") == "鹿寨 县 图书馆"
    builder = DocumentBuilder()
    builder.heading(1, "Chapter  One")
    builder.paragraph("Hello there.  我们  读书。")
    builder.list_item("Read more.", level=0)
    book = builder.build("bk1", BookMetadata(title="书"))
    assert book.sections[0].title == "Chapter One"
    assert [(s.text, s.language) for s in book.sentences()] == [
        ("Hello there. 我们 读书。", "zh"),
        ("Read more.", "en"),
    ]
    assert list(book.blocks())[-1].list_level == 1
