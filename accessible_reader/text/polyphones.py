r"""Context rules for polyphonic characters, kept as data (``data/polyphone_rules.tsv``).

pypinyin's phrase dictionary reads most polyphones right inside words (银行, 行走); what it cannot
know is the reading of a polyphone that jieba leaves as a word of its own (跑/得/快, 我/得/走,
还/书) or inside a word its dictionary lacks. Each rule says: this character reads so when the
word and its neighbours look like this.

File format (TSV, ``#`` comments)::

    char	reading	when	example	source

``when`` is one or more conditions joined by `` & ``, all of which must hold:

- ``word=A|B``: the word (jieba's segment) holding the character is A or B;
- ``prev=A|B``, ``next=A|B``: the word before / after is A or B (``^`` = none before, ``$`` = none
  after, within the same stretch of Chinese text);
- ``word~RE``, ``prev~RE``, ``next~RE``: the word matches the regular expression (``re.search``);
- ``left~RE``: the text of the (up to twelve) words before matches (以读者为中心: ``left~以[^，。]*$``);
- ``!=`` and ``!~`` negate.

The first rule that matches, in file order, gives the reading; when none matches the reading from
pypinyin (or the lexicon) stays. Rules never change characters read from the lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from accessible_reader.errors import InputError
from accessible_reader.text.lexicon import SYLLABLE

Condition = Callable[[tuple[str, str, str, str]], bool]
"""(word, prev, next, left) -> bool"""

_CONDITION = re.compile(r"(word|prev|next|left)\s*(!=|!~|=|~)\s*(.+)")
_FIELDS = {"word": 0, "prev": 1, "next": 2, "left": 3}
LEFT_WORDS = 12
"""``left`` is the text of up to this many words before the word (for patterns like 以…为…)."""


@dataclass(frozen=True, slots=True)
class PolyphoneRule:
    """One line of the rules file."""

    char: str
    reading: str
    when: str
    example: str
    source: str
    line: int
    test: Condition


def _compile_condition(text: str, where: str) -> Condition:
    match = _CONDITION.fullmatch(text.strip())
    if not match:
        raise InputError(
            f"条件“{text}”看不懂；应写成 word=…、prev=…、next=…（或 ~ 正则、!= 、!~）",
            f"cannot read condition {text!r}; write word=…, prev=…, next=… (or ~regex, !=, !~)",
            where,
        )
    field, operator, value = match.groups()
    index = _FIELDS[field]
    negate = operator.startswith("!")
    if operator.endswith("~"):
        try:
            pattern = re.compile(value)
        except re.error as error:
            raise InputError(
                f"正则表达式“{value}”有错：{error}", f"bad regular expression {value!r}: {error}", where
            ) from error

        def test_regex(context: tuple[str, str, str, str]) -> bool:
            return (pattern.search(context[index]) is not None) != negate

        return test_regex
    options = frozenset("" if v in ("^", "$") else v for v in value.split("|"))

    def test_set(context: tuple[str, str, str, str]) -> bool:
        return (context[index] in options) != negate

    return test_set


def _compile_when(when: str, where: str) -> Condition:
    tests = [_compile_condition(part, where) for part in when.split("&") if part.strip()]

    def test_all(context: tuple[str, str, str, str]) -> bool:
        return all(t(context) for t in tests)

    return test_all


def parse_rules(text: str, source: str) -> list[PolyphoneRule]:
    """Parse the rules file; raise :class:`InputError` naming ``source:line`` on the first bad line."""
    rules: list[PolyphoneRule] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source}:{number}"
        columns = line.split("\t")
        if len(columns) < 3:
            raise InputError(
                "每行至少要有 3 列：字、读音、条件", "each line needs at least 3 columns: char, reading, when", where
            )
        char, reading, when = (c.strip() for c in columns[:3])
        example = columns[3].strip() if len(columns) > 3 else ""
        origin = columns[4].strip() if len(columns) > 4 else ""
        if len(char) != 1:
            raise InputError(f"“{char}”应是一个字", f"{char!r} must be a single character", where)
        if not SYLLABLE.fullmatch(reading):
            raise InputError(
                f"读音“{reading}”应是带调号数字的拼音，如 hang2",
                f"reading {reading!r} must be tone-numbered pinyin such as hang2",
                where,
            )
        if not when:
            raise InputError("条件不能为空", "the condition column must not be empty", where)
        rules.append(PolyphoneRule(char, reading, when, example, origin, number, _compile_when(when, where)))
    return rules


class PolyphoneRules:
    """The rules by character, applied to one word at a time with its neighbours."""

    def __init__(self, rules: Sequence[PolyphoneRule]) -> None:
        by_char: dict[str, list[PolyphoneRule]] = {}
        for rule in rules:
            by_char.setdefault(rule.char, []).append(rule)
        self._by_char = {c: tuple(rs) for c, rs in by_char.items()}
        self.chars = frozenset(self._by_char)
        self.rules = tuple(rules)

    @classmethod
    def load(cls, path: Path | None = None) -> PolyphoneRules:
        """Rules from ``path``, or the ones shipped with the package."""
        if path is not None:
            return cls(parse_rules(path.read_text(encoding="utf-8"), str(path)))
        shipped = resources.files("accessible_reader.text").joinpath("data/polyphone_rules.tsv")
        return cls(parse_rules(shipped.read_text(encoding="utf-8"), "polyphone_rules.tsv"))

    def apply(
        self, words: Sequence[str], index: int, syllables: Sequence[str], locked: frozenset[int]
    ) -> tuple[str, ...]:
        """``words[index]``'s syllables with the first matching rule applied to each ruled character.

        ``words`` is the stretch of Chinese text the word stands in (its neighbours are context).
        """
        word = words[index]
        prev = words[index - 1] if index else ""
        nxt = words[index + 1] if index + 1 < len(words) else ""
        context = (word, prev, nxt, "".join(words[max(0, index - LEFT_WORDS) : index]))
        out = list(syllables)
        for position, char in enumerate(word):
            if position in locked:
                continue
            for rule in self._by_char.get(char, ()):
                if rule.test(context):
                    out[position] = rule.reading
                    break
        return tuple(out)
