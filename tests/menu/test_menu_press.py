"""Press and hear: every screen of voice_menus/, driven key by key against the real catalog.

The menu's ports are the real catalog adapter and real on-disk positions/bookmarks/ratings; only the
layers behind login, loans, Braille, device and delivery are stand-ins (conftest.StandInServices),
and LocalServices' own answers for those are checked at the end.
"""

from __future__ import annotations

import json
from pathlib import Path

from menu_helpers import GUIDE, RECORDS, FakeClock, StandInServices

from accessible_reader.menu.adapters import CatalogLibrary, LocalServices
from accessible_reader.menu.definitions import MenuSet
from accessible_reader.menu.ports import GUEST
from accessible_reader.menu.runtime import Menu

GUIDE_TITLE = "鹿寨县图书馆无障碍阅览室使用指南"
FIRST = "本指南介绍鹿寨县图书馆无障碍阅览室的设备、服务和借阅办法，供视障读者及其家人、志愿者参考。"
SECOND = "无障碍阅览室位于图书馆一楼东侧，从正门进入后沿盲道向右走约二十米即到。"
THIRD = "阅览室每周二至周日开放，开放时间为上午9:00至下午5:30，法定节假日另行通知。"
MAIN_ITEMS = [
    "1 查找图书",
    "2 分类浏览",
    "3 新书",
    "4 好书推荐",
    "5 我的书签",
    "6 我的借阅",
    "7 读者登录",
    "8 设置",
    "9 结束并评价",
]
BOOK_ITEMS = ["1 听书", "2 书目信息", "3 盲文打印", "4 装入听书机", "5 送书上门", "6 这本书的书签"]


def services_path(services: LocalServices) -> Path:
    return services.state_file


def open_guide(menu: Menu) -> None:
    for key in "1", "l", "z", "x", "t", "enter":
        menu.press(key)
    assert menu.press("1") == ["图书", GUIDE_TITLE, *BOOK_ITEMS]


def test_start_speaks_welcome_and_main_menu(
    menu_set: MenuSet, library: CatalogLibrary, services: StandInServices
) -> None:
    menu = Menu(menu_set, library, services)
    response = menu.start()
    assert response.utterances == ["欢迎来到鹿寨县图书馆阅览室。按斜杠键或H键听帮助。", "主菜单", *MAIN_ITEMS]
    assert menu.screen_name == "main"


def test_main_arrows_move_with_edges_repeat_help_and_where(menu: Menu) -> None:
    assert menu.respond("up").earcon == "edge"
    assert menu.press("up") == ["1 查找图书"]
    assert menu.press("down") == ["2 分类浏览"]
    assert menu.press("*") == ["2 分类浏览"]
    assert menu.press("0") == ["你在主菜单。", "第2项，共9项。"]
    assert menu.press("h")[0].startswith("按数字键选择")
    assert menu.press("/") == menu.press("h")
    assert menu.press("backspace") == ["主菜单"]  # nothing above the main menu
    response = menu.respond("x")
    assert response.utterances == ["这个键在这里没有用。"] and response.earcon == "error"


def test_search_echoes_each_key_and_finds_by_pinyin_initials(menu: Menu) -> None:
    assert menu.press("1") == ["查找图书", "请输入书名或作者，可以打汉字、全拼或拼音首字母，按回车查找。"]
    assert menu.screen_name == "search"
    assert menu.press("enter") == ["还没有输入。"]
    assert [menu.press(k) for k in "lzx"] == [["l"], ["z"], ["x"]]
    assert menu.press("8") == ["8"]  # on an input screen digits are typed, not commands
    assert menu.press("backspace") == ["删除8"]
    assert menu.press("enter") == [
        "查找结果",
        "找到2项。",
        "1 鹿寨县志，鹿寨县地方志编纂委员会，只有书目",
        f"2 {GUIDE_TITLE}",
    ]
    assert menu.screen_name == "search_results"
    assert menu.press("down") == [f"2 {GUIDE_TITLE}"]
    assert menu.respond("down").earcon == "edge"
    assert menu.press("backspace") == ["查找图书"]


