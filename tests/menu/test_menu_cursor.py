"""BookCursor: DAISY-style navigation over a book with print pages."""

from __future__ import annotations

from accessible_reader.document.model import Block, BlockKind, Book, BookMetadata, Section, Sentence
from accessible_reader.menu.cursor import BookCursor, Level, estimate_seconds


def sentence(n: int, text: str = "一二三四五六七八九十") -> Sentence:
    return Sentence(f"s{n}", f"{text}{n}。", "zh")


def paged_book() -> Book:
    """Two chapters; page 1 starts chapter 1, page 2 its second paragraph, page 3 chapter 2."""
    chapter1 = Section(
        "h1",
        1,
        "第一章",
        (
            Block("b1", BlockKind.PAGE_BREAK, page_number="1"),
            Block("b2", BlockKind.PARAGRAPH, (sentence(1), sentence(2))),
            Block("b3", BlockKind.PAGE_BREAK, page_number="2"),
            Block("b4", BlockKind.PARAGRAPH, (sentence(3), sentence(4))),
        ),
    )
    chapter2 = Section(
        "h2",
        1,
        "第二章",
        (
            Block("b5", BlockKind.PAGE_BREAK, page_number="3"),
            Block("b6", BlockKind.PARAGRAPH, (sentence(5),)),
        ),
    )
    return Book("book", BookMetadata("书"), (chapter1, chapter2))


def ids(cursor: BookCursor, moves: list[int]) -> list[str | None]:
    out: list[str | None] = []
    for move in moves:
        out.append(cursor.stop.sentence.id if cursor.move(move) else None)
    return out


def test_sentence_level_walks_every_sentence_and_stops_at_edges() -> None:
    cursor = BookCursor(paged_book())
    assert ids(cursor, [1, 1, 1, 1, 1]) == ["s2", "s3", "s4", "s5", None]
    assert ids(cursor, [-1, -1, -1, -1, -1]) == ["s4", "s3", "s2", "s1", None]


def test_paragraph_heading_and_page_levels() -> None:
    cursor = BookCursor(paged_book())
    cursor.change_level(1)
    assert cursor.level is Level.PARAGRAPH
    assert ids(cursor, [1, 1, 1]) == ["s3", "s5", None]
    assert cursor.change_level(1) is Level.HEADING
    assert ids(cursor, [-1, -1]) == ["s1", None]
    cursor.go_to_sentence("s4")
    assert ids(cursor, [-1]) == ["s1"]  # start of the current chapter first
    assert cursor.change_level(1) is Level.PAGE
    assert cursor.change_level(1) is Level.PAGE  # clamped
    assert ids(cursor, [1, 1, 1]) == ["s3", "s5", None]
    assert cursor.stop.page == "3"
    assert cursor.change_level(-3) is Level.SENTENCE


def test_go_to_page_and_sentence() -> None:
    cursor = BookCursor(paged_book())
    assert cursor.go_to_page("2") and cursor.stop.sentence.id == "s3"
    assert not cursor.go_to_page("9") and cursor.stop.sentence.id == "s3"
    assert cursor.go_to_sentence("s5") and cursor.section_title() == "第二章"
    assert not cursor.go_to_sentence("nope")


def test_times_and_ten_second_skips() -> None:
    cursor = BookCursor(paged_book(), duration=lambda s: 4.0)
    assert cursor.total_seconds == 20.0
    assert cursor.skip_seconds(10) and cursor.stop.sentence.id == "s3"
    assert cursor.elapsed_seconds == 8.0
    assert cursor.skip_seconds(-10) and cursor.stop.sentence.id == "s1"
    assert not cursor.skip_seconds(-10)
    assert cursor.skip_seconds(1000) and cursor.stop.sentence.id == "s5"


def test_estimate_grows_with_text() -> None:
    short, long = Sentence("a", "你好。", "zh"), Sentence("b", "你好" * 20 + "。", "zh")
    assert 0.3 <= estimate_seconds(short) < estimate_seconds(long)
    assert estimate_seconds(Sentence("c", "Hello there, reader.", "en")) > 1.0
