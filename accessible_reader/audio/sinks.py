"""Where menu speech goes: the :class:`AudioSink` Protocol and its PyAudio, null and recording sinks.

A sink plays one utterance at a time. :meth:`AudioSink.play` returns at once; playback runs on the
sink's own thread in small chunks (:data:`CHUNK_MS`), so :meth:`AudioSink.stop` ("barge-in": a key
was pressed) silences it within about one chunk plus the device buffer. Audio is mono 16-bit PCM.

With no sound device :func:`open_sink` falls back to the null sink and says why (the caller shows
and logs that); nothing here raises for a missing device.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from accessible_reader.errors import EngineUnavailable

log = logging.getLogger(__name__)

CHUNK_MS = 10
"""Playback granularity in milliseconds: barge-in waits at most this long for the writer to notice."""

SinkName = Literal["pyaudio", "null", "recording"]


class AudioSink(Protocol):
    """Plays utterances one at a time. ``play`` returns immediately; ``stop`` interrupts.

    Thread-safe for one producer: ``play``/``stop``/``wait`` from the app loop while the sink's
    thread plays. ``first_frame_at`` is ``time.perf_counter()`` when the first frame of the last
    ``play`` reached the device (None until then); ``stopped_at`` when the last ``stop`` took effect.
    ``volume`` scales the samples (1.0 = as synthesized; louder clips at full scale), chunk by chunk.
    """

    name: str
    first_frame_at: float | None
    stopped_at: float | None
    volume: float

    def play(self, pcm: bytes, sample_rate: int, text: str = "") -> None:
        """Start playing ``pcm`` (stopping whatever is playing); ``text`` is what it says."""
        ...

    def stop(self) -> None:
        """Stop playback now (barge-in); returns when the sink is silent."""
        ...

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the current utterance has finished; False on timeout."""
        ...

    def busy(self) -> bool:
        """Whether an utterance is playing."""
        ...

    def close(self) -> None:
        """Stop and release the device."""
        ...


