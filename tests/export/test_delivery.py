"""Home-delivery packages: formats, manifest, Braille (BRF) and large-print (PDF) address labels."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from accessible_reader.audio.book_audio import BookAudio
from accessible_reader.braille.convert import text_to_brf
from accessible_reader.braille.system import BrailleSystem, build_system
from accessible_reader.document.model import Book
from accessible_reader.errors import InputError
from accessible_reader.export.daisy202 import book_to_daisy202
from accessible_reader.export.delivery import Address, build_delivery, label_lines, write_delivery
from accessible_reader.export.epub3 import book_to_epub3
from accessible_reader.export.mp3_folder import book_to_mp3_folder
from accessible_reader.export.profiles import load_profile
from accessible_reader.export.tree import Data
from accessible_reader.text.lexicon import Lexicon
from accessible_reader.text.readings import ReadingEngine

READER = Address("张三", "广西柳州市鹿寨县鹿寨镇城中路 8 号 2 单元 301 室", "545600", "0772-6812345")
LIBRARY = Address("鹿寨县图书馆", "广西柳州市鹿寨县鹿寨镇建中东路 1 号", "545600")


@pytest.fixture(scope="module")
def braille(tmp_path_factory: pytest.TempPathFactory) -> BrailleSystem:
    engine = ReadingEngine(Lexicon(), cache_dir=tmp_path_factory.mktemp("reading"))
    return build_system("gf2018", reading=lambda: engine)


def test_zip_package_has_every_format_manifest_and_labels(
    book: Book, audio: BookAudio, braille: BrailleSystem, tmp_path: Path
) -> None:
    package = build_delivery(
        book,
        recipient=READER,
        sender=LIBRARY,
        braille=braille,
        daisy=book_to_daisy202(book, audio),
        epub=book_to_epub3(book, audio),
        mp3=book_to_mp3_folder(book, audio, load_profile("generic")),
    )
    target = write_delivery(package, tmp_path / "张三-阅览室指南.zip", as_zip=True)
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        assert {
            "阅览室指南/DAISY/ncc.html",
            "阅览室指南/阅览室指南.epub",
            "阅览室指南/MP3/001_第一章_借书.mp3",
            "manifest.json",
            "label.brf",
            "label.pdf",
        } <= names
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["formats"] == ["daisy202", "epub3", "mp3"]
        assert manifest["recipient"]["name"] == "张三"
        assert manifest["return_to"]["name"] == "鹿寨县图书馆"
        assert manifest["files"]["label.pdf"] == archive.getinfo("label.pdf").file_size
        epub = tmp_path / "inner.epub"
        epub.write_bytes(archive.read("阅览室指南/阅览室指南.epub"))
        with zipfile.ZipFile(epub) as inner:
            assert inner.namelist()[0] == "mimetype"
        brf = archive.read("label.brf")
        pdf = archive.read("label.pdf")
    lines = brf.decode("ascii").split("\r\n")
    assert all(len(line) <= 40 for line in lines)
    first = text_to_brf(label_lines(READER, LIBRARY)[0], braille).decode("ascii").split("\r\n")[0]
    assert lines[0] == first and first
    other = build_delivery(
        book,
        recipient=Address("李四", READER.address),
        sender=LIBRARY,
        braille=braille,
        epub=book_to_epub3(book, audio),
    ).files["label.brf"]
    assert isinstance(other, Data) and other.content != brf
    assert pdf.startswith(b"%PDF") and b"/STSong-Light" in pdf
    assert b"28 Tf" in pdf and b"18 Tf" in pdf  # large print: recipient 28 pt, return address 18 pt


def test_folder_package_for_a_usb_stick(book: Book, audio: BookAudio, braille: BrailleSystem, tmp_path: Path) -> None:
    package = build_delivery(
        book,
        recipient=READER,
        sender=LIBRARY,
        braille=braille,
        mp3=book_to_mp3_folder(book, audio, load_profile("tingshuji")),
    )
    folder = write_delivery(package, tmp_path / "usb-package", as_zip=False)
    assert sorted(p.name for p in folder.iterdir()) == ["label.brf", "label.pdf", "manifest.json", "阅览室指南"]
    assert len(list((folder / "阅览室指南" / "MP3").glob("*.mp3"))) == 3


def test_label_text_and_no_format_refused(book: Book, braille: BrailleSystem) -> None:
    lines = label_lines(READER, LIBRARY)
    assert lines[0] == "收件人: 张三"
    assert "无法投递请退回: 鹿寨县图书馆" in lines
    assert lines[-1] == "盲人读物 免费寄递"
    assert label_lines(READER, LIBRARY, "en")[0] == "To: 张三"
    with pytest.raises(InputError):
        build_delivery(book, recipient=READER, sender=LIBRARY, braille=braille)
