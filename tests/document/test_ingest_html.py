"""HTML and XHTML ingest: structure, page markers, metadata, encodings and hostile input.

Every file is written in tmp_path by the test that reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import flow
from lxml import etree

from accessible_reader.document.builder import DocumentBuilder
from accessible_reader.document.ingest import ingest_path
from accessible_reader.document.ingest.html import (
    DOCUMENT_START,
    HeadingMark,
    PageMark,
    ingest_html,
    page_label,
    walk_html,
)
from accessible_reader.document.ingest.source import IngestLimits, safe_xml_parser
from accessible_reader.document.model import Book, BookMetadata
from accessible_reader.errors import InputError

LIMITS = IngestLimits()


def _write(tmp_path: Path, content: str | bytes, name: str = "page.html") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _html(body: str, head: str = "", lang: str = "zh-CN") -> str:
    return f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def _read(tmp_path: Path, body: str, head: str = "") -> Book:
    return ingest_html(_write(tmp_path, _html(body, head)), LIMITS)


def test_structure_in_reading_order(tmp_path: Path) -> None:
    body = """
    <h1>鹿寨县图书馆</h1>
    <p>鹿寨县图书馆始建于1978年。馆舍面积2000平方米！</p>
    <h2>一、<em>服务</em>现状</h2>
    <div>直接写在 div 里的文字。</div>
    <blockquote><p>引文一。</p><p>引文二。</p></blockquote>
    <ol><li>借阅<ul><li>盲文图书</li><li>有声读物</li></ul></li><li>讲座</li></ol>
    <table><caption>表1 藏书</caption>
      <thead><tr><th>年份</th><th>册数</th></tr></thead>
      <tbody><tr><td>2020</td><td><p>10万</p></td></tr></tbody>
    </table>
    <h3>（一）小结</h3><p>完。</p>
    """
    assert flow(_read(tmp_path, body)) == [
        "H1 鹿寨县图书馆",
        "P 鹿寨县图书馆始建于1978年。馆舍面积2000平方米！",
        "H2 一、服务现状",
        "P 直接写在 div 里的文字。",
        "P 引文一。",
        "P 引文二。",
        "L1 借阅",
        "L2 盲文图书",
        "L2 有声读物",
        "L1 讲座",
        "P 表1 藏书",
        "T 年份 | 册数",
        "T 2020 | 10万",
        "H3 （一）小结",
        "P 完。",
    ]


def test_chinese_paragraph_is_split_into_sentences(tmp_path: Path) -> None:
    book = _read(tmp_path, "<p>到2025年，建成阅读中心。读者满意吗？“好！”他说。</p>")
    assert [s.text for s in book.sentences()] == ["到2025年，建成阅读中心。", "读者满意吗？", "“好！”", "他说。"]


def test_text_before_first_heading_is_an_untitled_section(tmp_path: Path) -> None:
    book = _read(tmp_path, "<p>前言。</p><h1>正文</h1><p>内容。</p>")
    assert [(s.implicit, s.title) for s in book.sections] == [(True, ""), (False, "正文")]


def test_scripts_styles_navigation_hidden_text_and_ruby_readings_are_not_read(tmp_path: Path) -> None:
    body = """
    <nav><ol><li><a href="#a">目录项</a></li></ol></nav>
    <script>var x = "脚本";</script><style>p { color: red }</style>
    <noscript>请启用脚本</noscript>
    <p hidden>隐藏一</p><p aria-hidden="true">隐藏二</p><p style="display: none">隐藏三</p>
    <p><ruby>鹿<rp>(</rp><rt>lù</rt><rp>)</rp></ruby>寨县。</p>
    """
    assert flow(_read(tmp_path, body)) == ["P 鹿寨县。"]


def test_hard_wrapped_chinese_is_joined_but_english_keeps_its_space(tmp_path: Path) -> None:
    book = _read(tmp_path, "<p>鹿寨县\n  图书馆</p><p>public\nlibrary</p><p>一行<br/>两行</p>")
    assert flow(book) == ["P 鹿寨县图书馆", "P public library", "P 一行 两行"]


def test_image_alt_text_is_read(tmp_path: Path) -> None:
    assert flow(_read(tmp_path, '<p>馆徽<img src="logo.png" alt="一本打开的书"/>。</p>')) == ["P 馆徽 一本打开的书 。"]


def test_three_kinds_of_page_marker(tmp_path: Path) -> None:
    body = """
    <p>第一页。</p>
    <span epub:type="pagebreak" title="2"></span>
    <p>第二页。</p>
    <div role="doc-pagebreak" aria-label="第3页"></div>
    <p>第三页。</p>
    <span class="page-normal" id="page-4">4</span>
    <p>第四页。</p>
    <span class="page-front" id="page-v"></span>
    <p>前言。</p>
    """
    assert flow(_read(tmp_path, body)) == [
        "P 第一页。",
        "[2]",
        "P 第二页。",
        "[3]",
        "P 第三页。",
        "[4]",
        "P 第四页。",
        "[v]",
        "P 前言。",
    ]


def test_page_marker_inside_a_paragraph_keeps_its_sentences_whole(tmp_path: Path) -> None:
    body = """
    <p>甲。</p>
    <p>乙句开始<span epub:type="pagebreak" title="8"/>乙句结束。</p>
    <p>丙。<span epub:type="pagebreak" title="9"/></p>
    <p>丁。</p>
    """
    # mid-paragraph: before the paragraph; at its very end: after it
    assert flow(_read(tmp_path, body)) == ["P 甲。", "[8]", "P 乙句开始乙句结束。", "P 丙。", "[9]", "P 丁。"]


def test_page_marker_before_a_heading_goes_into_the_section_it_starts(tmp_path: Path) -> None:
    body = '<span epub:type="pagebreak" title="1"/><h1>第一章</h1><p>正文。</p>'
    book = _read(tmp_path, body)
    assert flow(book) == ["H1 第一章", "[1]", "P 正文。"]
    assert [s.title for s in book.sections] == ["第一章"]


def test_page_marker_wrapping_content_still_reads_the_content(tmp_path: Path) -> None:
    body = '<div class="page-normal" id="page-6"><p>这一页的全部内容都在标记里面。</p></div><p>下一段。</p>'
    assert flow(_read(tmp_path, body)) == ["[6]", "P 这一页的全部内容都在标记里面。", "P 下一段。"]


def test_page_marker_inside_a_table_goes_before_its_row(tmp_path: Path) -> None:
    body = '<table><tr><td>甲</td></tr><tr><td>乙<span role="doc-pagebreak" title="7"/></td></tr></table>'
    assert flow(_read(tmp_path, body)) == ["T 甲", "[7]", "T 乙"]


@pytest.mark.parametrize(
    ("label", "expected"),
    [("12", "12"), ("第12页", "12"), ("Page 12", "12"), ("p. xii", "xii"), (" 7 ", "7")],
)
def test_page_label(label: str, expected: str) -> None:
    assert page_label(label) == expected


def test_metadata_from_head(tmp_path: Path) -> None:
    head = """
    <title>鹿寨县图书馆“十四五”规划</title>
    <meta name="author" content="鹿寨县图书馆；张明">
    <meta name="DC.Creator" content="李华">
    <meta name="description" content="2021—2025年发展规划。">
    <meta name="keywords" content="公共图书馆,规划，视障服务">
    """
    metadata = _read(tmp_path, "<p>正文。</p>", head).metadata
    assert metadata == BookMetadata(
        title="鹿寨县图书馆“十四五”规划",
        authors=("鹿寨县图书馆", "张明", "李华"),
        language="zh",
        subjects=("公共图书馆", "规划", "视障服务"),
        summary="2021—2025年发展规划。",
    )


def test_title_falls_back_to_first_h1_then_file_name(tmp_path: Path) -> None:
    assert _read(tmp_path, "<h2>小节</h2><h1>大标题</h1>").metadata.title == "大标题"
    english = ingest_html(_write(tmp_path, "<html><body><p>Hello there.</p></body></html>", "notes.html"), LIMITS)
    assert english.metadata.title == "notes"
    assert english.metadata.language == "en"


def test_html_lang_sets_the_language(tmp_path: Path) -> None:
    path = _write(tmp_path, _html("<p>鹿寨。</p>", lang="en-GB"))
    assert ingest_html(path, LIMITS).metadata.language == "en"


def test_gbk_page_declared_in_meta_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="gbk"><title>鹿寨</title></head><body><p>视障读者服务。</p></body></html>'
    book = ingest_html(_write(tmp_path, page.encode("gbk")), LIMITS)
    assert book.metadata.title == "鹿寨"
    assert flow(book) == ["P 视障读者服务。"]


def test_gb2312_declared_in_http_equiv(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
        "<body><p>图书馆。</p></body></html>"
    )
    assert flow(ingest_html(_write(tmp_path, page.encode("gb2312")), LIMITS)) == ["P 图书馆。"]


def test_big5_page_declared_in_meta_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="big5"></head><body><p>圖書館。</p></body></html>'
    assert flow(ingest_html(_write(tmp_path, page.encode("big5")), LIMITS)) == ["P 圖書館。"]


def test_wrong_charset_declaration_falls_back_to_detection(tmp_path: Path) -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>鹿寨县图书馆为视障读者提供服务。</p></body></html>'
    assert flow(ingest_html(_write(tmp_path, page.encode("gb18030")), LIMITS)) == ["P 鹿寨县图书馆为视障读者提供服务。"]


def test_xhtml_is_read_as_xml_with_self_closing_markers_and_named_entities(tmp_path: Path) -> None:
    page = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="zh">
<head><title>章节</title></head>
<body><h1>第五章</h1><p>上文。</p><span epub:type="pagebreak" title="5"/><p>下文&nbsp;继续&mdash;完。</p></body>
</html>"""
    book = ingest_html(_write(tmp_path, page, "chapter.xhtml"), LIMITS)
    assert flow(book) == ["H1 第五章", "P 上文。", "[5]", "P 下文 继续—完。"]
    assert book.metadata.title == "章节"
    assert book.metadata.language == "zh"


