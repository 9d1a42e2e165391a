"""`accessible-reader serve` and `accessible-reader staff-add` as staff run them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accessible_reader.cli import app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_staff_add_then_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESSIBLE_READER_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    added = runner.invoke(app, ["staff-add", "zhang", "--role", "desk", "--password", "long enough pw"])
    assert added.exit_code == 0, added.output
    assert added.output.split("\t")[1:] == ["zhang", "desk\n"]
    again = runner.invoke(app, ["staff-add", "zhang", "--role", "desk", "--password", "long enough pw"])
    assert again.exit_code == 2 and "user name taken" in again.output
    short = runner.invoke(app, ["staff-add", "li", "--password", "short"])
    assert short.exit_code == 2


@pytest.mark.slow
def test_serve_starts_on_the_data_dir_and_publishes_openapi(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "ACCESSIBLE_READER_DATA_DIR": str(tmp_path), "ACCESSIBLE_READER_JOB_WORKERS": "1"}
    command = [sys.executable, "-m", "accessible_reader.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        health = None
        while time.monotonic() < deadline and health is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1) as response:
                    health = json.load(response)
            except OSError:
                time.sleep(0.2)
        assert health == {"status": "ok", "records": 0, "queued_jobs": 0}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=5) as response:
            spec = json.load(response)
        assert "/api/search" in spec["paths"] and "/api/jobs/{job_id}/events" in spec["paths"]
        assert (tmp_path / "catalog.sqlite3").exists() and (tmp_path / "secret.key").exists()
        assert oct((tmp_path / "secret.key").stat().st_mode & 0o777) == "0o600"
    finally:
        process.terminate()
        process.wait(10)
