"""Where a listener is in a book, and how DAISY-style navigation moves it. Pure, no I/O.

The book is flattened into its sentences in reading order; a position is an index into them.
Each sentence knows its section, block and print page, so "next paragraph", "next heading" and
"next page" are searches over that list. Times are book time in seconds at speed 1.0, from a
per-sentence duration (an estimate from the text length until measured audio exists: see
:func:`estimate_seconds`); divide by the playback speed for wall-clock time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from itertools import accumulate

from accessible_reader.document.model import BlockKind, Book, Sentence


class Level(StrEnum):
    """Navigation levels, finest first (the DAISY player's level chooser)."""

    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    PAGE = "page"


LEVELS = tuple(Level)

_CJK_SECONDS = 1 / 4.5  # Mandarin speech at espeak-ng's normal rate: about 4.5 characters per second
_OTHER_SECONDS = 1 / 14.0  # English: about 14 characters per second


def estimate_seconds(sentence: Sentence) -> float:
    """Spoken length of ``sentence`` at speed 1.0, estimated from its characters (seconds, > 0)."""
    cjk = sum(1 for ch in sentence.text if "\u3400" <= ch <= "\u9fff")
    other = sum(1 for ch in sentence.text if ch.isalnum()) - cjk
    return max(0.3, cjk * _CJK_SECONDS + other * _OTHER_SECONDS)


@dataclass(frozen=True, slots=True)
class Stop:
    """One sentence in reading order with what it belongs to."""

    sentence: Sentence
    section: int
    block: int  # index of the block in the whole book
    page: str | None  # print page the sentence is on, if the book has page numbers


class BookCursor:
    """A position in one book plus the navigation level. Not thread-safe; one per player.

    Moves return True when the position changed and False at the start/end of the book
    (the caller plays the edge earcon and says ``book_start`` / ``book_end``).
    """

    def __init__(self, book: Book, duration: Callable[[Sentence], float] = estimate_seconds) -> None:
        self.book = book
        stops: list[Stop] = []
        page: str | None = None
        block_index = 0
        for section_index, section in enumerate(book.sections):
            for block in section.blocks:
                if block.kind is BlockKind.PAGE_BREAK:
                    page = block.page_number
                for sentence in block.sentences:
                    stops.append(Stop(sentence, section_index, block_index, page))
                block_index += 1
        self.stops = tuple(stops)
        self._starts = [0.0, *accumulate(duration(s.sentence) for s in self.stops)]
        self.index = 0
        self.level = Level.SENTENCE

    @property
    def stop(self) -> Stop:
        """The current sentence and where it is; IndexError for a book without sentences."""
        return self.stops[self.index]

    @property
    def total_seconds(self) -> float:
        """Length of the book at speed 1.0."""
        return self._starts[-1]

    @property
    def elapsed_seconds(self) -> float:
        """Book time before the current sentence, at speed 1.0."""
        return self._starts[self.index]

    def section_title(self) -> str:
        """Title of the current section ("" for the implicit leading section)."""
        return self.book.sections[self.stop.section].title

    def go_to_sentence(self, sentence_id: str) -> bool:
        """Jump to the sentence with this id; False when the book has none."""
        for i, stop in enumerate(self.stops):
            if stop.sentence.id == sentence_id:
                self.index = i
                return True
        return False

    def go_to_page(self, page: str) -> bool:
        """Jump to the first sentence on print page ``page``; False when there is no such page."""
        for i, stop in enumerate(self.stops):
            if stop.page == page:
                self.index = i
                return True
        return False

    def change_level(self, step: int) -> Level:
        """Move the level chooser by ``step`` (+1 coarser, -1 finer), clamped; returns the level."""
        position = min(max(LEVELS.index(self.level) + step, 0), len(LEVELS) - 1)
        self.level = LEVELS[position]
        return self.level

    def move(self, direction: int) -> bool:
        """Next (+1) or previous (-1) unit at the current level.

        Previous goes to the start of the current unit when inside it, else the unit before
        (as DAISY players do for headings and pages; for sentences it is simply the one before).
        """
        key = self._unit_key(self.level)
        if direction > 0:
            current = key(self.stops[self.index])
            for i in range(self.index + 1, len(self.stops)):
                if key(self.stops[i]) != current:
                    self.index = i
                    return True
            return False
        start = self._unit_start(self.index, key)
        if start < self.index and self.level is not Level.SENTENCE:
            self.index = start
            return True
        if start == 0:
            return False
        self.index = self._unit_start(start - 1, key)
        return True

    def move_sentence_forward(self) -> bool:
        """The next sentence whatever the level (continuous reading); False at the end."""
        if self.index + 1 >= len(self.stops):
            return False
        self.index += 1
        return True

    def skip_seconds(self, seconds: float) -> bool:
        """Move by ``seconds`` of book time (negative = back) to the sentence playing then."""
        target = min(max(self.elapsed_seconds + seconds, 0.0), self.total_seconds)
        index = min(max(bisect_right(self._starts, target) - 1, 0), len(self.stops) - 1)
        changed = index != self.index
        self.index = index
        return changed

    def _unit_start(self, index: int, key: Callable[[Stop], object]) -> int:
        current = key(self.stops[index])
        while index > 0 and key(self.stops[index - 1]) == current:
            index -= 1
        return index

    @staticmethod
    def _unit_key(level: Level) -> Callable[[Stop], object]:
        if level is Level.SENTENCE:
            return lambda stop: stop.sentence.id
        if level is Level.PARAGRAPH:
            return lambda stop: stop.block
        if level is Level.HEADING:
            return lambda stop: stop.section
        return lambda stop: stop.page