class _ThreadedSink:
    """Shared machinery: a worker thread writes chunks until done or stopped."""

    name = "threaded"

    def __init__(self) -> None:
        self.first_frame_at: float | None = None
        self.stopped_at: float | None = None
        self.volume = 1.0
        self._stop = threading.Event()
        self._done = threading.Event()
        self._done.set()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _write(self, chunk: bytes, sample_rate: int) -> None:
        raise NotImplementedError

    def play(self, pcm: bytes, sample_rate: int, text: str = "") -> None:
        """Start playing ``pcm`` on the worker thread (stopping what plays)."""
        self.stop()
        with self._lock:
            self._stop.clear()
            self._done.clear()
            self.first_frame_at = None
            self._thread = threading.Thread(target=self._run, args=(pcm, sample_rate), daemon=True)
            self._thread.start()

    def _run(self, pcm: bytes, sample_rate: int) -> None:
        step = max(2, sample_rate * CHUNK_MS // 1000 * 2)
        try:
            for start in range(0, len(pcm), step):
                if self._stop.is_set():
                    break
                if self.first_frame_at is None:
                    self.first_frame_at = time.perf_counter()  # handed to the device (a paced write then blocks)
                chunk = pcm[start : start + step]
                self._write(chunk if self.volume == 1.0 else scale(chunk, self.volume), sample_rate)
        except Exception as error:  # a device error must not kill the menu; it is logged
            log.warning("audio playback failed: %s: %s", type(error).__name__, error)
        finally:
            self._done.set()

    def stop(self) -> None:
        """Set the stop flag and wait for the worker to leave (at most one chunk)."""
        with self._lock:
            thread = self._thread
            if thread is None:
                return
            self._stop.set()
        thread.join(timeout=1.0)
        self.stopped_at = time.perf_counter()
        with self._lock:
            self._thread = None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the utterance has finished."""
        return self._done.wait(timeout)

    def busy(self) -> bool:
        """Whether the worker is still playing."""
        return not self._done.is_set()

    def close(self) -> None:
        """Stop playback."""
        self.stop()


class NullSink(_ThreadedSink):
    """Discards audio in real time (so ``wait`` lasts as long as the speech would)."""

    name = "null"

    def __init__(self, realtime: bool = True) -> None:
        super().__init__()
        self.realtime = realtime

    def _write(self, chunk: bytes, sample_rate: int) -> None:
        if self.realtime:
            time.sleep(len(chunk) / 2 / sample_rate)


class RecordingSink(NullSink):
    """Appends every utterance's text as one line to ``speech_log`` (when given) and keeps them in ``texts``.

    The line is written when ``play`` is called, before any audio, so a test reading the log sees
    what was said even if it was interrupted. ``realtime=False`` plays instantly (unit tests).
    """

    name = "recording"

    def __init__(self, speech_log: Path | None = None, realtime: bool = False) -> None:
        super().__init__(realtime=realtime)
        self.speech_log = speech_log
        self.texts: list[str] = []
        self.frames_played = 0
        if speech_log is not None:
            speech_log.parent.mkdir(parents=True, exist_ok=True)

    def play(self, pcm: bytes, sample_rate: int, text: str = "") -> None:
        """Log ``text`` (if any: earcons have none) then play."""
        if text.strip():
            self.log(text)
        super().play(pcm, sample_rate, text)

    def log(self, text: str) -> None:
        """Record one line (also used for notices that have no audio)."""
        line = " ".join(text.split())
        self.texts.append(line)
        if self.speech_log is not None:
            with self.speech_log.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()

    def _write(self, chunk: bytes, sample_rate: int) -> None:
        self.frames_played += len(chunk) // 2
        super()._write(chunk, sample_rate)


class PyAudioSink(_ThreadedSink):
    """The default output device through PortAudio (PyAudio), blocking writes of :data:`CHUNK_MS`.

    Opens one output stream per sample rate and keeps it; ``stop`` abandons the rest of the
    utterance after the chunk being written. Raises EngineUnavailable when PortAudio has no output.
    """

    name = "pyaudio"

    def __init__(self, device_index: int | None = None) -> None:
        super().__init__()
        try:
            import pyaudio
        except ImportError as error:
            raise EngineUnavailable("没有安装 PyAudio", f"PyAudio is not installed ({error})", "pyaudio") from None
        self._pyaudio = pyaudio
        with _quiet_stderr():
            self._pa: Any = pyaudio.PyAudio()
        try:
            info = (
                self._pa.get_device_info_by_index(device_index)
                if device_index is not None
                else self._pa.get_default_output_device_info()
            )
        except (OSError, ValueError) as error:
            self._pa.terminate()
            raise EngineUnavailable(
                "没有找到声卡（PortAudio 没有输出设备）",
                f"no sound device: PortAudio has no output device ({error})",
                "pyaudio",
            ) from None
        self.device_name = str(info.get("name", "?"))
        self._device_index = device_index
        self._streams: dict[int, Any] = {}

    def _stream(self, sample_rate: int) -> Any:
        stream = self._streams.get(sample_rate)
        if stream is None:
            with _quiet_stderr():
                stream = self._pa.open(
                    format=self._pyaudio.paInt16,
                    channels=1,
                    rate=sample_rate,
                    output=True,
                    output_device_index=self._device_index,
                    frames_per_buffer=sample_rate * CHUNK_MS // 1000,
                )
            self._streams[sample_rate] = stream
        return stream

    def _write(self, chunk: bytes, sample_rate: int) -> None:
        self._stream(sample_rate).write(chunk)

    def close(self) -> None:
        """Stop, close the streams and release PortAudio."""
        self.stop()
        for stream in self._streams.values():
            try:
                stream.stop_stream()
                stream.close()
            except OSError:
                pass
        self._streams.clear()
        self._pa.terminate()


def scale(chunk: bytes, volume: float) -> bytes:
    """16-bit little-endian samples times ``volume``, clipped to the 16-bit range."""
    samples = array("h", chunk[: len(chunk) - len(chunk) % 2])
    if sys.byteorder == "big":
        samples.byteswap()
    scaled = array("h", (max(-32768, min(32767, round(s * volume))) for s in samples))
    if sys.byteorder == "big":
        scaled.byteswap()
    return scaled.tobytes()


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """PortAudio prints ALSA/JACK probing noise on fd 2; keep the reader's terminal clean."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@dataclass(frozen=True, slots=True)
class SinkChoice:
    """The sink in use and, when it is not the one asked for, why (a line for the screen and the log)."""

    sink: AudioSink
    fallback_reason: str = ""


def open_sink(
    name: SinkName, speech_log: Path | None = None, pyaudio_factory: Callable[[], AudioSink] | None = None
) -> SinkChoice:
    """Open the named sink; "pyaudio" without a usable device falls back to a null sink with the reason."""
    if name == "recording":
        return SinkChoice(RecordingSink(speech_log, realtime=True))
    if name == "null":
        return SinkChoice(NullSink())
    try:
        return SinkChoice((pyaudio_factory or PyAudioSink)())
    except EngineUnavailable as error:
        log.warning("no sound device: %s", error.message_en)
        return SinkChoice(NullSink(), error.one_line())
