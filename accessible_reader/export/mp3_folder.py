"""``book_to_mp3_folder``: a book as numbered MP3 tracks in one folder, for MP3 players and 听书机.

One track per navigable part (a section, see :mod:`.plan`); a part longer than the profile's
``max_minutes_per_file`` is cut at sentence (clip) boundaries into tracks of at most that length, so the
skip keys move in small steps. Tracks are named ``001_标题.mp3`` (or ``001_DiYiZhang.mp3`` with ASCII
pinyin names), FAT32-safe, at most ``max_files_per_folder`` per folder (further tracks go to numbered
sub-folders), tagged with ID3 title / artist / album / track, and listed in an M3U playlist.

Audio that is already MP3 is never re-encoded: whole sections are copied byte for byte behind a new ID3 tag;
cuts use ``ffmpeg -c copy`` (frame-exact stream copy). Only a profile that fixes the sample rate or the
channels (the 听书机: 22.05 kHz mono) re-encodes, and only files that differ.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accessible_reader.audio.book_audio import BookAudio
from accessible_reader.document.model import Book
from accessible_reader.errors import EngineUnavailable
from accessible_reader.export.common import ExportOptions
from accessible_reader.export.plan import Par, Part, plan_export
from accessible_reader.export.profiles import DeviceProfile
from accessible_reader.export.tree import OutputTree, send_file

_FAT_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
NAME_LIMIT = 60
"""Characters kept of a title in a file name (players show little; FAT32 allows 255 UTF-16 units)."""


@dataclass(frozen=True, slots=True)
class Mp3Tags:
    """ID3 tags of one track: ``track`` counts from 1 up to ``total`` within the book."""

    title: str
    artist: str
    album: str
    track: int
    total: int

    def id3_bytes(self) -> bytes:
        """An ID3v2.3 tag (UTF-16 text frames, which older players and 听书机 read) as bytes."""
        import importlib

        frames: Any = importlib.import_module("mutagen.id3")  # mutagen's frame classes are untyped
        tag = frames.ID3()
        tag.add(frames.TIT2(encoding=1, text=self.title))
        tag.add(frames.TPE1(encoding=1, text=self.artist))
        tag.add(frames.TALB(encoding=1, text=self.album))
        tag.add(frames.TRCK(encoding=1, text=f"{self.track}/{self.total}"))
        tag.add(frames.TCON(encoding=1, text="Audiobook"))
        buffer = io.BytesIO()
        tag.save(buffer, v2_version=3, padding=lambda info: 0)
        data: bytes = buffer.getvalue()
        return data


@dataclass(frozen=True, slots=True)
class TaggedMp3:
    """A track written as: new ID3 tag + the source's MP3 frames (source tag dropped).

    ``cut`` (seconds) keeps only that span (``ffmpeg -c copy``); ``encode`` (rate Hz, channels, kbps)
    re-encodes, for devices that need a fixed format. Without either, the frames are copied byte for byte.
    """

    source: Path
    tags: Mp3Tags
    cut: tuple[float, float] | None = None
    encode: tuple[int, int, int] | None = None
    source_duration_s: float = 0.0

    def size(self) -> int:
        """Estimated bytes: the source's share for the cut span (re-encoded tracks estimated the same way)."""
        size = self.source.stat().st_size
        if self.cut and self.source_duration_s > 0:
            size = int(size * (self.cut[1] - self.cut[0]) / self.source_duration_s) + 8192
        return size + 1024

    def write_to(self, dest: Path) -> None:
        """Write the tagged track to ``dest`` (ffmpeg for cuts and re-encoding; EngineUnavailable without it)."""
        if self.cut is None and self.encode is None:
            _write_tagged(self.source, self.tags, dest)
            return
        if shutil.which("ffmpeg") is None:
            raise EngineUnavailable(
                "找不到 ffmpeg，无法切分或转换音频；请安装 ffmpeg", "ffmpeg is missing: install ffmpeg", "ffmpeg"
            )
        with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".cut.") as scratch:
            temp = Path(scratch) / "track.mp3"
            command = ["ffmpeg", "-v", "error", "-nostdin", "-y"]
            if self.cut:
                command += ["-ss", f"{self.cut[0]:.3f}", "-to", f"{self.cut[1]:.3f}"]
            command += ["-i", str(self.source), "-map", "0:a", "-map_metadata", "-1"]
            if self.encode:
                rate, channels, kbps = self.encode
                command += ["-ar", str(rate), "-ac", str(channels), "-b:a", f"{kbps}k", "-c:a", "libmp3lame"]
            else:
                command += ["-c", "copy"]
            command += ["-id3v2_version", "0", "-write_id3v1", "0", str(temp)]
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise EngineUnavailable(
                    f"ffmpeg 处理音频失败：{result.stderr.strip()[-200:]}",
                    f"ffmpeg failed on the audio: {result.stderr.strip()[-200:]}",
                    self.source,
                )
            _write_tagged(temp, self.tags, dest)


def _id3_length(head: bytes) -> int:
    """Bytes taken by an ID3v2 tag at the start of a file (0 when there is none)."""
    if len(head) < 10 or head[:3] != b"ID3":
        return 0
    size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
    return 10 + size + (10 if head[5] & 0x10 else 0)


def _write_tagged(source: Path, tags: Mp3Tags, dest: Path) -> None:
    """The new tag, then the source's bytes after its own tag, copied in the kernel."""
    with source.open("rb") as src:
        offset = _id3_length(src.read(10))
    with dest.open("wb", buffering=0) as out:
        out.write(tags.id3_bytes())
        send_file(source, out.fileno(), offset)


@dataclass(frozen=True, slots=True)
class Track:
    """One track of the folder: path inside the export, title, and seconds of audio."""

    path: str
    title: str
    duration_s: float


