"""Number words and normalization properties (the golden table has the examples)."""

from __future__ import annotations

import re

import pytest

from accessible_reader.text.normalize import normalize
from accessible_reader.text.numbers import digits_to_zh, int_to_roman, int_to_zh, roman_to_int


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "零"),
        (7, "七"),
        (10, "十"),
        (19, "十九"),
        (101, "一百零一"),
        (1010, "一千零一十"),
        (2222, "两千二百二十二"),
        (100_000, "十万"),
        (100_100, "十万零一百"),
        (2_000_000, "两百万"),
        (10_000_000_000, "一百亿"),
        (1_0000_0000_0000, "一万亿"),
    ],
)
def test_int_to_zh(number: int, words: str) -> None:
    assert int_to_zh(number) == words


def test_ordinal_reading_never_uses_liang() -> None:
    assert int_to_zh(2000, liang=False) == "二千"
    assert int_to_zh("0200", liang=False) == "二百"


def test_long_numbers_are_read_digit_by_digit() -> None:
    assert int_to_zh("12345678901234567") == "一二三四五六七八九零一二三四五六七"
    with pytest.raises(ValueError):
        int_to_zh("12a")


def test_digits_and_roman_numerals() -> None:
    assert digits_to_zh("2021", zero="〇") == "二〇二一"
    assert digits_to_zh("110", one="幺") == "幺幺零"
    assert [roman_to_int(r) for r in ("I", "IV", "XIV", "MMXXI", "IIII", "ABC", "")] == [
        1,
        4,
        14,
        2021,
        None,
        None,
        None,
    ]
    assert all(roman_to_int(int_to_roman(n)) == n for n in range(1, 400))


@pytest.mark.parametrize(
    "text",
    [
        "鹿寨县图书馆2021年接待读者12345人次，比2020年增长3.5%，开放时间9:00-17:30。",
        "藏书8.6万册，电话0772-6812345，ISBN 978-7-5366-9293-0，面积1200m²，温度-5℃。",
        "第3-5章，1/2，¥12.5，第Ⅳ章，3×4=12。",
    ],
)
def test_no_ascii_digits_left_and_idempotent(text: str) -> None:
    once = normalize(text)
    assert not re.search(r"[0-9]", once), once
    assert normalize(once) == once


def test_text_without_numbers_is_returned_unchanged() -> None:
    text = "以新馆开放为契机，转型服务结构。"
    assert normalize(text) == text
    assert normalize("ｗｗｗ") == "www"
