"""User-facing strings in Mandarin (zh-CN) and English (en), kept in YAML files beside this module.

Keys are flat dotted names (``cli.ingest.stored``); values may hold ``str.format`` fields.
Every key exists in both languages (a test checks this).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

LANGUAGES = {"zh": "zh-CN", "zh-CN": "zh-CN", "en": "en"}


@cache
def load_strings(lang: str = "zh") -> dict[str, str]:
    """The strings of ``lang`` ("zh", "zh-CN" or "en"; anything else falls back to zh-CN).

    Cached: the files are package data and do not change while the process runs.
    """
    name = LANGUAGES.get(lang, "zh-CN")
    text = (files("accessible_reader.locale") / f"{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"locale file {name}.yaml is not a mapping")
    return {str(key): str(value) for key, value in data.items()}
