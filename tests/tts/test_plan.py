"""Speech plans from text, sections and catalog records (golden rows in tests/golden/speech_plans.tsv)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.speech_books import small_book

from accessible_reader.catalog.records import CatalogRecord
from accessible_reader.document.model import BookMetadata
from accessible_reader.text.readings import ReadingEngine
from accessible_reader.tts.plan import (
    Mark,
    Pause,
    PausePolicy,
    SpeechPlan,
    TextRun,
    record_plan,
    section_plan,
    text_plan,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "speech_plans.tsv"


def render(plan: SpeechPlan) -> str:
    """A plan as one line: ``zh:yin2 hang2 | ,200 | en:I S B N`` (marks left out)."""
    parts: list[str] = []
    for item in plan.items:
        if isinstance(item, TextRun):
            parts.append(f"{item.language}:{' '.join(item.reading)}")
        elif isinstance(item, Pause):
            parts.append(f",{item.ms}")
    return " | ".join(parts)


def golden_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, expected, skipped = [*line.split("\t"), "", ""][:3]
        rows.append((text, expected, skipped))
    return rows


@pytest.mark.parametrize(("text", "expected", "skipped"), golden_rows())
def test_text_plan_golden(reader: ReadingEngine, text: str, expected: str, skipped: str) -> None:
    plan = text_plan(text, reader)
    assert render(plan) == expected
    assert "".join(plan.skipped) == skipped


def test_marks_are_balanced_and_in_order(reader: ReadingEngine) -> None:
    plan = text_plan("第一句。第二句！Third one.", reader)
    marks = [(m.node_id, m.end) for m in plan.items if isinstance(m, Mark)]
    assert marks == [("t1", False), ("t1", True), ("t2", False), ("t2", True), ("t3", False), ("t3", True)]
    assert not isinstance(plan.items[0], Pause) and not isinstance(plan.items[-1], Pause)


def test_section_plan_announces_heading_and_marks_sentences(reader: ReadingEngine) -> None:
    book = small_book()
    plan = section_plan(book.sections[0], reader)
    assert plan.items[0] == Mark("h1")
    heading_run = plan.items[1]
    assert isinstance(heading_run, TextRun) and heading_run.reading[:3] == ("di4", "yi1", "zhang1")
    assert Mark("h1", end=True) in plan.items
    after_heading = plan.items.index(Mark("h1", end=True)) + 1
    assert plan.items[after_heading] == Pause(PausePolicy().heading)
    starts = [m.node_id for m in plan.items if isinstance(m, Mark) and not m.end]
    assert starts == ["h1", *(s.id for s in book.sections[0].sentences())]
    english = [i for i in plan.items if isinstance(i, TextRun) and i.language == "en"]
    assert english and english[0].reading == ("The", "room", "has", "Braille", "books")
    # print page numbers are silent unless asked for
    assert not any("12" in i.text or "第十二页" in i.text for i in plan.items if isinstance(i, TextRun))


def test_page_numbers_spoken_on_request(reader: ReadingEngine) -> None:
    section = small_book().sections[0]
    plan = section_plan(section, reader, speak_pages=True)
    page_block = next(b for b in section.blocks if b.page_number)
    start = plan.items.index(Mark(page_block.id))
    run = plan.items[start + 1]
    assert isinstance(run, TextRun) and run.reading == ("di4", "shi2", "er4", "ye4")
    english = section_plan(section, reader, speak_pages=True, language="en")
    run = english.items[english.items.index(Mark(page_block.id)) + 1]
    assert isinstance(run, TextRun) and run.language == "en" and run.reading == ("page", "12")


def test_sentence_pause_versus_paragraph_pause(reader: ReadingEngine) -> None:
    plan = section_plan(small_book().sections[0], reader)
    policy = PausePolicy()
    s1_end = plan.items.index(Mark("s1", end=True))
    s2_end = plan.items.index(Mark("s2", end=True))
    assert plan.items[s1_end + 1] == Pause(policy.sentence)
    assert plan.items[s2_end + 1] == Pause(policy.paragraph)


def test_record_spoken_field_by_field(reader: ReadingEngine) -> None:
    record = CatalogRecord(
        BookMetadata(title="骆驼祥子", authors=("老舍",), publisher="人民文学出版社", year="2000"), "csv", "1", ""
    )
    plan = record_plan(record, reader)
    fields = [m.node_id for m in plan.items if isinstance(m, Mark) and not m.end]
    assert fields == ["f1", "f2", "f3", "f4"]
    first = plan.items[1]
    assert isinstance(first, TextRun) and first.reading[:2] == ("shu1", "ming2")
    assert Pause(PausePolicy().field) in plan.items
    assert any(isinstance(i, TextRun) and i.reading == ("lao2", "she3") for i in plan.items)
