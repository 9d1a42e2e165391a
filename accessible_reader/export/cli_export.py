"""``accessible-reader export``, ``device load|list|remove`` and ``deliver``: talking books for readers.

Register on the main typer app with ``app.command("export")(export_command)``,
``app.add_typer(device_app, name="device")`` and ``app.command("deliver")(deliver_command)``.
A book is a file (ingested on the fly) or the id of a stored book; its audio comes from
:func:`accessible_reader.tts.book.synthesize_book` (cached, so a second export does not speak again).
Errors become one line and an exit code, never a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from accessible_reader.errors import EngineUnavailable, InputError
from accessible_reader.locale import load_strings
from accessible_reader.settings import Settings

if TYPE_CHECKING:
    from accessible_reader.audio.book_audio import BookAudio
    from accessible_reader.document.model import Book
    from accessible_reader.export.profiles import DeviceProfile
    from accessible_reader.text.readings import ReadingEngine

P = ParamSpec("P")
R = TypeVar("R")
FORMATS = ("daisy202", "epub3", "mp3")

device_app = typer.Typer(
    help="听书设备：装入、列出、删除 / listening devices: load, list, remove books.", no_args_is_help=True
)


def _one_line_errors(command: Callable[P, R]) -> Callable[P, R]:
    """``accessible_reader.cli.reports_errors``, looked up at call time (cli.py imports this module)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from accessible_reader.cli import reports_errors

        return reports_errors(command)(*args, **kwargs)

    return wrapper


def _book(target: str, settings: Settings) -> Book:
    """A book file ingested on the fly, or a stored book by id."""
    from accessible_reader.document.ingest import ingest_path

    path = Path(target)
    if path.is_file():
        return ingest_path(path)
    from accessible_reader.catalog.db import make_engine
    from accessible_reader.catalog.store import CatalogStore

    return CatalogStore(make_engine(settings)).get_book(target)


def book_audio(
    book: Book, settings: Settings, engine: str | None = None, *, reader: ReadingEngine | None = None
) -> BookAudio:
    """The book's audio from the speech layer (segment cache in the data dir, so re-exports are quick).

    ``reader``: the process's reading engine when the caller has one (building one loads the dictionaries).

    Raises EngineUnavailable with a clear message when speech synthesis is not part of this installation.
    """
    try:
        from accessible_reader.text.factory import reading_engine_for
        from accessible_reader.tts.book import speech_cache_dir, synthesize_book
        from accessible_reader.tts.cli_speech import engine_order
    except ImportError:
        strings_zh, strings_en = load_strings("zh"), load_strings("en")
        raise EngineUnavailable(strings_zh["export.no_speech"], strings_en["export.no_speech"]) from None
    reader = reader or reading_engine_for(settings)
    return synthesize_book(
        book,
        out_dir=settings.data_dir / "audio" / book.id,
        reader=reader,
        engines=engine_order(engine),
        cache_dir=speech_cache_dir(settings),
        progress=lambda p: typer.echo(f"{p.sections_done}/{p.sections_total} {p.section_id}", err=True),
    )


def _profile_for(fmt: str, profile: str | None) -> DeviceProfile | None:
    from accessible_reader.export.profiles import load_profile

    if fmt not in FORMATS:
        raise InputError(
            load_strings("zh")["export.unknown_format"].format(format=fmt, choices="、".join(FORMATS)),
            load_strings("en")["export.unknown_format"].format(format=fmt, choices=", ".join(FORMATS)),
        )
    if profile is None:
        return load_profile("generic") if fmt == "mp3" else None
    return load_profile(profile)


@_one_line_errors
def export_command(
    target: Annotated[str, typer.Argument(help="书籍文件或书号 / a book file or the id of a stored book")],
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="daisy202 | epub3 | mp3（可重复 / repeat for several）"),
    ] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", "-p", help="设备配置（generic、tingshuji、daisy…）/ device profile")
    ] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹 / output folder", file_okay=False)] = Path(
        "."
    ),
    engine: Annotated[str | None, typer.Option("--engine", help="首选语音引擎 / preferred speech engine")] = None,
) -> None:
    """Make talking books: DAISY 2.02, EPUB 3 with Media Overlays, MP3 folders for a device profile.

    Several ``--format`` options write the formats concurrently from one synthesis of the book.
    """
    from accessible_reader.export.formats import export_books

    settings = Settings()
    strings = load_strings(settings.language)
    requests: list[tuple[str, DeviceProfile | None]] = []
    for fmt in dict.fromkeys(formats or ["daisy202"]):
        device = _profile_for(fmt, profile if fmt == "mp3" or len(formats or []) <= 1 else None)
        requests.append(("daisy202" if device is not None and device.format == "daisy202" else fmt, device))
    book = _book(target, settings)
    written = export_books(book, book_audio(book, settings, engine), requests, output)
    for (fmt, _device), path in zip(requests, written, strict=True):
        typer.echo(strings["export.written"].format(format=fmt, path=path))


