"""Terminal key decoding and generated earcons."""

from __future__ import annotations

import os

from accessible_reader.audio.earcons import NOTES, earcon_pcm
from accessible_reader.menu.keys import TerminalKeys, parse_keys


def test_parse_plain_keys_and_sequences() -> None:
    keys, rest = parse_keys("1a\x1b[A\x1b[B\x1b[C\x1b[D\r\x7f \x04中")
    assert keys == ["1", "a", "up", "down", "right", "left", "enter", "backspace", "space", "quit", "中"]
    assert rest == ""


def test_keypad_application_mode() -> None:
    keys, _ = parse_keys("\x1bOq\x1bOx\x1bOk\x1bOm\x1bOj\x1bOo\x1bOn\x1bOM\x1bOp")
    assert keys == ["1", "8", "+", "-", "*", "/", ".", "enter", "0"]


def test_lone_escape_and_unfinished_sequence() -> None:
    assert parse_keys("\x1b") == ([], "\x1b")
    assert parse_keys("\x1b[") == ([], "\x1b[")
    assert parse_keys("\x1b\x00")[0] == ["escape"]
    assert parse_keys("\x1b[5~x")[0] == ["x"]  # unknown sequences are skipped whole
    assert parse_keys("H")[0] == ["h"]


def test_terminal_keys_from_a_pipe() -> None:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, "8\x1b[A你".encode())
    with TerminalKeys(read_fd) as keys:
        assert [keys.read(0.5), keys.read(0.5), keys.read(0.5)] == ["8", "up", "你"]
        assert keys.read(0.01) is None
        os.write(write_fd, b"\x1b")
        assert keys.read(0.5) == "escape"
        os.close(write_fd)
        assert keys.read(0.5) == "quit"
    os.close(read_fd)


def test_earcons_have_their_length_and_are_not_silent() -> None:
    for name, notes in NOTES.items():
        pcm = earcon_pcm(name, 22050)  # type: ignore[arg-type]
        samples = memoryview(pcm).cast("h")
        assert len(samples) == sum(22050 * ms // 1000 for _, ms in notes)
        assert max(samples) > 6000 and min(samples) < -6000
        assert abs(samples[0]) < 500 and abs(samples[-1]) < 500  # faded, no click
    assert earcon_pcm("edge") != earcon_pcm("error")
