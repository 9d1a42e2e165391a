"""Cells, dot numbers and Braille ASCII."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accessible_reader.braille.cells import BRF_ASCII, dot_numbers, dots, from_brf, is_six_dot, to_brf

DIS = Path("/usr/share/liblouis/tables/en-us-brf.dis")


def test_dots_and_back() -> None:
    assert dots("145") == "⠙"
    assert dots("1-35") == "⠁⠔"
    assert dots("0") == "\u2800"
    assert dot_numbers("⠙") == "145"
    assert dot_numbers("\u2800") == "0"
    with pytest.raises(ValueError):
        dot_numbers("a")


@pytest.mark.skipif(not DIS.is_file(), reason="liblouis-data (en-us-brf.dis) is not installed")
def test_brf_mapping_is_liblouis_en_us_brf() -> None:
    mapping: dict[str, str] = {}
    for line in DIS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"display\s+(\S+)\s+(\d+)$", line.strip())
        if match:
            char = {"\\s": " ", "\\\\": "\\"}.get(match.group(1), match.group(1))
            mapping.setdefault(dots(match.group(2)), char)
    for value in range(64):
        cell = chr(0x2800 + value)
        assert mapping[cell] == BRF_ASCII[value], (cell, mapping[cell], BRF_ASCII[value])


def test_brf_round_trip_and_six_dot() -> None:
    cells = "".join(chr(0x2800 + v) for v in range(64))
    assert from_brf(to_brf(cells)) == cells
    assert from_brf(to_brf(cells).lower()) == cells
    assert to_brf("⠓⠑⠇⠇⠕") == "HELLO"
    assert is_six_dot(cells)
    assert not is_six_dot("⡀")
