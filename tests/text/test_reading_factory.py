"""The process-wide reading engine honours the injected settings (lexicon, cache dir)."""

from __future__ import annotations

from pathlib import Path

from accessible_reader.settings import Settings
from accessible_reader.text.factory import reading_engine_for


def test_reading_engine_uses_the_staff_lexicon_and_the_data_dir_cache(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon.tsv"
    lexicon.write_text("# word\tpinyin\tnote\n长乐镇\tzhang3 yue4 zhen4\t测试：故意与词典不同\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", lexicon_path=lexicon)

    engine = reading_engine_for(settings)

    assert engine.read("长乐镇").spoken_line() == "zhang3 yue4 zhen4"
    assert any(path.name.startswith("jieba-") for path in (tmp_path / "data" / "cache").iterdir())


def test_missing_lexicon_file_means_an_empty_lexicon(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, lexicon_path=tmp_path / "absent.tsv")

    assert reading_engine_for(settings).read("银行").spoken_line() == "yin2 hang2"
