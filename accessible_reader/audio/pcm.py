"""PCM helpers (pure, numpy): silence, trimming, level, resampling, WAV framing.

All audio is 16-bit signed little-endian mono held in ``bytes``; positions are in samples.
"""

from __future__ import annotations

import io
import math
import wave

import numpy as np

from accessible_reader.tts.engine import Pcm

SILENCE_THRESHOLD = 0.01
"""Fraction of full scale under which a sample counts as silence when trimming (about -40 dBFS)."""
TRIM_MARGIN_MS = 15


def silence(ms: int, sample_rate: int) -> bytes:
    """``ms`` milliseconds of digital silence."""
    return bytes(2 * round(sample_rate * ms / 1000))


def samples_of(pcm: Pcm) -> np.ndarray:
    """The samples as an int16 array (a view, no copy)."""
    return np.frombuffer(pcm.samples, dtype="<i2")


def trim_silence(pcm: Pcm, *, threshold: float = SILENCE_THRESHOLD, margin_ms: int = TRIM_MARGIN_MS) -> Pcm:
    """Cut leading and trailing silence, keeping ``margin_ms`` of it on each side.

    All-silent audio is returned unchanged (a silent engine's timing is kept).
    """
    data = samples_of(pcm)
    loud = np.flatnonzero(np.abs(data.astype(np.int32)) > threshold * 32767)
    if loud.size == 0:
        return pcm
    margin = round(pcm.sample_rate * margin_ms / 1000)
    start = max(0, int(loud[0]) - margin)
    end = min(data.size, int(loud[-1]) + 1 + margin)
    return Pcm(pcm.samples[2 * start : 2 * end], pcm.sample_rate)


def rms_dbfs(pcm: Pcm) -> float:
    """Root-mean-square level in dB relative to full scale; ``-inf`` for silence or no samples."""
    data = samples_of(pcm).astype(np.float64)
    if data.size == 0:
        return -math.inf
    rms = float(np.sqrt(np.mean(data * data)))
    return 20 * math.log10(rms / 32768) if rms > 0 else -math.inf


def resample(pcm: Pcm, sample_rate: int) -> Pcm:
    """``pcm`` at ``sample_rate`` by linear interpolation (used only when engines of different rates mix)."""
    if pcm.sample_rate == sample_rate or not pcm.samples:
        return Pcm(pcm.samples, sample_rate)
    data = samples_of(pcm).astype(np.float64)
    count = max(1, round(data.size * sample_rate / pcm.sample_rate))
    positions = np.arange(count) * (pcm.sample_rate / sample_rate)
    out = np.interp(positions, np.arange(data.size), data)
    return Pcm(np.clip(np.rint(out), -32768, 32767).astype("<i2").tobytes(), sample_rate)


def to_wav(pcm: Pcm) -> bytes:
    """A WAV file (RIFF, 16-bit mono) holding ``pcm``."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(pcm.sample_rate)
        writer.writeframes(pcm.samples)
    return buffer.getvalue()


def peak_dbfs(pcm: Pcm) -> float:
    """Sample peak in dB relative to full scale; ``-inf`` for silence."""
    data = samples_of(pcm)
    if data.size == 0:
        return -math.inf
    peak = int(np.max(np.abs(data.astype(np.int32))))
    return 20 * math.log10(peak / 32768) if peak else -math.inf


def concatenate(parts: list[Pcm], gap_ms: int = 0) -> Pcm:
    """``parts`` one after another (all at the first part's rate), ``gap_ms`` of silence between them."""
    if not parts:
        raise ValueError("nothing to concatenate")
    rate = parts[0].sample_rate
    gap = silence(gap_ms, rate)
    return Pcm(gap.join(resample(part, rate).samples for part in parts), rate)
