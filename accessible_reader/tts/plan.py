"""Speech plans: typed sequences of text runs, pauses and marks, built from the document model (pure).

A plan says *what* to say, in which language, with which reading, where to pause and where each
document node starts and ends; engines decide *how* (STYLE §3). Plans are plain frozen data, so they
pickle to worker processes and hash into cache keys.

- :class:`TextRun`: text in one language with its spoken reading (tone-numbered pinyin syllables for
  ``zh``, words or spelled letters for ``en``).
- :class:`Pause`: silence in milliseconds.
- :class:`Mark`: the start (``end=False``) or end (``end=True``) of a document node (section id ``h…``
  for a heading, sentence id ``s…``, page-break block id for a spoken page number).

Readings come from an injected :class:`~accessible_reader.text.readings.ReadingEngine`; characters no
voice can say (emoji, symbols, characters without a reading) are left out of the runs and listed in
:attr:`SpeechPlan.skipped`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from accessible_reader.document.model import BlockKind, Book, Section, Sentence

if TYPE_CHECKING:
    from accessible_reader.catalog.records import CatalogRecord
    from accessible_reader.text.readings import Reading, ReadingEngine

_PINYIN = re.compile(r"^[a-zü]+[1-5]$")
_COMMA_PUNCT = frozenset("，,、；;：:—–")
_STOP_PUNCT = frozenset("。．.！!？?…")


@dataclass(frozen=True, slots=True)
class TextRun:
    """Text in one language (``zh`` or ``en``) with its spoken reading, one item per syllable or word."""

    text: str
    language: str
    reading: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pause:
    """Silence of ``ms`` milliseconds."""

    ms: int


@dataclass(frozen=True, slots=True)
class Mark:
    """Start (or, with ``end=True``, end) of the document node ``node_id``."""

    node_id: str
    end: bool = False


PlanItem = TextRun | Pause | Mark


@dataclass(frozen=True, slots=True)
class SpeechPlan:
    """A typed speech sequence and the characters that were left out because no voice can say them."""

    items: tuple[PlanItem, ...]
    skipped: tuple[str, ...] = ()

    @property
    def characters(self) -> int:
        """Characters of text in the runs (for progress)."""
        return sum(len(item.text) for item in self.items if isinstance(item, TextRun))


@dataclass(frozen=True, slots=True)
class PausePolicy:
    """Pause lengths in milliseconds, by structure."""

    comma: int = 200
    sentence: int = 400
    paragraph: int = 700
    heading: int = 900
    page: int = 400
    field: int = 500


@dataclass(slots=True)
class _Builder:
    items: list[PlanItem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def pause(self, ms: int) -> None:
        """Add a pause; pauses next to each other merge into the longest."""
        if ms <= 0:
            return
        if self.items and isinstance(self.items[-1], Pause):
            self.items[-1] = Pause(max(self.items[-1].ms, ms))
        else:
            self.items.append(Pause(ms))

    def end_mark(self, node_id: str) -> None:
        """Close ``node_id``: a pause left by its final punctuation falls outside the node."""
        if self.items and isinstance(self.items[-1], Pause):
            self.items.pop()
        self.items.append(Mark(node_id, end=True))

    def build(self) -> SpeechPlan:
        """The plan, leading and trailing pauses dropped."""
        items = list(self.items)
        while items and isinstance(items[0], Pause):
            items.pop(0)
        while items and isinstance(items[-1], Pause):
            items.pop()
        return SpeechPlan(tuple(items), tuple(dict.fromkeys(self.skipped)))


def _unvoiceable(char: str) -> bool:
    """A punctuation-run character that is neither punctuation nor space: an emoji, a symbol, a private use."""
    category = unicodedata.category(char)
    return not (category.startswith("P") or category.startswith("Z") or category == "Cc")


def reading_runs(reading: Reading, policy: PausePolicy, builder: _Builder) -> None:
    """Append runs for ``reading``: consecutive tokens of one language form a run, punctuation pauses."""
    text: list[str] = []
    syllables: list[str] = []
    language = ""

    def flush() -> None:
        nonlocal language
        if syllables:
            builder.items.append(TextRun("".join(text).strip(), language, tuple(syllables)))
        text.clear()
        syllables.clear()
        language = ""

    for token in reading.tokens:
        if token.kind == "space":
            if text:
                text.append(token.text)
            continue
        if token.kind == "punct":
            chars = token.text
            builder.skipped.extend(c for c in chars if _unvoiceable(c))
            if any(c in _COMMA_PUNCT or c in _STOP_PUNCT for c in chars):
                flush()
                builder.pause(policy.comma)
            continue
        voiced = token.spoken
        if token.kind == "zh":
            bad = [i for i, s in enumerate(token.spoken) if not _PINYIN.match(s)]
            if bad:
                builder.skipped.extend(token.text[i] for i in bad if i < len(token.text))
                voiced = tuple(s for i, s in enumerate(token.spoken) if i not in bad)
        if not voiced:
            continue
        if language and token.lang != language:
            flush()
        language = token.lang
        text.append(token.text)
        syllables.extend(voiced)
    flush()


_EN_SPLIT = re.compile(r"([,;:.!?—–…]+)(?=\s|$)")
"""Punctuation that ends a phrase: followed by a space or the end (so 3.14 and e.g. stay whole)."""


def english_runs(text: str, policy: PausePolicy, builder: _Builder) -> None:
    """Append runs for English text: split at punctuation into runs read by an English voice as written."""
    for index, piece in enumerate(_EN_SPLIT.split(text)):
        if index % 2:
            builder.pause(policy.comma)
            continue
        kept = "".join(c for c in piece if not (_unvoiceable(c) and not c.isalnum() and c not in "'’-&%$"))
        builder.skipped.extend(c for c in piece if c not in kept)
        words = kept.split()
        if words:
            builder.items.append(TextRun(" ".join(words), "en", tuple(words)))


def _say(text: str, language: str, reader: ReadingEngine, policy: PausePolicy, builder: _Builder) -> None:
    if language == "en":
        english_runs(text, policy, builder)
    else:
        reading_runs(reader.read(text), policy, builder)


def _sentence(sentence: Sentence, reader: ReadingEngine, policy: PausePolicy, builder: _Builder) -> None:
    builder.items.append(Mark(sentence.id))
    _say(sentence.text, sentence.language, reader, policy, builder)
    builder.end_mark(sentence.id)


def section_plan(
    section: Section,
    reader: ReadingEngine,
    *,
    policy: PausePolicy | None = None,
    speak_pages: bool = False,
    language: str = "zh",
) -> SpeechPlan:
    """The plan of one section: its heading announced (mark = section id), then its blocks.

    Sentences are marked by their ids; sentences pause ``policy.sentence`` apart, paragraphs
    ``policy.paragraph``; a table row's cells pause like commas. With ``speak_pages`` a page break says
    "第 N 页" / "page N" (``language`` chooses) between marks carrying the page-break block id.
    The implicit leading section has no heading and so no heading mark.
    """
    from accessible_reader.locale import load_strings

    policy = policy or PausePolicy()
    strings = load_strings(language)
    builder = _Builder()
    if not section.implicit and section.title.strip():
        builder.items.append(Mark(section.id))
        _say(section.title, _text_language(section.title, section.language), reader, policy, builder)
        builder.end_mark(section.id)
        builder.pause(policy.heading)
    for block in section.blocks:
        if block.kind is BlockKind.PAGE_BREAK and speak_pages and block.page_number:
            builder.pause(policy.page)
            builder.items.append(Mark(block.id))
            page = strings["tts.page"].format(page=block.page_number)
            _say(page, language if language == "en" else "zh", reader, policy, builder)
            builder.end_mark(block.id)
            builder.pause(policy.page)
            continue
        if block.kind is BlockKind.PAGE_BREAK:
            continue
        for index, sentence in enumerate(block.sentences):
            if index:
                builder.pause(policy.comma if block.kind is BlockKind.TABLE_ROW else policy.sentence)
            _sentence(sentence, reader, policy, builder)
        builder.pause(policy.paragraph)
    return builder.build()


def book_plans(
    book: Book, reader: ReadingEngine, *, policy: PausePolicy | None = None, speak_pages: bool = False
) -> Iterable[tuple[Section, SpeechPlan]]:
    """Each section of ``book`` with its plan, lazily, in reading order."""
    for section in book.sections:
        yield section, section_plan(section, reader, policy=policy, speak_pages=speak_pages)


def text_plan(text: str, reader: ReadingEngine, *, policy: PausePolicy | None = None) -> SpeechPlan:
    """The plan of free text (``speak TEXT``): sentences marked ``t1``, ``t2`` … with sentence pauses."""
    from accessible_reader.text.sentences import detect_language, split_sentences

    policy = policy or PausePolicy()
    builder = _Builder()
    count = 0
    for line in text.splitlines():
        for sentence in split_sentences(line):
            count += 1
            node = f"t{count}"
            builder.items.append(Mark(node))
            _say(sentence, detect_language(sentence), reader, policy, builder)
            builder.end_mark(node)
            builder.pause(policy.sentence)
        builder.pause(policy.paragraph)
    return builder.build()


def record_plan(
    record: CatalogRecord, reader: ReadingEngine, *, lang: str = "zh", policy: PausePolicy | None = None
) -> SpeechPlan:
    """A catalog record spoken field by field ("书名：…", pause, "作者：…"), marks ``f1``, ``f2`` … per field."""
    from accessible_reader.catalog.records import record_to_speech_text
    from accessible_reader.locale import load_strings

    policy = policy or PausePolicy()
    separator = load_strings(lang)["record.field_separator"]
    builder = _Builder()
    for index, field_text in enumerate(record_to_speech_text(record, lang).split(separator), start=1):
        builder.items.append(Mark(f"f{index}"))
        _say(field_text, _text_language(field_text, lang), reader, policy, builder)
        builder.end_mark(f"f{index}")
        builder.pause(policy.field)
    return builder.build()


def _text_language(text: str, default: str) -> str:
    from accessible_reader.text.sentences import detect_language

    found = detect_language(text)
    return "zh" if found == "zh" or (default == "zh" and not text.isascii()) else found


def split_plan(plan: SpeechPlan, max_chars: int, *, paragraph_ms: int | None = None) -> tuple[SpeechPlan, ...]:
    """``plan`` cut into consecutive pieces of about equal size, for parallel synthesis.

    A plan of more than ``max_chars`` characters (text in its runs) becomes ``ceil(characters / max_chars)``
    pieces, the k-th cut as near as possible to k × (characters / pieces): at the nearest paragraph
    boundary (a pause of at least ``paragraph_ms``, default :attr:`PausePolicy.paragraph`) within a quarter
    of a piece of that point, failing that at the nearest sentence boundary. Cuts fall only at a pause
    outside every node (no mark is open) and the pause starts the next piece, so synthesizing the pieces
    one after another gives exactly the audio and marks of the whole plan (see
    :func:`~accessible_reader.tts.synthesis.join_syntheses`); a plan with fewer boundaries gives fewer
    pieces. :attr:`SpeechPlan.skipped` goes with the first piece. A plan of at most ``max_chars``
    characters (or ``max_chars < 1``) comes back whole, as a 1-tuple.
    """
    total = plan.characters
    if max_chars < 1 or total <= max_chars:
        return (plan,)
    paragraph_ms = PausePolicy().paragraph if paragraph_ms is None else paragraph_ms
    boundaries: list[tuple[int, int, bool]] = []  # (item index, characters before it, paragraph?)
    open_nodes: set[str] = set()
    chars = 0
    for index, item in enumerate(plan.items):
        if isinstance(item, Mark) and item.end:
            open_nodes.discard(item.node_id)
        elif isinstance(item, Mark):
            open_nodes.add(item.node_id)
        elif isinstance(item, TextRun):
            chars += len(item.text)
        elif not open_nodes and index and 0 < chars < total:
            boundaries.append((index, chars, item.ms >= paragraph_ms))
    count = -(-total // max_chars)
    share = total / count
    cuts: list[int] = []
    for k in range(1, count):
        ideal = k * share
        ahead = [b for b in boundaries if not cuts or b[0] > cuts[-1]]
        paragraphs = [b for b in ahead if b[2] and abs(b[1] - ideal) <= share / 4]
        if ahead:
            cuts.append(min(paragraphs or ahead, key=lambda b: abs(b[1] - ideal))[0])
    edges = [0, *cuts, len(plan.items)]
    return tuple(SpeechPlan(plan.items[a:b], plan.skipped if not n else ()) for n, (a, b) in enumerate(pairwise(edges)))
