"""Braille systems through liblouis (Debian's ``louis`` binding): ``ueb-g2``, ``ueb-g1``, any table by name.

Output is Unicode braille: ``unicode.dis`` is put first in the table list, which also makes
back-translation read Unicode cells. Braille words (cut at blank cells) are paired with the print words,
through liblouis' input positions when the counts differ, so the preview can show print under braille;
they are kept joined (:class:`JoinedWords`) for fast pagination.

liblouis keeps process-wide state (compiled tables, buffers), so every call goes through one module lock;
that lock is the only module-level state here.
"""

from __future__ import annotations

import threading
from types import ModuleType

from accessible_reader.braille.cells import BLANK
from accessible_reader.braille.system import BrailleWord, JoinedWords, Translation
from accessible_reader.errors import EngineUnavailable, InputError

_LOCK = threading.Lock()
HYPHEN = "\u2824"  # ⠤ dots 3-6, the UEB hyphen
HYPHENATE_FROM = 20
"""Words of this many cells or more get hyphenation points: only a word longer than a whole line is
broken, so shorter ones never need them on lines of 20 cells or more (narrower lines cut them hard)."""


def load_louis() -> ModuleType:
    """Import liblouis' Python binding with errors-only logging, or raise EngineUnavailable saying how to fix it."""
    try:
        import louis
    except ImportError:
        raise EngineUnavailable(
            "找不到 liblouis（Python 模块 louis）；请运行 make setup 或 apt-get install python3-louis liblouis-data",
            "liblouis (Python module louis) is missing; run make setup or apt-get install python3-louis liblouis-data",
            "liblouis",
        ) from None
    louis.setLogLevel(louis.LOG_ERROR)
    module: ModuleType = louis
    return module


class LouisSystem:
    """A liblouis table list as a braille system. ``tables`` excludes the display table."""

    six_dot = False

    def __init__(
        self, name: str, tables: tuple[str, ...], language: str, description: str, hyphenation: str = ""
    ) -> None:
        self.name = name
        self.language = language
        self.description = description
        self._louis = load_louis()
        self.tables = ["unicode.dis", *tables]
        self._louis.setLogLevel(self._louis.LOG_OFF)  # a missing table is reported below, not on stderr
        try:
            self._louis.checkTable(self.tables)
        except RuntimeError:
            raise InputError(
                f"liblouis 找不到或无法编译盲文表 {','.join(tables)}",
                f"liblouis cannot find or compile the table {','.join(tables)}",
                "liblouis",
            ) from None
        finally:
            self._louis.setLogLevel(self._louis.LOG_ERROR)
        self.hyphenation = [*self.tables, hyphenation] if hyphenation else []

    def translate(self, text: str) -> Translation:
        """Translate one paragraph; words are the blank-cell-separated stretches of liblouis' output."""
        text = " ".join(text.split())
        if not text:
            return Translation(())
        with _LOCK:  # liblouis keeps per-call buffers in globals
            braille: str = self._louis.translateString(self.tables, text)
        pieces = [piece for piece in braille.split(BLANK) if piece]
        printed = text.split(" ")
        if len(pieces) != len(printed):  # rare: liblouis' input positions map words back to print
            slow = self._translate_with_positions(text).words
            pieces, printed = [w.cells for w in slow], [w.text for w in slow]
        special: dict[int, BrailleWord] = {}
        if self.hyphenation:
            for index, piece in enumerate(pieces):
                if len(piece) >= HYPHENATE_FROM:
                    special[index] = self._hyphenated(BrailleWord(piece, printed[index]))
        return Translation(JoinedWords(pieces, printed, special))

    def _hyphenated(self, word: BrailleWord) -> BrailleWord:
        """Mark where liblouis' hyphenation dictionary lets a long word break (mode 1: on the braille)."""
        try:
            with _LOCK:
                marks: str = self._louis.hyphenate(self.hyphenation, word.cells, 1)
        except RuntimeError:  # a word the dictionary cannot take (digits, symbols): break it anywhere
            return word
        breaks = tuple(i for i, mark in enumerate(marks) if mark == "1" and 1 < i < len(word.cells) - 1)
        return BrailleWord(word.cells, word.text, breaks, HYPHEN)

    def _translate_with_positions(self, text: str) -> Translation:
        """Slower path: liblouis' input positions map each braille word back to its print."""
        with _LOCK:
            braille, in_pos, _out_pos, _cursor = self._louis.translate(self.tables, text)
        words: list[BrailleWord] = []
        start = 0
        length = len(braille)
        while start < length:
            while start < length and braille[start] == BLANK:
                start += 1
            if start >= length:
                break
            end = braille.find(BLANK, start)
            end = length if end < 0 else end
            text_start = in_pos[start] if start < len(in_pos) else len(text)
            text_end = in_pos[end] if end < len(in_pos) else len(text)
            words.append(BrailleWord(braille[start:end], text[text_start:text_end].strip()))
            start = end
        return Translation(tuple(words))

    def back_translate(self, braille: str) -> str:
        """Braille (Unicode cells) → print via liblouis' back-translation."""
        cells = braille.replace(" ", BLANK)
        with _LOCK:
            result: str = self._louis.backTranslateString(self.tables, cells)
        return result
