"""Golden readings (tests/golden/readings.tsv): every row checked against the engine.

Each row's expected value was typed from the dictionary or standard named in its ``source``
column. A row with a ``known_gap`` reason is reported as xfail with that reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accessible_reader.text.lexicon import Lexicon
from accessible_reader.text.normalize import normalize
from accessible_reader.text.readings import ReadingEngine

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "readings.tsv"
MODES = ("pinyin", "spoken", "orthographic", "normalized")


def _rows() -> list[tuple[int, str, str, str, str, str]]:
    rows = []
    header_seen = False
    for number, line in enumerate(GOLDEN.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if not header_seen:
            assert columns[:3] == ["input", "mode", "expected"], f"{GOLDEN.name}:{number}: header expected"
            header_seen = True
            continue
        columns += [""] * (5 - len(columns))
        rows.append((number, columns[0], columns[1], columns[2], columns[3], columns[4].strip()))
    return rows


ROWS = _rows()


def _params() -> list[object]:
    params = []
    for row in ROWS:
        number, text, mode, _expected, _source, gap = row
        marks = [pytest.mark.xfail(reason=f"known gap: {gap}", strict=False)] if gap else []
        params.append(pytest.param(row, id=f"{number}-{mode}-{text}", marks=marks))
    return params


@pytest.fixture(scope="module")
def engine() -> ReadingEngine:
    return ReadingEngine(Lexicon.load(ROOT / "content" / "lexicon.tsv"))


def test_table_is_large_and_well_formed() -> None:
    assert len(ROWS) >= 300
    for number, text, mode, expected, source, _gap in ROWS:
        assert mode in MODES, f"line {number}: unknown mode {mode!r}"
        assert text and expected and source, f"line {number}: input, expected and source are required"


@pytest.mark.parametrize("row", _params())
def test_golden_row(engine: ReadingEngine, row: tuple[int, str, str, str, str, str]) -> None:
    number, text, mode, expected, source, _gap = row
    if mode == "normalized":
        actual = normalize(text)
    else:
        reading = engine.read(text)
        actual = {
            "pinyin": reading.citation_line,
            "spoken": reading.spoken_line,
            "orthographic": reading.orthographic_line,
        }[mode]()
    assert actual == expected, (
        f"\n{GOLDEN.name}:{number}\n  input:    {text}\n  mode:     {mode}\n"
        f"  expected: {expected}\n  actual:   {actual}\n  source:   {source}"
    )