def test_malformed_xhtml_is_read_leniently(tmp_path: Path) -> None:
    page = '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>没有结束<p>第二段</body>'
    assert flow(ingest_html(_write(tmp_path, page, "broken.xhtml"), LIMITS)) == ["P 没有结束", "P 第二段"]


XXE = '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("name", ["page.xhtml", "page.html"])
def test_xxe_does_not_read_local_files(tmp_path: Path, name: str) -> None:
    page = (
        f'<?xml version="1.0"?>\n{XXE}\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>前&xxe;后</p></body></html>'
    )
    book = ingest_html(_write(tmp_path, page, name), LIMITS)
    text = "".join(s.text for s in book.sentences())
    assert "root:" not in text
    assert text.startswith("前")


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10)
    )
    page = f'<?xml version="1.0"?>\n<!DOCTYPE html [{entities}]>\n<html><body><p>&lol9;</p></body></html>'
    try:
        book = ingest_html(_write(tmp_path, page, "lol.xhtml"), LIMITS)
    except InputError as error:
        assert "XML" in error.message_en
    else:
        assert "lol" not in "".join(s.text for s in book.sentences())


def test_page_without_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        _read(tmp_path, "<script>alert(1)</script><p> </p><img src='x.png'/>")
    assert "没有可读的文字" in caught.value.message_zh
    assert "no readable text" in caught.value.message_en


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        ingest_html(_write(tmp_path, "  \n"), LIMITS)


