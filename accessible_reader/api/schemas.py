"""Request and response models of the HTTP API (pydantic); every route returns one of these."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from accessible_reader.catalog.service_models import DeliveryStatus, StaffRole

Medium = Literal["usb", "sd_card", "cd", "daisy_player", "braille_paper", "download"]
FormatName = Literal["audio", "pef", "brf", "daisy", "epub", "mp3_folder", "package", "document"]


class Problem(BaseModel):
    """An error answer: what went wrong and what to do, in Chinese and English."""

    detail: str
    message_zh: str = ""
    message_en: str = ""


class Token(BaseModel):
    """A bearer token (also set as the ``session`` cookie for the web UI)."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class ReaderLogin(BaseModel):
    """A reader logs in with library card number and PIN."""

    card_number: str = Field(min_length=1, max_length=64)
    pin: str = Field(min_length=4, max_length=32)


class StaffOut(BaseModel):
    """A member of staff (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    display_name: str
    role: StaffRole
    active: bool


class StaffIn(BaseModel):
    """A new member of staff (admin only)."""

    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    display_name: str = Field(default="", max_length=200)
    password: str = Field(min_length=8, max_length=200)
    role: StaffRole


class Hit(BaseModel):
    """One search result; ``book_id`` set when the book's text is stored."""

    record_id: int | None
    book_id: str | None
    title: str
    authors: str
    year: str
    formats: list[str]


class SearchResult(BaseModel):
    """Search results, best first."""

    query: str
    hits: list[Hit]


class BookOut(BaseModel):
    """A stored book as listed."""

    id: str
    title: str
    authors: str
    characters: int


class ImportOut(BaseModel):
    """How many catalog records an import added and updated."""

    added: int
    updated: int


class SentenceReading(BaseModel):
    """One sentence of a book with its reading-layer output, for proofreading."""

    id: str
    text: str
    spoken: str
    words: str


class LexiconEntryIn(BaseModel):
    """A pronunciation for the staff lexicon: word in Chinese characters, tone-numbered pinyin."""

    word: str = Field(min_length=1, max_length=32)
    pinyin: str = Field(min_length=1, max_length=200)
    note: str = Field(default="", max_length=200)


class JobIn(BaseModel):
    """A conversion to run for a stored book."""

    book_id: str = Field(min_length=1, max_length=32)
    kind: str = Field(min_length=1, max_length=32)
    options: dict[str, str | int | float | bool] = Field(default_factory=dict)


class JobOut(BaseModel):
    """A job's state; ``progress`` is 0.0-1.0 and ``eta_seconds`` an estimate."""

    id: str
    kind: str
    book_id: str
    status: str
    progress: float
    percent: int
    eta_seconds: float | None
    message: str
    error: str
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    artifact_ids: list[str]


class JobKindOut(BaseModel):
    """A job kind the service knows and the layer that provides it."""

    name: str
    artifact_kind: str
    layer: str


class ArtifactOut(BaseModel):
    """A produced file: download it at ``/api/artifacts/{id}/download``."""

    id: str
    book_id: str
    job_id: str | None
    kind: str
    filename: str
    media_type: str
    size: int
    checksum: str
    created_at: datetime


class SignedLink(BaseModel):
    """A time-limited download link for home delivery; anyone with it can download until ``expires``."""

    url: str
    expires: int


class Preferences(BaseModel):
    """A reader's preferences."""

    braille_system: Literal["gf2018", "gb2008", "ueb"] = "gf2018"
    voice: str = Field(default="", max_length=100)
    speed: float = Field(default=1.0, ge=0.5, le=3.0)
    formats: list[FormatName] = Field(default_factory=list, max_length=8)


class ReaderIn(BaseModel):
    """A new reader (desk staff)."""

    card_number: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
    name: str = Field(min_length=1, max_length=200)
    contact: str = Field(default="", max_length=200)
    pin: str = Field(min_length=4, max_length=32, pattern=r"^[0-9]+$")
    preferences: Preferences = Field(default_factory=Preferences)
    delivery_address: str = Field(default="", max_length=500)


class ReaderOut(BaseModel):
    """A reader (never the PIN hash)."""

    id: int
    card_number: str
    name: str
    contact: str
    preferences: Preferences
    delivery_address: str


class PositionIn(BaseModel):
    """Where the reader stopped: a sentence id of the book and an offset into its audio."""

    book_id: str = Field(min_length=1, max_length=32)
    location: str = Field(min_length=1, max_length=128)
    offset_ms: int = Field(default=0, ge=0, le=10**9)


class PositionOut(BaseModel):
    """A stored position."""

    book_id: str
    location: str
    offset_ms: int
    updated_at: datetime


class BookmarkIn(BaseModel):
    """A bookmark to add."""

    book_id: str = Field(min_length=1, max_length=32)
    location: str = Field(min_length=1, max_length=128)
    label: str = Field(default="", max_length=200)


class BookmarkOut(BaseModel):
    """A stored bookmark."""

    id: int
    book_id: str
    location: str
    label: str
    created_at: datetime


class StatusChange(BaseModel):
    """One step in a delivery's history."""

    status: DeliveryStatus
    at: datetime
    staff_id: int | None


class DeliveryIn(BaseModel):
    """A delivery to prepare for a reader."""

    reader_id: int = Field(ge=1, le=2**31 - 1)
    items: list[str] = Field(min_length=1, max_length=50)
    medium: Medium


class DeliveryOut(BaseModel):
    """A delivery with its status history."""

    id: int
    reader_id: int
    items: list[str]
    medium: str
    status: DeliveryStatus
    history: list[StatusChange]
    created_at: datetime


class DeliveryAdvance(BaseModel):
    """Move a delivery to its next status."""

    status: DeliveryStatus


class LoanIn(BaseModel):
    """A device lent to a reader."""

    reader_id: int = Field(ge=1, le=2**31 - 1)
    device: str = Field(min_length=1, max_length=200)
    serial: str = Field(default="", max_length=64)
    due_at: datetime | None = None


class LoanOut(BaseModel):
    """A device loan."""

    id: int
    reader_id: int
    device: str
    serial: str
    loaned_at: datetime
    due_at: datetime | None
    returned_at: datetime | None


class RatingIn(BaseModel):
    """A reader's satisfaction after a session: 1 (poor) to 5 (very good)."""

    score: int = Field(ge=1, le=5)
    book_id: str | None = Field(default=None, max_length=32)
    comment: str = Field(default="", max_length=1000)


class RatingOut(BaseModel):
    """A stored rating."""

    id: int
    score: int
    book_id: str | None
    comment: str
    created_at: datetime


class AuditOut(BaseModel):
    """One audit log line."""

    id: int
    at: datetime
    staff_id: int | None
    action: str
    target: str
    detail: str


class MonthStats(BaseModel):
    """One month of the annual report."""

    month: str
    readers_served: int
    audio_hours: float
    braille_pages: int
    deliveries: int
    satisfaction: float | None


class Stats(BaseModel):
    """Figures per month for the annual report."""

    months: list[MonthStats]


class Health(BaseModel):
    """The service is up; what the job workers can do."""

    status: Literal["ok"]
    records: int
    queued_jobs: int
