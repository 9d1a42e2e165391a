"""Lexicon file: validation with line numbers, tone marks, reload."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accessible_reader.errors import InputError
from accessible_reader.text.lexicon import Lexicon, parse_lexicon

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_lexicon_loads_with_local_names() -> None:
    lexicon = Lexicon.load(ROOT / "content" / "lexicon.tsv")
    assert lexicon.get("鹿寨") == ("lu4", "zhai4")
    assert lexicon.get("中渡") == ("zhong1", "du4")
    assert lexicon.get("柳州") == ("liu3", "zhou1")
    assert lexicon.get("广西") == ("guang3", "xi1")


def test_parse_skips_comments_blank_lines_and_bom() -> None:
    text = "\ufeff# word\tpinyin\tnote\n\n鹿寨\tlu4 zhai4\t县名\n中渡\tzhong1 du4\n"
    entries = parse_lexicon(text)
    assert [(e.word, e.syllables, e.note, e.line) for e in entries] == [
        ("鹿寨", ("lu4", "zhai4"), "县名", 3),
        ("中渡", ("zhong1", "du4"), "", 4),
    ]


def test_tone_marks_and_u_umlaut_are_converted() -> None:
    entries = parse_lexicon("鹿寨\tlù zhài\n绿色\tlü4 se4\n")
    assert entries[0].syllables == ("lu4", "zhai4")
    assert entries[1].syllables == ("lv4", "se4")


@pytest.mark.parametrize(
    ("text", "line", "english"),
    [
        ("鹿寨\n", 1, "expected 2 or 3 TAB-separated columns"),
        ("# c\n鹿寨\tlu4 zhai4\tnote\textra\n", 2, "expected 2 or 3"),
        ("鹿寨\tlu4 zhai4\nISBN\tyi1\n", 2, "must be Chinese characters only"),
        ("\n\n鹿寨\tlu4zhai4\n", 3, "is not a syllable with a tone number"),
        ("鹿寨\tlu zhai\n", 1, "is not a syllable with a tone number"),
        ("鹿寨\tlu4 zhai4 xian4\n", 1, "has 2 characters but 3 pinyin syllables"),
        ("鹿寨\tlu4 zhai4\n中渡\tzhong1 du4\n鹿寨\tlu4 zhai4\n", 3, "already on line 1"),
    ],
)
def test_errors_name_file_and_line(text: str, line: int, english: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_lexicon(text, "content/lexicon.tsv")
    error = caught.value
    assert error.source == f"content/lexicon.tsv:{line}"
    assert f"line {line}: " in error.message_en
    assert english in error.message_en
    assert f"第 {line} 行" in error.message_zh
    assert error.exit_code == 2


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        parse_lexicon("鹿寨\tlu9 zhai4\n好\n中渡\tzhong1\n", "x.tsv")
    message = caught.value.message_en
    assert "line 1:" in message and "line 2:" in message and "line 3:" in message
    assert caught.value.source == "x.tsv:1"


def test_load_reports_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        Lexicon.load(tmp_path / "missing.tsv")
    bad = tmp_path / "gbk.tsv"
    bad.write_bytes("中渡\tzhong1 du4\n".encode("gbk"))  # not valid UTF-8
    with pytest.raises(InputError) as caught:
        Lexicon.load(bad)
    assert "UTF-8" in caught.value.message_en


def _touch_later(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def test_reload_if_changed(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.tsv"
    path.write_text("鹿寨\tlu4 zhai4\n", encoding="utf-8")
    lexicon = Lexicon.load(path)
    version = lexicon.version
    assert lexicon.reload_if_changed() is False
    path.write_text("鹿寨\tlu4 zhai4\n中渡\tzhong1 du4\n", encoding="utf-8")
    _touch_later(path)
    assert lexicon.reload_if_changed() is True
    assert "中渡" in lexicon and len(lexicon) == 2
    assert lexicon.version == version + 1


def test_bad_reload_keeps_previous_entries(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.tsv"
    path.write_text("鹿寨\tlu4 zhai4\n", encoding="utf-8")
    lexicon = Lexicon.load(path)
    path.write_text("鹿寨\tlu4 zhai4\n中渡\tzhong du\n", encoding="utf-8")
    _touch_later(path)
    with pytest.raises(InputError) as caught:
        lexicon.reload_if_changed()
    assert caught.value.source == f"{path}:2"
    assert lexicon.get("鹿寨") == ("lu4", "zhai4")
    assert "中渡" not in lexicon


def test_from_pairs_and_in_memory_lexicon_never_reloads() -> None:
    lexicon = Lexicon.from_pairs({"鹿寨": "lu4 zhai4"})
    assert list(lexicon) == ["鹿寨"]
    assert lexicon.reload_if_changed() is False
