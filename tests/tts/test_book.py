"""synthesize_book: the hand-over to the exporters (one MP3 per section, measured clips, resume)."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import pytest
from fixtures.speech_books import small_book

from accessible_reader.audio.book_audio import BookAudio
from accessible_reader.audio.encode import probe
from accessible_reader.text.readings import ReadingEngine
from accessible_reader.tts.book import BookProgress, synthesize_book

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("ffmpeg") is None, reason="espeak-ng and ffmpeg needed"
)


def check_book_audio(audio: BookAudio, heading_ids: list[str]) -> None:
    for section in audio.sections:
        info = probe(section.path)
        assert (info["codec"], info["sample_rate"], info["channels"]) == ("mp3", 22050, 1)
        assert abs(float(info["duration_s"]) - section.duration_s) < 0.15  # type: ignore[arg-type]
        previous = 0.0
        for clip in section.clips:
            assert previous <= clip.start_s < clip.end_s <= section.duration_s
            previous = clip.end_s
    assert [s.clips[0].node_id for s in audio.sections] == heading_ids


@pytest.mark.slow
def test_book_in_parallel_with_progress_and_resume(reader: ReadingEngine, tmp_path: Path) -> None:
    book = small_book()
    seen: list[BookProgress] = []
    out, cache = tmp_path / "out", tmp_path / "cache"
    audio = synthesize_book(book, out_dir=out, reader=reader, cache_dir=cache, workers=2, progress=seen.append)
    assert audio.book_id == "book-test" and audio.narrator == "espeak"
    assert [s.section_id for s in audio.sections] == ["h1", "h2"]
    assert [p.name for p in sorted(out.iterdir())] == ["001-h1.mp3", "002-h2.mp3"]
    check_book_audio(audio, ["h1", "h2"])
    clip_ids = [c.node_id for c in audio.sections[0].clips]
    assert clip_ids == ["h1", *(s.id for s in book.sections[0].sentences())]
    assert seen[-1].sections_done == 2 and seen[-1].characters_done == seen[-1].characters_total
    tags = probe(audio.sections[1].path)["tags"]
    assert tags == {**tags, "title": "第二章 服务", "album": "使用指南", "track": "2/2", "artist": "鹿寨县图书馆"}
    for section in audio.sections:  # recorded for the EPUB writer, so it need not read the audio again
        data = section.path.read_bytes()
        assert (section.size, section.crc32) == (len(data), zlib.crc32(data))

    # re-export: nothing is rewritten (the records carry size and CRC too)
    stamps = {p: p.stat().st_mtime_ns for p in out.iterdir()}
    again = synthesize_book(book, out_dir=out, reader=reader, cache_dir=cache, workers=2)
    assert again.sections == audio.sections
    assert {p: p.stat().st_mtime_ns for p in out.iterdir()} == stamps

    # an edited paragraph: only its section is made again
    edited = synthesize_book(
        small_book("读者可以申请送书上门。"), out_dir=out, reader=reader, cache_dir=cache, workers=1
    )
    assert (out / "001-h1.mp3").stat().st_mtime_ns == stamps[out / "001-h1.mp3"]
    assert (out / "002-h2.mp3").stat().st_mtime_ns != stamps[out / "002-h2.mp3"]
    assert edited.sections[1].duration_s < audio.sections[1].duration_s


def test_book_in_process_with_page_numbers_and_speed(reader: ReadingEngine, tmp_path: Path) -> None:
    from accessible_reader.audio.encode import AudioOptions

    normal = synthesize_book(small_book(), out_dir=tmp_path / "a", reader=reader, workers=1)
    paged = synthesize_book(
        small_book(),
        out_dir=tmp_path / "b",
        reader=reader,
        workers=1,
        speak_page_numbers=True,
        audio=AudioOptions(speed=2.0, sample_rate=24000),
    )
    check_book_audio(normal, ["h1", "h2"])
    assert probe(paged.sections[0].path)["sample_rate"] == 24000
    # twice as fast, plus the spoken page number
    assert 0.5 * normal.sections[0].duration_s < paged.sections[0].duration_s < 0.75 * normal.sections[0].duration_s
    assert paged.sections[1].duration_s == pytest.approx(normal.sections[1].duration_s / 2, abs=0.05)


def test_worker_errors_reach_the_caller_as_reader_errors(
    reader: ReadingEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    from accessible_reader.audio import encode
    from accessible_reader.audio.encode import AudioOptions
    from accessible_reader.errors import DeviceError

    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    with pytest.raises(DeviceError, match="cannot create"):
        synthesize_book(small_book(), out_dir=blocker / "sub", reader=reader, engines=("silence",))

    def disk_full(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.CompletedProcess(args, 1, b"", b"av_interleaved_write_frame(): No space left on device")

    monkeypatch.setattr(encode, "_ffmpeg", disk_full)  # forked workers inherit the patch
    with pytest.raises(DeviceError, match="no space left"):
        synthesize_book(
            small_book(),
            out_dir=tmp_path / "out",
            reader=reader,
            workers=2,
            engines=("silence",),
            audio=AudioOptions(loudness_lufs=None),
        )
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.slow
def test_demo_writes_the_sample_books_audio(reader: ReadingEngine, tmp_path: Path) -> None:
    from accessible_reader.demo import sample_audio
    from accessible_reader.locale import load_strings
    from accessible_reader.settings import Settings

    settings = Settings(data_dir=tmp_path / "data")
    lines: list[str] = []
    report = sample_audio(small_book(), reader, settings, load_strings("en"))
    try:
        while True:
            lines.append(next(report))
    except StopIteration as finished:
        [folder] = finished.value
    assert lines == []
    assert sorted(p.name for p in folder.glob("*.mp3")) == ["001-h1.mp3", "002-h2.mp3"]
    assert (settings.cache_dir / "speech").is_dir()  # later runs reuse the segment cache


def test_interrupted_book_resumes_where_it_stopped(reader: ReadingEngine, tmp_path: Path) -> None:
    class Interrupted(Exception):
        pass

    def stop_after_first(progress: BookProgress) -> None:
        if progress.sections_done == 1:
            raise Interrupted

    out, cache = tmp_path / "out", tmp_path / "cache"
    with pytest.raises(Interrupted):
        synthesize_book(small_book(), out_dir=out, reader=reader, cache_dir=cache, workers=1, progress=stop_after_first)
    assert [p.name for p in out.iterdir()] == ["001-h1.mp3"]
    first = (out / "001-h1.mp3").stat().st_mtime_ns
    done: list[str] = []
    audio = synthesize_book(
        small_book(),
        out_dir=out,
        reader=reader,
        cache_dir=cache,
        workers=1,
        progress=lambda p: done.append(p.section_id),
    )
    assert done == ["h1", "h2"] and len(audio.sections) == 2
    assert (out / "001-h1.mp3").stat().st_mtime_ns == first  # not made again
    assert audio.sections[0].clips[0].node_id == "h1"
