"""A long section split into pieces for the pool: same audio, clips and records as the section made whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from accessible_reader.audio.loudness import gated_loudness, integrated_loudness, subblock_energies
from accessible_reader.document.builder import DocumentBuilder
from accessible_reader.document.model import Book, BookMetadata
from accessible_reader.text.readings import ReadingEngine
from accessible_reader.tts import book as book_module
from accessible_reader.tts.book import synthesize_book
from accessible_reader.tts.cache import SegmentCache
from accessible_reader.tts.engine import VoiceSettings
from accessible_reader.tts.espeak import EspeakEngine
from accessible_reader.tts.plan import Mark, Pause, PausePolicy, TextRun, section_plan, split_plan
from accessible_reader.tts.synthesis import Synthesizer, join_syntheses

PARAGRAPHS = (
    "无障碍阅览室位于图书馆一楼东侧。阅览室每周二至周日开放。",
    "阅览室配备盲文图书和听书机。工作人员可以为读者朗读。",
    "听书机可以外借，借期三十天。The room has Braille books.",
    "读者凭身份证办理借阅证，办证免费。借阅证在全县通用。",
    "请爱护设备，使用后把耳机放回原处。如需帮助，请按呼叫按钮。",
)


def headingless_book() -> Book:
    """One implicit section of five paragraphs, as a TXT book without headings is ingested."""
    builder = DocumentBuilder()
    for text in PARAGRAPHS:
        builder.paragraph(text)
    return builder.build("book-flat", BookMetadata(title="阅览室", authors=("鹿寨县图书馆",)))


def test_split_plan_cuts_between_nodes_and_prefers_paragraphs(reader: ReadingEngine) -> None:
    plan = section_plan(headingless_book().sections[0], reader)
    # 136 characters in five paragraphs of 23-38: five shares of 27, each cut at the nearest paragraph end
    assert plan.characters == 136
    pieces = split_plan(plan, 28)
    assert len(pieces) == len(PARAGRAPHS)
    assert tuple(item for piece in pieces for item in piece.items) == plan.items  # nothing lost or moved
    for piece in pieces[1:]:  # each cut at a paragraph pause, which starts the next piece
        assert piece.items[0] == Pause(PausePolicy().paragraph)
    for piece in pieces:  # every node opens and closes in the same piece
        starts = [i.node_id for i in piece.items if isinstance(i, Mark) and not i.end]
        ends = [i.node_id for i in piece.items if isinstance(i, Mark) and i.end]
        assert starts == ends
    assert split_plan(plan, 10_000) == (plan,) and split_plan(plan, 0) == (plan,)


def test_split_plan_falls_back_to_sentences_in_a_long_paragraph(reader: ReadingEngine) -> None:
    builder = DocumentBuilder()
    builder.paragraph("".join(PARAGRAPHS[0] + PARAGRAPHS[1] + PARAGRAPHS[3]))
    plan = section_plan(builder.build("b", BookMetadata(title="t")).sections[0], reader)
    pieces = split_plan(plan, 20)
    assert len(pieces) >= 3
    assert all(piece.items[0] == Pause(PausePolicy().sentence) for piece in pieces[1:])
    assert tuple(item for piece in pieces for item in piece.items) == plan.items


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng needed")
def test_joined_pieces_equal_the_whole_synthesis(reader: ReadingEngine, tmp_path: Path) -> None:
    plan = section_plan(headingless_book().sections[0], reader)
    # the runs come from the cache the second time (espeak-ng may differ by a few samples between calls)
    synthesizer = Synthesizer([EspeakEngine()], VoiceSettings(), cache=SegmentCache(tmp_path))
    whole = synthesizer.synthesize(plan)
    parts = [synthesizer.synthesize(piece) for piece in split_plan(plan, 40)]
    joined = join_syntheses(parts)
    assert joined.marks == whole.marks
    assert joined.pcm == whole.pcm
    # loudness from the pieces' sub-block energies (measured in the workers) matches the whole section's
    energies = np.concatenate([subblock_energies(part.pcm) for part in parts])
    assert gated_loudness(energies) == pytest.approx(integrated_loudness(whole.pcm), abs=0.05)
    assert joined.engines_used == whole.engines_used == ("espeak",)
    assert any(isinstance(i, TextRun) and i.language == "en" for i in plan.items)


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("ffmpeg") is None, reason="espeak-ng and ffmpeg needed"
)
def test_long_section_goes_to_the_pool_in_pieces(
    reader: ReadingEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = headingless_book()
    pieces: list[int] = []
    submit_piece = book_module._Workers.submit_piece

    def counting(self: book_module._Workers, plan: object) -> object:
        pieces.append(1)
        return submit_piece(self, plan)  # type: ignore[arg-type]

    monkeypatch.setattr(book_module._Workers, "submit_piece", counting)
    whole = synthesize_book(book, out_dir=tmp_path / "whole", reader=reader, workers=2, split_chars=0)
    assert pieces == []
    out, cache = tmp_path / "split", tmp_path / "cache"
    split = synthesize_book(book, out_dir=out, reader=reader, cache_dir=cache, workers=2, split_chars=40)
    assert len(pieces) >= 3  # the section really went to the pool as several pieces

    [section], [reference] = split.sections, whole.sections
    assert [c.node_id for c in section.clips] == [c.node_id for c in reference.clips]
    assert [c.node_id for c in section.clips] == [s.id for s in book.sentences()]
    previous = 0.0
    for clip in section.clips:
        assert previous <= clip.start_s < clip.end_s <= section.duration_s
        previous = clip.end_s
    assert section.duration_s == pytest.approx(reference.duration_s, rel=0.02)
    assert section.path.name == reference.path.name == "001-h1.mp3"

    # a re-export with everything cached makes nothing again: no piece, no new file
    pieces.clear()
    stamp = section.path.stat().st_mtime_ns
    again = synthesize_book(book, out_dir=out, reader=reader, cache_dir=cache, workers=2, split_chars=40)
    assert pieces == [] and again.sections == split.sections
    assert section.path.stat().st_mtime_ns == stamp


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("ffmpeg") is None, reason="espeak-ng and ffmpeg needed"
)
def test_interrupted_split_book_resumes(reader: ReadingEngine, tmp_path: Path) -> None:
    class Interrupted(Exception):
        pass

    def stop_after_first(progress: object) -> None:
        raise Interrupted

    builder = DocumentBuilder()
    for chapter in ("第一章", "第二章"):
        builder.heading(1, chapter)
        for text in PARAGRAPHS[:3]:
            builder.paragraph(text)
    book = builder.build("book-two", BookMetadata(title="阅览室"))
    out, cache = tmp_path / "out", tmp_path / "cache"
    options = {"out_dir": out, "reader": reader, "cache_dir": cache, "workers": 2, "split_chars": 30}
    with pytest.raises(Interrupted):
        synthesize_book(book, progress=stop_after_first, **options)  # type: ignore[arg-type]
    first = (out / "001-h1.mp3").stat().st_mtime_ns
    done: list[str] = []
    audio = synthesize_book(book, progress=lambda p: done.append(p.section_id), **options)  # type: ignore[arg-type]
    assert done == ["h1", "h2"]
    assert (out / "001-h1.mp3").stat().st_mtime_ns == first  # recorded before the interruption: not made again
    assert [c.node_id for c in audio.sections[1].clips] == ["h2", *(s.id for s in book.sections[1].sentences())]
