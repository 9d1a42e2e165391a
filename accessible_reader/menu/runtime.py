"""The voice menu as a pure state machine: a key in, the utterances to speak out.

``Menu.press(key)`` returns the texts to speak, in order; :meth:`Menu.respond` also says which
earcon to play and whether the session ended. The menu does no audio and no terminal I/O: the
app loop (``app.py``) speaks what it returns and calls :meth:`Menu.advance` when the sentence
being read has finished. Everything it says comes from the menu definitions (``voice_menus/``)
or from the ports (catalog text, book text). Not thread-safe: one menu per reader session.

Keys are names: one character ("1", "h", "*"), or ``up down left right enter backspace escape
space``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from accessible_reader.audio.earcons import EarconName
from accessible_reader.errors import ReaderError
from accessible_reader.menu.cursor import LEVELS, BookCursor
from accessible_reader.menu.definitions import Action, Command, Item, MenuSet, Screen, item_utterance
from accessible_reader.menu.ports import (
    GUEST,
    BookHit,
    Bookmark,
    Library,
    NeedLogin,
    NotAvailable,
    Reader,
    Services,
)

Earcon = EarconName

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
"""Speech speeds, as factors of the voice's normal rate."""
VOLUMES = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
"""Loudness factors applied to the samples (1.0 = as the voice speaks)."""
SLEEP_MINUTES = (15, 30, 60)
BRAILLE_SYSTEMS = ("gf2018", "gb2008", "ueb-g2", "ueb-g1")
"""Names as the Braille layer knows them (``braille/system.py``)."""
SKIP_SECONDS = 10
SAVE_EVERY = 5  # sentences read between saved resume positions
NAVIGATION = frozenset({"previous", "next", "skip_back", "skip_forward", "play_pause"})


@dataclass(frozen=True, slots=True)
class Response:
    """What to do after a key: speak ``utterances`` in order, play ``earcon`` first, end if ``quit``."""

    utterances: list[str]
    earcon: Earcon | None = None
    quit: bool = False


@dataclass(slots=True)
class _Entry:
    utterance: str
    value: object


@dataclass(slots=True)
class _Frame:
    name: str
    screen: Screen
    focus: int = 0
    entries: list[_Entry] = field(default_factory=list)
    buffer: str = ""
    context: dict[str, object] = field(default_factory=dict)


class _Stop(Exception):
    """Ends handling of a key with a response (not an error the reader sees as such)."""

    def __init__(self, response: Response) -> None:
        self.response = response
        super().__init__()


