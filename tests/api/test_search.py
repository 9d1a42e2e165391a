"""Catalog search: keys, query building, and searches against real SQLite FTS5 (and the LIKE fallback)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import text

from accessible_reader.catalog.db import make_engine
from accessible_reader.catalog.records import CatalogRecord
from accessible_reader.catalog.search import CatalogSearch, fts_query, search_keys, split_pinyin
from accessible_reader.catalog.store import CatalogStore
from accessible_reader.document.model import BookMetadata
from accessible_reader.settings import Settings

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "search_queries.tsv"
CATALOG = [
    ("1", "骆驼祥子", ["老舍"], ["长篇小说"], "人力车夫祥子在北平的遭遇。"),
    ("2", "鹿寨县志", ["鹿寨县地方志编纂委员会"], ["地方志", "鹿寨县"], "鹿寨县的历史、地理和人物。"),
    ("3", "茶馆", ["老舍"], ["话剧"], "裕泰茶馆五十年的变迁。"),
    ("4", "活着", ["余华"], ["长篇小说"], "福贵的一生。"),
    ("5", "The Old Man and the Sea", ["Ernest Hemingway"], ["fiction"], "An old fisherman and a marlin."),
    ("6", "长征", ["王树增"], ["历史"], "红军长征的记录。"),
    ("7", "中华人民共和国盲人读物", ["中国盲文出版社"], ["盲文"], "盲人读物目录。"),
]


def _record(number: str, title: str, authors: list[str], subjects: list[str], summary: str) -> CatalogRecord:
    metadata = BookMetadata(title=title, authors=tuple(authors), subjects=tuple(subjects), summary=summary)
    return CatalogRecord(metadata=metadata, control_number=number, source_format="csv", raw="")


@pytest.fixture(scope="module")
def search(tmp_path_factory: pytest.TempPathFactory) -> CatalogSearch:
    engine = make_engine(Settings(data_dir=tmp_path_factory.mktemp("search")))
    CatalogStore(engine).import_records([_record(*row) for row in CATALOG])
    found = CatalogSearch(engine)
    assert found.sync() == len(CATALOG)
    assert found.sync() == 0  # idempotent
    return found


def _golden() -> list[tuple[str, str]]:
    with GOLDEN.open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle, delimiter="\t") if r and not r[0].startswith("#")]
    return [(query, expected) for query, expected in rows]


@pytest.mark.parametrize(("query", "expected"), _golden())
def test_golden_queries_find_the_expected_title_first(search: CatalogSearch, query: str, expected: str) -> None:
    hits = search.search(query, limit=5)
    if expected == "-":
        assert hits == []
    else:
        assert hits, f"{query!r} found nothing"
        assert hits[0].title == expected


def test_search_keys_of_a_title() -> None:
    keys = search_keys("骆驼祥子", ["老舍"], ["长篇小说"])
    assert keys.ngrams == "骆驼 驼祥 祥子 子 老舍 舍"
    assert keys.pinyin == "luotuo tuoxiang xiangzi zi laoshe she"
    assert keys.initials.split() == ["ltxz", "ls", "lsh"]
    assert "长篇" in keys.extra.split()


def test_split_pinyin_prefers_whole_syllables_and_allows_a_prefix_at_the_end() -> None:
    assert split_pinyin("luotuoxiangzi") == ["luo", "tuo", "xiang", "zi"]
    assert split_pinyin("luotuoxia") == ["luo", "tuo", "xia"]
    assert split_pinyin("luotuoxian") == ["luo", "tuo", "xian"]
    assert split_pinyin("luotuox") == ["luo", "tuo", "x"]
    assert split_pinyin("qqq") is None


def test_fts_query_quotes_reader_input() -> None:
    assert fts_query('"; DROP TABLE') is not None
    assert fts_query("***") is None
    assert fts_query("骆驼祥子") == '({ngrams} : ("骆驼 驼祥 祥子"))'
    assert (
        fts_query("luotuoxia")
        == '({ngrams} : ("luotuoxia" *)) OR (pinyin : "luotuo tuoxia" *) OR (initials : "luotuoxia" *)'
    )


def test_hostile_queries_do_not_fail(search: CatalogSearch) -> None:
    for query in ['"', "AND OR NOT", "NEAR(a b)", "*", "骆驼 OR", "a" * 200, "(", "'", "\x00"]:
        search.search(query)


def test_format_filter_needs_every_format(search: CatalogSearch) -> None:
    engine = search._engine
    with engine.begin() as connection:
        connection.execute(text("UPDATE search_entries SET formats = 'audio daisy' WHERE title = '茶馆'"))
        connection.execute(text("UPDATE search_entries SET formats = 'audio' WHERE title = '骆驼祥子'"))
    assert {h.title for h in search.search("老舍", formats=["audio"])} == {"骆驼祥子", "茶馆"}
    assert [h.title for h in search.search("老舍", formats=["audio", "daisy"])] == ["茶馆"]
    assert [h.title for h in search.search("", formats=["daisy"])] == ["茶馆"]
    assert search.search("老舍", formats=["nonsense"]) == []
    assert search.search("") == []


def test_like_fallback_finds_the_same_books(search: CatalogSearch) -> None:
    portable = CatalogSearch(search._engine)
    portable._fts = False  # what PostgreSQL gets
    assert portable.search("骆驼")[0].title == "骆驼祥子"
    assert portable.search("luotuo xiangzi")[0].title == "骆驼祥子"
    assert portable.search("ltxz")[0].title == "骆驼祥子"
    assert {h.title for h in portable.search("ls")} == {"骆驼祥子", "茶馆"}


def test_reindex_after_an_update(search: CatalogSearch) -> None:
    engine = search._engine
    with engine.begin() as connection:
        connection.execute(text("UPDATE catalog_records SET title = '四世同堂' WHERE control_number = '3'"))
        record_id = connection.execute(text("SELECT id FROM catalog_records WHERE control_number = '3'")).scalar_one()
    search.reindex_records([record_id])
    assert search.search("sstt")[0].title == "四世同堂"
    assert all(h.title != "茶馆" for h in search.search("茶馆"))
