"""Writers: PEF against the RELAX NG schema and the Schematron rules, BRF geometry, HTML preview, SVG."""

from __future__ import annotations

from pathlib import Path

import pytest
from braille_paths import ROOT, SHARED
from lxml import etree

from accessible_reader.braille.cells import from_brf
from accessible_reader.braille.chinese import ChineseBraille
from accessible_reader.braille.convert import book_to_pages, render_bytes, store, text_to_brf
from accessible_reader.braille.layout import PROFILES, Paginated
from accessible_reader.braille.writers import to_pef
from accessible_reader.document.ingest import ingest_path
from accessible_reader.document.model import Book
from accessible_reader.errors import InputError

SAMPLE = ROOT / "content" / "books" / "reading-room-guide.txt"
RNG = SHARED / "specs" / "pef-2008-1.rng"
SCH = SHARED / "specs" / "pef-2008-1.sch"
NS = {"p": "http://www.daisy.org/ns/2008/pef"}


@pytest.fixture(scope="module")
def book() -> Book:
    return ingest_path(SAMPLE)


@pytest.fixture(scope="module")
def pages(book: Book, gf2018: ChineseBraille) -> Paginated:
    return book_to_pages(book, gf2018, PROFILES["default"]).pages


@pytest.fixture(scope="module")
def pef(book: Book, pages: Paginated) -> bytes:
    return render_bytes(pages, "pef", book=book, language="zh")


@pytest.mark.skipif(not RNG.is_file(), reason="../shared/specs/pef-2008-1.rng is absent")
def test_pef_is_valid_against_the_relax_ng_schema(pef: bytes) -> None:
    schema = etree.RelaxNG(etree.parse(str(RNG)))
    document = etree.fromstring(pef)
    assert schema.validate(document), schema.error_log


@pytest.mark.skipif(not SCH.is_file(), reason="../shared/specs/pef-2008-1.sch is absent")
def test_pef_keeps_the_schematron_rules(pef: bytes) -> None:
    """Rule 1 (rows fit the page height, rowgap 0) and rule 2 (no row longer than cols), as the .sch states them."""
    rules = SCH.read_text(encoding="utf-8")
    assert "[Rule 1]" in rules and "[Rule 2]" in rules
    root = etree.fromstring(pef)
    try:
        from lxml import isoschematron

        validator = isoschematron.Schematron(etree.parse(str(SCH)))
    except etree.XSLTParseError:
        validator = None  # rule 1 uses XPath 2 (sum over a path): lxml's XSLT 1 cannot compile it
    if validator is not None:
        assert validator.validate(root), validator.error_log
    volumes = root.findall(".//p:volume", NS)
    assert volumes
    for volume in volumes:
        rows, cols = int(volume.get("rows", "0")), int(volume.get("cols", "0"))
        assert volume.get("rowgap") == "0"
        for page in volume.findall(".//p:page", NS):
            assert len(page.findall("p:row", NS)) <= rows
            for row in page.findall("p:row", NS):
                assert len(row.text or "") <= cols
                assert all(0x2800 <= ord(c) <= 0x28FF for c in row.text or "")


def test_pef_metadata(pef: bytes, book: Book) -> None:
    root = etree.fromstring(pef)
    dc = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert root.findtext(".//dc:identifier", namespaces=dc) == book.id
    assert root.findtext(".//dc:format", namespaces=dc) == "application/x-pef+xml"
    assert root.findtext(".//dc:title", namespaces=dc) == book.metadata.title


def test_brf_geometry(book: Book, pages: Paginated) -> None:
    brf = render_bytes(pages, "brf", book=book, language="zh")
    text = brf.decode("ascii")
    sheets = text.split("\f")
    assert len(sheets) == len(pages.pages())
    for sheet in sheets:
        assert "\n" not in sheet.replace("\r\n", "")  # CRLF only
        lines = sheet.split("\r\n")[:-1] if sheet else []
        assert len(lines) <= 25
        assert all(len(line) <= 40 for line in lines)
        assert all(32 <= ord(c) < 96 for line in lines for c in line)
    first_body = pages.pages()[2]
    assert from_brf(sheets[2].split("\r\n")[0]) == first_body.lines[0].cells.rstrip("\u2800")


def test_brf_refuses_eight_dot_cells(pages: Paginated) -> None:
    from dataclasses import replace

    from accessible_reader.braille.layout import Line, Page, Volume
    from accessible_reader.braille.writers import to_brf

    bad = replace(pages, volumes=(Volume((Page((Line("⡁"),)),)),))
    with pytest.raises(InputError):
        to_brf(bad)


def test_html_preview(book: Book, pages: Paginated) -> None:
    html = render_bytes(pages, "html", book=book, language="zh").decode("utf-8")
    tree = etree.HTML(html)
    assert tree.get("lang") == "zh"
    assert tree.find(".//h1").text == book.metadata.title
    braille = tree.findall(".//p[@class='brl']")
    printed = tree.findall(".//p[@class='prn']")
    assert len(braille) == len(printed) == sum(len(p.lines) for p in pages.pages())
    assert all(p.get("lang") == "zh" for p in printed)
    assert any("阅览室" in (p.text or "") for p in printed)  # print under its braille line


def test_svg_and_text_and_store(tmp_path: Path, book: Book, pages: Paginated) -> None:
    svg = etree.fromstring(render_bytes(pages, "svg", book=book, language="zh"))
    assert svg.tag.endswith("svg")
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}circle")) > 1000
    text = render_bytes(pages, "txt", book=book, language="zh").decode("utf-8")
    assert text.count("\f") == len(pages.pages()) - 1
    for suffix in ("pef", "brf", "html", "txt", "svg"):
        store(pages, tmp_path / f"out.{suffix}", book=book, language="zh")
        assert (tmp_path / f"out.{suffix}").stat().st_size > 100
    assert not list(tmp_path.glob(".*.part"))
    with pytest.raises(InputError):
        store(pages, tmp_path / "out.doc", book=book, language="zh")


def test_text_to_brf_for_labels(gf2018: ChineseBraille) -> None:
    brf = text_to_brf("鹿寨县图书馆\n读者 张三", gf2018, cols=20)
    lines = brf.decode("ascii").split("\r\n")
    assert lines[-1] == ""
    assert all(len(line) <= 20 for line in lines)
    assert len(lines) >= 3


def test_pef_row_longer_than_cols_is_refused(pages: Paginated) -> None:
    from dataclasses import replace

    from accessible_reader.braille.layout import Line, Page, Volume

    bad = replace(pages, volumes=(Volume((Page((Line("⠃" * 41),)),)),))
    with pytest.raises(InputError):
        to_pef(bad, identifier="x")
