"""Shared fixtures for the braille tests: one reading engine and the systems built on it."""

from __future__ import annotations

import pytest
from braille_paths import ROOT

from accessible_reader.braille.chinese import ChineseBraille
from accessible_reader.text.lexicon import Lexicon
from accessible_reader.text.readings import ReadingEngine


@pytest.fixture(scope="session")
def reading(tmp_path_factory: pytest.TempPathFactory) -> ReadingEngine:
    cache = tmp_path_factory.mktemp("jieba-cache")
    return ReadingEngine(Lexicon.load(ROOT / "content" / "lexicon.tsv"), cache_dir=cache)


@pytest.fixture(scope="session")
def gf2018(reading: ReadingEngine) -> ChineseBraille:
    return ChineseBraille("gf2018", reading)


@pytest.fixture(scope="session")
def gb2008(reading: ReadingEngine) -> ChineseBraille:
    return ChineseBraille("gb2008", reading)
