"""Decode compressed audio (MP3 from an online voice, a recorded prompt) into the PCM the pipeline uses.

pydub drives ffmpeg for the decoding and does the channel, rate and sample-width conversion, so any format
ffmpeg reads comes out as 16-bit mono at the requested rate.
"""

from __future__ import annotations

import io

from pydub import AudioSegment
from pydub.exceptions import CouldntDecodeError

from accessible_reader.tts.engine import Pcm


def decode_audio(data: bytes, sample_rate: int, *, format_hint: str | None = None) -> Pcm:
    """``data`` (MP3, WAV, OGG…) as 16-bit mono PCM at ``sample_rate`` Hz.

    Raises ValueError when ffmpeg cannot decode it (an engine treats that as a failed segment and falls back).
    """
    if not data:
        raise ValueError("no audio data to decode")
    try:
        segment = AudioSegment.from_file(io.BytesIO(data), format=format_hint)
    except CouldntDecodeError as error:
        raise ValueError(f"ffmpeg could not decode the audio: {str(error)[-200:]}") from None
    segment = segment.set_channels(1).set_frame_rate(sample_rate).set_sample_width(2)
    return Pcm(bytes(segment.raw_data), sample_rate)
