"""The Chinese braille systems ``gf2018`` (国家通用盲文, GF 0019-2018) and ``gb2008`` (现行盲文, GB/T 15720-2008).

Translation is driven by the reading layer, so polyphones and word division match the speech:

1. Arabic numbers are cut out of the print first and written as braille numbers (number sign ⠼ and
   the letters a-j, ⠄ decimal point, ⠂ thousands comma); a number followed by % is left to the
   reading layer (百分之…).
2. Every other stretch goes through :meth:`ReadingEngine.read`; each token's orthographic syllables
   become cells (:mod:`~accessible_reader.braille.pinyin_cells`), with the six abbreviations of
   GF 0019-2018 (的 ⠙, 么 ⠍, 你 ⠝, 他 ⠞, 她 ⠞⠁, 它 ⠈⠞) for ``gf2018``.
3. Words are divided as the reading layer divides them (``Token.word``/``joint``) plus the join rules
   of ``data/word_rules.tsv``; a hyphen (dì-sān) is ⠤.
4. Punctuation from :data:`PUNCTUATION`; Latin words get ⠰ (lower case) or ⠠ / ⠠⠠ (capital / all
   capitals); numbers and Latin words are separated from Chinese by a blank cell.
5. A character with no braille (no reading, an unknown symbol) is written ⠸⠸ + its code point as a
   braille number (six-dot, reversible) and listed in :attr:`Translation.unknown`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from accessible_reader.braille.cells import BLANK, dots
from accessible_reader.braille.pinyin_cells import ToneStyle, parse_syllable, syllable_cells
from accessible_reader.braille.system import BrailleWord, JoinedWords, Translation
from accessible_reader.braille.wordrules import WordRules, apply_joins
from accessible_reader.text.readings import ReadingEngine, Token

DIGITS = "⠚⠁⠃⠉⠙⠑⠋⠛⠓⠊"
"""Digits 0-9 after the number sign: the cells of the letters j, a-i."""
NUMBER_SIGN = dots("3456")
DECIMAL_POINT = dots("3")
NUMBER_COMMA = dots("2")
HYPHEN = dots("36")
FALLBACK_PREFIX = dots("456-456")
"""⠸⠸: the next braille number is the code point of a character that has no braille."""
LOWER_SIGN = dots("56")
CAPITAL_SIGN = dots("6")
LETTERS = dict(zip("abcdefghijklmnopqrstuvwxyz", "⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚⠅⠇⠍⠝⠕⠏⠟⠗⠎⠞⠥⠧⠺⠭⠽⠵", strict=True))

ABBREVIATIONS: dict[tuple[str, str], str] = {
    ("的", "de5"): dots("145"),
    ("么", "me5"): dots("134"),
    ("你", "ni3"): dots("1345"),
    ("他", "ta1"): dots("2345"),
    ("她", "ta1"): dots("2345-1"),
    ("它", "ta1"): dots("4-2345"),
}
"""GF 0019-2018 简写: six frequent words written with fewer cells (``gf2018`` only)."""

PUNCTUATION: dict[str, str] = {
    "。": dots("5-23"),
    "，": dots("5"),
    "、": dots("4"),
    "；": dots("56"),
    "？": dots("5-3"),
    "！": dots("56-2"),
    "：": dots("36"),
    "“": dots("45"),
    "”": dots("45"),
    "‘": dots("45-45"),
    "’": dots("45-45"),
    "（": dots("56-3"),
    "）": dots("6-23"),
    "【": dots("56-23"),
    "】": dots("56-23"),
    "《": dots("5-36"),
    "》": dots("36-2"),
    "〈": dots("5-3"),
    "〉": dots("6-2"),
    "——": dots("6-36-6-36"),
    "—": dots("6-36"),
    "……": dots("5-5-5"),
    "…": dots("5-5-5"),
    "·": dots("4-16"),
    "～": dots("5-6-2"),
    "~": dots("5-6-2"),
    "/": dots("456-34"),
    "-": dots("36"),
}
"""Chinese punctuation (cells as in liblouis zhcn-cbs.ctb; see docs/braille.md)."""

_ASCII_PUNCT = {
    ",": "，",
    ".": "。",
    "?": "？",
    "!": "！",
    ":": "：",
    ";": "；",
    "(": "（",
    ")": "）",
    "[": "【",
    "]": "】",
}
_OPENING = frozenset("“‘（《〈【([")
_WORD_CACHE_LIMIT = 200_000
BREAKS_FROM = 12
"""Braille words of this many cells or more keep their syllable breaks (``BrailleWord.breaks``): only a
word longer than a whole line is ever broken, and no line is narrower than 12 cells."""
_NUMBER_LINKS = frozenset({"-", "/", "～", "~", "—", "－"})
"""A number after one of these (978-7, 3/4, 3～5) is joined to it."""
_NUMBER = re.compile(r"(?P<pct>\d+(?:\.\d+)?\s?[%‰％])|(?P<num>\d+(?:[.,]\d+)*)")


@dataclass(slots=True)
class _Word:
    """A word on its way to braille: print text, cells, kind, and whether a blank cell precedes it."""

    text: str
    cells: str
    kind: str
    spaced: bool
    inner: tuple[int, ...] = ()  # syllable boundaries inside ``cells``


class ChineseBraille:
    """``gf2018`` or ``gb2008`` (see the module docstring). Thread-safe after construction."""

    language = "zh"
    six_dot = True

    def __init__(self, style: ToneStyle, reading: ReadingEngine, rules: WordRules | None = None) -> None:
        self.name: str = style
        self.style: ToneStyle = style
        self.description = (
            "国家通用盲文方案 GF 0019-2018" if style == "gf2018" else "现行盲文 GB/T 15720-2008（全标调）"
        )
        self.reading = reading
        self.rules = rules if rules is not None else WordRules.load()
        self._syllables: dict[str, str | None] = {}
        self._words: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[int, ...], tuple[str, ...]]] = {}

    # --- forward ---------------------------------------------------------------------------------

    def translate(self, text: str) -> Translation:
        """Translate one paragraph; never raises on odd input (unknown characters are reported)."""
        unknown: list[str] = []
        words: list[_Word] = []
        for kind, piece in _pieces(text):
            if kind == "num":
                joined = _after_opening(words) or (bool(words) and words[-1].text in _NUMBER_LINKS)
                words.append(_Word(piece, _number_cells(piece), "num", not joined))
            else:
                self._read_piece(piece, words, unknown)
        spaced = apply_joins(self.rules, [w.text for w in words], [w.spaced for w in words])
        pieces: list[str] = []
        texts: list[str] = []
        special: dict[int, BrailleWord] = {}
        cells: list[str] = []
        printed: list[str] = []
        breaks: list[int] = []

        def close() -> None:
            """End a braille word; one long enough to need breaking keeps its syllable breaks."""
            piece = "".join(cells)
            if len(piece) >= BREAKS_FROM and breaks:
                special[len(pieces)] = BrailleWord(piece, "".join(printed), tuple(breaks))
            pieces.append(piece)
            texts.append("".join(printed))

        size = 0
        for word, space in zip(words, spaced, strict=True):
            if space and cells:
                close()
                cells, printed, breaks, size = [], [], [], 0
            if size and word.kind != "punct":
                breaks.append(size)
            if word.inner:
                breaks.extend([size + offset for offset in word.inner])
            cells.append(word.cells)
            printed.append(word.text)
            size += len(word.cells)
        if cells:
            close()
        return Translation(JoinedWords(pieces, texts, special), tuple(dict.fromkeys(unknown)))

    def _read_piece(self, piece: str, words: list[_Word], unknown: list[str]) -> None:
        first = True
        for token in self.reading.read(piece).tokens:
            if token.kind == "space":
                continue
            if token.kind == "punct":
                for part in _punct_parts(token.text):
                    spaced = part[0] in _OPENING and bool(words) and not _after_opening(words)
                    words.append(_Word(part, _punct_cells(part, unknown), "punct", spaced))
                first = False
                continue
            inner: tuple[int, ...] = ()
            if token.kind == "zh":
                cells, inner = self._chinese_word(token, unknown)
            else:
                cells = _latin_cells(token.text) if token.kind == "latin" else _number_cells(token.text)
            if not words or _after_opening(words):
                spaced = False
            elif token.kind != "zh" or words[-1].kind in ("num", "latin", "digit"):
                spaced = True  # numbers and Latin words stand apart from Chinese
            elif first:
                spaced = True
            else:
                spaced = token.joint == " "
                if token.joint == "-":
                    cells = HYPHEN + cells
                    inner = tuple(offset + 1 for offset in inner)
            words.append(_Word(token.text, cells, token.kind, spaced, inner))
            first = False

    def _chinese_word(self, token: Token, unknown: list[str]) -> tuple[str, tuple[int, ...]]:
        """Cells of a Chinese token and the offsets between its syllables (cached: books repeat words)."""
        key = (token.text, token.orthographic)
        cached = self._words.get(key)
        if cached is not None:
            cells, inner, missing = cached
            unknown.extend(missing)
            return cells, inner
        missing_here: list[str] = []
        parts = self._chinese_parts(token, missing_here)
        result = ("".join(parts), tuple(itertools.accumulate(len(p) for p in parts[:-1])), tuple(missing_here))
        if len(self._words) >= _WORD_CACHE_LIMIT:
            self._words.clear()
        self._words[key] = result
        unknown.extend(missing_here)
        return result[0], result[1]

    def _chinese_parts(self, token: Token, unknown: list[str]) -> list[str]:
        """The cells of each syllable of a Chinese token (abbreviations and fallbacks included)."""
        syllables = token.orthographic
        if len(syllables) != len(token.text):
            return [_fallback(c, unknown) for c in token.text]
        parts: list[str] = []
        for char, syllable in zip(token.text, syllables, strict=True):
            if self.style == "gf2018":
                short = ABBREVIATIONS.get((char, syllable))
                if short is not None:
                    parts.append(short)
                    continue
            cells = self._syllables.get(syllable, "")
            if cells == "":
                parsed = parse_syllable(syllable)
                cells = syllable_cells(parsed, self.style) if parsed is not None else None
                self._syllables[syllable] = cells
            parts.append(cells if cells is not None else _fallback(char, unknown))
        return parts

    # --- backward --------------------------------------------------------------------------------

    def back_translate(self, braille: str) -> str:
        """Braille → orthographic pinyin with tone numbers (omitted tones restored); see ``chinese_back``."""
        from accessible_reader.braille.chinese_back import back_translate

        return back_translate(braille, self.style)


def _pieces(text: str) -> Iterator[tuple[str, str]]:
    """Cut ``text`` into ("num", digits) and ("text", other) pieces; line breaks become spaces."""
    text = text.replace("\r", " ").replace("\n", " ")
    start = 0
    for match in _NUMBER.finditer(text):
        if match.group("num") is None:
            continue
        if match.start() > start:
            yield "text", text[start : match.start()]
        yield "num", match.group()
        start = match.end()
    if start < len(text):
        yield "text", text[start:]


def _punct_parts(text: str) -> list[str]:
    """Split a run of punctuation before each opening mark that follows another mark: ”！（ → ”！, （."""
    parts = [text[0]]
    for char in text[1:]:
        if char in _OPENING and parts[-1][-1] not in _OPENING:
            parts.append(char)
        else:
            parts[-1] += char
    return parts


def _after_opening(words: list[_Word]) -> bool:
    return bool(words) and words[-1].kind == "punct" and words[-1].text[-1] in _OPENING


def _number_cells(number: str) -> str:
    cells = [NUMBER_SIGN]
    for char in number:
        if char.isdigit():
            cells.append(DIGITS[int(char)])
        elif char == ".":
            cells.append(DECIMAL_POINT)
        elif char == ",":
            cells.append(NUMBER_COMMA)
    return "".join(cells)


def _latin_cells(word: str) -> str:
    letters = [c for c in word if c.isascii() and c.isalpha()]
    if len(letters) != len(word):
        return "".join(_latin_cells(c) if c.isascii() and c.isalpha() else _fallback(c, []) for c in word)
    if len(word) > 1 and word.isupper():
        return CAPITAL_SIGN * 2 + "".join(LETTERS[c.lower()] for c in word)
    out = [] if word[0].isupper() else [LOWER_SIGN]
    for char in word:
        out.append((CAPITAL_SIGN if char.isupper() else "") + LETTERS[char.lower()])
    return "".join(out)


def _punct_cells(text: str, unknown: list[str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in PUNCTUATION:
            out.append(PUNCTUATION[pair])
            i += 2
            continue
        char = _ASCII_PUNCT.get(text[i], text[i])
        out.append(PUNCTUATION[char] if char in PUNCTUATION else _fallback(text[i], unknown))
        i += 1
    return "".join(out)


def _fallback(char: str, unknown: list[str]) -> str:
    """⠸⠸ + the code point as a braille number: six-dot, and the back-translation restores the character."""
    if char.isspace():
        return BLANK
    unknown.append(char)
    return FALLBACK_PREFIX + _number_cells(str(ord(char)))
