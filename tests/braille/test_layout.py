"""Pagination: geometry, word-safe wrapping, page numbers, print pages, headings, volumes, title pages."""

from __future__ import annotations

import pytest

from accessible_reader.braille.cells import BLANK, dots
from accessible_reader.braille.chinese import ChineseBraille
from accessible_reader.braille.layout import (
    PROFILES,
    BrailleBlock,
    BrailleDocument,
    EmbosserProfile,
    get_profile,
    number_cells,
    paginate,
    wrap,
)
from accessible_reader.braille.system import BrailleWord
from accessible_reader.errors import InputError

TONES = set("⠁⠂⠄⠆")


def _words(n: int, size: int = 5) -> tuple[BrailleWord, ...]:
    return tuple(BrailleWord("⠃" * size, f"w{i}") for i in range(n))


def test_wrap_never_splits_words_nor_exceeds_width(gf2018: ChineseBraille) -> None:
    text = "阅览室配备盲文图书、大字本图书、盲人阅读电脑、听书机和助视器等设备。工作人员可以为读者朗读、代查资料。" * 3
    words = gf2018.translate(text).words
    for width in (12, 20, 31, 40):
        lines = wrap(words, width, 2, 0)
        assert all(len(line.cells) <= width for line in lines)
        assert BLANK.join(line.cells.strip(BLANK) for line in lines) == BLANK.join(w.cells for w in words)
        for line in lines:  # every line starts a word: no tone mark or punctuation cell orphaned at the start
            assert line.cells.strip(BLANK)[0] not in TONES


def test_overlong_chinese_word_breaks_between_syllables() -> None:
    syllable = dots("1245-146-23")  # jian4 with its tone: three cells
    word = BrailleWord(syllable * 10, "x" * 10, tuple(range(3, 30, 3)))
    lines = wrap([word], 14)
    assert [len(line.cells) for line in lines] == [12, 12, 6]
    assert all(len(line.cells) % 3 == 0 for line in lines)


def test_wrap_indents() -> None:
    lines = wrap(_words(10), 20, first_indent=2, runover=4)
    assert lines[0].cells.startswith(BLANK * 2 + "⠃")
    assert all(line.cells.startswith(BLANK * 4 + "⠃") for line in lines[1:])


def _doc(blocks: list[BrailleBlock], **extra: object) -> BrailleDocument:
    return BrailleDocument(tuple(blocks), running_head=(BrailleWord("⠓⠑⠁⠙", "Head"),), **extra)  # type: ignore[arg-type]


def test_pages_fit_the_profile_and_carry_numbers() -> None:
    blocks = [BrailleBlock("paragraph", _words(60)) for _ in range(20)]
    profile = PROFILES["default"]
    result = paginate(_doc(blocks), profile)
    pages = result.pages()
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert len(page.lines) == profile.lines_per_page
        assert all(len(line.cells) <= profile.cells_per_line for line in page.lines)
        assert page.number == number
        assert page.lines[-1].cells.endswith(number_cells(str(number)))
        assert page.lines[0].cells.strip(BLANK).startswith("⠓⠑⠁⠙")  # running head
    # the text line sharing the last line with the page number keeps 3 cells clear
    last = pages[0].lines[-1].cells
    number = number_cells("1")
    text = last[: -len(number)].rstrip(BLANK)
    assert len(text) <= profile.cols - len(number) - 3


def test_print_page_indicators() -> None:
    blocks = [
        BrailleBlock("page_break", page="12"),
        BrailleBlock("paragraph", _words(10)),
        BrailleBlock("page_break", page="13"),
        BrailleBlock("paragraph", _words(10)),
    ]
    page = paginate(_doc(blocks), PROFILES["default"]).pages()[0]
    assert page.print_page == "12"
    assert page.lines[0].cells.endswith(number_cells("12"))
    change = [line for line in page.lines if line.cells.startswith(dots("36") * 5)]
    assert len(change) == 1
    assert change[0].cells.endswith(number_cells("13"))
    assert len(change[0].cells) == 40


def test_headings_centred_and_indented() -> None:
    blocks = [
        BrailleBlock("heading", (BrailleWord("⠁⠃⠉", "H1"),), level=1),
        BrailleBlock("paragraph", _words(3)),
        BrailleBlock("heading", (BrailleWord("⠙⠑", "H2"),), level=2),
        BrailleBlock("heading", (BrailleWord("⠋⠛", "H3"),), level=3),
        BrailleBlock("paragraph", _words(3)),
    ]
    lines = [line.cells for line in paginate(_doc(blocks), PROFILES["default"]).pages()[0].lines]
    h1 = next(line for line in lines if "⠁⠃⠉" in line)
    assert h1 == BLANK * 18 + "⠁⠃⠉"
    assert BLANK * 4 + "⠙⠑" in lines
    assert BLANK * 6 + "⠋⠛" in lines
    assert BLANK * 2 + "⠃⠃⠃⠃⠃" + BLANK + "⠃⠃⠃⠃⠃" + BLANK + "⠃⠃⠃⠃⠃" in lines  # paragraph: 2-cell indent