def test_search_by_characters_and_full_pinyin(menu: Menu) -> None:
    for key in ["1", *"luotuo", "enter"]:
        spoken = menu.press(key)
    assert spoken == ["查找结果", "找到1项。", "1 骆驼祥子，老舍，只有书目"]
    menu.press("escape")
    menu.press("escape")
    for key in ["1", *"边城", "enter"]:
        spoken = menu.press(key)
    assert spoken[-1] == "1 边城，沈从文，只有书目"
    menu.press("escape")
    for key in ["1", *"qqqq", "enter"]:
        spoken = menu.press(key)
    assert spoken == ["查找结果", "没有找到。"]


def test_scan_without_the_index_matches_initials_pinyin_and_characters(library: CatalogLibrary) -> None:
    assert [h.title for h in library.scan("lzx")] == [GUIDE_TITLE, "鹿寨县志"]
    assert [h.title for h in library.scan("luotuo")] == ["骆驼祥子"]
    assert [h.title for h in library.scan("老舍")] == ["骆驼祥子"]
    assert [h.title for h in library.scan("hemingway")] == ["The Old Man and the Sea"]
    assert library.scan("  ") == []


def test_categories_then_books_of_a_class(menu: Menu) -> None:
    assert menu.press("2") == ["分类浏览", "找到2项。", "1 文学，4本", "2 历史、地理，1本"]
    assert menu.press("2") == ["本类图书", "找到1项。", "1 鹿寨县志，鹿寨县地方志编纂委员会，只有书目"]
    assert menu.screen_name == "category_books"
    assert menu.press("1")[:2] == ["图书", "鹿寨县志，鹿寨县地方志编纂委员会"]


def test_new_books_newest_first_and_recommended_falls_back_to_them(menu: Menu) -> None:
    spoken = menu.press("3")
    assert spoken[:3] == ["新书", "找到6项。", f"1 {GUIDE_TITLE}"]
    assert menu.screen_name == "new_books"
    menu.press("escape")
    recommended = menu.press("4")  # no book has a rating in this catalog: the newest books
    assert recommended == ["好书推荐", *spoken[1:]]
    assert menu.screen_name == "recommended"
    assert menu.press("1") == ["图书", GUIDE_TITLE, *BOOK_ITEMS]


def test_recommended_lists_the_best_rated_book_first(
    menu_set: MenuSet, tmp_path: Path, services: StandInServices
) -> None:
    from sqlalchemy.orm import Session

    from accessible_reader.catalog.db import make_engine
    from accessible_reader.catalog.records import read_records
    from accessible_reader.catalog.service_models import RatingRow, ReaderRow
    from accessible_reader.catalog.store import CatalogStore
    from accessible_reader.document.ingest import ingest_path
    from accessible_reader.settings import Settings

    engine = make_engine(Settings(data_dir=tmp_path))
    store = CatalogStore(engine)
    store.save_book(ingest_path(GUIDE), source_name=GUIDE.name)
    store.import_records(read_records(RECORDS))
    library = CatalogLibrary(engine)
    by_title = {h.title: h.id for h in library.new_books()}
    with Session(engine) as session, session.begin():
        reader = ReaderRow(card_number="45020009", name="周红", pin_hash="x")
        session.add(reader)
        session.flush()
        scores = [("边城", 5), ("边城", 4), ("鹿寨县志", 5), ("骆驼祥子", 2), ("不在馆藏", 5)]
        session.add_all(RatingRow(reader_id=reader.id, book_id=by_title.get(t, t), score=s) for t, s in scores)
        session.add(RatingRow(reader_id=reader.id, book_id=None, score=1, comment="menu"))  # a session rating
    assert [h.title for h in library.recommended(4)] == ["鹿寨县志", "边城", "骆驼祥子", GUIDE_TITLE]

    menu = Menu(menu_set, library, services, voice_name="espeak")
    menu.start()
    spoken = menu.press("4")
    assert spoken[:4] == [
        "好书推荐",
        "找到6项。",
        "1 鹿寨县志，鹿寨县地方志编纂委员会，只有书目",
        "2 边城，沈从文，只有书目",
    ]
    assert spoken[4:6] == ["3 骆驼祥子，老舍，只有书目", f"4 {GUIDE_TITLE}"]
    assert menu.press("2")[:2] == ["图书", "边城，沈从文"]


