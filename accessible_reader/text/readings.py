"""The reading pass shared by speech and Braille: text → tokens with spoken and orthographic pinyin.

``ReadingEngine(lexicon).read(text)`` runs, in order:

1. :func:`~accessible_reader.text.normalize.normalize` (numbers, dates, units, symbols → words);
2. :func:`~accessible_reader.text.runs.split_runs` (Chinese / Latin / digits / punctuation);
3. :class:`~accessible_reader.text.segment.Segmenter` on each Chinese run (jieba + lexicon words),
   then the number and 第 regrouping of :mod:`~accessible_reader.text.wordgroups`;
4. readings per word: the lexicon if it has the word (or a part of it), else pypinyin (phrase
   dictionaries, ``Style.TONE3``, neutral tone as 5), then the polyphone rules of
   :mod:`~accessible_reader.text.polyphones` with the neighbouring words as context;
5. citation tones (一 yi1, 不 bu4) for the orthographic reading and the sandhi of
   :mod:`~accessible_reader.text.sandhi` for the spoken one.
6. segments of four or more characters are cut into the words Braille writes apart
   (:func:`~accessible_reader.text.wordgroups.compound_parts`); the readings are sliced, not redone.

Start-up (dictionary loads) is about half a second after the first run has written jieba's cache.
Readings of words (before context rules) are cached per engine; the cache is dropped when the
lexicon changes. ``read`` may be called from several threads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pypinyin import Style, pinyin

from accessible_reader.text.lexicon import Lexicon, parse_lexicon
from accessible_reader.text.normalize import normalize
from accessible_reader.text.polyphones import PolyphoneRules
from accessible_reader.text.runs import Run, RunKind, split_runs
from accessible_reader.text.sandhi import citation_tones, spoken_tones
from accessible_reader.text.segment import Segmenter
from accessible_reader.text.wordgroups import (
    COMPOUND_MIN,
    compound_parts,
    joints,
    regroup_numerals,
    split_ordinals,
    split_place_names,
)

Joint = Literal[" ", "", "-"]

_DIGIT_PINYIN = dict(
    zip("0123456789", ["ling2", "yi1", "er4", "san1", "si4", "wu3", "liu4", "qi1", "ba1", "jiu3"], strict=True)
)
_DIGIT_STRING = re.compile("([〇零一二三四五六七八九幺]*〇[〇零一二三四五六七八九幺]*|[零一二三四五六七八九幺]{3,})")
"""Digit-by-digit numbers (years with 〇, codes, telephone numbers) are kept out of jieba."""
_HAS_NUMERAL = re.compile("[零〇一二三四五六七八九十百千万亿两幺]")
_OPENING = frozenset("“‘《（(〈「『【〔[{")
_CACHE_LIMIT = 200_000
_SPELL_MAX = 6
"""Upper-case Latin words up to this length are spelled letter by letter (ISBN → I S B N)."""


@dataclass(frozen=True, slots=True)
class Token:
    """One segment of the normalized text with its readings.

    ``kind``: ``zh`` (a jieba word), ``latin`` (a Latin word), ``digit``, ``punct`` or ``space``.
    ``spoken``: what a voice says, one item per syllable (tone-numbered pinyin, 5 = neutral) or per
    spelled letter; empty for punctuation and spaces. ``orthographic``: citation-tone syllables for
    Braille (the Latin word itself for ``latin``). ``word``: index of the orthographic word
    (汉语拼音正词法) the token belongs to; ``joint``: what the orthographic line writes before it
    (``" "`` a new word, ``""`` joined, ``"-"`` hyphen as in dì-sān).
    """

    text: str
    kind: RunKind
    lang: str
    spoken: tuple[str, ...]
    orthographic: tuple[str, ...]
    word: int
    joint: Joint


@dataclass(frozen=True, slots=True)
class Reading:
    """The readings of one text. Joining the tokens' texts gives ``normalized`` back."""

    text: str
    normalized: str
    tokens: tuple[Token, ...]

    def syllables(self) -> list[str]:
        """All spoken items in order (syllables and spelled letters)."""
        return [s for token in self.tokens for s in token.spoken]

    def spoken_line(self) -> str:
        """Spoken reading as space-separated items: ``yin2 hang2 hang2 zhang3``."""
        return " ".join(self.syllables())

    def orthographic_line(self) -> str:
        """Braille reading: words joined, separated by spaces, punctuation kept.

        ``yin2hang2 hang2zhang3 lai2le5。``
        """
        parts: list[str] = []
        for token in self.tokens:
            if token.kind == "space":
                continue
            body = "".join(token.orthographic) if token.kind == "zh" else token.text
            if parts:
                parts.append(token.joint)
            parts.append(body)
        return "".join(parts).strip()

    def citation_line(self) -> str:
        """Citation (dictionary) tones, one item per syllable, no sandhi: ``hai2 ke3 yi3``."""
        items: list[str] = []
        for token in self.tokens:
            items.extend(token.orthographic if token.kind == "zh" else token.spoken)
        return " ".join(items)

    def words(self) -> list[str]:
        """The segmentation: token texts without spaces."""
        return [t.text for t in self.tokens if t.kind != "space"]

    def words_line(self) -> str:
        """The segmentation joined with ``/``: ``银行行长/来/了``."""
        return "/".join(self.words())


