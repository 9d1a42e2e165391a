"""``accessible-reader speak`` and ``accessible-reader voices``.

Register on the main typer app with ``app.command("speak")(speak_command)`` and
``app.command("voices")(voices_command)``; cli.py wraps them in ``reports_errors`` (one line and an exit
code, no traceback).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from accessible_reader.errors import InputError, ReaderError
from accessible_reader.locale import load_strings
from accessible_reader.settings import Settings

if TYPE_CHECKING:
    from accessible_reader.text.readings import ReadingEngine
    from accessible_reader.tts.engine import Pcm, VoiceSettings
    from accessible_reader.tts.synthesis import Synthesizer

P = ParamSpec("P")
R = TypeVar("R")


def engine_order(first: str | None) -> list[str]:
    """Fallback order for a command: the named engine first, then the offline voices after it."""
    from accessible_reader.tts.registry import ENGINES, OFFLINE_ORDER, create_engine

    if first is None:
        return list(OFFLINE_ORDER)
    if first not in ENGINES:
        create_engine(first)  # raises with the known names
    return [first, *(name for name in OFFLINE_ORDER if name != first)]


def speak_command(
    source: Annotated[str, typer.Argument(help="要朗读的文字，或书籍文件 / text to speak, or a book file")],
    *,
    output: Annotated[Path, typer.Option("-o", "--output", help="输出 MP3 / output MP3 file", dir_okay=False)],
    engine: Annotated[
        str | None, typer.Option("--engine", help="首选语音引擎（espeak、edge、silence…）/ preferred engine")
    ] = None,
    voice: Annotated[
        str | None, typer.Option("--voice", help="语音 id（见 voices 命令）/ voice id (see `voices`)")
    ] = None,
    rate: Annotated[int, typer.Option("--rate", min=50, max=300, help="语速百分比 / speech rate, percent")] = 100,
    speed: Annotated[
        float, typer.Option("--speed", min=0.5, max=3.0, help="变速不变调 0.5–3 / tempo, pitch kept")
    ] = 1.0,
) -> None:
    """Speak TEXT, or a whole book FILE, into one MP3 (mono, 64 kbps, -16 LUFS)."""
    from accessible_reader.audio.encode import AudioOptions, encode_mp3
    from accessible_reader.audio.tags import Mp3Tags
    from accessible_reader.text.factory import reading_engine_for
    from accessible_reader.tts.book import speech_cache_dir
    from accessible_reader.tts.cache import SegmentCache
    from accessible_reader.tts.registry import survey, usable_engines
    from accessible_reader.tts.synthesis import Synthesizer

    settings = Settings()
    strings = load_strings(settings.language)
    if output.suffix.lower() != ".mp3":
        raise InputError("输出文件须以 .mp3 结尾", "the output file must end in .mp3", output)
    voice_settings = _voice_settings(voice, rate)
    order = engine_order(engine)
    engines = usable_engines(order, speech_cache_dir(settings))
    if engine is not None and engines[0].name != engine:
        reason = next(c.availability.reason for c in survey([engine]))
        typer.echo(
            strings["tts.speak.unavailable"].format(engine=engine, reason=reason, used=engines[0].name), err=True
        )
    reader = reading_engine_for(settings)
    rate = 24000 if engines[0].name in ("neural-zh", "edge") else 22050  # the first engine's own rate
    synthesizer = Synthesizer(engines, voice_settings, cache=SegmentCache(speech_cache_dir(settings)), sample_rate=rate)
    path = Path(source)
    title = source[:40]
    if path.is_file():
        pcm, skipped, problems, title = _speak_file(path, reader, synthesizer, strings)
    else:
        from accessible_reader.tts.plan import text_plan

        result = synthesizer.synthesize(text_plan(source, reader))
        pcm, skipped = result.pcm, list(result.skipped)
        problems = [f"{f.engine} → {f.next_engine or '-'}: {f.reason}" for f in result.fallbacks]
    if not pcm.samples:
        raise InputError("没有可以朗读的文字", "there is no text that can be spoken", source[:40])
    duration = encode_mp3(pcm, output, AudioOptions(speed=speed, sample_rate=rate), Mp3Tags(title=title))
    typer.echo(strings["tts.speak.written"].format(path=output, seconds=f"{duration:.1f}"))
    if skipped:
        typer.echo(strings["tts.speak.skipped"].format(chars=" ".join(skipped)), err=True)
    for problem in problems:
        typer.echo(strings["tts.speak.fallback"].format(problem=problem), err=True)


def _voice_settings(voice: str | None, rate: int) -> VoiceSettings:
    from accessible_reader.tts.engine import VoiceSettings

    if voice is None:
        return VoiceSettings(rate=rate)
    english = voice.startswith("en")
    return VoiceSettings(rate=rate, voice_en=voice if english else None, voice_zh=None if english else voice)


def _speak_file(
    path: Path, reader: ReadingEngine, synthesizer: Synthesizer, strings: Mapping[str, str]
) -> tuple[Pcm, list[str], list[str], str]:
    """A book file read section by section with a progress bar; PCM of the whole book."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    from accessible_reader.audio.pcm import silence
    from accessible_reader.document.ingest import ingest_path
    from accessible_reader.tts.engine import Pcm
    from accessible_reader.tts.plan import PausePolicy, section_plan

    book = ingest_path(path)
    gap = silence(PausePolicy().heading, synthesizer.sample_rate)
    chunks: list[bytes] = []
    skipped: list[str] = []
    problems: list[str] = []
    total = sum(len(s.text) for s in book.sentences()) + sum(len(s.title) for s in book.sections)
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(strings["tts.speak.progress"], total=max(total, 1))
        for section in book.sections:
            result = synthesizer.synthesize(section_plan(section, reader))
            if result.pcm.samples:
                chunks.append(result.pcm.samples)
            skipped.extend(result.skipped)
            problems.extend(f"{f.engine} → {f.next_engine or '-'}: {f.reason}" for f in result.fallbacks)
            bar.advance(task, len(section.title) + sum(len(s.text) for s in section.sentences()))
    pcm = Pcm(gap.join(chunks), synthesizer.sample_rate)
    return pcm, list(dict.fromkeys(skipped)), problems, book.metadata.title


def voices_command() -> None:
    """List every speech engine, whether it can be used here (and why not), and its voices."""
    from accessible_reader.tts.book import speech_cache_dir
    from accessible_reader.tts.registry import ENGINES, survey

    strings = load_strings(Settings().language)
    for choice in survey(list(ENGINES), speech_cache_dir(Settings())):
        state = strings["tts.voices.available"] if choice.engine else strings["tts.voices.unavailable"]
        typer.echo(f"{choice.name}: {state} ({choice.availability.reason})")
        engine = choice.engine
        if engine is None:
            from accessible_reader.tts.registry import create_engine

            try:
                engine = create_engine(choice.name)
            except ReaderError:
                continue
        for voice in engine.voices():
            note = f" — {voice.note}" if voice.note else ""
            typer.echo(f"  {voice.id}\t{voice.language}\t{voice.name}{note}")
