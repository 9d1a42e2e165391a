"""Embosser output: CUPS queues (with stand-in lp/lpstat scripts), device paths, dry runs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from accessible_reader.braille.emboss import list_queues, send_to_queue, write_to_device
from accessible_reader.errors import DeviceError, EngineUnavailable, InputError


def _script(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_without_cups_the_message_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EngineUnavailable) as info:
        list_queues()
    assert "cups" in info.value.message_en.lower()


def test_queues_and_raw_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "lp.log"
    _script(tmp_path, "lpstat", 'echo "embosser accepting requests since Mon"\necho "office accepting requests"\n')
    _script(tmp_path, "lp", f'echo "$@" > {log}\necho "request id is embosser-7 (1 file(s))"\n')
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert list_queues() == ["embosser", "office"]
    brf = tmp_path / "book.brf"
    brf.write_bytes(b"ABC\r\n")
    result = send_to_queue(brf, "embosser")
    assert "embosser-7" in result.job
    assert log.read_text().split() == ["-d", "embosser", "-o", "raw", "--", str(brf)]
    log.unlink()
    assert send_to_queue(brf, "embosser", dry_run=True).dry_run
    assert not log.exists()
    with pytest.raises(InputError):
        send_to_queue(brf, "-x")


def test_refused_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _script(tmp_path, "lp", 'echo "lp: The printer or class does not exist." >&2\nexit 1\n')
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    brf = tmp_path / "book.brf"
    brf.write_bytes(b"A\r\n")
    with pytest.raises(DeviceError) as info:
        send_to_queue(brf, "nosuch")
    assert "does not exist" in info.value.message_en


def test_device_write_and_dry_run(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    assert write_to_device(b"ABC", device, dry_run=True).dry_run
    assert not device.exists()
    write_to_device(b"ABC", device)
    assert device.read_bytes() == b"ABC"
    with pytest.raises(DeviceError):
        write_to_device(b"ABC", tmp_path / "missing" / "lp0")
