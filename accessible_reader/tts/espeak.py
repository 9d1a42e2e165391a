"""espeak-ng, the default offline engine: Mandarin through ``cmn-latn-pinyin``, English through ``en-us``.

Mandarin runs are fed their tone-numbered pinyin from the reading layer (``yin2 hang2``), so espeak-ng
says exactly the readings the Braille shows; its plain ``cmn`` voice would read characters itself and
spell some as English. English runs are fed their words.

Two back-ends give the same PCM (22,050 Hz mono):

- ``library`` (default): libespeak-ng through ctypes, ``AUDIO_OUTPUT_SYNCHRONOUS`` with a callback that
  collects samples in memory. libespeak-ng keeps global state, so one process has one voice at a time:
  calls are serialized with a lock; worker processes each load their own copy.
- ``process``: one ``espeak-ng --stdout`` subprocess per run, WAV parsed in memory.

``benchmarks/speech.py`` measures both; the library is faster for the short runs a book is made of
(no process start per run).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import shutil
import subprocess
import threading
import wave
from typing import Literal

from accessible_reader.errors import EngineUnavailable
from accessible_reader.tts.engine import Availability, Pcm, Voice, VoiceSettings
from accessible_reader.tts.plan import TextRun

ZH_VOICE = "cmn-latn-pinyin"
EN_VOICE = "en-us"
NORMAL_WPM = 175
SAMPLE_RATE = 22050

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_CHARS_UTF8 = 1
_PARAM_RATE, _PARAM_VOLUME, _PARAM_PITCH = 1, 2, 3
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

Backend = Literal["library", "process"]


def espeak_parameters(settings: VoiceSettings) -> tuple[int, int, int]:
    """(words per minute, pitch 0-100, amplitude 0-200) for espeak-ng from engine-neutral settings."""
    wpm = max(80, min(450, round(NORMAL_WPM * settings.rate / 100)))
    return wpm, max(0, min(100, settings.pitch)), max(0, min(200, settings.volume))


class _Library:
    """libespeak-ng loaded once per process; ``synth`` is serialized by a lock."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
        try:
            lib = ctypes.CDLL(name)
        except OSError as error:
            raise EngineUnavailable(
                f"找不到 libespeak-ng（{error}）；请安装 espeak-ng",
                f"libespeak-ng not found ({error}); install espeak-ng",
                "espeak-ng",
            ) from None
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, _INITIALIZE_DONT_EXIT)
        if rate <= 0:
            raise EngineUnavailable(
                "espeak-ng 初始化失败（缺少数据文件？）", "espeak-ng failed to start (data files missing?)", "espeak-ng"
            )
        self.sample_rate = int(rate)
        self._lib = lib
        self._chunks: list[bytes] = []
        self._callback = _SYNTH_CALLBACK(self._collect)  # kept referenced for the library's lifetime
        lib.espeak_SetSynthCallback(self._callback)
        self._lock = threading.Lock()
        self._voice = ""
        self._params: tuple[int, int, int] = (0, 0, 0)

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: int | None) -> int:
        if count > 0 and wav:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def synth(self, text: str, voice: str, params: tuple[int, int, int]) -> bytes:
        with self._lock:
            if voice != self._voice:
                if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                    raise EngineUnavailable(
                        f"espeak-ng 没有“{voice}”语音", f"espeak-ng has no voice '{voice}'", "espeak-ng"
                    )
                self._voice = voice
                self._params = (0, 0, 0)
            if params != self._params:
                wpm, pitch, amplitude = params
                self._lib.espeak_SetParameter(_PARAM_RATE, wpm, 0)
                self._lib.espeak_SetParameter(_PARAM_PITCH, pitch, 0)
                self._lib.espeak_SetParameter(_PARAM_VOLUME, amplitude, 0)
                self._params = params
            data = text.encode("utf-8") + b"\0"
            self._chunks = []
            status = self._lib.espeak_Synth(data, len(data), 0, 0, 0, _CHARS_UTF8, None, None)
            if status != 0:
                raise RuntimeError(f"espeak_Synth returned {status}")
            return b"".join(self._chunks)


