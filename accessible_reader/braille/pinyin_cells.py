"""Pinyin syllables ↔ Chinese braille cells (声母 + 韵母 + 声调), for 国家通用盲文 and 现行盲文.

Pure, no I/O. Both schemes share the cells of initials and finals (GF 0019-2018 keeps those of the
现行盲文 of GB/T 15720-2008); they differ in how tones are written (:class:`ToneStyle`):

- ``gf2018``: every tone is written except where GF 0019-2018 lets it be left out (省写声调):
  f + 1st tone; p m t n h q c ch r + 2nd tone (not tou); b d l g k j x z zh s sh + 4th tone
  (not le, zi); zero-initial syllables + 4th tone (not yi er wo ye you e); yi 1st, er 2nd,
  wo ye you 3rd; o in any tone. The neutral tone has no mark.
- ``gb2008``: every tone but the neutral one is written (the toned style of GB/T 15720-2008).

Syllables are tone-numbered pinyin (``zhong1``, ``lv4`` or ``lü4``, 5 = neutral).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from accessible_reader.braille.cells import dots

ToneStyle = Literal["gf2018", "gb2008"]

INITIALS: dict[str, str] = {
    "b": dots("12"),
    "p": dots("1234"),
    "m": dots("134"),
    "f": dots("124"),
    "d": dots("145"),
    "t": dots("2345"),
    "n": dots("1345"),
    "l": dots("123"),
    "g": dots("1245"),
    "k": dots("13"),
    "h": dots("125"),
    "j": dots("1245"),
    "q": dots("13"),
    "x": dots("125"),
    "zh": dots("34"),
    "ch": dots("12345"),
    "sh": dots("156"),
    "r": dots("245"),
    "z": dots("1356"),
    "c": dots("14"),
    "s": dots("234"),
}
"""声母. g/j, k/q and h/x share a cell; the final tells them apart (j q x only before i and ü)."""

FINALS: dict[str, str] = {
    "a": dots("35"),
    "o": dots("26"),
    "e": dots("26"),
    "i": dots("24"),
    "u": dots("136"),
    "v": dots("346"),
    "er": dots("1235"),
    "ai": dots("246"),
    "ao": dots("235"),
    "ei": dots("2346"),
    "ou": dots("12356"),
    "ia": dots("1246"),
    "iao": dots("345"),
    "ie": dots("15"),
    "iu": dots("1256"),
    "ua": dots("123456"),
    "uai": dots("13456"),
    "ui": dots("2456"),
    "uo": dots("135"),
    "ve": dots("23456"),
    "an": dots("1236"),
    "ang": dots("236"),
    "en": dots("356"),
    "eng": dots("3456"),
    "ian": dots("146"),
    "iang": dots("1346"),
    "in": dots("126"),
    "ing": dots("16"),
    "uan": dots("12456"),
    "uang": dots("2356"),
    "un": dots("25"),
    "ong": dots("256"),
    "van": dots("12346"),
    "vn": dots("456"),
    "iong": dots("1456"),
}
"""韵母, written as after an initial (ü as v). e and o share a cell."""

TONES: dict[int, str] = {1: dots("1"), 2: dots("2"), 3: dots("3"), 4: dots("23")}
"""阴平 ⠁, 阳平 ⠂, 上声 ⠄, 去声 ⠆. The neutral tone (5) has no mark."""

_ZERO_INITIAL: dict[str, str] = {
    "yi": "i", "ya": "ia", "ye": "ie", "yao": "iao", "you": "iu", "yan": "ian", "yin": "in",
    "yang": "iang", "ying": "ing", "yong": "iong", "yu": "v", "yue": "ve", "yuan": "van", "yun": "vn",
    "wu": "u", "wa": "ua", "wo": "uo", "wai": "uai", "wei": "ui", "wan": "uan", "wen": "un",
    "wang": "uang", "weng": "ong", "n": "en", "ng": "eng", "m": "u", "hm": "en", "yo": "iu",
}  # fmt: skip
"""Zero-initial spellings (y/w) → the final written; 嗯 n/ng and 呣 m/hm get the nearest final."""
_APICAL = frozenset({"zh", "ch", "sh", "r", "z", "c", "s"})
"""Initials written alone for zhi chi shi ri zi ci si."""
_PALATAL = frozenset({"j", "q", "x"})

_OMIT_2 = frozenset({"p", "m", "t", "n", "h", "q", "c", "ch", "r"})
_OMIT_4 = frozenset({"b", "d", "l", "g", "k", "j", "x", "z", "zh", "s", "sh"})
_ZERO_4_KEPT = frozenset({"yi", "er", "wo", "ye", "you", "e"})
_ZERO_OMIT_OTHER = {"yi": 1, "er": 2, "wo": 3, "ye": 3, "you": 3}


@dataclass(frozen=True, slots=True)
class Syllable:
    """A parsed pinyin syllable: ``body`` as spelled (``lve``), ``initial`` (``""`` if none),
    ``final`` as written after an initial (``ve``; ``""`` for zhi chi shi ri zi ci si), ``tone`` 1-5."""

    body: str
    initial: str
    final: str
    tone: int


def parse_syllable(syllable: str) -> Syllable | None:
    """Parse ``zhong1`` / ``lü4`` / ``de5``; ``None`` when it is not a Mandarin syllable."""
    text = syllable.lower().replace("ü", "v").replace("u:", "v")
    tone = 5
    if text and text[-1].isdigit():
        tone = int(text[-1])
        text = text[:-1]
    if not text or not 1 <= tone <= 5 or not text.isascii() or not text.isalpha():
        return None
    initial = text[:2] if text[:2] in ("zh", "ch", "sh") else text[:1]
    if text in _ZERO_INITIAL or text[0] in "aoe" or text in ("hm",):
        final = _ZERO_INITIAL.get(text, text)
        return Syllable(text, "", final, tone) if final in FINALS else None
    if initial not in INITIALS:
        return None
    final = text[len(initial) :]
    if initial in _APICAL and final == "i":
        final = ""
    elif initial in _PALATAL and final.startswith("u"):
        final = "v" + final[1:]
    elif final == "ueng":
        final = "ong"
    if final and (final not in FINALS or not combines(initial, final)):
        return None
    if not final and initial not in _APICAL:
        return None
    return Syllable(text, initial, final, tone)


def combines(initial: str, final: str) -> bool:
    """Can ``initial`` precede ``final`` in one syllable? (g/k/h stand for the shared cells' j/q/x too.)

    zhi chi shi ri zi ci si are written with the initial alone, so an apical initial never takes a
    final in i or ü (志愿 ⠌⠯ is zhi4 yuan4); b p m f d t never precede ü.
    """
    if initial in _APICAL:
        return final[0] not in "iv"
    if initial in ("b", "p", "m", "f", "d", "t"):
        return not final.startswith("v")
    return True


def tone_omitted(syllable: Syllable) -> bool:
    """GF 0019-2018: may this syllable's tone mark be left out? (Never for the neutral tone: it has none.)"""
    tone, initial, body = syllable.tone, syllable.initial, syllable.body
    if tone == 5:
        return False
    if initial == "f":
        return tone == 1
    if initial in _OMIT_2:
        return tone == 2 and body != "tou"
    if initial in _OMIT_4:
        return tone == 4 and body not in ("le", "zi")
    if initial:
        return False
    if body == "o":
        return True
    if tone == 4:
        return body not in _ZERO_4_KEPT
    return _ZERO_OMIT_OTHER.get(body) == tone


def syllable_cells(syllable: Syllable, style: ToneStyle) -> str:
    """The cells of one syllable: initial, final, then the tone mark unless ``style`` leaves it out."""
    cells = (INITIALS[syllable.initial] if syllable.initial else "") + (
        FINALS[syllable.final] if syllable.final else ""
    )
    if syllable.tone == 5 or (style == "gf2018" and tone_omitted(syllable)):
        return cells
    return cells + TONES[syllable.tone]


def restored_tone(initial: str, final: str, style: ToneStyle) -> int:
    """The tone a syllable written without a tone mark has (back-translation): 5 unless GF omitted one.

    ``initial`` is the pinyin initial already told apart (``q`` not ``k``), ``final`` as in :data:`FINALS`.
    """
    if style != "gf2018":
        return 5
    if not initial and final == "o":
        return 2  # o leaves out every tone; 哦 ó is the common one
    body = spelled(initial, final)
    for tone in (1, 2, 3, 4):
        parsed = parse_syllable(f"{body}{tone}")
        if parsed is not None and tone_omitted(parsed):
            return tone
    return 5


_SPELL_ZERO = {final: body for body, final in _ZERO_INITIAL.items() if body not in ("n", "ng", "m", "hm", "yo")}


def spelled(initial: str, final: str) -> str:
    """The pinyin spelling of an initial and a final: (``j``, ``v``) → ``ju``; (``""``, ``ui``) → ``wei``."""
    if not initial:
        return _SPELL_ZERO.get(final, final).replace("v", "ü") if final in _SPELL_ZERO else final
    if not final:
        return initial + "i"
    if initial in _PALATAL and final.startswith("v"):
        return initial + "u" + final[1:]
    if initial in ("b", "p", "m", "f") and final == "e":
        return initial + "o"
    return initial + final
