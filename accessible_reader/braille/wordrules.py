"""Extra word-division rules for Chinese braille (分词连写), kept as data: ``data/word_rules.tsv``.

The reading layer already divides words after GB/T 16159 (了/着/们 joined, 的/地/得 apart, numbers
split at 百/千/万/亿, 第 + numeral hyphenated). Braille adds joins on top, one rule a line::

    set   NAME    A|B|C                          a named word list, used as @NAME
    join  LEFT    RIGHT   EXAMPLE   EXPECTED  NOTE

``join`` writes the word RIGHT joined to the word LEFT before it. LEFT/RIGHT are ``A|B`` (exact words),
``@NAME`` (a set) or ``@numeral`` (a word made only of numeral characters). EXAMPLE and EXPECTED
(the orthographic pinyin of the braille, words separated by spaces) are checked by the tests, so
a transcriber who adds a rule adds its proof with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from accessible_reader.errors import InputError
from accessible_reader.text.sandhi import NUMERAL_CHARS

_NUMERALS = "".join(sorted(NUMERAL_CHARS))


@dataclass(frozen=True, slots=True)
class JoinRule:
    """Join a word matching ``right`` to the word before it when that one matches ``left``."""

    left: frozenset[str] | None  # None: any numeral word
    right: frozenset[str] | None
    example: str
    expected: str
    note: str

    def matches(self, left: str, right: str) -> bool:
        """Does the pair of words (print text) fall under this rule?"""
        return _match(self.left, left) and _match(self.right, right)


def _match(words: frozenset[str] | None, word: str) -> bool:
    if words is None:
        return bool(word) and not word.strip(_NUMERALS)
    return word in words


@dataclass(frozen=True, slots=True)
class WordRules:
    """The join rules of one rules file, in file order."""

    joins: tuple[JoinRule, ...]

    def joined(self, left: str, right: str) -> bool:
        """True when ``right`` is written joined to ``left`` (some rule matches)."""
        return any(rule.matches(left, right) for rule in self.joins)

    def right_words(self) -> frozenset[str] | None:
        """Every word some rule may join to the word before it; None when a rule takes any numeral."""
        words: set[str] = set()
        for rule in self.joins:
            if rule.right is None:
                return None
            words |= rule.right
        return frozenset(words)

    @classmethod
    def load(cls, text: str | None = None, source: str = "word_rules.tsv") -> WordRules:
        """Parse a rules file (the shipped one when ``text`` is None). Raises InputError naming the line."""
        if text is None:
            text = resources.files("accessible_reader.braille").joinpath("data/word_rules.tsv").read_text("utf-8")
        sets: dict[str, frozenset[str] | None] = {"numeral": None}
        joins: list[JoinRule] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = line.split("\t")
            try:
                if fields[0] == "set" and len(fields) >= 3:
                    sets[fields[1]] = frozenset(w for w in fields[2].split("|") if w)
                elif fields[0] == "join" and len(fields) >= 5:
                    left, right = _words(fields[1], sets), _words(fields[2], sets)
                    joins.append(JoinRule(left, right, fields[3], fields[4], fields[5] if len(fields) > 5 else ""))
                else:
                    raise KeyError(fields[0])
            except KeyError as error:
                raise InputError(
                    f"分词连写规则第 {number} 行无法理解（{error}）：{line}",
                    f"word-division rule line {number} cannot be understood ({error}): {line}",
                    source,
                ) from None
        return cls(tuple(joins))


def _words(spec: str, sets: dict[str, frozenset[str] | None]) -> frozenset[str] | None:
    if spec.startswith("@"):
        return sets[spec[1:]]
    return frozenset(w for w in spec.split("|") if w)


def apply_joins(rules: WordRules, words: Sequence[str], spaced: Sequence[bool]) -> list[bool]:
    """``spaced[i]`` says whether word i starts a new braille word; return it with the rules applied."""
    out = list(spaced)
    candidates = rules.right_words()
    for i in range(1, len(words)):
        if out[i] and (candidates is None or words[i] in candidates) and rules.joined(words[i - 1], words[i]):
            out[i] = False
    return out