_LIBRARY: list[_Library] = []
_LIBRARY_LOCK = threading.Lock()


def _library() -> _Library:
    """The process's one libespeak-ng instance, loaded on first use (not at import)."""
    with _LIBRARY_LOCK:
        if not _LIBRARY:
            _LIBRARY.append(_Library())
        return _LIBRARY[0]


class EspeakEngine:
    """espeak-ng through libespeak-ng (``backend="library"``) or its command line (``"process"``)."""

    name = "espeak"
    languages = frozenset({"zh", "en"})

    def __init__(self, backend: Backend = "library", *, executable: str = "espeak-ng") -> None:
        self.backend: Backend = backend
        self.executable = executable

    def check(self) -> Availability:
        """espeak-ng is installed and has both voices."""
        path = shutil.which(self.executable)
        if path is None:
            return Availability(False, "espeak-ng 未安装 / espeak-ng is not installed (apt-get install espeak-ng)")
        try:
            listed = subprocess.run([path, "--voices"], capture_output=True, text=True, timeout=10, check=False).stdout
        except (OSError, subprocess.TimeoutExpired) as error:
            return Availability(False, f"espeak-ng --voices failed: {error}")
        missing = [v for v in (ZH_VOICE, EN_VOICE) if f" {v} " not in listed]
        if missing:
            return Availability(False, f"espeak-ng lacks voices {', '.join(missing)} / 缺少语音")
        if self.backend == "library":
            try:
                _library()
            except EngineUnavailable as error:
                return Availability(False, error.one_line())
        return Availability(True, f"espeak-ng ({self.backend}); voices {ZH_VOICE}, {EN_VOICE}")

    def voices(self) -> list[Voice]:
        """The two voices this engine drives."""
        return [
            Voice(ZH_VOICE, "Mandarin (pinyin input)", "zh"),
            Voice(EN_VOICE, "English (America)", "en"),
        ]

    def voice_for(self, language: str, settings: VoiceSettings) -> str:
        """``voice_zh``/``voice_en`` from the settings, else cmn-latn-pinyin / en-us."""
        if language == "en":
            return settings.voice_en or EN_VOICE
        return settings.voice_zh or ZH_VOICE

    def synthesize(self, run: TextRun, settings: VoiceSettings) -> Pcm:
        """Speak ``run``: its reading items joined by spaces (pinyin for zh, words for en)."""
        text = " ".join(run.reading)
        voice = self.voice_for(run.language, settings)
        params = espeak_parameters(settings)
        if self.backend == "library":
            library = _library()
            return Pcm(library.synth(text, voice, params), library.sample_rate)
        return self._synthesize_process(text, voice, params)

    def _synthesize_process(self, text: str, voice: str, params: tuple[int, int, int]) -> Pcm:
        wpm, pitch, amplitude = params
        args = [self.executable, "-v", voice, "-s", str(wpm), "-p", str(pitch), "-a", str(amplitude), "--stdout"]
        result = subprocess.run(args, input=text.encode("utf-8"), capture_output=True, timeout=60, check=False)
        if result.returncode != 0 or not result.stdout:
            raise RuntimeError(f"espeak-ng exited {result.returncode}: {result.stderr.decode(errors='replace')[:200]}")
        return wav_to_pcm(result.stdout)


def wav_to_pcm(data: bytes) -> Pcm:
    """PCM of a 16-bit mono WAV held in memory.

    espeak-ng writes to a pipe with a data length it cannot know (0x7fffffff); the frames are taken
    from everything after the header instead.
    """
    with wave.open(io.BytesIO(data)) as reader:
        if reader.getsampwidth() != 2 or reader.getnchannels() != 1:
            raise RuntimeError("espeak-ng wrote WAV that is not 16-bit mono")
        rate = reader.getframerate()
    start = data.find(b"data") + 8
    body = data[start:]
    return Pcm(body[: len(body) - len(body) % 2], rate)
