"""Synthesis: measured marks, fallback on failing and hanging engines, the segment cache."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from accessible_reader.audio.pcm import rms_dbfs
from accessible_reader.errors import EngineUnavailable
from accessible_reader.text.readings import ReadingEngine
from accessible_reader.tts.cache import SegmentCache
from accessible_reader.tts.engine import Pcm, VoiceSettings
from accessible_reader.tts.fakes import RecordingEngine, SilenceEngine
from accessible_reader.tts.plan import Mark, Pause, SpeechPlan, TextRun, text_plan
from accessible_reader.tts.registry import create_engine, survey, usable_engines
from accessible_reader.tts.synthesis import Synthesizer

RATE = 22050


class FailingEngine(SilenceEngine):
    name = "failing"

    def synthesize(self, run: TextRun, settings: VoiceSettings) -> Pcm:
        raise RuntimeError("voice data corrupt")


class HangingEngine(SilenceEngine):
    name = "hanging"

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.calls = 0

    def synthesize(self, run: TextRun, settings: VoiceSettings) -> Pcm:
        self.calls += 1
        self.release.wait(60)
        return super().synthesize(run, settings)


PLAN = SpeechPlan(
    (
        Mark("s1"),
        TextRun("你好", "zh", ("ni2", "hao3")),
        Mark("s1", end=True),
        Pause(400),
        Mark("s2"),
        TextRun("Hello", "en", ("Hello",)),
        Pause(200),
        TextRun("再见", "zh", ("zai4", "jian4")),
        Mark("s2", end=True),
    )
)


def test_marks_are_measured_sample_offsets() -> None:
    result = Synthesizer([SilenceEngine(ms_per_item=100)], sample_rate=RATE).synthesize(PLAN)
    marks = {m.node_id: (m.start, m.end) for m in result.marks}
    assert marks["s1"] == (0, round(200 * 22.05))
    s2_start = round(200 * 22.05) + round(400 * 22.05)
    assert marks["s2"] == (s2_start, s2_start + round(100 * 22.05) + round(200 * 22.05) + round(200 * 22.05))
    assert result.pcm.n_samples == marks["s2"][1]


def test_real_engine_marks_monotonic_inside_audio(reader: ReadingEngine) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    plan = text_plan("鹿寨县图书馆欢迎您。开放时间是上午九点。\nWelcome to the library.", reader)
    result = Synthesizer([create_engine("espeak")]).synthesize(plan)
    assert [m.node_id for m in result.marks] == ["t1", "t2", "t3"]
    previous_end = 0
    for mark in result.marks:
        assert previous_end <= mark.start < mark.end <= result.pcm.n_samples
        previous_end = mark.end
        assert rms_dbfs(Pcm(result.pcm.samples[2 * mark.start : 2 * mark.end], RATE)) > -40
    assert result.engines_used == ("espeak",)


def test_failing_engine_falls_back_and_is_reported() -> None:
    recording = RecordingEngine()
    result = Synthesizer([FailingEngine(), recording]).synthesize(PLAN)
    assert recording.texts() == ["你好", "Hello", "再见"]
    assert len(result.fallbacks) == 3
    first = result.fallbacks[0]
    assert (first.engine, first.next_engine, first.text) == ("failing", "recording", "你好")
    assert "voice data corrupt" in first.reason


def test_hanging_engine_times_out_and_is_not_used_again() -> None:
    hanging = HangingEngine()
    recording = RecordingEngine()
    try:
        result = Synthesizer([hanging, recording], timeout_s=0.3).synthesize(PLAN)
    finally:
        hanging.release.set()
    assert hanging.calls == 1  # stuck once, then skipped for the rest of the plan
    assert recording.texts() == ["你好", "Hello", "再见"]
    assert [f.engine for f in result.fallbacks] == ["hanging"]
    assert "EngineTimeout" in result.fallbacks[0].reason


def test_run_no_engine_can_say_is_skipped_not_fatal() -> None:
    result = Synthesizer([FailingEngine()]).synthesize(PLAN)
    assert result.skipped == ("你好", "Hello", "再见")
    assert result.fallbacks[-1].next_engine == ""
    assert result.pcm.n_samples == round(400 * 22.05) + round(200 * 22.05)  # the pauses remain


def test_cache_reuses_runs_and_resynthesizes_only_changes(tmp_path: Path) -> None:
    cache = SegmentCache(tmp_path)
    first = RecordingEngine()
    cold = Synthesizer([first], cache=cache).synthesize(PLAN)
    assert len(first.runs) == 3
    second = RecordingEngine()
    warm = Synthesizer([second], cache=cache).synthesize(PLAN)
    assert second.runs == [] and warm.pcm == cold.pcm and warm.marks == cold.marks
    edited = SpeechPlan((*PLAN.items[:-2], TextRun("明天见", "zh", ("ming2", "tian1", "jian4")), PLAN.items[-1]))
    third = RecordingEngine()
    Synthesizer([third], cache=cache).synthesize(edited)
    assert third.texts() == ["明天见"]
    # settings are part of the key
    fourth = RecordingEngine()
    Synthesizer([fourth], VoiceSettings(rate=150), cache=cache).synthesize(PLAN)
    assert len(fourth.runs) == 3


def test_registry_names_and_reasons() -> None:
    with pytest.raises(EngineUnavailable, match="neural"):
        create_engine("neural")
    choices = {c.name: c for c in survey(["silence", "recording"])}
    assert choices["silence"].availability.ok and choices["recording"].engine is not None
    assert [e.name for e in usable_engines(["silence"])] == ["silence"]
