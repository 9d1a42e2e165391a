"""The braille-system extension point: one small Protocol, the result types, and the registry.

A :class:`BrailleSystem` turns print text into braille *words* (cells with the print text they came
from, so a preview can show each braille line over its print line) and back-translates braille for
proofreading. Systems are named in an explicit registry (:data:`SYSTEM_NAMES`, :func:`build_system`);
any other name is taken as a liblouis table list (``en-us-g2.ctb`` or ``unicode.dis,de-g2.ctb``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Protocol, overload

from accessible_reader.braille.cells import BLANK

if TYPE_CHECKING:
    from accessible_reader.text.readings import ReadingEngine


class BrailleWord(NamedTuple):
    """One unbreakable braille word: ``cells`` (no blank cell inside) and the print ``text`` it renders.

    Line breaking happens only between words, so a syllable never loses its tone mark and a Chinese
    word (分词连写) is never split unless it is longer than a whole line. (A NamedTuple: a book makes
    hundreds of thousands of them.)
    """

    cells: str
    text: str
    breaks: tuple[int, ...] = ()
    """Cell offsets where a word longer than a line may be broken (between syllables, or where the
    hyphenation dictionary allows); empty: anywhere. Filled only for words long enough to need it
    (Chinese: 12 cells or more, English: 20 or more)."""
    hyphen: str = ""
    """Cells written at the end of the line when the word is broken at one of ``breaks`` (UEB: ⠤)."""


@dataclass(frozen=True, slots=True)
class Translation:
    """The braille of one paragraph: words in order, and the characters that had no braille.

    ``unknown`` lists each character written with the documented fallback (see docs/braille.md), in
    order of first appearance, so a job log can report them.
    """

    words: Sequence[BrailleWord]
    unknown: tuple[str, ...] = ()

    @property
    def cells(self) -> str:
        """The paragraph as one line: words separated by one blank cell."""
        if isinstance(self.words, JoinedWords):
            return self.words.joined
        return BLANK.join(word.cells for word in self.words)


class JoinedWords(Sequence[BrailleWord]):
    """Words held as one string of cells joined by single blank cells, with their print texts.

    What liblouis returns, kept as it is: :class:`BrailleWord` objects are made only when asked for, and
    the paginator wraps ``joined`` directly (a book has hundreds of thousands of words). ``special``
    holds the words that carry more than cells and text (hyphenation points), by index.
    """

    __slots__ = ("_pieces", "joined", "longest", "special", "texts")

    def __init__(self, pieces: list[str], texts: list[str], special: dict[int, BrailleWord] | None = None) -> None:
        if len(pieces) != len(texts) or not all(pieces):
            raise ValueError("one non-empty piece of cells per print text")
        self._pieces = pieces
        self.texts = texts
        self.special = special or {}
        self.joined = BLANK.join(pieces)
        self.longest = max(map(len, pieces), default=0)

    def __len__(self) -> int:
        return len(self._pieces)

    @overload
    def __getitem__(self, index: int) -> BrailleWord: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[BrailleWord]: ...

    def __getitem__(self, index: int | slice) -> BrailleWord | Sequence[BrailleWord]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        word = self.special.get(index)
        return word if word is not None else BrailleWord(self._pieces[index], self.texts[index])


class BrailleSystem(Protocol):
    """A braille code. Implementations are cheap to call and safe to share between threads.

    ``name`` is the registry name, ``language`` a BCP 47 tag, ``six_dot`` whether every cell it
    produces is a six-dot cell (required of the Chinese systems).
    """

    name: str
    description: str
    language: str
    six_dot: bool

    def translate(self, text: str) -> Translation:
        """Translate one paragraph of print (no line breaks expected; they are treated as spaces)."""
        ...

    def back_translate(self, braille: str) -> str:
        """Braille (Unicode cells, blank cell or space between words) → print, or pinyin for Chinese."""
        ...


SYSTEM_NAMES: tuple[str, ...] = ("gf2018", "gb2008", "ueb-g2", "ueb-g1")
"""Registered systems, default first. Any other name is tried as a liblouis table list."""

DEFAULT_SYSTEM = "gf2018"


def build_system(name: str, reading: Callable[[], ReadingEngine] | None = None) -> BrailleSystem:
    """Construct the system called ``name``.

    ``reading`` supplies the shared :class:`ReadingEngine` for the Chinese systems (called at most once;
    construct the engine once per service and pass ``lambda: engine``). Raises ``InputError`` for an
    unknown name and ``EngineUnavailable`` when liblouis is missing.
    """
    from accessible_reader.braille.chinese import ChineseBraille
    from accessible_reader.braille.louis_system import LouisSystem
    from accessible_reader.errors import InputError

    factories: dict[str, Callable[[], BrailleSystem]] = {
        "gf2018": lambda: ChineseBraille("gf2018", _engine(reading, name)),
        "gb2008": lambda: ChineseBraille("gb2008", _engine(reading, name)),
        "ueb-g2": lambda: LouisSystem(
            "ueb-g2", ("en-ueb-g2.ctb",), "en", "Unified English Braille, contracted", "hyph_en_US.dic"
        ),
        "ueb-g1": lambda: LouisSystem(
            "ueb-g1", ("en-ueb-g1.ctb",), "en", "Unified English Braille, uncontracted", "hyph_en_US.dic"
        ),
    }
    factory = factories.get(name)
    if factory is not None:
        return factory()
    tables = tuple(part.strip() for part in name.split(",") if part.strip())
    if not tables or not all(_looks_like_table(t) for t in tables):
        raise InputError(
            f"没有名为“{name}”的盲文体系；可用：{'、'.join(SYSTEM_NAMES)}，或 liblouis 表名（如 en-us-g2.ctb）",
            f"no braille system called '{name}'; use one of {', '.join(SYSTEM_NAMES)} or a liblouis table name "
            "(e.g. en-us-g2.ctb)",
        )
    return LouisSystem(name, tables, "und", f"liblouis table {name}")


_TABLE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*\.(?:ctb|utb|tbl|cti|uti|dis|dic)")


def _looks_like_table(name: str) -> bool:
    """A liblouis table file name as found in its tables folder (no paths)."""
    return _TABLE_NAME.fullmatch(name) is not None


def _engine(reading: Callable[[], ReadingEngine] | None, name: str) -> ReadingEngine:
    if reading is None:
        from accessible_reader.errors import InputError

        raise InputError(
            f"盲文体系 {name} 需要读音引擎（程序错误：未传入 ReadingEngine）",
            f"braille system {name} needs the reading engine (programming error: no ReadingEngine passed)",
        )
    return reading()
