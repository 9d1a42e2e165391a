"""Chinese word segmentation with jieba, one tokenizer per :class:`Segmenter` (no global state).

jieba's own start-up reads a 9 MB marshal cache through ``marshal.load(file)``, which reads the
file in small pieces and takes over a second on a slow machine. The segmenter keeps its own
cache of the same prefix dictionary (``jieba-<key>.marshal`` in ``cache_dir``), reads it in one
piece and hands it to the tokenizer: about 0.3 s. The cache is rebuilt from jieba's dictionary
when it is missing, unreadable or made for another jieba dictionary file; it is written atomically
(temporary file, then rename), and a read-only cache directory only costs start-up time. The cache
also keeps the four-character words jieba tags as idioms (成语), for the Braille word division.

Words from the pronunciation lexicon are added to the tokenizer with jieba's suggested frequency,
so a lexicon word comes out whole (鹿寨, 中渡).

jieba's HMM guessing of unknown words is off by default: it glues characters into non-words
(地说, 教他, 很长) that hide particles and polyphones from the reading rules.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import tempfile
from collections.abc import Iterable
from math import log
from pathlib import Path
from typing import Any

import jieba

_log = logging.getLogger(__name__)


_PRUNE_VERSION = 2
"""Part of the cache key: bump when the cached data changes (2: the idiom list was added)."""
_PRUNE_MAX_FREQUENCY = 5


def _prune(frequencies: dict[str, int]) -> None:
    """Drop rare verb + 得 + complement entries (说得好 3, 跑得快 3) from jieba's dictionary.

    As single words they hide the particle 得 (·de) from the polyphone rules and from the word
    division (pǎo de kuài). Common ones (来得及 802, 看得见 179) stay.
    """
    for word, frequency in frequencies.items():
        if len(word) == 3 and word[1] == "得" and 0 < frequency <= _PRUNE_MAX_FREQUENCY and "不" not in word:
            frequencies[word] = 0


def _idioms(dictionary: Path) -> list[str]:
    """Four-character words jieba's dictionary tags ``i`` (成语), read once when the cache is built."""
    out: list[str] = []
    with dictionary.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "i" and len(parts[0]) == 4:
                out.append(parts[0])
    return out


def _dictionary_key(dictionary: Path) -> str:
    info = dictionary.stat()
    raw = f"{dictionary.resolve()}|{info.st_size}|{info.st_mtime_ns}|{jieba.__version__}|{_PRUNE_VERSION}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


