"""Adapters from each layer's public functions to the job-kind signature (see :mod:`.registry`).

Each adapter writes only inside ``context.work_dir``; the queue moves what it returns into the
artifact store. Speech goes through :func:`accessible_reader.tts.book.synthesize_book` with the
segment cache in the data dir, so a job re-run after a crash or a retry speaks only what was
not cached yet. ``cancel()`` is checked after every spoken section (speech) and between steps.

Options a job may carry (``JobIn.options``): ``braille_system`` (gf2018, gb2008, ueb; default
gf2018), ``profile`` (MP3 device profile, default generic), ``recipient_name``,
``recipient_address``, ``sender_name``, ``sender_address`` and ``formats`` (for packages:
"daisy epub mp3", default all three).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from accessible_reader.atomic import atomic_write_bytes
from accessible_reader.document.model import Book
from accessible_reader.jobs.registry import CancelFn, JobCancelled, JobContext, ProgressFn

if TYPE_CHECKING:
    from accessible_reader.audio.book_audio import BookAudio
    from accessible_reader.braille.system import BrailleSystem
    from accessible_reader.text.readings import ReadingEngine

_log = logging.getLogger(__name__)


def _reader(context: JobContext) -> ReadingEngine:
    from accessible_reader.text.factory import reading_engine_for

    return reading_engine_for(context.settings)


def _speak(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn, share: float = 1.0) -> BookAudio:
    """The book's audio in ``work_dir/audio``; progress runs from 0 to ``share``."""
    from accessible_reader.tts.book import BookProgress, speech_cache_dir, synthesize_book

    def on_section(done: BookProgress) -> None:
        if cancel():
            raise JobCancelled()
        fraction = done.characters_done / done.characters_total if done.characters_total else 1.0
        progress(fraction * share, f"speech {done.sections_done}/{done.sections_total}")

    progress(0.0, "speech")
    return synthesize_book(
        book,
        out_dir=context.work_dir / "audio",
        reader=_reader(context),
        cache_dir=speech_cache_dir(context.settings),
        workers=1,
        progress=on_section,
    )


def _braille_system(context: JobContext, reader: ReadingEngine | None = None) -> BrailleSystem:
    from accessible_reader.braille.system import build_system

    engine = reader or _reader(context)
    return build_system(str(context.options.get("braille_system", "gf2018")), lambda: engine)


def audio(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]:
    """One MP3 per section (the folder is zipped as the artifact)."""
    _speak(book, context, progress, cancel)
    progress(1.0, "speech")
    return [context.work_dir / "audio"]


def _braille_summary(unknown: list[str]) -> str:
    """The job's last message: which characters had no braille and were written as ⠸⠸ codes (for the log)."""
    if not unknown:
        return "braille"
    _log.warning("no braille for %s; written as six-dot ⠸⠸ codes", "".join(unknown))
    return f"braille; no braille for {''.join(unknown)} (written as ⠸⠸ codes, see docs/braille.md)"


def _braille_file(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn, suffix: str) -> list[Path]:
    """The book in Braille as ``<id>.brf`` or ``<id>.pef``; characters without braille go to the job message."""
    from accessible_reader.braille.convert import book_to_brf, book_to_pef

    convert = book_to_brf if suffix == "brf" else book_to_pef
    progress(0.0, "braille")
    unknown: list[str] = []
    data = convert(book, _braille_system(context), report=unknown.extend)
    if cancel():
        raise JobCancelled()
    target = context.work_dir / f"{book.id}.{suffix}"
    atomic_write_bytes(target, data)
    progress(1.0, _braille_summary(unknown))
    return [target]


def brf(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]:
    """The book in Braille as BRF (Braille ASCII pages for an embosser)."""
    return _braille_file(book, context, progress, cancel, "brf")


def pef(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]:
    """The book in Braille as PEF (the master format)."""
    return _braille_file(book, context, progress, cancel, "pef")


def daisy(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]:
    """A DAISY 2.02 talking book (folder, zipped)."""
    from accessible_reader.export.daisy202 import book_to_daisy202, write_daisy202
    from accessible_reader.export.mp3_folder import safe_name

    spoken = _speak(book, context, progress, cancel, share=0.9)
    if cancel():
        raise JobCancelled()
    target = write_daisy202(
        book_to_daisy202(book, spoken), context.work_dir / f"{safe_name(book.metadata.title)}_DAISY"
    )
    progress(1.0, "daisy")
    return [target]


def epub(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]:
    """An EPUB 3 with Media Overlays."""
    from accessible_reader.export.epub3 import book_to_epub3, write_epub3
    from accessible_reader.export.mp3_folder import safe_name

    spoken = _speak(book, context, progress, cancel, share=0.9)
    if cancel():
        raise JobCancelled()
    target = write_epub3(book_to_epub3(book, spoken), context.work_dir / f"{safe_name(book.metadata.title)}.epub")
    progress(1.0, "epub")
    return [target]


def mp3_folder(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]:
    """An MP3 folder for a listening device profile (zipped)."""
    from accessible_reader.export.mp3_folder import book_to_mp3_folder, write_mp3_folder
    from accessible_reader.export.profiles import load_profile

    spoken = _speak(book, context, progress, cancel, share=0.9)
    if cancel():
        raise JobCancelled()
    profile = load_profile(str(context.options.get("profile", "generic")))
    out = context.work_dir / "mp3"
    target = write_mp3_folder(book_to_mp3_folder(book, spoken, profile), out)
    progress(1.0, "mp3")
    return [target]


def package(book: Book, context: JobContext, progress: ProgressFn, cancel: CancelFn) -> list[Path]:
    """A home-delivery package (ZIP): chosen formats, manifest, Braille and large-print address labels."""
    from accessible_reader.export.daisy202 import book_to_daisy202
    from accessible_reader.export.delivery import Address, build_delivery, write_delivery
    from accessible_reader.export.epub3 import book_to_epub3
    from accessible_reader.export.mp3_folder import book_to_mp3_folder, safe_name
    from accessible_reader.export.profiles import load_profile

    options = context.options
    chosen = str(options.get("formats", "daisy epub mp3")).split()
    spoken = _speak(book, context, progress, cancel, share=0.9)
    if cancel():
        raise JobCancelled()
    recipient = Address(str(options.get("recipient_name", "读者")), str(options.get("recipient_address", "")))
    sender = Address(str(options.get("sender_name", "鹿寨县图书馆")), str(options.get("sender_address", "")))
    tree = build_delivery(
        book,
        recipient=recipient,
        sender=sender,
        braille=_braille_system(context),
        daisy=book_to_daisy202(book, spoken) if "daisy" in chosen else None,
        epub=book_to_epub3(book, spoken) if "epub" in chosen else None,
        mp3=book_to_mp3_folder(book, spoken, load_profile(str(options.get("profile", "generic"))))
        if "mp3" in chosen
        else None,
    )
    target = write_delivery(tree, context.work_dir / f"{safe_name(book.metadata.title)}.zip", as_zip=True)
    progress(1.0, "package")
    return [target]
