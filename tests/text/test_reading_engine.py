"""ReadingEngine: tokens, word grouping, lexicon override and reload, segmenter cache, rules file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accessible_reader.errors import InputError
from accessible_reader.text.lexicon import Lexicon
from accessible_reader.text.polyphones import PolyphoneRules, parse_rules
from accessible_reader.text.readings import ReadingEngine
from accessible_reader.text.segment import Segmenter


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter()


@pytest.fixture
def engine(segmenter: Segmenter) -> ReadingEngine:
    return ReadingEngine(Lexicon.from_pairs({"鹿寨": "lu4 zhai4", "中渡": "zhong1 du4"}), segmenter=segmenter)


def test_tokens_cover_the_normalized_text(engine: ReadingEngine) -> None:
    reading = engine.read("2021年，鹿寨县图书馆借出ISBN 978-7-5366-9293-0的书3本。")
    assert "".join(t.text for t in reading.tokens) == reading.normalized
    for token in reading.tokens:
        if token.kind == "zh":
            assert len(token.spoken) == len(token.text) == len(token.orthographic)
        if token.kind in ("punct", "space"):
            assert token.spoken == ()
    assert [t.word for t in reading.tokens] == sorted(t.word for t in reading.tokens)


def test_latin_runs_are_tagged_english_and_spelled(engine: ReadingEngine) -> None:
    reading = engine.read("DAISY和Python")
    latin = [t for t in reading.tokens if t.kind == "latin"]
    assert [(t.text, t.lang, t.spoken) for t in latin] == [
        ("DAISY", "en", ("D", "A", "I", "S", "Y")),
        ("Python", "en", ("Python",)),
    ]
    assert reading.orthographic_line() == "DAISY he2 Python"


def test_word_grouping_joins_particles_and_ordinals(engine: ReadingEngine) -> None:
    reading = engine.read("第3章我们看了")
    assert [(t.text, t.joint) for t in reading.tokens] == [
        ("第", " "),
        ("三", "-"),
        ("章", " "),
        ("我们", " "),
        ("看", " "),
        ("了", ""),
    ]
    assert [t.word for t in reading.tokens] == [0, 0, 1, 2, 3, 3]


def test_lexicon_overrides_pypinyin_and_rules(segmenter: Segmenter) -> None:
    engine = ReadingEngine(Lexicon.from_pairs({"还": "huan2"}), segmenter=segmenter)
    assert engine.read("还可以").citation_line() == "huan2 ke3 yi3"


def test_lexicon_inside_a_longer_segment(engine: ReadingEngine) -> None:
    assert engine.read("鹿寨县").citation_line() == "lu4 zhai4 xian4"


def test_third_tone_sandhi_can_be_switched_off(segmenter: Segmenter) -> None:
    engine = ReadingEngine(Lexicon(), segmenter=segmenter, third_tone_sandhi=False)
    assert engine.read("还可以").spoken_line() == "hai2 ke3 yi3"


def test_reload_lexicon_changes_readings_and_segmentation(tmp_path: Path, segmenter: Segmenter) -> None:
    path = tmp_path / "lexicon.tsv"
    path.write_text("鹿寨\tlu4 zhai4\n", encoding="utf-8")
    engine = ReadingEngine(Lexicon.load(path), segmenter=segmenter)
    assert engine.read("银行").citation_line() == "yin2 hang2"
    path.write_text("鹿寨\tlu4 zhai4\n馆员证\tguan3 yuan2 zheng4\n银行\tyin2 xing2\n", encoding="utf-8")
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    assert engine.reload_lexicon() is True
    assert engine.read("银行").citation_line() == "yin2 xing2"
    assert "馆员证" in engine.read("办理馆员证").words()
    assert engine.reload_lexicon() is False


def test_odd_input_never_raises(engine: ReadingEngine) -> None:
    for text in ["", "   ", "😀", "𠀀", "\u200b", "――", "Ⅻ", "a&b", "..."]:
        engine.read(text)


def test_segmenter_builds_and_reuses_its_cache(tmp_path: Path) -> None:
    (tmp_path / "junk").write_bytes(b"not a cache")
    first = Segmenter(["鹿寨"], cache_dir=tmp_path)
    caches = list(tmp_path.glob("jieba-*.marshal"))
    assert len(caches) == 1
    caches[0].write_bytes(b"\x00broken")  # a damaged cache is rebuilt, not trusted
    second = Segmenter(["鹿寨"], cache_dir=tmp_path)
    assert first.cut("鹿寨图书馆") == second.cut("鹿寨图书馆") == ["鹿寨", "图书馆"]
    assert caches[0].stat().st_size > 1_000_000


def test_segmenter_words_can_be_removed(segmenter: Segmenter) -> None:
    segmenter.add_word("馆员证")
    assert "馆员证" in segmenter.cut("办理馆员证")
    segmenter.remove_word("馆员证")
    assert "馆员证" not in segmenter.cut("办理馆员证")


def test_shipped_rules_load_and_bad_rules_name_the_line() -> None:
    rules = PolyphoneRules.load()
    assert {"行", "长", "得", "地"} <= rules.chars
    with pytest.raises(InputError) as caught:
        parse_rules("# c\n行\thang2\tword=行\n行\thang9\tword=行\n", "rules.tsv")
    assert caught.value.source == "rules.tsv:3"
    with pytest.raises(InputError):
        parse_rules("行\thang2\tsomething\n", "rules.tsv")
    with pytest.raises(InputError):
        parse_rules("行\thang2\tprev~([\n", "rules.tsv")


def test_fast_cut_matches_jieba(segmenter: Segmenter) -> None:
    from accessible_reader.text.normalize import normalize
    from accessible_reader.text.runs import split_runs

    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "luzhai-library-plan-2021.txt"
    text = corpus.read_text(encoding="utf-8") if corpus.is_file() else "鹿寨县图书馆事业发展规划，银行行长来了。"
    runs = [r.text for r in split_runs(normalize(text)) if r.kind == "zh"]
    assert runs
    for run in runs:
        assert segmenter.cut_chinese(run) == segmenter.cut(run), run