class Segmenter:
    """Splits Chinese text into words with a private ``jieba.Tokenizer``.

    ``cache_dir``: where the prefix-dictionary cache lives (default: the system temporary
    directory); give the service's data directory in production. ``words``: extra words that must
    come out whole. ``cut`` is safe to call from several threads; ``add_word``/``remove_word``
    must not run while another thread cuts.
    """

    def __init__(self, words: Iterable[str] = (), *, cache_dir: Path | None = None, hmm: bool = False) -> None:
        self._tokenizer: Any = jieba.Tokenizer()
        self._hmm = hmm
        self.cache_dir = cache_dir if cache_dir is not None else Path(tempfile.gettempdir())
        self._load_dictionary()
        self._added: dict[str, int] = {}  # word -> jieba's frequency before it was added
        for word in words:
            self.add_word(word)

    def _load_dictionary(self) -> None:
        tokenizer = self._tokenizer
        dictionary = Path(jieba.__file__).with_name("dict.txt")
        cache = self.cache_dir / f"jieba-{_dictionary_key(dictionary)}.marshal"
        loaded: Any = None
        try:
            loaded = marshal.loads(cache.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            loaded = None
        if not (
            isinstance(loaded, tuple)
            and len(loaded) == 3
            and isinstance(loaded[0], dict)
            and isinstance(loaded[1], int)
            and isinstance(loaded[2], list)
        ):
            with dictionary.open("rb") as handle:
                frequencies, total = tokenizer.gen_pfdict(handle)
            _prune(frequencies)
            loaded = (frequencies, total, _idioms(dictionary))
            self._write_cache(cache, marshal.dumps(loaded))
        tokenizer.FREQ, tokenizer.total = loaded[0], loaded[1]
        tokenizer.initialized = True
        self._idioms = frozenset(loaded[2])

    @staticmethod
    def _write_cache(cache: Path, data: bytes) -> None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=cache.name, dir=cache.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, cache)
        except OSError as error:  # a read-only data directory costs start-up time, nothing else
            _log.warning("cannot write the jieba cache %s: %s", cache, error)

    def add_word(self, word: str) -> None:
        """Make ``word`` come out whole (jieba's suggested frequency)."""
        if word in self._added:
            return
        tokenizer = self._tokenizer
        before = int(tokenizer.FREQ.get(word) or 0)
        frequency = int(tokenizer.suggest_freq(word, tune=False))
        tokenizer.add_word(word, freq=max(frequency, before, 1))  # also adds the word's prefixes
        tokenizer.total -= before  # jieba adds the new frequency without taking off the old one
        self._added[word] = before

    def remove_word(self, word: str) -> None:
        """Undo :meth:`add_word`: the word gets back the frequency jieba gave it before."""
        if word not in self._added:
            return
        before = self._added.pop(word)
        tokenizer = self._tokenizer
        # Set the frequency directly: jieba's del_word also records the word in a module-global
        # force-split list (shared by every tokenizer), which is not wanted here.
        tokenizer.total += before - int(tokenizer.FREQ.get(word) or 0)
        tokenizer.FREQ[word] = before

    def set_words(self, words: Iterable[str]) -> None:
        """Make the added words exactly ``words`` (after a lexicon reload)."""
        wanted = set(words)
        for word in set(self._added) - wanted:
            self.remove_word(word)
        for word in wanted - set(self._added):
            self.add_word(word)

    def frequency(self, word: str) -> int:
        """jieba's frequency of ``word``; 0 when it is not a dictionary (or added) word."""
        return int(self._tokenizer.FREQ.get(word) or 0)

    @property
    def total(self) -> int:
        """Sum of jieba's word frequencies (the denominator of its word probabilities)."""
        return int(self._tokenizer.total)

    def is_idiom(self, word: str) -> bool:
        """True for a four-character word jieba's dictionary tags as an idiom (成语, tag ``i``)."""
        return word in self._idioms

    def cut(self, text: str) -> list[str]:
        """Words of ``text`` in order; joining them gives ``text`` back."""
        return list(self._tokenizer.cut(text, HMM=self._hmm))

    def cut_chinese(self, text: str) -> list[str]:
        """Same words as :meth:`cut` (HMM off) for text of Chinese characters only, faster.

        jieba's maximum-probability path (``get_DAG`` + ``calc``) in one backward pass over the
        text, without jieba's per-call splitting and generators; ties go to the longer word as in
        jieba. With HMM on it is :meth:`cut`.
        """
        if self._hmm:
            return self.cut(text)
        n = len(text)
        if n < 2:
            return [text] if text else []
        tokenizer = self._tokenizer
        frequencies: dict[str, int] = tokenizer.FREQ
        log_total = log(tokenizer.total)
        best = [0.0] * (n + 1)
        ends = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            top = -1e300
            top_end = k + 1
            found = False
            i = k + 1
            frag = text[k]
            while True:
                count = frequencies.get(frag)
                if count is None:
                    break
                if count:
                    found = True
                    score = log(count) - log_total + best[i]
                    if score >= top:
                        top, top_end = score, i
                i += 1
                if i > n:
                    break
                frag = text[k:i]
            if not found:
                top = -log_total + best[k + 1]
                top_end = k + 1
            best[k] = top
            ends[k] = top_end
        words: list[str] = []
        x = 0
        while x < n:
            y = ends[x]
            words.append(text[x:y])
            x = y
        return words
