"""The in-process BS.1770 loudness meter agrees with ffmpeg's ebur128 (the reference)."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pytest

from accessible_reader.audio.encode import measure_loudness
from accessible_reader.audio.loudness import SILENCE_LUFS, integrated_loudness
from accessible_reader.audio.pcm import silence
from accessible_reader.tts.engine import Pcm

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")


def tone(freq: float, level: float, rate: int, seconds: float = 3.0) -> Pcm:
    t = np.arange(round(seconds * rate)) / rate
    return Pcm((level * 32767 * np.sin(2 * math.pi * freq * t)).astype("<i2").tobytes(), rate)


@pytest.mark.parametrize("rate", [22050, 24000, 44100])
@pytest.mark.parametrize("freq", [100.0, 1000.0, 6000.0])
def test_tones_match_ffmpeg(rate: int, freq: float) -> None:
    pcm = tone(freq, 0.1, rate)
    assert integrated_loudness(pcm) == pytest.approx(measure_loudness(pcm), abs=0.1)


def test_speech_with_gaps_matches_ffmpeg() -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    from accessible_reader.tts.engine import VoiceSettings
    from accessible_reader.tts.espeak import EspeakEngine
    from accessible_reader.tts.plan import TextRun

    engine = EspeakEngine()
    zh = engine.synthesize(TextRun("图书馆", "zh", ("tu2", "shu1", "guan3") * 10), VoiceSettings())
    en = engine.synthesize(
        TextRun("open", "en", ("The", "library", "opens", "at", "nine") * 4), VoiceSettings(volume=40)
    )
    pcm = Pcm(zh.samples + silence(3000, 22050) + en.samples, 22050)
    assert integrated_loudness(pcm) == pytest.approx(measure_loudness(pcm), abs=0.1)


def test_silence_and_short_input() -> None:
    assert integrated_loudness(Pcm(silence(2000, 22050), 22050)) <= SILENCE_LUFS
    assert integrated_loudness(tone(1000.0, 0.1, 22050, seconds=0.2)) == SILENCE_LUFS
