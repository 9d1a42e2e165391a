"""Writers for paginated braille (pure: each returns bytes or text; storing is the caller's, atomically).

- :func:`to_pef`: PEF 2008-1, the master format (one ``volume`` per volume, ``section``, ``page``,
  ``row``); valid against the PEF RELAX NG schema, rows never longer than ``cols`` nor more than ``rows``.
- :func:`to_brf`: North American Braille ASCII (``en-us-brf.dis`` mapping), CRLF line ends, a form
  feed between pages; six-dot only (dots 7-8 are refused).
- :func:`to_unicode_text`: Unicode braille, LF line ends, a form feed between pages.
- :func:`to_html`: a preview for sighted proofreaders: each braille line over its print line, one
  ``section`` per page with a heading, ``lang`` set on the document and on print lines.
- :func:`to_svg`: a dot image of the pages (raised dots filled, the rest faint).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from accessible_reader.braille import cells as braille_cells
from accessible_reader.braille.cells import BLANK, is_six_dot
from accessible_reader.braille.layout import Page, Paginated
from accessible_reader.errors import InputError

PEF_NS = "http://www.daisy.org/ns/2008/pef"
DC_NS = "http://purl.org/dc/elements/1.1/"


def to_pef(
    book: Paginated,
    *,
    identifier: str,
    title: str = "",
    language: str = "",
    creator: str = "",
    today: date | None = None,
) -> bytes:
    """The PEF 2008-1 document of ``book`` as UTF-8 bytes. ``identifier`` is required by PEF (e.g. the book id)."""
    profile = book.profile
    duplex = "true" if profile.interpoint else "false"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<pef version="2008-1" xmlns="{PEF_NS}">',
        f'<head><meta xmlns:dc="{DC_NS}">',
        "<dc:format>application/x-pef+xml</dc:format>",
        f"<dc:identifier>{escape(identifier)}</dc:identifier>",
    ]
    if title:
        out.append(f"<dc:title>{escape(title)}</dc:title>")
    if creator:
        out.append(f"<dc:creator>{escape(creator)}</dc:creator>")
    if language:
        out.append(f"<dc:language>{escape(language)}</dc:language>")
    out.append(f"<dc:date>{(today or date.today()).isoformat()}</dc:date>")
    out.append("</meta></head><body>")
    for volume in book.volumes:
        out.append(
            f'<volume cols="{profile.cells_per_line}" rows="{profile.lines_per_page}" rowgap="0" duplex="{duplex}">'
        )
        out.append("<section>")
        for page in volume.pages:
            rows = "".join(f"<row>{_checked(line.cells, profile.cells_per_line)}</row>" for line in page.lines)
            out.append(f"<page>{rows}</page>")
        out.append("</section></volume>")
    out.append("</body></pef>")
    return "\n".join(out).encode("utf-8")


def _checked(cells: str, cols: int) -> str:
    text = cells.rstrip(BLANK)
    if len(text) > cols:
        raise InputError(f"盲文行超过 {cols} 方", f"a braille line is longer than {cols} cells")
    return text


def to_brf(book: Paginated) -> bytes:
    """Braille ASCII: CRLF after every line, a form feed between pages. Raises InputError on 8-dot cells."""
    return "\f".join(_brf_page(page) for page in book.pages()).encode("ascii")


def _brf_page(page: Page) -> str:
    lines = [line.cells.rstrip(BLANK) for line in page.lines]
    while lines and not lines[-1]:
        lines.pop()
    for line in lines:
        if not is_six_dot(line):
            raise InputError(
                "盲文含有 8 点字符，不能写成 BRF；请换一个 6 点盲文表",
                "the braille has 8-dot cells, which BRF cannot hold; use a 6-dot table",
            )
    return "".join(braille_cells.to_brf(line) + "\r\n" for line in lines)


def lines_to_brf(lines: list[str]) -> bytes:
    """Unpaginated lines of six-dot cells → Braille ASCII with CRLF (labels, short texts)."""
    for line in lines:
        if not is_six_dot(line):
            raise InputError("盲文含有 8 点字符，不能写成 BRF", "the braille has 8-dot cells, which BRF cannot hold")
    return "".join(braille_cells.to_brf(line.rstrip(BLANK)) + "\r\n" for line in lines).encode("ascii")


def to_unicode_text(book: Paginated) -> str:
    """Unicode braille: LF after every line, a form feed between pages."""
    pages = []
    for page in book.pages():
        pages.append("".join(line.cells.rstrip(BLANK) + "\n" for line in page.lines))
    return "\f".join(pages)


def to_html(book: Paginated, *, title: str, language: str, strings: Mapping[str, str]) -> str:
    """An HTML preview: per page a heading, then each braille line over the print it renders.

    ``strings`` are the locale strings of the staff's language (labels); ``language`` is the book's.
    """
    lang = quoteattr(language or "und")
    parts = [
        "<!DOCTYPE html>",
        f"<html lang={lang}>",
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(strings['braille.preview.title'].format(title=title))}</title>",
        "<style>",
        "body{font-family:sans-serif;max-width:60em;margin:auto}",
        ".page{border:1px solid #888;margin:1em 0;padding:.5em}",
        ".brl{font-family:'DejaVu Sans',monospace;font-size:1.4em;white-space:pre;margin:0}",
        ".prn{color:#333;margin:0 0 .3em 0;min-height:1em}",
        "</style>",
        "</head>",
        "<body>",
        f"<h1 lang={lang}>{html.escape(title)}</h1>",
    ]
    count = 0
    for v, volume in enumerate(book.volumes, start=1):
        parts.append(f"<h2>{html.escape(strings['braille.preview.volume'].format(n=v))}</h2>")
        for page in volume.pages:
            count += 1
            if page.number is not None:
                label = strings["braille.preview.page"].format(n=page.number)
            else:
                label = strings["braille.preview.preliminary"]
            if page.print_page:
                label += ", " + strings["braille.preview.print_page"].format(page=page.print_page)
            parts.append(f'<section class="page" aria-label={quoteattr(label)}>')
            parts.append(f"<h3>{html.escape(label)}</h3>")
            for line in page.lines:
                braille = html.escape(line.cells.rstrip(BLANK)) or "&#x2800;"
                parts.append(f'<p class="brl" lang="zxx" aria-hidden="true">{braille}</p>')
                parts.append(f'<p class="prn" lang={lang}>{html.escape(line.text)}</p>')
            parts.append("</section>")
    parts.append(f"<p>{html.escape(strings['braille.preview.count'].format(count=count))}</p>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


_DOT_OFFSETS = ((0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3))


def to_svg(book: Paginated, *, max_pages: int = 20, raised_only: bool = False) -> str:
    """An SVG dot image of the first ``max_pages`` pages, stacked; 1 unit = 0.1 mm (cell pitch 6.2 mm)."""
    profile = book.profile
    pages = book.pages()[:max_pages]
    cell_w, line_h, dot, radius = 62, 100, 25, 7
    page_w = profile.cells_per_line * cell_w + 40
    page_h = profile.lines_per_page * line_h + 40
    total_h = max(len(pages), 1) * (page_h + 20)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {page_w} {total_h}" '
        f'width="{page_w / 10}mm" height="{total_h / 10}mm" role="img">',
        f"<title>braille, {len(pages)} pages</title>",
    ]
    for index, page in enumerate(pages):
        top = index * (page_h + 20)
        out.append(f'<g transform="translate(0 {top})">')
        out.append(f'<rect x="0" y="0" width="{page_w}" height="{page_h}" fill="#fff" stroke="#888"/>')
        for row, line in enumerate(page.lines):
            for col, cell in enumerate(line.cells):
                value = ord(cell) - 0x2800
                for bit, (dx, dy) in enumerate(_DOT_OFFSETS[:6] if value < 64 else _DOT_OFFSETS):
                    raised = value >> bit & 1
                    if not raised and (raised_only or cell == BLANK):
                        continue
                    cx = 20 + col * cell_w + 12 + dx * dot
                    cy = 20 + row * line_h + 15 + dy * dot
                    fill = "#000" if raised else "#ddd"
                    out.append(f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{fill}"/>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
