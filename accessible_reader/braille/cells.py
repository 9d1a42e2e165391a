"""Braille cells: Unicode braille patterns (U+2800 block), dot numbers and North American Braille ASCII.

Pure functions, no I/O. A *cell* is one character of the Unicode braille block; ``"⠀"`` (U+2800) is the
blank cell. Six-dot cells use dots 1-6 only (code points U+2800-U+283F).
"""

from __future__ import annotations

BLANK = "\u2800"
_BASE = 0x2800

BRF_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
"""North American Braille ASCII indexed by the six-dot pattern (bit 0 = dot 1 … bit 5 = dot 6).

The same mapping as liblouis ``en-us-brf.dis`` (checked in the tests)."""

_BRF_TABLE = {_BASE + i: BRF_ASCII[i & 0x3F] for i in range(256)}
_FROM_BRF = {char: chr(_BASE + i) for i, char in enumerate(BRF_ASCII)}
_FROM_BRF.update({char.lower(): cell for char, cell in _FROM_BRF.items() if char.isalpha()})
_FROM_BRF.update({"`": _FROM_BRF["@"], "{": _FROM_BRF["["], "|": _FROM_BRF["\\"], "}": _FROM_BRF["]"]})
_FROM_BRF["~"] = _FROM_BRF["^"]


def dots(numbers: str) -> str:
    """Cells from dot numbers: ``"145"`` → ``⠙``; ``"1-35"`` → two cells; ``"0"`` → the blank cell."""
    out = []
    for group in numbers.split("-"):
        value = 0
        for digit in group:
            if digit != "0":
                value |= 1 << (int(digit) - 1)
        out.append(chr(_BASE + value))
    return "".join(out)


def dot_numbers(cell: str) -> str:
    """Dot numbers of one cell: ``⠙`` → ``"145"``; the blank cell → ``"0"``."""
    value = ord(cell) - _BASE
    if not 0 <= value <= 0xFF:
        raise ValueError(f"not a braille cell: {cell!r}")
    return "".join(str(i + 1) for i in range(8) if value >> i & 1) or "0"


def is_braille(text: str) -> bool:
    """True when every character is a Unicode braille pattern (6- or 8-dot)."""
    return not text or (min(text) >= "\u2800" and max(text) <= "\u28ff")


def is_six_dot(text: str) -> bool:
    """True when every character is a six-dot braille cell (U+2800-U+283F)."""
    return not text or (min(text) >= "\u2800" and max(text) <= "\u283f")


def to_brf(text: str) -> str:
    """Unicode six-dot cells → Braille ASCII; characters that are not six-dot cells pass unchanged.

    Dots 7 and 8 are dropped (``is_six_dot`` lets a caller refuse them first).
    """
    return text.translate(_BRF_TABLE)


def from_brf(text: str) -> str:
    """Braille ASCII → Unicode cells (upper or lower case accepted); other characters pass unchanged."""
    return "".join(_FROM_BRF.get(char, char) for char in text)
