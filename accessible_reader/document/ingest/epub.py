"""EPUB 2 and EPUB 3 ingest, on zipfile and the entity-free XML parser.

``META-INF/container.xml`` names the OPF package; its metadata becomes the
:class:`~accessible_reader.document.model.BookMetadata`, and the XHTML documents of its
spine are read in order by the HTML walker. Navigation comes from the EPUB 3 nav
document (``toc`` and ``page-list``) or, failing that, the EPUB 2 NCX (``navMap`` and
``pageList``): page targets become page breaks where they point, unless the content
already marks those pages itself, and a document without h1-h6 gets its headings from
the toc entries that point into it.

ebooklib is not used: it parses with lxml's default parser, which resolves entities,
and reads members with no decompression cap.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from accessible_reader.document.builder import DocumentBuilder, book_id_for, clean_text
from accessible_reader.document.ingest.html import (
    DOCUMENT_START,
    EPUB_NS,
    XHTML_NS,
    HeadingMark,
    Mark,
    PageMark,
    has_headings,
    local_name,
    page_label,
    page_marker_numbers,
    parse_html,
    text_of,
    walk_html,
)
from accessible_reader.document.ingest.source import IngestLimits, open_zip, parse_xml, read_bytes, read_member
from accessible_reader.document.model import Book, BookMetadata, book_stats
from accessible_reader.errors import InputError
from accessible_reader.text.sentences import detect_language

_KIND = "EPUB"
CONTAINER_PATH = "META-INF/container.xml"
ENCRYPTION_PATH = "META-INF/encryption.xml"
_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "enc": "http://www.w3.org/2001/04/xmlenc#",
    "x": XHTML_NS,
}
_CONTENT_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_NCX_TYPE = "application/x-dtbncx+xml"
_TEXT_SUFFIXES = (".xhtml", ".html", ".htm", ".xml", ".opf", ".ncx")
_ISBN = re.compile(r"\d{9}[\dX]|97[89]\d{10}")
_ISBN_PREFIX = re.compile(r"^(?:urn:isbn:|isbn[:：]?)\s*", re.IGNORECASE)
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class _Item:
    path: str  # inside the archive
    media_type: str
    properties: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Target:
    """A navigation entry: where it points and what it says."""

    path: str
    fragment: str
    label: str
    depth: int = 1


@dataclass(frozen=True, slots=True)
class _Package:
    path: str
    metadata: etree._Element
    spine: tuple[_Item, ...]
    ncx: _Item | None
    nav: _Item | None


class _Archive:
    """Reads and parses members of one EPUB, keeping the total decompressed under the limit.

    ``open_zip`` checks each member once; this counts every read, because a spine may
    list one large document thousands of times.
    """

    def __init__(self, archive: zipfile.ZipFile, path: Path, limits: IngestLimits) -> None:
        self._archive = archive
        self._path = path
        self._limits = limits
        self._read = 0

    def has(self, name: str) -> bool:
        try:
            self._archive.getinfo(name)
        except KeyError:
            return False
        return True

    def xml(self, name: str) -> etree._Element:
        data = read_member(self._archive, name, self._path, self._limits, _KIND)
        self._read += len(data)
        if self._read > self._limits.max_unpacked_bytes:
            raise InputError(
                "EPUB 文件解压后过大（疑似压缩炸弹）", "EPUB file unpacks too large (likely a zip bomb)", self._path
            )
        return parse_xml(data, f"{self._path}:{name}")


def _resolve(base: str, href: str) -> tuple[str, str]:
    """``(archive path, fragment)`` of ``href`` found in the member ``base``; ``("", "")`` if external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return "", ""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(parts.path))) if parts.path else base
    return path, unquote(parts.fragment)


def _rootfile(archive: _Archive, path: Path) -> str:
    container = archive.xml(CONTAINER_PATH)
    rootfiles = container.findall("c:rootfiles/c:rootfile", _NS)
    preferred = [r for r in rootfiles if r.get("media-type") == "application/oebps-package+xml"]
    for rootfile in preferred or rootfiles:
        full_path = rootfile.get("full-path")
        if full_path:
            return unquote(full_path)
    raise InputError(
        "EPUB 的 container.xml 没有指明 OPF 包文件", "the EPUB's container.xml names no OPF package file", path
    )


