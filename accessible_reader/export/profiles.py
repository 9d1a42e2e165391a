"""Device profiles: what each kind of listening device plays, kept as data (``profiles/*.yaml``).

A profile names the export format (``mp3`` folders or ``daisy202``) and, for MP3 folders, the file-name
style (Chinese or ASCII pinyin), the most files per folder, the longest track in minutes and, when the
device needs it, the sample rate, channels and bit rate. Adding a device is adding a YAML file.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import yaml

from accessible_reader.errors import InputError

FORMATS = ("mp3", "daisy202")


@dataclass(frozen=True, slots=True)
class DeviceProfile:
    """One kind of device. ``sample_rate``/``channels``/``bitrate_kbps`` are ``None`` when any MP3 plays."""

    name: str
    label_zh: str
    label_en: str
    format: str
    pinyin_names: bool = False
    max_files_per_folder: int = 999
    max_minutes_per_file: float = 20.0
    sample_rate: int | None = None
    channels: int | None = None
    bitrate_kbps: int | None = None


def profile_names() -> list[str]:
    """Names of the profiles shipped with the package, sorted."""
    return sorted(
        p.name[:-5]
        for p in files("accessible_reader.export").joinpath("profiles").iterdir()
        if p.name.endswith(".yaml")
    )


def load_profile(name: str) -> DeviceProfile:
    """The profile called ``name``; InputError naming the choices when there is none or it is malformed."""
    if name not in profile_names():
        raise InputError(
            f"没有名为 {name} 的设备配置；可选：{'、'.join(profile_names())}",
            f"no device profile called {name}; choose one of: {', '.join(profile_names())}",
        )
    text = (files("accessible_reader.export").joinpath("profiles") / f"{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    try:
        profile = DeviceProfile(**data)
    except TypeError as error:
        raise InputError(f"设备配置 {name} 有误：{error}", f"device profile {name} is malformed: {error}") from None
    if profile.format not in FORMATS or profile.max_files_per_folder < 1 or profile.max_minutes_per_file <= 0:
        raise InputError(f"设备配置 {name} 的取值无效", f"device profile {name} has invalid values", name)
    return profile
