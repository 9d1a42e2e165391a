"""Audio assembly: PCM helpers, MP3 encoding (ffprobe), loudness, speed variants, tags, atomic writes."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from accessible_reader.audio.encode import (
    AudioOptions,
    atempo_chain,
    encode_mp3,
    measure_loudness,
    probe,
    speed_variant,
)
from accessible_reader.audio.pcm import concatenate, resample, rms_dbfs, silence, trim_silence
from accessible_reader.audio.tags import Mp3Tags
from accessible_reader.errors import DeviceError, InputError
from accessible_reader.tts.engine import Pcm

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")


def tone(seconds: float, level: float = 0.1, rate: int = 22050, freq: float = 440.0) -> Pcm:
    t = np.arange(round(seconds * rate)) / rate
    wave = (level * 32767 * np.sin(2 * math.pi * freq * t)).astype("<i2")
    return Pcm(wave.tobytes(), rate)


def test_trim_concatenate_resample_rms() -> None:
    padded = Pcm(silence(500, 22050) + tone(1.0).samples + silence(300, 22050), 22050)
    trimmed = trim_silence(padded, margin_ms=10)
    assert trimmed.duration_s == pytest.approx(1.02, abs=0.005)
    assert trim_silence(Pcm(silence(200, 22050), 22050)).duration_s == pytest.approx(0.2)
    joined = concatenate([tone(1.0), tone(0.5, rate=44100)], gap_ms=250)
    assert joined.sample_rate == 22050 and joined.duration_s == pytest.approx(1.75, abs=0.001)
    assert resample(tone(1.0), 24000).n_samples == 24000
    assert rms_dbfs(tone(1.0, level=0.1)) == pytest.approx(20 * math.log10(0.1 / math.sqrt(2)), abs=0.1)
    assert rms_dbfs(Pcm(b"", 22050)) == -math.inf


def test_atempo_chain() -> None:
    assert atempo_chain(1.0) == []
    assert atempo_chain(3.0) == ["atempo=2.0", "atempo=1.5"]
    assert atempo_chain(0.5) == ["atempo=0.5"]
    with pytest.raises(InputError):
        atempo_chain(3.5)
    with pytest.raises(InputError):
        AudioOptions(sample_rate=16000).validate()


@needs_ffmpeg
@pytest.mark.parametrize("rate", [22050, 24000, 44100])
def test_mp3_format_and_tags(tmp_path: Path, rate: int) -> None:
    out = tmp_path / "x.mp3"
    tags = Mp3Tags(title="第一章", album="使用指南", artist="鹿寨县图书馆", track=1, track_total=3)
    duration = encode_mp3(tone(2.0), out, AudioOptions(sample_rate=rate), tags)
    info = probe(out)
    assert (info["codec"], info["sample_rate"], info["channels"]) == ("mp3", rate, 1)
    assert 60_000 <= int(info["bit_rate"]) <= 70_000  # type: ignore[call-overload]
    assert float(info["duration_s"]) == pytest.approx(duration, abs=0.1)  # type: ignore[arg-type]
    assert info["tags"] == {**info["tags"], "title": "第一章", "album": "使用指南", "track": "1/3"}  # type: ignore[dict-item]
    assert [p.name for p in tmp_path.iterdir()] == ["x.mp3"]


@needs_ffmpeg
def test_loudness_normalized_to_target(tmp_path: Path) -> None:
    quiet = Pcm(tone(4.0, level=0.02).samples + silence(500, 22050) + tone(3.0, level=0.03).samples, 22050)
    assert measure_loudness(quiet) < -30
    out = tmp_path / "loud.mp3"
    encode_mp3(quiet, out, AudioOptions(loudness_lufs=-16.0))
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(out), "-af", "ebur128", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    measured = float(re.findall(r"I:\s+(-?[\d.]+) LUFS", result.stderr)[-1])
    assert measured == pytest.approx(-16.0, abs=1.0)


@needs_ffmpeg
def test_speed_variant_keeps_pitch_and_scales_time(tmp_path: Path) -> None:
    source = tmp_path / "n.mp3"
    encode_mp3(tone(6.0), source, AudioOptions(loudness_lufs=None), Mp3Tags(title="t"))
    for speed in (0.5, 2.5):
        target = tmp_path / f"s{speed}.mp3"
        speed_variant(source, target, speed)
        assert float(probe(target)["duration_s"]) == pytest.approx(6.0 / speed, rel=0.05)  # type: ignore[arg-type]
        assert probe(target)["tags"]["title"] == "t"  # type: ignore[index]


@needs_ffmpeg
def test_unwritable_place_is_a_device_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    with pytest.raises(DeviceError):
        encode_mp3(tone(1.0), blocker / "x.mp3")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_failed_encode_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accessible_reader.audio import encode
    from accessible_reader.errors import EngineUnavailable

    def half_written(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        Path(args[-1]).write_bytes(b"ID3 partial")
        return subprocess.CompletedProcess(args, 1, b"", b"Error: encoder crashed")

    monkeypatch.setattr(encode, "_ffmpeg", half_written)
    with pytest.raises(EngineUnavailable, match="encoder crashed"):
        encode_mp3(tone(1.0), tmp_path / "bad.mp3", AudioOptions(loudness_lufs=None))
    assert list(tmp_path.iterdir()) == []
