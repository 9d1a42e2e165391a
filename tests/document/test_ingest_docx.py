"""DOCX ingest: headings (English, Chinese and outline-level styles), lists, tables, metadata, bad input.

Every fixture is built with python-docx in tmp_path; nothing is downloaded.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from accessible_reader.document.ingest.docx import ingest_docx
from accessible_reader.document.ingest.source import IngestLimits
from accessible_reader.document.model import BlockKind, Book
from accessible_reader.errors import InputError

LIMITS = IngestLimits()


def _set_outline_level(element: object, level: int) -> None:
    """Give a paragraph or style element ``<w:pPr><w:outlineLvl w:val=level/>``."""
    p_pr = element.get_or_add_pPr()  # type: ignore[attr-defined]
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    p_pr.append(outline)


def _number(paragraph: Paragraph, ilvl: int, num_id: int = 1) -> None:
    """Give a paragraph direct numbering at level ``ilvl`` (0 = top level)."""
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", ilvl), ("w:numId", num_id)):
        child = OxmlElement(tag)
        child.set(qn("w:val"), str(value))
        num_pr.append(child)
    paragraph._p.get_or_add_pPr().append(num_pr)


def _save(document: object, path: Path) -> Path:
    document.save(str(path))  # type: ignore[attr-defined]
    return path


@pytest.fixture
def rich_docx(tmp_path: Path) -> Path:
    """A Chinese report with every structure DOCX ingest must recognise."""
    document = Document()
    core = document.core_properties
    core.title = "核心属性里的标题"
    core.author = "张三；李四, John Smith、王五"
    core.subject = "图书馆事业"
    core.keywords = "公共文化，无障碍阅读; 盲人"
    core.comments = "鹿寨县图书馆的五年规划。"
    core.language = "zh-CN"

    localized_h2 = document.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)
    localized_h2.base_style = document.styles["Normal"]
    _set_outline_level(localized_h2.element, 1)
    named_only_h3 = document.styles.add_style("标题 3", WD_STYLE_TYPE.PARAGRAPH)
    named_only_h3.base_style = document.styles["Normal"]
    outline_only = document.styles.add_style("章标题", WD_STYLE_TYPE.PARAGRAPH)
    outline_only.base_style = document.styles["Normal"]
    _set_outline_level(outline_only.element, 0)

    document.add_paragraph("鹿寨县图书馆“十四五”事业发展规划", style="Title")
    document.add_paragraph("目录", style="TOC Heading")
    document.add_paragraph("前言写在第一个标题之前。")
    document.add_heading("第一章 总则", level=1)
    document.add_paragraph("鹿寨县图书馆成立于1950年。馆藏图书13万余册！你来过吗？")
    document.add_heading("一、指导思想", level=2)
    document.add_paragraph("坚持“服务第一，读者至上”的宗旨。")
    document.add_heading("（一）服务宗旨", level=3)
    document.add_paragraph("（二）本地化的二级标题", style="标题 2")
    document.add_paragraph("只有名字的三级标题", style="标题 3")

    top = document.add_paragraph("建设盲人阅览室", style="List Number")
    _number(top, 0)
    nested = document.add_paragraph("配备听书机", style="List Number")
    _number(nested, 1)
    plain_numbered = document.add_paragraph("没有列表样式的编号段落")
    _number(plain_numbered, 2)
    document.add_paragraph("项目符号二级", style="List Bullet 2")
    document.add_paragraph("列表段落", style="List Paragraph")

    table = document.add_table(rows=3, cols=3)
    values = [("项目", "数量", "单位"), ("藏书", "130000", "册"), ("", "", "")]
    for row, row_values in zip(table.rows, values, strict=True):
        for cell, value in zip(row.cells, row_values, strict=True):
            cell.text = value
    document.add_paragraph("表格之后的段落。")

    document.add_paragraph("第二章 服务", style="章标题")
    direct = document.add_paragraph("直接设置大纲级别的段落")
    _set_outline_level(direct._p, 1)
    document.add_paragraph("The library opened in 2018. It has 5347 square metres.")
    return _save(document, tmp_path / "规划.docx")


def _headings(book: Book) -> list[tuple[int, str]]:
    return [(s.level, s.title) for s in book.sections if not s.implicit]


def test_headings_in_order_with_levels(rich_docx: Path) -> None:
    book = ingest_docx(rich_docx, LIMITS)
    assert _headings(book) == [
        (1, "第一章 总则"),
        (2, "一、指导思想"),
        (3, "（一）服务宗旨"),
        (2, "（二）本地化的二级标题"),
        (3, "只有名字的三级标题"),
        (1, "第二章 服务"),
        (2, "直接设置大纲级别的段落"),
    ]


def test_title_paragraph_is_the_book_title_not_a_section(rich_docx: Path) -> None:
    book = ingest_docx(rich_docx, LIMITS)
    assert book.metadata.title == "鹿寨县图书馆“十四五”事业发展规划"
    assert all("十四五" not in s.title for s in book.sections)


def test_table_of_contents_heading_is_skipped_and_leading_text_is_implicit(rich_docx: Path) -> None:
    book = ingest_docx(rich_docx, LIMITS)
    first = book.sections[0]
    assert first.implicit and first.title == ""
    assert [b.text for b in first.blocks] == ["前言写在第一个标题之前。"]
    assert "目录" not in [b.text for b in book.blocks()]


def test_list_items_and_levels(rich_docx: Path) -> None:
    book = ingest_docx(rich_docx, LIMITS)
    items = [(b.text, b.list_level) for b in book.blocks() if b.kind is BlockKind.LIST_ITEM]
    assert items == [
        ("建设盲人阅览室", 1),
        ("配备听书机", 2),
        ("没有列表样式的编号段落", 3),
        ("项目符号二级", 2),
        ("列表段落", 1),
    ]


def test_table_rows_and_cells_interleaved_with_paragraphs(rich_docx: Path) -> None:
    book = ingest_docx(rich_docx, LIMITS)
    section = next(s for s in book.sections if s.title == "只有名字的三级标题")
    kinds = [b.kind for b in section.blocks]
    assert kinds == [BlockKind.LIST_ITEM] * 5 + [BlockKind.TABLE_ROW] * 2 + [BlockKind.PARAGRAPH]
    rows = [b for b in section.blocks if b.kind is BlockKind.TABLE_ROW]
    assert [[s.text for s in row.sentences] for row in rows] == [["项目", "数量", "单位"], ["藏书", "130000", "册"]]
    assert rows[0].text == "项目\t数量\t单位"
    assert section.blocks[-1].text == "表格之后的段落。"


def test_merged_cells_are_read_once(tmp_path: Path) -> None:
    document = Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "合并单元格"
    table.cell(0, 2).text = "右"
    book = ingest_docx(_save(document, tmp_path / "merged.docx"), LIMITS)
    (row,) = book.blocks()
    assert [s.text for s in row.sentences] == ["合并单元格", "右"]


def test_metadata_from_core_properties(rich_docx: Path) -> None:
    metadata = ingest_docx(rich_docx, LIMITS).metadata
    assert metadata.authors == ("张三", "李四", "John Smith", "王五")
    assert metadata.subjects == ("图书馆事业", "公共文化", "无障碍阅读", "盲人")
    assert metadata.summary == "鹿寨县图书馆的五年规划。"
    assert metadata.language == "zh"


def test_core_title_used_without_a_title_paragraph(tmp_path: Path) -> None:
    document = Document()
    document.core_properties.title = "鹿寨县图书馆简介"
    document.add_paragraph("正文。")
    assert ingest_docx(_save(document, tmp_path / "a.docx"), LIMITS).metadata.title == "鹿寨县图书馆简介"


def test_file_name_is_the_title_when_nothing_else_names_the_book(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("Only text here.")
    book = ingest_docx(_save(document, tmp_path / "读者须知.docx"), LIMITS)
    assert book.metadata.title == "读者须知"
    assert book.metadata.authors == ()  # python-docx's own placeholder author is dropped
    assert book.metadata.summary == ""
    assert book.metadata.language == "en"  # no core language: detected from the text


def test_sentences_are_split_and_tagged(rich_docx: Path) -> None:
    book = ingest_docx(rich_docx, LIMITS)
    section = next(s for s in book.sections if s.title == "第一章 总则")
    assert [s.text for s in section.sentences()] == ["鹿寨县图书馆成立于1950年。", "馆藏图书13万余册！", "你来过吗？"]
    english = next(b for b in book.blocks() if b.text.startswith("The library"))
    assert [(s.text, s.language) for s in english.sentences] == [
        ("The library opened in 2018.", "en"),
        ("It has 5347 square metres.", "en"),
    ]


def test_same_file_gives_same_ids(rich_docx: Path) -> None:
    assert ingest_docx(rich_docx, LIMITS) == ingest_docx(rich_docx, LIMITS)


def test_tracked_insertions_are_read_and_deletions_are_not(tmp_path: Path) -> None:
    document = Document()
    paragraph = document.add_paragraph("保留")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraph._p.append(
        parse_xml(f'<w:ins xmlns:w="{w}" w:id="1" w:author="a"><w:r><w:t>插入的文字</w:t></w:r></w:ins>')
    )
    paragraph._p.append(
        parse_xml(f'<w:del xmlns:w="{w}" w:id="2" w:author="a"><w:r><w:delText>删掉的</w:delText></w:r></w:del>')
    )
    book = ingest_docx(_save(document, tmp_path / "tracked.docx"), LIMITS)
    assert [b.text for b in book.blocks()] == ["保留插入的文字"]


# --- bad input ------------------------------------------------------------------------


def _error(path: Path, limits: IngestLimits = LIMITS) -> InputError:
    with pytest.raises(InputError) as caught:
        ingest_docx(path, limits)
    error = caught.value
    assert error.source == str(path)
    assert str(path) in str(error)
    return error


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def _members_of(document: object) -> dict[str, bytes | str]:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "坏的.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive" * 10)
    error = _error(path)
    assert "已损坏" in error.message_zh
    assert "corrupt DOCX" in error.message_en


def test_damaged_member_data(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("鹿寨县图书馆" * 300)
    buffer = io.BytesIO()
    document.save(buffer)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 20
    for index in range(start, start + 40):
        data[index] ^= 0x5A
    path = tmp_path / "damaged.docx"
    path.write_bytes(bytes(data))
    error = _error(path)
    assert "已损坏" in error.message_zh and "corrupt" in error.message_en


def test_old_binary_word_file(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    error = _error(path)
    assert ".doc" in error.message_zh and "另存为 .docx" in error.message_zh
    assert "old Word (.doc)" in error.message_en


def test_zip_without_word_document(tmp_path: Path) -> None:
    path = _zip(tmp_path / "notword.docx", {"mimetype": "application/epub+zip", "hello.txt": "你好"})
    error = _error(path)
    assert "不是 Word 文档" in error.message_zh and "word/document.xml" in error.message_zh
    assert "not a Word document" in error.message_en and "word/document.xml" in error.message_en


def test_word_package_missing_its_document_part(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("x")
    members = {k: v for k, v in _members_of(document).items() if k != "word/document.xml"}
    error = _error(_zip(tmp_path / "nodoc.docx", members))
    assert "word/document.xml" in error.message_zh and "not a Word document" in error.message_en


def test_malformed_document_xml(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("x")
    members = _members_of(document)
    members["word/document.xml"] = b"<w:document><w:body><w:p>"
    error = _error(_zip(tmp_path / "broken.docx", members))
    assert "XML" in error.message_zh and "malformed XML" in error.message_en


def test_zip_bomb_member_is_refused(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("x")
    members = _members_of(document)
    members["word/media/bomb.bin"] = b"\x00" * (3 * 1024 * 1024)  # compresses about 1000:1
    error = _error(_zip(tmp_path / "bomb.docx", members))
    assert "压缩炸弹" in error.message_zh and "zip bomb" in error.message_en


def test_unpacked_size_cap(rich_docx: Path) -> None:
    error = _error(rich_docx, IngestLimits(max_unpacked_bytes=10_000))
    assert "解压后过大" in error.message_zh and "unpacks too large" in error.message_en


def test_empty_document(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("")
    document.add_paragraph("   \u3000 ")
    error = _error(_save(document, tmp_path / "empty.docx"))
    assert error.message_zh == "Word 文档里没有文字"
    assert error.message_en == "the Word document contains no text"


def test_title_only_document_is_read_as_its_title(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("只有标题", style="Title")
    book = ingest_docx(_save(document, tmp_path / "t.docx"), LIMITS)
    assert book.metadata.title == "只有标题"
    assert [b.text for b in book.blocks()] == ["只有标题"]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "文件不存在" in _error(tmp_path / "nothing.docx").message_zh
    folder = tmp_path / "folder.docx"
    folder.mkdir()
    assert "folder" in _error(folder).message_en
