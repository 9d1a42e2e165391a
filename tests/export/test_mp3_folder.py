"""MP3 folders for device profiles: names, ID3 tags read back with mutagen, playlist, splitting, 听书机 format."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from export_helpers import headingless_book, make_audio, make_mp3
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from accessible_reader.audio.book_audio import BookAudio, SectionAudio
from accessible_reader.document.model import Book
from accessible_reader.errors import InputError
from accessible_reader.export.mp3_folder import book_to_mp3_folder, safe_name
from accessible_reader.export.profiles import load_profile, profile_names
from accessible_reader.export.tree import write_tree


def test_shipped_profiles_load() -> None:
    assert profile_names() == ["daisy", "generic", "generic-pinyin", "tingshuji"]
    assert load_profile("tingshuji").sample_rate == 22050
    assert load_profile("daisy").format == "daisy202"
    with pytest.raises(InputError, match="generic"):
        load_profile("walkman")


@pytest.mark.parametrize(
    ("text", "pinyin", "expected"),
    [
        ("第一章 借书", False, "第一章_借书"),
        ("第一章 借书", True, "DiYiZhang_JieShu"),
        ('a/b:c*d?"e"<f>|', False, "a_b_c_d__e__f"),
        ("结尾的点...", False, "结尾的点"),
        ("???", True, "book"),
    ],
)
def test_safe_names(text: str, pinyin: bool, expected: str) -> None:
    assert safe_name(text, pinyin=pinyin) == expected


def test_generic_folder_tracks_tags_and_playlist(book: Book, audio: BookAudio, tmp_path: Path) -> None:
    folder = book_to_mp3_folder(book, audio, load_profile("generic"))
    root = write_tree(folder.tree, tmp_path / "out")
    names = sorted(p.name for p in (root / "阅览室指南").iterdir())
    assert names == ["001_第一章_借书.mp3", "002_第一节_续借.mp3", "003_第二章_听书机.mp3", "阅览室指南.m3u"]
    track = root / "阅览室指南" / "002_第一节_续借.mp3"
    tags = ID3(track)
    assert str(tags["TIT2"]) == "第一节 续借"
    assert str(tags["TPE1"]) == "鹿寨县图书馆"
    assert str(tags["TALB"]) == "阅览室指南"
    assert str(tags["TRCK"]) == "2/3"
    source = audio.sections[2].path.read_bytes()
    written = track.read_bytes()
    tag_size = 10 + sum(byte << (7 * (3 - i)) for i, byte in enumerate(source[6:10]))  # synchsafe integer
    assert written.endswith(source[tag_size:])  # the MP3 frames are copied unchanged
    assert MP3(track).info.length == pytest.approx(audio.sections[2].duration_s, abs=0.05)
    playlist = (root / "阅览室指南" / "阅览室指南.m3u").read_text(encoding="utf-8").splitlines()
    assert playlist[0] == "#EXTM3U"
    assert [line for line in playlist if line.endswith(".mp3")] == names[:3]


def test_pinyin_profile_gives_ascii_names(book: Book, audio: BookAudio) -> None:
    folder = book_to_mp3_folder(book, audio, load_profile("generic-pinyin"))
    paths = list(folder.tree.files)
    assert paths[0] == "YueLanShiZhiNan/001_DiYiZhang_JieShu.mp3"
    assert all(p.isascii() for p in paths)


def test_long_sections_are_split_at_sentence_boundaries(book: Book, audio: BookAudio, tmp_path: Path) -> None:
    profile = dataclasses.replace(load_profile("generic"), max_minutes_per_file=1.3 / 60)
    folder = book_to_mp3_folder(book, audio, profile)
    root = write_tree(folder.tree, tmp_path / "out")
    titles = [t.title for t in folder.tracks]
    assert titles[:3] == ["第一章 借书 (1/3)", "第一章 借书 (2/3)", "第一章 借书 (3/3)"]
    for track in folder.tracks:
        assert track.duration_s <= 1.3 + 1e-9
        measured = MP3(root / track.path).info.length
        assert measured == pytest.approx(track.duration_s, abs=0.12)  # whole MP3 frames of 26 ms (+ encoder delay)
        assert str(ID3(root / track.path)["TIT2"]) == track.title
    assert sum(t.duration_s for t in folder.tracks) == pytest.approx(folder_total(audio), abs=0.01)


def folder_total(audio: BookAudio) -> float:
    return sum(a.duration_s - a.clips[0].start_s for a in audio.sections if a.clips)


def test_tingshuji_reencodes_only_audio_that_is_not_22khz_mono(book: Book, audio: BookAudio, tmp_path: Path) -> None:
    stereo = tmp_path / "stereo.mp3"
    duration = make_mp3(stereo, 3.0, rate=44100, channels=2)
    first_real = audio.sections[1]
    swapped = SectionAudio(first_real.section_id, stereo, duration, first_real.clips)
    mixed = BookAudio(audio.book_id, (audio.sections[0], swapped, *audio.sections[2:]), audio.narrator, 22050, 32)
    folder = book_to_mp3_folder(book, mixed, load_profile("tingshuji"))
    root = write_tree(folder.tree, tmp_path / "out")
    for track in folder.tracks:
        info = MP3(root / track.path).info
        assert (info.sample_rate, info.channels) == (22050, 1)
    untouched = root / folder.tracks[1].path
    source = audio.sections[2].path.read_bytes()
    assert untouched.read_bytes().endswith(source[-4000:])


def test_folders_hold_at_most_the_profile_limit(book: Book, audio: BookAudio) -> None:
    profile = dataclasses.replace(load_profile("generic"), max_files_per_folder=2)
    folder = book_to_mp3_folder(book, audio, profile)
    mp3s = [p for p in folder.tree.files if p.endswith(".mp3")]
    assert mp3s == [
        "阅览室指南/01/001_第一章_借书.mp3",
        "阅览室指南/01/002_第一节_续借.mp3",
        "阅览室指南/02/001_第二章_听书机.mp3",
    ]


def test_headingless_parts_are_cut_from_the_one_file(tmp_path: Path) -> None:
    book = headingless_book(25)
    audio = make_audio(book, tmp_path / "speech", per_node_s=0.3)
    folder = book_to_mp3_folder(book, audio, load_profile("generic"))
    root = write_tree(folder.tree, tmp_path / "out")
    assert len(folder.tracks) == 3
    lengths = [MP3(root / t.path).info.length for t in folder.tracks]
    assert lengths == pytest.approx([6.0, 6.0, 3.1], abs=0.15)
