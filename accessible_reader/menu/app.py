"""The running menu: keys -> :class:`~accessible_reader.menu.runtime.Menu` -> speech and screen.

:class:`Speaker` owns a thread that speaks a queue of utterances through the prompt cache and a
sink; :meth:`Speaker.interrupt` (any key) empties the queue and stops the sink at once
(barge-in). :class:`MenuApp` is the loop: it reads keys, interrupts, asks the menu, shows and
speaks the response, and while a book is playing asks the menu for the next sentence whenever
the speaker falls idle.
"""

from __future__ import annotations

import logging
import string
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from accessible_reader.audio.earcons import EarconName, earcon_pcm
from accessible_reader.audio.sinks import AudioSink
from accessible_reader.menu.ports import Voice
from accessible_reader.menu.runtime import Menu, Response
from accessible_reader.menu.screen import Display
from accessible_reader.menu.voice import PromptCache

log = logging.getLogger(__name__)

EARCON_RATE = 22050
POLL_S = 0.02
"""How often the loop checks for keys and for the end of a sentence (seconds)."""


@dataclass(frozen=True, slots=True)
class _Item:
    generation: int
    text: str  # "" for an earcon
    earcon: EarconName | None
    lang: str
    speed: float


class Speaker:
    """Speaks utterances in order on its own thread; thread-safe ``say`` / ``interrupt`` / ``idle``.

    ``on_error`` receives a one-line message when synthesis fails (the utterance is skipped).
    """

    def __init__(self, cache: PromptCache, sink: AudioSink, on_error: Callable[[str], None] | None = None) -> None:
        self.cache = cache
        self.sink = sink
        self._on_error = on_error or (lambda message: log.warning("%s", message))
        self._queue: deque[_Item] = deque()
        self._cond = threading.Condition()
        self._generation = 0
        self._working = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="menu-speaker", daemon=True)
        self._thread.start()

    def say(self, utterances: list[str], lang: str, speed: float, earcon: EarconName | None = None) -> None:
        """Replace whatever is being said with ``earcon`` (if any) then ``utterances``."""
        self.interrupt()
        with self._cond:
            if earcon:
                self._queue.append(_Item(self._generation, "", earcon, lang, speed))
            for text in utterances:
                if text.strip():
                    self._queue.append(_Item(self._generation, text, None, lang, speed))
            self._cond.notify_all()

    def interrupt(self) -> None:
        """Barge-in: drop the queue and silence the sink now."""
        with self._cond:
            self._generation += 1
            self._queue.clear()
        self.sink.stop()

    def idle(self) -> bool:
        """Nothing queued, nothing being prepared, nothing playing."""
        with self._cond:
            return not self._queue and not self._working and not self.sink.busy()

    def wait_idle(self, timeout: float) -> bool:
        """Block until idle or ``timeout`` seconds; True when idle."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.idle():
                return True
            time.sleep(POLL_S)
        return self.idle()

    def close(self) -> None:
        """Stop speaking and end the thread."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self.interrupt()
        self._thread.join(timeout=2.0)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                item = self._queue.popleft()
                self._working = True
            try:
                self._speak(item)
            finally:
                with self._cond:
                    self._working = False

    def _speak(self, item: _Item) -> None:
        if item.earcon:
            pcm, rate = earcon_pcm(item.earcon, EARCON_RATE), EARCON_RATE
        else:
            try:
                audio = self.cache.get(item.text, item.lang, item.speed)
            except Exception as error:  # a failing voice must not stop the menu; the text is still on screen
                self._on_error(f"{type(error).__name__}: {error}")
                return
            pcm, rate = audio.pcm, audio.sample_rate
        with self._cond:
            if item.generation != self._generation:
                return
        self.sink.play(pcm, rate, item.text)
        while not self.sink.wait(POLL_S):
            with self._cond:
                if item.generation != self._generation or self._closed:
                    break


class MenuApp:
    """The loop of one session. ``read_key(timeout)`` returns a key name, None, or "quit"."""

    def __init__(
        self, menu: Menu, speaker: Speaker, display: Display, voice_factory: Callable[[str], Voice] | None = None
    ) -> None:
        self.menu = menu
        self.speaker = speaker
        self.display = display
        self._voice_factory = voice_factory
        self._caches: dict[str, PromptCache] = {menu.voice_name: speaker.cache}
        self._warmed: set[tuple[str, str, float]] = set()

    def warm(self) -> int:
        """Synthesize every fixed text (and single-key echoes) for the menu's language and speed now."""
        self._warmed.add((self.menu.voice_name, self.menu.lang, self.menu.speed))
        echoes = list(string.ascii_lowercase + string.digits)
        return self.speaker.cache.warm([*self.menu.cacheable_texts(), *echoes], self.menu.lang, self.menu.speed)

    def _follow_settings(self) -> None:
        """Use the voice the reader chose; warm the cache for a new voice, language or speed in a thread."""
        name = self.menu.voice_name
        if name not in self._caches and self._voice_factory is not None:
            try:
                self._caches[name] = PromptCache(self._voice_factory(name))
            except Exception as error:  # keep the old voice; the reason goes on screen and in the log
                log.warning("voice %s cannot be used: %s", name, error)
                self.display.notice(f"{name}: {error}")
                self._caches[name] = self.speaker.cache
        self.speaker.cache = self._caches.get(name, self.speaker.cache)
        key = (name, self.menu.lang, self.menu.speed)
        if key in self._warmed:
            return
        self._warmed.add(key)
        texts = self.menu.cacheable_texts()
        threading.Thread(target=self.speaker.cache.warm, args=(texts, *key[1:]), daemon=True).start()

    def handle(self, response: Response) -> None:
        """Show and speak one response."""
        self.display.show(self.menu.screen_title(), response.utterances)
        self.speaker.sink.volume = self.menu.volume
        self._follow_settings()
        self.speaker.say(response.utterances, self.menu.lang, self.menu.speed, response.earcon)

    def _respond(self, key: str) -> Response:
        """The menu's response; a bug in one key's handling is logged and spoken, never ends the session."""
        try:
            return self.menu.respond(key)
        except Exception:
            log.exception("menu failed on key %r", key)
            return Response([self.menu.menus.prompt("internal_error", self.menu.lang)], "error")

    def run(self, read_key: Callable[[float], str | None]) -> None:
        """Until the reader quits (rating, Ctrl-D) or Ctrl-C: keys in, speech out."""
        self.handle(self.menu.start())
        try:
            while True:
                key = read_key(POLL_S)
                if key is None:
                    if self.menu.playing and self.speaker.idle():
                        response = self.menu.advance()
                        if response.utterances:
                            self.handle(response)
                    continue
                if key == "quit":
                    break
                self.speaker.interrupt()
                response = self._respond(key)
                self.handle(response)
                if response.quit:
                    self.speaker.wait_idle(timeout=15.0)
                    break
        finally:
            self.menu.close()
