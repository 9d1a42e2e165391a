"""The navigation plan every talking-book format is built from (pure: no I/O except ``Path.is_file``).

A :class:`Book` and its :class:`BookAudio` become a list of :class:`Part`: one navigable unit each, with the
synchronisation points (:class:`Par`) of its heading and sentences. A part is one section of the book, except
for text without headings (the implicit section): it is cut into one part per ``paragraphs_per_part``
paragraphs, so a book with no headings is still navigable. DAISY 2.02 makes one SMIL per part, EPUB 3 one
content document and Media Overlay per part, MP3 folders one track (or several, for long parts) per part.

Timing: every par starts at the measured start of its clip and runs to the measured start of the next clip
of the same audio file (the last one to the end of the file), so the pauses between sentences are heard and
players never skip audio. All times are seconds (float) from the start of the section's MP3 file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from accessible_reader.audio.book_audio import BookAudio, SectionAudio
from accessible_reader.document.model import Block, BlockKind, Book, Section
from accessible_reader.export.errors import AudioMismatchError, MissingAudioError

DEFAULT_PARAGRAPHS_PER_PART = 10
"""Paragraphs per navigable part when a book (or its opening) has no headings."""

_TOLERANCE_S = 0.05
_ROMAN = re.compile(r"^[ivxlcdm]+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Par:
    """One synchronisation point: a document node (``h…`` or ``s…``) and its span in an audio file (seconds)."""

    node_id: str
    audio: int
    begin_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class AudioFile:
    """One section's MP3 as the exports use it: ``name`` is its file name inside the export."""

    section_id: str
    source: Path
    name: str
    duration_s: float
    size: int | None = None  # as recorded by the speech layer (see SectionAudio)
    crc32: int | None = None


@dataclass(frozen=True, slots=True)
class Part:
    """One navigable unit (a section, or a run of paragraphs of a section without heading).

    ``number`` counts from 1 in reading order; ``level`` is 1-6, starts at 1 and never skips a level;
    ``heading_id`` is the section's heading id when this part starts with a real heading.
    """

    number: int
    level: int
    title: str
    section: Section
    blocks: tuple[Block, ...]
    heading_id: str | None
    pars: tuple[Par, ...]

    @property
    def id(self) -> str:
        """A stable, XML-safe id for files and anchors: ``part0001``."""
        return f"part{self.number:04d}"

    @property
    def duration_s(self) -> float:
        """Seconds of audio played for this part."""
        return sum(p.end_s - p.begin_s for p in self.pars)


@dataclass(frozen=True, slots=True)
class PageMark:
    """A print page: its number as printed, its kind, the part holding it and the par a reader jumps to."""

    block_id: str
    number: str
    kind: str  # "front" (roman numerals), "normal" (arabic), "special" (anything else)
    part: int  # Part.number
    target_part: int  # Part.number of the par jumped to
    target_node: str  # node id of that par


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """Everything the writers need: the book, its audio files, parts and print pages, in reading order."""

    book: Book
    audio: BookAudio
    files: tuple[AudioFile, ...]
    parts: tuple[Part, ...]
    pages: tuple[PageMark, ...]

    @property
    def total_s(self) -> float:
        """Total seconds of audio played through all parts."""
        return sum(p.duration_s for p in self.parts)

    def used_files(self) -> list[AudioFile]:
        """The audio files some par plays, in reading order (a section with nothing to read has none)."""
        used = sorted({par.audio for part in self.parts for par in part.pars})
        return [self.files[i] for i in used]

    def elapsed_before(self, part: Part) -> float:
        """Seconds played before ``part`` starts."""
        return sum(p.duration_s for p in self.parts[: part.number - 1])

    def page_kind_counts(self) -> dict[str, int]:
        """How many front, normal and special pages the book has."""
        counts = {"front": 0, "normal": 0, "special": 0}
        for page in self.pages:
            counts[page.kind] += 1
        return counts

    def max_page_normal(self) -> int:
        """The highest arabic page number (0 without normal pages)."""
        return max((int(p.number) for p in self.pages if p.kind == "normal"), default=0)


def page_kind(number: str) -> str:
    """``front`` for roman numerals, ``normal`` for arabic numbers, ``special`` for anything else."""
    if number.isdigit():
        return "normal"
    if _ROMAN.match(number):
        return "front"
    return "special"


