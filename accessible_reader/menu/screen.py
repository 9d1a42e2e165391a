"""The screen mirror: what the menu says, in large high-contrast print, for low-vision readers and staff.

A :class:`Display` shows each response; :class:`RichDisplay` draws it with rich (bold yellow on
black, the screen's title on top, the newest utterances below, one per line); :class:`NoDisplay`
is the headless mode (the menu runs with speech only). Displays never read keys.
"""

from __future__ import annotations

from typing import IO, Protocol

MIRROR_LINES = 12
"""How many of the newest utterances stay on screen."""


class Display(Protocol):
    """Shows what is spoken. ``notice`` is for messages about the system (no sound device ...)."""

    def show(self, title: str, utterances: list[str]) -> None:
        """Draw the screen ``title`` and the utterances just spoken."""
        ...

    def notice(self, text: str) -> None:
        """Show a system message."""
        ...


class NoDisplay:
    """Headless: shows nothing."""

    def show(self, title: str, utterances: list[str]) -> None:
        """Nothing."""

    def notice(self, text: str) -> None:
        """Nothing."""


class RichDisplay:
    """Large print, high contrast: bold bright yellow on black; the title reversed at the top."""

    STYLE = "bold bright_yellow on black"

    def __init__(self, stream: IO[str] | None = None) -> None:
        from rich.console import Console

        self._console = Console(file=stream, highlight=False, soft_wrap=True)
        self._lines: list[str] = []
        self._notices: list[str] = []

    def show(self, title: str, utterances: list[str]) -> None:
        """Redraw: title, then the newest utterances."""
        from rich.panel import Panel
        from rich.text import Text

        self._lines = [*self._lines, *(u for u in utterances if u)][-MIRROR_LINES:]
        body = Text("\n".join(self._lines), style=self.STYLE)
        self._console.clear()
        for notice in self._notices:
            self._console.print(Text(notice, style="bold black on bright_white"))
        self._console.print(
            Panel(body, title=Text(f" {title} ", style="bold black on bright_yellow"), style=self.STYLE, padding=(1, 2))
        )

    def notice(self, text: str) -> None:
        """Keep ``text`` above the mirror until the program ends."""
        from rich.text import Text

        self._notices.append(text)
        self._console.print(Text(text, style="bold black on bright_white"))
