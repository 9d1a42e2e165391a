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
    # service (accessible_reader/api, accessible_reader/jobs); see docs/service.md
    secret_key: str | None = None  # HMAC key for sessions and signed links; else <data_dir>/secret.key
    job_workers: int = 2  # in-process conversion workers
    upload_max_bytes: int = 50 * 1024 * 1024
    session_ttl_s: int = 8 * 3600
    login_max_failures: int = 5  # per user name and client address ...
    login_window_s: int = 300  # ... within this many seconds, then HTTP 429
    device_mount_roots: list[Path] = Field(default_factory=lambda: [Path("/media"), Path("/mnt"), Path("/run/media")])
    """Where listening devices (USB sticks, DAISY players, 听书机) are mounted; device loading writes only there."""
    lexicon_path: Path = Field(default_factory=_default_lexicon_path)
    menu_dir: Path | None = None  # voice menu definitions (*.yaml); None = the checkout's voice_menus/

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
