"""The sample talking books of `make run`, made from real espeak-ng speech."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from export_helpers import sample_book

from accessible_reader.export.demo_export import sample_talking_books
from accessible_reader.locale import load_strings
from accessible_reader.settings import Settings
from accessible_reader.text.lexicon import Lexicon
from accessible_reader.text.readings import ReadingEngine


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_sample_book_becomes_daisy_and_epub(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    book = sample_book()
    reader = ReadingEngine(Lexicon(), cache_dir=tmp_path / "reading")
    generator = sample_talking_books(book, reader, settings, load_strings("en"))
    lines: list[str] = []
    try:
        while True:
            lines.append(next(generator))
    except StopIteration as stop:
        produced = stop.value
    assert lines == []
    daisy, epub = produced
    assert daisy == settings.output_dir / book.id / "daisy202"
    ncc = (daisy / "ncc.html").read_text(encoding="utf-8")
    assert '<meta name="ncc:narrator" content="espeak' in ncc
    assert "第二章 听书机" in ncc
    with zipfile.ZipFile(epub) as archive:
        assert "EPUB/smil/part0003.smil" in archive.namelist()
