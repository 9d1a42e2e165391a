"""Fixtures for the exporter tests: the sample book and its audio (see ``export_helpers``)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from export_helpers import make_audio, sample_book

from accessible_reader.audio.book_audio import BookAudio, SectionAudio
from accessible_reader.document.model import Book

if shutil.which("ffmpeg") is None:  # pragma: no cover - ffmpeg is a required system package
    pytest.skip("ffmpeg is not installed (scripts/setup.sh installs it)", allow_module_level=True)


@pytest.fixture
def book() -> Book:
    return sample_book()


@pytest.fixture(scope="session")
def _sample_audio(tmp_path_factory: pytest.TempPathFactory) -> BookAudio:
    return make_audio(sample_book(), tmp_path_factory.mktemp("speech"))


@pytest.fixture
def audio(_sample_audio: BookAudio, tmp_path: Path) -> BookAudio:
    """The sample book's audio, copied into this test's folder (tests may delete or replace files)."""
    folder = tmp_path / "speech"
    folder.mkdir()
    sections = []
    for section in _sample_audio.sections:
        path = folder / section.path.name
        shutil.copyfile(section.path, path)
        sections.append(SectionAudio(section.section_id, path, section.duration_s, section.clips))
    return dataclasses.replace(_sample_audio, sections=tuple(sections))
