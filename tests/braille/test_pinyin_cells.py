"""Syllable cells and the GF 0019-2018 tone omission rules, written out by hand, plus liblouis agreement."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypinyin import Style, pinyin

from accessible_reader.braille.cells import dots
from accessible_reader.braille.pinyin_cells import parse_syllable, restored_tone, syllable_cells, tone_omitted

TABLES = Path("/usr/share/liblouis/tables")

# (syllable, tone mark written in gf2018?)  one or more per omission class and per exception
OMISSION = [
    ("fa1", False), ("fei1", False), ("fa2", True), ("fa3", True), ("fan4", True),
    ("pa2", False), ("men2", False), ("ti2", False), ("nian2", False), ("hong2", False), ("qian2", False),
    ("cai2", False), ("cha2", False), ("ren2", False), ("tou2", True), ("pa4", True), ("xue2", True),
    ("ba4", False), ("da4", False), ("lu4", False), ("ge4", False), ("kan4", False), ("jian4", False),
    ("xia4", False), ("zai4", False), ("zhe4", False), ("si4", False), ("shi4", False), ("le4", True),
    ("zi4", True), ("chi4", True), ("ri4", True), ("ba1", True),
    ("ai4", False), ("yue4", False), ("wen4", False), ("yao4", False), ("er4", True), ("e4", True),
    ("yi4", True), ("wo4", True), ("ye4", True), ("you4", True), ("yi1", False), ("er2", False),
    ("wo3", False), ("ye3", False), ("you3", False), ("o2", False), ("a1", True), ("yu2", True),
]  # fmt: skip


@pytest.mark.parametrize(("syllable", "marked"), OMISSION)
def test_gf2018_tone_omission(syllable: str, marked: bool) -> None:
    parsed = parse_syllable(syllable)
    assert parsed is not None
    assert tone_omitted(parsed) is not marked
    assert syllable_cells(parsed, "gb2008")[-1] in "⠁⠂⠄⠆"  # gb2008 always marks
    if not marked:
        assert restored_tone(parsed.initial, parsed.final, "gf2018") == parsed.tone


@pytest.mark.parametrize(
    ("syllable", "gf", "gb"),
    [
        ("zhong1", "34-256-1", "34-256-1"),
        ("lü4", "123-346", "123-346-23"),
        ("nv3", "1345-346-3", "1345-346-3"),
        ("ju2", "1245-346-2", "1245-346-2"),
        ("xue2", "125-23456-2", "125-23456-2"),
        ("shi4", "156", "156-23"),
        ("zi5", "1356", "1356"),
        ("wei4", "2456", "2456-23"),
        ("weng1", "256-1", "256-1"),
        ("bo1", "12-26-1", "12-26-1"),
        ("yong3", "1456-3", "1456-3"),
        ("de5", "145-26", "145-26"),
    ],
)
def test_cells_of_syllables(syllable: str, gf: str, gb: str) -> None:
    parsed = parse_syllable(syllable)
    assert parsed is not None
    assert syllable_cells(parsed, "gf2018") == dots(gf)
    assert syllable_cells(parsed, "gb2008") == dots(gb)


@pytest.mark.parametrize("bad", ["", "x", "abc1", "zhv2", "bi6", "ni 3", "你"])
def test_not_a_syllable(bad: str) -> None:
    assert parse_syllable(bad) is None


def _agreement(table: str, style: str) -> float:
    same = total = 0
    for line in (TABLES / table).read_text(encoding="utf-8").splitlines():
        match = re.match(r"sign \\x([0-9A-Fa-f]{4}) ([0-9-]+)$", line.strip())
        if not match:
            continue
        char = chr(int(match.group(1), 16))
        readings = pinyin(char, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0]
        parsed = parse_syllable(readings[0]) if len(readings) == 1 and "\u4e00" <= char <= "\u9fff" else None
        if parsed is None:
            continue
        total += 1
        same += syllable_cells(parsed, style) == dots(match.group(2))  # type: ignore[arg-type]
    assert total > 4000
    return same / total


@pytest.mark.slow
@pytest.mark.skipif(not (TABLES / "zhcn-cbs.ctb").is_file(), reason="liblouis-data is not installed")
def test_agrees_with_liblouis_tables_on_unambiguous_characters() -> None:
    """Characters with one pypinyin reading: our cells vs the tables' (differences: docs/braille.md)."""
    assert _agreement("zhcn-cbs.ctb", "gf2018") >= 0.99
    assert _agreement("zhcn-g1.ctb", "gb2008") >= 0.97
