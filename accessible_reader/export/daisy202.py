"""``book_to_daisy202``: a DAISY 2.02 talking book, full audio with full text (``audioFullText``).

Layout of the book folder (flat, as DAISY 2.02 players expect)::

    ncc.html          navigation centre: metadata, h1-h6 per part, page spans; links point at SMIL pars
    master.smil       one <ref> per part SMIL
    part0001.smil …   one per navigable part: <par> = <text> (content.html#id) + <audio> clip (npt seconds)
    content.html      the whole text, headings h1-h6, sentences as <span id="s…">, page numbers as spans
    h1.mp3 …          one MP3 per section: the speech output's bytes (hard link on the same disk, else a copy)

:func:`book_to_daisy202` builds the book in memory (audio as references to the source files);
:func:`write_daisy202` stores it atomically. Timing conventions are those of :mod:`.plan`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from accessible_reader.audio.book_audio import BookAudio
from accessible_reader.document.model import Book
from accessible_reader.export.common import (
    GENERATOR,
    ExportOptions,
    attr,
    creators,
    esc,
    identifier,
    language_tag,
)
from accessible_reader.export.content import block_html
from accessible_reader.export.plan import ExportPlan, Part, format_hms, plan_export
from accessible_reader.export.tree import LinkOrCopy, OutputTree, write_tree

CONTENT = "content.html"
_XHTML_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
_SMIL_DOCTYPE = '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'


@dataclass(frozen=True, slots=True)
class Daisy202Book:
    """A DAISY 2.02 book held in memory: its files, NCC item count and total time (seconds)."""

    tree: OutputTree
    toc_items: int
    total_s: float
    plan: ExportPlan


def book_to_daisy202(book: Book, audio: BookAudio, options: ExportOptions | None = None) -> Daisy202Book:
    """Build the DAISY 2.02 book of ``book`` with ``audio`` (no file is written).

    Raises MissingAudioError / AudioMismatchError (see :func:`.plan.plan_export`) before anything is built.
    """
    options = options or ExportOptions()
    plan = plan_export(book, audio, paragraphs_per_part=options.paragraphs_per_part)
    tree = OutputTree()
    ncc, toc_items = _ncc(plan, options)
    tree.add("ncc.html", ncc)
    tree.add("master.smil", _master(plan, options))
    for part in plan.parts:
        tree.add(f"{part.id}.smil", _smil(plan, part, options))
    tree.add(CONTENT, _content(plan))
    for file in plan.used_files():
        tree.add(file.name, LinkOrCopy(file.source))
    return Daisy202Book(tree, toc_items, plan.total_s, plan)


def write_daisy202(daisy: Daisy202Book, target: Path) -> Path:
    """Store the book as the folder ``target`` atomically (see :func:`.tree.write_tree`)."""
    return write_tree(daisy.tree, target)


def _meta(name: str, content: str | int) -> str:
    return f"<meta name={attr(name)} content={attr(str(content))} />"


def _ncc(plan: ExportPlan, options: ExportOptions) -> tuple[str, int]:
    book = plan.book
    meta = book.metadata
    counts = plan.page_kind_counts()
    body: list[str] = []
    pages_by_part: dict[int, list[str]] = {}
    for index, page in enumerate(plan.pages, start=1):
        link = f"part{page.target_part:04d}.smil#{page.target_node}"
        pages_by_part.setdefault(page.part, []).append(
            f'<span class="page-{page.kind}" id="pg{index:04d}"><a href="{link}">{esc(page.number)}</a></span>'
        )
    for part in plan.parts:
        cls = ' class="title"' if part.number == 1 else ""
        target = part.pars[0].node_id
        body.append(
            f'<h{part.level}{cls} id="nav{part.number:04d}"><a href="{part.id}.smil#{target}">'
            f"{esc(part.title)}</a></h{part.level}>"
        )
        body.extend(pages_by_part.get(part.number, []))
    toc_items = len(plan.parts) + len(plan.pages)
    files = 3 + len(plan.parts) + len(plan.used_files())  # ncc, master, content + smil + audio
    lang = language_tag(meta.language)
    head = [
        '<meta http-equiv="Content-type" content="text/html; charset=utf-8" />',
        f"<title>{esc(meta.title)}</title>",
        _meta("dc:title", meta.title),
        *(_meta("dc:creator", c) for c in creators(book)),
        _meta("dc:date", options.production_date()),
        _meta("dc:format", "Daisy 2.02"),
        _meta("dc:identifier", identifier(book)),
        _meta("dc:language", lang),
        _meta("dc:publisher", meta.publisher or options.producer),
        _meta("ncc:charset", "utf-8"),
        _meta("ncc:depth", max(p.level for p in plan.parts)),
        _meta("ncc:files", files),
        _meta("ncc:footnotes", 0),
        _meta("ncc:generator", GENERATOR),
        _meta("ncc:kByteSize", max(1, plan_audio_bytes(plan) // 1024)),
        _meta("ncc:maxPageNormal", plan.max_page_normal()),
        _meta("ncc:multimediaType", "audioFullText"),
        _meta("ncc:narrator", plan.audio.narrator),
        _meta("ncc:pageFront", counts["front"]),
        _meta("ncc:pageNormal", counts["normal"]),
        _meta("ncc:pageSpecial", counts["special"]),
        _meta("ncc:prodNotes", 0),
        _meta("ncc:producer", options.producer),
        _meta("ncc:setInfo", "1 of 1"),
        _meta("ncc:sidebars", 0),
        _meta("ncc:sourceDate", meta.year.strip("[]")) if meta.year else "",
        _meta("ncc:sourcePublisher", meta.publisher) if meta.publisher else "",
        _meta("ncc:tocItems", toc_items),
        _meta("ncc:totalTime", format_hms(plan.total_s)),
    ]
    return _xhtml(lang, [h for h in head if h], body), toc_items


def plan_audio_bytes(plan: ExportPlan) -> int:
    """Total size of the plan's audio files in bytes."""
    return sum(f.source.stat().st_size for f in plan.used_files())


