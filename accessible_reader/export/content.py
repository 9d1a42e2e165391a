"""Text content shared by the DAISY 2.02 and EPUB 3 documents: a part's blocks as XHTML lines. Pure."""

from __future__ import annotations

from accessible_reader.document.model import BlockKind
from accessible_reader.export.common import esc, language_tag
from accessible_reader.export.plan import Part


def block_html(part: Part, page_kinds: dict[str, str], smil: str | None, *, epub: bool = False) -> list[str]:
    """XHTML lines of a part's blocks: paragraphs and list items as <p>, table rows as <p> with cells.

    Sentences become ``<span id="s…">`` (linked to their SMIL par when ``smil`` is given, as DAISY 2.02
    content documents do); page breaks become ``<span class="page-…">`` with the printed number, or with
    ``epub`` an EPUB 3 ``pagebreak`` span. Sentences in another language than the section get ``lang``.
    """
    lines: list[str] = []
    timed = {p.node_id for p in part.pars}
    for block in part.blocks:
        if block.kind is BlockKind.PAGE_BREAK:
            number = esc(block.page_number or "")
            if epub:
                lines.append(
                    f'<span epub:type="pagebreak" role="doc-pagebreak" id="{block.id}" title="{number}"></span>'
                )
            else:
                kind = page_kinds.get(block.id, "normal")
                lines.append(f'<p><span class="page-{kind}" id="{block.id}">{number}</span></p>')
            continue
        spans = []
        for sentence in block.sentences:
            text = esc(sentence.text)
            if smil and sentence.id in timed:
                text = f'<a href="{smil}#{sentence.id}">{text}</a>'
            lang = language_tag(sentence.language)
            lang_attr = "" if sentence.language == part.section.language else f' lang="{lang}" xml:lang="{lang}"'
            spans.append(f'<span id="{sentence.id}"{lang_attr}>{text}</span>')
        sep = " | " if block.kind is BlockKind.TABLE_ROW else ""
        lines.append(f'<p id="{block.id}">{sep.join(spans)}</p>')
    return lines