class ReadingEngine:
    """Builds :class:`Reading` objects. Construct once per service (start-up loads dictionaries).

    ``lexicon`` is injected; ``segmenter``, ``rules`` and ``phrases`` (the built-in phrase
    readings under the lexicon, ``data/phrases.tsv``) may be injected too. ``cache_dir`` is where
    the segmenter keeps jieba's dictionary cache.
    ``third_tone_sandhi=False`` leaves third tones as they are in the spoken reading.
    """

    def __init__(
        self,
        lexicon: Lexicon,
        *,
        segmenter: Segmenter | None = None,
        rules: PolyphoneRules | None = None,
        phrases: Lexicon | None = None,
        cache_dir: Path | None = None,
        third_tone_sandhi: bool = True,
    ) -> None:
        self.lexicon = lexicon
        self.segmenter = segmenter if segmenter is not None else Segmenter(lexicon, cache_dir=cache_dir)
        if segmenter is not None:
            segmenter.set_words(lexicon)
        self.rules = rules if rules is not None else PolyphoneRules.load()
        self.third_tone_sandhi = third_tone_sandhi
        self.phrases = phrases if phrases is not None else load_builtin_phrases()
        self._cache: dict[str, tuple[tuple[str, ...], frozenset[int]]] = {}
        self._lexicon_version = -1
        self._readings: dict[str, tuple[str, ...]] = {}
        self._lexicon_max = 0
        self._parts: dict[str, tuple[tuple[int, ...], Joint]] = {}
        self._sync_lexicon()

    # --- lexicon ---------------------------------------------------------------------------------

    def reload_lexicon(self) -> bool:
        """Re-read the lexicon file if it changed; True when it did. Errors leave the old one in use."""
        changed = self.lexicon.reload_if_changed()
        self._sync_lexicon()
        return changed

    def _sync_lexicon(self) -> None:
        if self.lexicon.version != self._lexicon_version:
            if self._lexicon_version >= 0:
                self.segmenter.set_words(self.lexicon)
            readings = {word: entry.syllables for word, entry in self.phrases.entries.items()}
            readings.update((word, entry.syllables) for word, entry in self.lexicon.entries.items())
            self._readings = readings
            self._cache = {}
            self._parts = {}
            self._lexicon_version = self.lexicon.version
            self._lexicon_max = max((len(w) for w in readings), default=0)

    # --- words -----------------------------------------------------------------------------------

    def _word(self, word: str) -> tuple[tuple[str, ...], frozenset[int]]:
        """Context-free syllables of a Chinese word, and the positions fixed by the lexicon."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        entry = self._readings.get(word)
        if entry is not None:
            result = (citation_tones(word, entry), frozenset(range(len(word))))
        else:
            syllables = [item[0] for item in pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)]
            if len(syllables) != len(word):  # characters pypinyin cannot read come back grouped
                syllables = [pinyin(c, style=Style.TONE3, neutral_tone_with_five=True)[0][0] for c in word]
            locked: set[int] = set()
            if self._lexicon_max > 1 and len(word) > 1:
                self._overlay_lexicon(word, syllables, locked)
            result = (citation_tones(word, syllables), frozenset(locked))
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache = {}
        self._cache[word] = result
        return result

    def _overlay_lexicon(self, word: str, syllables: list[str], locked: set[int]) -> None:
        """Lexicon words inside a longer segment (鹿寨 in 鹿寨县), longest first, left to right."""
        i = 0
        while i < len(word) - 1:
            for size in range(min(self._lexicon_max, len(word) - i), 1, -1):
                entry = self._readings.get(word[i : i + size])
                if entry is not None:
                    syllables[i : i + size] = entry
                    locked.update(range(i, i + size))
                    i += size
                    break
            else:
                i += 1

    def _read_chinese(self, text: str) -> list[tuple[str, RunKind, tuple[str, ...], tuple[str, ...], Joint]]:
        if _HAS_NUMERAL.search(text):
            cut: list[str] = []
            for index, piece in enumerate(_DIGIT_STRING.split(text)):
                if index % 2:
                    cut.append(piece)  # a year or a code read digit by digit: one segment
                elif piece:
                    cut.extend(self.segmenter.cut_chinese(piece))
            cut = regroup_numerals(split_ordinals(cut))
        else:
            cut = self.segmenter.cut_chinese(text)
        words = split_place_names(cut, self.lexicon)
        rule_chars = self.rules.chars
        citations: list[tuple[str, ...]] = []
        for index, word in enumerate(words):
            syllables, locked = self._word(word)
            if not rule_chars.isdisjoint(word) and len(locked) < len(word):
                syllables = citation_tones(word, self.rules.apply(words, index, syllables, locked))
            citations.append(syllables)
        spoken = spoken_tones(words, citations, third_tone=self.third_tone_sandhi)
        inner: list[Joint | None] = [None] * len(words)
        if any(len(word) >= COMPOUND_MIN for word in words):
            words, spoken, citations, inner = self._split_compounds(words, spoken, citations)
        word_joints = joints(words, citations)
        return [
            (word, "zh", spoken[i], citations[i], inner[i] or _JOINTS[word_joints[i]]) for i, word in enumerate(words)
        ]

    def _compound(self, word: str) -> tuple[tuple[int, ...], Joint]:
        """Piece lengths of a long segment for Braille and the joint between its pieces (cached)."""
        cached = self._parts.get(word)
        if cached is not None:
            return cached
        sizes = tuple(compound_parts(word, self.segmenter.frequency, self.segmenter.total, self.lexicon))
        # GB/T 16159 writes a 2+2 成语 with a hyphen, but jieba's idiom tag also covers plain compounds
        # (今天天气, 幸福生活, 贯彻落实), where a hyphen would be wrong; a space is right for those and only a
        # small deviation for true idioms (丰富多彩 → fēngfù duōcǎi), so every piece is a word of its own.
        joint: Joint = " "
        if len(self._parts) >= _CACHE_LIMIT:
            self._parts = {}
        self._parts[word] = (sizes, joint)
        return sizes, joint

    def _split_compounds(
        self, words: list[str], spoken: list[tuple[str, ...]], citations: list[tuple[str, ...]]
    ) -> tuple[list[str], list[tuple[str, ...]], list[tuple[str, ...]], list[Joint | None]]:
        """Cut long segments into the words Braille writes apart; readings are sliced, not redone.

        The readings (spoken and citation) were made on the whole segment, so only the word
        division changes. ``inner`` is the joint before each later piece (None: decided by
        :func:`joints`).
        """
        out_words: list[str] = []
        out_spoken: list[tuple[str, ...]] = []
        out_citations: list[tuple[str, ...]] = []
        inner: list[Joint | None] = []
        for index, word in enumerate(words):
            sizes: tuple[int, ...] = (len(word),)
            joint: Joint = " "
            if len(word) >= COMPOUND_MIN and len(spoken[index]) == len(citations[index]) == len(word):
                sizes, joint = self._compound(word)
            start = 0
            for size in sizes:
                out_words.append(word[start : start + size])
                out_spoken.append(spoken[index][start : start + size])
                out_citations.append(citations[index][start : start + size])
                inner.append(joint if start else None)
                start += size
        return out_words, out_spoken, out_citations, inner

    # --- text ------------------------------------------------------------------------------------

    def read(self, text: str) -> Reading:
        """Normalize, segment and read ``text``.

        Never raises on odd input: a character with no known reading is kept, as its own reading.
        """
        self._sync_lexicon()
        normalized = normalize(text)
        pieces: list[tuple[str, RunKind, tuple[str, ...], tuple[str, ...], Joint]] = []
        after_opening = False
        for run in split_runs(normalized):
            if run.kind == "zh":
                new = self._read_chinese(run.text)
                if after_opening:
                    first, kind, spoken, orthographic, _ = new[0]
                    new[0] = (first, kind, spoken, orthographic, "")
                pieces.extend(new)
            elif run.kind == "space":
                pieces.append((run.text, "space", (), (), " "))
            elif run.kind == "punct":
                opening = run.text[0] in _OPENING
                joint: Joint = " " if (opening and not after_opening) or not pieces else ""
                pieces.append((run.text, "punct", (), (), joint))
            else:
                pieces.append((run.text, run.kind, _spell(run), (run.text,), "" if after_opening else " "))
            after_opening = run.kind == "punct" and run.text[-1] in _OPENING
        tokens: list[Token] = []
        word_index = -1
        for piece_text, kind, spoken, orthographic, joint in pieces:
            if kind != "space" and (joint == " " or word_index < 0):
                word_index += 1
            tokens.append(Token(piece_text, kind, _LANGS[kind], spoken, orthographic, max(word_index, 0), joint))
        return Reading(text, normalized, tuple(tokens))


_JOINTS: dict[str, Joint] = {" ": " ", "": "", "-": "-"}
_LANGS: dict[RunKind, str] = {"zh": "zh", "latin": "en", "digit": "zh", "punct": "zh", "space": ""}


def load_builtin_phrases() -> Lexicon:
    """The phrase readings shipped with the package (``data/phrases.tsv``)."""
    shipped = resources.files("accessible_reader.text").joinpath("data/phrases.tsv")
    return Lexicon(parse_lexicon(shipped.read_text(encoding="utf-8"), "phrases.tsv"))


def _spell(run: Run) -> tuple[str, ...]:
    """How a non-Chinese run is spoken: digits one by one, short upper-case words letter by letter."""
    if run.kind == "digit":
        return tuple(_DIGIT_PINYIN[d] for d in run.text)
    text = run.text
    if (text.isupper() and len(text) <= _SPELL_MAX) or len(text) == 1:
        return tuple(text)
    return (text,)
