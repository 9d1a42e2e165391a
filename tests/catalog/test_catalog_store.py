"""The catalog store on a real SQLite database in a temporary data dir, migrated by Alembic."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from accessible_reader.catalog.db import make_engine
from accessible_reader.catalog.records import CatalogRecord
from accessible_reader.catalog.store import CatalogStore
from accessible_reader.document.ingest.txt import text_to_book
from accessible_reader.document.model import BookMetadata
from accessible_reader.errors import NotFoundError, StorageError
from accessible_reader.settings import Settings


def _record(title: str, number: str, fmt: str = "cnmarc") -> CatalogRecord:
    return CatalogRecord(
        metadata=BookMetadata(title=title, authors=("老舍",), isbn="9787020087639", subjects=("长篇小说", "现代")),
        source_format=fmt,
        control_number=number,
        raw=f"=001  {number}",
    )


@pytest.fixture
def store(tmp_path: Path) -> CatalogStore:
    return CatalogStore(make_engine(Settings(data_dir=tmp_path)))


def _head_revision() -> str:
    """The newest migration (0002 added the service tables; later ones keep this test valid)."""
    from importlib.resources import files

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(files("accessible_reader.catalog") / "migrations"))
    return str(ScriptDirectory.from_config(config).get_current_head())


def test_migrations_create_tables_in_wal_mode(tmp_path: Path) -> None:
    engine = make_engine(Settings(data_dir=tmp_path))
    assert {"books", "catalog_records", "alembic_version"} <= set(inspect(engine).get_table_names())
    make_engine(Settings(data_dir=tmp_path))  # a second start migrates nothing and fails nothing
    with sqlite3.connect(tmp_path / "catalog.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == _head_revision()


def test_book_round_trips_through_the_database(store: CatalogStore) -> None:
    book = text_to_book("鹿寨县图书馆\n第一章 总则\n银行行长来了。他还可以走！\n", "bk1", "x")
    assert store.save_book(book, source_name="guide.txt") == "bk1"
    assert store.get_book("bk1") == book
    [summary] = store.list_books()
    assert (summary.id, summary.title, summary.characters) == ("bk1", "鹿寨县图书馆", 19)


def test_saving_the_same_book_twice_replaces_it(store: CatalogStore) -> None:
    store.save_book(text_to_book("书名\n第一段。\n", "bk1", "x"))
    store.save_book(text_to_book("书名\n第二段。\n", "bk1", "x"))
    assert [s.text for s in store.get_book("bk1").sentences()] == ["第二段。"]
    assert len(store.list_books()) == 1


def test_unknown_book_id_is_a_clear_error(store: CatalogStore) -> None:
    with pytest.raises(NotFoundError, match="没有编号为 bk404 的书 / no book with id bk404"):
        store.get_book("bk404")


def test_reimport_updates_by_control_number(store: CatalogStore) -> None:
    first = store.import_records([_record("骆驼祥子", "001"), _record("边城", "002"), _record("无号", "")])
    assert (first.added, first.updated) == (3, 0)
    again = store.import_records([_record("骆驼祥子（修订）", "001"), _record("无号", "")])
    assert (again.added, again.updated) == (1, 1)
    assert store.count_records() == 4
    # same control number from another format is another record
    assert store.import_records([_record("骆驼祥子", "001", fmt="marc21")]).added == 1


def test_failed_import_stores_nothing_and_keeps_what_was_there(store: CatalogStore, tmp_path: Path) -> None:
    store.import_records([_record("骆驼祥子", "001")])
    bad = _record("坏记录", "002")
    object.__setattr__(bad, "source_format", None)  # violates NOT NULL inside the transaction
    with pytest.raises(StorageError, match="nothing was saved"):
        store.import_records([_record("边城", "003"), bad])
    assert store.count_records() == 1


def test_unwritable_data_dir_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="cannot open the catalog database"):
        make_engine(Settings(data_dir=blocker / "data"))
