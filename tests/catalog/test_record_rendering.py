"""Catalog records spoken (one labelled line) and made braille-ready (one clean line per field)."""

from __future__ import annotations

import pytest

from accessible_reader.catalog.records import (
    CatalogRecord,
    braille_ready,
    record_to_braille_text,
    record_to_speech_text,
)
from accessible_reader.document.model import BookMetadata
from accessible_reader.locale import load_strings

LUOTUO = CatalogRecord(
    BookMetadata(
        title="骆驼祥子",
        authors=("老舍",),
        publisher="人民文学出版社",
        year="2000",
        isbn="978-7-02-008763-9",
        call_number="I246.5",
        subjects=("长篇小说－中国－现代",),
        summary="讲述北平人力车夫祥子三起三落的一生。",
    ),
    "cnmarc",
    "012000123456",
    "",
)
OLD_MAN = CatalogRecord(
    BookMetadata(
        title="The old man and the sea",
        authors=("Hemingway, Ernest",),
        publisher="Scribner",
        year="1995",
        isbn="0684801221",
        language="en",
        call_number="PS3515.E37 O4",
        subjects=("Fishers -- Cuba -- Fiction", "Marlin fishing -- Fiction"),
        summary="An old Cuban fisherman's struggle with a giant marlin.",
    ),
    "marc21",
    "ocm32390183",
    "",
)


def _only(**fields: str | tuple[str, ...]) -> CatalogRecord:
    return CatalogRecord(BookMetadata(**fields), "csv", "", "")  # type: ignore[arg-type]


def test_speech_in_mandarin() -> None:
    assert record_to_speech_text(LUOTUO) == (
        "书名：骆驼祥子；作者：老舍；出版社：人民文学出版社；出版年：2000；索书号：I246.5；"
        "ISBN：978-7-02-008763-9；主题：长篇小说－中国－现代；摘要：讲述北平人力车夫祥子三起三落的一生。"
    )


def test_speech_in_english() -> None:
    assert record_to_speech_text(OLD_MAN, lang="en") == (
        "Title: The old man and the sea; Author: Hemingway, Ernest; Publisher: Scribner; Year: 1995; "
        "Call number: PS3515.E37 O4; ISBN: 0684801221; "
        "Subjects: Fishers -- Cuba -- Fiction, Marlin fishing -- Fiction; "
        "Summary: An old Cuban fisherman's struggle with a giant marlin."
    )


def test_mandarin_labels_for_an_english_book() -> None:
    assert record_to_speech_text(OLD_MAN).startswith("书名：The old man and the sea；作者：Hemingway, Ernest；")


def test_only_present_fields_are_spoken() -> None:
    assert record_to_speech_text(_only(title="边城")) == "书名：边城"
    assert record_to_speech_text(_only(title="边城", year="2005", summary="  ")) == "书名：边城；出版年：2005"


def test_several_authors_and_subjects() -> None:
    record = _only(title="家", authors=("巴金", "", "曹禺"), subjects=("长篇小说", "家庭"))
    assert record_to_speech_text(record) == "书名：家；作者：巴金、曹禺；主题：长篇小说、家庭"
    assert record_to_speech_text(record, "en") == "Title: 家; Authors: 巴金, 曹禺; Subjects: 长篇小说, 家庭"


def test_speech_drops_control_characters_and_line_breaks() -> None:
    record = _only(title="\x88The\x89 old\x1b man", summary="第一行\r\n第二行\t结束")
    assert record_to_speech_text(record) == "书名：The old man；摘要：第一行 第二行 结束"


def test_braille_lines_in_mandarin() -> None:
    assert record_to_braille_text(LUOTUO) == [
        "书名：骆驼祥子",
        "作者：老舍",
        "出版社：人民文学出版社",
        "出版年：2000",
        "索书号：I246.5",
        "ISBN：978-7-02-008763-9",
        "主题：长篇小说-中国-现代",
        "摘要：讲述北平人力车夫祥子三起三落的一生。",
    ]


def test_braille_lines_in_english() -> None:
    assert record_to_braille_text(OLD_MAN, lang="en") == [
        "Title: The old man and the sea",
        "Author: Hemingway, Ernest",
        "Publisher: Scribner",
        "Year: 1995",
        "Call number: PS3515.E37 O4",
        "ISBN: 0684801221",
        "Subjects: Fishers -- Cuba -- Fiction, Marlin fishing -- Fiction",
        "Summary: An old Cuban fisherman's struggle with a giant marlin.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＩＳＢＮ　９７８－７－０２－００８７６３－９", "ISBN 978-7-02-008763-9"),  # no Chinese: all ASCII
        ("骆驼祥子（插图本）：第１卷，上／下", "骆驼祥子（插图本）：第1卷，上/下"),  # Chinese punctuation kept
        ("Walden；or，life in the woods！", "Walden;or,life in the woods!"),
        ("第一行\n\n第二行\x07\u200b", "第一行 第二行"),
    ],
)
def test_braille_ready_characters(text: str, expected: str) -> None:
    assert braille_ready(text) == expected


def test_braille_lines_never_hold_controls_or_breaks() -> None:
    record = _only(title="边城\x1d", summary="一\n二\r三\x00四", isbn="７－５０２０")
    lines = record_to_braille_text(record)
    assert lines == ["书名：边城", "ISBN：7-5020", "摘要：一 二 三四"]
    assert all(ch >= " " for line in lines for ch in line)


def test_labels_come_from_the_locale_files() -> None:
    zh, en = load_strings("zh"), load_strings("en")
    keys = [k for k in zh if k.startswith("record.")]
    assert len(keys) == 12 and all(k in en for k in keys)
    assert (zh["record.title"], en["record.title"]) == ("书名", "Title")
