"""Sinks (recording, null, PyAudio through a real ALSA file device), voices with real espeak-ng,
the prompt cache and the speaker's barge-in."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from accessible_reader.audio.sinks import NullSink, RecordingSink, open_sink
from accessible_reader.errors import EngineUnavailable
from accessible_reader.menu.app import MenuApp, Speaker
from accessible_reader.menu.ports import Audio
from accessible_reader.menu.runtime import Response
from accessible_reader.menu.screen import NoDisplay, RichDisplay
from accessible_reader.menu.voice import EspeakCliVoice, PromptCache, TtsVoice
from accessible_reader.text.lexicon import Lexicon
from accessible_reader.text.readings import ReadingEngine

REPO = Path(__file__).resolve().parents[2]
RATE = 16000


def tone(seconds: float) -> bytes:
    return (b"\x00\x10\x00\xf0") * int(RATE * seconds / 2)


class ToneVoice:
    """A voice whose audio length follows the text, counting what it was asked."""

    name = "tone"

    def __init__(self, seconds_per_char: float = 0.05) -> None:
        self.asked: list[str] = []
        self.seconds_per_char = seconds_per_char

    def synthesize(self, text: str, lang: str, speed: float) -> Audio:
        self.asked.append(text)
        return Audio(tone(self.seconds_per_char * len(text) / speed), RATE)


@pytest.fixture(scope="module")
def reading(tmp_path_factory: pytest.TempPathFactory) -> ReadingEngine:
    cache = tmp_path_factory.mktemp("reading-cache")
    return ReadingEngine(Lexicon.load(REPO / "content" / "lexicon.tsv"), cache_dir=cache)


def loudness(pcm: bytes) -> int:
    return max(abs(sample) for sample in memoryview(pcm).cast("h"))


def test_recording_sink_logs_each_utterance_as_a_line(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "speech.log"
    sink = RecordingSink(log)
    sink.play(tone(0.1), RATE, "主菜单")
    assert sink.wait(2.0)
    sink.play(tone(0.1), RATE, "1 查找\n图书")
    sink.play(b"", RATE, "")
    assert sink.wait(2.0)
    assert log.read_text(encoding="utf-8") == "主菜单\n1 查找 图书\n"
    assert sink.texts == ["主菜单", "1 查找 图书"]
    assert sink.frames_played == 2 * int(RATE * 0.1 / 2) * 2


def test_volume_scales_samples_and_clips() -> None:
    from accessible_reader.audio.sinks import scale

    pcm = (b"\x00\x10\x00\xf0") * 4  # +4096, -4096
    assert loudness(scale(pcm, 0.5)) == 2048
    assert loudness(scale(pcm, 2.0)) == 8192
    assert loudness(scale(pcm, 10.0)) == 32768  # clipped at full scale (-32768)
    written: list[bytes] = []

    class Capture(NullSink):
        def _write(self, chunk: bytes, sample_rate: int) -> None:
            written.append(chunk)

    sink = Capture(realtime=False)
    sink.volume = 0.5
    sink.play(pcm * 100, RATE)
    assert sink.wait(2.0)
    assert loudness(b"".join(written)) == 2048 and len(b"".join(written)) == len(pcm) * 100


def test_stop_interrupts_playback_early() -> None:
    sink = NullSink(realtime=True)
    sink.play(tone(3.0), RATE)
    time.sleep(0.05)
    assert sink.busy()
    sink.stop()
    assert not sink.busy()
    assert sink.first_frame_at is not None and sink.stopped_at is not None
    assert sink.stopped_at - sink.first_frame_at < 3.0 - 0.5  # it did not play to the end


def test_open_sink_falls_back_to_null_with_the_reason() -> None:
    def broken() -> NullSink:
        raise EngineUnavailable("没有找到声卡", "no sound device", "pyaudio")

    choice = open_sink("pyaudio", pyaudio_factory=broken)
    assert choice.sink.name == "null"
    assert choice.fallback_reason == "pyaudio: 没有找到声卡 / no sound device"
    assert open_sink("null").fallback_reason == ""


PYAUDIO_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from accessible_reader.audio.sinks import PyAudioSink
    rate = 16000
    sink = PyAudioSink()
    sink.play(b"\\x00\\x10" * rate, rate, "one second")
    finished = sink.wait(10)
    sink.play(b"\\x00\\x10" * rate * 5, rate, "five seconds")
    time.sleep(0.2)
    sink.stop()
    stopped = not sink.busy()
    sink.close()
    print(json.dumps({"device": sink.device_name, "finished": finished, "stopped": stopped}))
    """
)


