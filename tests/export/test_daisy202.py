"""DAISY 2.02: structure of the NCC and SMIL files, clips inside their audio, atomic writing, daisy-player."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from export_helpers import headingless_book, make_audio
from lxml import etree
from mutagen.mp3 import MP3

from accessible_reader.audio.book_audio import BookAudio, SectionAudio
from accessible_reader.document.model import Book
from accessible_reader.export.daisy202 import book_to_daisy202, write_daisy202
from accessible_reader.export.errors import AudioMismatchError, MissingAudioError

CHECK = Path(__file__).resolve().parents[3] / "shared" / "tools" / "daisy-player-check"
MANDATORY = [
    "dc:title",
    "dc:identifier",
    "dc:creator",
    "dc:date",
    "dc:publisher",
    "dc:language",
    "dc:format",
    "ncc:charset",
    "ncc:tocItems",
    "ncc:totalTime",
    "ncc:pageFront",
    "ncc:pageNormal",
    "ncc:pageSpecial",
    "ncc:generator",
    "ncc:narrator",
    "ncc:multimediaType",
]
XHTML = "{http://www.w3.org/1999/xhtml}"


def _meta(doc: etree._Element) -> dict[str, str]:
    return {m.get("name", ""): m.get("content", "") for m in doc.iter(f"{XHTML}meta", "meta") if m.get("name")}


def _npt(value: str) -> float:
    match = re.fullmatch(r"npt=(\d+\.\d{3})s", value)
    assert match, value
    return float(match.group(1))


def _written(book: Book, audio: BookAudio, tmp_path: Path) -> Path:
    return write_daisy202(book_to_daisy202(book, audio), tmp_path / "daisy")


def test_ncc_has_all_mandatory_metadata_and_counts(book: Book, audio: BookAudio, tmp_path: Path) -> None:
    folder = _written(book, audio, tmp_path)
    ncc = etree.parse(str(folder / "ncc.html")).getroot()
    meta = _meta(ncc)
    assert [name for name in MANDATORY if not meta.get(name)] == []
    assert meta["dc:format"] == "Daisy 2.02"
    assert meta["dc:title"] == "阅览室指南"
    assert meta["ncc:multimediaType"] == "audioFullText"
    assert meta["ncc:narrator"] == "espeak-ng cmn (test)"
    assert (meta["ncc:pageFront"], meta["ncc:pageNormal"], meta["ncc:pageSpecial"]) == ("1", "2", "0")
    headings = [e for e in ncc.iter() if isinstance(e.tag, str) and re.fullmatch(rf"{XHTML}h[1-6]", e.tag)]
    pages = [e for e in ncc.iter(f"{XHTML}span") if (e.get("class") or "").startswith("page-")]
    assert [h.tag[-2:] for h in headings] == ["h1", "h2", "h1"]
    assert headings[0].get("class") == "title"
    assert ["".join(h.itertext()) for h in headings] == ["第一章 借书", "第一节 续借", "第二章 听书机"]
    assert ["".join(p.itertext()) for p in pages] == ["iii", "1", "2"]
    assert int(meta["ncc:tocItems"]) == len(headings) + len(pages) == 6
    total = sum(a.duration_s - a.clips[0].start_s for a in audio.sections if a.clips)
    h, m, s = (int(x) for x in meta["ncc:totalTime"].split(":"))
    assert abs(h * 3600 + m * 60 + s - total) <= 1


def test_every_ncc_link_resolves_to_a_par_and_clips_lie_inside_their_audio(
    book: Book, audio: BookAudio, tmp_path: Path
) -> None:
    folder = _written(book, audio, tmp_path)
    ncc = etree.parse(str(folder / "ncc.html")).getroot()
    content_ids = set(etree.parse(str(folder / "content.html")).getroot().xpath("//@id"))
    links = [a.get("href", "") for a in ncc.iter(f"{XHTML}a")]
    assert len(links) == 6
    smil_pars: dict[str, set[str]] = {}
    for smil in sorted(folder.glob("part*.smil")):
        doc = etree.parse(str(smil)).getroot()
        pars = doc.findall(".//par")
        smil_pars[smil.name] = {p.get("id", "") for p in pars}
        seq_dur = float(doc.find(".//seq").get("dur", "").rstrip("s"))
        clip_sum = 0.0
        for par in pars:
            text, clip = par.find("text"), par.find("audio")
            assert text.get("src", "").split("#")[1] in content_ids
            begin, end = _npt(clip.get("clip-begin", "")), _npt(clip.get("clip-end", ""))
            length = MP3(folder / clip.get("src", "")).info.length
            assert 0 <= begin < end <= length + 0.001
            clip_sum += end - begin
        assert seq_dur == pytest.approx(clip_sum, abs=0.005)
    for link in links:
        file, _, anchor = link.partition("#")
        assert anchor in smil_pars[file], link
    master = etree.parse(str(folder / "master.smil")).getroot()
    assert [r.get("src") for r in master.iter("ref")] == sorted(smil_pars)


def test_audio_is_copied_byte_for_byte(book: Book, audio: BookAudio, tmp_path: Path) -> None:
    folder = _written(book, audio, tmp_path)
    for section in audio.sections:
        if section.clips:
            assert (folder / f"{section.section_id}.mp3").read_bytes() == section.path.read_bytes()


def test_missing_section_audio_fails_listing_it_and_writes_nothing(
    book: Book, audio: BookAudio, tmp_path: Path
) -> None:
    broken = BookAudio(audio.book_id, audio.sections[:2], audio.narrator, audio.sample_rate, audio.bitrate_kbps)
    with pytest.raises(MissingAudioError) as caught:
        book_to_daisy202(book, broken)
    assert caught.value.missing == ["h3 (第一节 续借)", "h4 (第二章 听书机)"]
    assert "h3" in caught.value.message_en and "h4" in caught.value.message_zh
    gone = audio.sections[3]
    gone.path.unlink()
    with pytest.raises(MissingAudioError, match="h4"):
        book_to_daisy202(book, audio)
    assert list(tmp_path.glob("daisy*")) == []


def test_clip_past_the_end_of_its_file_is_refused(book: Book, audio: BookAudio) -> None:
    last = audio.sections[-1]
    stretched = SectionAudio(last.section_id, last.path, last.duration_s / 2, last.clips)
    bad = BookAudio(audio.book_id, (*audio.sections[:-1], stretched), audio.narrator, 22050, 32)
    with pytest.raises(AudioMismatchError, match="h4"):
        book_to_daisy202(book, bad)


def test_book_without_headings_gets_one_navigable_part_per_ten_paragraphs(tmp_path: Path) -> None:
    book = headingless_book(25)
    daisy = book_to_daisy202(book, make_audio(book, tmp_path / "speech", per_node_s=0.3))
    ncc = etree.fromstring(daisy.tree.text("ncc.html").encode())
    entries = ["".join(h.itertext()) for h in ncc.iter(f"{XHTML}h1")]
    assert entries == ["这是第1段的第一句。", "这是第11段的第一句。", "这是第21段的第一句。"]
    assert sorted(p for p in daisy.tree.files if p.endswith(".smil")) == [
        "master.smil",
        "part0001.smil",
        "part0002.smil",
        "part0003.smil",
    ]


def test_rewriting_replaces_the_old_book_atomically(book: Book, audio: BookAudio, tmp_path: Path) -> None:
    folder = _written(book, audio, tmp_path)
    (folder / "stale.txt").write_text("old")
    write_daisy202(book_to_daisy202(book, audio), folder)
    assert not (folder / "stale.txt").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _daisy_player(folder: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ../shared/tools/daisy-player-check; first with the player's time cut from 30 s to 10 s (it has
    drawn its list long before), then, if it listed nothing in that time, as shipped."""
    script = CHECK.read_text(encoding="utf-8")
    quick = tmp_path / "daisy-player-check-quick"
    quick.write_text(script.replace("timeout 30 ", "timeout 10 "), encoding="utf-8")
    for tool in (quick, CHECK):
        result = subprocess.run(
            ["bash", str(tool), str(folder)], check=False, capture_output=True, text=True, timeout=90
        )
        if result.returncode != 1:
            break
    return result


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("daisy-player") is None, reason="daisy-player not installed (scripts/setup.sh)")
@pytest.mark.skipif(not CHECK.is_file(), reason="../shared/tools/daisy-player-check is absent")
def test_daisy_player_opens_the_book_and_lists_its_headings(book: Book, audio: BookAudio, tmp_path: Path) -> None:
    folder = _written(book, audio, tmp_path)
    result = _daisy_player(folder, tmp_path)
    if result.returncode == 2:
        pytest.skip(f"daisy-player cannot run here: {result.stdout.strip()}")
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert "level: 1 of 2" in lines[0] and "total length: 00:00:08" in lines[0]
    listed = [line.split(" .")[0].strip() for line in lines[1:] if ". ." in line]
    assert listed == ["第一章 借书", "第一节 续借", "第二章 听书机"]
