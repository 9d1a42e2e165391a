"""Tone sandhi for the spoken reading (pure).

Applied to one stretch of Chinese text at a time (a run between punctuation, spaces or Latin),
given its words and their citation syllables. Rules, from 《现代汉语词典》 (第7版) 凡例 and the
standard descriptions of Putonghua sandhi:

一 (yi1)
  - stays yi1 at the end of a stretch or of a word (统一, 之一), after 第/初, in numbers read digit by
    digit or after another numeral (二〇一一, 十一, 一一), before 十, before 月/日/号 of a date and
    before 点 + digit (一点五);
  - becomes neutral (yi5) between a repeated verb (看一看);
  - otherwise yi2 before a fourth tone (一个, 一万), yi4 before tones 1-3 (一千, 一年, 一百).
不 (bu4)
  - a lexical neutral tone (差不多 bu5) stays; bu5 between a repeated word (好不好);
  - bu2 before a fourth tone (不是), otherwise bu4.
Third tone
  - inside one word, a third tone before another third tone becomes second (可以 ke2 yi3,
    展览馆 zhan2 lan2 guan3). Across word boundaries the choice depends on phrasing that the
    text does not show, so nothing is changed there (a TTS engine may still apply it).
"""

from __future__ import annotations

from collections.abc import Sequence

DIGIT_CHARS = frozenset("零〇一二三四五六七八九幺")
NUMERAL_CHARS = frozenset("零〇一二三四五六七八九十百千万亿两幺")
_PLACE = frozenset("百千万亿")
_DATE_UNITS = frozenset("月日号")


def _tone(syllable: str) -> str:
    return syllable[-1] if syllable and syllable[-1].isdigit() else ""


def _yi(chars: str, citation: Sequence[str], i: int, word_end: bool, word_len: int) -> str:
    prev = chars[i - 1] if i > 0 else ""
    nxt = chars[i + 1] if i + 1 < len(chars) else ""
    if not nxt or (word_end and word_len > 1):
        return "yi1"
    if prev in ("第", "初") or nxt in DIGIT_CHARS or nxt == "十":
        return "yi1"
    if prev in NUMERAL_CHARS and not (prev in _PLACE and nxt in _PLACE):
        return "yi1"
    if nxt in _DATE_UNITS and (not prev or prev in NUMERAL_CHARS or prev in "年月"):
        return "yi1"
    if nxt == "点" and i + 2 < len(chars) and chars[i + 2] in DIGIT_CHARS:
        return "yi1"
    if prev and nxt == prev and prev not in NUMERAL_CHARS:
        return "yi5"
    return "yi2" if _tone(citation[i + 1]) in ("4", "5") else "yi4"


def _bu(chars: str, citation: Sequence[str], i: int) -> str:
    if citation[i] == "bu5":
        return "bu5"
    prev = chars[i - 1] if i > 0 else ""
    nxt = chars[i + 1] if i + 1 < len(chars) else ""
    if not nxt:
        return "bu4"
    if prev and prev == nxt:
        return "bu5"
    return "bu2" if _tone(citation[i + 1]) == "4" else "bu4"


def citation_tones(chars: str, syllables: Sequence[str]) -> tuple[str, ...]:
    """Undo sandhi that dictionaries write into words: 一 → yi1, 不 → bu4 (neutral tones stay)."""
    if "一" not in chars and "不" not in chars:
        return tuple(syllables)
    out = list(syllables)
    for i, char in enumerate(chars):
        if char == "一" and out[i] in ("yi2", "yi4"):
            out[i] = "yi1"
        elif char == "不" and out[i] == "bu2":
            out[i] = "bu4"
    return tuple(out)


def _third_tone(syllables: tuple[str, ...]) -> tuple[str, ...]:
    """Inside one word, a third tone before a third tone becomes second."""
    if len(syllables) < 2:
        return syllables
    out: list[str] | None = None
    for k in range(len(syllables) - 1):
        if syllables[k][-1:] == "3" and syllables[k + 1][-1:] == "3":
            if out is None:
                out = list(syllables)
            out[k] = syllables[k][:-1] + "2"
    return syllables if out is None else tuple(out)


def spoken_tones(
    words: Sequence[str], citation: Sequence[tuple[str, ...]], *, third_tone: bool = True
) -> list[tuple[str, ...]]:
    """Spoken syllables for a stretch of words, given each word's citation syllables."""
    chars = "".join(words)
    if "一" in chars or "不" in chars:
        flat = [s for syllables in citation for s in syllables]
        spoken = list(flat)
        position = 0
        for word in words:
            for offset, char in enumerate(word):
                i = position + offset
                if char == "一" and flat[i] == "yi1":
                    spoken[i] = _yi(chars, flat, i, offset == len(word) - 1, len(word))
                elif char == "不" and flat[i].startswith("bu"):
                    spoken[i] = _bu(chars, flat, i)
            position += len(word)
        words_spoken: list[tuple[str, ...]] = []
        position = 0
        for word in words:
            words_spoken.append(tuple(spoken[position : position + len(word)]))
            position += len(word)
    else:
        words_spoken = list(citation)
    if not third_tone:
        return words_spoken
    return [_third_tone(syllables) for syllables in words_spoken]
