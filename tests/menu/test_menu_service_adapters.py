"""The Services port over the service's tables: login by card and PIN, per-reader state in the database."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from menu_helpers import GUIDE, RECORDS
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from accessible_reader.catalog.db import make_engine
from accessible_reader.catalog.models import CatalogRecordRow
from accessible_reader.catalog.records import read_records
from accessible_reader.catalog.service_models import (
    ArtifactRow,
    BookmarkRow,
    DeliveryRow,
    DeviceLoanRow,
    JobRow,
    PositionRow,
    RatingRow,
    ReaderRow,
)
from accessible_reader.catalog.store import CatalogStore
from accessible_reader.document.ingest import ingest_path
from accessible_reader.menu.adapters import CatalogLibrary, LocalServices
from accessible_reader.menu.definitions import MenuSet
from accessible_reader.menu.ports import GUEST, Bookmark, NeedLogin, NotAvailable
from accessible_reader.menu.runtime import Menu
from accessible_reader.menu.service_adapters import ServiceBackedServices
from accessible_reader.settings import Settings

security = pytest.importorskip("accessible_reader.api.security")


@pytest.fixture
def db(tmp_path: Path) -> tuple[Engine, str]:
    engine = make_engine(Settings(data_dir=tmp_path))
    book_id = CatalogStore(engine).save_book(ingest_path(GUIDE))
    pin_hash = security.Passwords(time_cost=1, memory_cost=8).hash("2468")
    with Session(engine) as session, session.begin():
        session.add(ReaderRow(card_number="45020001", name="李明", pin_hash=pin_hash))
    return engine, book_id


def test_login_checks_the_pin(db: tuple[Engine, str], tmp_path: Path) -> None:
    engine, _ = db
    services = ServiceBackedServices(engine, Settings(data_dir=tmp_path), LocalServices(tmp_path / "state.json"))
    assert services.login("45020001", "0000") is None
    assert services.login("99999999", "2468") is None
    reader = services.login("45020001", "2468")
    assert reader is not None and (reader.id, reader.name) == ("45020001", "李明")


def test_logged_in_state_goes_to_the_database(db: tuple[Engine, str], tmp_path: Path) -> None:
    engine, book_id = db
    local = tmp_path / "state.json"
    services = ServiceBackedServices(engine, Settings(data_dir=tmp_path), LocalServices(local))
    reader = services.login("45020001", "2468")
    assert reader is not None
    services.save_position(reader, book_id, "s3")
    services.save_position(reader, book_id, "s4")
    assert services.position(reader, book_id) == "s4"
    assert services.add_bookmark(reader, Bookmark(book_id, "s2", "第一章")) == 1
    assert services.add_bookmark(reader, Bookmark(book_id, "s5", "第二章")) == 2
    assert [b.sentence_id for b in services.bookmarks(reader, book_id)] == ["s2", "s5"]
    services.request_delivery(reader, book_id)
    services.rate(reader, 4)
    with Session(engine) as session:
        assert session.scalars(select(PositionRow.location)).all() == ["s4"]
        assert len(session.scalars(select(BookmarkRow)).all()) == 2
        delivery = session.scalars(select(DeliveryRow)).one()
        assert (json.loads(delivery.items_json), delivery.status, delivery.medium) == ([book_id], "requested", "usb")
        assert session.scalars(select(RatingRow.score)).all() == [4]
    assert not local.exists()  # nothing of a logged-in reader in the local file


def test_guest_state_stays_local(db: tuple[Engine, str], tmp_path: Path) -> None:
    engine, book_id = db
    services = ServiceBackedServices(engine, Settings(data_dir=tmp_path), LocalServices(tmp_path / "state.json"))
    services.save_position(GUEST, book_id, "s7")
    services.rate(GUEST, 5)
    assert services.position(GUEST, book_id) == "s7"
    state = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert state["positions"] == {f"guest/{book_id}": "s7"} and state["ratings"][0]["stars"] == 5
    with pytest.raises(NotAvailable):
        services.request_delivery(GUEST, book_id)


@pytest.mark.slow
def test_braille_print_queues_a_brf_job_the_service_runs(db: tuple[Engine, str], tmp_path: Path) -> None:
    engine, book_id = db
    settings = Settings(data_dir=tmp_path)
    services = ServiceBackedServices(engine, settings, LocalServices(tmp_path / "state.json"))
    job = services.queue_braille(GUEST, book_id, "gf2018")
    assert services.job_progress(job) == 0
    queue = services._job_queue()  # the service's workers do this part
    assert queue.claim() == job
    queue.run(job)
    assert services.job_progress(job) == 100
    with Session(engine) as session:
        kinds = session.scalars(select(ArtifactRow.kind).where(ArtifactRow.book_id == book_id)).all()
    assert kinds == ["brf"]


def test_device_load_copies_the_talking_book_onto_the_plugged_in_device(db: tuple[Engine, str], tmp_path: Path) -> None:
    from accessible_reader.errors import DeviceError
    from accessible_reader.jobs.artifacts import ArtifactStore

    engine, book_id = db
    media = tmp_path / "media"
    settings = Settings(data_dir=tmp_path, device_mount_roots=[media])
    services = ServiceBackedServices(engine, settings, LocalServices(tmp_path / "state.json"))
    with pytest.raises(DeviceError, match="有声文件还没有做好"):
        services.load_device(GUEST, book_id)
    with Session(engine) as session:
        jobs = session.scalars(select(JobRow.kind).where(JobRow.book_id == book_id)).all()
    assert jobs == ["mp3_folder"]  # the export was asked for
    with pytest.raises(DeviceError):
        services.load_device(GUEST, book_id)
    with Session(engine) as session:
        assert len(session.scalars(select(JobRow).where(JobRow.book_id == book_id)).all()) == 1  # not queued twice

    export = tmp_path / "work" / "指南"
    export.mkdir(parents=True)
    (export / "001.mp3").write_bytes(b"ID3" + bytes(2000))
    (export / "002.mp3").write_bytes(b"ID3" + bytes(3000))
    ArtifactStore(engine, tmp_path / "artifacts").add(book_id, None, "mp3_folder", export, {"profile": "generic"})
    with pytest.raises(DeviceError, match="没有找到听书机或U盘"):
        services.load_device(GUEST, book_id)
    (media / "READER").mkdir(parents=True)
    (media / "READER" / "notes.txt").write_text("x", encoding="utf-8")
    assert services.load_device(GUEST, book_id) == "READER"
    loaded = media / "READER" / "指南"
    assert sorted(p.name for p in loaded.iterdir()) == ["001.mp3", "002.mp3"]
    assert (loaded / "002.mp3").stat().st_size == 3003


def test_my_loans_speak_only_the_logged_in_readers_open_deliveries(
    db: tuple[Engine, str], tmp_path: Path, menu_set: MenuSet
) -> None:
    engine, book_id = db
    CatalogStore(engine).import_records(read_records(RECORDS))
    with Session(engine) as session, session.begin():
        records = {r.title: f"record:{r.id}" for r in session.scalars(select(CatalogRecordRow))}
        pin_hash = security.Passwords(time_cost=1, memory_cost=8).hash("1357")
        other = ReaderRow(card_number="45020002", name="张华", pin_hash=pin_hash)
        session.add(other)
        session.flush()
        mine = session.scalars(select(ReaderRow.id).where(ReaderRow.card_number == "45020001")).one()

        def delivery(reader_id: int, items: list[str], status: str, day: int) -> DeliveryRow:
            at = datetime(2026, 11, day, 9, 0)
            return DeliveryRow(
                reader_id=reader_id, items_json=json.dumps(items), medium="usb", status=status, created_at=at
            )

        session.add_all(
            [
                delivery(mine, [book_id], "dispatched", 10),
                delivery(mine, [records["边城"], book_id], "requested", 20),
                delivery(mine, [records["骆驼祥子"]], "returned", 25),  # back at the library
                delivery(other.id, [records["平凡的世界"]], "dispatched", 22),  # another reader's
            ]
        )
        session.add(DeviceLoanRow(reader_id=mine, device="DAISY player", serial="P-7"))

    services = ServiceBackedServices(engine, Settings(data_dir=tmp_path), LocalServices(tmp_path / "state.json"))
    with pytest.raises(NeedLogin):
        services.loans(GUEST)
    menu = Menu(menu_set, CatalogLibrary(engine), services)
    menu.start()
    assert menu.respond("6").utterances == ["请先在主菜单登录读者证。"]
    for key in ["7", *"45020001", "enter", *"2468", "enter"]:
        menu.press(key)
    assert menu.reader.name == "李明"
    while menu.screen_name != "main":
        menu.press("escape")
    assert menu.press("6") == [
        "我的借阅",
        "找到2项。",
        "1 边城，沈从文，只有书目",
        "2 鹿寨县图书馆无障碍阅览室使用指南",
    ]  # newest delivery first, each book once; not the returned 骆驼祥子, not 张华's 平凡的世界
    assert menu.press("2")[:2] == ["图书", "鹿寨县图书馆无障碍阅览室使用指南"]

    other_reader = services.login("45020002", "1357")
    assert other_reader is not None
    assert [(h.id, h.title, h.has_text) for h in services.loans(other_reader)] == [
        (records["平凡的世界"], "平凡的世界", False)
    ]