def test_book_screen_record_actions(menu: Menu, services: StandInServices) -> None:
    open_guide(menu)
    assert menu.press("2") == [f"书名：{GUIDE_TITLE}"]
    response = menu.respond("3")
    assert response.utterances == [f"《{GUIDE_TITLE}》已加入盲文打印队列，进度百分之0。再按3键可以听进度。"]
    assert response.earcon == "success"
    services.progress = 40
    assert menu.press("3") == [f"《{GUIDE_TITLE}》的盲文正在制作，进度百分之40。"]
    services.progress = 100
    assert menu.press("3") == [f"《{GUIDE_TITLE}》的盲文已经做好，请到服务台领取。"]
    assert services.calls.count(("braille", "gf2018")) == 1  # asking again did not queue again
    assert menu.press("4") == [f"《{GUIDE_TITLE}》已装进U盘 READER。"]
    assert menu.press("5") == ["请先在主菜单登录读者证。"]  # delivery needs a reader
    assert menu.press("6") == ["这本书的书签", "没有找到。"]
    assert menu.press("backspace") == ["图书", "6 这本书的书签"]
    assert ("braille", "gf2018") in services.calls


def test_book_info_of_a_catalog_record_is_the_spoken_record(menu: Menu) -> None:
    for key in "1", "b", "i", "a", "n", "enter", "1":
        menu.press(key)
    assert menu.press("2") == [
        "书名：边城；作者：沈从文；出版社：人民文学出版社；出版年：2005；索书号：I246.5；ISBN：978-7-02-005214-9；"
        "主题：中篇小说－中国－现代；摘要：湘西小城茶峒里翠翠的爱情故事。"
    ]
    no_text = "《边城》只有书目，没有全文，不能朗读、制作盲文或装入听书机。"
    assert menu.press("1") == [no_text]
    assert menu.press("3") == [no_text]
    assert menu.respond("4").earcon == "error"
    assert menu.screen_name == "book"


def test_player_reads_on_and_navigates_like_a_daisy_player(menu: Menu) -> None:
    open_guide(menu)
    assert menu.press("1") == [GUIDE_TITLE, FIRST]
    assert menu.screen_name == "player" and menu.playing
    assert menu.advance().utterances == [SECOND]
    assert menu.advance().utterances == [THIRD]
    assert menu.press("4") == [SECOND]  # previous sentence
    assert menu.press("6") == [THIRD]
    assert menu.press("8") == ["按段落跳转"]
    assert menu.press("6") == ["阅览室配备盲文图书、大字本图书、盲人阅读电脑、听书机和助视器等设备。"]
    assert menu.press("8") == ["按标题跳转"]
    assert menu.press("6") == ["1.盲人阅读电脑", "电脑装有读屏软件和本馆的语音菜单。"]
    assert menu.press("6") == ["2.听书机", "听书机可以外借，每位读者一次可借一台，借期三十天。"]
    assert menu.press("4") == ["1.盲人阅读电脑", "电脑装有读屏软件和本馆的语音菜单。"]
    assert menu.press("8") == ["按页跳转"]
    assert menu.respond("8").earcon == "edge"  # no coarser level
    assert menu.press("6") == ["这本书没有印刷页码。"]
    for expected in ("按标题跳转", "按段落跳转", "按句跳转"):
        assert menu.press("2") == [expected]
    assert menu.respond("2").earcon == "edge"


def test_player_play_pause_time_skip_and_end_of_book(menu: Menu) -> None:
    open_guide(menu)
    menu.press("1")
    assert menu.press("5") == ["暂停"]
    assert not menu.playing and menu.advance().utterances == []
    assert menu.press("enter") == [FIRST]
    assert menu.playing
    assert menu.press("0") == [GUIDE_TITLE, "已听0分0秒，还剩1分55秒。"]
    assert menu.advance().utterances == [FIRST]  # the sentence cut by the time question is read again
    spoken = menu.press("9")
    assert spoken[0] == "快进10秒" and spoken[1] != FIRST
    assert menu.press("7") == ["后退10秒", FIRST]
    assert menu.respond("7").earcon == "edge"
    assert menu.respond("4").utterances == ["已经到书的开头。"]
    menu.press("+")
    assert menu.press("0")[1] == "已听0分0秒，还剩1分32秒。"  # time left shrinks with speed 1.25
    for _ in range(200):
        response = menu.advance()
        if response.utterances == ["已经到书的结尾。"]:
            break
    assert response.earcon == "edge" and not menu.playing


