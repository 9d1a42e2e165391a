"""Language runs: mixed text split into Chinese, Latin, digit, punctuation and space runs (pure).

Each run is tagged with the language a speech engine should use for it, so one voice reads the
Chinese and another (or the same one, spelling) reads the English. Digits and punctuation are
tagged ``zh`` (they are read, or paused on, by the Chinese voice); spaces carry no language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

RunKind = Literal["zh", "latin", "digit", "punct", "space"]

_CJK_CLASS = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(
    rf"(?P<zh>[{_CJK_CLASS}]+)"
    r"|(?P<latin>[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z\u00c0-\u024f]+)*)"
    r"|(?P<digit>[0-9]+)"
    r"|(?P<space>\s+)"
    rf"|(?P<punct>[^\sA-Za-z0-9\u00c0-\u024f{_CJK_CLASS}]+)"
)
_KINDS: dict[str | None, RunKind] = {"zh": "zh", "latin": "latin", "digit": "digit", "punct": "punct", "space": "space"}
_LANG: dict[RunKind, str] = {"zh": "zh", "latin": "en", "digit": "zh", "punct": "zh", "space": ""}


@dataclass(frozen=True, slots=True)
class Run:
    """A maximal stretch of one kind of text. ``start`` is its offset in the text it came from."""

    text: str
    kind: RunKind
    lang: str
    start: int

    @property
    def end(self) -> int:
        """Offset just past the run."""
        return self.start + len(self.text)


def split_runs(text: str) -> list[Run]:
    """Split text into runs; joining the runs' texts gives the text back exactly.

    ``split_runs("ISBN号码978")`` → latin ``ISBN`` (en), zh ``号码``, digit ``978``.
    Chinese includes 〇 (U+3007) and the CJK extension blocks; Latin includes accented letters
    and apostrophes inside words (don't, l'été).
    """
    runs: list[Run] = []
    for match in _RUN.finditer(text):
        kind = _KINDS[match.lastgroup]
        runs.append(Run(match.group(), kind, _LANG[kind], match.start()))
    return runs
