"""Errors of the talking-book exporters (subclasses of the service's one hierarchy)."""

from __future__ import annotations

from pathlib import Path

from accessible_reader.errors import InputError

_SHOWN = 12


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:_SHOWN])
    return shown + (f" … (+{len(items) - _SHOWN})" if len(items) > _SHOWN else "")


class MissingAudioError(InputError):
    """The book's audio does not cover the document: sections (or their files) are missing.

    ``missing`` lists what is missing (section ids, or ``h3: /path/file.mp3`` when the file is gone).
    Nothing is written when this is raised.
    """

    def __init__(self, missing: list[str], source: str | Path | None = None) -> None:
        self.missing = list(missing)
        listing = _listing(self.missing)
        super().__init__(
            f"这本书缺少朗读音频，无法导出（缺 {len(self.missing)} 处：{listing}）；请先重新合成语音",
            f"the book's audio is incomplete, nothing was exported ({len(self.missing)} missing: {listing}); "
            "synthesize the speech again first",
            source,
        )


class AudioMismatchError(InputError):
    """The audio's clips do not fit the document or their files (unknown node, clip past the file's end)."""

    def __init__(self, problems: list[str], source: str | Path | None = None) -> None:
        self.problems = list(problems)
        listing = _listing(self.problems)
        super().__init__(
            f"朗读音频与书的内容对不上（{listing}）；请重新合成语音",
            f"the audio does not match the book ({listing}); synthesize the speech again",
            source,
        )
