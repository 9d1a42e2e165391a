"""doctor's checks against the real components of this machine, and its verdict logic."""

from __future__ import annotations

import pytest

from accessible_reader import doctor
from accessible_reader.doctor import ComponentStatus, offline_core_ok


def test_real_offline_core_is_found() -> None:
    for check in (doctor.check_espeak, doctor.check_liblouis, doctor.check_ffmpeg):
        status = check()
        assert status.ok, status
        assert status.required


def test_espeak_reports_its_mandarin_pinyin_voice() -> None:
    assert "cmn-latn-pinyin" in doctor.check_espeak().detail


def test_missing_program_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    status = doctor.check_ffmpeg()
    assert not status.ok and status.fix == "apt-get install ffmpeg"


def test_optional_components_never_break_the_core() -> None:
    statuses = [
        ComponentStatus("espeak-ng", True, ""),
        ComponentStatus("PortAudio", False, "no device", required=False),
        ComponentStatus("network (edge-tts)", False, "offline", required=False),
    ]
    assert offline_core_ok(statuses)
    assert not offline_core_ok([*statuses, ComponentStatus("ffmpeg", False, "missing")])


def test_network_check_answers_within_its_timeout() -> None:
    import time

    start = time.monotonic()
    status = doctor.check_network(timeout=1.0)
    assert time.monotonic() - start < 5
    assert not status.required
