"""``accessible-reader serve`` (uvicorn) and ``accessible-reader staff-add`` (the first admin)."""

from __future__ import annotations

from typing import Annotated

import typer

from accessible_reader.catalog.service_models import StaffRole
from accessible_reader.errors import ReaderError
from accessible_reader.settings import Settings


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for the whole reading room).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int | None, typer.Option(help="Conversion worker threads (default: settings, 2).")] = None,
) -> None:
    """Start the web service: staff UI at /, API under /api, OpenAPI at /openapi.json."""
    import uvicorn

    from accessible_reader.api.app import create_app

    settings = Settings()
    if workers is not None:
        settings = settings.model_copy(update={"job_workers": workers})
    try:
        app = create_app(settings)
    except ReaderError as error:
        typer.echo(error.one_line(), err=True)
        raise typer.Exit(error.exit_code) from None
    typer.echo(f"http://{host}:{port}/  (data: {settings.data_dir})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


def staff_add_command(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[StaffRole, typer.Option(help="admin, transcriber or desk.")] = StaffRole.ADMIN,
    display_name: Annotated[str, typer.Option(help="Name shown in the web UI.")] = "",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="At least 8 characters.")
    ] = "",
) -> None:
    """Add a member of staff (the first admin is created this way)."""
    from fastapi import HTTPException

    from accessible_reader.api.app import build_services
    from accessible_reader.api.routers.auth import create_staff

    if len(password) < 8:
        typer.echo("密码至少 8 个字符 / the password needs at least 8 characters", err=True)
        raise typer.Exit(2)
    try:
        services = build_services(Settings())
        row = create_staff(services, username, password, role, display_name)
    except ReaderError as error:
        typer.echo(error.one_line(), err=True)
        raise typer.Exit(error.exit_code) from None
    except HTTPException as error:
        typer.echo(str(error.detail), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{row.id}\t{row.username}\t{row.role}")
