"""Conversions other layers call: text → braille / BRF, book → pages → PEF / BRF / HTML / SVG, and storing them.

Build the braille system once (:func:`~accessible_reader.braille.system.build_system`, with the shared
:class:`ReadingEngine`) and pass it in. Everything here is pure except :func:`store`, which writes
atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from accessible_reader.atomic import atomic_write_bytes, atomic_write_text
from accessible_reader.braille.book import book_to_braille
from accessible_reader.braille.layout import PROFILES, EmbosserProfile, Paginated, paginate, wrap
from accessible_reader.braille.system import BrailleSystem
from accessible_reader.braille.writers import lines_to_brf, to_brf, to_html, to_pef, to_svg, to_unicode_text
from accessible_reader.document.model import Book
from accessible_reader.errors import InputError
from accessible_reader.locale import load_strings

FORMATS = ("pef", "brf", "html", "txt", "svg")
"""Output formats by file suffix."""


def text_to_lines(text: str, system: BrailleSystem, *, cols: int = 40) -> list[str]:
    """Each line of ``text`` (a paragraph) translated and wrapped at ``cols`` cells; no pages, no numbers."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        words = system.translate(paragraph).words
        lines.extend(line.cells for line in wrap(words, cols)) if words else lines.append("")
    return lines


def text_to_brf(text: str, system: BrailleSystem, *, cols: int = 40) -> bytes:
    """Short text (an address label, a catalog card) → BRF bytes: wrapped lines, CRLF, no pagination."""
    return lines_to_brf(text_to_lines(text, system, cols=cols))


@dataclass(frozen=True, slots=True)
class BookBraille:
    """A paginated book and what the job log should report."""

    pages: Paginated
    unknown: tuple[str, ...]
    system: str


def book_to_pages(
    book: Book,
    system: BrailleSystem,
    profile: EmbosserProfile | None = None,
    *,
    max_pages: int = 80,
    strings: Mapping[str, str] | None = None,
    producer: str = "",
) -> BookBraille:
    """Translate and paginate ``book`` (title pages announce the volume count)."""
    profile = profile or PROFILES["default"]
    strings = strings or load_strings("zh" if system.language == "zh" else "en")
    document = book_to_braille(book, system, strings, producer=producer)
    pages = paginate(document, profile, max_pages=max_pages)
    return BookBraille(pages, document.unknown, system.name)


def book_to_pef(
    book: Book,
    system: BrailleSystem,
    profile: EmbosserProfile | None = None,
    *,
    report: Callable[[tuple[str, ...]], None] | None = None,
) -> bytes:
    """Book → PEF 2008-1 bytes (what the job service stores as the master).

    ``report`` receives the characters written with the no-braille fallback (for the job log), if any.
    """
    result = book_to_pages(book, system, profile)
    if report is not None and result.unknown:
        report(result.unknown)
    return render_bytes(result.pages, "pef", book=book, language=system.language)


def book_to_brf(
    book: Book,
    system: BrailleSystem,
    profile: EmbosserProfile | None = None,
    *,
    report: Callable[[tuple[str, ...]], None] | None = None,
) -> bytes:
    """Book → BRF bytes (for an embosser or a braille notetaker); ``report`` as in :func:`book_to_pef`."""
    result = book_to_pages(book, system, profile)
    if report is not None and result.unknown:
        report(result.unknown)
    return to_brf(result.pages)


def render(pages: Paginated, fmt: str, *, book: Book, language: str, labels: str = "zh") -> str:
    """Render as text for ``fmt`` in html/txt/svg (PEF and BRF are bytes: :func:`render_bytes`).

    ``labels`` is the staff's language for the preview's labels (``zh`` or ``en``).
    """
    if fmt == "html":
        return to_html(pages, title=book.metadata.title, language=language, strings=load_strings(labels))
    if fmt == "txt":
        return to_unicode_text(pages)
    if fmt == "svg":
        return to_svg(pages)
    raise InputError(f"不支持的输出格式：{fmt}", f"unsupported output format: {fmt}")


def render_bytes(pages: Paginated, fmt: str, *, book: Book, language: str, labels: str = "zh") -> bytes:
    """The file content for ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "pef":
        return to_pef(
            pages,
            identifier=book.id,
            title=book.metadata.title,
            language=language,
            creator=", ".join(book.metadata.authors),
        )
    if fmt == "brf":
        return to_brf(pages)
    return render(pages, fmt, book=book, language=language, labels=labels).encode("utf-8")


def format_of(path: Path) -> str:
    """The output format named by ``path``'s suffix; InputError if it is not one of :data:`FORMATS`."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(
            f"输出文件应以 {'、'.join('.' + f for f in FORMATS)} 结尾",
            f"the output file should end in {', '.join('.' + f for f in FORMATS)}",
            path,
        )
    return fmt


def store(pages: Paginated, path: Path, *, book: Book, language: str, labels: str = "zh") -> None:
    """Write ``pages`` to ``path`` in the format its suffix names, atomically (``labels``: see :func:`render`)."""
    fmt = format_of(path)
    if fmt in ("pef", "brf"):
        atomic_write_bytes(path, render_bytes(pages, fmt, book=book, language=language))
    else:
        atomic_write_text(path, render(pages, fmt, book=book, language=language, labels=labels))
