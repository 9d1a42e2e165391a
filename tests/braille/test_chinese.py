"""Chinese translation details: word division, numbers, Latin, fallback, word rules."""

from __future__ import annotations

import pytest

from accessible_reader.braille.chinese import FALLBACK_PREFIX, ChineseBraille
from accessible_reader.braille.wordrules import WordRules
from accessible_reader.errors import InputError


def test_words_keep_print_and_syllable_breaks(gf2018: ChineseBraille) -> None:
    translation = gf2018.translate("银行行长还可以。")
    # GB/T 16159-2012 总原则: a name of four or more syllables is written word by word
    assert [w.text for w in translation.words] == ["银行", "行长", "还", "可以。"]
    assert translation.words[0].cells == "⠣⠂⠓⠦"
    assert translation.words[1].cells == "⠓⠦⠌⠦⠄"
    name = gf2018.translate("中华人民共和国")
    assert [w.text for w in name.words] == ["中华", "人民", "共和国"]  # Zhōnghuá Rénmín Gònghéguó
    assert name.cells == "⠌⠲⠁⠓⠿⠀⠚⠴⠍⠣⠀⠛⠲⠓⠢⠛⠕⠂"  # zhong1 hua2 / ren2 min2 / gong4 he2 guo2
    long_word = gf2018.translate("斯德哥尔摩").words[0]  # a name that does not divide into words: joined
    assert long_word.cells == "⠎⠁⠙⠢⠂⠛⠢⠁⠗⠄⠍⠢"  # si1 de2 ge1 er3 mo2
    # between syllables, never between a syllable and its tone (kept for words that may need breaking)
    assert long_word.breaks == (2, 5, 8, 10)


def test_unknown_characters_are_reported_and_stay_six_dot(gf2018: ChineseBraille) -> None:
    translation = gf2018.translate("好😀\ue000")
    assert translation.unknown == ("😀", "\ue000")
    assert FALLBACK_PREFIX in translation.cells
    assert all(0x2800 <= ord(c) <= 0x283F for c in translation.cells)
    assert gf2018.back_translate(translation.cells) == "hao3😀\ue000"


def test_numbers_stand_apart_and_join_links(gf2018: ChineseBraille) -> None:
    assert gf2018.translate("第3章").cells == "⠙⠊⠀⠼⠉⠀⠌⠦⠁"
    assert gf2018.translate("978-7").cells == "⠼⠊⠛⠓⠤⠼⠛"
    assert gf2018.translate("（3）").cells == "⠰⠄⠼⠉⠠⠆"


def test_opening_mark_after_sentence_mark_gets_a_space(gf2018: ChineseBraille) -> None:
    assert gf2018.translate("好！（走）").cells == "⠓⠖⠄⠰⠂⠀⠰⠄⠵⠷⠄⠠⠆"


def test_shipped_word_rules_examples(gf2018: ChineseBraille) -> None:
    rules = WordRules.load()
    assert rules.joins
    for rule in rules.joins:
        back = gf2018.back_translate(gf2018.translate(rule.example).cells)
        assert back == rule.expected, (rule.example, rule.note)


def test_word_rules_file_errors_name_the_line() -> None:
    with pytest.raises(InputError) as info:
        WordRules.load("set\tmeasure\t个\njoin\t@nosuch\t个\t一个\tyi1ge4\n", "rules.tsv")
    assert "2" in info.value.message_en
    assert info.value.source == "rules.tsv"
    assert WordRules.load("# only a comment\n").joins == ()


def test_custom_rules_are_injected(reading: object) -> None:
    from accessible_reader.text.readings import ReadingEngine

    assert isinstance(reading, ReadingEngine)
    none = ChineseBraille("gf2018", reading, WordRules(()))
    assert none.back_translate(none.translate("一百本").cells) == "yi1bai3 ben3"
    assert none.back_translate(none.translate("这台电脑").cells) == "zhe4 tai2 dian4nao3"
