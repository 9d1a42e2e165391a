"""A small book paginated on 30×12 pages, compared with golden BRF and PEF files reviewed by eye.

Regenerate after a deliberate change with ``UPDATE_GOLDEN=1`` and review the diff line by line.
"""

from __future__ import annotations

import os
from datetime import date

from braille_paths import GOLDEN

from accessible_reader.braille.chinese import ChineseBraille
from accessible_reader.braille.convert import book_to_pages
from accessible_reader.braille.layout import get_profile
from accessible_reader.braille.writers import to_brf, to_pef
from accessible_reader.document.model import Block, BlockKind, Book, BookMetadata, Section, Sentence

FOLDER = GOLDEN / "braille"


def small_book() -> Book:
    def para(bid: str, text: str, kind: BlockKind = BlockKind.PARAGRAPH, level: int = 0) -> Block:
        return Block(bid, kind, (Sentence(f"s{bid}", text, "zh"),), list_level=level)

    def page(bid: str, number: str) -> Block:
        return Block(bid, BlockKind.PAGE_BREAK, page_number=number)

    meta = BookMetadata(
        "阅览室指南", authors=("鹿寨县图书馆",), publisher="鹿寨县图书馆", year="2021", isbn="978-7-5366-9293-0"
    )
    chapter_one = Section(
        "h1",
        1,
        "第一章 阅览室",
        (
            page("p1", "1"),
            para("b1", "阅览室位于图书馆一楼东侧，每周二至周日开放。"),
            para("b2", "工作人员可以为读者朗读，也可以帮助读者把电子书转换成有声书或盲文。"),
            page("p2", "2"),
            para("b3", "听书机可以外借，每位读者一次可借一台，借期三十天。"),
        ),
    )
    section = Section("h2", 2, "设备", (para("b4", "盲人阅读电脑", BlockKind.LIST_ITEM, 1), para("b5", "USB 键盘")))
    chapter_two = Section("h3", 1, "第二章 借阅", (para("b6", "她说：“你们的书在这里吗？”它在桌子上。"),))
    return Book("bkgolden", meta, (chapter_one, section, chapter_two))


def test_small_book_matches_golden_brf_and_pef(gf2018: ChineseBraille) -> None:
    pages = book_to_pages(small_book(), gf2018, get_profile("30x12"), max_pages=2).pages
    brf = to_brf(pages)
    pef = to_pef(pages, identifier="bkgolden", title="阅览室指南", language="zh", today=date(2021, 11, 1))
    if os.environ.get("UPDATE_GOLDEN"):
        FOLDER.mkdir(parents=True, exist_ok=True)
        (FOLDER / "small-book-30x12.brf").write_bytes(brf)
        (FOLDER / "small-book-30x12.pef").write_bytes(pef)
    assert len(pages.volumes) == 2
    assert brf == (FOLDER / "small-book-30x12.brf").read_bytes()
    assert pef == (FOLDER / "small-book-30x12.pef").read_bytes()
