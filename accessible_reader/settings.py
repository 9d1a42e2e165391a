"""Service settings, read from the environment and injected everywhere (no import-time globals).

``ACCESSIBLE_READER_DATA_DIR`` moves the data directory (default
``~/.local/share/accessible-reader``); ``DATABASE_URL`` (or ``ACCESSIBLE_READER_DATABASE_URL``)
points the catalog at PostgreSQL instead of the SQLite file in the data directory.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "accessible-reader"


_SOURCE_LEXICON = Path(__file__).resolve().parents[1] / "content" / "lexicon.tsv"


def _default_lexicon_path() -> Path:
    """The checkout's ``content/lexicon.tsv`` (what staff edit), else one in the data dir."""
    if _SOURCE_LEXICON.is_file():
        return _SOURCE_LEXICON
    return _default_data_dir() / "lexicon.tsv"


class Settings(BaseSettings):
    """Everything configurable about one running service or CLI invocation."""

    model_config = SettingsConfigDict(env_prefix="ACCESSIBLE_READER_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "ACCESSIBLE_READER_DATABASE_URL")
    )
    language: str = "zh"
    lexicon_path: Path = Field(default_factory=_default_lexicon_path)

    @property
    def resolved_database_url(self) -> str:
        """The SQLAlchemy URL in force: ``database_url`` if set, else SQLite in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'catalog.sqlite3'}"

    @property
    def output_dir(self) -> Path:
        """Where produced files (audio, Braille, talking books) go."""
        return self.data_dir / "output"

    @property
    def cache_dir(self) -> Path:
        """Caches that can be rebuilt (dictionary loads, synthesized segments)."""
        return self.data_dir / "cache"

    @property
    def log_dir(self) -> Path:
        """Where logs, including internal-error reports, go."""
        return self.data_dir / "logs"
