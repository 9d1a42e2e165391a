"""``book_to_epub3``: EPUB 3 with Media Overlays (text highlighted in step with the narration).

One XHTML content document and one SMIL Media Overlay per navigable part (see :mod:`.plan`), the section
MP3s copied unchanged, a navigation document with the heading tree and the print page list, and the
accessibility metadata (schema.org, EPUB Accessibility) a reading system or a library catalogue needs.

:func:`book_to_epub3` builds the publication in memory; :func:`write_epub3` zips it atomically with the
``mimetype`` entry first and stored, as OCF requires. Checked with epubcheck in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from accessible_reader.audio.book_audio import BookAudio
from accessible_reader.document.model import Book
from accessible_reader.export.common import (
    GENERATOR,
    ExportOptions,
    creators,
    esc,
    identifier,
    language_tag,
)
from accessible_reader.export.content import block_html
from accessible_reader.export.plan import ExportPlan, Part, format_clock, plan_export
from accessible_reader.export.tree import CopyOf, OutputTree, write_zip
from accessible_reader.locale import load_strings

ACTIVE_CLASS = "-epub-media-overlay-active"
MIMETYPE = "mimetype"
_CSS = f"""body {{ font-size: 1.4em; line-height: 1.6; }}
.{ACTIVE_CLASS} {{ background-color: #ffeb3b; color: #000000; }}
"""


@dataclass(frozen=True, slots=True)
class Epub3Book:
    """An EPUB 3 publication held in memory: its files (paths inside the ZIP) and total narration (seconds)."""

    tree: OutputTree
    total_s: float
    plan: ExportPlan


def book_to_epub3(book: Book, audio: BookAudio, options: ExportOptions | None = None) -> Epub3Book:
    """Build the EPUB 3 of ``book`` with Media Overlays from ``audio`` (no file is written).

    Raises MissingAudioError / AudioMismatchError (see :func:`.plan.plan_export`) before anything is built.
    """
    options = options or ExportOptions()
    plan = plan_export(book, audio, paragraphs_per_part=options.paragraphs_per_part)
    tree = OutputTree()
    tree.add(MIMETYPE, b"application/epub+zip")
    tree.add(
        "META-INF/container.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
        '<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles>\n</container>\n",
    )
    tree.add("EPUB/package.opf", _package(plan, options))
    tree.add("EPUB/nav.xhtml", _nav(plan))
    tree.add("EPUB/style.css", _CSS)
    page_kinds = {p.block_id: p.kind for p in plan.pages}
    for part in plan.parts:
        tree.add(f"EPUB/text/{part.id}.xhtml", _content(plan, part, page_kinds))
        tree.add(f"EPUB/smil/{part.id}.smil", _overlay(plan, part))
    for file in plan.used_files():
        tree.add(f"EPUB/audio/{file.name}", CopyOf(file.source, file.size, file.crc32))
    return Epub3Book(tree, plan.total_s, plan)


def write_epub3(epub: Epub3Book, target: Path) -> Path:
    """Store the publication as the ``.epub`` file ``target`` atomically (``mimetype`` first, stored)."""
    return write_zip(epub.tree, target, stored_first=MIMETYPE)


def _xhtml(lang: str, title: str, body: list[str], css: str) -> str:
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            "<!DOCTYPE html>",
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
            f'lang="{lang}" xml:lang="{lang}">',
            f'<head><meta charset="UTF-8"/><title>{esc(title)}</title>',
            f'<link rel="stylesheet" type="text/css" href="{css}"/></head>',
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _content(plan: ExportPlan, part: Part, page_kinds: dict[str, str]) -> str:
    body = [f'<section id="{part.id}">']
    if part.heading_id:
        body.append(f'<h{part.level} id="{part.heading_id}">{esc(part.section.title)}</h{part.level}>')
    body += block_html(part, page_kinds, smil=None, epub=True)
    body.append("</section>")
    lang = language_tag(part.section.language)
    return _xhtml(lang, part.title, body, "../style.css")


def _overlay(plan: ExportPlan, part: Part) -> str:
    text = f"../text/{part.id}.xhtml"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">',
        "<body>",
        f'<seq id="seq_{part.id}" epub:textref="{text}#{part.id}">',
    ]
    for par in part.pars:
        audio = plan.files[par.audio].name
        lines.append(
            f'<par id="par_{par.node_id}"><text src="{text}#{par.node_id}"/>'
            f'<audio src="../audio/{audio}" clipBegin="{par.begin_s:.3f}s" clipEnd="{par.end_s:.3f}s"/></par>'
        )
    lines += ["</seq>", "</body>", "</smil>", ""]
    return "\n".join(lines)


def _nav(plan: ExportPlan) -> str:
    meta = plan.book.metadata
    strings = load_strings("en" if meta.language.startswith("en") else "zh")
    lines = [f'<nav epub:type="toc" id="toc" role="doc-toc"><h1>{esc(strings["export.nav.toc"])}</h1>']
    depth = 0
    for part in plan.parts:
        href = f"text/{part.id}.xhtml" + (f"#{part.heading_id}" if part.heading_id else "")
        if part.level > depth:
            lines += ["<ol>"] * (part.level - depth)
        else:
            lines.append("</li>")
            for _ in range(depth - part.level):
                lines += ["</ol>", "</li>"]
        depth = part.level
        lines.append(f'<li><a href="{href}">{esc(part.title)}</a>')
    for _ in range(depth):
        lines += ["</li>", "</ol>"]
    lines.append("</nav>")
    if plan.pages:
        lines.append(
            f'<nav epub:type="page-list" id="page-list" role="doc-pagelist" hidden="hidden">'
            f"<h1>{esc(strings['export.nav.pages'])}</h1><ol>"
        )
        lines += [
            f'<li><a href="text/part{p.part:04d}.xhtml#{p.block_id}">{esc(p.number)}</a></li>' for p in plan.pages
        ]
        lines.append("</ol></nav>")
    return _xhtml(language_tag(meta.language), meta.title, lines, "style.css")


def _package(plan: ExportPlan, options: ExportOptions) -> str:
    book = plan.book
    meta = book.metadata
    lang = language_tag(meta.language)
    m: list[str] = [
        f'<dc:identifier id="pub-id">{esc(identifier(book))}</dc:identifier>',
        f"<dc:title>{esc(meta.title)}</dc:title>",
        f"<dc:language>{lang}</dc:language>",
        *(f"<dc:creator>{esc(c)}</dc:creator>" for c in creators(book)),
        f"<dc:publisher>{esc(meta.publisher or options.producer)}</dc:publisher>",
        f"<dc:contributor>{esc(options.producer)}</dc:contributor>",
        f'<meta property="dcterms:modified">{options.production_date()}T00:00:00Z</meta>',
        f'<meta property="media:duration">{format_clock(plan.total_s)}</meta>',
        f'<meta property="media:narrator">{esc(plan.audio.narrator)}</meta>',
        f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>',
        *(
            f'<meta property="media:duration" refines="#mo_{p.id}">{format_clock(p.duration_s)}</meta>'
            for p in plan.parts
        ),
        f'<meta name="generator" content="{GENERATOR}"/>',
        '<meta property="schema:accessMode">textual</meta>',
        '<meta property="schema:accessMode">auditory</meta>',
        '<meta property="schema:accessModeSufficient">textual</meta>',
        '<meta property="schema:accessModeSufficient">auditory</meta>',
        '<meta property="schema:accessModeSufficient">textual,auditory</meta>',
        *(f'<meta property="schema:accessibilityFeature">{feature}</meta>' for feature in _features(plan)),
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{esc(_summary(plan))}</meta>',
    ]
    if meta.summary:
        m.append(f"<dc:description>{esc(meta.summary)}</dc:description>")
    if meta.year:
        m.append(f"<dc:source>{esc(meta.year.strip('[]'))}</dc:source>")
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    spine = []
    for part in plan.parts:
        items.append(
            f'<item id="{part.id}" href="text/{part.id}.xhtml" media-type="application/xhtml+xml" '
            f'media-overlay="mo_{part.id}"/>'
        )
        items.append(f'<item id="mo_{part.id}" href="smil/{part.id}.smil" media-type="application/smil+xml"/>')
        spine.append(f'<itemref idref="{part.id}"/>')
    for file in plan.used_files():
        items.append(f'<item id="audio_{file.section_id}" href="audio/{file.name}" media-type="audio/mpeg"/>')
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" '
            f'xml:lang="{lang}">',
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">',
            *m,
            "</metadata>",
            "<manifest>",
            *items,
            "</manifest>",
            "<spine>",
            *spine,
            "</spine>",
            "</package>",
            "",
        ]
    )


def _features(plan: ExportPlan) -> list[str]:
    features = ["synchronizedAudioText", "structuralNavigation", "tableOfContents", "readingOrder"]
    if plan.pages:
        features += ["printPageNumbers", "pageNavigation"]
    return features


def _summary(plan: ExportPlan) -> str:
    strings = load_strings("en" if plan.book.metadata.language.startswith("en") else "zh")
    return strings["export.a11y_summary"].format(
        narrator=plan.audio.narrator, parts=len(plan.parts), pages=len(plan.pages)
    )
