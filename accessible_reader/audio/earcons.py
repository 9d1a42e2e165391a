"""Earcons: short generated tones for menu edges, errors and success. Pure, no I/O.

Each earcon is a list of (frequency Hz, milliseconds) notes rendered as sine tones with 5 ms
fades (no clicks), mono 16-bit PCM at the requested sample rate, about -12 dBFS.
"""

from __future__ import annotations

import math
from array import array
from typing import Literal

EarconName = Literal["edge", "error", "success"]

NOTES: dict[str, tuple[tuple[float, int], ...]] = {
    "edge": ((330.0, 60),),  # one low tick: the first or last item, the end of the book
    "error": ((440.0, 70), (294.0, 110)),  # falling: not possible, not available
    "success": ((523.0, 60), (784.0, 90)),  # rising: queued, loaded, saved
}
AMPLITUDE = 0.25 * 32767
FADE_MS = 5


def earcon_pcm(name: EarconName, sample_rate: int = 22050) -> bytes:
    """The earcon ``name`` as mono 16-bit little-endian PCM at ``sample_rate`` Hz."""
    samples = array("h")
    fade = sample_rate * FADE_MS // 1000
    for frequency, ms in NOTES[name]:
        count = sample_rate * ms // 1000
        for i in range(count):
            envelope = min(1.0, i / fade, (count - 1 - i) / fade) if fade else 1.0
            samples.append(round(AMPLITUDE * envelope * math.sin(2 * math.pi * frequency * i / sample_rate)))
    if samples.itemsize == 2 and array("h", [1]).tobytes() != b"\x01\x00":
        samples.byteswap()  # big-endian host: PCM is little-endian
    return samples.tobytes()
