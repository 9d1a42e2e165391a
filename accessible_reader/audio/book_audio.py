"""The hand-over between speech and the talking-book exporters: a book's audio with measured clips.

Speech (``tts/`` + ``audio/``) produces a :class:`BookAudio`; exporters (``export/``) consume it and never
re-synthesize. Times are seconds (float) from the start of the section's audio file, taken from the marks
the engine measured, never estimated.
"""

from __future__ import annotations

import mmap
import zlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Clip:
    """The span of one document node (a sentence id ``s…``, or a heading ``h…``) in a section's audio."""

    node_id: str
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class SectionAudio:
    """One section's audio file (MP3) and its clips, in document order, non-overlapping, inside ``duration_s``.

    ``size`` and ``crc32`` (optional) are the file's byte size and CRC-32 as its producer wrote it, so a ZIP
    writer (EPUB) need not read every byte again; a consumer ignores them when the file's size differs.
    """

    section_id: str
    path: Path
    duration_s: float
    clips: tuple[Clip, ...]
    size: int | None = None
    crc32: int | None = None


@dataclass(frozen=True, slots=True)
class BookAudio:
    """A whole book's audio: one :class:`SectionAudio` per section of the document, in order.

    ``narrator`` names the engine and voice (for DAISY ``ncc:narrator``); ``sample_rate`` and
    ``bitrate_kbps`` describe every file. ``skipped`` lists characters no voice could say (left out);
    ``problems`` the runs an engine failed on and which engine took them over (both empty when
    all went well; added by speech, optional for other producers).
    """

    book_id: str
    sections: tuple[SectionAudio, ...]
    narrator: str
    sample_rate: int
    bitrate_kbps: int
    skipped: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def total_duration_s(self) -> float:
        """Sum of every section's duration, in seconds."""
        return sum(section.duration_s for section in self.sections)


def file_crc32(path: Path) -> tuple[int, int]:
    """``(size, CRC-32)`` of the file at ``path``, read through a memory map (zlib releases the GIL)."""
    with path.open("rb") as handle:
        size = path.stat().st_size
        if size == 0:
            return 0, 0
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return size, zlib.crc32(mapped)
