"""ID3 tags for MP3 files (mutagen), written as ID3v2.3 so older players and DAISY players read them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Mp3Tags:
    """What a player shows: ``title`` (the section), ``album`` (the book), ``artist`` (authors), track n/total."""

    title: str
    album: str = ""
    artist: str = ""
    track: int = 0
    track_total: int = 0
    language: str = "chi"
    comment: str = ""


def write_tags(path: Path, tags: Mp3Tags) -> None:
    """Replace the ID3 tag of the MP3 at ``path`` with ``tags`` (v2.3, UTF-16 text frames)."""
    import importlib

    frames: Any = importlib.import_module("mutagen.id3")  # mutagen's frame classes are untyped
    COMM, ID3, TALB, TCON, TIT2, TLAN, TPE1, TRCK = (  # noqa: N806
        frames.COMM,
        frames.ID3,
        frames.TALB,
        frames.TCON,
        frames.TIT2,
        frames.TLAN,
        frames.TPE1,
        frames.TRCK,
    )
    id3 = ID3()
    id3.add(TIT2(encoding=1, text=tags.title))
    if tags.album:
        id3.add(TALB(encoding=1, text=tags.album))
    if tags.artist:
        id3.add(TPE1(encoding=1, text=tags.artist))
    if tags.track:
        id3.add(TRCK(encoding=1, text=f"{tags.track}/{tags.track_total}" if tags.track_total else str(tags.track)))
    id3.add(TLAN(encoding=1, text=tags.language))
    id3.add(TCON(encoding=1, text="Audiobook"))
    if tags.comment:
        id3.add(COMM(encoding=1, lang="chi", desc="", text=tags.comment))
    id3.save(str(path), v2_version=3)
