"""Shared fixtures for speech tests: one reading engine per session (building it loads dictionaries)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accessible_reader.text.lexicon import Lexicon
from accessible_reader.text.readings import ReadingEngine

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def reader(tmp_path_factory: pytest.TempPathFactory) -> ReadingEngine:
    return ReadingEngine(Lexicon.load(REPO / "content" / "lexicon.tsv"), cache_dir=tmp_path_factory.mktemp("jieba"))
