"""Menu definitions as data: ``voice_menus/*.yaml`` -> validated :class:`MenuSet`.

Every YAML file in the folder may hold any of the top-level sections ``start``, ``prompts``,
``categories``, ``keys`` and ``screens``; they are merged (a name defined twice is an error).
Validation is complete on load: pydantic checks each field, then cross-checks run (screens
named by ``target`` exist, every prompt the runtime needs exists, the zh-CN and en twins of a
prompt have the same ``{fields}``, a key is not bound twice in one scope). Every problem is
reported with its file and line, all at once, in one :class:`MenuDefinitionError`. Pure except
for reading the files.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accessible_reader.errors import InputError

Action = Literal[
    "go",
    "back",
    "quit",
    "search",
    "login_card",
    "login_pin",
    "categories",
    "category",
    "new_books",
    "recommended",
    "open_book",
    "book_info",
    "listen",
    "braille_print",
    "device_load",
    "delivery",
    "book_bookmarks",
    "my_bookmarks",
    "my_loans",
    "jump_bookmark",
    "goto_page",
    "speed_up",
    "speed_down",
    "volume_up",
    "volume_down",
    "language",
    "braille_system",
    "voice_info",
    "voice_next",
    "rate",
]
"""What an item (or an input screen's Enter) does; runtime.py has one handler per action."""

Command = Literal[
    "up",
    "down",
    "select",
    "back",
    "repeat",
    "help",
    "faster",
    "slower",
    "where",
    "describe",
    "play_pause",
    "previous",
    "next",
    "level_up",
    "level_down",
    "skip_back",
    "skip_forward",
    "bookmark_add",
    "bookmark_list",
    "page",
    "sleep",
    "time",
]
"""What a key does outside item choice; ``keys:`` in YAML binds keys to commands per scope."""

ScreenKind = Literal["list", "input", "results", "player"]
Source = Literal["search", "categories", "category", "new_books", "recommended", "bookmarks", "loans"]

REQUIRED_PROMPTS: frozenset[str] = frozenset(
    {
        "welcome",
        "goodbye",
        "not_available",
        "no_results",
        "results_count",
        "result_item",
        "result_item_no_author",
        "record_only",
        "forward",
        "backward",
        "faster",
        "slower",
        "category_item",
        "bookmark_item",
        "loan_item",
        "key_unknown",
        "internal_error",
        "describe_on",
        "describe_off",
        "describe_item",
        "speed",
        "speed_limit",
        "volume",
        "volume_limit",
        "where",
        "where_item",
        "input_empty",
        "deleted",
        "secret_char",
        "login_ok",
        "login_failed",
        "need_login",
        "no_book",
        "playing",
        "paused",
        "level",
        "level.sentence",
        "level.paragraph",
        "level.heading",
        "level.page",
        "book_start",
        "book_end",
        "page",
        "page_not_found",
        "no_pages",
        "skipped",
        "bookmark_added",
        "no_bookmarks",
        "resume",
        "sleep_set",
        "sleep_off",
        "sleep_ended",
        "time",
        "duration",
        "position",
        "position_no_page",
        "braille_queued",
        "braille_progress",
        "braille_done",
        "no_text",
        "device_loaded",
        "delivery_requested",
        "language_set",
        "braille_system_set",
        "braille.gf2018",
        "braille.gb2008",
        "braille.ueb-g2",
        "braille.ueb-g1",
        "voice_info",
        "rating_saved",
        "no_sound_device",
        "feature.search",
        "feature.login",
        "feature.recommended",
        "feature.braille",
        "feature.device",
        "feature.delivery",
        "feature.loans",
        "feature.bookmarks",
        "feature.rating",
    }
)
"""Prompt keys the runtime speaks; a menu set without one of them is refused on load."""


class Text(BaseModel):
    """One prompt in Mandarin and English; may hold ``{field}`` placeholders (same in both)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("en", else Mandarin)."""
        return self.en if lang == "en" else self.zh


class Item(BaseModel):
    """A numbered item of a list screen. ``target`` names a screen (for ``go``); ``value`` is the action's argument."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[1-9]$")
    label: Text
    action: Action
    target: str | None = None
    value: str | None = None


class Screen(BaseModel):
    """One screen. ``title`` is spoken on entry, then ``intro`` (if any), then the items.

    ``list`` screens have fixed ``items``; ``results`` screens list what ``source`` returns and run
    ``select`` on the chosen one (opening ``target``); ``input`` screens collect typed keys and run
    ``submit`` on Enter (``secret`` echoes a star per key); the ``player`` screen reads a book and
    ``links`` names the screens its bookmark-list and go-to-page keys open.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ScreenKind
    title: Text
    help: Text
    intro: Text | None = None
    items: tuple[Item, ...] = ()
    source: Source | None = None
    select: Action | None = None
    submit: Action | None = None
    target: str | None = None
    secret: bool = False
    links: dict[Literal["bookmark_list", "page"], str] = Field(default_factory=dict)


class KeyBinding(BaseModel):
    """Keys bound to a command in a scope (``global`` applies on every screen but input screens)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keys: tuple[str, ...] = Field(min_length=1)
    command: Command
    scope: Literal["global", "list", "player"] = "global"
    describe: Text


class MenuSet(BaseModel):
    """Every screen, key binding, prompt and category name of the voice menu."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: str
    prompts: dict[str, Text]
    categories: dict[str, Text] = Field(default_factory=dict)
    keys: tuple[KeyBinding, ...]
    screens: dict[str, Screen]

    def prompt(self, name: str, lang: str, /, **values: object) -> str:
        """The prompt ``name`` in ``lang`` with its fields filled."""
        return self.prompts[name].get(lang).format(**values)

    def static_texts(self, lang: str) -> list[str]:
        """Every text the menu may speak that has no fields (for the prompt cache)."""
        texts: list[str] = []
        for text in self.prompts.values():
            value = text.get(lang)
            if not _fields(value):
                texts.append(value)
        for screen in self.screens.values():
            texts.append(screen.title.get(lang))
            texts.append(screen.help.get(lang))
            if screen.intro is not None:
                texts.append(screen.intro.get(lang))
            texts.extend(item_utterance(item, lang) for item in screen.items)
        texts.extend(binding.describe.get(lang) for binding in self.keys)
        texts.extend(c.get(lang) for c in self.categories.values())
        return list(dict.fromkeys(texts))


def item_utterance(item: Item, lang: str) -> str:
    """How an item is spoken: its key, then its label ("1 查找图书")."""
    return f"{item.key} {item.label.get(lang)}"


class MenuDefinitionError(InputError):
    """The menu definitions cannot be used; the message lists every problem with file and line."""


# -- loading ---------------------------------------------------------------------------------

_Path = tuple[str | int, ...]
_SECTIONS = ("start", "prompts", "categories", "keys", "screens")


def default_menu_dir() -> Path:
    """``voice_menus/`` of the source checkout (the repository root)."""
    return Path(__file__).resolve().parents[2] / "voice_menus"


def load_menu_set(folder: Path) -> MenuSet:
    """Load and validate every ``*.yaml`` in ``folder``; MenuDefinitionError lists all problems."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise MenuDefinitionError(
            "菜单文件夹里没有 .yaml 菜单文件；请检查设置 menu_dir",
            "no .yaml menu files in the folder; check the menu_dir setting",
            folder,
        )
    merged: dict[str, Any] = {"prompts": {}, "categories": {}, "keys": [], "screens": {}}
    marks: dict[_Path, str] = {}
    problems: list[str] = []
    for path in files:
        _merge_file(path, merged, marks, problems)
    if problems:
        raise _error(folder, problems)
    try:
        menu = MenuSet.model_validate(merged)
    except ValidationError as error:
        for detail in error.errors():
            where = _where(marks, tuple(detail["loc"]), folder)
            field = ".".join(str(p) for p in detail["loc"])
            problems.append(f"{where}: {field}: {detail['msg']}")
        raise _error(folder, problems) from None
    problems.extend(_cross_check(menu, marks, folder))
    if problems:
        raise _error(folder, problems)
    return menu


def _error(folder: Path, problems: list[str]) -> MenuDefinitionError:
    listing = "; ".join(problems)
    return MenuDefinitionError(f"菜单定义有误：{listing}", f"menu definitions are invalid: {listing}", folder)


def _merge_file(path: Path, merged: dict[str, Any], marks: dict[_Path, str], problems: list[str]) -> None:
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problems.append(f"{path.name}:{line}: YAML {getattr(error, 'problem', None) or error}")
        return
    except OSError as error:
        problems.append(f"{path.name}: {error.strerror}")
        return
    if node is None:
        return
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{path.name}:{node.start_mark.line + 1}: top level must be a mapping")
        return
    for key_node, value_node in node.value:
        section = key_node.value
        here = f"{path.name}:{key_node.start_mark.line + 1}"
        if section not in _SECTIONS:
            problems.append(f"{here}: unknown section '{section}' (expected one of {', '.join(_SECTIONS)})")
            continue
        if section == "keys":
            if not isinstance(value_node, yaml.SequenceNode):
                problems.append(f"{here}: 'keys' must be a list")
                continue
            offset = len(merged["keys"])
            merged["keys"].extend(
                _plain(child, ("keys", offset + i), marks, path.name) for i, child in enumerate(value_node.value)
            )
            continue
        earlier = {name: marks.get((section, name), "?") for name in merged.get(section) or ()}
        value = _plain(value_node, (section,), marks, path.name)
        if section == "start":
            if "start" in merged:
                problems.append(f"{here}: 'start' is defined twice")
            merged["start"] = value
            marks[("start",)] = here
        else:
            if not isinstance(value, dict):
                problems.append(f"{here}: '{section}' must be a mapping")
                continue
            for name in value:
                if name in merged[section]:
                    problems.append(
                        f"{marks[(section, name)]}: '{section}.{name}' is defined twice (first at {earlier[name]})"
                    )
            merged[section].update(value)


def _plain(node: yaml.Node, path: _Path, marks: dict[_Path, str], file_name: str) -> Any:
    """Node -> plain Python, recording ``file:line`` of every path."""
    marks[path] = f"{file_name}:{node.start_mark.line + 1}"
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            result[key] = _plain(value_node, (*path, key), marks, file_name)
            marks[(*path, key)] = f"{file_name}:{key_node.start_mark.line + 1}"  # the key's line, not its value's
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_plain(child, (*path, i), marks, file_name) for i, child in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    return loader.construct_object(node)


def _where(marks: dict[_Path, str], loc: _Path, folder: Path) -> str:
    for end in range(len(loc), 0, -1):
        found = marks.get(loc[:end])
        if found is not None:
            return found
    return folder.name


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _cross_check(menu: MenuSet, marks: dict[_Path, str], folder: Path) -> Iterable[str]:
    def at(*path: str | int) -> str:
        return _where(marks, path, folder)

    if menu.start not in menu.screens:
        yield f"{at('start')}: start screen '{menu.start}' does not exist"
    for key in sorted(REQUIRED_PROMPTS - menu.prompts.keys()):
        yield f"{at('prompts')}: prompt '{key}' is missing (the runtime speaks it)"
    for key, text in menu.prompts.items():
        if _fields(text.zh) != _fields(text.en):
            yield f"{at('prompts', key)}: prompt '{key}' has fields {sorted(_fields(text.zh))} in zh but " + (
                f"{sorted(_fields(text.en))} in en"
            )
    if not any(s.kind == "player" for s in menu.screens.values()):
        yield f"{at('screens')}: no screen of kind 'player'"
    for name, screen in menu.screens.items():
        seen: set[str] = set()
        for i, item in enumerate(screen.items):
            if item.key in seen:
                yield f"{at('screens', name, 'items', i)}: key {item.key} is used twice on screen '{name}'"
            elif seen and item.key < max(seen):
                yield f"{at('screens', name, 'items', i)}: items of '{name}' must be in key order (arrows follow it)"
            seen.add(item.key)
            if item.action == "go" and item.target not in menu.screens:
                yield f"{at('screens', name, 'items', i)}: target screen '{item.target}' does not exist"
        if screen.target is not None and screen.target not in menu.screens:
            yield f"{at('screens', name, 'target')}: target screen '{screen.target}' does not exist"
        for command, linked in screen.links.items():
            if linked not in menu.screens:
                yield f"{at('screens', name, 'links', command)}: linked screen '{linked}' does not exist"
        if screen.kind == "player" and set(screen.links) != {"bookmark_list", "page"}:
            yield f"{at('screens', name)}: player screen '{name}' needs links for bookmark_list and page"
        if screen.kind == "list" and not screen.items:
            yield f"{at('screens', name)}: list screen '{name}' has no items"
        if screen.kind == "results" and (screen.source is None or screen.select is None):
            yield f"{at('screens', name)}: results screen '{name}' needs 'source' and 'select'"
        if screen.kind == "input" and screen.submit is None:
            yield f"{at('screens', name)}: input screen '{name}' needs 'submit'"
    bound: dict[tuple[str, str], int] = {}
    for i, binding in enumerate(menu.keys):
        for key in binding.keys:
            if (binding.scope, key) in bound:
                yield f"{at('keys', i)}: key '{key}' is bound twice in scope '{binding.scope}'"
            bound[(binding.scope, key)] = i
