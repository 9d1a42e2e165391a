"""Paths the braille tests share (a plain module: `from conftest import` is ambiguous when several test
folders have a conftest.py)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
SHARED = ROOT.parent / "shared"
