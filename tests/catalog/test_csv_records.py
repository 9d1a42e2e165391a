"""Catalog CSV files: English and Chinese headers, GBK and UTF-16 from Excel, each error named by file and line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from accessible_reader.catalog.csv_records import EXPECTED_HEADER, header_column
from accessible_reader.catalog.records import read_records
from accessible_reader.document.model import BookMetadata
from accessible_reader.errors import InputError

LUOTUO = BookMetadata(
    title="骆驼祥子",
    authors=("老舍",),
    publisher="人民文学出版社",
    year="2000",
    isbn="978-7-02-008763-9",
    language="zh",
    call_number="I246.5",
    subjects=("长篇小说－中国－现代",),
    summary="讲述北平人力车夫祥子三起三落的一生。",
)


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "books.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_english_header_every_column(tmp_path: Path) -> None:
    text = (
        "id,title,authors,publisher,year,isbn,call_number,subjects,summary,language\n"
        "LZ0001,骆驼祥子,老舍,人民文学出版社,2000,978-7-02-008763-9,I246.5,长篇小说－中国－现代,"
        "讲述北平人力车夫祥子三起三落的一生。,zh\n"
        'LZ0005,The Old Man and the Sea,"Hemingway, Ernest；Baker, Carlos",Scribner,c1995,'
        '0684801221 (pbk.),I712.45,Fishers -- Fiction; Cuba -- Fiction,"An old man.\nA marlin.",eng\n'
    )
    first, second = read_records(_write(tmp_path, text))
    assert (first.metadata, first.source_format, first.control_number) == (LUOTUO, "csv", "LZ0001")
    assert second.metadata == BookMetadata(
        title="The Old Man and the Sea",
        authors=("Hemingway, Ernest", "Baker, Carlos"),
        publisher="Scribner",
        year="1995",
        isbn="0684801221",
        language="en",
        call_number="I712.45",
        subjects=("Fishers -- Fiction", "Cuba -- Fiction"),
        summary="An old man. A marlin.",
    )
    assert second.control_number == "LZ0005"
    assert first.raw.splitlines()[:3] == ["id: LZ0001", "title: 骆驼祥子", "authors: 老舍"]


def test_gbk_csv_with_chinese_headers_from_excel(tmp_path: Path) -> None:
    text = (
        "书名,作者,出版社,出版年,ISBN,索书号,主题词,摘要,语种\r\n"
        "骆驼祥子,老舍,人民文学出版社,2000,978-7-02-008763-9,I246.5,长篇小说－中国－现代,"
        "讲述北平人力车夫祥子三起三落的一生。,中文\r\n"
        "边城,沈从文；黄永玉,人民文学出版社,2005年,,I246.5,中篇小说;湘西,,\r\n"
    )
    path = _write(tmp_path, text, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    first, second = read_records(path)
    assert (first.metadata, first.control_number) == (LUOTUO, "")
    assert second.metadata == BookMetadata(
        title="边城",
        authors=("沈从文", "黄永玉"),
        publisher="人民文学出版社",
        year="2005",
        call_number="I246.5",
        subjects=("中篇小说", "湘西"),
        language="zh",
    )


def test_utf8_bom_mixed_case_headers_and_unknown_columns(tmp_path: Path) -> None:
    text = "\ufeff Title ,AUTHORS,Shelf,Call_Number\n边城,沈从文,3F,I246.5\n\n,,,\n"
    [record] = read_records(_write(tmp_path, text))
    assert (record.metadata.title, record.metadata.authors, record.metadata.call_number) == (
        "边城",
        ("沈从文",),
        "I246.5",
    )


def test_utf16_tab_separated_unicode_text_from_excel(tmp_path: Path) -> None:
    text = "书名\t作者\t索书号\r\n骆驼祥子\t老舍\tI246.5\r\n"
    path = tmp_path / "books.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    [record] = read_records(path)
    assert (record.metadata.title, record.metadata.authors, record.metadata.call_number) == (
        "骆驼祥子",
        ("老舍",),
        "I246.5",
    )


def test_missing_language_is_guessed_from_the_title(tmp_path: Path) -> None:
    records = read_records(_write(tmp_path, "title\n边城\nWalden\n"))
    assert [r.metadata.language for r in records] == ["zh", "en"]


@pytest.mark.parametrize(
    ("name", "column"),
    [("书名", "title"), (" ISBN ", "isbn"), ("ＩＳＢＮ", "isbn"), ("索书号", "call_number"), ("shelf", None)],
)
def test_header_names(name: str, column: str | None) -> None:
    assert header_column(name) == column


def test_missing_title_column_names_file_column_and_expected_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "作者,出版社\n老舍,人民文学出版社\n")
    with pytest.raises(InputError) as caught:
        read_records(path)
    error = caught.value
    assert error.source == str(path)
    assert error.message_zh == f"CSV 文件缺少必需的列：title（书名）。第一行应是列名，例如：{EXPECTED_HEADER}"
    assert "lacks the required column(s): title" in error.message_en
    assert EXPECTED_HEADER == "id,title,authors,publisher,year,isbn,call_number,subjects,summary,language"


def test_row_without_title_names_its_line(tmp_path: Path) -> None:
    text = 'title,summary\n边城,"两行\n摘要"\n,没有书名的一行\n'
    with pytest.raises(InputError) as caught:
        read_records(_write(tmp_path, text))
    assert caught.value.message_zh == "CSV 第 4 行没有书名（title 列是空的）"
    assert caught.value.message_en == "CSV line 4 has no title (column title is empty)"


def test_isbn_turned_into_a_number_by_excel(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"CSV 第 2 行的 ISBN“9\.78702E\+12”被 Excel 改成了数字"):
        read_records(_write(tmp_path, "title,isbn\n骆驼祥子,9.78702E+12\n"))


def test_row_with_more_values_than_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="CSV 第 2 行有 3 个值，但只有 2 个列名"):
        read_records(_write(tmp_path, "title,summary\n边城,湘西,翠翠\n"))


def test_trailing_empty_cells_are_allowed(tmp_path: Path) -> None:
    assert [r.metadata.title for r in read_records(_write(tmp_path, "title,year\n边城,2005,,\n"))] == ["边城"]


def test_duplicate_column(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="CSV 列名重复：“title”和“书名”都是 title 列"):
        read_records(_write(tmp_path, "title,书名\n边城,边城\n"))


def test_header_only_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the CSV file holds no records"):
        read_records(_write(tmp_path, "title,authors\n"))


def test_undecodable_csv(tmp_path: Path) -> None:
    path = tmp_path / "books.csv"
    path.write_bytes(b"title\n" + bytes(range(0x80, 0x100)) * 4)
    with pytest.raises(InputError, match="cannot tell the text encoding"):
        read_records(path)
