"""edge-tts: Microsoft's online neural voices (optional; needs the internet).

``check`` resolves the service's host name and opens a connection to it in a worker thread, giving up
after ``dns_timeout_s`` (1 s): with no network it reports why at once and the synthesizer moves on to the
next engine. The audio (MP3 from the service) is decoded to PCM (pydub + ffmpeg, ``audio/decode.py``) and
joins the section like any engine's; no output file is written here, so no 0-byte file can be left behind
(edge-tts's own ``save`` leaves one when the connection fails).

Chinese runs are sent as characters (the service has its own readings, which may differ from the
reading layer and so from the Braille); English runs as words.
"""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from accessible_reader.tts.engine import Availability, Pcm, Voice, VoiceSettings
from accessible_reader.tts.plan import TextRun

EDGE_HOST = "speech.platform.bing.com"
EDGE_SAMPLE_RATE = 24000
ZH_VOICE = "zh-CN-XiaoxiaoNeural"
EN_VOICE = "en-US-AriaNeural"


def _connect(host: str, port: int, timeout_s: float) -> None:
    """Resolve ``host`` and open (then close) a TCP connection to it; raises OSError when either fails."""
    socket.create_connection((host, port), timeout=timeout_s).close()


def resolves(host: str, timeout_s: float) -> str | None:
    """None when ``host`` resolves and accepts a connection on port 443 within ``timeout_s`` seconds, else why not.

    A name that resolves behind a firewall that drops packets would otherwise stall the first request for
    the whole request timeout; the connection attempt keeps the fallback within ``timeout_s``.
    """
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        pool.submit(_connect, host, 443, timeout_s).result(timeout=timeout_s)
    except FutureTimeout:
        return f"{host} did not answer within {timeout_s:g} s"
    except OSError as error:
        return f"cannot reach {host}: {error}"
    finally:
        pool.shutdown(wait=False)
    return None


class EdgeEngine:
    """edge-tts neural voices; unavailable (with the reason) when offline or not installed."""

    name = "edge"
    languages = frozenset({"zh", "en"})

    def __init__(self, *, host: str = EDGE_HOST, dns_timeout_s: float = 1.0, request_timeout_s: int = 20) -> None:
        self.host = host
        self.dns_timeout_s = dns_timeout_s
        self.request_timeout_s = request_timeout_s

    def check(self) -> Availability:
        """edge-tts is installed and the service answers (DNS + TCP connect) within ``dns_timeout_s``."""
        import importlib.util

        if importlib.util.find_spec("edge_tts") is None:
            return Availability(False, "edge-tts 未安装 / edge-tts is not installed")
        problem = resolves(self.host, self.dns_timeout_s)
        if problem:
            return Availability(False, f"无网络，在线语音不可用 / offline: {problem}")
        return Availability(True, f"{self.host} reachable (online; text leaves this computer)")

    def voices(self) -> list[Voice]:
        """The two default voices (the service has many more)."""
        return [
            Voice(ZH_VOICE, "Xiaoxiao (online)", "zh", "Microsoft online service"),
            Voice(EN_VOICE, "Aria (online)", "en", "Microsoft online service"),
        ]

    def voice_for(self, language: str, settings: VoiceSettings) -> str:
        """``voice_zh``/``voice_en`` if they name an edge voice, else Xiaoxiao / Aria."""
        chosen = settings.voice_en if language == "en" else settings.voice_zh
        if chosen and chosen.endswith("Neural"):
            return chosen
        return EN_VOICE if language == "en" else ZH_VOICE

    def synthesize(self, run: TextRun, settings: VoiceSettings) -> Pcm:
        """Fetch the run's audio from the service and decode it to PCM at 24 kHz."""
        mp3 = asyncio.run(self._fetch(run, settings))
        if not mp3:
            raise RuntimeError("edge-tts returned no audio")
        from accessible_reader.audio.decode import decode_audio

        return decode_audio(mp3, EDGE_SAMPLE_RATE, format_hint="mp3")

    async def _fetch(self, run: TextRun, settings: VoiceSettings) -> bytes:
        import edge_tts

        text = run.text if run.language == "zh" else " ".join(run.reading)
        communicate = edge_tts.Communicate(
            text,
            self.voice_for(run.language, settings),
            rate=f"{settings.rate - 100:+d}%",
            volume=f"{min(settings.volume, 200) - 100:+d}%",
            pitch=f"{(settings.pitch - 50):+d}Hz",
            connect_timeout=self.request_timeout_s,
            receive_timeout=self.request_timeout_s,
        )
        chunks: list[bytes] = []
        async for chunk in communicate.stream():
            if chunk["type"] == "audio":
                chunks.append(chunk["data"])
        return b"".join(chunks)
