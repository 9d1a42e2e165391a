"""EPUB 3 with Media Overlays: epubcheck reports zero errors; overlays, durations and navigation are right."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from export_helpers import headingless_book, make_audio
from lxml import etree
from mutagen.mp3 import MP3

from accessible_reader.audio.book_audio import BookAudio
from accessible_reader.document.model import Book
from accessible_reader.export.epub3 import book_to_epub3, write_epub3
from accessible_reader.export.errors import MissingAudioError

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
OPF = "{http://www.idpf.org/2007/opf}"
SMIL = "{http://www.w3.org/ns/SMIL}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _clock(value: str) -> float:
    h, m, s = value.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None or not EPUBCHECK.is_file(), reason="epubcheck not installed")
def test_epubcheck_reports_no_error(book: Book, audio: BookAudio, tmp_path: Path) -> None:
    epub = write_epub3(book_to_epub3(book, audio), tmp_path / "out" / "book.epub")
    result = subprocess.run(
        ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(EPUBCHECK), str(epub)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "0 fatals / 0 errors" in report


def test_zip_starts_with_a_stored_mimetype(book: Book, audio: BookAudio, tmp_path: Path) -> None:
    epub = write_epub3(book_to_epub3(book, audio), tmp_path / "book.epub")
    with zipfile.ZipFile(epub) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/epub+zip"
        for section in audio.sections[1:]:
            assert archive.read(f"EPUB/audio/{section.section_id}.mp3") == section.path.read_bytes()
    assert raw_bytes_at_30(epub) == b"mimetypeapplication/epub+zip"


def raw_bytes_at_30(epub: Path) -> bytes:
    return epub.read_bytes()[30:58]


def test_overlays_durations_and_accessibility_metadata(book: Book, audio: BookAudio, tmp_path: Path) -> None:
    epub = book_to_epub3(book, audio)
    opf = etree.fromstring(epub.tree.text("EPUB/package.opf").encode())
    metas = [(m.get("property"), m.get("refines"), m.text) for m in opf.iter(f"{OPF}meta") if m.get("property")]
    per_item = {r: _clock(t or "") for p, r, t in metas if p == "media:duration" and r}
    total = next(_clock(t or "") for p, r, t in metas if p == "media:duration" and not r)
    assert sorted(per_item) == ["#mo_part0001", "#mo_part0002", "#mo_part0003"]
    assert total == pytest.approx(sum(per_item.values()), abs=0.003)
    props = {p for p, _, _ in metas}
    assert {
        "media:active-class",
        "media:narrator",
        "schema:accessMode",
        "schema:accessModeSufficient",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
    } <= props
    features = {t for p, _, t in metas if p == "schema:accessibilityFeature"}
    assert {"synchronizedAudioText", "printPageNumbers", "pageNavigation"} <= features
    for item in opf.iter(f"{OPF}item"):
        if item.get("media-type") == "application/xhtml+xml" and item.get("id") != "nav":
            overlay = epub.tree.text(f"EPUB/smil/{item.get('id')}.smil")
            doc = etree.fromstring(overlay.encode())
            content = etree.fromstring(epub.tree.text(f"EPUB/{item.get('href')}").encode())
            ids = set(content.xpath("//@id"))
            clip_sum = 0.0
            for par in doc.iter(f"{SMIL}par"):
                text, clip = par.find(f"{SMIL}text"), par.find(f"{SMIL}audio")
                assert text.get("src", "").split("#")[1] in ids
                begin = float(clip.get("clipBegin", "").rstrip("s"))
                end = float(clip.get("clipEnd", "").rstrip("s"))
                source = next(s.path for s in audio.sections if clip.get("src", "").endswith(f"/{s.section_id}.mp3"))
                assert 0 <= begin < end <= MP3(source).info.length + 0.001
                clip_sum += end - begin
            assert per_item[f"#mo_{item.get('id')}"] == pytest.approx(clip_sum, abs=0.003)


def test_nav_has_heading_tree_and_page_list(book: Book, audio: BookAudio) -> None:
    nav = etree.fromstring(book_to_epub3(book, audio).tree.text("EPUB/nav.xhtml").encode())
    toc, pages = nav.findall(f".//{XHTML}nav")
    top = toc.find(f"{XHTML}ol")
    assert ["".join(li.find(f"{XHTML}a").itertext()) for li in top.findall(f"{XHTML}li")] == [
        "第一章 借书",
        "第二章 听书机",
    ]
    nested = top.find(f"{XHTML}li/{XHTML}ol/{XHTML}li/{XHTML}a")
    assert nested.text == "第一节 续借"
    assert [a.text for a in pages.iter(f"{XHTML}a")] == ["iii", "1", "2"]


def test_english_sentence_is_tagged_with_its_language(book: Book, audio: BookAudio) -> None:
    text = book_to_epub3(book, audio).tree.text("EPUB/text/part0003.xhtml")
    assert re.search(r'<span id="s\d+" lang="en" xml:lang="en">Please return it in time\.</span>', text)


def test_headingless_book_is_split_into_navigable_documents(tmp_path: Path) -> None:
    book = headingless_book(25)
    epub = book_to_epub3(book, make_audio(book, tmp_path / "speech", per_node_s=0.3))
    docs = sorted(p for p in epub.tree.files if p.startswith("EPUB/text/"))
    assert docs == ["EPUB/text/part0001.xhtml", "EPUB/text/part0002.xhtml", "EPUB/text/part0003.xhtml"]
    assert epub.tree.text("EPUB/text/part0003.xhtml").count("<p ") == 5


def test_missing_audio_writes_no_epub(book: Book, audio: BookAudio, tmp_path: Path) -> None:
    partial = BookAudio(audio.book_id, audio.sections[:-1], audio.narrator, 22050, 32)
    with pytest.raises(MissingAudioError, match="h4"):
        write_epub3(book_to_epub3(book, partial), tmp_path / "book.epub")
    assert [p.name for p in tmp_path.iterdir()] == ["speech"]


def test_recorded_crcs_are_used_while_the_size_holds_and_ignored_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from export_helpers import sample_book

    from accessible_reader.audio.book_audio import file_crc32
    from accessible_reader.export import tree

    book = sample_book()
    audio = make_audio(book, tmp_path / "audio")
    recorded = []
    for section in audio.sections:
        size, crc = file_crc32(section.path)
        recorded.append(dataclasses.replace(section, size=size, crc32=crc))
    honest = dataclasses.replace(audio, sections=tuple(recorded))

    def must_not_read(path: Path) -> int:
        raise AssertionError(f"read {path} for its CRC although it was recorded")

    with monkeypatch.context() as patch:
        patch.setattr(tree, "_crc32_of", must_not_read)
        epub = write_epub3(book_to_epub3(book, honest), tmp_path / "recorded.epub")
    with zipfile.ZipFile(epub) as archive:
        assert archive.testzip() is None

    stale = dataclasses.replace(
        audio, sections=tuple(dataclasses.replace(s, size=1, crc32=12345) for s in audio.sections)
    )
    epub = write_epub3(book_to_epub3(book, stale), tmp_path / "stale.epub")
    with zipfile.ZipFile(epub) as archive:
        assert archive.testzip() is None  # sizes differ from the record: CRCs computed from the bytes
