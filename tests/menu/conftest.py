"""Fixtures of the menu tests: a real catalog (the sample book and records), the real menu
definitions, a fake clock, and services that stand in for the layers the menu reaches through ports."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from accessible_reader.catalog.db import make_engine
from accessible_reader.catalog.records import read_records
from accessible_reader.catalog.store import CatalogStore
from accessible_reader.document.ingest import ingest_path
from accessible_reader.menu.adapters import CatalogLibrary, LocalServices
from accessible_reader.menu.definitions import MenuSet, default_menu_dir, load_menu_set
from accessible_reader.menu.ports import BookHit, Bookmark, Reader
from accessible_reader.menu.runtime import Menu
from accessible_reader.settings import Settings

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "content" / "books" / "reading-room-guide.txt"
RECORDS = REPO / "content" / "catalog" / "sample-records.csv"


@pytest.fixture(scope="session")
def menu_set() -> MenuSet:
    return load_menu_set(default_menu_dir())


@pytest.fixture(scope="session")
def catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose catalog holds the sample guide (with text) and the five sample records."""
    data_dir = tmp_path_factory.mktemp("menu-catalog")
    store = CatalogStore(make_engine(Settings(data_dir=data_dir)))
    store.save_book(ingest_path(GUIDE), source_name=GUIDE.name)
    store.import_records(read_records(RECORDS))
    return data_dir


@pytest.fixture
def engine(catalog_dir: Path) -> Engine:
    return make_engine(Settings(data_dir=catalog_dir))


@pytest.fixture
def library(engine: Engine) -> CatalogLibrary:
    return CatalogLibrary(engine)


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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(tmp_path: Path) -> StandInServices:
    return StandInServices(tmp_path / "state.json")


@pytest.fixture
def menu(menu_set: MenuSet, library: CatalogLibrary, services: StandInServices, clock: FakeClock) -> Iterator[Menu]:
    menu = Menu(menu_set, library, services, clock=clock, voice_name="espeak")
    menu.start()
    yield menu


def guide_id(library: CatalogLibrary) -> str:
    return next(h.id for h in library.search("使用指南"))


def first_bookmark(services: LocalServices, reader: Reader) -> Bookmark:
    return services.bookmarks(reader)[0]
