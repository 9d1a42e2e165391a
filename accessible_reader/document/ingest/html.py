"""HTML, XHTML and Markdown ingest, and the HTML walker that EPUB content documents share.

:func:`walk_html` turns a parsed (X)HTML tree into builder calls: h1-h6 become headings,
p/div/blockquote text paragraphs, li list items with their nesting level, tr table rows,
and print page markers (``epub:type="pagebreak"``, ``role="doc-pagebreak"``, DAISY
``class="page-normal"``) page breaks. Navigation, scripts, styles and ruby annotations are
not read. Markdown is rendered to HTML by markdown-it-py and walked the same way.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from html.entities import html5
from pathlib import Path

from lxml import etree

from accessible_reader.document.builder import DocumentBuilder, book_id_for, clean_text
from accessible_reader.document.ingest.source import (
    IngestLimits,
    decode_text,
    parse_xml,
    read_bytes,
    safe_xml_parser,
)
from accessible_reader.document.model import Book, BookMetadata, book_stats
from accessible_reader.errors import InputError
from accessible_reader.text.sentences import detect_language

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Not read aloud: machinery, navigation (EPUB reads its nav document separately), media
# fallbacks ("your browser does not support video") and ruby readings, which would repeat
# the base text as pinyin or zhuyin.
_SKIPPED = frozenset(
    {
        "head", "script", "style", "template", "noscript", "nav", "svg", "math", "iframe", "object",
        "embed", "canvas", "audio", "video", "rt", "rp", "button", "select", "textarea",
    }
)  # fmt: skip
# Elements that end the running text before and after them.
_BLOCKS = frozenset(
    {
        "html", "body", "p", "div", "blockquote", "section", "article", "main", "header", "footer",
        "aside", "figure", "figcaption", "address", "pre", "dl", "dt", "dd", "hr", "center", "details",
        "summary", "fieldset", "legend", "form", "hgroup", "caption", "ul", "ol", "li", "table",
        "thead", "tbody", "tfoot", "tr", "td", "th",
    }
)  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_DAISY_PAGE_CLASSES = frozenset({"page-normal", "page-front", "page-special"})
# Marker text longer than this, or with sentence punctuation, is content a sloppy file put
# inside the marker, not its page number ("xviii", "第123页", "Page 12" all fit).
_PAGE_LABEL_MAX = 8
_SENTENCE_MARKS = re.compile(r"[。！？；，,;!?]")
_PAGE_WORDS = re.compile(r"^(?:page|pg\.?|p\.)\s*(.+)$|^第\s*(.+?)\s*页$", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# A <br> is a real line break; kept apart from source newlines until CJK lines are joined.
_LINE_BREAK = "\u2028"
_CJK_CHAR = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]"
_CJK_WRAP = re.compile(rf"(?<={_CJK_CHAR})[ \t\r\n]*\n[ \t\r\n]*(?={_CJK_CHAR})")
_ENTITY_REF = re.compile(r"^&([A-Za-z][A-Za-z0-9]*);$")


@dataclass(frozen=True, slots=True)
class PageMark:
    """A print page that starts at an anchor (from an EPUB page-list or NCX pageList)."""

    number: str


@dataclass(frozen=True, slots=True)
class HeadingMark:
    """A heading that starts at an anchor (from an EPUB toc, for documents without h1-h6)."""

    level: int
    title: str


Mark = PageMark | HeadingMark
DOCUMENT_START = ""
"""Key of :func:`walk_html`'s ``anchors`` for marks placed before the document's first block."""


def local_name(element: etree._Element) -> str | None:
    """The element's tag without namespace, lower-cased; None for entities and processing instructions."""
    if not isinstance(element.tag, str):
        return None
    return etree.QName(element).localname.lower()


def _epub_types(element: etree._Element) -> list[str]:
    # XHTML parsed as XML has the namespaced attribute; the HTML parser keeps the prefix.
    value = element.get(f"{{{EPUB_NS}}}type") or element.get("epub:type") or ""
    return value.split()