@device_app.command("load")
@_one_line_errors
def device_load(
    target: Annotated[str, typer.Argument(help="书籍文件、书号或已导出的文件夹 / book file, id or exported folder")],
    mount: Annotated[Path, typer.Option("--to", help="设备挂载位置 / where the device is mounted")],
    profile: Annotated[str, typer.Option("--profile", "-p", help="设备配置 / device profile")] = "generic",
    engine: Annotated[str | None, typer.Option("--engine", help="首选语音引擎 / preferred speech engine")] = None,
) -> None:
    """Load a book onto a device: space checked first, copied, checksums verified, then renamed into place."""
    from accessible_reader.export.devices import check_mount, load_folder
    from accessible_reader.export.profiles import load_profile

    settings = Settings()
    strings = load_strings(settings.language)
    roots = settings.device_mount_roots
    check_mount(mount, roots)
    device = load_profile(profile)
    source = Path(target)
    if source.is_dir():
        folder, title = source, source.name
    else:
        from accessible_reader.export.formats import export_book

        book = _book(target, settings)
        staging = settings.output_dir / book.id / f"device-{device.name}"
        folder = export_book(book, book_audio(book, settings, engine), device.format, staging, device)
        title = book.metadata.title
    loaded = load_folder(folder, mount, roots=roots, title=title, profile=device.name)
    typer.echo(
        strings["device.loaded"].format(
            title=title, mount=mount, folder=loaded.folder, files=loaded.files, mb=f"{loaded.bytes / 1_048_576:.1f}"
        )
    )


@device_app.command("list")
@_one_line_errors
def device_list(mount: Annotated[Path, typer.Argument(help="设备挂载位置 / where the device is mounted")]) -> None:
    """List the books this service loaded onto the device."""
    from accessible_reader.export.devices import list_device

    settings = Settings()
    strings = load_strings(settings.language)
    books = list_device(mount, roots=settings.device_mount_roots)
    if not books:
        typer.echo(strings["device.list_empty"].format(mount=mount))
    for book in books:
        typer.echo(
            strings["device.list_row"].format(
                folder=book.folder,
                title=book.title,
                profile=book.profile,
                files=book.files,
                mb=f"{book.bytes / 1_048_576:.1f}",
                loaded=book.loaded_at,
            )
        )


@device_app.command("remove")
@_one_line_errors
def device_remove(
    mount: Annotated[Path, typer.Argument(help="设备挂载位置 / where the device is mounted")],
    folder: Annotated[str, typer.Argument(help="书的文件夹名（见 device list）/ the book's folder (see device list)")],
) -> None:
    """Remove a book this service loaded (nothing else on the device is touched)."""
    from accessible_reader.export.devices import remove_from_device

    settings = Settings()
    removed = remove_from_device(mount, folder, roots=settings.device_mount_roots)
    typer.echo(load_strings(settings.language)["device.removed"].format(folder=removed.folder, mount=mount))


@_one_line_errors
def deliver_command(
    target: Annotated[str, typer.Argument(help="书籍文件或书号 / a book file or the id of a stored book")],
    *,
    name: Annotated[str, typer.Option("--name", help="读者姓名 / reader's name")],
    address: Annotated[str, typer.Option("--address", help="读者地址 / reader's address")],
    output: Annotated[Path, typer.Option("-o", "--output", help="邮寄包（.zip 或文件夹）/ package (.zip or folder)")],
    formats: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="可多次指定 / repeatable: daisy202, epub3, mp3")
    ] = None,
    profile: Annotated[str, typer.Option("--profile", "-p", help="MP3 设备配置 / MP3 device profile")] = "generic",
    postcode: Annotated[str, typer.Option("--postcode", help="读者邮编 / reader's postcode")] = "",
    phone: Annotated[str, typer.Option("--phone", help="读者电话 / reader's phone")] = "",
    library: Annotated[str, typer.Option("--from-name", help="寄件单位 / sending library")] = "鹿寨县图书馆",
    library_address: Annotated[str, typer.Option("--from-address", help="退回地址 / return address")] = "",
    library_postcode: Annotated[str, typer.Option("--from-postcode", help="退回邮编 / return postcode")] = "",
    braille: Annotated[str, typer.Option("--braille", help="标签盲文体系 / label braille system")] = "gf2018",
) -> None:
    """Make a home-delivery package: the chosen formats, a manifest, a Braille label and a large-print label."""
    from accessible_reader.braille.system import build_system
    from accessible_reader.export.daisy202 import book_to_daisy202
    from accessible_reader.export.delivery import Address, build_delivery, write_delivery
    from accessible_reader.export.epub3 import book_to_epub3
    from accessible_reader.export.mp3_folder import book_to_mp3_folder
    from accessible_reader.export.profiles import load_profile
    from accessible_reader.text.factory import reading_engine_for

    settings = Settings()
    chosen = formats or ["daisy202", "mp3"]
    for fmt in chosen:
        _profile_for(fmt, None)
    book = _book(target, settings)
    reader = reading_engine_for(settings)
    audio = book_audio(book, settings, reader=reader)
    package = build_delivery(
        book,
        recipient=Address(name, address, postcode, phone),
        sender=Address(library, library_address, library_postcode),
        braille=build_system(braille, reading=lambda: reader),
        daisy=book_to_daisy202(book, audio) if "daisy202" in chosen else None,
        epub=book_to_epub3(book, audio) if "epub3" in chosen else None,
        mp3=book_to_mp3_folder(book, audio, load_profile(profile)) if "mp3" in chosen else None,
        language="en" if settings.language == "en" else "zh",
    )
    written = write_delivery(package, output, as_zip=output.suffix.lower() == ".zip")
    typer.echo(load_strings(settings.language)["delivery.written"].format(path=written))