def test_ingest_path_routes_html_suffixes(tmp_path: Path) -> None:
    for name in ("a.htm", "b.html", "c.xhtml"):
        assert flow(ingest_path(_write(tmp_path, _html("<p>文字。</p>"), name))) == ["P 文字。"]


def _walk(body: str, anchors: dict[str, list[PageMark | HeadingMark]]) -> list[str]:
    root = etree.fromstring(f"<html><body>{body}</body></html>", safe_xml_parser(html=True))
    builder = DocumentBuilder()
    walk_html(root, builder, anchors)
    return flow(builder.build("bk0", BookMetadata(title="t")))


def test_walk_html_places_anchor_marks() -> None:
    body = "<p>一。</p><p id='b'>二<span id='c'>三</span>。</p><p id='d'>四。</p>"
    anchors: dict[str, list[PageMark | HeadingMark]] = {
        DOCUMENT_START: [HeadingMark(1, "开头")],
        "b": [PageMark("2")],
        "c": [PageMark("3")],  # inside a paragraph: before it, like a marker
        "d": [HeadingMark(2, "小节"), PageMark("4")],
        "missing": [PageMark("99")],
    }
    assert _walk(body, anchors) == ["H1 开头", "P 一。", "[2]", "[3]", "P 二三。", "H2 小节", "[4]", "P 四。"]
