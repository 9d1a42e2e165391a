"""The real `accessible-reader menu` in a pseudo-terminal: keys typed, speech read back from the log."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = Path(sys.executable).with_name("accessible-reader")


class Terminal:
    """The CLI running on a pty; the screen output is drained so the program never blocks."""

    def __init__(self, args: list[str], env: dict[str, str], speech_log: Path) -> None:
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
        os.close(slave)
        self.screen = b""
        self.log = speech_log
        self.seen = 0

    def drain(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536)
                except OSError:
                    return

    def spoken(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def wait_for(self, line: str, timeout: float = 30.0) -> list[str]:
        """Wait until ``line`` is said after everything waited for so far; all lines said until then."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.drain(0.05)
            said = self.spoken()
            if line in said[self.seen :]:
                self.seen = said.index(line, self.seen) + 1
                return said
            if self.process.poll() is not None:
                break
        raise AssertionError(f"never said {line!r}; said {self.spoken()}; screen {self.screen[-400:]!r}")

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> int:
        try:
            return self.process.wait(timeout=15)
        finally:
            os.close(self.master)


@pytest.mark.slow
def test_cli_menu_in_a_pty_speaks_into_the_speech_log(catalog_dir: Path, tmp_path: Path) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    data_dir = tmp_path / "data"
    shutil.copytree(catalog_dir, data_dir)
    log = tmp_path / "speech.log"
    env = dict(os.environ, ACCESSIBLE_READER_DATA_DIR=str(data_dir), TERM="xterm", HOME=str(tmp_path))
    env.pop("ACCESSIBLE_READER_LANGUAGE", None)
    terminal = Terminal([str(CLI), "menu", "--sink", "recording", "--speech-log", str(log)], env, log)
    try:
        # Each key barges in on the speech before it; a line is logged when its utterance starts playing.
        said = terminal.wait_for("主菜单", timeout=60)
        assert said == ["欢迎来到鹿寨县图书馆阅览室。按斜杠键或H键听帮助。", "主菜单"]
        terminal.type(b"1")
        terminal.wait_for("查找图书")
        for key in "lz":
            terminal.type(key.encode())
            terminal.wait_for(key)
        terminal.type(b"\r")
        terminal.wait_for("查找结果")
        terminal.type(b"\x1b[B")  # down arrow: the second result
        terminal.wait_for("2 鹿寨县图书馆无障碍阅览室使用指南")
        terminal.type(b"\x1b[A")  # up arrow
        terminal.wait_for("1 鹿寨县志，鹿寨县地方志编纂委员会，只有书目")
        terminal.type(b"\x1b[B")
        terminal.wait_for("2 鹿寨县图书馆无障碍阅览室使用指南")
        terminal.type(b"\r")
        terminal.wait_for("图书")
        terminal.type(b"1")
        terminal.wait_for("鹿寨县图书馆无障碍阅览室使用指南")
        terminal.type(b"6")  # next sentence, barging in on the title
        terminal.wait_for("无障碍阅览室位于图书馆一楼东侧，从正门进入后沿盲道向右走约二十米即到。")
        terminal.type(b"5")
        terminal.wait_for("暂停")
        terminal.type(b"\x7f")  # Backspace: back to the book
        terminal.type(b"\x04")  # Ctrl-D ends the session
        assert terminal.close() == 0
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
    state = (data_dir / "menu" / "state.json").read_text(encoding="utf-8")
    assert '"guest/' in state  # the resume position was saved
    assert "主菜单".encode() in terminal.screen  # the large-print mirror was drawn


@pytest.mark.slow
def test_cli_menu_without_a_sound_device_says_so_and_keeps_running(catalog_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyaudio")
    from accessible_reader.audio.sinks import open_sink

    if open_sink("pyaudio").sink.name == "pyaudio":
        pytest.skip("this machine has a sound device; the no-device path cannot be shown here")
    data_dir = tmp_path / "data"
    shutil.copytree(catalog_dir, data_dir)
    env = dict(os.environ, ACCESSIBLE_READER_DATA_DIR=str(data_dir), TERM="xterm", HOME=str(tmp_path))
    env.pop("ACCESSIBLE_READER_LANGUAGE", None)
    terminal = Terminal([str(CLI), "menu", "--sink", "pyaudio"], env, tmp_path / "unused.log")
    try:
        end = time.monotonic() + 60
        while "没有找到声卡".encode() not in terminal.screen and time.monotonic() < end:
            terminal.drain(0.1)
        while "主菜单".encode() not in terminal.screen.split("没有找到声卡".encode())[-1] and time.monotonic() < end:
            terminal.drain(0.1)  # the mirror drawn after the notice: the menu kept running
        terminal.type(b"1")
        terminal.drain(1.0)
        assert "请输入书名或作者".encode() in terminal.screen  # the search screen opened
        terminal.type(b"\x04")
        assert terminal.close() == 0
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
    log = (data_dir / "logs" / "menu.log").read_text(encoding="utf-8")
    assert "没有找到声卡，只在屏幕上显示。" in log and "no sound device" in log
