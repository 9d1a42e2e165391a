"""Chinese braille → orthographic pinyin with tone numbers, for proofreading (pure).

The output has the shape of :meth:`Reading.orthographic_line`: words separated by spaces, syllables
of a word joined (``yin2hang2``), Chinese punctuation kept, Latin words and numbers as print.

Tones left out under GF 0019-2018 are restored from the omission rules (:func:`restored_tone`). A
neutral-tone syllable of an omission class is written like the omitted tone (们 men5 and 门 men2 are
both ⠍⠴), so a few frequent particles are recognised by position (:data:`NEUTRAL_HINTS`); other such
syllables come back with the omitted tone (see docs/braille.md, known gaps).
"""

from __future__ import annotations

from accessible_reader.braille.cells import BLANK
from accessible_reader.braille.chinese import (
    ABBREVIATIONS,
    CAPITAL_SIGN,
    DECIMAL_POINT,
    DIGITS,
    FALLBACK_PREFIX,
    HYPHEN,
    LETTERS,
    LOWER_SIGN,
    NUMBER_COMMA,
    NUMBER_SIGN,
    PUNCTUATION,
)
from accessible_reader.braille.pinyin_cells import (
    FINALS,
    INITIALS,
    TONES,
    ToneStyle,
    combines,
    restored_tone,
    spelled,
)


def _initials_by_cell() -> dict[str, tuple[str, str]]:
    """cell → (initial before a, o, e, u; initial before i, ü): ⠛ → (g, j)."""
    out: dict[str, tuple[str, str]] = {}
    for name, cell in INITIALS.items():
        hard, soft = out.get(cell, (name, name))
        out[cell] = (hard, name) if name in ("j", "q", "x") else (name, soft)
    return out


_INITIAL_OF = _initials_by_cell()
_FINAL_OF = {cell: name for name, cell in FINALS.items() if name != "o"}
_TONE_OF = {cell: tone for tone, cell in TONES.items()}
_DIGIT_OF = {cell: str(i) for i, cell in enumerate(DIGITS)}
_LETTER_OF = {cell: letter for letter, cell in LETTERS.items()}
_APICAL = frozenset({"zh", "ch", "sh", "r", "z", "c", "s"})
_IT = ABBREVIATIONS[("它", "ta1")]
_ABBREVIATED = {cells: syllable for (_, syllable), cells in ABBREVIATIONS.items()}
_PUNCT_OF: dict[str, str] = {}
for _mark, _cells in PUNCTUATION.items():  # the first mark listed for a cell sequence reads back
    _PUNCT_OF.setdefault(_cells, _mark)
_PUNCT_OF.update({PUNCTUATION["？"]: "？", PUNCTUATION["-"]: "：", PUNCTUATION["—"]: "—"})
_PAIRED = {"“": "”", "‘": "’", "【": "】"}
_MARKS = frozenset("".join(PUNCTUATION))
_OPENING_MARKS = frozenset("“‘（《〈【")
_MAX_PUNCT = max(len(c) for c in PUNCTUATION.values())

NEUTRAL_HINTS: dict[str, tuple[str, str]] = {
    "men2": ("last", "men5"),
    "zhe4": ("last", "zhe5"),
    "ma2": ("alone", "ma5"),
    "ne2": ("alone", "ne5"),
    "ba4": ("alone", "ba5"),
    "de4": ("any", "de5"),
}
"""Syllables read back as a neutral-tone particle: at the end of a longer word (们, 着), as a word of
their own (吗, 呢, 吧), or anywhere (de4 is no Mandarin syllable: 地/得 de5)."""


def back_translate(braille: str, style: ToneStyle) -> str:
    """Back-translate Chinese braille (Unicode cells; blank cells, spaces or line breaks between words)."""
    text = braille.replace(" ", BLANK).replace("\n", BLANK).replace("\r", "")
    state = _State()
    out = ""
    for cells in text.split(BLANK):
        if not cells:
            continue
        word = _word(cells, style, state)
        # braille puts a blank cell after ： ！ etc. before an opening mark; the pinyin line does not
        glue = out and out[-1] in _MARKS and word[:1] in _OPENING_MARKS
        out += word if glue or not out else " " + word
    return out


class _State:
    """Which paired marks (“ ” ‘ ’ 【 】) are open, across words."""

    def __init__(self) -> None:
        self.open: set[str] = set()

    def paired(self, mark: str) -> str:
        if mark not in _PAIRED:
            return mark
        if mark in self.open:
            self.open.discard(mark)
            return _PAIRED[mark]
        self.open.add(mark)
        return mark


