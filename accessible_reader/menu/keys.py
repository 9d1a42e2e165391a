"""Keys from a terminal: bytes -> key names the menu understands.

:func:`parse_keys` is pure: it turns what a terminal sends (UTF-8 characters, VT100 arrow and
numeric-keypad escape sequences in normal or application mode) into names: one character
("1", "h", "中"), or ``up down left right enter backspace escape space``, or ``quit`` for Ctrl-D.
:class:`TerminalKeys` puts a terminal in cbreak mode (no echo, no line buffering; Ctrl-C still
interrupts) and reads keys with a timeout, restoring the terminal on close.
"""

from __future__ import annotations

import codecs
import os
import select
from typing import Any

SEQUENCES: dict[str, str] = {
    "\x1b[A": "up",
    "\x1b[B": "down",
    "\x1b[C": "right",
    "\x1b[D": "left",
    "\x1bOA": "up",
    "\x1bOB": "down",
    "\x1bOC": "right",
    "\x1bOD": "left",
    "\x1bOM": "enter",
    "\x1bOj": "*",
    "\x1bOk": "+",
    "\x1bOm": "-",
    "\x1bOn": ".",
    "\x1bOo": "/",
    **{f"\x1bO{chr(ord('p') + d)}": str(d) for d in range(10)},  # keypad digits in application mode
    "\x1b[3~": "backspace",  # Delete
}
SINGLE: dict[str, str] = {
    "\r": "enter",
    "\n": "enter",
    "\x7f": "backspace",
    "\x08": "backspace",
    " ": "space",
    "\x04": "quit",
}
ESCAPE_WAIT_S = 0.03
"""How long a lone ESC waits for the rest of a sequence before it counts as the Escape key."""


def parse_keys(text: str) -> tuple[list[str], str]:
    """Key names in ``text`` and an unfinished escape sequence left over (to prepend to the next read)."""
    keys: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\x1b":
            for sequence, name in SEQUENCES.items():
                if text.startswith(sequence, i):
                    keys.append(name)
                    i += len(sequence)
                    break
            else:
                rest = text[i:]
                if any(seq.startswith(rest) for seq in SEQUENCES) and len(rest) < 4:
                    return keys, rest  # maybe the start of a sequence: wait for more
                keys.append("escape")
                i += 1
                if text.startswith("[", i) or text.startswith("O", i):  # unknown sequence: skip it whole
                    i += 1
                    while i < len(text) and not (text[i].isalpha() or text[i] == "~"):
                        i += 1
                    i += 1
                    keys.pop()
            continue
        single = SINGLE.get(char)
        if single is not None:
            keys.append(single)
        elif char.isprintable():
            keys.append(char.lower() if char.isascii() else char)
        i += 1
    return keys, ""


class TerminalKeys:
    """Reads key names from a terminal file descriptor in cbreak mode. Use as a context manager."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._saved: list[Any] | None = None
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending: list[str] = []
        self._partial = ""

    def __enter__(self) -> TerminalKeys:
        import termios
        import tty

        if os.isatty(self.fd):
            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def __exit__(self, *_exc: object) -> None:
        import termios

        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    def read(self, timeout: float) -> str | None:
        """The next key, or None after ``timeout`` seconds without one; "quit" at end of input."""
        if self._pending:
            return self._pending.pop(0)
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            if self._partial:  # a lone ESC: nothing followed it
                keys, self._partial = parse_keys(self._partial + "\x00")
                return keys[0] if keys else None
            return None
        data = os.read(self.fd, 64)
        if not data:
            return "quit"
        text = self._partial + self._decoder.decode(data)
        keys, self._partial = parse_keys(text)
        if self._partial:
            more, _, _ = select.select([self.fd], [], [], ESCAPE_WAIT_S)
            if not more:
                extra, self._partial = parse_keys(self._partial + "\x00")
                keys.extend(extra)
        self._pending.extend(keys)
        return self._pending.pop(0) if self._pending else None
