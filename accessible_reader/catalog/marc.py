"""MARC records in ISO 2709 and MARCXML, CNMARC/UNIMARC and MARC 21, mapped to catalog records.

Containers
    *ISO 2709* (.mrc/.iso/.marc/.dat): records are framed here (5-digit length, record
    terminator 1D), and line breaks, spaces, NULs and Ctrl-Z between records are skipped,
    as some Chinese systems write them. Each record's leader and directory are checked
    before pymarc decodes it, so that a broken record gets a precise message instead of
    pymarc's silent truncation. *MARCXML* (``http://www.loc.gov/MARC21/slim``, or the
    same elements without a namespace) is parsed with the entity-free parser of
    ``document.ingest.source`` and a document with any DTD is refused (XXE, billion
    laughs); the records are then built as pymarc Records. pymarc's own XML reader is not
    used, as its SAX parser is not hardened against entity expansion.

Character sets
    Subfields are read as strict UTF-8 first, whatever the leader says: CNMARC from Chinese
    systems is usually UTF-8 (100$a/26-29 "50"), and the leader's coding byte is often
    wrong. A record that is not UTF-8 is read as GB18030 (a superset of GBK and GB2312)
    when it is CNMARC or claims UTF-8, and as MARC-8 when it is MARC 21 with a blank
    leader/09. A record that fits none raises InputError naming it.

Flavour (decided per record)
    MARC 21 when the record has field 245; CNMARC/UNIMARC when it has 200 and no 245; a
    record with neither is refused ("no title field").

CNMARC mapping
    title 200$a (repeated $a joined "；", then "：" + $e other title information, then
    $h/$i part number/name); authors: 700/701/702 ($a, plus ", $b" for a forename) and
    710/711/712 corporate names, or, when there are none, the names in 200$f with the role
    word dropped ("老舍著" -> "老舍"); publisher 210$c (214$c); year 210$d (214$d), first
    four digits; ISBN 010$a; call number 690$a (中图分类号); summary 330$a; subjects 606$a
    with $j/$x/$y/$z joined by "－"; language 101$a (chi -> zh, eng -> en).

MARC 21 mapping
    title 245 $a, ": " $b, ". " $n/$p, trailing ISBD punctuation (" /:;,=.") dropped;
    authors 100/110/700/710 $a (corporate $b appended); publisher and year 260 $b/$c, else
    264 (second indicator 1 preferred) $b/$c, year else 008/07-10; ISBN 020 $a, the leading
    ISBN token only ("0684801221 (pbk.)" -> "0684801221"); call number 050 $a + " " + $b,
    else 084 $a, else 093 $a; summary 520 $a; subjects 650 $a with $v/$x/$y/$z joined by
    " -- "; language 008/35-37, else 041 $a.

A language code that is missing is guessed from the title's script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from lxml import etree
from pymarc import Field, Indicators, Leader, RawField, Record, Subfield
from pymarc.exceptions import PymarcException

from accessible_reader.catalog.records import (
    CatalogRecord,
    clean_text,
    has_cjk,
    language_tag,
    leading_isbn,
    normalize_year,
)
from accessible_reader.document.ingest.source import parse_xml
from accessible_reader.document.model import BookMetadata
from accessible_reader.errors import InputError

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
LEADER_LEN = 24
DIRECTORY_ENTRY_LEN = 12
FIELD_TERMINATOR = 0x1E
RECORD_TERMINATOR = 0x1D
# Bytes some systems write between ISO 2709 records: line breaks, spaces, NUL padding, Ctrl-Z.
_BETWEEN_RECORDS = frozenset(b" \t\r\n\x00\x1a")
# A plausible leader: length, status/type/level/control/coding, indicator and subfield-code
# counts, base address.
_LEADER = re.compile(rb"\d{5}[a-z0-9 |]{5}[0-9 ]{2}\d{5}")

Fields = dict[str, list[Field]]


def record_error(source: Path, number: int, message_zh: str, message_en: str) -> InputError:
    """An InputError about record ``number`` (counted from 1) of file ``source``."""
    return InputError(f"第{number}条记录：{message_zh}", f"record {number}: {message_en}", source)


# -- ISO 2709 -----------------------------------------------------------------------------


def looks_like_iso2709(data: bytes) -> bool:
    """Whether ``data`` starts (after separator bytes) with a plausible ISO 2709 leader."""
    head = data[:256].lstrip(bytes(_BETWEEN_RECORDS))
    return _LEADER.match(head) is not None


def iter_iso2709(data: bytes, source: Path) -> Iterator[CatalogRecord]:
    """Yield the records of an ISO 2709 file's bytes, checking each one.

    Raises InputError for the first record that is truncated, has a bad leader or
    directory, is in an unknown character set or has no title.
    """
    pos = 0
    size = len(data)
    number = 0
    while True:
        while pos < size and data[pos] in _BETWEEN_RECORDS:
            pos += 1
        if pos >= size:
            break
        number += 1
        chunk = _frame(data, pos, number, source)
        yield map_record(decode_iso2709(chunk, number, source), number, source)
        pos += len(chunk)
    if number == 0:
        raise InputError("文件里没有书目记录", "the file holds no catalog record", source)


def _frame(data: bytes, pos: int, number: int, source: Path) -> bytes:
    """The bytes of the record starting at ``pos``, as long as its leader says."""
    head = data[pos : pos + 5]
    where_zh, where_en = f"（文件第 {pos} 字节处）", f" (at byte {pos})"
    if len(head) < 5 or not head.isdigit():
        if number == 1:
            raise record_error(
                source,
                number,
                "不是 MARC（ISO 2709）文件：开头不是 5 位数字的记录长度",
                "not a MARC (ISO 2709) file: it does not start with a 5-digit record length",
            )
        raise record_error(
            source,
            number,
            f"头标损坏{where_zh}：记录长度（头标第 0-4 位）不是数字 {head!r}；也可能是上一条记录的长度写错了",
            f"bad leader{where_en}: the record length (leader/00-04) is not a number {head!r}; "
            "or the previous record's length is wrong",
        )
    length = int(head)
    if length < LEADER_LEN + 2:
        raise record_error(
            source,
            number,
            f"头标损坏{where_zh}：记录长度 {length} 比头标还短",
            f"bad leader{where_en}: record length {length} is shorter than a leader",
        )
    if pos + length > len(data):
        raise record_error(
            source,
            number,
            f"记录不完整{where_zh}：头标说记录长 {length} 字节，文件只剩 {len(data) - pos} 字节（文件被截断了吗？）",
            f"truncated record{where_en}: the leader gives {length} bytes but only {len(data) - pos} remain "
            "(was the file cut short?)",
        )
    chunk = data[pos : pos + length]
    if chunk[-1] != RECORD_TERMINATOR:
        raise record_error(
            source,
            number,
            f"记录长度与头标不符{where_zh}：头标说记录长 {length} 字节，但那里不是记录结束符（1D）",
            f"record length does not match the leader{where_en}: the leader gives {length} bytes "
            "but no record terminator (1D) is there",
        )
    return chunk


def decode_iso2709(chunk: bytes, number: int, source: Path) -> Record:
    """Decode one framed ISO 2709 record, trying UTF-8, then GB18030 or MARC-8.

    ``chunk`` must end with the record terminator (see :func:`iter_iso2709`). The leader
    and directory are checked first; errors name record ``number`` of ``source``.
    """
    is_marc21 = _check_structure(chunk, number, source)
    try:
        return Record(chunk, to_unicode=True, force_utf8=True, utf8_handling="strict")
    except UnicodeDecodeError:
        pass
    except (PymarcException, ValueError, IndexError) as error:
        raise record_error(source, number, f"记录结构损坏（{error}）", f"corrupt record structure ({error})") from None
    leader = chunk[:LEADER_LEN].decode("ascii")
    # pymarc decodes as UTF-8 whenever leader/09 is "a", so blank it for the fallback.
    unlabelled = chunk[:9] + b" " + chunk[10:]
    encoding = "iso8859-1" if is_marc21 and leader[9] == " " else "gb18030"  # pymarc: iso8859-1 = MARC-8
    try:
        record = Record(unlabelled, to_unicode=True, file_encoding=encoding, hide_utf8_warnings=True)
    except (PymarcException, ValueError, IndexError):
        legacy = "GB18030/GBK" if encoding == "gb18030" else "MARC-8"
        raise record_error(
            source,
            number,
            f"文字编码无法识别（既不是 UTF-8，也不是 {legacy}）；请在编目系统中用 UTF-8 重新导出",
            f"unknown character set (neither UTF-8 nor {legacy}); export the records again as UTF-8",
        ) from None
    record.leader = Leader(leader)
    return record


def _check_structure(chunk: bytes, number: int, source: Path) -> bool:
    """Check the leader and directory of one record; return whether it has a 245 (MARC 21)."""
    leader = chunk[:LEADER_LEN]
    if not leader.isascii():
        raise record_error(source, number, "头标损坏：头标里有非 ASCII 字节", "bad leader: it holds non-ASCII bytes")
    if not leader[12:17].isdigit():
        raise record_error(
            source,
            number,
            f"头标损坏：数据基地址（头标第 12-16 位）不是数字 {leader[12:17]!r}",
            f"bad leader: the base address of data (leader/12-16) is not a number {leader[12:17]!r}",
        )
    base = int(leader[12:17])
    length = len(chunk)
    if not LEADER_LEN < base < length:
        raise record_error(
            source,
            number,
            f"头标损坏：数据基地址 {base} 不在记录内（记录长 {length} 字节）",
            f"bad leader: base address {base} lies outside the record ({length} bytes)",
        )
    if chunk[base - 1] != FIELD_TERMINATOR:
        raise record_error(
            source,
            number,
            "目次区损坏：目次区没有以字段分隔符（1E）结束，数据基地址可能不对",
            "bad directory: it does not end with a field terminator (1E); the base address may be wrong",
        )
    directory = chunk[LEADER_LEN : base - 1]
    if not directory:
        raise record_error(source, number, "记录没有任何字段", "the record has no fields")
    if len(directory) % DIRECTORY_ENTRY_LEN or not directory.isascii():
        raise record_error(
            source,
            number,
            f"目次区损坏：长度 {len(directory)} 不是 12 的倍数，或含有非 ASCII 字节",
            f"bad directory: its length {len(directory)} is not a multiple of 12, or it holds non-ASCII bytes",
        )
    data_length = length - 1 - base
    is_marc21 = False
    for start in range(0, len(directory), DIRECTORY_ENTRY_LEN):
        entry = directory[start : start + DIRECTORY_ENTRY_LEN]
        tag = entry[:3].decode("ascii")
        is_marc21 = is_marc21 or tag == "245"
        if not entry[3:].isdigit() or int(entry[3:7]) + int(entry[7:]) > data_length:
            index = start // DIRECTORY_ENTRY_LEN + 1
            raise record_error(
                source,
                number,
                f"目次区损坏：第 {index} 项（字段 {tag}）的长度或起始位置不是数字，或超出了记录",
                f"bad directory: entry {index} (field {tag}) has a length or offset that is not a number "
                "or lies outside the record",
            )
    return is_marc21


# -- MARCXML ------------------------------------------------------------------------------


def looks_like_marcxml(data: bytes) -> bool:
    """Whether ``data`` is XML that names the MARC 21 slim namespace near its start."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and MARCXML_NS.encode("ascii") in head


def iter_marcxml(data: bytes, source: Path) -> Iterator[CatalogRecord]:
    """Yield the records of a MARCXML document (root ``collection`` or ``record``).

    Refuses malformed XML, any DTD (no entity is ever expanded), a root that is not
    MARCXML, and a document without records; then as :func:`iter_iso2709` per record.
    """
    # A DTD is refused before parsing (and, for encodings a byte search misses, after): it is
    # never needed by MARCXML and is how XXE and entity-expansion attacks come in.
    if b"<!DOCTYPE" in data[:65536]:
        raise _dtd_refused(source)
    root = parse_xml(data, source)
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.system_url or docinfo.public_id:
        raise _dtd_refused(source)
    name = etree.QName(root)
    if name.namespace not in (MARCXML_NS, None) or name.localname not in ("collection", "record"):
        raise InputError(
            f"不是 MARCXML 文件：根元素是 <{name.localname}>，应为 MARC21/slim 命名空间的 <collection> 或 <record>",
            f"not a MARCXML file: the root element is <{name.localname}>, not <collection> or <record> "
            f"in namespace {MARCXML_NS}",
            source,
        )
    ns = f"{{{name.namespace}}}" if name.namespace else ""
    elements = [root] if name.localname == "record" else [c for c in root if c.tag == f"{ns}record"]
    if not elements:
        raise InputError("MARCXML 文件里没有 <record>", "the MARCXML file holds no <record>", source)
    for number, element in enumerate(elements, 1):
        yield map_record(_record_from_xml(element, ns, number, source), number, source)


def _dtd_refused(source: Path) -> InputError:
    return InputError(
        "MARCXML 文件带有 DTD 声明（<!DOCTYPE …>），可能是 XXE 或实体炸弹攻击，出于安全不读取；请去掉后再试",
        "the MARCXML file declares a DTD (<!DOCTYPE ...>), which can hide an XXE or "
        "entity-expansion attack, so it is not read; remove it and try again",
        source,
    )


def _record_from_xml(element: etree._Element, ns: str, number: int, source: Path) -> Record:
    leader_tag, control_tag, data_tag = f"{ns}leader", f"{ns}controlfield", f"{ns}datafield"
    sub_tag = f"{ns}subfield"
    leader = ""
    fields: list[Field] = []
    for child in element:
        kind = child.tag
        if kind == leader_tag:
            leader = child.text or ""
            continue
        if kind not in (control_tag, data_tag):
            continue
        tag = child.get("tag", "")
        if len(tag) != 3 or not tag.isalnum():
            raise record_error(
                source,
                number,
                f"第 {child.sourceline} 行的字段标识 tag=“{tag}”不是 3 位",
                f"the field at line {child.sourceline} has tag '{tag}', not 3 characters",
            )
        if kind == control_tag:
            fields.append(Field(tag=tag, data=child.text or ""))
        else:
            subfields = [Subfield(code=s.get("code", " "), value=s.text or "") for s in child if s.tag == sub_tag]
            indicators = Indicators((child.get("ind1") or " ")[:1], (child.get("ind2") or " ")[:1])
            fields.append(Field(tag=tag, indicators=indicators, subfields=subfields))
    record = Record(fields=fields, force_utf8=True)
    record.leader = Leader(leader.ljust(LEADER_LEN)[:LEADER_LEN])
    return record


# -- mapping ------------------------------------------------------------------------------


def map_record(record: Record, number: int, source: Path) -> CatalogRecord:
    """Map one pymarc Record (CNMARC/UNIMARC or MARC 21) to a CatalogRecord.

    Raises InputError when the record has no title field or its title is empty.
    """
    fields: Fields = {}
    for field in record.fields:
        if not isinstance(field, RawField):
            fields.setdefault(field.tag, []).append(field)
    if "245" in fields:
        source_format, title_tag, metadata = "marc21", "245", _marc21(fields)
    elif "200" in fields:
        source_format, title_tag, metadata = "cnmarc", "200", _cnmarc(fields)
    else:
        raise record_error(
            source,
            number,
            "没有题名字段（CNMARC 的 200 或 MARC 21 的 245）",
            "no title field (CNMARC 200 or MARC 21 245)",
        )
    if not metadata.title:
        raise record_error(
            source, number, f"题名字段 {title_tag} 里没有正题名（$a）", f"title field {title_tag} has no title ($a)"
        )
    control = fields.get("001")
    control_number = clean_text(control[0].data or "") if control else ""
    return CatalogRecord(metadata, source_format, control_number, str(record).rstrip("\n"))


def _values(fields: Fields, tag: str, codes: str) -> Iterator[str]:
    """Cleaned, non-empty values of subfields ``codes`` of every ``tag`` field, in order."""
    for field in fields.get(tag, ()):
        for sub in field.subfields:
            if sub.code in codes and (value := clean_text(sub.value)):
                yield value


def _first(fields: Fields, tags: Iterable[str], code: str) -> str:
    """The first non-empty ``code`` subfield of the first of ``tags`` that has one."""
    for tag in tags:
        for value in _values(fields, tag, code):
            return value
    return ""


def _first_in(field: Field, code: str) -> str:
    for sub in field.subfields:
        if sub.code == code and (value := clean_text(sub.value)):
            return value
    return ""


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _heading(field: Field, subdivisions: str, join: str, tidy: bool) -> str:
    """A subject heading: $a then its subdivisions in record order."""
    parts = [clean_text(s.value) for s in field.subfields if s.code == "a" or s.code in subdivisions]
    if tidy:
        parts = [strip_isbd(p) for p in parts]
    return join.join(p for p in parts if p)


# CNMARC ---------------------------------------------------------------------------------

_CNMARC_PERSONS = ("700", "701", "702")
_CNMARC_CORPORATE = ("710", "711", "712")
_ROLE_WORD = re.compile(
    r"\s*(?:等)?\s*(?:编著|主编|编译|编选|选编|改编|原著|译注|校注|整理|口述|著|编|译|撰|绘|注|辑|述)$"
)
_NAME_SEPARATORS = re.compile(r"[，,;；、]")


def _cnmarc(fields: Fields) -> BookMetadata:
    title_field = fields["200"][0]
    title = _cnmarc_title(title_field)
    authors = _unique(
        [_cnmarc_person(f) for tag in _CNMARC_PERSONS for f in fields.get(tag, ())]
        + [_cnmarc_corporate(f) for tag in _CNMARC_CORPORATE for f in fields.get(tag, ())]
    )
    if not authors:
        authors = _unique(
            _ROLE_WORD.sub("", name).strip()
            for statement in _values(fields, "200", "f")
            for name in _NAME_SEPARATORS.split(statement)
        )
    return BookMetadata(
        title=title,
        authors=authors,
        publisher=_first(fields, ("210", "214"), "c"),
        year=normalize_year(_first(fields, ("210", "214"), "d")),
        isbn=leading_isbn(_first(fields, ("010",), "a")),
        language=language_tag(_first(fields, ("101",), "a"), title),
        call_number=_first(fields, ("690",), "a"),
        subjects=_unique(_heading(f, "jxyz", "－", tidy=False) for f in fields.get("606", ())),
        summary=" ".join(_values(fields, "330", "a")),
    )


def _cnmarc_title(field: Field) -> str:
    titles = [clean_text(s.value) for s in field.subfields if s.code == "a"]
    other = [clean_text(s.value) for s in field.subfields if s.code == "e"]
    parts = [clean_text(s.value) for s in field.subfields if s.code in "hi"]
    chinese = has_cjk(" ".join(titles))
    title = ("；" if chinese else " ; ").join(t for t in titles if t)
    if not title:
        return ""
    for info in filter(None, other):
        title += ("：" if chinese else ": ") + info
    for part in filter(None, parts):
        title += (" " if chinese else ". ") + part
    return title


def _cnmarc_person(field: Field) -> str:
    surname, forename = _first_in(field, "a"), _first_in(field, "b")
    if not forename:
        return surname
    if has_cjk(surname):
        return surname + forename
    return f"{surname.rstrip(' ,')}, {forename}"


def _cnmarc_corporate(field: Field) -> str:
    names = [clean_text(s.value) for s in field.subfields if s.code in "ab"]
    return ("" if has_cjk("".join(names)) else ". ").join(n for n in names if n)


# MARC 21 --------------------------------------------------------------------------------

_ISBD_END = " /:;,="
_KEEP_FINAL_PERIOD = re.compile(r"(?:\b[A-Z][a-z]?|\.\.)\.$")


def strip_isbd(value: str) -> str:
    """Drop trailing ISBD punctuation (" /:;,=" and a final period, kept after an initial or "Jr.")."""
    value = value.rstrip(_ISBD_END)
    while value.endswith(".") and not _KEEP_FINAL_PERIOD.search(value):
        value = value[:-1].rstrip(_ISBD_END)
    return value


def _marc21(fields: Fields) -> BookMetadata:
    title_field = fields["245"][0]
    title = _marc21_title(title_field)
    authors = _unique(_marc21_name(f) for tag in ("100", "110", "700", "710") for f in fields.get(tag, ()))
    imprint = _imprint_fields(fields)
    control = fields.get("008")
    fixed = (control[0].data or "") if control else ""
    year = normalize_year(strip_isbd(_first_of(imprint, "c")))
    if not year and fixed[7:11].isdigit():
        year = fixed[7:11]
    code = fixed[35:38] if len(fixed) >= 38 else ""
    if not code.strip(" |"):
        code = _first(fields, ("041",), "a")[:3]
    return BookMetadata(
        title=title,
        authors=authors,
        publisher=strip_isbd(_first_of(imprint, "b")),
        year=year,
        isbn=leading_isbn(_first(fields, ("020",), "a")),
        language=language_tag(code, title),
        call_number=_marc21_call_number(fields),
        subjects=_unique(_heading(f, "vxyz", " -- ", tidy=True) for f in fields.get("650", ())),
        summary=" ".join(_values(fields, "520", "a")),
    )


def _marc21_title(field: Field) -> str:
    title = strip_isbd(_first_in(field, "a"))
    if not title:
        return ""
    subtitle = strip_isbd(_first_in(field, "b"))
    if subtitle:
        title += ": " + subtitle
    for part in (strip_isbd(clean_text(s.value)) for s in field.subfields if s.code in "np"):
        if part:
            title += ". " + part
    return title


def _marc21_name(field: Field) -> str:
    """A personal name ($a) or a corporate name ($a. $b)."""
    codes = "ab" if field.tag[1] == "1" else "a"
    parts = (strip_isbd(clean_text(s.value)) for s in field.subfields if s.code in codes)
    return ". ".join(p for p in parts if p)


def _imprint_fields(fields: Fields) -> list[Field]:
    """260s, then 264s with second indicator 1 (publication), then the other 264s."""
    publication = fields.get("264", [])
    first = [f for f in publication if f.indicator2 == "1"]
    return fields.get("260", []) + first + [f for f in publication if f.indicator2 != "1"]


def _first_of(candidates: Sequence[Field], code: str) -> str:
    for field in candidates:
        if value := _first_in(field, code):
            return value
    return ""


def _marc21_call_number(fields: Fields) -> str:
    for field in fields.get("050", ()):
        number = " ".join(filter(None, (_first_in(field, "a"), _first_in(field, "b"))))
        if number:
            return number
    return _first(fields, ("084", "093"), "a")


__all__ = [
    "MARCXML_NS",
    "decode_iso2709",
    "iter_iso2709",
    "iter_marcxml",
    "looks_like_iso2709",
    "looks_like_marcxml",
    "map_record",
    "record_error",
    "strip_isbd",
]
