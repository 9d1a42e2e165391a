"""The menu's view of the rest of the service: small Protocols the runtime is written against.

The runtime (``runtime.py``) never imports the catalog, speech or export layers; it talks to
these ports, and ``adapters.py`` / ``voice.py`` implement them over what exists. A port method
whose backing layer is not built yet raises :class:`NotAvailable`, and the menu speaks the
``not_available`` prompt naming the feature (never a stub that pretends to work).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from accessible_reader.document.model import Book


class NotAvailable(Exception):
    """A feature whose backing layer does not exist (yet) or is switched off.

    ``feature`` is the prompt key of the feature's spoken name (``feature.braille`` ...).
    """

    def __init__(self, feature: str) -> None:
        self.feature = feature
        super().__init__(feature)


class NeedLogin(Exception):
    """What was asked belongs to a logged-in reader's account; the guest is asked to log in first.

    ``what`` names the request (``loans`` ...), for logs only; the menu speaks its ``need_login`` prompt.
    """

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(what)


@dataclass(frozen=True, slots=True)
class Audio:
    """Mono 16-bit little-endian PCM and its sample rate (Hz). ``duration_s`` is derived."""

    pcm: bytes
    sample_rate: int

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return len(self.pcm) / 2 / self.sample_rate if self.sample_rate else 0.0


class Voice(Protocol):
    """Turns one utterance into audio. ``speed`` is a factor (1.0 = the voice's normal rate).

    Must not change pitch with speed. Thread-safe: the prompt cache warms from a thread.
    """

    name: str

    def synthesize(self, text: str, lang: str, speed: float) -> Audio:
        """Speak ``text`` (``lang`` "zh" or "en" is the menu language; text may mix scripts)."""
        ...


@dataclass(frozen=True, slots=True)
class BookHit:
    """A book found in the catalog: ``id`` is a stored book id or ``record:N`` for a record without text."""

    id: str
    title: str
    authors: str
    has_text: bool


@dataclass(frozen=True, slots=True)
class Category:
    """A class of the 中图法 (CLC): its letter code and how many books are in it."""

    code: str
    count: int


class Library(Protocol):
    """The catalog as the menu sees it. Every method is read-only."""

    def search(self, query: str, limit: int = 9) -> list[BookHit]:
        """Books whose title or author matches ``query``: characters, full pinyin or pinyin initials."""
        ...

    def categories(self) -> list[Category]:
        """CLC classes that have books, by code."""
        ...

    def in_category(self, code: str, limit: int = 9) -> list[BookHit]:
        """Books whose call number starts with ``code``."""
        ...

    def new_books(self, limit: int = 9) -> list[BookHit]:
        """The newest books first."""
        ...

    def recommended(self, limit: int = 9) -> list[BookHit]:
        """The 好书推荐 list: best-rated books first, then the newest; empty only when the catalog is."""
        ...

    def book_info(self, book_id: str, lang: str) -> str:
        """The spoken catalog record of the book, in ``lang``."""
        ...

    def open_book(self, book_id: str) -> Book:
        """The document of a book with text; NotFoundError for a record without text."""
        ...


@dataclass(frozen=True, slots=True)
class Reader:
    """A logged-in reader (``id`` is the card number) or the guest (``id`` == "guest")."""

    id: str
    name: str


GUEST = Reader("guest", "")


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A bookmark at a sentence id of a book."""

    book_id: str
    sentence_id: str
    label: str


class Services(Protocol):
    """Per-reader state and the actions that leave the reading room (print, device, delivery)."""

    def login(self, card: str, pin: str) -> Reader | None:
        """The reader with this card and PIN, or None when they do not match."""
        ...

    def position(self, reader: Reader, book_id: str) -> str | None:
        """The sentence id where ``reader`` stopped in ``book_id``, if any."""
        ...

    def save_position(self, reader: Reader, book_id: str, sentence_id: str) -> None:
        """Remember where ``reader`` is in ``book_id``."""
        ...

    def bookmarks(self, reader: Reader, book_id: str | None = None) -> Sequence[Bookmark]:
        """The reader's bookmarks, of one book or all, oldest first."""
        ...

    def add_bookmark(self, reader: Reader, bookmark: Bookmark) -> int:
        """Store a bookmark; returns how many bookmarks the reader has in that book."""
        ...

    def loans(self, reader: Reader) -> Sequence[BookHit]:
        """The reader's books on loan or delivery not yet returned, newest first; NeedLogin for the guest."""
        ...

    def queue_braille(self, reader: Reader, book_id: str, system: str) -> str:
        """Queue the book for the Braille embosser; returns a job id."""
        ...

    def job_progress(self, job_id: str) -> int:
        """Percent done of a job."""
        ...

    def load_device(self, reader: Reader, book_id: str) -> str:
        """Copy the book's talking-book export to a device under the mount roots; returns the device name."""
        ...

    def request_delivery(self, reader: Reader, book_id: str) -> None:
        """Ask for the book to be delivered to the reader's home."""
        ...

    def rate(self, reader: Reader, stars: int) -> None:
        """Record a 1-5 satisfaction rating of this session."""
        ...
