"""voice_menus/*.yaml load, and a broken definition is refused with its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from accessible_reader.menu.definitions import (
    REQUIRED_PROMPTS,
    MenuDefinitionError,
    MenuSet,
    default_menu_dir,
    load_menu_set,
)


@pytest.fixture
def menu_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "voice_menus"
    shutil.copytree(default_menu_dir(), folder)
    return folder


def refused(folder: Path) -> str:
    with pytest.raises(MenuDefinitionError) as caught:
        load_menu_set(folder)
    return str(caught.value)


def replace(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once in ``path``; the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def test_shipped_menus_load_complete(menu_set: MenuSet) -> None:
    assert menu_set.start == "main"
    assert menu_set.prompts.keys() >= REQUIRED_PROMPTS
    for name, screen in menu_set.screens.items():
        assert screen.help.zh and screen.help.en, name
        assert screen.title.zh and screen.title.en, name
    assert {s.kind for s in menu_set.screens.values()} == {"list", "input", "results", "player"}
    assert len(menu_set.categories) == 22
    texts = menu_set.static_texts("en")
    assert "Main menu" in texts and "1 Find a book" in texts
    assert not [t for t in texts if "{" in t]


def test_missing_english_twin_names_file_and_line(menu_copy: Path) -> None:
    line = replace(
        menu_copy / "screens.yaml",
        '{key: "2", label: {zh: "分类浏览", en: "Browse by category"}',
        '{key: "2", label: {zh: "分类浏览"}',
    )
    message = refused(menu_copy)
    assert f"screens.yaml:{line}: screens.main.items.1.label.en: Field required" in message
    assert message.startswith(str(menu_copy))


def test_unknown_action_and_target(menu_copy: Path) -> None:
    line = replace(menu_copy / "screens.yaml", "action: go, target: settings}", "action: go, target: setings}")
    assert f"screens.yaml:{line}: target screen 'setings' does not exist" in refused(menu_copy)
    replace(menu_copy / "screens.yaml", "target: setings}", "target: settings}")
    line = replace(menu_copy / "screens.yaml", "action: device_load}", "action: load_device}")
    assert f"screens.yaml:{line}: screens.book.items.3.action: Input should be" in refused(menu_copy)


def test_missing_prompt_and_field_mismatch(menu_copy: Path) -> None:
    replace(menu_copy / "prompts.yaml", '  goodbye: {zh: "再见，欢迎再来。", en: "Goodbye, come again."}\n', "")
    line = replace(menu_copy / "prompts.yaml", 'en: "{count} found."', 'en: "{n} found."')
    message = refused(menu_copy)
    assert "prompt 'goodbye' is missing" in message
    assert f"prompts.yaml:{line}: prompt 'results_count' has fields ['count'] in zh but ['n'] in en" in message


def test_key_bound_twice_in_a_scope(menu_copy: Path) -> None:
    text = (menu_copy / "keys.yaml").read_text(encoding="utf-8")
    (menu_copy / "keys.yaml").write_text(text.replace('keys: ["9"]', 'keys: ["9", "7"]'), encoding="utf-8")
    line = text[: text.index('keys: ["9"]')].count("\n") + 1
    assert f"keys.yaml:{line}: key '7' is bound twice in scope 'player'" in refused(menu_copy)


def test_yaml_syntax_error_has_its_line(menu_copy: Path) -> None:
    line = replace(menu_copy / "categories.yaml", '  B: {zh: "哲学、宗教"', '  B: {zh: "哲学、宗教"]')
    assert f"categories.yaml:{line}: YAML" in refused(menu_copy)


def test_screen_defined_twice_across_files(menu_copy: Path) -> None:
    (menu_copy / "extra.yaml").write_text(
        "screens:\n  settings:\n    kind: list\n    title: {zh: 设置, en: Settings}\n"
        "    help: {zh: 帮助, en: Help}\n    items: [{key: '1', label: {zh: 快, en: Fast}, action: speed_up}]\n",
        encoding="utf-8",
    )
    line = (menu_copy / "screens.yaml").read_text(encoding="utf-8").splitlines().index("  settings:") + 1
    assert f"screens.yaml:{line}: 'screens.settings' is defined twice (first at extra.yaml:2)" in refused(menu_copy)


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    assert "no .yaml menu files" in refused(tmp_path)


def test_doctor_checks_the_menu_definitions(menu_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accessible_reader.doctor import check_voice_menus

    monkeypatch.setenv("ACCESSIBLE_READER_MENU_DIR", str(menu_copy))
    status = check_voice_menus()
    assert status.ok and "17 screens" in status.detail and not status.required
    line = replace(menu_copy / "screens.yaml", "start: main", "start: mian")
    status = check_voice_menus()
    assert not status.ok
    assert f"screens.yaml:{line}: start screen 'mian' does not exist" in status.detail


def test_items_out_of_key_order_are_refused(menu_copy: Path) -> None:
    line = replace(
        menu_copy / "screens.yaml",
        '      - {key: "9", label: {zh: "结束并评价"',
        '      - {key: "0", label: {zh: "结束并评价"',
    )
    message = refused(menu_copy)
    assert f"screens.yaml:{line}: screens.main.items.8.key: String should match pattern" in message
    text = (
        (menu_copy / "screens.yaml")
        .read_text(encoding="utf-8")
        .replace('{key: "0", label: {zh: "结束并评价"', '{key: "5", label: {zh: "结束并评价"')
    )
    (menu_copy / "screens.yaml").write_text(text, encoding="utf-8")
    assert f"screens.yaml:{line}: key 5 is used twice on screen 'main'" in refused(menu_copy)
    line = replace(
        menu_copy / "screens.yaml",
        '      - {key: "8", label: {zh: "设置"',
        '      - {key: "9", label: {zh: "设置"',
    )
    text = (
        (menu_copy / "screens.yaml")
        .read_text(encoding="utf-8")
        .replace('{key: "5", label: {zh: "结束并评价"', '{key: "8", label: {zh: "结束并评价"')
    )
    (menu_copy / "screens.yaml").write_text(text, encoding="utf-8")
    assert "items of 'main' must be in key order" in refused(menu_copy)
