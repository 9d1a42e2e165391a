"""Home-delivery packages: the book in the reader's chosen formats plus a manifest and address labels.

A package is a folder (to copy onto a USB stick) or a ZIP (to send by download) holding::

    <书名>/DAISY/…         the DAISY 2.02 book (when chosen)
    <书名>/<书名>.epub     the EPUB 3 with Media Overlays (when chosen)
    <书名>/MP3/…           the MP3 folder (when chosen)
    manifest.json          book, formats, files with sizes, recipient, return address
    label.brf              the address label in Braille (Braille ASCII, 40 cells, via accessible_reader.braille)
    label.pdf              the address label in large print (reportlab, built-in CJK font STSong-Light)

:func:`build_delivery` assembles the package in memory from exports already built;
:func:`write_delivery` stores it atomically as a folder or a ZIP.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from accessible_reader.braille.system import BrailleSystem
from accessible_reader.document.model import Book
from accessible_reader.errors import InputError
from accessible_reader.export.daisy202 import Daisy202Book
from accessible_reader.export.epub3 import MIMETYPE, Epub3Book
from accessible_reader.export.mp3_folder import Mp3Folder, safe_name
from accessible_reader.export.tree import Data, OutputTree, write_tree, write_zip
from accessible_reader.locale import load_strings

LABEL_FONT = "STSong-Light"
"""reportlab's built-in Adobe CJK font: no font file needed; PDF viewers supply the glyphs."""


@dataclass(frozen=True, slots=True)
class Address:
    """A person or library and where mail reaches them."""

    name: str
    address: str
    postcode: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class ZippedTree:
    """An EPUB (or any tree) written as one ZIP file inside the package."""

    tree: OutputTree
    stored_first: str | None = None

    def size(self) -> int:
        """About the bytes of the ZIP (the files' size; MP3 is stored, XML shrinks)."""
        return self.tree.size() + 1024

    def write_to(self, dest: Path) -> None:
        """Write the ZIP to ``dest``."""
        write_zip(self.tree, dest, stored_first=self.stored_first)


def label_lines(recipient: Address, sender: Address, language: str = "zh") -> list[str]:
    """The label's text lines: recipient block, return block, the free-post note for literature for the blind."""
    s = load_strings(language)
    lines = [f"{s['delivery.label.to']}: {recipient.name}", recipient.address]
    if recipient.postcode:
        lines.append(f"{s['delivery.label.postcode']}: {recipient.postcode}")
    if recipient.phone:
        lines.append(f"{s['delivery.label.phone']}: {recipient.phone}")
    lines += ["", f"{s['delivery.label.return']}: {sender.name}", sender.address]
    if sender.postcode:
        lines.append(f"{s['delivery.label.postcode']}: {sender.postcode}")
    if sender.phone:
        lines.append(f"{s['delivery.label.phone']}: {sender.phone}")
    lines += ["", s["delivery.label.free_post"]]
    return lines


def braille_label(recipient: Address, sender: Address, system: BrailleSystem, language: str = "zh") -> bytes:
    """The address label as BRF (Braille ASCII, CRLF, at most 40 cells a line)."""
    from accessible_reader.braille.convert import text_to_brf

    return text_to_brf("\n".join(label_lines(recipient, sender, language)), system, cols=40)


def large_print_label(recipient: Address, sender: Address, language: str = "zh") -> bytes:
    """The address label as a one-page A5 landscape PDF: recipient in 28 pt, return address in 18 pt."""
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if LABEL_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(LABEL_FONT))
    buffer = io.BytesIO()
    width, height = landscape(A5)
    canvas = Canvas(buffer, pagesize=(width, height), invariant=True, pageCompression=0)
    canvas.setTitle(label_lines(recipient, sender, language)[0])
    margin, y = 36.0, height - 60.0
    lines = label_lines(recipient, sender, language)
    split = lines.index("")
    for index, line in enumerate(lines):
        size = 28 if index < split else 18
        for piece in simpleSplit(line, LABEL_FONT, size, width - 2 * margin) or [""]:
            canvas.setFont(LABEL_FONT, size)
            canvas.drawString(margin, y, piece)
            y -= size * 1.35
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def build_delivery(
    book: Book,
    *,
    recipient: Address,
    sender: Address,
    braille: BrailleSystem,
    daisy: Daisy202Book | None = None,
    epub: Epub3Book | None = None,
    mp3: Mp3Folder | None = None,
    language: str = "zh",
) -> OutputTree:
    """The package as a tree in memory; at least one format is required (InputError otherwise)."""
    if daisy is None and epub is None and mp3 is None:
        raise InputError("邮寄包至少要包含一种格式", "a delivery package needs at least one format")
    name = safe_name(book.metadata.title)
    tree = OutputTree()
    formats: list[str] = []
    if daisy is not None:
        formats.append("daisy202")
        for path, entry in daisy.tree.files.items():
            tree.add(f"{name}/DAISY/{path}", entry)
    if epub is not None:
        formats.append("epub3")
        tree.add(f"{name}/{name}.epub", ZippedTree(epub.tree, MIMETYPE))
    if mp3 is not None:
        formats.append("mp3")
        for path, entry in mp3.tree.files.items():
            tree.add(f"{name}/MP3/{path.split('/', 1)[1]}", entry)
    tree.add("label.brf", braille_label(recipient, sender, braille, language))
    tree.add("label.pdf", large_print_label(recipient, sender, language))
    manifest = {
        "book": {"id": book.id, "title": book.metadata.title, "authors": list(book.metadata.authors)},
        "formats": formats,
        "recipient": asdict(recipient),
        "return_to": asdict(sender),
        "files": {path: entry.size() for path, entry in tree.files.items()},
    }
    tree.add("manifest.json", Data(json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")))
    return tree


def write_delivery(package: OutputTree, target: Path, *, as_zip: bool) -> Path:
    """Store the package atomically: a ZIP file at ``target`` (``as_zip``) or a folder."""
    return write_zip(package, target) if as_zip else write_tree(package, target)