class Menu:
    """One reader's session at the reading-room computer.

    ``clock`` returns seconds (monotonic) for the sleep timer; ``voice_name`` is spoken by the
    settings screen. ``lang`` is "zh" or "en"; ``speed`` one of :data:`SPEEDS`.
    """

    def __init__(
        self,
        menus: MenuSet,
        library: Library,
        services: Services,
        *,
        lang: str = "zh",
        speed: float = 1.0,
        clock: Callable[[], float] | None = None,
        voice_name: str = "",
        voice_names: Sequence[str] = (),
    ) -> None:
        import time

        self.menus = menus
        self.library = library
        self.services = services
        self.lang = lang
        self.speed = min(SPEEDS, key=lambda s: abs(s - speed))
        self.volume = 1.0
        self.clock = clock or time.monotonic
        self.voice_name = voice_name
        self.voice_names = list(voice_names)
        self.reader: Reader = GUEST
        self.book: BookHit | None = None
        self.cursor: BookCursor | None = None
        self.playing = False
        self.braille_system = BRAILLE_SYSTEMS[0]
        self.describing = False
        self.sleep_minutes: int | None = None
        self.sleep_deadline: float | None = None
        self._stack: list[_Frame] = []
        self._last: list[str] = []
        self._pending_card = ""
        self._braille_jobs: dict[str, str] = {}
        self._needs_current = False
        self._since_save = 0

    # -- public --------------------------------------------------------------------------------

    @property
    def screen_name(self) -> str:
        """Name of the screen shown now."""
        return self._stack[-1].name

    def screen_title(self) -> str:
        """Title of the screen shown now, in the menu's language."""
        return self._stack[-1].screen.title.get(self.lang) if self._stack else ""

    def start(self) -> Response:
        """Welcome and the start screen."""
        self._stack = []
        utterances = [self._p("welcome"), *self._enter(self.menus.start, {})]
        self._last = utterances
        return Response(utterances)

    def press(self, key: str) -> list[str]:
        """Handle one key; the texts to speak. See :meth:`respond`."""
        return self.respond(key).utterances

    def respond(self, key: str) -> Response:
        """Handle one key and say what to speak; never raises for a reader's action."""
        if not self._stack:
            self.start()
        try:
            response = self._handle(key)
        except _Stop as stop:
            response = stop.response
        except NotAvailable as missing:
            response = Response([self._p("not_available", feature=self._p(missing.feature))], "error")
        except NeedLogin:
            response = Response([self._p("need_login")], "error")
        except ReaderError as error:
            response = Response([error.message_en if self.lang == "en" else error.message_zh], "error")
        if response.utterances and key not in self._keys_for("repeat"):
            self._last = response.utterances
        return response

    def advance(self) -> Response:
        """The next thing to read while playing (the app calls it when a sentence has finished).

        Returns no utterances when not playing. Stops at the end of the book and when the sleep
        timer runs out (pausing and saving the position).
        """
        if not self.playing or self.cursor is None:
            return Response([])
        if self.sleep_deadline is not None and self.clock() >= self.sleep_deadline:
            self.sleep_deadline = self.sleep_minutes = None
            self._pause()
            return Response([self._p("sleep_ended")], "edge")
        if self._needs_current:
            self._needs_current = False
            return Response([self.cursor.stop.sentence.text])
        if not self.cursor.move_sentence_forward():
            self._pause()
            return Response([self._p("book_end")], "edge")
        self._since_save += 1
        if self._since_save >= SAVE_EVERY:
            self._save_position()
        return Response([self.cursor.stop.sentence.text])

    def cacheable_texts(self) -> list[str]:
        """Every fixed text this menu may speak in its language (prompt cache warm-up)."""
        texts = self.menus.static_texts(self.lang)
        texts.extend(self._p("speed", speed=_speed_text(s)) for s in SPEEDS)
        texts.extend(self._p("level", level=self._p(f"level.{level}")) for level in LEVELS)
        return list(dict.fromkeys(texts))

    def close(self) -> None:
        """Save the resume position (call when the session ends for any reason)."""
        self._save_position()

    # -- dispatch ------------------------------------------------------------------------------

    def _handle(self, key: str) -> Response:
        frame = self._stack[-1]
        screen = frame.screen
        if self.describing:
            return self._describe(key)
        if screen.kind == "input":
            return self._input_key(frame, key)
        scope = "player" if screen.kind == "player" else "list"
        index = _entry_index(frame, key)
        if index is not None:
            frame.focus = index
            return self._choose(frame, index)  # an item's digit wins over 8/2 (which move where no item has them)
        command = self._command(scope, key)
        if command is None:
            return Response([self._p("key_unknown")], "error")
        if screen.kind == "player":
            return self._player_command(command)
        return self._command_response(command)

    def _command(self, scope: str, key: str) -> Command | None:
        for wanted in (scope, "global"):
            for binding in self.menus.keys:
                if binding.scope == wanted and key in binding.keys:
                    return binding.command
        return None

    def _keys_for(self, command: str) -> set[str]:
        return {k for b in self.menus.keys if b.command == command for k in b.keys}

    def _command_response(self, command: Command) -> Response:
        frame = self._stack[-1]
        if command in {"up", "down"}:
            return self._move_focus(frame, -1 if command == "up" else 1)
        if command == "select":
            if not frame.entries:
                return Response([self._p("no_results")], "edge")
            return self._choose(frame, frame.focus)
        if command == "back":
            return self._back()
        if command == "repeat":
            return Response(list(self._last))
        if command == "help":
            return Response([frame.screen.help.get(self.lang)])
        if command in ("faster", "slower"):
            return self._change_speed(1 if command == "faster" else -1)
        if command == "where":
            utterances = [self._p("where", screen=frame.screen.title.get(self.lang))]
            if frame.entries:
                utterances.append(self._p("where_item", n=frame.focus + 1, total=len(frame.entries)))
            return Response(utterances)
        if command == "describe":
            self.describing = True
            return Response([self._p("describe_on")])
        if command == "time":
            return self._time()
        return Response([self._p("key_unknown")], "error")

    def _describe(self, key: str) -> Response:
        frame = self._stack[-1]
        scope = "player" if frame.screen.kind == "player" else "list"
        command = self._command(scope, key)
        if command == "describe":
            self.describing = False
            return Response([self._p("describe_off")])
        index = _entry_index(frame, key)
        if command is None and index is not None:
            label = frame.entries[index].utterance.split(" ", 1)[-1]
            return Response([self._p("describe_item", key=key, label=label)])
        for binding in self.menus.keys:
            if binding.command == command and key in binding.keys and binding.scope in (scope, "global"):
                return Response([binding.describe.get(self.lang)])
        return Response([self._p("key_unknown")])

    # -- screens -------------------------------------------------------------------------------

    def _enter(self, name: str, context: dict[str, object]) -> list[str]:
        screen = self.menus.screens[name]
        frame = _Frame(name, screen, context=context)
        if screen.kind == "player":
            return self._open_player(frame)
        if screen.kind == "results":
            frame.entries = self._load(screen, context)
        elif screen.kind == "list":
            frame.entries = [_Entry(item_utterance(item, self.lang), item) for item in screen.items]
        self._stack.append(frame)
        utterances = [screen.title.get(self.lang)]
        if name == "book" and self.book is not None:
            utterances.append(f"{self.book.title}，{self.book.authors}" if self.book.authors else self.book.title)
        if screen.intro is not None:
            utterances.append(screen.intro.get(self.lang))
        if screen.kind == "results":
            utterances.append(self._p("results_count", count=len(frame.entries)) if frame.entries else "")
            if not frame.entries:
                utterances[-1] = self._p("no_results")
        utterances.extend(entry.utterance for entry in frame.entries)
        return utterances

    def _load(self, screen: Screen, context: dict[str, object]) -> list[_Entry]:
        source = screen.source
        hits: Sequence[BookHit]
        if source == "categories":
            names = self.menus.categories
            return [
                _Entry(
                    self._p(
                        "category_item",
                        n=i + 1,
                        name=names[c.code].get(self.lang) if c.code in names else c.code,
                        count=c.count,
                    ),
                    c.code,
                )
                for i, c in enumerate(self.library.categories()[:9])
            ]
        if source == "bookmarks":
            book_id = context.get("book_id")
            marks = self.services.bookmarks(self.reader, str(book_id) if book_id else None)
            return [_Entry(self._p("bookmark_item", n=i + 1, text=m.label), m) for i, m in enumerate(list(marks)[-9:])]
        if source == "search":
            hits = self.library.search(str(context.get("query", "")))
        elif source == "category":
            hits = self.library.in_category(str(context.get("code", "")))
        elif source == "new_books":
            hits = self.library.new_books()
        elif source == "recommended":
            hits = self.library.recommended()
        else:  # loans
            if self.reader == GUEST:
                raise _Stop(Response([self._p("need_login")], "error"))
            hits = self.services.loans(self.reader)
        return [_Entry(self._hit_utterance(i + 1, hit), hit) for i, hit in enumerate(list(hits)[:9])]

    def _hit_utterance(self, n: int, hit: BookHit) -> str:
        key = "result_item" if hit.authors else "result_item_no_author"
        text = self._p(key, n=n, title=hit.title, authors=hit.authors)
        return text if hit.has_text else self._p("record_only", item=text)

    def _back(self) -> Response:
        if len(self._stack) <= 1:
            return Response([self._stack[-1].screen.title.get(self.lang)], "edge")
        leaving = self._stack.pop()
        if leaving.screen.kind == "player":
            self._pause()
        frame = self._stack[-1]
        utterances = [frame.screen.title.get(self.lang)]
        if frame.screen.kind == "player" and self.cursor is not None:
            utterances.append(self.cursor.stop.sentence.text)
        elif frame.entries:
            utterances.append(frame.entries[frame.focus].utterance)
        return Response(utterances)

    def _move_focus(self, frame: _Frame, step: int) -> Response:
        if not frame.entries:
            return Response([self._p("no_results")], "edge")
        target = frame.focus + step
        if not 0 <= target < len(frame.entries):
            return Response([frame.entries[frame.focus].utterance], "edge")
        frame.focus = target
        return Response([frame.entries[target].utterance])

    def _choose(self, frame: _Frame, index: int) -> Response:
        value = frame.entries[index].value
        if isinstance(value, Item):
            return self._run(value.action, value.target, value.value)
        screen = frame.screen
        assert screen.select is not None  # checked on load
        return self._run(screen.select, screen.target, value)

    # -- actions -------------------------------------------------------------------------------

    def _run(self, action: Action, target: str | None, value: object) -> Response:
        if action == "go":
            assert target is not None
            context: dict[str, object] = {}
            if target == "book_bookmarks" or value == "this_book":
                context["book_id"] = self._need_book().id
            return Response(self._enter(target, context))
        if action == "back":
            return self._back()
        if action == "quit":
            self.close()
            return Response([self._p("goodbye")], quit=True)
        if action == "open_book":
            assert isinstance(value, BookHit) and target is not None
            self.book = value
            return Response(self._enter(target, {}))
        if action == "category":
            assert target is not None
            return Response(self._enter(target, {"code": value}))
        if action == "book_info":
            return Response([self.library.book_info(self._need_book().id, self.lang)])
        if action == "listen":
            assert target is not None
            self._need_text()
            return Response(self._enter(target, {}))
        if action == "jump_bookmark":
            assert isinstance(value, Bookmark) and target is not None
            return self._jump(value, target)
        if action in ("braille_print", "device_load", "delivery"):
            return self._send(action)
        if action in ("speed_up", "speed_down"):
            return self._change_speed(1 if action == "speed_up" else -1)
        if action in ("volume_up", "volume_down"):
            step = 1 if action == "volume_up" else -1
            position = VOLUMES.index(self.volume) + step
            if not 0 <= position < len(VOLUMES):
                return Response([self._p("volume_limit")], "edge")
            self.volume = VOLUMES[position]
            return Response([self._p("volume", volume=round(self.volume * 100))])
        if action == "language":
            self.lang = "en" if self.lang == "zh" else "zh"
            for frame in self._stack:
                if frame.screen.kind == "list":
                    frame.entries = [_Entry(item_utterance(i, self.lang), i) for i in frame.screen.items]
            return Response([self._p("language_set")])
        if action == "braille_system":
            position = BRAILLE_SYSTEMS.index(self.braille_system)
            self.braille_system = BRAILLE_SYSTEMS[(position + 1) % len(BRAILLE_SYSTEMS)]
            name = self._p(f"braille.{self.braille_system}")
            return Response([self._p("braille_system_set", system=name)])
        if action == "voice_info":
            return Response([self._p("voice_info", voice=self._voice_label()), self._speed_prompt()])
        if action == "voice_next":
            if len(self.voice_names) < 2:
                return Response([self._p("voice_info", voice=self._voice_label())], "edge")
            position = self.voice_names.index(self.voice_name) if self.voice_name in self.voice_names else -1
            self.voice_name = self.voice_names[(position + 1) % len(self.voice_names)]
            return Response([self._p("voice_info", voice=self._voice_label())])
        if action == "rate":
            stars = int(str(value))
            self.services.rate(self.reader, stars)
            self.close()
            return Response([self._p("rating_saved", stars=stars), self._p("goodbye")], "success", quit=True)
        return Response([self._p("key_unknown")], "error")

    def _send(self, action: Action) -> Response:
        """Braille print, device loading, home delivery: the book leaves the reading room."""
        if action == "braille_print":
            book = self._need_text()
            job = self._braille_jobs.get(book.id)
            if job is not None:  # asked again: say how far it is
                percent = self.services.job_progress(job)
                done = percent >= 100
                if done:
                    del self._braille_jobs[book.id]
                key = "braille_done" if done else "braille_progress"
                return Response([self._p(key, title=book.title, percent=percent)], "success" if done else None)
            job = self.services.queue_braille(self.reader, book.id, self.braille_system)
            self._braille_jobs[book.id] = job
            percent = self.services.job_progress(job)
            return Response([self._p("braille_queued", title=book.title, percent=percent)], "success")
        if action == "device_load":
            book = self._need_text()
            device = self.services.load_device(self.reader, book.id)
            return Response([self._p("device_loaded", title=book.title, device=device)], "success")
        if action == "delivery":
            book = self._need_book()
            self._need_login()
            self.services.request_delivery(self.reader, book.id)
            return Response([self._p("delivery_requested", title=book.title)], "success")
        return Response([self._p("key_unknown")], "error")

    def _need_book(self) -> BookHit:
        if self.book is None:
            raise _Stop(Response([self._p("no_book")], "error"))
        return self.book

    def _need_text(self) -> BookHit:
        book = self._need_book()
        if not book.has_text:
            raise _Stop(Response([self._p("no_text", title=book.title)], "error"))
        return book

    def _need_login(self) -> None:
        if self.reader == GUEST:
            raise _Stop(Response([self._p("need_login")], "error"))

    def _voice_label(self) -> str:
        key = f"voice.{self.voice_name}"
        return self._p(key) if key in self.menus.prompts else (self.voice_name or "-")

    def _change_speed(self, step: int) -> Response:
        position = SPEEDS.index(self.speed) + step
        if not 0 <= position < len(SPEEDS):
            which = self._p("faster" if step > 0 else "slower")
            return Response([self._p("speed_limit", which=which)], "edge")
        self.speed = SPEEDS[position]
        return Response([self._speed_prompt()])

    def _speed_prompt(self) -> str:
        return self._p("speed", speed=_speed_text(self.speed))

    # -- input screens -------------------------------------------------------------------------

    def _input_key(self, frame: _Frame, key: str) -> Response:
        if key == "escape":
            return self._back()
        if key == "backspace":
            if not frame.buffer:
                return self._back()
            removed, frame.buffer = frame.buffer[-1], frame.buffer[:-1]
            shown = self._p("secret_char") if frame.screen.secret else removed
            return Response([self._p("deleted", char=shown)])
        if key == "enter":
            if not frame.buffer:
                return Response([self._p("input_empty")], "edge")
            assert frame.screen.submit is not None
            return self._submit(frame, frame.screen.submit, frame.buffer.strip())
        if key in ("up", "down", "left", "right"):
            return Response([frame.buffer if frame.buffer and not frame.screen.secret else self._p("input_empty")])
        if key == "space":
            key = " "
        if len(key) != 1 or not key.isprintable():
            return Response([self._p("key_unknown")], "error")
        frame.buffer += key
        return Response([self._p("secret_char") if frame.screen.secret else key])

    def _submit(self, frame: _Frame, action: Action, text: str) -> Response:
        target = frame.screen.target
        if action == "search":
            assert target is not None
            return Response(self._enter(target, {"query": text}))
        if action == "login_card":
            assert target is not None
            self._pending_card = text
            frame.buffer = ""
            return Response(self._enter(target, {}))
        if action == "login_pin":
            reader = self.services.login(self._pending_card, text)
            while self._stack[-1].screen.kind == "input":
                self._stack.pop()
            if reader is None:
                return Response([self._p("login_failed"), *self._reenter_login()], "error")
            self.reader = reader
            return Response([self._p("login_ok", name=reader.name or reader.id)], "success")
        if action == "goto_page":
            if self.cursor is None:
                return Response([self._p("no_book")], "error")
            if not self.cursor.go_to_page(text):
                frame.buffer = ""
                return Response([self._p("page_not_found", page=text)], "error")
            self._stack.pop()
            self.playing, self._needs_current = True, False
            return Response([self._p("page", page=text), self.cursor.stop.sentence.text])
        return Response([self._p("key_unknown")], "error")

    def _reenter_login(self) -> list[str]:
        for name, screen in self.menus.screens.items():
            if screen.kind == "input" and screen.submit == "login_card":
                return self._enter(name, {})
        return []

    # -- player --------------------------------------------------------------------------------

    def _open_player(self, frame: _Frame) -> list[str]:
        hit = self._need_book()
        if self.cursor is None or self.cursor.book.id != hit.id:
            self.cursor = BookCursor(self.library.open_book(hit.id))
        if not self.cursor.stops:
            raise _Stop(Response([self._p("book_end")], "edge"))
        self._stack.append(frame)
        utterances = [hit.title]
        jump = frame.context.get("sentence_id")
        saved = str(jump) if jump else self.services.position(self.reader, hit.id)
        if saved and self.cursor.go_to_sentence(saved) and self.cursor.index > 0 and not jump:
            utterances.append(self._p("resume", where=self._position_text()))
        utterances.append(self.cursor.stop.sentence.text)
        self.playing = True
        self._needs_current = False
        return utterances

    def _jump(self, bookmark: Bookmark, target: str) -> Response:
        self._stack.pop()  # the bookmark list
        if self.cursor is None or self.cursor.book.id != bookmark.book_id:
            book = self.library.open_book(bookmark.book_id)
            self.cursor = BookCursor(book)
            self.book = BookHit(book.id, book.metadata.title, "、".join(book.metadata.authors), True)
        if self._stack and self._stack[-1].screen.kind == "player":
            self.cursor.go_to_sentence(bookmark.sentence_id)
            self.playing, self._needs_current = True, False
            return Response([self.cursor.stop.sentence.text])
        return Response(self._enter(target, {"sentence_id": bookmark.sentence_id}))

    def _player_command(self, command: Command) -> Response:
        cursor = self.cursor
        assert cursor is not None
        if command not in NAVIGATION and self.playing:
            self._needs_current = True  # the interrupted sentence is read again afterwards
        if command == "play_pause":
            if self.playing:
                self._pause()
                return Response([self._p("paused")])
            self.playing = True
            self._needs_current = False
            return Response([cursor.stop.sentence.text])
        if command in ("previous", "next"):
            direction = 1 if command == "next" else -1
            if cursor.level.value == "page" and not cursor.book.page_numbers():
                return Response([self._p("no_pages")], "error")
            if not cursor.move(direction):
                return Response([self._p("book_end" if direction > 0 else "book_start")], "edge")
            self._needs_current = False
            return Response(self._announce())
        if command in ("level_up", "level_down"):
            before = cursor.level
            chosen = cursor.change_level(1 if command == "level_up" else -1)
            said = self._p("level", level=self._p(f"level.{chosen}"))
            return Response([said], "edge" if chosen == before else None)
        if command in ("skip_back", "skip_forward"):
            sign = 1 if command == "skip_forward" else -1
            moved = cursor.skip_seconds(sign * SKIP_SECONDS * self.speed)
            way = self._p("forward" if sign > 0 else "backward")
            self._needs_current = False
            skipped = [self._p("skipped", direction=way, seconds=SKIP_SECONDS), cursor.stop.sentence.text]
            return Response(skipped, None if moved else "edge")
        if command == "bookmark_add":
            book = self._need_book()
            label = f"{self._position_text()}：{cursor.stop.sentence.text[:24]}"
            count = self.services.add_bookmark(self.reader, Bookmark(book.id, cursor.stop.sentence.id, label))
            return Response([self._p("bookmark_added", count=count)], "success")
        if command in ("bookmark_list", "page"):
            self._pause()
            linked = self._stack[-1].screen.links[command]
            context: dict[str, object] = {"book_id": self._need_book().id} if command == "bookmark_list" else {}
            return Response(self._enter(linked, context))
        if command == "sleep":
            options = (*SLEEP_MINUTES, None)
            position = options.index(self.sleep_minutes) if self.sleep_minutes in options else -1
            self.sleep_minutes = options[(position + 1) % len(options)]
            if self.sleep_minutes is None:
                self.sleep_deadline = None
                return Response([self._p("sleep_off")])
            self.sleep_deadline = self.clock() + self.sleep_minutes * 60
            return Response([self._p("sleep_set", minutes=self.sleep_minutes)])
        if command == "time":
            return self._time()
        return self._command_response(command)

    def _announce(self) -> list[str]:
        cursor = self.cursor
        assert cursor is not None
        text = cursor.stop.sentence.text
        if cursor.level.value == "heading":
            return [cursor.section_title() or self._need_book().title, text]
        if cursor.level.value == "page" and cursor.stop.page:
            return [self._p("page", page=cursor.stop.page), text]
        return [text]

    def _time(self) -> Response:
        cursor = self.cursor
        if cursor is None:
            return Response([self._p("no_book")], "error")
        elapsed = cursor.elapsed_seconds / self.speed
        remaining = (cursor.total_seconds - cursor.elapsed_seconds) / self.speed
        return Response(
            [
                self._position_text(),
                self._p("time", elapsed=self._duration(elapsed), remaining=self._duration(remaining)),
            ]
        )

    def _duration(self, seconds: float) -> str:
        whole = round(seconds)
        return self._p("duration", minutes=whole // 60, seconds=whole % 60)

    def _position_text(self) -> str:
        cursor = self.cursor
        assert cursor is not None
        section = cursor.section_title() or (self.book.title if self.book else "")
        if cursor.stop.page:
            return self._p("position", section=section, page=cursor.stop.page)
        return self._p("position_no_page", section=section)

    def _pause(self) -> None:
        self.playing = False
        self._needs_current = False
        self._save_position()

    def _save_position(self) -> None:
        if self.cursor is not None and self.cursor.stops:
            self.services.save_position(self.reader, self.cursor.book.id, self.cursor.stop.sentence.id)
        self._since_save = 0

    def _p(self, name: str, /, **values: object) -> str:
        return self.menus.prompt(name, self.lang, **values)


def _entry_index(frame: _Frame, key: str) -> int | None:
    """The entry a digit picks: the item with that key on a list screen, the n-th result otherwise."""
    if len(key) != 1 or key not in "123456789" or frame.screen.kind not in ("list", "results"):
        return None
    for index, entry in enumerate(frame.entries):
        if isinstance(entry.value, Item) and entry.value.key == key:
            return index
    if frame.screen.kind == "results" and int(key) <= len(frame.entries):
        return int(key) - 1
    return None


def _speed_text(speed: float) -> str:
    return f"{speed:g}"
