"""``accessible-reader speak`` and ``voices`` through the real command line app."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accessible_reader.audio.encode import probe
from accessible_reader.cli import app
from accessible_reader.tts.edge import EdgeEngine

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ACCESSIBLE_READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACCESSIBLE_READER_LANGUAGE", "en")
    return tmp_path


@pytest.mark.slow
def test_speak_text(env: Path) -> None:
    out = env / "hello.mp3"
    result = CliRunner().invoke(app, ["speak", "你好，世界😀。Hello.", "-o", str(out), "--rate", "120"])
    assert result.exit_code == 0, result.output
    assert "Written" in result.output and "😀" in result.output
    info = probe(out)
    assert info["codec"] == "mp3" and info["channels"] == 1 and float(info["duration_s"]) > 1.0  # type: ignore[arg-type]


@pytest.mark.slow
def test_speak_file_with_offline_edge_falls_back(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*_args: object, **_kwargs: object) -> object:
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    out = env / "guide.mp3"
    book = REPO / "content" / "books" / "reading-room-guide.txt"
    result = CliRunner().invoke(app, ["speak", str(book), "-o", str(out), "--engine", "edge", "--speed", "3"])
    assert result.exit_code == 0, result.output
    assert "edge cannot be used" in result.output and "using espeak" in result.output
    assert out.stat().st_size > 10_000
    assert [p.name for p in env.iterdir() if p.suffix != ""] == ["guide.mp3"]  # no 0-byte or temp file left


def test_edge_check_gives_up_on_slow_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    def slow_dns(*_args: object, **_kwargs: object) -> object:
        time.sleep(3)
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", slow_dns)
    availability = EdgeEngine(dns_timeout_s=0.5).check()
    assert not availability.ok and "did not answer within 0.5 s" in availability.reason


def test_edge_check_gives_up_when_the_name_resolves_but_nothing_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    def dropped(*_args: object, **_kwargs: object) -> object:  # a firewall that drops packets
        time.sleep(3)
        raise TimeoutError("timed out")

    monkeypatch.setattr(socket, "create_connection", dropped)
    started = time.monotonic()
    availability = EdgeEngine(dns_timeout_s=0.5).check()
    assert not availability.ok and "did not answer within 0.5 s" in availability.reason
    assert time.monotonic() - started < 1.5


def test_speak_refuses_bad_output_and_unknown_engine(env: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(app, ["speak", "你好", "-o", str(env / "x.wav")])
    assert bad.exit_code == 2 and ".mp3" in bad.output and "Traceback" not in bad.output
    unknown = runner.invoke(app, ["speak", "你好", "-o", str(env / "x.mp3"), "--engine", "nope"])
    assert unknown.exit_code == 3 and "known: edge, neural-zh, espeak" in unknown.output
    assert not (env / "x.mp3").exists()


def test_voices_lists_engines_with_reasons(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*_args: object, **_kwargs: object) -> object:
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    result = CliRunner().invoke(app, ["voices"])
    assert result.exit_code == 0, result.output
    assert "espeak: available" in result.output and "cmn-latn-pinyin" in result.output
    assert "edge: not available" in result.output and "Name or service not known" in result.output