def page_label(text: str) -> str:
    """A page label as printed: "第12页", "Page 12" and "p. 12" all give "12"."""
    label = clean_text(text)
    match = _PAGE_WORDS.match(label)
    if match:
        label = (match.group(1) or match.group(2) or "").strip()
    return label


def page_marker_number(element: etree._Element) -> str | None:
    """The print page number if ``element`` marks a page break, else None.

    Recognises ``epub:type="pagebreak"`` and ``role="doc-pagebreak"`` (number from
    ``title``, then ``aria-label``, then the text) and DAISY's ``class="page-normal"``,
    ``page-front`` and ``page-special`` (number from the text, then an ``id`` like
    ``page-12``). Text longer than a page number is not taken for one. A marker without
    any number gives ``""``.
    """
    is_break = "pagebreak" in _epub_types(element) or "doc-pagebreak" in (element.get("role") or "").split()
    is_daisy = bool(_DAISY_PAGE_CLASSES & set((element.get("class") or "").split()))
    if not (is_break or is_daisy):
        return None
    own_text = "" if _holds_content(element) else text_of(element)
    if is_break:
        return page_label(element.get("title") or element.get("aria-label") or own_text)
    return page_label(own_text or (element.get("id") or "").removeprefix("page-"))


def _holds_content(marker: etree._Element) -> bool:
    """True when a page marker wraps text longer than a page number, which must still be read."""
    label = page_label(text_of(marker))
    return len(label) > _PAGE_LABEL_MAX or bool(_SENTENCE_MARKS.search(label))


def _heading_level(element: etree._Element) -> int:
    """1-6 for h1-h6 and ``role="heading"`` (its ``aria-level``, default 2); 0 for anything else."""
    name = local_name(element)
    if name in _HEADINGS:
        return _HEADINGS[name]
    if element.get("role") == "heading":
        level = element.get("aria-level") or "2"
        return min(max(int(level), 1), 6) if level.isdigit() else 2
    return 0


def _is_hidden(element: etree._Element) -> bool:
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
    )


def _is_skipped(element: etree._Element) -> bool:
    return local_name(element) in _SKIPPED or _is_hidden(element)


def _readable(root: etree._Element) -> list[etree._Element]:
    """Elements of ``root`` in document order, leaving out skipped and hidden subtrees."""
    found: list[etree._Element] = []
    stack = [root]
    while stack:
        element = stack.pop()
        if local_name(element) is None or _is_skipped(element):
            continue
        found.append(element)
        stack.extend(reversed(list(element)))
    return found


def has_headings(root: etree._Element) -> bool:
    """True when the document has a heading that :func:`walk_html` would read."""
    return any(_heading_level(element) for element in _readable(root))


def page_marker_numbers(root: etree._Element) -> list[str]:
    """Page numbers of the page markers :func:`walk_html` would read, in document order."""
    numbers = (page_marker_number(element) for element in _readable(root))
    return [number for number in numbers if number]


def _entity_text(node: etree._Element) -> str:
    """The character of an unresolved HTML named entity (``&nbsp;``); nothing for any other.

    The safe XML parser leaves entity references unexpanded. Only names from the HTML
    table are given back, so an entity a file declares for itself (an XXE or
    billion-laughs attempt) reads as nothing.
    """
    match = _ENTITY_REF.match(node.text or "")
    return html5.get(match.group(1) + ";", "") if match else ""