def test_player_bookmarks_and_resume_position(menu: Menu, services: StandInServices) -> None:
    open_guide(menu)
    menu.press("1")
    menu.advance()
    assert menu.press("1") == ["已加书签，这本书共有1个书签。"]
    assert services.bookmarks(GUEST)[0].label == "第一章 阅览室简介：无障碍阅览室位于图书馆一楼东侧，从正门进入后沿盲"
    menu.advance()
    assert menu.press("3")[:2] == ["这本书的书签", "找到1项。"]
    assert menu.screen_name == "book_bookmarks" and not menu.playing
    assert menu.press("1") == [SECOND]
    assert menu.screen_name == "player" and menu.playing
    menu.advance()
    assert menu.press("backspace") == ["图书", "1 听书"]  # leaving saves where we are
    assert menu.press("1") == [GUIDE_TITLE, "从上次停下的地方继续：第一章 阅览室简介", THIRD]
    assert menu.book is not None
    state = json.loads((services_path(services)).read_text(encoding="utf-8"))
    assert list(state["positions"]) == [f"guest/{menu.book.id}"]


def test_my_bookmarks_jump_opens_the_book(menu: Menu) -> None:
    open_guide(menu)
    menu.press("1")
    menu.advance()
    menu.press("1")
    for _ in range(4):  # player, book, results, search
        menu.press("escape")
    assert menu.screen_name == "main"
    spoken = menu.press("5")
    assert spoken[:2] == ["我的书签", "找到1项。"]
    assert menu.press("1") == [GUIDE_TITLE, SECOND]
    assert menu.screen_name == "player"


def test_my_bookmarks_in_a_new_session_open_the_right_book(
    menu: Menu, menu_set: MenuSet, library: CatalogLibrary, services: StandInServices
) -> None:
    open_guide(menu)
    menu.press("1")
    menu.advance()
    menu.press("1")
    fresh = Menu(menu_set, library, services)
    fresh.start()
    assert fresh.press("5")[:2] == ["我的书签", "找到1项。"]
    assert fresh.press("1") == [GUIDE_TITLE, SECOND]
    assert fresh.press("0")[0] == "第一章 阅览室简介"


def test_go_to_page_input(menu: Menu) -> None:
    open_guide(menu)
    menu.press("1")
    assert menu.press("g") == ["跳到第几页", "请输入页码，按回车。"]
    assert menu.screen_name == "page_input"
    assert menu.press("1") == ["1"]
    assert menu.press("2") == ["2"]
    assert menu.press("enter") == ["这本书没有第12页。"]
    assert menu.press("backspace") == ["听书", FIRST]  # empty: back to the player
    assert menu.screen_name == "player"


def test_sleep_timer_pauses_when_time_is_up(menu: Menu, clock: FakeClock) -> None:
    open_guide(menu)
    menu.press("1")
    assert menu.press("s") == ["15分钟后自动暂停。"]
    assert menu.advance().utterances == [FIRST]
    clock.now += 14 * 60
    assert menu.advance().utterances == [SECOND]
    clock.now += 60
    response = menu.advance()
    assert response.utterances == ["定时时间到，已暂停。"] and not menu.playing
    assert [menu.press("t") for _ in range(4)] == [
        ["15分钟后自动暂停。"],
        ["30分钟后自动暂停。"],
        ["60分钟后自动暂停。"],
        ["定时暂停已关闭。"],
    ]


def test_login_card_and_pin(menu: Menu, services: StandInServices) -> None:
    assert menu.press("7") == ["读者登录", "请输入读者证号，按回车。"]
    assert [menu.press(k) for k in "1001"] == [["1"], ["0"], ["0"], ["1"]]
    assert menu.press("enter") == ["密码", "请输入密码，按回车。"]
    assert menu.screen_name == "login_pin"
    assert [menu.press(k) for k in "2469"] == [["星号"]] * 4
    assert menu.press("backspace") == ["删除星号"]
    menu.press("8")
    assert menu.respond("enter").utterances == ["登录成功，王芳，你好。"]
    assert menu.screen_name == "main"
    assert menu.reader.id == "1001"
    assert menu.press("6") == ["我的借阅", "找到1项。", "1 骆驼祥子，老舍，只有书目"]