def _word(cells: str, style: ToneStyle, state: _State) -> str:
    out: list[str] = []
    syllables: list[int] = []  # indexes in out of syllables (for the neutral-tone hints)
    unmarked: set[int] = set()  # … of those whose tone was restored, not written
    i = 0
    n = len(cells)
    word_start = True
    while i < n:
        cell = cells[i]
        if cells.startswith(FALLBACK_PREFIX + NUMBER_SIGN, i):
            digits, i = _digits(cells, i + len(FALLBACK_PREFIX) + 1)
            out.append(chr(int(digits)) if digits.isdigit() and int(digits) < 0x110000 else "?")
        elif cell == NUMBER_SIGN and i + 1 < n and cells[i + 1] in _DIGIT_OF:
            digits, i = _digits(cells, i + 1)
            out.append(digits)
        elif word_start and cell in (LOWER_SIGN, CAPITAL_SIGN) and i + 1 < n and _latin_start(cells, i):
            latin, i = _latin(cells, i)
            out.append(latin)
        elif cells.startswith(_IT, i):  # 它 ⠈⠞ begins with the cell of 、
            out.append("ta1")
            syllables.append(len(out) - 1)
            i += len(_IT)
        elif cell == HYPHEN and out and i + 1 < n and _syllable_start(cells[i + 1]):
            out.append("-")
            i += 1
        else:
            punct = _punct(cells, i)
            if punct is not None:
                mark, i = punct
                out.append(state.paired(mark))
                word_start = mark in "“‘（【《〈"
                continue
            syllable, i, restored = _syllable(cells, i, style)
            out.append(syllable)
            if syllable[-1:].isdigit():
                syllables.append(len(out) - 1)
                if restored:
                    unmarked.add(len(out) - 1)
        word_start = False
    _apply_hints(out, syllables, unmarked)
    return "".join(out)


def _syllable_start(cell: str) -> bool:
    return cell in _INITIAL_OF or cell in _FINAL_OF


def _digits(cells: str, i: int) -> tuple[str, int]:
    out = []
    while i < len(cells):
        cell = cells[i]
        if cell in _DIGIT_OF:
            out.append(_DIGIT_OF[cell])
        elif cell in (DECIMAL_POINT, NUMBER_COMMA) and i + 1 < len(cells) and cells[i + 1] in _DIGIT_OF:
            out.append("." if cell == DECIMAL_POINT else ",")
        else:
            break
        i += 1
    return "".join(out), i


def _latin_start(cells: str, i: int) -> bool:
    j = i + 1
    while j < len(cells) and cells[j] == CAPITAL_SIGN:
        j += 1
    return j < len(cells) and cells[j] in _LETTER_OF


def _latin(cells: str, i: int) -> tuple[str, int]:
    all_caps = cells.startswith(CAPITAL_SIGN * 2, i)
    i += 2 if all_caps else (1 if cells[i] == LOWER_SIGN else 0)
    out = []
    capital = False
    while i < len(cells):
        cell = cells[i]
        if cell == CAPITAL_SIGN and not all_caps:
            capital = True
        elif cell in _LETTER_OF:
            letter = _LETTER_OF[cell]
            out.append(letter.upper() if all_caps or capital else letter)
            capital = False
        else:
            break
        i += 1
    return "".join(out), i


def _punct(cells: str, i: int) -> tuple[str, int] | None:
    for size in range(min(_MAX_PUNCT, len(cells) - i), 0, -1):
        chunk = cells[i : i + size]
        if chunk in _PUNCT_OF:
            if chunk == PUNCTUATION["："] and i + 1 < len(cells) and _syllable_start(cells[i + 1]):
                continue
            return _PUNCT_OF[chunk], i + size
    return None


def _syllable(cells: str, i: int, style: ToneStyle) -> tuple[str, int, bool]:
    """One syllable at ``i``: (tone-numbered pinyin or ``?``, next index, whether the tone was restored)."""
    cell = cells[i]
    nxt = cells[i + 1] if i + 1 < len(cells) else ""
    if cell in _INITIAL_OF:
        hard, soft = _INITIAL_OF[cell]
        if nxt in _FINAL_OF and combines(hard, _FINAL_OF[nxt]):
            final = _FINAL_OF[nxt]
            initial = soft if final[0] in "iv" else hard
            i += 2
        elif style == "gf2018" and (cells[i : i + 2] in _ABBREVIATED or cell in _ABBREVIATED):
            short = cells[i : i + 2] if cells[i : i + 2] in _ABBREVIATED else cell
            return _ABBREVIATED[short], i + len(short), False
        elif hard in _APICAL:
            initial, final = hard, ""
            i += 1
        else:
            return "?", i + 1, False
    elif cell in _FINAL_OF:
        initial, final = "", _FINAL_OF[cell]
        i += 1
        if style == "gf2018" and final == "e" and (i >= len(cells) or cells[i] not in _TONE_OF):
            return "o2", i, True  # GF: o leaves out every tone (哦 ó); e always has its mark
    else:
        return "?", i + 1, False
    restored = not (i < len(cells) and cells[i] in _TONE_OF)
    if restored:
        tone = restored_tone(initial, final, style)
    else:
        tone = _TONE_OF[cells[i]]
        i += 1
    if initial == "m" and final == "e" and tone == 5:
        return "me5", i, restored  # 么 (现行盲文 writes it in full); mo has no neutral-tone reading
    return f"{spelled(initial, final)}{tone}", i, restored


def _apply_hints(out: list[str], syllables: list[int], unmarked: set[int]) -> None:
    if not unmarked:
        return
    alone = len(syllables) == 1
    for index in sorted(unmarked):
        hint = NEUTRAL_HINTS.get(out[index])
        if hint is None:
            continue
        where, replacement = hint
        if where == "any" or (where == "alone" and alone) or (where == "last" and not alone and index == syllables[-1]):
            out[index] = replacement
