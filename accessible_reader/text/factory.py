"""Build the one :class:`ReadingEngine` a process uses, from injected settings."""

from __future__ import annotations

from accessible_reader.settings import Settings
from accessible_reader.text.lexicon import Lexicon
from accessible_reader.text.readings import ReadingEngine


def reading_engine_for(settings: Settings) -> ReadingEngine:
    """A reading engine with the staff lexicon (``settings.lexicon_path``) and the jieba cache in the data dir.

    Costs about half a second (dictionary loads): call once per process and pass the engine on.
    Raises :class:`~accessible_reader.errors.InputError` when the lexicon file has a bad line.
    """
    path = settings.lexicon_path
    lexicon = Lexicon.load(path) if path.is_file() else Lexicon()
    return ReadingEngine(lexicon, cache_dir=settings.cache_dir)