def test_wrong_pin_asks_again(menu: Menu) -> None:
    for key in ["7", *"1001", "enter", *"0000"]:
        menu.press(key)
    response = menu.respond("enter")
    assert response.utterances == ["读者证号或密码不对，请重新输入读者证号。", "读者登录", "请输入读者证号，按回车。"]
    assert response.earcon == "error"
    assert menu.screen_name == "login_card"


def test_loans_need_login(menu: Menu) -> None:
    assert menu.press("6") == ["请先在主菜单登录读者证。"]
    assert menu.screen_name == "main"


def test_local_services_ask_the_guest_to_log_in_for_loans(
    menu_set: MenuSet, library: CatalogLibrary, tmp_path: Path
) -> None:
    from accessible_reader.menu.ports import NeedLogin, Reader

    services = LocalServices(tmp_path / "state.json")
    try:
        services.loans(GUEST)
    except NeedLogin as need:
        assert need.what == "loans"
    else:
        raise AssertionError("the guest has no loans")
    menu = Menu(menu_set, library, services)
    menu.start()
    menu.reader = Reader("45020001", "李明")  # a reader these services do not know: still asked to log in
    response = menu.respond("6")
    assert response.utterances == ["请先在主菜单登录读者证。"]
    assert response.earcon == "error"
    assert menu.screen_name == "main"


def test_settings_speed_language_braille_voice(menu: Menu) -> None:
    assert menu.press("8")[0] == "设置"
    assert menu.press("1") == ["语速1.25倍"]
    assert menu.press("2") == ["语速1倍"]
    for _ in range(4):
        menu.press("-")
    assert menu.speed == 0.5
    assert menu.respond("-").utterances == ["已经是最慢的语速了。"]
    assert menu.press("4") == ["盲文方案：现行盲文"]
    assert menu.press("4") == ["盲文方案：统一英文盲文缩写"]
    assert menu.press("8") == ["声音：电子合成声音", "语速0.5倍"]
    assert menu.respond("5").earcon == "edge"  # only one voice in this menu
    assert menu.press("6") == ["音量百分之150"]
    assert menu.press("6") == ["音量百分之200"]
    assert menu.respond("6").utterances == ["音量已经到头了。"]
    assert menu.press("7") == ["音量百分之150"]
    assert menu.volume == 1.5
    assert menu.press("3") == ["Now speaking English."]
    assert menu.press("0") == ["You are in Settings.", "Item 3 of 8."]
    assert menu.press("backspace") == ["Main menu", "8 Settings"]
    assert menu.press("3")[:2] == ["New books", "6 found."]
    assert menu.screen_name == "new_books"


def test_choosing_among_voices(menu_set: MenuSet, library: CatalogLibrary, services: StandInServices) -> None:
    menu = Menu(menu_set, library, services, voice_name="espeak", voice_names=["espeak", "neural-zh"])
    menu.start()
    menu.press("8")
    assert menu.press("5") == ["声音：自然普通话声音"]
    assert menu.voice_name == "neural-zh"
    assert menu.press("5") == ["声音：电子合成声音"]


def test_english_menu_twin(menu_set: MenuSet, library: CatalogLibrary, services: StandInServices) -> None:
    menu = Menu(menu_set, library, services, lang="en")
    assert menu.start().utterances[:3] == [
        "Welcome to the Luzhai County Library reading room. Press slash or H for help.",
        "Main menu",
        "1 Find a book",
    ]
    spoken = menu.press("4")
    assert spoken[:3] == ["Recommended books", "6 found.", f"1 {GUIDE_TITLE}"]  # no ratings: the newest
    assert spoken[3] == "2 The Old Man and the Sea, Ernest Hemingway, catalog record only"
    menu.press("escape")
    assert menu.press("6") == ["Please log in with your library card from the main menu first."]


