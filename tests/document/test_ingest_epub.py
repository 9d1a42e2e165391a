"""EPUB ingest: EPUB 3 nav and EPUB 2 NCX, page lists, metadata, and hostile or broken files.

Every EPUB is built in tmp_path by ``fixtures.epub_builder``; nothing is downloaded.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest
from fixtures import flow
from fixtures.epub_builder import (
    Chapter,
    EpubSpec,
    TocEntry,
    container_xml,
    members,
    write_epub,
    write_zip,
)

from accessible_reader.document.ingest import ingest_path
from accessible_reader.document.ingest.epub import ingest_epub
from accessible_reader.document.ingest.source import MB, IngestLimits
from accessible_reader.document.model import Book
from accessible_reader.errors import InputError

LIMITS = IngestLimits()

EPUB3_METADATA = """
<dc:creator>鹿寨县图书馆</dc:creator>
<dc:creator>张明</dc:creator>
<dc:publisher>广西人民出版社</dc:publisher>
<dc:date>2021-11-01</dc:date>
<dc:identifier id="isbn">urn:isbn:978-7-219-11234-5</dc:identifier>
<dc:subject>公共图书馆</dc:subject>
<dc:subject>发展规划</dc:subject>
<dc:description>&lt;p&gt;鹿寨县图书馆&lt;b&gt;十四五&lt;/b&gt;规划。&lt;/p&gt;</dc:description>
"""

CH1 = """
<section epub:type="chapter">
<span epub:type="pagebreak" id="page1" title="1"/>
<h1>第一章 发展基础</h1>
<p>鹿寨县图书馆始建于1978年。馆舍面积2000平方米！读者满意吗？</p>
<span epub:type="pagebreak" id="page2" title="2"/>
<h2 id="s2">一、服务现状</h2>
<ul><li>借阅服务<ul><li>盲文图书</li></ul></li><li>讲座</li></ul>
<table><tr><th>年份</th><th>藏书（万册）</th></tr><tr><td>2020</td><td>12</td></tr></table>
</section>
"""

# No h1-h6: headings come from the toc; page 3 only from the page-list.
CH2 = """
<p>到2025年，建成无障碍阅读中心。</p>
<p id="pg3">第三页的内容。</p>
<p id="goal2">具体目标如下。</p>
"""


def epub3_spec() -> EpubSpec:
    return EpubSpec(
        chapters=[Chapter("ch1.xhtml", CH1, "第一章"), Chapter("ch2.xhtml", CH2, "第二章")],
        title="鹿寨县图书馆发展规划",
        metadata_extra=EPUB3_METADATA,
        toc=[
            TocEntry("第一章 发展基础", "ch1.xhtml", [TocEntry("一、服务现状", "ch1.xhtml#s2")]),
            TocEntry("第二章 发展目标", "ch2.xhtml", [TocEntry("二、具体目标", "ch2.xhtml#goal2")]),
        ],
        # pages 1 and 2 are also marked in the content and must not be doubled
        pages=[("1", "ch1.xhtml#page1"), ("2", "ch1.xhtml#page2"), ("3", "ch2.xhtml#pg3")],
    )


# A page that starts at a heading is placed just after the heading, in the section it starts.
EPUB3_FLOW = [
    "H1 第一章 发展基础",
    "[1]",
    "P 鹿寨县图书馆始建于1978年。馆舍面积2000平方米！读者满意吗？",
    "H2 一、服务现状",
    "[2]",
    "L1 借阅服务",
    "L2 盲文图书",
    "L1 讲座",
    "T 年份 | 藏书（万册）",
    "T 2020 | 12",
    "H1 第二章 发展目标",
    "P 到2025年，建成无障碍阅读中心。",
    "[3]",
    "P 第三页的内容。",
    "H2 二、具体目标",
    "P 具体目标如下。",
]

EPUB2_METADATA = """
<dc:creator opf:role="aut">王芳</dc:creator>
<dc:publisher>鹿寨县图书馆</dc:publisher>
<dc:date opf:event="modification">2023-05-01</dc:date>
<dc:date opf:event="publication">2019</dc:date>
<dc:identifier opf:scheme="ISBN">7-219-01234-X</dc:identifier>
<dc:subject>盲人阅读</dc:subject>
<dc:description>为视障读者服务。</dc:description>
"""


def epub2_spec() -> EpubSpec:
    return EpubSpec(
        version="2.0",
        chapters=[
            Chapter("text/ch1.xhtml", "<h1>第一章 开馆</h1><p>第一页。</p><p id='p2'>第二页&nbsp;开始。</p>"),
            Chapter("text/ch2.xhtml", "<div><p id='p3'>没有标题的一章。</p><p>第二句。</p></div>"),
        ],
        title="盲人阅读服务手册",
        language="zh",
        metadata_extra=EPUB2_METADATA,
        toc=[TocEntry("第一章 开馆", "text/ch1.xhtml"), TocEntry("第二章 服务", "text/ch2.xhtml")],
        pages=[("1", "text/ch1.xhtml"), ("2", "text/ch1.xhtml#p2"), ("3", "text/ch2.xhtml#p3")],
    )


def _book(tmp_path: Path, spec: EpubSpec, limits: IngestLimits = LIMITS) -> Book:
    return ingest_epub(write_epub(tmp_path / "book.epub", spec), limits)


def _error(path: Path, limits: IngestLimits = LIMITS) -> InputError:
    with pytest.raises(InputError) as caught:
        ingest_epub(path, limits)
    return caught.value


# --- EPUB 3 ---


def test_epub3_reading_order_headings_pages_lists_and_tables(tmp_path: Path) -> None:
    assert flow(_book(tmp_path, epub3_spec())) == EPUB3_FLOW


def test_epub3_heading_levels_and_page_numbers(tmp_path: Path) -> None:
    book = _book(tmp_path, epub3_spec())
    assert [(s.level, s.title) for s in book.sections] == [
        (1, "第一章 发展基础"),
        (2, "一、服务现状"),
        (1, "第二章 发展目标"),
        (2, "二、具体目标"),
    ]
    assert book.page_numbers() == ["1", "2", "3"]


def test_epub3_chinese_paragraph_is_split_into_sentences(tmp_path: Path) -> None:
    book = _book(tmp_path, epub3_spec())
    paragraph = book.sections[0].blocks[1]
    assert [s.text for s in paragraph.sentences] == [
        "鹿寨县图书馆始建于1978年。",
        "馆舍面积2000平方米！",
        "读者满意吗？",
    ]
    assert {s.language for s in paragraph.sentences} == {"zh"}


def test_epub3_metadata(tmp_path: Path) -> None:
    metadata = _book(tmp_path, epub3_spec()).metadata
    assert metadata.title == "鹿寨县图书馆发展规划"
    assert metadata.authors == ("鹿寨县图书馆", "张明")
    assert metadata.publisher == "广西人民出版社"
    assert metadata.year == "2021"
    assert metadata.isbn == "9787219112345"
    assert metadata.language == "zh"
    assert metadata.subjects == ("公共图书馆", "发展规划")
    assert metadata.summary == "鹿寨县图书馆十四五规划。"


def test_nav_document_is_not_read_as_content(tmp_path: Path) -> None:
    book = _book(tmp_path, epub3_spec())
    text = "".join(s.text for s in book.sentences())
    assert "目录" not in text
    assert "页码" not in text


def test_non_linear_spine_items_are_left_out(tmp_path: Path) -> None:
    spec = epub3_spec()
    spec.chapters = [*spec.chapters, Chapter("notes.xhtml", "<p>弹出注释。</p>", linear=False)]
    assert "弹出注释。" not in [s.text for s in _book(tmp_path, spec).sentences()]


def test_page_list_without_content_markers_places_breaks_at_targets(tmp_path: Path) -> None:
    spec = epub3_spec()
    spec.chapters = [Chapter("ch1.xhtml", "<h1>甲</h1><p>一。</p><p id='x'>二。</p><p>三。</p>")]
    spec.toc = [TocEntry("甲", "ch1.xhtml")]
    spec.pages = [("i", "ch1.xhtml"), ("ii", "ch1.xhtml#x"), ("9", "ch1.xhtml#missing")]
    assert flow(_book(tmp_path, spec)) == ["H1 甲", "[i]", "P 一。", "[ii]", "P 二。", "P 三。"]


def test_file_names_with_spaces_and_chinese_are_resolved(tmp_path: Path) -> None:
    name = "第一章 概述.xhtml"
    spec = epub3_spec()
    spec.chapters = [Chapter(name, "<p>概述正文。</p>")]
    spec.toc = [TocEntry("第一章 概述", quote(name))]
    spec.pages = [("5", quote(name))]
    assert flow(_book(tmp_path, spec)) == ["H1 第一章 概述", "[5]", "P 概述正文。"]


def test_ingest_path_routes_epub_files(tmp_path: Path) -> None:
    book = ingest_path(write_epub(tmp_path / "规划.epub", epub3_spec()))
    assert book.metadata.title == "鹿寨县图书馆发展规划"


def test_same_file_gives_same_ids(tmp_path: Path) -> None:
    path = write_epub(tmp_path / "book.epub", epub3_spec())
    first, second = ingest_epub(path, LIMITS), ingest_epub(path, LIMITS)
    assert first.id == second.id
    assert [s.id for s in first.sentences()] == [s.id for s in second.sentences()]


def test_font_obfuscation_is_not_drm(tmp_path: Path) -> None:
    spec = epub3_spec()
    spec.extra_files = {"META-INF/encryption.xml": _encryption("OEBPS/fonts/kai.ttf", font=True)}
    assert flow(_book(tmp_path, spec)) == EPUB3_FLOW


# --- EPUB 2 ---


def test_epub2_ncx_headings_and_page_list(tmp_path: Path) -> None:
    assert flow(_book(tmp_path, epub2_spec())) == [
        "H1 第一章 开馆",
        "[1]",
        "P 第一页。",
        "[2]",
        "P 第二页 开始。",
        "H1 第二章 服务",
        "[3]",
        "P 没有标题的一章。",
        "P 第二句。",
    ]


def test_epub2_metadata(tmp_path: Path) -> None:
    metadata = _book(tmp_path, epub2_spec()).metadata
    assert metadata.title == "盲人阅读服务手册"
    assert metadata.authors == ("王芳",)
    assert metadata.publisher == "鹿寨县图书馆"
    assert metadata.year == "2019"  # the publication date, not the modification date
    assert metadata.isbn == "721901234X"
    assert metadata.subjects == ("盲人阅读",)
    assert metadata.summary == "为视障读者服务。"


def test_nested_ncx_points_give_heading_levels(tmp_path: Path) -> None:
    spec = epub2_spec()
    spec.chapters = [Chapter("a.xhtml", "<p id='b'>一。</p><p id='c'>二。</p>")]
    spec.toc = [TocEntry("上编", "a.xhtml", [TocEntry("第一节", "a.xhtml#b"), TocEntry("第二节", "a.xhtml#c")])]
    spec.pages = []
    assert flow(_book(tmp_path, spec)) == ["H1 上编", "H2 第一节", "P 一。", "H2 第二节", "P 二。"]


def test_toc_entry_pointing_at_a_page_marker_heads_the_page(tmp_path: Path) -> None:
    spec = epub3_spec()
    body = '<p>序。</p><span epub:type="pagebreak" id="pg7" title="7"/><p>正文。</p>'
    spec.chapters = [Chapter("ch1.xhtml", body)]
    spec.toc = [TocEntry("第七页开始的一章", "ch1.xhtml#pg7")]
    spec.pages = [("7", "ch1.xhtml#pg7")]
    assert flow(_book(tmp_path, spec)) == ["P 序。", "H1 第七页开始的一章", "[7]", "P 正文。"]


def test_uuid_identifier_is_not_taken_for_an_isbn(tmp_path: Path) -> None:
    spec = replace(epub2_spec(), metadata_extra="")
    assert _book(tmp_path, spec).metadata.isbn == ""


# --- broken and hostile files ---


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "book.epub"
    path.write_text("这不是压缩包", encoding="utf-8")
    error = _error(path)
    assert "ZIP" in error.message_zh
    assert "not a valid ZIP" in error.message_en


def test_truncated_zip(tmp_path: Path) -> None:
    path = write_epub(tmp_path / "book.epub", epub3_spec())
    path.write_bytes(path.read_bytes()[:300])
    assert "损坏" in _error(path).message_zh


def test_missing_container(tmp_path: Path) -> None:
    files = members(epub3_spec())
    del files["META-INF/container.xml"]
    error = _error(write_zip(tmp_path / "book.epub", files))
    assert "META-INF/container.xml" in error.message_zh
    assert "missing" in error.message_en


def test_container_naming_a_missing_package(tmp_path: Path) -> None:
    spec = replace(epub3_spec(), container=container_xml("OEBPS/gone.opf"))
    error = _error(write_epub(tmp_path / "book.epub", spec))
    assert "OEBPS/gone.opf" in error.message_zh
    assert "OPF" in error.message_en


def test_container_without_rootfile(tmp_path: Path) -> None:
    empty = '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"/>'
    error = _error(write_epub(tmp_path / "book.epub", replace(epub3_spec(), container=empty)))
    assert "OPF" in error.message_zh


def test_spine_item_missing_from_archive(tmp_path: Path) -> None:
    files = members(epub3_spec())
    del files["OEBPS/ch2.xhtml"]
    error = _error(write_zip(tmp_path / "book.epub", files))
    assert "OEBPS/ch2.xhtml" in error.message_zh
    assert "OEBPS/ch2.xhtml" in error.message_en


def test_spine_item_missing_from_manifest(tmp_path: Path) -> None:
    files = members(epub3_spec())
    files["OEBPS/content.opf"] = str(files["OEBPS/content.opf"]).replace('idref="c2"', 'idref="ghost"')
    error = _error(write_zip(tmp_path / "book.epub", files))
    assert "ghost" in error.message_zh
    assert "not in the manifest" in error.message_en


def test_malformed_content_document(tmp_path: Path) -> None:
    files = members(epub3_spec())
    files["OEBPS/ch2.xhtml"] = "<html><body><p>没有结束标签</body>"
    error = _error(write_zip(tmp_path / "book.epub", files))
    assert "XML" in error.message_zh
    assert "malformed XML" in error.message_en
    assert "ch2.xhtml" in str(error)


def test_malformed_package(tmp_path: Path) -> None:
    files = members(epub3_spec())
    files["OEBPS/content.opf"] = "<package><metadata>"
    assert "malformed XML" in _error(write_zip(tmp_path / "book.epub", files)).message_en


def _encryption(uri: str, *, font: bool = False) -> str:
    algorithm = "http://www.idpf.org/2008/embedding" if font else "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
    return (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"'
        ' xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
        f'<enc:EncryptedData><enc:EncryptionMethod Algorithm="{algorithm}"/>'
        f'<enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>'
        "</encryption>"
    )


def test_drm_encrypted_content_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    files = members(epub3_spec())
    files["META-INF/encryption.xml"] = _encryption("OEBPS/ch1.xhtml")
    files["OEBPS/ch1.xhtml"] = bytes(range(256)) * 4  # what encrypted content looks like
    error = _error(write_zip(tmp_path / "book.epub", files))
    assert error.message_zh.startswith("受版权保护（DRM）加密的 EPUB 无法读取")
    assert error.message_en.startswith("DRM-encrypted EPUB cannot be read")


def test_empty_book(tmp_path: Path) -> None:
    spec = epub3_spec()
    spec.chapters = [Chapter("ch1.xhtml", "<p> </p><div><img src='cover.jpg' alt=''/></div>")]
    spec.toc = []
    spec.pages = []
    error = _error(write_epub(tmp_path / "book.epub", spec))
    assert "没有可读的文字" in error.message_zh
    assert "no readable text" in error.message_en


def test_empty_spine(tmp_path: Path) -> None:
    spec = epub3_spec()
    spec.chapters = []
    spec.toc = []
    spec.pages = []
    assert "no readable text" in _error(write_epub(tmp_path / "book.epub", spec)).message_en


XXE_DOCTYPE = '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def test_xxe_in_content_does_not_read_local_files(tmp_path: Path) -> None:
    files = members(epub3_spec())
    files["OEBPS/ch2.xhtml"] = (
        f'<?xml version="1.0"?>\n{XXE_DOCTYPE}\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<body><p>前&xxe;后</p></body></html>"
    )
    # the entity is left unexpanded and reads as nothing
    book = ingest_epub(write_zip(tmp_path / "book.epub", files), LIMITS)
    text = [s.text for s in book.sentences()]
    assert "前后" in text
    assert not any("root:" in t for t in text)


def test_xxe_in_package_metadata_does_not_read_local_files(tmp_path: Path) -> None:
    files = members(epub3_spec())
    opf = str(files["OEBPS/content.opf"])
    opf = opf.replace('<?xml version="1.0" encoding="UTF-8"?>\n', f'<?xml version="1.0"?>\n{XXE_DOCTYPE}\n')
    files["OEBPS/content.opf"] = opf.replace("<dc:title>鹿寨县图书馆发展规划</dc:title>", "<dc:title>&xxe;</dc:title>")
    metadata = ingest_epub(write_zip(tmp_path / "book.epub", files), LIMITS).metadata
    assert metadata.title == "book"  # nothing is left of the title, so the file name stands in


def test_billion_laughs_does_not_expand(tmp_path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10)
    )
    files = members(epub3_spec())
    files["OEBPS/ch2.xhtml"] = (
        f'<?xml version="1.0"?>\n<!DOCTYPE html [{entities}]>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>笑&lol9;</p></body></html>'
    )
    # libxml2 refuses the expansion (malformed XML); were it only left unexpanded, it would read as nothing
    try:
        book = ingest_epub(write_zip(tmp_path / "book.epub", files), LIMITS)
    except InputError as error:
        assert "XML" in error.message_en
    else:
        assert "lol" not in "".join(s.text for s in book.sentences())


def _zeros_member(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """Stream ``size`` zero bytes into ``name`` so no large buffer is held."""
    chunk = bytes(MB)
    with archive.open(name, "w", force_zip64=True) as member:
        for start in range(0, size, MB):
            member.write(chunk[: min(MB, size - start)])


def test_zip_bomb_member_with_extreme_ratio_is_refused(tmp_path: Path) -> None:
    path = write_epub(tmp_path / "book.epub", epub3_spec())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        _zeros_member(archive, "OEBPS/images/bomb.bin", 20 * MB)  # deflates about 1000:1
    error = _error(path)
    assert "压缩炸弹" in error.message_zh
    assert "zip bomb" in error.message_en


def test_zip_bomb_by_total_size_is_refused(tmp_path: Path) -> None:
    # many members under 1 MB each pass the ratio check; their sum does not pass the cap
    path = write_epub(tmp_path / "book.epub", epub3_spec())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        for n in range(8):
            _zeros_member(archive, f"OEBPS/images/{n}.bin", MB - 1)
    assert "zip bomb" in _error(path, IngestLimits(max_unpacked_bytes=4 * MB)).message_en


def test_spine_repeating_one_document_cannot_unpack_past_the_cap(tmp_path: Path) -> None:
    big = "<p>" + "重复的内容。" * 20_000 + "</p>"  # about 360 KB as UTF-8
    spec = epub3_spec()
    spec.chapters = [Chapter("ch1.xhtml", big)]
    files = members(spec)
    opf = str(files["OEBPS/content.opf"])
    files["OEBPS/content.opf"] = opf.replace('<itemref idref="c1"/>', '<itemref idref="c1"/>' * 20)
    error = _error(write_zip(tmp_path / "book.epub", files), IngestLimits(max_unpacked_bytes=2 * MB))
    assert "zip bomb" in error.message_en
