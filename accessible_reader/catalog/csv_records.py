"""Catalog records from a CSV file (a spreadsheet saved as CSV), in the layout below.

The same text is in docs/catalog-csv.md, for staff.

Layout
    The first non-empty row holds the column names; every later row is one book. Columns
    may come in any order; names are matched ignoring case, surrounding spaces and
    full-width letters, and each has Chinese aliases:

    ============  ==============================  ==========================================
    column        aliases                         contents
    ============  ==============================  ==========================================
    title         书名, 题名, 正题名              required, never empty
    authors       作者, 著者, 责任者              several separated by ";" or "；"
    publisher     出版社, 出版者
    year          出版年, 出版日期, 出版时间      the first four-digit year is kept
    isbn          ISBN, 国际标准书号              hyphens kept; "(平装)" and the like dropped
    call_number   索书号, 分类号, 中图分类号      中图分类号 (CLC)
    subjects      主题词, 主题                    several separated by ";" or "；"
    summary       摘要, 简介, 内容提要
    language      语种, 语言                      zh/chi/中文, en/eng/英文...; empty: guessed
    id            编号, 记录号, 控制号            the record's number in the library system
    ============  ==============================  ==========================================

    Other columns are ignored. A column named twice (e.g. both ``title`` and ``书名``) is
    an error.

Encoding and separators
    UTF-8 (with or without BOM), GB18030/GBK (what Excel in China saves) or UTF-16 with a
    BOM. Fields are separated by commas, or by tabs when the header row has tabs and no
    commas (Excel's "Unicode text"). Values with commas or line breaks are quoted ("…"),
    as Excel does.

Errors (the whole file is refused, nothing is imported)
    a missing ``title`` column (the message lists the expected header), a row with an empty
    title, a row with more non-empty values than there are columns, an ISBN that Excel has
    turned into a number like ``9.78702E+12``. Each message names the file and the line.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from accessible_reader.catalog.records import (
    CatalogRecord,
    clean_text,
    language_tag,
    leading_isbn,
    normalize_year,
)
from accessible_reader.document.ingest.source import decode_text
from accessible_reader.document.model import BookMetadata
from accessible_reader.errors import InputError

COLUMNS = ("id", "title", "authors", "publisher", "year", "isbn", "call_number", "subjects", "summary", "language")
REQUIRED = ("title",)
EXPECTED_HEADER = ",".join(COLUMNS)
_ALIASES = {
    "title": ("书名", "题名", "正题名"),
    "authors": ("作者", "著者", "责任者", "author"),
    "publisher": ("出版社", "出版者"),
    "year": ("出版年", "出版日期", "出版时间"),
    "isbn": ("国际标准书号",),
    "call_number": ("索书号", "分类号", "中图分类号", "call number", "callnumber"),
    "subjects": ("主题词", "主题", "subject"),
    "summary": ("摘要", "简介", "内容提要"),
    "language": ("语种", "语言"),
    "id": ("编号", "记录号", "控制号"),
}
_HEADER_NAMES = {name: column for column in COLUMNS for name in (column, *_ALIASES.get(column, ()))}
_LIST_SEPARATOR = re.compile(r"[;；]")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e\+?\d+", re.IGNORECASE)


def header_column(name: str) -> str | None:
    """The column a header cell names ("书名", " Title " -> "title"), or None if unknown."""
    key = unicodedata.normalize("NFKC", name).strip().lstrip("\ufeff").strip().lower()
    return _HEADER_NAMES.get(key)


def iter_csv(data: bytes, source: Path) -> Iterator[CatalogRecord]:
    """Yield the records of a catalog CSV file's bytes (layout in the module docstring).

    Raises InputError naming the file and line for the errors listed there.
    """
    text, _ = decode_text(data, source)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    columns: dict[str, int] = {}
    count = 0
    end_of_previous = 0
    try:
        for row in reader:
            line, end_of_previous = end_of_previous + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header, columns = row, _columns(row, source)
                continue
            count += 1
            yield _record(row, header, columns, line, source)
    except csv.Error as error:
        raise InputError(
            f"CSV 第 {reader.line_num} 行格式错误（{error}）",
            f"malformed CSV at line {reader.line_num} ({error})",
            source,
        ) from None
    if count == 0:
        raise InputError("CSV 文件里没有书目记录（只有列名或是空的）", "the CSV file holds no records", source)


def _columns(header: list[str], source: Path) -> dict[str, int]:
    """Map each known column to its index; refuse duplicates and a missing title column."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        column = header_column(name)
        if column is None:
            continue
        if column in columns:
            first = header[columns[column]].strip()
            raise InputError(
                f"CSV 列名重复：“{first}”和“{name.strip()}”都是 {column} 列",
                f"duplicate CSV column: '{first}' and '{name.strip()}' both name column {column}",
                source,
            )
        columns[column] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        aliases = "、".join(f"{c}（{_ALIASES[c][0]}）" for c in missing)
        raise InputError(
            f"CSV 文件缺少必需的列：{aliases}。第一行应是列名，例如：{EXPECTED_HEADER}",
            f"the CSV file lacks the required column(s): {', '.join(missing)}. "
            f"The first row must name the columns, e.g.: {EXPECTED_HEADER}",
            source,
        )
    return columns


def _record(row: list[str], header: list[str], columns: dict[str, int], line: int, source: Path) -> CatalogRecord:
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        raise InputError(
            f"CSV 第 {line} 行有 {len(row)} 个值，但只有 {len(header)} 个列名；含逗号的内容要用英文引号括起来",
            f"CSV line {line} has {len(row)} values but only {len(header)} columns; quote values that contain commas",
            source,
        )

    def cell(column: str) -> str:
        index = columns.get(column)
        return clean_text(row[index]) if index is not None and index < len(row) else ""

    title = cell("title")
    if not title:
        raise InputError(
            f"CSV 第 {line} 行没有书名（title 列是空的）",
            f"CSV line {line} has no title (column title is empty)",
            source,
        )
    isbn = cell("isbn")
    if _SCIENTIFIC.fullmatch(isbn):
        raise InputError(
            f"CSV 第 {line} 行的 ISBN“{isbn}”被 Excel 改成了数字；请把该列设为“文本”格式后重新保存",
            f"CSV line {line}: the ISBN '{isbn}' was turned into a number by Excel; "
            "format the column as text and save again",
            source,
        )
    metadata = BookMetadata(
        title=title,
        authors=_split(cell("authors")),
        publisher=cell("publisher"),
        year=normalize_year(cell("year")),
        isbn=leading_isbn(isbn),
        language=language_tag(cell("language"), title),
        call_number=cell("call_number"),
        subjects=_split(cell("subjects")),
        summary=cell("summary"),
    )
    raw = "\n".join(f"{name.strip()}: {value}" for name, value in zip(header, row, strict=False) if value.strip())
    return CatalogRecord(metadata, "csv", cell("id"), raw)


def _split(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in _LIST_SEPARATOR.split(value) if part.strip()))


__all__ = ["COLUMNS", "EXPECTED_HEADER", "header_column", "iter_csv"]