def test_pyaudio_sink_plays_through_portaudio_to_an_alsa_file_device(tmp_path: Path) -> None:
    pytest.importorskip("pyaudio")
    raw = tmp_path / "out.raw"
    (tmp_path / ".asoundrc").write_text(
        f'pcm.!default {{ type file slave.pcm "null" file "{raw}" format "raw" }}\n', encoding="utf-8"
    )
    env = dict(os.environ, HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", PYAUDIO_SCRIPT], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    if result.returncode != 0:
        tail = result.stderr.strip().splitlines()[-1:] or ["?"]
        if "no sound device" in result.stderr or "EngineUnavailable" in result.stderr:
            pytest.skip(f"PortAudio cannot open the ALSA file device here: {tail[0]}")
        raise AssertionError(result.stderr)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["finished"] and report["stopped"]
    written = raw.read_bytes()
    # ALSA's file/null device is not paced in real time, so the five seconds may all be written before
    # the stop; barge-in timing is measured against a paced sink in benchmarks/menu.py.
    assert 16000 * 2 <= len(written) <= 16000 * 2 * 6
    assert loudness(written[: 16000 * 2]) == 0x1000


def test_espeak_cli_voice_speaks_mandarin_and_english(reading: ReadingEngine) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    voice = EspeakCliVoice(reading)
    zh = voice.synthesize("主菜单", "zh", 1.0)
    en = voice.synthesize("Main menu", "en", 1.0)
    for audio in (zh, en):
        assert 0.3 < audio.duration_s < 3.0
        assert loudness(audio.pcm) > 1000
    fast = voice.synthesize("主菜单，查找图书", "zh", 2.0)
    slow = voice.synthesize("主菜单，查找图书", "zh", 1.0)
    assert fast.duration_s < slow.duration_s * 0.75
    assert fast.sample_rate == slow.sample_rate  # speed changes the rate of speech, not the pitch/sample rate


def test_tts_voice_through_the_speech_layer(reading: ReadingEngine) -> None:
    try:
        voice = TtsVoice(reading)
    except EngineUnavailable as error:
        pytest.skip(f"speech layer has no engine here: {error}")
    audio = voice.synthesize("查找结果：鹿寨县志", "zh", 1.0)
    assert 0.8 < audio.duration_s < 6.0
    assert loudness(audio.pcm) > 1000


def test_prompt_cache_synthesizes_once() -> None:
    voice = ToneVoice()
    cache = PromptCache(voice)
    assert cache.warm(["主菜单", "1 查找图书", "主菜单", " "], "zh", 1.0) == 2
    assert cache.get("主菜单", "zh", 1.0).pcm == tone(0.15)
    assert cache.hits == 1 and cache.misses == 0
    cache.get("主菜单", "zh", 2.0)
    assert cache.misses == 1 and voice.asked.count("主菜单") == 2
    assert len(cache) == 3


@pytest.fixture
def speaker_parts() -> Iterator[tuple[Speaker, RecordingSink, ToneVoice]]:
    voice = ToneVoice()
    sink = RecordingSink(realtime=True)
    speaker = Speaker(PromptCache(voice), sink)
    yield speaker, sink, voice
    speaker.close()


def test_speaker_says_in_order_and_barge_in_drops_the_rest(
    speaker_parts: tuple[Speaker, RecordingSink, ToneVoice],
) -> None:
    speaker, sink, _ = speaker_parts
    speaker.say(["一", "二"], "zh", 1.0, "success")
    assert speaker.wait_idle(5.0)
    assert sink.texts == ["一", "二"]  # the earcon played first, without a line
    speaker.say(["很长的一句话" * 10, "不会说到这里"], "zh", 1.0)
    time.sleep(0.1)
    speaker.interrupt()
    assert speaker.wait_idle(1.0)
    assert sink.texts[-1] == "很长的一句话" * 10  # started, then cut; the next one never started


def test_menu_app_reads_the_book_on_until_a_key(
    speaker_parts: tuple[Speaker, RecordingSink, ToneVoice], menu_set: object, library: object, services: object
) -> None:
    from accessible_reader.menu.runtime import Menu

    speaker, sink, voice = speaker_parts
    voice.seconds_per_char = 0.004
    menu = Menu(menu_set, library, services)  # type: ignore[arg-type]
    app = MenuApp(menu, speaker, NoDisplay())
    script = iter(["1", *"lzxt", "enter", "1", "1"])
    reads = {"n": 0}

    def read_key(timeout: float) -> str | None:
        reads["n"] += 1
        key = next(script, None)
        if key is not None:
            speaker.wait_idle(5.0)
            return key
        if any(t.startswith("阅览室每周二") for t in sink.texts) or reads["n"] > 1000:
            return "quit"
        time.sleep(timeout)
        return None

    app.run(read_key)
    spoken = sink.texts
    player = spoken.index("鹿寨县图书馆无障碍阅览室使用指南", spoken.index("1 听书"))
    assert spoken[player + 1].startswith("本指南介绍")
    assert spoken[player + 2].startswith("无障碍阅览室位于")  # read on without a key
    assert spoken[player + 3].startswith("阅览室每周二至周日开放")


def test_a_bug_in_one_key_is_spoken_and_the_session_goes_on(
    speaker_parts: tuple[Speaker, RecordingSink, ToneVoice], menu_set: object, library: object, services: object
) -> None:
    from accessible_reader.menu.runtime import Menu

    speaker, sink, voice = speaker_parts
    voice.seconds_per_char = 0.001

    class Broken(Menu):
        def respond(self, key: str) -> Response:
            if key == "3":
                raise ZeroDivisionError("bug")
            return super().respond(key)

    menu = Broken(menu_set, library, services)  # type: ignore[arg-type]
    script = iter(["3", "1"])

    def read_key(timeout: float) -> str | None:
        speaker.wait_idle(5.0)
        return next(script, "quit")

    MenuApp(menu, speaker, NoDisplay()).run(read_key)
    said = sink.texts
    assert "出了点问题，已经记录下来。请再试一次，或请工作人员帮忙。" in said
    assert said[-2:] == ["查找图书", "请输入书名或作者，可以打汉字、全拼或拼音首字母，按回车查找。"]


def test_menu_app_switches_to_the_chosen_voice(
    speaker_parts: tuple[Speaker, RecordingSink, ToneVoice], menu_set: object, library: object, services: object
) -> None:
    from accessible_reader.menu.runtime import Menu

    speaker, sink, first = speaker_parts
    first.seconds_per_char = 0.001
    second = ToneVoice(0.001)
    menu = Menu(menu_set, library, services, voice_name="espeak", voice_names=["espeak", "neural-zh"])  # type: ignore[arg-type]
    app = MenuApp(menu, speaker, NoDisplay(), voice_factory=lambda name: second)
    script = iter(["8", "5", "up"])

    def read_key(timeout: float) -> str | None:
        speaker.wait_idle(5.0)
        return next(script, "quit")

    app.run(read_key)
    assert sink.texts[-2:] == ["声音：自然普通话声音", "4 盲文方案"]
    assert "声音：自然普通话声音" in second.asked and "声音：自然普通话声音" not in first.asked
    assert speaker.cache.voice is second


def test_rich_display_mirrors_in_large_high_contrast_print(tmp_path: Path) -> None:
    out = (tmp_path / "screen.txt").open("w", encoding="utf-8")
    display = RichDisplay(out)
    display.notice("没有找到声卡")
    display.show("主菜单", ["主菜单", "1 查找图书"])
    out.close()
    text = (tmp_path / "screen.txt").read_text(encoding="utf-8")
    assert "主菜单" in text and "1 查找图书" in text and "没有找到声卡" in text