def test_key_describer(menu: Menu) -> None:
    assert menu.press(".") == ["按键说明模式：按任意键听它的作用，再按一次点键或K键退出。"]
    assert menu.press("1") == ["在这一屏，1键：查找图书"]
    assert menu.press("up") == ["上一项"]
    assert menu.press("+") == ["加快语速"]
    assert menu.press("q") == ["这个键在这里没有用。"]
    assert menu.screen_name == "main" and menu.speed == 1.0  # nothing was done
    assert menu.press("k") == ["退出按键说明模式。"]
    open_guide(menu)
    menu.press("1")
    menu.press(".")
    assert menu.press("7") == ["后退十秒"]
    assert menu.press("8") == ["跳转单位变大：句、段落、标题、页"]
    assert menu.press("0") == ["当前位置、已听和剩余时间"]


def test_rating_ends_the_session_and_is_stored(menu: Menu, services: StandInServices) -> None:
    assert menu.press("9") == [
        "请为这次服务打分",
        "一到五分，五分最满意。按退格键不评价直接返回。",
        "1 一分，很不满意",
        "2 二分，不满意",
        "3 三分，一般",
        "4 四分，满意",
        "5 五分，很满意",
    ]
    response = menu.respond("5")
    assert response.utterances == ["谢谢你的评价：5分。", "再见，欢迎再来。"]
    assert response.quit
    state = json.loads(services_path(services).read_text(encoding="utf-8"))
    assert [r["stars"] for r in state["ratings"]] == [5]


def test_walk_visits_every_screen(menu: Menu, menu_set: MenuSet) -> None:
    keys = [
        *"1lzxt", "enter", "1", "1", "g", "escape", "3", "escape", "escape", "6", "escape", "escape", "escape",
        "escape", "2", "1", "escape", "escape", "3", "escape", "5", "escape", "7", "1", "enter", "escape",
        "escape", "6", "8", "escape", "4", "escape", "9",
    ]  # fmt: skip
    seen = {menu.screen_name}
    for key in keys:
        menu.press(key)
        seen.add(menu.screen_name)
    assert menu.screen_name == "rating"
    missing = set(menu_set.screens) - seen - {"my_loans"}
    assert not missing  # my_loans needs a logged-in reader; see test_menu_service_adapters
    assert menu.press("4")[0] == "谢谢你的评价：4分。"


def test_local_services_say_what_is_not_built(tmp_path: Path) -> None:
    services = LocalServices(tmp_path / "state.json")
    from accessible_reader.menu.ports import NotAvailable

    for call, feature in [
        (lambda: services.login("1", "2"), "feature.login"),
        (lambda: services.queue_braille(GUEST, "b", "gf2018"), "feature.braille"),
        (lambda: services.load_device(GUEST, "b"), "feature.device"),
        (lambda: services.request_delivery(GUEST, "b"), "feature.delivery"),
    ]:
        try:
            call()
        except NotAvailable as missing:
            assert missing.feature == feature
        else:
            raise AssertionError(f"{feature} should not be available")


def test_go_to_page_and_page_navigation_in_a_paged_book(
    menu_set: MenuSet, library: CatalogLibrary, services: StandInServices
) -> None:
    from test_menu_cursor import paged_book

    from accessible_reader.document.model import Book

    class PagedLibrary(CatalogLibrary):
        def open_book(self, book_id: str) -> Book:
            book = paged_book()
            return Book(book_id, book.metadata, book.sections)

    paged = PagedLibrary(library._engine)
    menu = Menu(menu_set, paged, services)
    menu.start()
    open_guide(menu)
    assert menu.press("1") == [GUIDE_TITLE, "一二三四五六七八九十1。"]
    menu.press("g")
    menu.press("3")
    assert menu.press("enter") == ["第3页", "一二三四五六七八九十5。"]
    assert menu.screen_name == "player" and menu.playing
    assert menu.press("0") == ["第二章，第3页", "已听0分9秒，还剩0分2秒。"]
    for _ in range(3):
        menu.press("8")
    assert menu.press("4") == ["第2页", "一二三四五六七八九十3。"]
    assert menu.press("4") == ["第1页", "一二三四五六七八九十1。"]
    assert menu.respond("4").earcon == "edge"