def clip_title(text: str, limit: int = 24) -> str:
    """A navigation title from a sentence: at most ``limit`` characters, with an ellipsis when cut."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def plan_export(book: Book, audio: BookAudio, *, paragraphs_per_part: int = DEFAULT_PARAGRAPHS_PER_PART) -> ExportPlan:
    """Check ``audio`` against ``book`` and build the navigation plan.

    Raises :class:`MissingAudioError` listing every section (or file) without audio, and
    :class:`AudioMismatchError` when clips name unknown nodes or run past their file's duration.
    """
    by_section = {s.section_id: s for s in audio.sections}
    missing: list[str] = []
    for section in book.sections:
        section_audio = by_section.get(section.id)
        if section_audio is None:
            missing.append(section.id + (f" ({clip_title(section.title, 16)})" if section.title else ""))
        elif not section_audio.path.is_file():
            missing.append(f"{section.id}: {section_audio.path}")
    if missing:
        raise MissingAudioError(missing, book.metadata.title)

    problems: list[str] = []
    files: list[AudioFile] = []
    timed: dict[str, dict[str, Par]] = {}
    for index, section in enumerate(book.sections):
        section_audio = by_section[section.id]
        files.append(
            AudioFile(
                section.id,
                section_audio.path,
                f"{section.id}.mp3",
                section_audio.duration_s,
                section_audio.size,
                section_audio.crc32,
            )
        )
        timed[section.id] = _pars(section, section_audio, index, problems)
    if problems:
        raise AudioMismatchError(problems, book.metadata.title)

    parts: list[Part] = []
    carried: tuple[Block, ...] = ()  # page breaks of a part with nothing to read go to the next part
    previous_level = 0
    for section in book.sections:
        level = min(section.level, previous_level + 1)
        for title, blocks, heading_id in _split(book, section, paragraphs_per_part):
            node_ids = ([heading_id] if heading_id else []) + [s.id for b in blocks for s in b.sentences]
            if not node_ids:
                carried += blocks
                continue
            pars = tuple(timed[section.id][n] for n in node_ids if n in timed[section.id])
            if not pars:
                missing.append(f"{section.id}: {', '.join(node_ids[:3])}")
            parts.append(Part(len(parts) + 1, level, title, section, carried + blocks, heading_id, pars))
            carried = ()
            previous_level = level
    if missing:
        raise MissingAudioError(missing, book.metadata.title)
    if not parts:
        raise MissingAudioError([book.id + " (no text)"], book.metadata.title)
    if carried:
        parts[-1] = replace(parts[-1], blocks=parts[-1].blocks + carried)
    return ExportPlan(book, audio, tuple(files), tuple(parts), _pages(parts))


def _pars(section: Section, audio: SectionAudio, index: int, problems: list[str]) -> dict[str, Par]:
    known = {section.id} | {s.id for s in section.sentences()}
    clips = sorted(audio.clips, key=lambda c: c.start_s)
    pars: dict[str, Par] = {}
    for position, clip in enumerate(clips):
        if clip.node_id not in known:
            problems.append(f"{section.id}/{clip.node_id}")
            continue
        if clip.start_s < 0 or clip.end_s < clip.start_s or clip.end_s > audio.duration_s + _TOLERANCE_S:
            problems.append(
                f"{section.id}/{clip.node_id} {clip.start_s:.3f}-{clip.end_s:.3f}s > {audio.duration_s:.3f}s"
            )
            continue
        end = clips[position + 1].start_s if position + 1 < len(clips) else audio.duration_s
        end = max(end, clip.start_s)
        pars[clip.node_id] = Par(clip.node_id, index, clip.start_s, end)
    return pars


def _split(book: Book, section: Section, paragraphs_per_part: int) -> list[tuple[str, tuple[Block, ...], str | None]]:
    """(title, blocks, heading id) of each part of ``section``."""
    if not section.implicit:
        return [(section.title, section.blocks, section.id)]
    text_blocks = sum(1 for b in section.blocks if b.kind is not BlockKind.PAGE_BREAK)
    if text_blocks <= paragraphs_per_part:
        return [(book.metadata.title, section.blocks, None)]
    groups: list[list[Block]] = [[]]
    count = 0
    for block in section.blocks:
        if block.kind is not BlockKind.PAGE_BREAK:
            if count == paragraphs_per_part:
                groups.append([])
                count = 0
            count += 1
        groups[-1].append(block)
    result: list[tuple[str, tuple[Block, ...], str | None]] = []
    for group in groups:
        first = next((s.text for b in group for s in b.sentences), book.metadata.title)
        result.append((clip_title(first), tuple(group), None))
    return result


def _pages(parts: list[Part]) -> tuple[PageMark, ...]:
    """Each page break, linked to the next par in reading order (the last par of the book at the very end)."""
    pending: list[tuple[Block, int]] = []
    pages: list[PageMark] = []

    def resolve(part: int, node: str) -> None:
        for block, holder in pending:
            number = block.page_number or ""
            pages.append(PageMark(block.id, number, page_kind(number), holder, part, node))
        pending.clear()

    for part in parts:
        timed = {p.node_id for p in part.pars}
        if part.heading_id in timed and part.heading_id is not None:
            resolve(part.number, part.heading_id)
        for block in part.blocks:
            if block.kind is BlockKind.PAGE_BREAK:
                pending.append((block, part.number))
                continue
            for sentence in block.sentences:
                if sentence.id in timed:
                    resolve(part.number, sentence.id)
    if pending and parts:
        resolve(parts[-1].number, parts[-1].pars[-1].node_id)
    return tuple(pages)


def format_clock(seconds: float) -> str:
    """``h:mm:ss.mmm`` (EPUB media:duration clock value)."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def format_hms(seconds: float) -> str:
    """``hh:mm:ss`` rounded to the second (DAISY ncc:totalTime, ncc:timeInThisSmil)."""
    total = round(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
