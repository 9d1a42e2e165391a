"""Catalog records: read MARC (ISO 2709, MARCXML) and CSV files, render records for ear and finger.

A :class:`CatalogRecord` is one bibliographic record as the library's cataloguing system
exported it, mapped onto :class:`~accessible_reader.document.model.BookMetadata`. This
module is the entry point: :func:`read_records` picks the reader by content and suffix,
``marc.py`` maps CNMARC/UNIMARC and MARC 21, ``csv_records.py`` reads the documented CSV
layout (docs/catalog-csv.md).

All or nothing: one bad record anywhere in a file raises :class:`InputError` naming the
file and the record (第N条记录 / record N, or the CSV line), and no record is returned, so
an import of 10,000 records either stores all of them or none. Storage is the catalog
store's job; nothing here touches a database.

Rendering is pure: :func:`record_to_speech_text` gives one line for the speech engines,
:func:`record_to_braille_text` one line per field for a braille translator. Field labels
come from the locale files (``record.*`` keys).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from accessible_reader.document.ingest.source import IngestLimits, read_bytes
from accessible_reader.document.model import BookMetadata
from accessible_reader.errors import UnsupportedFormatError
from accessible_reader.locale import load_strings
from accessible_reader.text.sentences import detect_language

SOURCE_FORMATS = ("cnmarc", "marc21", "csv")
ISO2709_SUFFIXES = (".mrc", ".iso", ".marc", ".dat")
MARCXML_SUFFIXES = (".xml",)
CSV_SUFFIXES = (".csv",)


@dataclass(frozen=True, slots=True)
class CatalogRecord:
    """One catalog record: its bibliographic data and where it came from.

    ``source_format`` is the record's flavour, not its container: ``"cnmarc"`` (CNMARC or
    UNIMARC, from ISO 2709 or MARCXML), ``"marc21"`` or ``"csv"``. ``control_number`` is
    field 001 or the CSV ``id`` column; it may be empty. ``raw`` is a text dump of the
    record as it was read (MARC in MARCMaker mnemonic form, ``=245  10$a...``; CSV as
    ``column: value`` lines) for staff to proofread against the mapping.
    """

    metadata: BookMetadata
    source_format: str
    control_number: str
    raw: str


def iter_records(path: Path, limits: IngestLimits | None = None) -> Iterator[CatalogRecord]:
    """Yield the records of a MARC (ISO 2709 or MARCXML) or CSV file, in file order.

    The format is taken from the content when it is unambiguous (an ISO 2709 leader, a
    MARCXML root), otherwise from the suffix (.mrc/.iso/.marc/.dat, .xml, .csv). The file
    is read whole (within ``limits``) before the first record is yielded.

    A bad record raises :class:`InputError` when the iteration reaches it, after the good
    records before it were yielded: a caller that stores records must not commit before the
    iterator is exhausted (or use :func:`read_records`). Not thread-safe per iterator.
    """
    from accessible_reader.catalog.csv_records import iter_csv
    from accessible_reader.catalog.marc import iter_iso2709, iter_marcxml, looks_like_iso2709, looks_like_marcxml

    data = read_bytes(path, limits or IngestLimits())
    suffix = path.suffix.lower()
    if looks_like_iso2709(data):
        return iter_iso2709(data, path)
    if looks_like_marcxml(data):
        return iter_marcxml(data, path)
    if suffix in ISO2709_SUFFIXES:
        return iter_iso2709(data, path)
    if suffix in MARCXML_SUFFIXES:
        return iter_marcxml(data, path)
    if suffix in CSV_SUFFIXES:
        return iter_csv(data, path)
    raise UnsupportedFormatError(
        f"不是可识别的书目文件（“{path.suffix or '无扩展名'}”）；支持 MARC（ISO 2709：{'、'.join(ISO2709_SUFFIXES)}）、"
        "MARCXML（.xml）和 CSV（.csv）",
        f"not a catalog file this service reads ('{path.suffix or 'no extension'}'); supported: "
        f"MARC (ISO 2709: {', '.join(ISO2709_SUFFIXES)}), MARCXML (.xml) and CSV (.csv)",
        path,
    )


def read_records(path: Path, limits: IngestLimits | None = None) -> list[CatalogRecord]:
    """Read every record of a MARC (ISO 2709 or MARCXML) or CSV file.

    All or nothing: the first bad record raises :class:`InputError` naming the file and the
    record number (or CSV line), and no record is returned. See :func:`iter_records`.
    """
    return list(iter_records(path, limits))


# -- text helpers shared by the readers ---------------------------------------------------

# Line breaks, tabs and the ISO 2709 separators (1C-1F) become spaces; every other C0 or C1
# control (C1 holds MARC's non-sorting marks 88/89 and 98/9C), DEL and zero-width characters
# are dropped. Runs of whitespace then collapse to one space.
_CONTROLS: dict[int, str | None] = {c: None for c in (*range(0x20), *range(0x7F, 0xA0), 0x200B, 0x200C, 0x200D, 0xFEFF)}
_CONTROLS |= {c: " " for c in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x85)}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_HYPHENS = str.maketrans("‐‑‒–—", "-----")
_YEAR = re.compile(r"[0-9０-９]{4}")
_ISBN = re.compile(r"[0-9][0-9Xx-]*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")

# ISO 639-2 (bibliographic and terminology) codes and common spellings -> BCP 47.
_LANGUAGES = {
    "chi": "zh", "zho": "zh", "zh": "zh", "zh-cn": "zh", "zh-hans": "zh", "cmn": "zh",
    "中文": "zh", "汉语": "zh", "汉文": "zh", "chinese": "zh",
    "eng": "en", "en": "en", "英文": "en", "英语": "en", "english": "en",
    "jpn": "ja", "ja": "ja", "日文": "ja", "日语": "ja",
    "kor": "ko", "ko": "ko", "朝鲜文": "ko", "韩文": "ko",
    "fre": "fr", "fra": "fr", "fr": "fr", "法文": "fr",
    "ger": "de", "deu": "de", "de": "de", "德文": "de",
    "rus": "ru", "ru": "ru", "俄文": "ru",
    "spa": "es", "es": "es", "ita": "it", "it": "it", "por": "pt", "pt": "pt",
    "ara": "ar", "ar": "ar", "vie": "vi", "vi": "vi", "tha": "th", "th": "th",
    "mon": "mn", "mn": "mn", "tib": "bo", "bod": "bo", "uig": "ug",
    "zha": "za", "za": "za", "壮文": "za", "壮语": "za",
}  # fmt: skip
_NO_LANGUAGE = {"", "und", "zxx", "mul", "|||", "xxx"}


def clean_text(value: str) -> str:
    """Drop control and zero-width characters, turn line breaks and tabs into spaces, collapse whitespace."""
    return " ".join(value.translate(_CONTROLS).split())


def normalize_year(value: str) -> str:
    """The first four-digit year in ``value`` ("c1995." -> "1995", "[2021]" -> "2021").

    Without a four-digit run the cleaned text is kept as it is ("[19--]").
    """
    match = _YEAR.search(value)
    if match:
        return match.group().translate(_FULLWIDTH_DIGITS)
    return clean_text(value)


def leading_isbn(value: str) -> str:
    """The ISBN token at the start of ``value``, hyphens kept ("0684801221 (pbk.)" -> "0684801221")."""
    match = _ISBN.search(unicodedata.normalize("NFKC", clean_text(value)).translate(_HYPHENS))
    return match.group().strip("-").upper() if match else ""


def language_tag(code: str, fallback_text: str = "") -> str:
    """A BCP 47 tag for an ISO 639-2 code or language name ("chi" -> "zh", "eng" -> "en").

    Unknown codes are kept lower-cased; a missing code is guessed from ``fallback_text``
    (the title): ``zh`` when it has Chinese characters, ``en`` when it has Latin letters.
    """
    key = clean_text(code).lower().replace("_", "-")
    if key in _NO_LANGUAGE:
        return detect_language(fallback_text)
    return _LANGUAGES.get(key, key)


def has_cjk(text: str) -> bool:
    """Whether ``text`` has any Chinese character."""
    return _CJK.search(text) is not None


# -- rendering ----------------------------------------------------------------------------


def _labelled_fields(metadata: BookMetadata, strings: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, value) pairs of the fields present, in spoken order."""
    join = strings["record.list_separator"].join
    author_key = "record.authors" if len(metadata.authors) > 1 else "record.author"
    pairs = [
        ("record.title", metadata.title),
        (author_key, join(a for a in map(clean_text, metadata.authors) if a)),
        ("record.publisher", metadata.publisher),
        ("record.year", metadata.year),
        ("record.call_number", metadata.call_number),
        ("record.isbn", metadata.isbn),
        ("record.subjects", join(s for s in map(clean_text, metadata.subjects) if s)),
        ("record.summary", metadata.summary),
    ]
    return [(strings[key], text) for key, value in pairs if (text := clean_text(value))]


