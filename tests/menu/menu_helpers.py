"""Stand-ins and paths shared by the menu tests (a plain module: `from conftest import` is ambiguous
when several test folders have a conftest.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from accessible_reader.menu.adapters import LocalServices
from accessible_reader.menu.ports import BookHit, Reader

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "content" / "books" / "reading-room-guide.txt"
RECORDS = REPO / "content" / "catalog" / "sample-records.csv"


@dataclass
class FakeClock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


class StandInServices(LocalServices):
    """LocalServices (real positions, bookmarks and ratings on disk) plus stand-ins for the layers
    behind login, loans, Braille, devices and delivery, recording what the menu asked for."""

    def __init__(self, state_file: Path) -> None:
        super().__init__(state_file)
        self.calls: list[tuple[str, str]] = []
        self.progress = 0

    def login(self, card: str, pin: str) -> Reader | None:
        self.calls.append(("login", card))
        return Reader(card, "王芳") if (card, pin) == ("1001", "2468") else None

    def loans(self, reader: Reader) -> Sequence[BookHit]:
        return [BookHit("record:1", "骆驼祥子", "老舍", False)]

    def queue_braille(self, reader: Reader, book_id: str, system: str) -> str:
        self.calls.append(("braille", system))
        return "7"

    def job_progress(self, job_id: str) -> int:
        return self.progress

    def load_device(self, reader: Reader, book_id: str) -> str:
        self.calls.append(("device", book_id))
        return "U盘 READER"

    def request_delivery(self, reader: Reader, book_id: str) -> None:
        self.calls.append(("delivery", reader.id))
