"""Arabic numbers to the Chinese words a listener hears (pure).

Conventions (《现代汉语词典》 entry 两 and GB/T 15835-2011 《出版物上数字用法》 for what is written):

- cardinals are read by place value, one 零 for any run of zeros: 1001 → 一千零一, 10010 → 一万零一十;
- a number from 10 to 19 at the start is read without 一: 15 → 十五, 150000 → 十五万;
- 2 is read 两 before 千, 万 and 亿, and before 百 when it is the number's first digit
  (2000 → 两千, 12000 → 一万两千, 200 → 两百, 1200 → 一千二百); elsewhere 二 (22 → 二十二);
- decimals are read digit by digit after 点: 3.14 → 三点一四;
- years and identifiers are read digit by digit: 2021 → 二〇二一, 0772 → 零七七二, and in telephone
  numbers 1 is read 幺.

cn2an was measured for this and not used: importing it costs about 0.2 s (it builds global
converters and loads the ``proces`` package at import), and its conventions differ from the ones above
(二千 for 2000, 二零二一 for years, 三负五 for 3-5).
"""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
_SECTION_UNITS = ("", "万", "亿", "万亿")
_PLACES = ("千", "百", "十", "")
MAX_CARDINAL_DIGITS = 16
"""Longer digit strings are read digit by digit."""


def digits_to_zh(digits: str, *, zero: str = "零", one: str = "一") -> str:
    """Read a string of ASCII digits one by one: ``"2021"`` → ``"二〇二一"`` with ``zero="〇"``.

    ``one="幺"`` gives the telephone reading. Characters that are not digits are kept as they are.
    """
    table = str.maketrans({"0": zero, "1": one, **{str(i): DIGITS[i] for i in range(2, 10)}})
    return digits.translate(table)


def _section(value: int, *, first: bool, liang: bool, unit: str) -> str:
    """Read 1..9999; ``first``: this section starts the number; ``unit``: the section unit after it."""
    if value == 2 and unit and liang:
        return "两"
    ds = f"{value:04d}"
    out: list[str] = []
    started = False
    zero_pending = False
    for ch, place in zip(ds, _PLACES, strict=True):
        d = ord(ch) - 48
        if d == 0:
            if started:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        leading = not started
        if d == 1 and place == "十" and leading and first:
            word = ""  # 十五, not 一十五
        elif d == 2 and liang and leading and (place == "千" or (place == "百" and first)):
            word = "两"
        else:
            word = DIGITS[d]
        out.append(word + place)
        started = True
    return "".join(out)


def int_to_zh(number: int | str, *, liang: bool = True) -> str:
    """Read a non-negative integer as a Chinese cardinal: ``12345`` → ``"一万两千三百四十五"``.

    ``liang=False`` never uses 两 (ordinals: 第二百). Strings may carry leading zeros, which are
    ignored (``"007"`` → ``"七"``); numbers of more than 16 digits are read digit by digit.
    """
    text = str(number).lstrip("0") or "0"
    if not text.isdigit():
        raise ValueError(f"not a non-negative integer: {number!r}")
    if text == "0":
        return "零"
    if len(text) > MAX_CARDINAL_DIGITS:
        return digits_to_zh(text)
    sections: list[int] = []
    while text:
        sections.append(int(text[-4:]))
        text = text[:-4]
    sections.reverse()
    out: list[str] = []
    zero_pending = False
    count = len(sections)
    for index, value in enumerate(sections):
        unit = _SECTION_UNITS[count - 1 - index]
        if value == 0:
            zero_pending = bool(out)
            continue
        first = not out
        if out and (zero_pending or value < 1000):
            out.append("零")
        zero_pending = False
        out.append(_section(value, first=first, liang=liang, unit=unit) + unit)
    return "".join(out)


def decimal_to_zh(text: str, *, liang: bool = False) -> str:
    """Read ``"3.14"`` → ``"三点一四"``, ``"0.5"`` → ``"零点五"``, ``"1,234"`` → ``"一千二百三十四"``.

    Thousands separators (``,``) are ignored. A whole number ``2`` is read 二, or 两 when
    ``liang`` is set (before a measure word: 两个, 两千克); other integers follow :func:`int_to_zh`.
    """
    integer, _, fraction = text.replace(",", "").partition(".")
    if integer in ("", "0"):
        head = "零"
    elif integer.lstrip("0") == "2":
        head = "两" if liang and not fraction else "二"
    else:
        head = int_to_zh(integer)
    if not fraction:
        return head
    return head + "点" + digits_to_zh(fraction)


def roman_to_int(roman: str) -> int | None:
    """Value of a Roman numeral (``"XIV"`` → 14), or None when it is not a well-formed one (1..3999)."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    text = roman.upper()
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = values[c]
        if i + 1 < len(text) and values[text[i + 1]] > v:
            total -= v
        else:
            total += v
    if not 0 < total < 4000 or int_to_roman(total) != text:
        return None
    return total


def int_to_roman(value: int) -> str:
    """Canonical Roman numeral for 1..3999."""
    pairs = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = []
    for amount, letters in pairs:
        count, value = divmod(value, amount)
        out.append(letters * count)
    return "".join(out)