def _package(archive: _Archive, opf_path: str, path: Path) -> _Package:
    if not archive.has(opf_path):
        raise InputError(
            f"EPUB 文件缺少 OPF 包文件 {opf_path}", f"EPUB file is missing its OPF package {opf_path}", path
        )
    opf = archive.xml(opf_path)
    metadata = opf.find("opf:metadata", _NS)
    manifest: dict[str, _Item] = {}
    for item in opf.iterfind("opf:manifest/opf:item", _NS):
        item_id, href = item.get("id"), item.get("href")
        if item_id and href:
            manifest[item_id] = _Item(
                _resolve(opf_path, href)[0],
                (item.get("media-type") or "").strip().lower(),
                frozenset((item.get("properties") or "").split()),
            )
    spine_element = opf.find("opf:spine", _NS)
    if spine_element is None:
        raise InputError(
            "EPUB 的 OPF 包文件没有 spine（阅读顺序）", "the EPUB's OPF package has no spine (reading order)", path
        )
    spine: list[_Item] = []
    for itemref in spine_element.iterfind("opf:itemref", _NS):
        idref = itemref.get("idref") or ""
        if idref not in manifest:
            raise InputError(
                f"EPUB 的阅读顺序引用了清单中不存在的条目“{idref}”",
                f"the EPUB's spine refers to '{idref}', which is not in the manifest",
                path,
            )
        # Non-linear items (pop-up notes, covers) are outside the reading order.
        if itemref.get("linear", "yes").strip().lower() != "no":
            spine.append(manifest[idref])
    ncx = manifest.get(spine_element.get("toc") or "") or next(
        (i for i in manifest.values() if i.media_type == _NCX_TYPE), None
    )
    nav = next((i for i in manifest.values() if "nav" in i.properties), None)
    return _Package(
        opf_path,
        metadata if metadata is not None else etree.Element("metadata"),
        tuple(spine),
        ncx,
        nav,
    )


def _refuse_drm(archive: _Archive, opf_path: str, path: Path) -> None:
    """Raise when ``encryption.xml`` lists the package or a text document.

    Fonts obfuscated under the IDPF or Adobe schemes are listed there too and are fine;
    encrypted text means DRM (Adobe ADEPT, Apple FairPlay and the like). This is checked
    before the package is parsed, since an encrypted package would only read as
    malformed XML.
    """
    if not archive.has(ENCRYPTION_PATH):
        return
    for reference in archive.xml(ENCRYPTION_PATH).iterfind(".//enc:CipherReference", _NS):
        # URIs in encryption.xml are relative to the container root, not to META-INF
        target = posixpath.normpath(unquote(reference.get("URI") or "").lstrip("/"))
        if target == opf_path or target.lower().endswith(_TEXT_SUFFIXES):
            raise InputError(
                "受版权保护（DRM）加密的 EPUB 无法读取；请向出版方索取无 DRM 的版本",
                "DRM-encrypted EPUB cannot be read; ask the publisher for a DRM-free copy",
                path,
            )


def _label(element: etree._Element) -> str:
    return clean_text(text_of(element))


def _nav_targets(archive: _Archive, nav: _Item) -> tuple[list[_Target], list[_Target]]:
    """``(toc, page list)`` of an EPUB 3 navigation document."""
    root = archive.xml(nav.path)
    toc: list[_Target] = []
    pages: list[_Target] = []
    for element in root.iter(f"{{{XHTML_NS}}}nav"):
        types = (element.get(f"{{{EPUB_NS}}}type") or "").split()
        if "toc" in types and not toc:
            destination = toc
        elif "page-list" in types and not pages:
            destination = pages
        else:
            continue
        for link in element.iter(f"{{{XHTML_NS}}}a"):
            href = link.get("href")
            if not href:
                continue
            target_path, fragment = _resolve(nav.path, href)
            depth = sum(1 for a in link.iterancestors() if local_name(a) == "li")
            label = page_label(_label(link)) if destination is pages else _label(link)
            destination.append(_Target(target_path, fragment, label, max(depth, 1)))
    return toc, pages


def _ncx_targets(archive: _Archive, ncx: _Item) -> tuple[list[_Target], list[_Target]]:
    """``(toc, page list)`` of an EPUB 2 NCX."""
    root = archive.xml(ncx.path)

    def target(point: etree._Element, depth: int, fallback_label: str = "") -> _Target | None:
        content = point.find("ncx:content", _NS)
        src = content.get("src") if content is not None else None
        if not src:
            return None
        label_element = point.find("ncx:navLabel/ncx:text", _NS)
        label = _label(label_element) if label_element is not None else ""
        target_path, fragment = _resolve(ncx.path, src)
        return _Target(target_path, fragment, label or fallback_label, depth)

    toc: list[_Target] = []
    for point in root.iterfind(".//ncx:navMap//ncx:navPoint", _NS):
        depth = sum(1 for a in point.iterancestors() if local_name(a) == "navpoint") + 1
        entry = target(point, depth)
        if entry is not None:
            toc.append(entry)
    pages: list[_Target] = []
    for page_target in root.iterfind(".//ncx:pageList/ncx:pageTarget", _NS):
        entry = target(page_target, 1, fallback_label=clean_text(page_target.get("value") or ""))
        if entry is not None:
            pages.append(replace(entry, label=page_label(entry.label)))
    return toc, pages