def test_volumes_split_at_chapters_with_title_and_notes_pages() -> None:
    blocks: list[BrailleBlock] = []
    for chapter in range(6):
        blocks.append(BrailleBlock("heading", (BrailleWord("⠉⠓", f"Chapter {chapter}"),), level=1))
        blocks += [BrailleBlock("paragraph", _words(60)) for _ in range(12)]
    document = _doc(
        blocks,
        title_page=((BrailleWord("⠞⠊⠞⠇⠑", "Title"),),),
        notes_heading=(BrailleWord("⠝⠕⠞⠑⠎", "Notes"),),
        notes=(_words(3),),
        volume_label=lambda n, total: (BrailleWord(f"⠧{'⠁' * n}", f"Volume {n} of {total}"),),
    )
    one = paginate(document, PROFILES["default"], max_pages=1000)
    chapter_pages = len(one.pages()) - 2
    per_chapter = chapter_pages // 6
    result = paginate(document, PROFILES["default"], max_pages=per_chapter * 2 + 1)
    assert len(result.volumes) == 3
    numbers = [p.number for p in result.pages() if p.number is not None]
    assert numbers == list(range(1, len(numbers) + 1))  # braille page numbers run on
    for index, volume in enumerate(result.volumes, start=1):
        title, notes, first = volume.pages[0], volume.pages[1], volume.pages[2]
        assert title.number is None and notes.number is None
        assert any("⠞⠊⠞⠇⠑" in line.cells for line in title.lines)
        assert any(f"⠧{'⠁' * index}" in line.cells for line in title.lines)
        assert any("⠝⠕⠞⠑⠎" in line.cells for line in notes.lines)
        assert any("⠉⠓" in line.cells for line in first.lines[:3])  # each volume starts with a chapter


def test_interpoint_pads_preliminary_pages_to_a_recto() -> None:
    document = _doc(
        [BrailleBlock("paragraph", _words(10))],
        title_page=((BrailleWord("⠞", "T"),),),
        notes_heading=(BrailleWord("⠝", "N"),),
        notes=(_words(2),),
    )
    pages = paginate(document, PROFILES["interpoint"]).pages()
    assert [p.number for p in pages] == [None, None, None, None, 1]
    assert pages[1].lines == () or all(not line.cells for line in pages[1].lines)


def test_long_chapter_is_cut_at_the_page_limit() -> None:
    blocks = [BrailleBlock("paragraph", _words(60)) for _ in range(40)]
    result = paginate(_doc(blocks), PROFILES["compact"], max_pages=5)
    assert all(sum(p.number is not None for p in v.pages) <= 5 for v in result.volumes)
    assert len(result.volumes) > 2


def test_margins_and_profiles() -> None:
    profile = EmbosserProfile("m", 40, 25, margin_left=2, margin_top=1)
    page = paginate(_doc([BrailleBlock("paragraph", _words(10))]), profile).pages()[0]
    assert len(page.lines) == 25
    assert page.lines[0].cells == ""
    assert all(not line.cells or line.cells.startswith(BLANK * 2) for line in page.lines)
    assert all(len(line.cells) <= 40 for line in page.lines)
    assert get_profile("32x26").cells_per_line == 32
    with pytest.raises(InputError):
        get_profile("huge")
    assert number_cells("xii") == dots("56-1346-24-24")


def test_english_long_words_hyphenate_with_the_ueb_hyphen() -> None:
    from accessible_reader.braille.system import build_system

    system = build_system("ueb-g2")
    words = system.translate("The pneumonoultramicroscopicsilicovolcanoconiosis of miners.").words
    assert words[1].breaks and words[1].hyphen == dots("36")
    lines = wrap(words, 20)
    assert len(lines) >= 3
    assert all(len(line.cells) <= 20 for line in lines)
    assert lines[0].cells.endswith(dots("36"))  # broken at a hyphenation point, hyphen written
    joined = "".join(line.cells.removesuffix(dots("36")).strip(BLANK) + BLANK for line in lines)
    assert joined.replace(BLANK, "") == "".join(w.cells for w in words)


def test_fast_wrapping_equals_word_by_word() -> None:
    import random
    from collections.abc import Callable
    from typing import Any

    from accessible_reader.braille.layout import Line, _wrap_fast, _wrap_words

    def fast(words: list[BrailleWord], width_of: Callable[[], int], first: int, runover: int, emit: Any) -> None:
        joined = BLANK.join(w.cells for w in words)
        _wrap_fast(joined, [w.text for w in words], words, width_of, (first, runover), emit)

    def run(
        wrapper: Callable[..., None], words: list[BrailleWord], widths: list[int], indents: tuple[int, int]
    ) -> list[Line]:
        calls = iter(widths * 100)
        lines: list[Line] = []
        wrapper(words, lambda: next(calls), indents[0], indents[1], lines.append)
        return lines

    rng = random.Random(7)
    for _ in range(300):
        words = [BrailleWord("⠃" * rng.randint(1, 9), f"w{i}" if rng.random() > 0.1 else "") for i in range(60)]
        first = rng.randint(24, 40)  # the fast path's precondition: later lines at most 10 cells narrower
        widths = [first] * 3 + [first - rng.randint(0, 10)]
        indents = rng.choice([(0, 0), (2, 0), (2, 4)])
        assert run(fast, words, widths, indents) == run(_wrap_words, words, widths, indents)


def test_joined_words_behave_like_a_sequence_of_words() -> None:
    from accessible_reader.braille.system import JoinedWords, Translation

    words = JoinedWords(["⠁", "⠃⠃", "⠉"], ["a", "bb", "c"], {1: BrailleWord("⠃⠃", "bb", (1,), "⠤")})
    assert len(words) == 3
    assert words[0] == BrailleWord("⠁", "a")
    assert words[1].breaks == (1,)
    assert words[-1].text == "c"
    assert [w.cells for w in words[1:]] == ["⠃⠃", "⠉"]
    assert Translation(words).cells == "⠁⠀⠃⠃⠀⠉"
    assert wrap(words, 4) == wrap(list(words), 4)
    with pytest.raises(ValueError):
        JoinedWords(["⠁", ""], ["a", "b"])
