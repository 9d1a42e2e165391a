"""Fixtures of the menu tests: a real catalog (the sample book and records), the real menu
definitions, a fake clock, and services that stand in for the layers the menu reaches through ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from menu_helpers import GUIDE, RECORDS, FakeClock, StandInServices
from sqlalchemy import Engine

from accessible_reader.catalog.db import make_engine
from accessible_reader.catalog.records import read_records
from accessible_reader.catalog.store import CatalogStore
from accessible_reader.document.ingest import ingest_path
from accessible_reader.menu.adapters import CatalogLibrary, LocalServices
from accessible_reader.menu.definitions import MenuSet, default_menu_dir, load_menu_set
from accessible_reader.menu.ports import Bookmark, Reader
from accessible_reader.menu.runtime import Menu
from accessible_reader.settings import Settings


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
