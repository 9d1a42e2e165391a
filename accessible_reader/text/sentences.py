"""Sentence splitting and script detection for Chinese and English text (pure).

Chinese sentences end at 。！？； and the ellipsis …… (and their ASCII look-alikes used in
Chinese text: ! ? ;), followed by any closing quotes or brackets ” ’ 」 』 ） 》.
English sentences end at . ! ? followed by whitespace, so 3.14, 4.23 and e.g. URLs
are not split. A sentence never comes back empty.
"""

from __future__ import annotations

import re

_CLOSERS = "”’」』）)》〉\"'"
# A Chinese terminator (or run of them), then any closers. ASCII !?; count in Chinese text too.
_ZH_END = re.compile(rf"(?:[。！？；!?;]+|…+|\.{{3,}})[{re.escape(_CLOSERS)}]*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LATIN = re.compile(r"[A-Za-z]")
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "e.g.", "i.e.", "etc.", "No.", "vs.", "p.", "pp.")


def detect_language(text: str) -> str:
    """Return ``"zh"`` when the text has any Chinese character, ``"en"`` when it has Latin letters only.

    Text with neither (digits, punctuation) counts as ``"zh"``, the service's main language.
    """
    if _CJK.search(text):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return "zh"


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping each sentence's own punctuation.

    Whitespace inside a sentence is kept; surrounding whitespace is stripped. Chinese
    splitting is used when the paragraph contains Chinese characters, English otherwise.
    """
    text = text.strip()
    if not text:
        return []
    if _CJK.search(text):
        return _split_chinese(text)
    return _split_english(text)


def _split_chinese(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _ZH_END.finditer(text):
        end = match.end()
        # ASCII "?" "!" ";" inside Latin words (URLs, code) are not sentence ends
        if match.group().startswith(("!", "?", ";")) and end < len(text) and _LATIN.match(text[end]):
            continue
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = end
    tail = text[start:].strip()
    if tail:
        if sentences and not _CJK.search(tail) and not _LATIN.search(tail) and not any(c.isdigit() for c in tail):
            sentences[-1] += tail  # stray closing punctuation belongs to the previous sentence
        else:
            sentences.append(tail)
    return sentences


def _split_english(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?]+[" + re.escape(_CLOSERS) + r"]*(?=\s+|$)", text):
        end = match.end()
        candidate = text[start:end].strip()
        # the last word, not the candidate's tail: "up." must not count as the abbreviation "p."
        words = candidate.split()
        last_word = words[-1].lstrip("([{\"'“‘") if words else ""
        if last_word in _ABBREVIATIONS and end < len(text):
            continue
        # a single capital initial ("J. Smith") is not a sentence end
        if re.fullmatch(r"[A-Z]\.", last_word) and end < len(text):
            continue
        if candidate:
            sentences.append(candidate)
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences
