"""MARC catalog records: CNMARC and MARC 21, in ISO 2709 and MARCXML, mapped field by field; bad input refused."""

from __future__ import annotations

import importlib.util
import io
import time
from pathlib import Path
from types import ModuleType

import pytest
from pymarc import Field, Indicators, Record, Subfield, XMLWriter

from accessible_reader.catalog.records import CatalogRecord, iter_records, read_records, record_to_speech_text
from accessible_reader.document.model import BookMetadata
from accessible_reader.errors import InputError, UnsupportedFormatError

ROOT = Path(__file__).resolve().parents[2]


def _data(tag: str, indicators: str, *pairs: tuple[str, str]) -> Field:
    return Field(
        tag=tag,
        indicators=Indicators(indicators[0], indicators[1]),
        subfields=[Subfield(code=c, value=v) for c, v in pairs],
    )


def luotuo_xiangzi() -> Record:
    """A CNMARC record as a Chinese library system exports it."""
    record = Record(leader="00000nam0 2200000   450 ", force_utf8=True)
    record.add_field(  # type: ignore[no-untyped-call]
        Field(tag="001", data="012000123456"),
        _data("010", "  ", ("a", "978-7-02-008763-9"), ("d", "CNY12.00")),
        _data("100", "  ", ("a", "20000101d2000    em y0chiy50      ea")),
        _data("101", "0 ", ("a", "chi")),
        _data("200", "1 ", ("a", "骆驼祥子"), ("f", "老舍著")),
        _data("210", "  ", ("a", "北京"), ("c", "人民文学出版社"), ("d", "2000")),
        _data("330", "  ", ("a", "讲述北平人力车夫祥子三起三落的一生。")),
        _data("606", "0 ", ("a", "长篇小说"), ("y", "中国"), ("z", "现代")),
        _data("690", "  ", ("a", "I246.5"), ("v", "4")),
        _data("701", " 0", ("a", "老舍"), ("4", "著")),
    )
    return record


LUOTUO = BookMetadata(
    title="骆驼祥子",
    authors=("老舍",),
    publisher="人民文学出版社",
    year="2000",
    isbn="978-7-02-008763-9",
    language="zh",
    call_number="I246.5",
    subjects=("长篇小说－中国－现代",),
    summary="讲述北平人力车夫祥子三起三落的一生。",
)


def old_man_and_the_sea() -> Record:
    """A MARC 21 record as OCLC copy cataloguing gives it (ISBD punctuation in the subfields)."""
    record = Record(leader="00000cam a2200000 a 4500", force_utf8=True)
    record.add_field(  # type: ignore[no-untyped-call]
        Field(tag="001", data="ocm32390183"),
        Field(tag="008", data=f"950215s1995    nyu{' ' * 17}eng d"),
        _data("020", "  ", ("a", "0684801221 (pbk.)")),
        _data("050", "00", ("a", "PS3515.E37"), ("b", "O4")),
        _data("100", "1 ", ("a", "Hemingway, Ernest,"), ("d", "1899-1961.")),
        _data("245", "14", ("a", "The old man and the sea /"), ("c", "Ernest Hemingway.")),
        _data("260", "  ", ("a", "New York :"), ("b", "Scribner,"), ("c", "1995.")),
        _data("520", "  ", ("a", "An old Cuban fisherman's struggle with a giant marlin.")),
        _data("650", " 0", ("a", "Fishers"), ("z", "Cuba"), ("v", "Fiction.")),
        _data("650", " 0", ("a", "Marlin fishing"), ("v", "Fiction.")),
    )
    return record


OLD_MAN = BookMetadata(
    title="The old man and the sea",
    authors=("Hemingway, Ernest",),
    publisher="Scribner",
    year="1995",
    isbn="0684801221",
    language="en",
    call_number="PS3515.E37 O4",
    subjects=("Fishers -- Cuba -- Fiction", "Marlin fishing -- Fiction"),
    summary="An old Cuban fisherman's struggle with a giant marlin.",
)


def iso2709(record: Record, encoding: str = "utf-8", coding: str = " ") -> bytes:
    """ISO 2709 bytes of ``record`` in any character set (pymarc writes UTF-8 or MARC-8 only)."""
    directory, body = b"", b""
    for field in record.fields:
        if field.control_field:
            data = (field.data or "").encode(encoding)
        else:
            data = "".join(field.indicators or "  ").encode("ascii") + b"".join(
                b"\x1f" + s.code.encode("ascii") + s.value.encode(encoding) for s in field.subfields
            )
        data += b"\x1e"
        directory += f"{field.tag}{len(data):04d}{len(body):05d}".encode("ascii")
        body += data
    base = 24 + len(directory) + 1
    length = base + len(body) + 1
    leader = f"{length:05d}{record.leader[5:9]}{coding}22{base:05d}{record.leader[17:]}".encode("ascii")
    return leader + directory + b"\x1e" + body + b"\x1d"


def _marcxml(*records: Record) -> bytes:
    out = io.BytesIO()
    writer = XMLWriter(out)
    for record in records:
        writer.write(record)
    writer.close(close_fh=False)
    return out.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _load_fixture_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("marc_fixture", ROOT / "benchmarks" / "marc_fixture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- reading -------------------------------------------------------------------------------


def test_iso2709_cnmarc_and_marc21_map_every_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "new-books.mrc", luotuo_xiangzi().as_marc() + old_man_and_the_sea().as_marc())
    cnmarc, marc21 = read_records(path)
    assert cnmarc.metadata == LUOTUO
    assert (cnmarc.source_format, cnmarc.control_number) == ("cnmarc", "012000123456")
    assert marc21.metadata == OLD_MAN
    assert (marc21.source_format, marc21.control_number) == ("marc21", "ocm32390183")
    assert cnmarc.raw.splitlines()[0].startswith("=LDR  ")
    assert "=200  1\\$a骆驼祥子$f老舍著" in cnmarc.raw.splitlines()
    assert "=245  14$aThe old man and the sea /$cErnest Hemingway." in marc21.raw.splitlines()


def test_marcxml_gives_the_same_records_as_iso2709(tmp_path: Path) -> None:
    path = _write(tmp_path, "new-books.xml", _marcxml(luotuo_xiangzi(), old_man_and_the_sea()))
    cnmarc, marc21 = read_records(path)
    assert (cnmarc.metadata, cnmarc.source_format, cnmarc.control_number) == (LUOTUO, "cnmarc", "012000123456")
    assert (marc21.metadata, marc21.source_format, marc21.control_number) == (OLD_MAN, "marc21", "ocm32390183")
    assert "=200  1\\$a骆驼祥子$f老舍著" in cnmarc.raw.splitlines()


def test_a_single_marcxml_record_without_namespace_is_read(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<record><leader>00000nam0 2200000   450 </leader>'
        '<controlfield tag="001">7</controlfield>'
        '<datafield tag="200" ind1="1" ind2=" "><subfield code="a">边城</subfield>'
        '<subfield code="f">沈从文著</subfield></datafield></record>'
    )
    [record] = read_records(_write(tmp_path, "one.xml", xml.encode()))
    assert (record.metadata.title, record.metadata.authors, record.control_number) == ("边城", ("沈从文",), "7")


def test_spoken_record_read_from_cnmarc(tmp_path: Path) -> None:
    [record] = read_records(_write(tmp_path, "one.iso", luotuo_xiangzi().as_marc()))
    assert record_to_speech_text(record) == (
        "书名：骆驼祥子；作者：老舍；出版社：人民文学出版社；出版年：2000；索书号：I246.5；"
        "ISBN：978-7-02-008763-9；主题：长篇小说－中国－现代；摘要：讲述北平人力车夫祥子三起三落的一生。"
    )


@pytest.mark.parametrize("name", ["a.mrc", "a.iso", "a.marc", "a.dat", "export.txt", "no-suffix"])
def test_iso2709_is_recognised_by_suffix_or_content(tmp_path: Path, name: str) -> None:
    assert [r.metadata.title for r in read_records(_write(tmp_path, name, luotuo_xiangzi().as_marc()))] == ["骆驼祥子"]


def test_marcxml_is_recognised_by_content(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.mrc", _marcxml(old_man_and_the_sea()))
    assert [r.metadata for r in read_records(path)] == [OLD_MAN]


def test_line_breaks_and_ctrl_z_between_records_are_skipped(tmp_path: Path) -> None:
    data = b"\r\n".join([luotuo_xiangzi().as_marc(), old_man_and_the_sea().as_marc()]) + b"\r\n\x1a"
    assert [r.source_format for r in read_records(_write(tmp_path, "a.mrc", data))] == ["cnmarc", "marc21"]


def test_gbk_cnmarc_is_decoded(tmp_path: Path) -> None:
    data = iso2709(luotuo_xiangzi(), encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    [record] = read_records(_write(tmp_path, "gbk.iso", data))
    assert record.metadata == LUOTUO


def test_gbk_cnmarc_labelled_as_utf8_is_decoded(tmp_path: Path) -> None:
    [record] = read_records(_write(tmp_path, "gbk.iso", iso2709(luotuo_xiangzi(), encoding="gbk", coding="a")))
    assert record.metadata == LUOTUO


def test_marc8_marc21_is_decoded(tmp_path: Path) -> None:
    record = Record(leader="00000cam  2200000 a 4500")
    record.add_field(_data("245", "10", ("a", "Cien a~nos de soledad /")))  # type: ignore[no-untyped-call]
    data = iso2709(record, encoding="ascii").replace(b"a~nos", b"a\xe4nos")  # MARC-8: combining tilde first
    [read] = read_records(_write(tmp_path, "marc8.mrc", data))
    assert read.metadata.title == "Cien años de soledad"


def test_record_in_no_known_encoding_is_refused(tmp_path: Path) -> None:
    data = iso2709(luotuo_xiangzi(), encoding="gbk").replace("骆驼".encode("gbk"), b"\xff\xfe\xff\xfe")
    with pytest.raises(InputError, match="第1条记录：文字编码无法识别") as caught:
        read_records(_write(tmp_path, "bad.iso", data))
    assert "record 1: unknown character set" in str(caught.value)


def test_cnmarc_names_from_200f_when_there_is_no_7xx(tmp_path: Path) -> None:
    record = Record(leader="00000nam0 2200000   450 ", force_utf8=True)
    record.add_field(  # type: ignore[no-untyped-call]
        _data("200", "1 ", ("a", "围城"), ("e", "长篇小说"), ("f", "钱钟书，杨绛等著")),
        _data("101", "0 ", ("a", "chi")),
    )
    [read] = read_records(_write(tmp_path, "a.mrc", record.as_marc()))
    assert (read.metadata.title, read.metadata.authors, read.metadata.language) == (
        "围城：长篇小说",
        ("钱钟书", "杨绛"),
        "zh",
    )


def test_cnmarc_western_name_is_surname_comma_forename(tmp_path: Path) -> None:
    record = Record(leader="00000nam0 2200000   450 ", force_utf8=True)
    record.add_field(  # type: ignore[no-untyped-call]
        _data("101", "0 ", ("a", "eng")),
        _data("200", "1 ", ("a", "The old man and the sea"), ("f", "Ernest Hemingway")),
        _data("210", "  ", ("c", "Scribner"), ("d", "c1995")),
        _data("701", " 1", ("a", "Hemingway,"), ("b", "Ernest")),
        _data("702", " 1", ("a", "李文俊"), ("4", "译")),
    )
    [read] = read_records(_write(tmp_path, "a.mrc", record.as_marc()))
    assert read.metadata.authors == ("Hemingway, Ernest", "李文俊")
    assert (read.metadata.year, read.metadata.language, read.control_number) == ("1995", "en", "")


def test_marc21_264_and_084_are_used_without_260_and_050(tmp_path: Path) -> None:
    record = Record(leader="00000cam a2200000 i 4500", force_utf8=True)
    record.add_field(  # type: ignore[no-untyped-call]
        _data("041", "0 ", ("a", "chi")),
        _data("084", "  ", ("a", "I246.5"), ("2", "clc")),
        _data("245", "00", ("a", "Camel Xiangzi :"), ("b", "a novel /"), ("c", "Lao She.")),
        _data("264", " 4", ("c", "©2004")),
        _data("264", " 1", ("a", "Beijing :"), ("b", "Foreign Languages Press,"), ("c", "[2005]")),
        _data("700", "1 ", ("a", "Shi, Xiaojing,"), ("e", "translator.")),
    )
    [read] = read_records(_write(tmp_path, "a.mrc", record.as_marc()))
    meta = read.metadata
    assert (meta.title, meta.publisher, meta.year) == ("Camel Xiangzi: a novel", "Foreign Languages Press", "2005")
    assert (meta.call_number, meta.language, meta.authors) == ("I246.5", "zh", ("Shi, Xiaojing",))


def test_iter_records_yields_good_records_before_the_bad_one(tmp_path: Path) -> None:
    data = luotuo_xiangzi().as_marc() + b"garbage!"
    records = iter_records(_write(tmp_path, "a.mrc", data))
    assert next(records).metadata == LUOTUO
    with pytest.raises(InputError, match="第2条记录"):
        next(records)


def test_fixture_generator_is_deterministic_and_readable(tmp_path: Path) -> None:
    fixture = _load_fixture_module()
    first, second = tmp_path / "a.mrc", tmp_path / "b.mrc"
    fixture.make_marc_file(first, 300)
    fixture.make_marc_file(second, 300)
    assert first.read_bytes() == second.read_bytes()
    records = read_records(first)
    assert len(records) == 300
    assert {r.source_format for r in records} == {"cnmarc", "marc21"}
    assert all(r.metadata.title and r.metadata.authors and r.metadata.isbn for r in records)


def test_one_bad_record_in_thousands_fails_the_whole_file_naming_it(tmp_path: Path) -> None:
    fixture = _load_fixture_module()
    path = tmp_path / "big.mrc"
    fixture.make_marc_file(path, 2000)
    data = bytearray(path.read_bytes())
    pos = 0
    for _ in range(1499):  # walk to record 1500
        pos += int(data[pos : pos + 5])
    data[pos + 12 : pos + 17] = b"12x45"  # break its base address
    path.write_bytes(bytes(data))
    start = time.perf_counter()
    with pytest.raises(InputError, match="第1500条记录：头标损坏") as caught:
        read_records(path)
    assert time.perf_counter() - start < 5
    assert str(path) in str(caught.value) and "record 1500: bad leader" in str(caught.value)


# -- bad input -----------------------------------------------------------------------------


def _refused(tmp_path: Path, name: str, data: bytes) -> InputError:
    path = _write(tmp_path, name, data)
    with pytest.raises(InputError) as caught:
        read_records(path)
    assert caught.value.source == str(path)
    return caught.value


def test_non_marc_bytes_are_refused(tmp_path: Path) -> None:
    error = _refused(tmp_path, "scan.mrc", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert error.message_zh == "第1条记录：不是 MARC（ISO 2709）文件：开头不是 5 位数字的记录长度"
    assert error.message_en == "record 1: not a MARC (ISO 2709) file: it does not start with a 5-digit record length"


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "list.pdf", b"%PDF-1.4")
    with pytest.raises(UnsupportedFormatError, match=r"MARCXML（\.xml）和 CSV（\.csv）"):
        read_records(path)


def test_non_digit_record_length_in_second_record(tmp_path: Path) -> None:
    second = bytearray(old_man_and_the_sea().as_marc())
    second[0:5] = b"00a12"
    error = _refused(tmp_path, "a.mrc", luotuo_xiangzi().as_marc() + bytes(second))
    assert error.message_zh.startswith("第2条记录：头标损坏")
    assert "record length (leader/00-04) is not a number" in error.message_en


def test_record_length_not_matching_the_leader(tmp_path: Path) -> None:
    first = bytearray(luotuo_xiangzi().as_marc())
    first[0:5] = f"{len(first) + 3:05d}".encode()
    error = _refused(tmp_path, "a.mrc", bytes(first) + old_man_and_the_sea().as_marc())
    assert error.message_zh.startswith("第1条记录：记录长度与头标不符")
    assert "record 1: record length does not match the leader" in error.message_en


def test_truncated_record(tmp_path: Path) -> None:
    data = luotuo_xiangzi().as_marc() + old_man_and_the_sea().as_marc()[:-40]
    error = _refused(tmp_path, "a.mrc", data)
    assert error.message_zh.startswith("第2条记录：记录不完整")
    assert "(was the file cut short?)" in error.message_en


def test_bad_base_address(tmp_path: Path) -> None:
    data = bytearray(luotuo_xiangzi().as_marc())
    data[12:17] = b"99999"
    assert _refused(tmp_path, "a.mrc", bytes(data)).message_zh.startswith("第1条记录：头标损坏：数据基地址 99999")


@pytest.mark.parametrize(
    ("offset", "replacement"),
    [(24 + 3, b"9999"), (24 + 7, b"00x00"), (24, b"")],
    ids=["length-past-end", "non-digit-offset", "not-multiple-of-12"],
)
def test_bad_directory(tmp_path: Path, offset: int, replacement: bytes) -> None:
    data = bytearray(luotuo_xiangzi().as_marc())
    if replacement:
        data[offset : offset + len(replacement)] = replacement
    else:  # drop one directory byte and fix lengths so only the directory is wrong
        del data[offset + 5]
        data.insert(len(data) - 1, ord(" "))
        data[12:17] = f"{int(data[12:17]) - 1:05d}".encode()
    error = _refused(tmp_path, "a.mrc", bytes(data))
    assert error.message_zh.startswith("第1条记录：目次区损坏"), error.message_zh
    assert error.message_en.startswith("record 1: bad directory")


def test_record_without_title_field(tmp_path: Path) -> None:
    record = Record(leader="00000nam0 2200000   450 ", force_utf8=True)
    record.add_field(Field(tag="001", data="x1"), _data("210", "  ", ("c", "人民文学出版社")))  # type: ignore[no-untyped-call]
    error = _refused(tmp_path, "a.mrc", luotuo_xiangzi().as_marc() + record.as_marc())
    assert error.message_zh == "第2条记录：没有题名字段（CNMARC 的 200 或 MARC 21 的 245）"
    assert error.message_en == "record 2: no title field (CNMARC 200 or MARC 21 245)"


def test_title_field_without_title(tmp_path: Path) -> None:
    record = Record(leader="00000nam0 2200000   450 ", force_utf8=True)
    record.add_field(_data("200", "1 ", ("f", "老舍著")))  # type: ignore[no-untyped-call]
    assert _refused(tmp_path, "a.mrc", record.as_marc()).message_zh == "第1条记录：题名字段 200 里没有正题名（$a）"


def test_file_of_separators_only(tmp_path: Path) -> None:
    assert _refused(tmp_path, "a.mrc", b"\x1a\x1a").message_en == "the file holds no catalog record"


def test_malformed_xml(tmp_path: Path) -> None:
    error = _refused(tmp_path, "a.xml", _marcxml(luotuo_xiangzi())[:-30])
    assert error.message_zh.startswith("XML 格式错误")


def test_xml_that_is_not_marcxml(tmp_path: Path) -> None:
    error = _refused(tmp_path, "a.xml", b"<?xml version='1.0'?><html><body>hi</body></html>")
    assert error.message_zh.startswith("不是 MARCXML 文件：根元素是 <html>")


def test_marcxml_without_records(tmp_path: Path) -> None:
    data = b'<collection xmlns="http://www.loc.gov/MARC21/slim"></collection>'
    assert _refused(tmp_path, "a.xml", data).message_en == "the MARCXML file holds no <record>"


def test_marcxml_field_with_bad_tag(tmp_path: Path) -> None:
    data = (
        b'<collection xmlns="http://www.loc.gov/MARC21/slim">\n<record>\n'
        b'<datafield tag="24" ind1="1" ind2="0"><subfield code="a">x</subfield></datafield>\n'
        b"</record></collection>"
    )
    error = _refused(tmp_path, "a.xml", data)
    assert error.message_zh == "第1条记录：第 3 行的字段标识 tag=“24”不是 3 位"


def test_marcxml_xxe_is_refused_and_the_file_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE collection [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><datafield tag="245" ind1="0" ind2="0">'
        '<subfield code="a">&xxe;</subfield></datafield></record></collection>'
    ).encode()
    error = _refused(tmp_path, "xxe.xml", data)
    assert "TOP-SECRET" not in str(error)
    assert error.message_en.startswith("the MARCXML file declares a DTD")


def test_marcxml_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE collection [{entities}]>'
        '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><datafield tag="245" ind1="0" ind2="0">'
        '<subfield code="a">&lol9;</subfield></datafield></record></collection>'
    ).encode()
    start = time.perf_counter()
    error = _refused(tmp_path, "lol.xml", data)
    assert time.perf_counter() - start < 2
    assert error.message_zh.startswith("MARCXML 文件带有 DTD 声明")


def test_records_are_plain_frozen_values() -> None:
    record = CatalogRecord(LUOTUO, "cnmarc", "1", "=001  1")
    with pytest.raises(AttributeError):
        record.control_number = "2"  # type: ignore[misc]
