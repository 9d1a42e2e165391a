"""Opening the catalog database: engine creation, SQLite pragmas, migrations to head."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError

from accessible_reader.errors import StorageError
from accessible_reader.settings import Settings


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the menu and the web UI read while a job writes; foreign keys are off by default in SQLite
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(settings: Settings) -> Engine:
    """Create the engine for ``settings`` and bring its schema to the newest migration.

    For SQLite the data directory is created first. Raises StorageError when the database
    cannot be opened or migrated.
    """
    url = settings.resolved_database_url
    try:
        if url.startswith("sqlite"):
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        migrate(engine)
    except (SQLAlchemyError, OSError) as error:
        raise StorageError(
            f"无法打开目录数据库（{error.__class__.__name__}）；请检查数据目录 {settings.data_dir} 是否可写",
            f"cannot open the catalog database ({error}); check that {settings.data_dir} is writable",
            url.split("@")[-1],
        ) from None
    return engine


def migrate(engine: Engine) -> None:
    """Apply every Alembic migration not yet applied (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(files("accessible_reader.catalog") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
