"""Word grouping for the orthographic (Braille) reading, after GB/T 16159-2012 《汉语拼音正词法基本规则》.

jieba's segments are the starting point. On top of them (only rules that need no part-of-speech
tagging are applied):

- 6.1.5.4 / 6.3.5.3: 第 and 初 are joined to the numeral after them with a hyphen (dì-sān, chū-wǔ);
- 6.3.5.2: in numbers, 百/千 join the digit before them and 万/亿 join a single digit before them but
  stand apart after a number of two or more characters; 零 stands alone
  (一万两千三百四十五 → yīwàn liǎngqiān sānbǎi sìshíwǔ, 十二亿 → shí'èr yì);
- 6.3.10.1: the aspect particles 了 and 着 (neutral tone) are joined to the word before them;
  the plural suffix 们 likewise (6.3.4.3);
- 6.3.10.2: the structural particles 的, 地, 得 stand apart (the standard also allows joining them
  to a single-syllable word; they are kept apart here, the main rule);
- 6.3.2 (地名): the proper part of a place name and its generic part stand apart (Lùzhài Xiàn):
  a segment made of a lexicon name plus 省/市/县/区/镇/乡/村 is split;
- 总原则 (GB/T 16159-1996 4.1.3, kept in 2012): names of four or more syllables that express one
  concept are written word by word (无缝钢管 wúfèng gāngguǎn, 中华人民共和国 Zhōnghuá Rénmín
  Gònghéguó); those that cannot be divided into words are written joined (红十字会 hóngshízìhuì,
  研究生院 yánjiūshēngyuàn). A jieba segment of four or more characters is cut into dictionary
  words of two or more characters (:func:`compound_parts`); a lexicon word is never cut;
- 成语: the standard hyphenates an idiom that reads as two two-syllable words (风平浪静 fēngpíng-làngjìng);
  jieba's idiom tag is too noisy for that (it marks 今天天气), so such pieces are divided by a space
  (see ReadingEngine._compound); an idiom that does not divide is written joined (胸有成竹 xiōngyǒuchéngzhú).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from math import log

from accessible_reader.text.sandhi import NUMERAL_CHARS

_ORDINAL_PREFIXES = ("第", "初")
_PLACE_GENERICS = frozenset("省市县区镇乡村")
_NUMERAL_STANDALONE = frozenset("零〇")
_ATTACHED_SUFFIXES = frozenset({"们"})
_ASPECT_PARTICLES = {"了": "le5", "着": "zhe5"}


_NUMERAL_STRING = "".join(sorted(NUMERAL_CHARS))


def _is_numeral(word: str) -> bool:
    return bool(word) and not word.strip(_NUMERAL_STRING)


def split_ordinals(words: Sequence[str]) -> list[str]:
    """Split 第/初 + numeral (+ rest) out of jieba segments: 第三章 → 第, 三, 章."""
    out: list[str] = []
    for word in words:
        if len(word) > 1 and word.startswith(_ORDINAL_PREFIXES):
            end = 1
            while end < len(word) and word[end] in NUMERAL_CHARS:
                end += 1
            if end > 1:
                out.append(word[0])
                out.append(word[1:end])
                if end < len(word):
                    out.append(word[end:])
                continue
        out.append(word)
    return out


def _number_groups(number: str) -> list[str]:
    groups: list[str] = []
    current = ""
    has_place = any(c in "十百千万亿" for c in number)
    for char in number:
        if char in _NUMERAL_STANDALONE and has_place:
            if current:
                groups.append(current)
            groups.append(char)
            current = ""
        elif char in "万亿":
            if len(current) <= 1:
                groups.append(current + char)
            else:
                groups.append(current)
                groups.append(char)
            current = ""
        else:
            current += char
            if char in "百千":
                groups.append(current)
                current = ""
    if current:
        groups.append(current)
    return groups


def regroup_numerals(words: Sequence[str]) -> list[str]:
    """Re-split runs of numeral segments by the number rules above.

    A single segment of one or two characters is left alone, so words that are written with
    numerals (千万 'by all means', 万一 'in case') keep their segmentation.
    """
    out: list[str] = []
    i = 0
    while i < len(words):
        if not _is_numeral(words[i]):
            out.append(words[i])
            i += 1
            continue
        j = i
        while j < len(words) and _is_numeral(words[j]):
            j += 1
        number = "".join(words[i:j])
        if j - i == 1 and len(number) <= 2:
            out.append(number)
        else:
            out.extend(_number_groups(number))
        i = j
    return out


def _is_aspect_particle(word: str, syllables: Sequence[str]) -> bool:
    return bool(syllables) and _ASPECT_PARTICLES.get(word) == syllables[0]


def joints(words: Sequence[str], citations: Sequence[Sequence[str]]) -> list[str]:
    """What is written before each word in the orthographic line: ``" "``, ``""`` or ``"-"``.

    The first word gets ``" "``; the caller decides what a stretch starts with.
    """
    out: list[str] = []
    for index, word in enumerate(words):
        prev = words[index - 1] if index else ""
        if index and prev in _ORDINAL_PREFIXES and _is_numeral(word):
            out.append("-")
        elif index and (word in _ATTACHED_SUFFIXES or _is_aspect_particle(word, citations[index])):
            out.append("")
        else:
            out.append(" ")
    return out


def split_place_names(words: Sequence[str], names: Container[str]) -> list[str]:
    """Split 鹿寨县 → 鹿寨, 县 when 鹿寨 is in ``names`` (the lexicon)."""
    if not any(len(word) > 2 and word[-1] in _PLACE_GENERICS for word in words):
        return list(words)
    out: list[str] = []
    for word in words:
        if len(word) > 2 and word[-1] in _PLACE_GENERICS and word[:-1] in names:
            out.append(word[:-1])
            out.append(word[-1])
        else:
            out.append(word)
    return out


COMPOUND_MIN = 4
"""Segments of at least this many characters are cut into words for Braille (总原则, 四音节以上)."""


def compound_parts(word: str, frequency: Callable[[str], int], total: int, names: Container[str] = ()) -> list[int]:
    """Lengths of the words a long segment is written as: 无缝钢管 → [2, 2]; [len(word)] when whole.

    ``frequency`` gives a dictionary word's count (0: not a word) and ``total`` the sum of the
    counts (the segmenter's jieba dictionary). A segment of :data:`COMPOUND_MIN` or more
    characters is cut along jieba's most probable path through it with the segment itself left
    out (so the fewest, most common words: 银行行长 → 银行 + 行长), but only when every piece is a
    word of two or more characters; otherwise it stays whole (拖拉机手 → 拖拉机 + 手: whole,
    红十字会: whole). Pieces of :data:`COMPOUND_MIN` or more characters are cut again
    (环境保护规划 → 环境保护 + 规划 → 环境 + 保护 + 规划). No cut is made inside a word of
    ``names`` (the lexicon), and a number is never cut.
    """
    n = len(word)
    if n < COMPOUND_MIN or word in names or _is_numeral(word):
        return [n]
    blocked = [False] * (n + 1)  # blocked[k]: no cut before word[k]
    for start in range(n - 1):
        for end in range(start + 2, n + 1):
            if (start, end) != (0, n) and word[start:end] in names:
                for k in range(start + 1, end):
                    blocked[k] = True
    log_total = log(max(total, 2))
    best = [-1e300] * (n + 1)
    best[n] = 0.0
    following = [n] * (n + 1)
    for start in range(n - 1, -1, -1):
        if blocked[start]:
            continue
        for end in range(start + 1, n + 1):
            if (start, end) == (0, n) or best[end] <= -1e300:
                continue
            count = frequency(word[start:end])
            if count <= 0 and end - start > 1:
                continue
            score = log(max(count, 1)) - log_total + best[end]
            if score >= best[start]:  # ties go to the longer piece, as in jieba
                best[start] = score
                following[start] = end
    if best[0] <= -1e300:
        return [n]
    sizes: list[int] = []
    start = 0
    while start < n:
        sizes.append(following[start] - start)
        start = following[start]
    if min(sizes) < 2:
        return [n]
    out: list[int] = []
    start = 0
    for size in sizes:
        piece = word[start : start + size]
        out.extend(compound_parts(piece, frequency, total, names) if size >= COMPOUND_MIN else [size])
        start += size
    return out
