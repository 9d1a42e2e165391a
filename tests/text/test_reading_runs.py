"""Language runs."""

from __future__ import annotations

import pytest

from accessible_reader.text.runs import split_runs


def test_mixed_text_is_split_and_tagged() -> None:
    runs = split_runs("ISBN号码978，Hello world!")
    assert [(r.text, r.kind, r.lang) for r in runs] == [
        ("ISBN", "latin", "en"),
        ("号码", "zh", "zh"),
        ("978", "digit", "zh"),
        ("，", "punct", "zh"),
        ("Hello", "latin", "en"),
        (" ", "space", ""),
        ("world", "latin", "en"),
        ("!", "punct", "zh"),
    ]


@pytest.mark.parametrize("text", ["", "鹿寨县图书馆", "don't l'été 〇二 ¥12 — “引号”", "a\nb\t中"])
def test_runs_cover_the_text_exactly(text: str) -> None:
    runs = split_runs(text)
    assert "".join(r.text for r in runs) == text
    position = 0
    for run in runs:
        assert run.start == position and run.end == position + len(run.text)
        position = run.end


def test_apostrophes_and_ling_stay_in_their_runs() -> None:
    assert [r.text for r in split_runs("don't")] == ["don't"]
    assert [(r.text, r.kind) for r in split_runs("二〇二一年")] == [("二〇二一年", "zh")]
