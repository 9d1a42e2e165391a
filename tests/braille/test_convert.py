"""The functions other layers call, liblouis systems, and the braille part of ``make run``."""

from __future__ import annotations

from pathlib import Path

import pytest
from braille_paths import ROOT

from accessible_reader.braille.chinese import ChineseBraille
from accessible_reader.braille.convert import book_to_brf, book_to_pef, text_to_lines
from accessible_reader.braille.demo_braille import sample_braille
from accessible_reader.braille.louis_system import LouisSystem
from accessible_reader.braille.system import SYSTEM_NAMES, build_system
from accessible_reader.document.ingest import ingest_path
from accessible_reader.document.model import Book, BookMetadata, Section
from accessible_reader.errors import InputError
from accessible_reader.locale import load_strings
from accessible_reader.settings import Settings
from accessible_reader.text.readings import ReadingEngine

SAMPLE = ROOT / "content" / "books" / "reading-room-guide.txt"


def test_registry(reading: ReadingEngine) -> None:
    assert SYSTEM_NAMES[0] == "gf2018"
    for name in SYSTEM_NAMES:
        system = build_system(name, lambda: reading)
        assert system.name == name
        assert system.translate("hello").words
    assert build_system("en-us-g2.ctb").translate("the").cells == "⠮"
    for bad in ("nosuch", "../etc/passwd.ctb", "nosuch.ctb"):
        with pytest.raises(InputError):
            build_system(bad)
    with pytest.raises(InputError):
        build_system("gf2018")  # the Chinese systems need the reading engine


def test_louis_word_mapping_fast_and_slow_paths_agree() -> None:
    system = build_system("ueb-g2")
    assert isinstance(system, LouisSystem)
    text = "The children read 3 books, and the library opens at nine."
    fast = system.translate(text)
    slow = system._translate_with_positions(text)
    assert [w.cells for w in fast.words] == [w.cells for w in slow.words]
    assert [w.text for w in fast.words] == [w.text for w in slow.words] == text.split()


def test_book_to_pef_and_brf(gf2018: ChineseBraille) -> None:
    book = ingest_path(SAMPLE)
    pef = book_to_pef(book, gf2018)
    assert pef.startswith(b"<?xml") and b"<row>" in pef
    brf = book_to_brf(book, gf2018)
    assert b"\f" in brf and brf.endswith(b"\r\n")
    assert text_to_lines("", gf2018) == [""]
    odd = Book("odd", BookMetadata("书"), (Section("h1", 1, "好😀"),))
    reported: list[tuple[str, ...]] = []
    book_to_brf(odd, gf2018, report=reported.append)
    assert reported == [("😀",)]


def test_sample_braille_for_make_run(tmp_path: Path, reading: ReadingEngine) -> None:
    book = ingest_path(SAMPLE)
    settings = Settings(data_dir=tmp_path)
    steps = sample_braille(book, reading, settings, load_strings("en"))
    with pytest.raises(StopIteration) as done:
        next(steps)
    paths = done.value.value
    assert [p.suffix for p in paths] == [".pef", ".brf", ".html"]
    assert all(p.is_file() and p.stat().st_size > 1000 for p in paths)
