"""Stored documents round-trip exactly."""

from __future__ import annotations

import json

import pytest

from accessible_reader.document.builder import DocumentBuilder
from accessible_reader.document.model import BookMetadata
from accessible_reader.document.serialize import book_from_dict, book_to_dict


def test_every_node_kind_round_trips_through_json() -> None:
    builder = DocumentBuilder()
    builder.paragraph("前言。")
    builder.heading(1, "第一章")
    builder.page_break("12")
    builder.list_item("第一项。", level=2)
    builder.table_row(["书名", "作者"])
    builder.paragraph("Hello world. Second sentence.")
    meta = BookMetadata(title="书", authors=("甲", "乙"), year="2021", subjects=("地方志",), isbn="9787020087639")
    book = builder.build("bk1", meta)
    assert book_from_dict(json.loads(json.dumps(book_to_dict(book)))) == book


def test_unknown_format_version_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown stored document format"):
        book_from_dict({"format": 99})