@dataclass(frozen=True, slots=True)
class Mp3Folder:
    """An MP3-folder book held in memory: ``folder`` is the book's folder name inside ``tree``."""

    tree: OutputTree
    folder: str
    tracks: tuple[Track, ...]


def safe_name(text: str, *, pinyin: bool = False, limit: int = NAME_LIMIT) -> str:
    """A FAT32-safe file-name stem of ``text``: no reserved characters, no trailing dots or spaces.

    With ``pinyin``, Chinese characters become capitalised toneless pinyin (``第一章`` -> ``DiYiZhang``)
    and anything else non-ASCII is dropped, for players that cannot show Chinese.
    """
    text = unicodedata.normalize("NFC", text)
    if pinyin:
        from pypinyin import lazy_pinyin

        text = "".join(p.capitalize() if p.isascii() and p.isalpha() else p for p in lazy_pinyin(text))
        text = text.encode("ascii", "ignore").decode("ascii")
    text = _FAT_FORBIDDEN.sub("_", text)
    text = re.sub(r"\s+", "_", text.strip())
    text = text[:limit].rstrip(". _")
    return text or "book"


def book_to_mp3_folder(
    book: Book, audio: BookAudio, profile: DeviceProfile, options: ExportOptions | None = None
) -> Mp3Folder:
    """Build the MP3 folder of ``book`` for ``profile`` (nothing is written; audio is referenced).

    Raises MissingAudioError / AudioMismatchError (see :func:`.plan.plan_export`).
    """
    options = options or ExportOptions()
    plan = plan_export(book, audio, paragraphs_per_part=options.paragraphs_per_part)
    limit_s = profile.max_minutes_per_file * 60
    pieces: list[tuple[Part, tuple[Par, ...], int, int]] = []  # part, pars, piece number, pieces of part
    for part in plan.parts:
        groups = _split_pars(part.pars, limit_s)
        pieces += [(part, group, i, len(groups)) for i, group in enumerate(groups, start=1)]
    encode = _encoding(profile, audio, [f.source for f in plan.used_files()])
    meta = book.metadata
    folder = safe_name(meta.title, pinyin=profile.pinyin_names)
    artist = "、".join(meta.authors)
    tree = OutputTree()
    tracks: list[Track] = []
    total = len(pieces)
    per_folder = profile.max_files_per_folder
    for index, (part, pars, number, count) in enumerate(pieces):
        title = part.title if count == 1 else f"{part.title} ({number}/{count})"
        file = plan.files[pars[0].audio]
        whole = count == 1 and _covers_file(part, plan.parts, file.section_id)
        cut = None if whole else (pars[0].begin_s, pars[-1].end_s)
        duration = file.duration_s if whole else pars[-1].end_s - pars[0].begin_s
        position = index % per_folder + 1
        sub = f"{index // per_folder + 1:02d}/" if total > per_folder else ""
        digits = max(3, len(str(min(total, per_folder))))
        name = f"{sub}{position:0{digits}d}_{safe_name(title, pinyin=profile.pinyin_names)}.mp3"
        tags = Mp3Tags(title, artist, meta.title, index + 1, total)
        tree.add(f"{folder}/{name}", TaggedMp3(file.source, tags, cut, encode.get(file.source), file.duration_s))
        tracks.append(Track(f"{folder}/{name}", title, duration))
    playlist = ["#EXTM3U", f"#PLAYLIST:{meta.title}"]
    for track in tracks:
        playlist += [f"#EXTINF:{round(track.duration_s)},{track.title}", track.path.split("/", 1)[1]]
    tree.add(f"{folder}/{folder}.m3u", "\r\n".join(playlist) + "\r\n")
    return Mp3Folder(tree, folder, tuple(tracks))


def _split_pars(pars: tuple[Par, ...], limit_s: float) -> list[tuple[Par, ...]]:
    """Cut at sentence boundaries into runs of at most ``limit_s`` (a single longer sentence stays whole)."""
    groups: list[list[Par]] = [[]]
    for par in pars:
        current = groups[-1]
        if current and par.end_s - current[0].begin_s > limit_s:
            groups.append([])
        groups[-1].append(par)
    return [tuple(g) for g in groups]


def _covers_file(part: Part, parts: tuple[Part, ...], section_id: str) -> bool:
    """True when ``part`` is the only part playing this section's file (so the whole file is the track)."""
    return sum(1 for p in parts if p.section.id == section_id) == 1 and part.section.id == section_id


def _encoding(profile: DeviceProfile, audio: BookAudio, sources: list[Path]) -> dict[Path, tuple[int, int, int]]:
    """Sources that must be re-encoded for ``profile`` (rate or channels differ), with the target format."""
    if profile.sample_rate is None and profile.channels is None:
        return {}
    import importlib

    mp3: Any = importlib.import_module("mutagen.mp3")  # untyped
    rate = profile.sample_rate or audio.sample_rate
    kbps = profile.bitrate_kbps or audio.bitrate_kbps
    result: dict[Path, tuple[int, int, int]] = {}
    for source in sources:
        info = mp3.MP3(source).info
        channels = profile.channels or int(info.channels)
        if int(info.sample_rate) != rate or int(info.channels) != channels:
            result[source] = (rate, channels, kbps)
    return result


def write_mp3_folder(folder: Mp3Folder, parent: Path) -> Path:
    """Store the book's folder as ``parent/<folder>`` atomically (see :func:`.tree.write_tree`); return it."""
    from accessible_reader.export.tree import write_tree

    inner = OutputTree()
    prefix = folder.folder + "/"
    for path, entry in folder.tree.files.items():
        inner.add(path.removeprefix(prefix), entry)
    return write_tree(inner, parent / folder.folder)
