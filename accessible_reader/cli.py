"""``accessible-reader``: the command line for staff (typer).

Every command turns a :class:`~accessible_reader.errors.ReaderError` into one line on
stderr and its exit code; an unexpected failure is written with its traceback to the log
directory and reported in one line, so no traceback reaches the terminal.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from accessible_reader.errors import ReaderError
from accessible_reader.locale import load_strings
from accessible_reader.settings import Settings

if TYPE_CHECKING:
    from accessible_reader.catalog.store import CatalogStore

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="accessible-reader",
    help="Offline reading service for blind readers: ingest books, catalog records, speech and Braille.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
catalog_app = typer.Typer(
    help="Catalog records: import MARC / CNMARC / MARCXML / CSV, list books.", no_args_is_help=True
)
app.add_typer(catalog_app, name="catalog")


def _settings() -> Settings:
    return Settings()


def _say(key: str, **values: object) -> str:
    strings = load_strings(_settings().language)
    return strings[key].format(**values)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so errors become one clear line and an exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ReaderError as error:
            typer.echo(error.one_line(), err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo(_say("cli.interrupted"), err=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception:  # the last resort: keep the traceback for developers, not the reader
            log = _write_crash_report()
            typer.echo(_say("cli.internal_error", log=log), err=True)
            raise typer.Exit(70) from None

    return wrapper


def _write_crash_report() -> Path:
    settings = _settings()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    try:
        settings.log_dir.mkdir(parents=True, exist_ok=True)
        path = settings.log_dir / f"crash-{stamp}.log"
        path.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:
        path = Path("/dev/stderr")
    return path


def _store() -> CatalogStore:
    from accessible_reader.catalog.db import make_engine
    from accessible_reader.catalog.store import CatalogStore

    return CatalogStore(make_engine(_settings()))


@app.command()
@reports_errors
def ingest(path: Annotated[Path, typer.Argument(help="Book file: TXT, Markdown, HTML, EPUB or DOCX.")]) -> None:
    """Read a book file into the document model, store it in the catalog and print its id."""
    from accessible_reader.document.ingest import ingest_path
    from accessible_reader.document.model import book_stats

    book = ingest_path(path)
    book_id = _store().save_book(book, source_name=path.name)
    stats = book_stats(book)
    typer.echo(book_id)
    typer.echo(
        _say("cli.ingest.stored", title=book.metadata.title, sections=stats.sections, characters=stats.characters),
        err=True,
    )


@app.command()
@reports_errors
def outline(
    target: Annotated[str, typer.Argument(help="A book file, or the id of a stored book.")],
) -> None:
    """Print the heading tree, indented by level, then the counts of the book."""
    from accessible_reader.document.ingest import ingest_path
    from accessible_reader.document.outline_text import outline_lines

    path = Path(target)
    book = ingest_path(path) if path.exists() else _store().get_book(target)
    for line in outline_lines(book, load_strings(_settings().language)):
        typer.echo(line)


@catalog_app.command("import")
@reports_errors
def catalog_import(
    file: Annotated[Path, typer.Argument(help="MARC 21 / CNMARC in ISO 2709 or MARCXML, or CSV.")],
) -> None:
    """Import every record of FILE; a bad record stops the import and nothing is stored."""
    from accessible_reader.catalog.records import read_records

    records = read_records(file)
    result = _store().import_records(records)
    typer.echo(_say("cli.catalog.imported", added=result.added, updated=result.updated, file=file.name))


@catalog_app.command("books")
@reports_errors
def catalog_books() -> None:
    """List the stored books: id, title, authors, characters."""
    for summary in _store().list_books():
        typer.echo(f"{summary.id}\t{summary.title}\t{summary.authors}\t{summary.characters}")


@app.command()
@reports_errors
def doctor() -> None:
    """Check every external component; exit 0 when the offline core works."""
    from accessible_reader.doctor import offline_core_ok, run_checks

    strings = load_strings(_settings().language)
    statuses = run_checks()
    for status in statuses:
        mark = strings["doctor.ok"] if status.ok else strings["doctor.missing"]
        kind = strings["doctor.required"] if status.required else strings["doctor.optional"]
        typer.echo(f"[{mark}] {status.name} ({kind}): {status.detail}")
        if not status.ok and status.fix:
            typer.echo(f"      {strings['doctor.fix']}: {status.fix}")
    ok = offline_core_ok(statuses)
    typer.echo(strings["doctor.summary_ok"] if ok else strings["doctor.summary_broken"])
    raise typer.Exit(0 if ok else 1)


@app.command()
@reports_errors
def demo(
    content: Annotated[Path, typer.Option(help="Folder with books/ and catalog/ to ingest.")] = Path("content"),
) -> None:
    """The main job of `make run`: ingest content/ into the catalog and produce what can be produced."""
    from accessible_reader.demo import run_demo

    for line in run_demo(_settings(), content, load_strings(_settings().language)):
        typer.echo(line)


def _register_commands() -> None:
    """Commands that live next to their layer (``<layer>/cli_<layer>.py``), one line each.

    Each is wrapped in :func:`reports_errors`, so an unexpected fault gives a crash log, not a traceback.
    """
    from accessible_reader.text.cli_reading import reading_command

    app.command("reading")(reports_errors(reading_command))
    from accessible_reader.tts.cli_speech import speak_command, voices_command

    app.command("speak")(reports_errors(speak_command))
    app.command("voices")(reports_errors(voices_command))
    from accessible_reader.menu.cli_menu import menu_command

    app.command("menu")(reports_errors(menu_command))
    from accessible_reader.braille.cli_braille import braille_command, emboss_command, unbraille_command

    app.command("braille")(reports_errors(braille_command))
    app.command("emboss")(reports_errors(emboss_command))
    app.command("unbraille")(reports_errors(unbraille_command))
    from accessible_reader.api.cli_serve import serve_command, staff_add_command

    app.command("serve")(reports_errors(serve_command))
    app.command("staff-add")(reports_errors(staff_add_command))
    from accessible_reader.export.cli_export import deliver_command, device_app, export_command

    app.command("export")(reports_errors(export_command))
    app.add_typer(device_app, name="device")
    app.command("deliver")(reports_errors(deliver_command))


_register_commands()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="accessible-reader")


if __name__ == "__main__":
    main()
