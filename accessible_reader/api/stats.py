"""Figures per month for the library's annual report (the statistics page and ``/api/stats``)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from accessible_reader.api.schemas import MonthStats
from accessible_reader.catalog.service_models import (
    ArtifactRow,
    DeliveryRow,
    DeviceLoanRow,
    PositionRow,
    RatingRow,
)

AUDIO_KINDS = frozenset({"audio", "mp3_folder", "daisy", "epub", "package"})
BRAILLE_KINDS = frozenset({"brf", "pef"})


def _in_year(moment: datetime | None, year: int) -> bool:
    return moment is not None and moment.year == year


def monthly_stats(engine: Engine, year: int) -> list[MonthStats]:
    """Twelve :class:`MonthStats` of ``year``.

    readers served: distinct readers with a delivery, loan, rating or reading position that
    month; audio hours: per book, the longest ``duration_s`` measured in that month's audio,
    DAISY, EPUB, MP3 or package artifacts (a book's audio counts once however many formats
    carry it); Braille pages: the ``pages`` of BRF and PEF artifacts; satisfaction: the mean
    rating (None without ratings).
    """
    readers: dict[int, set[int]] = defaultdict(set)
    audio_by_book: dict[tuple[int, str], float] = defaultdict(float)
    pages: dict[int, int] = defaultdict(int)
    deliveries: dict[int, int] = defaultdict(int)
    scores: dict[int, list[int]] = defaultdict(list)
    with Session(engine) as session:
        for reader_id, at in session.execute(select(DeliveryRow.reader_id, DeliveryRow.created_at)):
            if _in_year(at, year):
                readers[at.month].add(reader_id)
                deliveries[at.month] += 1
        for reader_id, at in session.execute(select(DeviceLoanRow.reader_id, DeviceLoanRow.loaned_at)):
            if _in_year(at, year):
                readers[at.month].add(reader_id)
        for reader_id, at in session.execute(select(PositionRow.reader_id, PositionRow.updated_at)):
            if _in_year(at, year):
                readers[at.month].add(reader_id)
        for reader_id, score, at in session.execute(select(RatingRow.reader_id, RatingRow.score, RatingRow.created_at)):
            if _in_year(at, year):
                readers[at.month].add(reader_id)
                scores[at.month].append(score)
        for book_id, kind, settings, at in session.execute(
            select(ArtifactRow.book_id, ArtifactRow.kind, ArtifactRow.settings_json, ArtifactRow.created_at)
        ):
            if not _in_year(at, year):
                continue
            measured = json.loads(settings or "{}")
            if kind in AUDIO_KINDS:  # one book's audio counts once a month, whatever formats carry it
                key = (at.month, book_id)
                audio_by_book[key] = max(audio_by_book[key], float(measured.get("duration_s", 0.0)))
            if kind in BRAILLE_KINDS:
                pages[at.month] += int(measured.get("pages", 0))
    hours: dict[int, float] = defaultdict(float)
    for (month, _book), seconds in audio_by_book.items():
        hours[month] += seconds / 3600.0
    return [
        MonthStats(
            month=f"{year}-{month:02d}",
            readers_served=len(readers[month]),
            audio_hours=round(hours[month], 3),
            braille_pages=pages[month],
            deliveries=deliveries[month],
            satisfaction=round(sum(scores[month]) / len(scores[month]), 2) if scores[month] else None,
        )
        for month in range(1, 13)
    ]