def _navigation(archive: _Archive, package: _Package) -> tuple[list[_Target], list[_Target]]:
    """The toc and the page list, from the nav document where it has them, else the NCX."""
    toc: list[_Target] = []
    pages: list[_Target] = []
    if package.nav is not None:
        toc, pages = _nav_targets(archive, package.nav)
    if (not toc or not pages) and package.ncx is not None:
        ncx_toc, ncx_pages = _ncx_targets(archive, package.ncx)
        toc, pages = toc or ncx_toc, pages or ncx_pages
    return toc, pages


def _anchors(
    root: etree._Element,
    doc_path: str,
    toc: list[_Target],
    pages: list[_Target],
    marked_pages: set[str],
) -> dict[str, list[Mark]]:
    """Marks for one content document, keyed by element id (``DOCUMENT_START`` for its top)."""
    ids = {element.get("id") for element in root.iter() if local_name(element) is not None}
    anchors: dict[str, list[Mark]] = defaultdict(list)
    # A page target to an id that is not there is dropped: any other place would be a guess.
    for page in pages:
        if page.path == doc_path and page.label and page.label not in marked_pages:
            if not page.fragment:
                anchors[DOCUMENT_START].append(PageMark(page.label))
            elif page.fragment in ids:
                anchors[page.fragment].append(PageMark(page.label))
    if not has_headings(root):
        for entry in toc:
            if entry.path == doc_path and entry.label:
                # an entry whose id is missing still names the document, so it heads it
                key = entry.fragment if entry.fragment in ids else DOCUMENT_START
                anchors[key].append(HeadingMark(entry.depth, entry.label))
    return anchors


def _isbn(identifier: etree._Element) -> str:
    text = clean_text(text_of(identifier))
    scheme = identifier.get(f"{{{_NS['opf']}}}scheme") or identifier.get("scheme") or ""
    if not (_ISBN_PREFIX.match(text) or scheme.lower() == "isbn" or re.fullmatch(r"[\d\s-]+[\dXx]", text)):
        return ""
    compact = re.sub(r"[\s-]", "", _ISBN_PREFIX.sub("", text)).upper()
    return compact if _ISBN.fullmatch(compact) else ""


def _plain_description(element: etree._Element) -> str:
    """Text of ``dc:description``, which often carries escaped HTML markup."""
    text = text_of(element)
    if "<" in text:
        text = text_of(parse_html(f"<html><body>{text}</body></html>", "description"))
    return clean_text(text)


def _metadata(package: _Package, fallback_title: str, book: Book) -> BookMetadata:
    meta = package.metadata

    def texts(name: str) -> list[str]:
        values = (clean_text(text_of(e)) for e in meta.iterfind(f".//dc:{name}", _NS))
        return list(dict.fromkeys(v for v in values if v))

    dates = sorted(
        meta.iterfind(".//dc:date", _NS),
        key=lambda d: (d.get(f"{{{_NS['opf']}}}event") or "publication") != "publication",
    )
    years = (_YEAR.search(text_of(d)) for d in dates)
    isbns = (_isbn(i) for i in meta.iterfind(".//dc:identifier", _NS))
    languages = texts("language")
    if languages:
        language = languages[0].split("-")[0].lower()
    else:
        sample = "".join(s.text for s in islice(book.sentences(), 50))
        language = detect_language(sample)
    return BookMetadata(
        title=next(iter(texts("title")), fallback_title),
        authors=tuple(texts("creator")),
        publisher=next(iter(texts("publisher")), ""),
        year=next((y.group() for y in years if y), ""),
        isbn=next((i for i in isbns if i), ""),
        language=language,
        subjects=tuple(texts("subject")),
        summary=next((s for s in map(_plain_description, meta.iterfind(".//dc:description", _NS)) if s), ""),
    )


def ingest_epub(path: Path, limits: IngestLimits) -> Book:
    """Read an EPUB 2 or EPUB 3 file into a Book.

    Raises InputError, in Chinese and English, for a file that is not a ZIP, lacks
    ``container.xml`` or its OPF package, names a spine item it does not hold, holds
    malformed XML, is DRM-encrypted, unpacks past ``limits`` or has no text.
    """
    data = read_bytes(path, limits)
    with open_zip(path, data, limits, _KIND) as zip_file:
        archive = _Archive(zip_file, path, limits)
        opf_path = _rootfile(archive, path)
        _refuse_drm(archive, opf_path, path)
        package = _package(archive, opf_path, path)
        toc, pages = _navigation(archive, package)
        documents = [(item.path, archive.xml(item.path)) for item in package.spine if item.media_type in _CONTENT_TYPES]
    marked_pages = {number for _, root in documents for number in page_marker_numbers(root)}
    builder = DocumentBuilder()
    for doc_path, root in documents:
        walk_html(root, builder, _anchors(root, doc_path, toc, pages, marked_pages))
    book = builder.build(book_id_for(data), BookMetadata(title=path.stem))
    if book_stats(book).characters == 0:
        raise InputError("EPUB 里没有可读的文字", "the EPUB contains no readable text", path)
    return replace(book, metadata=_metadata(package, path.stem, book))
