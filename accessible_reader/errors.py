"""One exception hierarchy for the whole service.

Every error carries a message a person can act on, in Chinese and English, and names the
file or component it is about. The CLI prints ``str(error)`` on one line and exits with
``exit_code``; no traceback reaches a reader or a member of staff.
"""

from __future__ import annotations

from pathlib import Path


class ReaderError(Exception):
    """Base of every error the service reports to a person.

    ``message_zh`` and ``message_en`` say what went wrong and what to do about it.
    ``source`` names the file (or record, or component) concerned, when there is one.
    """

    exit_code = 1

    def __init__(self, message_zh: str, message_en: str, source: str | Path | None = None) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        self.source = str(source) if source is not None else None
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The error as one line: ``source: 中文说明 / English explanation``."""
        prefix = f"{self.source}: " if self.source else ""
        return f"{prefix}{self.message_zh} / {self.message_en}"


class InputError(ReaderError):
    """The input (a file, a record, an argument) cannot be used as it is."""

    exit_code = 2


class UnsupportedFormatError(InputError):
    """The file's format is not one the service reads."""


class EngineUnavailable(ReaderError):
    """An external component (a voice, liblouis, ffmpeg, a sound device) is missing or broken."""

    exit_code = 3


class StorageError(ReaderError):
    """The catalog or data directory could not be read or written."""

    exit_code = 4


class NotFoundError(ReaderError):
    """A book, record or artifact asked for by id does not exist."""

    exit_code = 2


class DeviceError(ReaderError):
    """A listening device, embosser or disk refused the output (full, removed, read-only)."""

    exit_code = 5
