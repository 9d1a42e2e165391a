"""Braille word division of long segments (GB/T 16159-2012 总原则: 四音节以上的名称按词分写)."""

from __future__ import annotations

import pytest

from accessible_reader.text import readings as readings_module
from accessible_reader.text.lexicon import Lexicon
from accessible_reader.text.readings import ReadingEngine
from accessible_reader.text.segment import Segmenter
from accessible_reader.text.wordgroups import compound_parts

_FREQUENCIES = {
    "银行": 3000,
    "行长": 1500,
    "银行行长": 3,
    "环境": 5000,
    "保护": 4000,
    "环境保护": 400,
    "规划": 2000,
    "拖拉机": 300,
    "拖拉": 20,
    "机手": 5,
    "拖拉机手": 10,
    "红十字": 100,
    "红十字会": 130,
    "十字": 200,
    "十万": 50,
    "八千": 40,
}


def _frequency(word: str) -> int:
    return _FREQUENCIES.get(word, 0)


_TOTAL = 60_000_000


def test_a_long_segment_is_cut_into_words_of_two_or_more_characters() -> None:
    assert compound_parts("银行行长", _frequency, _TOTAL) == [2, 2]
    # pieces of four or more characters are cut again: 环境保护 + 规划 → 环境 + 保护 + 规划
    assert compound_parts("环境保护规划", _frequency, _TOTAL) == [2, 2, 2]


def test_a_segment_whose_best_cut_leaves_one_character_stays_whole() -> None:
    # the most probable path is 拖拉机 + 手, not the rarer 拖拉 + 机手 (tuōlājīshǒu)
    assert compound_parts("拖拉机手", _frequency, _TOTAL) == [4]
    assert compound_parts("红十字会", _frequency, _TOTAL) == [4]  # hóngshízìhuì


def test_short_segments_numbers_and_lexicon_words_are_not_cut() -> None:
    assert compound_parts("银行", _frequency, _TOTAL) == [2]
    assert compound_parts("十万八千", _frequency, _TOTAL) == [4]
    assert compound_parts("银行行长", _frequency, _TOTAL, {"银行行长"}) == [4]
    # no cut inside a lexicon word: 行行 spans the only cut
    assert compound_parts("银行行长", _frequency, _TOTAL, {"行行"}) == [4]
    assert compound_parts("环境保护规划", _frequency, _TOTAL, {"护规"}) == [6]


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter()


def test_the_segmenter_knows_jiebas_idioms_and_frequencies(segmenter: Segmenter) -> None:
    assert segmenter.is_idiom("丰富多彩")
    assert not segmenter.is_idiom("银行行长")
    assert segmenter.frequency("银行") > 0
    assert segmenter.frequency("银行行") == 0
    assert segmenter.total > segmenter.frequency("银行")


def test_engine_writes_the_pieces_apart_even_where_jieba_says_idiom(segmenter: Segmenter) -> None:
    engine = ReadingEngine(Lexicon.from_pairs({"鹿寨": "lu4 zhai4"}), segmenter=segmenter)
    reading = engine.read("银行行长来了，贯彻落实，生活丰富多彩。")
    assert reading.orthographic_line() == (
        "yin2hang2 hang2zhang3 lai2le5， guan4che4 luo4shi2， sheng1huo2 feng1fu4 duo1cai3。"
    )
    pieces = {t.text: t for t in reading.tokens}
    assert pieces["丰富"].word != pieces["多彩"].word and pieces["多彩"].joint == " "
    assert pieces["银行"].word != pieces["行长"].word


def test_a_lexicon_word_is_never_cut(segmenter: Segmenter) -> None:
    engine = ReadingEngine(Lexicon.from_pairs({"银行行长": "yin2 hang2 hang2 zhang3"}), segmenter=segmenter)
    assert engine.read("银行行长").orthographic_line() == "yin2hang2hang2zhang3"


def test_spoken_readings_do_not_change(segmenter: Segmenter, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["银行行长还可以。", "管理水平不断提高", "中华人民共和国一心一意", "展览馆管理处不好意思"]
    lexicon = Lexicon.from_pairs({"鹿寨": "lu4 zhai4"})
    split = [ReadingEngine(lexicon, segmenter=segmenter).read(text) for text in texts]
    monkeypatch.setattr(readings_module, "compound_parts", lambda word, *_args: [len(word)])
    whole = [ReadingEngine(lexicon, segmenter=segmenter).read(text) for text in texts]
    for cut, joined in zip(split, whole, strict=True):
        assert cut.spoken_line() == joined.spoken_line()
        assert cut.citation_line() == joined.citation_line()
        assert cut.normalized == joined.normalized
    assert split[1].spoken_line() == "guan2 li2 shui3 ping2 bu2 duan4 ti2 gao1"  # sandhi over the whole jieba word
    assert [r.orthographic_line() for r in split] != [r.orthographic_line() for r in whole]
