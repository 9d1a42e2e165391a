"""``accessible-reader menu``: the self-voicing reading-room menu on this terminal.

Register on the main typer app with ``app.command("menu")(menu_command)``. Keys are read from the
terminal in cbreak mode; speech goes to the sound card (``--sink pyaudio``), nowhere (``null``) or,
with ``--sink recording``, every utterance is appended as one line to ``--speech-log``. With no
sound device the menu says so on screen and in ``<data_dir>/logs/menu.log`` and runs silently.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from accessible_reader.settings import Settings


def menu_command(
    sink: Annotated[
        str, typer.Option("--sink", help="声音输出 pyaudio|null|recording / audio output: pyaudio, null or recording")
    ] = "pyaudio",
    speech_log: Annotated[
        Path | None,
        typer.Option(
            "--speech-log", help="recording 输出：每句话一行 / recording sink: one line per utterance", dir_okay=False
        ),
    ] = None,
    headless: Annotated[
        bool, typer.Option("--headless", help="不显示屏幕镜像 / no screen mirror, speech only")
    ] = False,
    menus: Annotated[
        Path | None, typer.Option("--menus", help="菜单定义文件夹 / folder of menu definitions", file_okay=False)
    ] = None,
) -> None:
    """Run the voice menu: find, listen, print Braille, load a device, ask for delivery."""
    if sink not in ("pyaudio", "null", "recording"):
        typer.echo(
            f"--sink 只能是 pyaudio、null 或 recording / --sink must be pyaudio, null or recording: {sink}", err=True
        )
        raise typer.Exit(2)
    from accessible_reader.cli import reports_errors  # lazy: cli.py imports this module while registering

    reports_errors(_run)(Settings(), sink, speech_log, headless, menus)


def _run(settings: Settings, sink_name: str, speech_log: Path | None, headless: bool, menus: Path | None) -> None:
    from accessible_reader.audio.sinks import open_sink
    from accessible_reader.catalog.db import make_engine
    from accessible_reader.menu.adapters import CatalogLibrary, LocalServices
    from accessible_reader.menu.app import MenuApp, Speaker
    from accessible_reader.menu.definitions import default_menu_dir, load_menu_set
    from accessible_reader.menu.keys import TerminalKeys
    from accessible_reader.menu.runtime import Menu
    from accessible_reader.menu.screen import Display, NoDisplay, RichDisplay
    from accessible_reader.menu.service_adapters import ServiceBackedServices
    from accessible_reader.menu.voice import PromptCache, make_voice, usable_voices
    from accessible_reader.text.factory import reading_engine_for

    log_file = _setup_log(settings)
    menu_set = load_menu_set(menus or settings.menu_dir or default_menu_dir())
    display: Display = NoDisplay() if headless else RichDisplay()
    engine = make_engine(settings)
    library = CatalogLibrary(engine)
    services = ServiceBackedServices(engine, settings, LocalServices(settings.data_dir / "menu" / "state.json"))
    reading = reading_engine_for(settings)
    voice = make_voice(reading)
    if sink_name == "recording" and speech_log is None:
        speech_log = settings.log_dir / "speech.log"
    choice = open_sink(sink_name, speech_log)  # type: ignore[arg-type]
    lang = "en" if settings.language == "en" else "zh"
    voices = usable_voices(reading) or [voice.name]
    menu = Menu(menu_set, library, services, lang=lang, voice_name=voice.name, voice_names=voices)
    if choice.fallback_reason:
        notice = f"{menu_set.prompt('no_sound_device', lang)} ({choice.fallback_reason})"
        display.notice(notice)
        logging.getLogger("accessible_reader.menu").warning("%s", notice)
    speaker = Speaker(PromptCache(voice), choice.sink, on_error=lambda m: display.notice(f"{m} ({log_file})"))
    app = MenuApp(menu, speaker, display, voice_factory=lambda name: make_voice(reading, name))
    try:
        app.warm()
        with TerminalKeys(sys.stdin.fileno()) as keys:
            app.run(keys.read)
    finally:
        speaker.close()
        choice.sink.close()


def _setup_log(settings: Settings) -> Path:
    path = settings.log_dir / "menu.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("accessible_reader")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
