"""espeak-ng really speaks: Mandarin (pinyin voice) and English, both back-ends, rate/pitch/volume settable.

Ear proxy: duration grows with the syllable count and the audio is not silent.
"""

from __future__ import annotations

import shutil

import pytest

from accessible_reader.audio.pcm import rms_dbfs, trim_silence
from accessible_reader.tts.engine import TtsEngine, VoiceSettings
from accessible_reader.tts.espeak import EspeakEngine, espeak_parameters
from accessible_reader.tts.plan import TextRun

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")

ZH_SHORT = TextRun("图书馆", "zh", ("tu2", "shu1", "guan3"))
ZH_LONG = TextRun(
    "鹿寨县图书馆无障碍阅览室欢迎您",
    "zh",
    (
        "lu4",
        "zhai4",
        "xian4",
        "tu2",
        "shu1",
        "guan3",
        "wu2",
        "zhang4",
        "ai4",
        "yue4",
        "lan3",
        "shi4",
        "huan1",
        "ying2",
        "nin2",
    ),
)
EN = TextRun("The library opens at nine", "en", ("The", "library", "opens", "at", "nine"))


@pytest.mark.parametrize("backend", ["library", "process"])
def test_mandarin_duration_follows_syllables(backend: str) -> None:
    engine = EspeakEngine(backend)  # type: ignore[arg-type]
    assert isinstance(engine, TtsEngine)
    assert engine.check().ok, engine.check().reason
    short = trim_silence(engine.synthesize(ZH_SHORT, VoiceSettings()))
    long = trim_silence(engine.synthesize(ZH_LONG, VoiceSettings()))
    assert short.sample_rate == 22050
    # Mandarin at espeak's normal rate: roughly 0.12-0.5 s per syllable
    assert 0.12 * 3 <= short.duration_s <= 0.5 * 3
    assert 0.12 * 15 <= long.duration_s <= 0.5 * 15
    assert long.duration_s > 3 * short.duration_s
    assert rms_dbfs(long) > -35  # speech, not silence


@pytest.mark.parametrize("backend", ["library", "process"])
def test_english_is_spoken(backend: str) -> None:
    pcm = trim_silence(EspeakEngine(backend).synthesize(EN, VoiceSettings()))  # type: ignore[arg-type]
    assert 0.6 <= pcm.duration_s <= 3.0
    assert rms_dbfs(pcm) > -35


def test_backends_agree() -> None:
    a = trim_silence(EspeakEngine("library").synthesize(ZH_LONG, VoiceSettings()))
    b = trim_silence(EspeakEngine("process").synthesize(ZH_LONG, VoiceSettings()))
    assert abs(a.duration_s - b.duration_s) < 0.25 * a.duration_s


def test_rate_pitch_volume_take_effect() -> None:
    engine = EspeakEngine()
    normal = trim_silence(engine.synthesize(ZH_LONG, VoiceSettings()))
    fast = trim_silence(engine.synthesize(ZH_LONG, VoiceSettings(rate=200)))
    quiet = trim_silence(engine.synthesize(ZH_LONG, VoiceSettings(volume=30)))
    high = engine.synthesize(ZH_LONG, VoiceSettings(pitch=90))
    assert fast.duration_s < 0.75 * normal.duration_s
    assert rms_dbfs(quiet) < rms_dbfs(normal) - 6
    assert high.samples != engine.synthesize(ZH_LONG, VoiceSettings()).samples
    assert espeak_parameters(VoiceSettings(rate=1000, pitch=-5, volume=500)) == (450, 0, 200)


def test_voices_and_defaults() -> None:
    engine = EspeakEngine()
    assert {v.id for v in engine.voices()} == {"cmn-latn-pinyin", "en-us"}
    assert engine.voice_for("zh", VoiceSettings()) == "cmn-latn-pinyin"
    assert engine.voice_for("en", VoiceSettings(voice_en="en-gb")) == "en-gb"