def text_of(element: etree._Element) -> str:
    """All text inside ``element`` in document order, with HTML named entities resolved."""
    parts = [element.text or ""]
    for child in element:
        parts.append(_entity_text(child) if local_name(child) is None else text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _Walker:
    """One pass over a tree; text is buffered until a block boundary, then handed to the builder.

    Where page breaks go, given that a sentence is the unit that is spoken and
    bookmarked and is never cut in two: a page marker inside a block goes before that
    block, or after it when only whitespace follows the marker, so "go to page 12" lands
    at most one block early; a page marker just before a heading goes just after it, so
    the page belongs to the section it starts and no untitled section holds only a page
    number.
    """

    def __init__(self, builder: DocumentBuilder, anchors: Mapping[str, Sequence[Mark]]) -> None:
        self._builder = builder
        self._anchors = anchors
        self._text: list[str] = []
        # marks waiting for the next block, each with how much text of its block preceded it
        self._pending: list[tuple[Mark, int]] = []
        self._list_depth = 0
        self._item_level = 0  # > 0 inside a list item: text becomes list items at this level
        self._collecting = 0  # > 0 while gathering a heading's or a cell's text as one string

    def walk(self, root: etree._Element) -> None:
        self._pending.extend((mark, 0) for mark in self._anchors.get(DOCUMENT_START, ()))
        self._visit(root)
        self._flush()
        self._place(lambda: None)  # marks after the last block

    def _children(self, element: etree._Element) -> None:
        if element.text:
            self._text.append(element.text)
        for child in element:
            if local_name(child) is None:
                self._text.append(_entity_text(child))
            else:
                self._visit(child)
            if child.tail:
                self._text.append(child.tail)

    def _mark(self, mark: Mark) -> None:
        self._pending.append((mark, _visible_length(self._text)))

    def _visit(self, element: etree._Element) -> None:
        if _is_skipped(element):
            return
        name = local_name(element) or ""
        level = _heading_level(element)
        if not self._collecting and (level or name in _BLOCKS):
            self._flush()  # text before a block is a block of its own, ahead of any mark here
        self._at_anchor(element)
        page = page_marker_number(element)
        if page is not None:
            self._mark(PageMark(page))
            if _holds_content(element):
                self._children(element)
            return
        if self._collecting:
            if name in ("img", "br"):
                self._inline_void(element, name)
            elif level or name in _BLOCKS:
                self._text.append(" ")
                self._children(element)
                self._text.append(" ")
            else:
                self._children(element)
            return
        if level:
            title = self._collect(element)
            self._place(partial(self._builder.heading, level, title), heading=True)
        elif name in ("img", "br"):
            self._inline_void(element, name)
        elif name in ("ul", "ol"):
            self._list_depth += 1
            self._children(element)
            self._list_depth -= 1
            self._flush()
        elif name == "li":
            outer_level, self._item_level = self._item_level, max(self._list_depth, 1)
            self._children(element)
            self._flush()
            self._item_level = outer_level
        elif name == "table":
            self._table(element)
        elif name in _BLOCKS:
            self._children(element)
            self._flush()
        else:
            self._children(element)

    def _inline_void(self, element: etree._Element, name: str) -> None:
        # an image's alt text is what a sighted reader sees in its place
        self._text.append(_LINE_BREAK if name == "br" else f" {element.get('alt') or ''} ")

    def _at_anchor(self, element: etree._Element) -> None:
        anchor = element.get("id")
        for mark in self._anchors.get(anchor, ()) if anchor else ():
            if isinstance(mark, HeadingMark) and not self._collecting:
                self._flush()  # text before the anchor belongs to the previous section
            self._mark(mark)

    def _table(self, table: etree._Element) -> None:
        rows: list[etree._Element] = []
        for child in table:
            name = local_name(child)
            if name == "caption":
                self._at_anchor(child)
                caption = self._collect(child)
                if caption.strip():
                    self._place(partial(self._builder.paragraph, caption))
            elif name in ("thead", "tbody", "tfoot"):
                rows.extend(row for row in child if local_name(row) == "tr")
            elif name == "tr":
                rows.append(child)
        for row in rows:
            self._at_anchor(row)
            cells: list[str] = []
            for cell in row:
                if local_name(cell) in ("td", "th"):
                    self._at_anchor(cell)
                    cells.append(self._collect(cell))
            if any(cell.strip() for cell in cells):
                self._place(partial(self._builder.table_row, cells))

    def _collect(self, element: etree._Element) -> str:
        """The text of ``element`` as one string, whatever blocks it holds; marks found stay pending."""
        outer, self._text = self._text, []
        self._collecting += 1
        self._children(element)
        self._collecting -= 1
        text, self._text = _finish_text(self._text), outer
        return text

    def _flush(self) -> None:
        """Hand the buffered text to the builder as a paragraph or list item, if there is any."""
        text = _finish_text(self._text)
        self._text = []
        size = _visible_length([text])
        if not size:
            return  # marks wait for the next block
        if self._item_level:
            self._place(partial(self._builder.list_item, text, self._item_level), size=size)
        else:
            self._place(partial(self._builder.paragraph, text), size=size)

    def _place(self, add_block: Callable[[], None], *, size: int = 0, heading: bool = False) -> None:
        """Add one block with the pending marks around it, as the class docstring says."""
        pending, self._pending = self._pending, []
        pages = [(mark.number, at) for mark, at in pending if isinstance(mark, PageMark)]
        before = [number for number, at in pages if not (size and at >= size)]
        after = [number for number, at in pages if size and at >= size]
        for mark, _at in pending:
            if isinstance(mark, HeadingMark):
                self._builder.heading(mark.level, mark.title)
        if heading:
            add_block()
        for number in before:
            self._builder.page_break(number)
        if not heading:
            add_block()
        for number in after:
            self._builder.page_break(number)


def _visible_length(parts: list[str]) -> int:
    return sum(len("".join(part.split())) for part in parts)


def _finish_text(parts: list[str]) -> str:
    # Chinese sources are often hard-wrapped; a newline between two CJK characters is
    # not a space a reader should hear.
    return _CJK_WRAP.sub("", "".join(parts)).replace(_LINE_BREAK, " ")


def walk_html(
    root: etree._Element,
    builder: DocumentBuilder,
    anchors: Mapping[str, Sequence[Mark]] | None = None,
) -> None:
    """Add the readable content of an (X)HTML tree to ``builder`` in document order.

    ``root`` may come from the HTML parser (plain tags) or from :func:`parse_xml`
    (XHTML-namespaced tags); both read the same. ``anchors`` maps element ids to marks
    for where that element starts: a page mark is placed as a page marker there would
    be (see ``_Walker``), a heading mark starts a new section there. Marks under
    :data:`DOCUMENT_START` go before everything. Ids not in the tree are ignored.
    """
    _Walker(builder, anchors or {}).walk(root)


# --- standalone HTML, XHTML and Markdown files ---

_BOM_PREFIXES = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)""")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_INTERNAL_DOCTYPE = re.compile(r"^\s*<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_INTERNAL_DOCTYPE_BYTES = re.compile(rb"^\s*(?:<\?xml[^>]*\?>)?\s*<!DOCTYPE[^\[>]*\[", re.IGNORECASE)
# Labels as the WHATWG Encoding Standard reads them: browsers decode GB2312/GBK pages as
# GB18030 and Big5 as Big5-HKSCS, and a page cannot really be UTF-16 if its meta was readable.
_ENCODING_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}


def _decode_html(data: bytes, source: Path | str) -> str:
    """Decode an HTML file: a BOM, else the declared ``<meta charset>`` / XML encoding, else a guess.

    A declaration that does not decode the bytes (a GBK page labelled UTF-8 is common) is
    ignored in favour of :func:`decode_text`'s detection.
    """
    if not data.startswith(_BOM_PREFIXES):
        head = data[:4096]
        declared = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
        if declared:
            label = declared.group(1).decode("ascii").lower()
            try:
                return data.decode(_ENCODING_ALIASES.get(label, label))
            except (LookupError, UnicodeDecodeError):
                pass
    text, _encoding = decode_text(data, source)
    return text


def parse_html(text: str, source: Path | str) -> etree._Element:
    """Parse decoded HTML with the safe, lenient HTML parser; a document with no elements raises InputError."""
    # lxml refuses str input that carries an encoding declaration, and the HTML parser
    # would show a DOCTYPE's internal subset as text.
    text = _INTERNAL_DOCTYPE.sub("", _XML_DECLARATION.sub("", text, count=1), count=1)
    try:
        root = etree.fromstring(text, safe_xml_parser(html=True))
    except (etree.XMLSyntaxError, etree.ParserError, ValueError) as error:
        raise InputError(f"无法解析网页：{error}", f"cannot parse the web page: {error}", source) from None
    if root is None:
        raise InputError("网页里没有内容", "the web page has no content", source)
    return root


def _looks_like_xml(data: bytes, path: Path) -> bool:
    start = data.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:5]
    return path.suffix.lower() == ".xhtml" or start == b"<?xml"


def _first_text(elements: Iterable[etree._Element], name: str) -> str:
    for element in elements:
        if local_name(element) == name:
            text = clean_text(text_of(element))
            if text:
                return text
    return ""


_LIST_SEPARATORS = re.compile(r"[;；、，]")
_KEYWORD_SEPARATORS = re.compile(r"[,;；、，]")


def _html_metadata(root: etree._Element, fallback_title: str) -> BookMetadata:
    """Metadata of an HTML document: ``<title>`` (else the first h1, else ``fallback_title``),
    ``<meta name="author|dc.creator|description|keywords">`` and ``<html lang>``.
    """
    title = _first_text(root.iter(), "title") or _first_text(_readable(root), "h1") or fallback_title
    authors: list[str] = []
    subjects: list[str] = []
    summary = ""
    for meta in root.iter():
        if local_name(meta) != "meta":
            continue
        name = (meta.get("name") or "").lower()
        content = clean_text(meta.get("content") or "")
        if name in ("author", "dc.creator", "dcterms.creator"):
            authors.extend(a.strip() for a in _LIST_SEPARATORS.split(content) if a.strip())
        elif name in ("keywords", "dc.subject"):
            subjects.extend(k.strip() for k in _KEYWORD_SEPARATORS.split(content) if k.strip())
        elif name in ("description", "dc.description") and not summary:
            summary = content
    lang = root.get("lang") or root.get(_XML_LANG) or ""
    if lang:
        language = lang.split("-")[0].split("_")[0].lower()
    else:
        sample = "".join(element.text or "" for element in _readable(root))[:2000]
        language = detect_language(title + sample)
    return BookMetadata(
        title=title,
        authors=tuple(dict.fromkeys(authors)),
        language=language,
        subjects=tuple(dict.fromkeys(subjects)),
        summary=summary,
    )


def _book_from_tree(root: etree._Element, data: bytes, path: Path) -> Book:
    builder = DocumentBuilder()
    walk_html(root, builder)
    book = builder.build(book_id_for(data), _html_metadata(root, path.stem))
    if book_stats(book).characters == 0:
        raise InputError("文件里没有可读的文字", "file contains no readable text", path)
    return book


def ingest_html(path: Path, limits: IngestLimits) -> Book:
    """Read an HTML or XHTML file into a Book.

    Well-formed XHTML is parsed as XML (so ``<span/>`` markers and namespaced
    ``epub:type`` read exactly); anything else with the lenient HTML parser, as a browser
    would. Neither parser loads DTDs or resolves entities the file declares.
    """
    data = read_bytes(path, limits)
    root: etree._Element | None = None
    if _looks_like_xml(data, path):
        try:
            root = parse_xml(data, path)
        except InputError:
            # Not well-formed: read it as a browser would, unless it declares entities of
            # its own, which only a hostile file does in HTML.
            if _INTERNAL_DOCTYPE_BYTES.match(data.lstrip(codecs.BOM_UTF8)):
                raise
    if root is None:
        root = parse_html(_decode_html(data, path), path)
    return _book_from_tree(root, data, path)


def ingest_markdown(path: Path, limits: IngestLimits) -> Book:
    """Read a Markdown file (CommonMark with tables) into a Book.

    The title is the first level-1 heading, else the file name; the heading also stays in
    the text as the first section.
    """
    from markdown_it import MarkdownIt

    data = read_bytes(path, limits)
    text, _encoding = decode_text(data, path)
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    root = parse_html(f"<html><body>{rendered}</body></html>", path)
    return _book_from_tree(root, data, path)
