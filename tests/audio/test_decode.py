"""Compressed audio decodes to 16-bit mono PCM at the rate asked for (pydub + real ffmpeg)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from accessible_reader.audio.decode import decode_audio
from accessible_reader.audio.pcm import rms_dbfs
from accessible_reader.tts.edge import EdgeEngine
from accessible_reader.tts.engine import VoiceSettings
from accessible_reader.tts.plan import TextRun


def _mp3(tmp_path: Path, seconds: float) -> bytes:
    path = tmp_path / "tone.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-ac", "2",
         "-ar", "44100", "-b:a", "96k", str(path)],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


def test_stereo_mp3_becomes_mono_pcm_at_the_requested_rate(tmp_path: Path) -> None:
    pcm = decode_audio(_mp3(tmp_path, 1.5), 24000, format_hint="mp3")
    assert pcm.sample_rate == 24000
    assert 1.45 < pcm.duration_s < 1.6  # MP3 adds a few ms of encoder delay
    assert -30 < rms_dbfs(pcm) < -15  # lavfi sine is 1/8 of full scale: about -21 dBFS per channel, not silence


def test_garbage_is_a_value_error_not_a_crash() -> None:
    with pytest.raises(ValueError, match="could not decode"):
        decode_audio(b"not audio at all" * 100, 22050, format_hint="mp3")
    with pytest.raises(ValueError, match="no audio"):
        decode_audio(b"", 22050)


def test_edge_engine_turns_the_service_mp3_into_pcm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mp3 = _mp3(tmp_path, 0.8)

    async def from_the_service(self: EdgeEngine, run: TextRun, settings: VoiceSettings) -> bytes:
        return mp3

    monkeypatch.setattr(EdgeEngine, "_fetch", from_the_service)
    pcm = EdgeEngine().synthesize(TextRun("你好", "zh", ("ni3", "hao3")), VoiceSettings())
    assert pcm.sample_rate == 24000 and 0.75 < pcm.duration_s < 0.9
