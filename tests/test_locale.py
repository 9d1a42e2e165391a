"""Every user-facing string exists in Mandarin and English with the same format fields."""

from __future__ import annotations

import string

from accessible_reader.locale import load_strings


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_fields() -> None:
    zh, en = load_strings("zh"), load_strings("en")
    assert zh.keys() == en.keys()
    for key in zh:
        assert _fields(zh[key]) == _fields(en[key]), key


def test_unknown_language_falls_back_to_mandarin() -> None:
    assert load_strings("fr") == load_strings("zh-CN")