def record_to_speech_text(record: CatalogRecord, lang: str = "zh") -> str:
    """The record as one line to speak, labelled in ``lang`` ("zh" or "en").

    Fields present, in this order: title, authors, publisher, year, call number, ISBN,
    subjects, summary, e.g. "书名：骆驼祥子；作者：老舍；出版社：人民文学出版社；出版年：2000；索书号：I246.5".
    Several authors or subjects are joined with "、" ("," in English). Pure.
    """
    strings = load_strings(lang)
    label_sep = strings["record.label_separator"]
    return strings["record.field_separator"].join(
        f"{label}{label_sep}{value}" for label, value in _labelled_fields(record.metadata, strings)
    )


# Full-width forms that Chinese text uses as its own punctuation; Chinese braille has signs
# for them, so they stay in Chinese text. Every other full-width form (letters, digits,
# － ． ／ ＋ ［ ］ ...) becomes its ASCII twin, which braille translators read as print.
_CHINESE_PUNCTUATION = "，：；？！（）～"
_FULLWIDTH_ALL = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FULLWIDTH_IN_CHINESE = {c: t for c, t in _FULLWIDTH_ALL.items() if chr(c) not in _CHINESE_PUNCTUATION}


def braille_ready(text: str) -> str:
    """``text`` with control characters dropped and full-width forms normalised for braille.

    In text with Chinese characters, Chinese punctuation (，：；？！（）～) is kept; other
    full-width forms (Ａ, １, －, ．, ／) become ASCII. In other text every full-width form
    becomes ASCII. Hyphens (in ISBNs, subject subdivisions) are kept as "-".
    """
    return clean_text(text.translate(_FULLWIDTH_IN_CHINESE if has_cjk(text) else _FULLWIDTH_ALL))


def record_to_braille_text(record: CatalogRecord, lang: str = "zh") -> list[str]:
    """The record as lines for a braille translator: one line per field present, "label：value".

    Same fields, order and labels as :func:`record_to_speech_text`; each value passes through
    :func:`braille_ready`, so no line holds a control character or a line break. Pure.
    """
    strings = load_strings(lang)
    label_sep = strings["record.label_separator"]
    return [f"{label}{label_sep}{braille_ready(value)}" for label, value in _labelled_fields(record.metadata, strings)]


__all__ = [
    "SOURCE_FORMATS",
    "CatalogRecord",
    "braille_ready",
    "clean_text",
    "has_cjk",
    "iter_records",
    "language_tag",
    "leading_isbn",
    "normalize_year",
    "read_records",
    "record_to_braille_text",
    "record_to_speech_text",
]
