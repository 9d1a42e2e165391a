"""``accessible-reader braille | emboss | unbraille``: braille from the command line.

Register on the main typer app with ``app.command("braille")(braille_command)`` and likewise
``emboss_command`` and ``unbraille_command``. Errors become one line (Chinese / English) and the
error's exit code, never a traceback.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from accessible_reader.errors import InputError
from accessible_reader.settings import Settings

if TYPE_CHECKING:
    from accessible_reader.braille.system import BrailleSystem
    from accessible_reader.document.model import Book
    from accessible_reader.text.readings import ReadingEngine

T = TypeVar("T")

SystemOption = Annotated[
    str,
    typer.Option("--system", "-s", help="盲文体系 / braille system: gf2018|gb2008|ueb-g2|ueb-g1|liblouis TABLE"),
]


def _strings() -> dict[str, str]:
    from accessible_reader.locale import load_strings

    return load_strings(Settings().language)


def _reading_engine() -> ReadingEngine:
    from accessible_reader.text.factory import reading_engine_for

    return reading_engine_for(Settings())


def _system(name: str) -> BrailleSystem:
    from accessible_reader.braille.system import build_system

    return build_system(name, _reading_engine)


def braille_command(
    text: Annotated[str, typer.Argument(help="要转写的文字 / the text to put into braille")],
    system: SystemOption = "gf2018",
    fmt: Annotated[str, typer.Option("--format", "-f", help="unicode | brf")] = "unicode",
) -> None:
    """Print TEXT in braille, one line per paragraph, without pagination."""
    from accessible_reader.braille.cells import to_brf

    if fmt not in ("unicode", "brf"):
        raise InputError(f"不支持的格式：{fmt}（unicode 或 brf）", f"unsupported format: {fmt} (unicode or brf)")
    chosen = _system(system)
    unknown: list[str] = []
    for paragraph in text.splitlines() or [""]:
        translation = chosen.translate(paragraph)
        unknown.extend(translation.unknown)
        typer.echo(to_brf(translation.cells) if fmt == "brf" else translation.cells)
    if unknown:
        typer.echo(_strings()["braille.cli.unknown"].format(chars=" ".join(dict.fromkeys(unknown))), err=True)


def unbraille_command(
    braille: Annotated[str, typer.Argument(help="盲文（Unicode 点字或 BRF）/ braille: Unicode cells or BRF ASCII")],
    system: SystemOption = "gf2018",
) -> None:
    """Back-translate BRAILLE: Chinese systems give pinyin with tone numbers, others print."""
    from accessible_reader.braille.cells import from_brf, is_braille

    cells = braille if is_braille(braille.replace(" ", "").replace("\n", "")) else from_brf(braille)
    typer.echo(_system(system).back_translate(cells))


def emboss_command(  # noqa: PLR0917 (typer maps each parameter to an option)
    target: Annotated[str | None, typer.Argument(help="书籍文件或书目编号 / a book file or a stored book id")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="out.pef | out.brf | out.html | out.txt | out.svg")
    ] = None,
    profile: Annotated[str, typer.Option("--profile", "-p", help="default | interpoint | compact | COLSxROWS")] = (
        "default"
    ),
    system: SystemOption = "gf2018",
    max_pages: Annotated[int, typer.Option("--max-pages", help="每卷最多页数 / pages per volume")] = 80,
    queue: Annotated[str | None, typer.Option("--queue", help="CUPS 打印队列 / CUPS queue (BRF, raw)")] = None,
    device: Annotated[Path | None, typer.Option("--device", help="盲文打印机设备 / embosser device path")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只写文件，不打印 / only write the file")] = False,
    list_queues: Annotated[bool, typer.Option("--list-queues", help="列出打印队列 / list CUPS queues")] = False,
) -> None:
    """Paginate a book for an embosser and write it (PEF, BRF, HTML preview, text, SVG); optionally emboss it."""

    from accessible_reader.braille import emboss
    from accessible_reader.braille.convert import book_to_pages, format_of, render_bytes, store
    from accessible_reader.braille.layout import get_profile

    strings = _strings()
    if list_queues:
        queues = emboss.list_queues()
        typer.echo("\n".join(queues) if queues else strings["braille.cli.queues_none"])
        return
    if target is None:
        raise InputError("请给出书籍文件或书目编号", "give a book file or a stored book id")
    if output is None and queue is None and device is None:
        raise InputError("请用 -o 指定输出文件", "name the output file with -o")
    if output is not None:
        format_of(output)
    geometry = get_profile(profile)
    book = _load_book(target)
    chosen = _system(system)
    result = book_to_pages(book, chosen, geometry, max_pages=max_pages)
    if result.unknown:
        typer.echo(strings["braille.cli.unknown"].format(chars=" ".join(result.unknown)), err=True)
    pages = result.pages
    if output is not None:
        store(pages, output, book=book, language=chosen.language, labels=Settings().language)
        typer.echo(
            strings["braille.cli.written"].format(path=output, volumes=len(pages.volumes), pages=len(pages.pages()))
        )
    if queue is None and device is None:
        return
    brf = render_bytes(pages, "brf", book=book, language=chosen.language)
    if device is not None:
        emboss.write_to_device(brf, device, dry_run=dry_run)
        if not dry_run:
            typer.echo(strings["braille.cli.device"].format(device=device))
    if queue is not None:
        with tempfile.TemporaryDirectory() as folder:
            path = output if output is not None and output.suffix.lower() == ".brf" else Path(folder) / "book.brf"
            if path.parent == Path(folder):
                path.write_bytes(brf)
            emboss.send_to_queue(path, queue, dry_run=dry_run)
        if not dry_run:
            typer.echo(strings["braille.cli.sent"].format(queue=queue))


def _load_book(target: str) -> Book:
    from accessible_reader.document.ingest import ingest_path

    path = Path(target)
    if path.exists():
        return ingest_path(path)
    from accessible_reader.catalog.db import make_engine
    from accessible_reader.catalog.store import CatalogStore

    return CatalogStore(make_engine(Settings())).get_book(target)
