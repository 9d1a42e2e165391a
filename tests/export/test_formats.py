"""export_books: several formats of one book at once, each complete or absent."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest
from export_helpers import make_audio, sample_book

from accessible_reader.errors import ReaderError
from accessible_reader.export.formats import export_books
from accessible_reader.export.profiles import load_profile


def test_three_formats_written_concurrently_match_one_at_a_time(tmp_path: Path) -> None:
    book = sample_book()
    audio = make_audio(book, tmp_path / "audio")
    requests = [("daisy202", None), ("epub3", None), ("mp3", load_profile("generic"))]

    together = export_books(book, audio, requests, tmp_path / "together", workers=2)
    alone = export_books(book, audio, requests, tmp_path / "alone", workers=1)

    assert [p.relative_to(tmp_path / "together") for p in together] == [
        p.relative_to(tmp_path / "alone") for p in alone
    ]
    daisy, epub, mp3 = together
    assert (daisy / "ncc.html").is_file()
    assert zipfile.ZipFile(epub).namelist()[0] == "mimetype"
    assert sorted(p.name for p in mp3.glob("*.mp3")) == sorted(p.name for p in alone[2].glob("*.mp3"))
    assert epub.read_bytes() == alone[1].read_bytes(), "EPUBs are reproducible byte for byte"


def test_a_failing_export_is_raised_and_writes_nothing(tmp_path: Path) -> None:
    book = sample_book()
    audio = make_audio(book, tmp_path / "audio")
    missing = dataclasses.replace(audio.sections[0], path=tmp_path / "audio" / "gone.mp3")
    broken = dataclasses.replace(audio, sections=(missing, *audio.sections[1:]))
    out = tmp_path / "out"
    out.mkdir()

    with pytest.raises(ReaderError):
        export_books(book, broken, [("daisy202", None), ("epub3", None)], out, workers=2)

    assert list(out.iterdir()) == []  # nothing half-written
