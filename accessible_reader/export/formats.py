"""Write one book's audio as several talking-book formats at once.

Each format is converted in memory and stored atomically by its own writer; several formats run on a
small thread pool, because the work is copying audio bytes in the kernel (``sendfile``) and CRC-32
(zlib, which releases the GIL), so two cores halve the wall time.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from accessible_reader.audio.book_audio import BookAudio
from accessible_reader.document.model import Book
from accessible_reader.export.profiles import DeviceProfile, load_profile


def export_book(book: Book, audio: BookAudio, fmt: str, out_dir: Path, profile: DeviceProfile | None) -> Path:
    """Write ``book`` as ``fmt`` inside ``out_dir``: ``<书名>_DAISY/``, ``<书名>.epub`` or ``<书名>/`` (MP3)."""
    from accessible_reader.export.daisy202 import book_to_daisy202, write_daisy202
    from accessible_reader.export.epub3 import book_to_epub3, write_epub3
    from accessible_reader.export.mp3_folder import book_to_mp3_folder, safe_name, write_mp3_folder

    pinyin = profile.pinyin_names if profile else False
    name = safe_name(book.metadata.title, pinyin=pinyin)
    if fmt == "daisy202":
        return write_daisy202(book_to_daisy202(book, audio), out_dir / f"{name}_DAISY")
    if fmt == "epub3":
        return write_epub3(book_to_epub3(book, audio), out_dir / f"{name}.epub")
    return write_mp3_folder(book_to_mp3_folder(book, audio, profile or load_profile("generic")), out_dir)


def export_books(
    book: Book,
    audio: BookAudio,
    requests: Sequence[tuple[str, DeviceProfile | None]],
    out_dir: Path,
    *,
    workers: int = 2,
) -> list[Path]:
    """Write every ``(format, profile)`` of ``requests`` inside ``out_dir``; return the paths in request order.

    Formats are written concurrently on ``workers`` threads. Each output is complete or absent: when one
    format fails, the others still finish, then the first failure is raised (a ReaderError for bad audio or
    a full disk).
    """
    if workers <= 1 or len(requests) <= 1:
        return [export_book(book, audio, fmt, out_dir, profile) for fmt, profile in requests]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(export_book, book, audio, fmt, out_dir, profile) for fmt, profile in requests]
        errors = [future.exception() for future in futures]
    for error in errors:
        if error is not None:
            raise error
    return [future.result() for future in futures]