def _xhtml(lang: str, head: list[str], body: list[str]) -> str:
    return "\n".join(
        [
            '<?xml version="1.0" encoding="utf-8"?>',
            _XHTML_DOCTYPE,
            f'<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}" xml:lang="{lang}">',
            "<head>",
            *head,
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _smil_head(plan: ExportPlan, options: ExportOptions, extra: list[str]) -> list[str]:
    return [
        '<?xml version="1.0" encoding="utf-8"?>',
        _SMIL_DOCTYPE,
        "<smil>",
        "<head>",
        _meta("dc:format", "Daisy 2.02"),
        _meta("dc:identifier", identifier(plan.book)),
        _meta("dc:title", plan.book.metadata.title),
        _meta("ncc:generator", GENERATOR),
        *extra,
        '<layout><region id="txtView" /></layout>',
        "</head>",
    ]


def _smil(plan: ExportPlan, part: Part, options: ExportOptions) -> str:
    lines = _smil_head(
        plan,
        options,
        [
            _meta("ncc:timeInThisSmil", format_hms(part.duration_s)),
            _meta("ncc:totalElapsedTime", format_hms(plan.elapsed_before(part))),
        ],
    )
    lines += ["<body>", f'<seq dur="{part.duration_s:.3f}s">']
    for par in part.pars:
        audio = plan.files[par.audio].name
        lines += [
            f'<par endsync="last" id="{par.node_id}">',
            f'<text src="{CONTENT}#{par.node_id}" id="t_{par.node_id}" />',
            f'<audio src="{audio}" clip-begin="npt={par.begin_s:.3f}s" clip-end="npt={par.end_s:.3f}s" '
            f'id="a_{par.node_id}" />',
            "</par>",
        ]
    lines += ["</seq>", "</body>", "</smil>", ""]
    return "\n".join(lines)


def _master(plan: ExportPlan, options: ExportOptions) -> str:
    lines = _smil_head(plan, options, [_meta("ncc:timeInThisSmil", format_hms(plan.total_s))])
    lines.append("<body>")
    lines += [f'<ref src="{p.id}.smil" title={attr(p.title)} id="ms_{p.number:04d}" />' for p in plan.parts]
    lines += ["</body>", "</smil>", ""]
    return "\n".join(lines)


def _content(plan: ExportPlan) -> str:
    meta = plan.book.metadata
    page_kinds = {p.block_id: p.kind for p in plan.pages}
    body: list[str] = []
    for part in plan.parts:
        if part.heading_id:
            n = part.level
            title = esc(part.section.title)
            if any(p.node_id == part.heading_id for p in part.pars):
                title = f'<a href="{part.id}.smil#{part.heading_id}">{title}</a>'
            body.append(f'<h{n} id="{part.heading_id}">{title}</h{n}>')
        body.extend(block_html(part, page_kinds, smil=f"{part.id}.smil"))
    lang = language_tag(meta.language)
    head = [
        '<meta http-equiv="Content-type" content="text/html; charset=utf-8" />',
        f"<title>{esc(meta.title)}</title>",
    ]
    return _xhtml(lang, head, body)
