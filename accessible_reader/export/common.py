"""Shared pieces of the exporters: options, XML escaping, language tags, identifiers. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from accessible_reader import __version__
from accessible_reader.document.model import Book

GENERATOR = f"accessible_reader {__version__}"


def esc(text: str) -> str:
    """Text escaped for XML element content."""
    return escape(text)


def attr(text: str) -> str:
    """Text as a quoted XML attribute value (quotes included)."""
    return quoteattr(text)


def language_tag(language: str) -> str:
    """The BCP 47 tag used in the exports: ``zh`` becomes ``zh-CN``; others are kept."""
    return "zh-CN" if language in {"zh", "zh-cn", "zh-CN", "cmn"} else language


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What a library sets once for its talking books.

    ``producer`` is the agency making the talking book (DAISY dc:publisher when the print book has no
    publisher; EPUB contributor); ``produced`` the production date (default: today).
    """

    producer: str = "accessible_reader"
    produced: date | None = None
    paragraphs_per_part: int = 10

    def production_date(self) -> str:
        """``yyyy-mm-dd`` of production."""
        return (self.produced or date.today()).isoformat()


def identifier(book: Book) -> str:
    """The book's identifier in exports: its ISBN when known, else its stable book id."""
    isbn = book.metadata.isbn.replace("-", "").replace(" ", "")
    return f"urn:isbn:{isbn}" if isbn else f"accessible-reader:{book.id}"


def creators(book: Book) -> list[str]:
    """The authors, or one ``Unknown`` entry (DAISY requires a creator)."""
    return list(book.metadata.authors) or ["Unknown"]
