"""The pronunciation lexicon that library staff edit: a TSV of word, pinyin and note.

Format (UTF-8, one entry a line, columns separated by a TAB)::

    # word	pinyin	note
    鹿寨	lu4 zhai4	县名

- ``word``: Chinese characters only (no spaces, digits or Latin letters);
- ``pinyin``: one syllable per character, separated by spaces, tone numbers 1-4 and 5 for the
  neutral tone (``lu4 zhai4``); ``ü`` may be written ``v`` or ``ü``; tone marks (``lù zhài``) are
  accepted and converted;
- ``note``: optional, free text for the people who edit the file;
- blank lines and lines starting with ``#`` are ignored.

Entries give citation (dictionary) tones; the spoken reading still applies the tone sandhi of
一, 不 and third tones. A lexicon entry overrides both pypinyin and the polyphone rules.

Errors are reported with the file and line (``content/lexicon.tsv:12``) in Chinese and English,
all problems of a file at once. ``Lexicon.reload_if_changed`` re-reads the file when its
modification time or size changed; a file with errors leaves the old entries in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from accessible_reader.errors import InputError

_CJK_WORD = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
SYLLABLE = re.compile(  # one tone-numbered pinyin syllable, ü written v
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iong|iang|uang|ueng|iao|ian|ing|ong|ang|eng|uai|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in"
    r"|ua|uo|ui|un|ue|ve|vn|a|o|e|i|u|v)"
    r"|m|n|ng|hm|hng|r|ê)[1-5]"
)
_MAX_REPORTED = 20


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One line of the lexicon: the word, one tone-numbered syllable per character, a note."""

    word: str
    syllables: tuple[str, ...]
    note: str = ""
    line: int = 0


def _normalize_syllable(raw: str) -> str:
    text = raw.strip().lower().replace("ü", "v").replace("u:", "v")
    if text.isascii():
        return text
    from pypinyin.contrib.tone_convert import to_tone3  # only for tone-marked input

    converted = str(to_tone3(text, neutral_tone_with_five=True)).replace("ü", "v")
    if converted and not converted[-1].isdigit():
        converted += "5"
    return converted


def parse_lexicon(text: str, source: str = "<lexicon>") -> list[LexiconEntry]:
    """Parse lexicon text; raise :class:`InputError` naming ``source:line`` for every bad line.

    Returns the entries in file order. Pure: ``source`` is only used in messages.
    """
    entries: list[LexiconEntry] = []
    seen: dict[str, int] = {}
    problems: list[tuple[int, str, str]] = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.rstrip("\r\n")
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) < 2 or len(columns) > 3:
            problems.append(
                (
                    number,
                    f"应有 2 或 3 列（词、拼音、备注，用制表符分隔），这里有 {len(columns)} 列",
                    f"expected 2 or 3 TAB-separated columns (word, pinyin, note), found {len(columns)}",
                )
            )
            continue
        word = columns[0].strip()
        note = columns[2].strip() if len(columns) == 3 else ""
        if not _CJK_WORD.fullmatch(word):
            problems.append((number, f"词“{word}”只能由汉字组成", f"word {word!r} must be Chinese characters only"))
            continue
        syllables = tuple(_normalize_syllable(s) for s in columns[1].split())
        bad = [s for s in syllables if not SYLLABLE.fullmatch(s)]
        if bad:
            problems.append(
                (
                    number,
                    f"拼音“{' '.join(bad)}”不是带调号数字（1-5）的音节，例如 lu4 zhai4",
                    f"pinyin {' '.join(bad)!r} is not a syllable with a tone number 1-5, e.g. lu4 zhai4",
                )
            )
            continue
        if len(syllables) != len(word):
            problems.append(
                (
                    number,
                    f"“{word}”有 {len(word)} 个字，拼音却有 {len(syllables)} 个音节",
                    f"{word!r} has {len(word)} characters but {len(syllables)} pinyin syllables",
                )
            )
            continue
        if word in seen:
            problems.append(
                (
                    number,
                    f"“{word}”在第 {seen[word]} 行已有，删去其中一行",
                    f"{word!r} is already on line {seen[word]}; remove one of the two",
                )
            )
            continue
        seen[word] = number
        entries.append(LexiconEntry(word, syllables, note, number))
    if problems:
        first = problems[0][0]
        shown = problems[:_MAX_REPORTED]
        more_zh = f"；另有 {len(problems) - len(shown)} 处" if len(problems) > len(shown) else ""
        more_en = f"; and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        raise InputError(
            "读音词表有错：" + "；".join(f"第 {n} 行：{zh}" for n, zh, _ in shown) + more_zh,
            "pronunciation lexicon has errors: " + "; ".join(f"line {n}: {en}" for n, _, en in shown) + more_en,
            f"{source}:{first}",
        )
    return entries


class Lexicon:
    """Staff pronunciations by word, loaded from a TSV file (or given directly, for tests).

    ``version`` goes up each time the entries change, so users (the reading engine) can tell
    that their caches are stale. Reading is safe from several threads; ``reload_if_changed``
    swaps the entries in one assignment.
    """

    def __init__(self, entries: Iterable[LexiconEntry] = (), path: Path | None = None) -> None:
        self.path = path
        self.version = 0
        self._stamp: tuple[int, int] | None = None
        self._entries: Mapping[str, LexiconEntry] = MappingProxyType({e.word: e for e in entries})

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """Read and validate a lexicon file. Raises :class:`InputError` (file:line) when invalid."""
        lexicon = cls(path=path)
        lexicon._read()
        return lexicon

    @classmethod
    def from_pairs(cls, pairs: Mapping[str, str]) -> Lexicon:
        """A lexicon from ``{word: "pin1 yin1"}``, validated like a file (handy in tests)."""
        text = "\n".join(f"{w}\t{p}" for w, p in pairs.items())
        return cls(parse_lexicon(text, "<pairs>"))

    def _stat(self) -> tuple[int, int]:
        assert self.path is not None
        try:
            info = self.path.stat()
        except OSError as error:
            raise InputError(
                f"读不到读音词表：{error.strerror}",
                f"cannot read the pronunciation lexicon: {error.strerror}",
                self.path,
            ) from error
        return (info.st_mtime_ns, info.st_size)

    def _read(self) -> None:
        assert self.path is not None
        stamp = self._stat()
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise InputError(
                "读音词表不是 UTF-8 编码，请另存为 UTF-8",
                "the pronunciation lexicon is not UTF-8; save it as UTF-8",
                self.path,
            ) from error
        except OSError as error:
            raise InputError(
                f"读不到读音词表：{error.strerror}",
                f"cannot read the pronunciation lexicon: {error.strerror}",
                self.path,
            ) from error
        entries = parse_lexicon(text, str(self.path))
        self._entries = MappingProxyType({e.word: e for e in entries})
        self._stamp = stamp
        self.version += 1

    def reload_if_changed(self) -> bool:
        """Re-read the file if its modification time or size changed; True when it was re-read.

        Raises :class:`InputError` when the new file is invalid; the previous entries stay in use.
        A lexicon without a file never changes.
        """
        if self.path is None or self._stat() == self._stamp:
            return False
        self._read()
        return True

    @property
    def entries(self) -> Mapping[str, LexiconEntry]:
        """The entries by word (read-only)."""
        return self._entries

    def get(self, word: str) -> tuple[str, ...] | None:
        """The syllables for a word, or None when the word has no entry."""
        entry = self._entries.get(word)
        return entry.syllables if entry is not None else None

    def __contains__(self, word: object) -> bool:
        return word in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
