"""The engine registry: a literal name → factory mapping and the fallback order (STYLE §2).

``edge`` (online) comes first when it is reachable, then the offline voices, then ``silence`` so a
book job never stops for want of a voice (its audio is then silent, and the report says so).
Factories take the speech cache folder (where ``neural-zh`` keeps its patched model); None = a
temporary folder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from accessible_reader.errors import EngineUnavailable
from accessible_reader.tts.engine import Availability, TtsEngine

log = logging.getLogger(__name__)


def _espeak(_cache_dir: Path | None) -> TtsEngine:
    from accessible_reader.tts.espeak import EspeakEngine

    return EspeakEngine()


def _espeak_process(_cache_dir: Path | None) -> TtsEngine:
    from accessible_reader.tts.espeak import EspeakEngine

    return EspeakEngine("process")


def _edge(_cache_dir: Path | None) -> TtsEngine:
    from accessible_reader.tts.edge import EdgeEngine

    return EdgeEngine()


def _neural_zh(cache_dir: Path | None) -> TtsEngine:
    from accessible_reader.tts.neural_zh import NeuralZhEngine

    return NeuralZhEngine(cache_dir / "models" if cache_dir else None)


def _silence(_cache_dir: Path | None) -> TtsEngine:
    from accessible_reader.tts.fakes import SilenceEngine

    return SilenceEngine()


def _recording(_cache_dir: Path | None) -> TtsEngine:
    from accessible_reader.tts.fakes import RecordingEngine

    return RecordingEngine()


ENGINES: dict[str, Callable[[Path | None], TtsEngine]] = {
    "edge": _edge,
    "neural-zh": _neural_zh,
    "espeak": _espeak,
    "espeak-process": _espeak_process,
    "silence": _silence,
    "recording": _recording,
}
"""Every engine by name. Factories import their engine module lazily, so a broken optional engine
cannot stop the others from loading."""

FALLBACK_ORDER: tuple[str, ...] = ("edge", "neural-zh", "espeak", "silence")
"""The order engines are tried when none is named."""

OFFLINE_ORDER: tuple[str, ...] = ("espeak", "silence")
"""The default for book production: offline voices only, so a book is read the same way every time.
``neural-zh`` is left out of the default because its voice data is licensed for non-commercial use only;
name it to use it (Latin runs then fall through to espeak-ng)."""


@dataclass(frozen=True, slots=True)
class EngineChoice:
    """An engine considered for a job, whether it can be used, and why."""

    name: str
    engine: TtsEngine | None
    availability: Availability


def create_engine(name: str, cache_dir: Path | None = None) -> TtsEngine:
    """A new engine by registry name; :class:`EngineUnavailable` names the known ones otherwise."""
    factory = ENGINES.get(name)
    if factory is None:
        known = ", ".join(ENGINES)
        raise EngineUnavailable(
            f"没有名为“{name}”的语音引擎；可用：{known}", f"no speech engine named '{name}'; known: {known}", "tts"
        )
    return factory(cache_dir)


def survey(names: Sequence[str], cache_dir: Path | None = None) -> list[EngineChoice]:
    """Create and check each named engine, in order; failures are recorded with their reason, never raised."""
    choices: list[EngineChoice] = []
    for name in names:
        try:
            engine = create_engine(name, cache_dir)
            availability = engine.check()
        except Exception as error:  # a broken engine is a finding (STYLE §10), recorded with its reason
            choices.append(EngineChoice(name, None, Availability(False, f"{type(error).__name__}: {error}")))
            log.warning("speech engine %s cannot be used: %s", name, error)
            continue
        if not availability.ok:
            log.info("speech engine %s unavailable: %s", name, availability.reason)
        choices.append(EngineChoice(name, engine if availability.ok else None, availability))
    return choices


def usable_engines(names: Sequence[str], cache_dir: Path | None = None) -> list[TtsEngine]:
    """The available engines among ``names``, in order; :class:`EngineUnavailable` with every reason if none."""
    choices = survey(names, cache_dir)
    engines = [c.engine for c in choices if c.engine is not None]
    if not engines:
        reasons = "; ".join(f"{c.name}: {c.availability.reason}" for c in choices)
        raise EngineUnavailable(f"没有可用的语音引擎（{reasons}）", f"no speech engine can be used ({reasons})", "tts")
    return engines
