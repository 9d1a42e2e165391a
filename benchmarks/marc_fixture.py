"""Generate a deterministic ISO 2709 file of mixed CNMARC and MARC 21 records, for benchmarks and tests.

Import with ``benchmarks/`` on ``sys.path`` (``from marc_fixture import make_marc_file``) or
run it: ``.venv/bin/python benchmarks/marc_fixture.py OUT.mrc 10000``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from pymarc import Field, Indicators, Record, Subfield

_ZH_TITLES = ("骆驼祥子", "边城", "平凡的世界", "围城", "活着", "红高粱家族", "鹿寨县志", "长征", "呐喊", "家")
_ZH_OTHER = ("", "", "修订版", "插图本", "大字版")
_ZH_AUTHORS = ("老舍", "沈从文", "路遥", "钱钟书", "余华", "莫言", "鲁迅", "巴金", "王树增", "张爱玲")
_ZH_PUBLISHERS = ("人民文学出版社", "广西人民出版社", "北京十月文艺出版社", "作家出版社", "漓江出版社")
_CLC = ("I246.5", "I247.5", "K296.74", "I210.4", "I246.57", "D231")
_ZH_SUBJECTS = (
    (("a", "长篇小说"), ("y", "中国"), ("z", "现代")),
    (("a", "中篇小说"), ("y", "中国"), ("z", "当代")),
    (("a", "地方志"), ("y", "鹿寨县")),
    (("a", "散文集"),),
)
_EN_TITLES = ("The old man and the sea", "Moby Dick", "Pride and prejudice", "Walden", "Leaves of grass")
_EN_SUBTITLES = ("", "", "a novel", "or, life in the woods")
_EN_AUTHORS = (("Hemingway, Ernest,", "1899-1961."), ("Melville, Herman,", "1819-1891."), ("Austen, Jane,", ""))
_EN_PUBLISHERS = ("Scribner,", "Penguin Books,", "Oxford University Press,")
_LC = (("PS3515.E37", "O4"), ("PS2384", "M6"), ("PR4034", "P7"))
_EN_SUBJECTS = (
    (("a", "Fishers"), ("z", "Cuba"), ("v", "Fiction.")),
    (("a", "Whaling"), ("v", "Fiction.")),
    (("a", "Courtship"), ("z", "England"), ("v", "Fiction.")),
)


def _data(tag: str, indicators: str, *pairs: tuple[str, str]) -> Field:
    """A data field from "12"-style indicators and (code, value) pairs; empty values are left out."""
    subfields = [Subfield(code=c, value=v) for c, v in pairs if v]
    return Field(tag=tag, indicators=Indicators(indicators[0], indicators[1]), subfields=subfields)


def cnmarc_record(rng: random.Random, number: int) -> Record:
    """One CNMARC record (UTF-8, 100$a/26-29 "50"), varied by ``rng``."""
    record = Record(leader="00000nam0 2200000   450 ", force_utf8=True)
    author = rng.choice(_ZH_AUTHORS)
    title = f"{rng.choice(_ZH_TITLES)}{'' if number % 3 else f'（第{number % 7 + 1}卷）'}"
    year = str(1950 + rng.randrange(75))
    isbn = f"978-7-{rng.randrange(10, 99)}-{rng.randrange(100000, 999999)}-{rng.randrange(10)}"
    record.add_field(  # type: ignore[no-untyped-call]
        Field(tag="001", data=f"CN{number:08d}"),
        _data("010", "  ", ("a", isbn), ("d", "CNY39.00")),
        _data("100", "  ", ("a", f"{year}0101d{year}    em y0chiy50      ea")),
        _data("101", "0 ", ("a", "chi")),
        _data("200", "1 ", ("a", title), ("e", rng.choice(_ZH_OTHER)), ("f", f"{author}著")),
        _data("210", "  ", ("a", "北京"), ("c", rng.choice(_ZH_PUBLISHERS)), ("d", year)),
        _data("215", "  ", ("a", f"{rng.randrange(100, 900)}页")),
        _data("330", "  ", ("a", f"本书讲述{author}笔下的人物故事。" * 3)),
        _data("606", "0 ", *rng.choice(_ZH_SUBJECTS)),
        _data("690", "  ", ("a", rng.choice(_CLC)), ("v", "5")),
        _data("701", " 0", ("a", author), ("4", "著")),
        _data("801", " 0", ("a", "CN"), ("b", "鹿寨县图书馆")),
    )
    return record


def marc21_record(rng: random.Random, number: int) -> Record:
    """One MARC 21 record (UTF-8), varied by ``rng``."""
    record = Record(leader="00000cam a2200000 i 4500", force_utf8=True)
    (name, dates), title = rng.choice(_EN_AUTHORS), rng.choice(_EN_TITLES)
    subtitle = rng.choice(_EN_SUBTITLES)
    year = str(1900 + rng.randrange(120))
    lc = rng.choice(_LC)
    title_a = f"{title} :" if subtitle else f"{title} /"
    record.add_field(  # type: ignore[no-untyped-call]
        Field(tag="001", data=f"US{number:08d}"),
        Field(tag="008", data=f"950101s{year}    nyu           000 1 eng d"),
        _data("020", "  ", ("a", f"0{rng.randrange(10**8, 10**9)} (pbk.)")),
        _data("050", "00", ("a", lc[0]), ("b", lc[1])),
        _data("100", "1 ", ("a", name), ("d", dates)),
        _data("245", "14", ("a", title_a), ("b", f"{subtitle} /" if subtitle else "")),
        _data("260", "  ", ("a", "New York :"), ("b", rng.choice(_EN_PUBLISHERS)), ("c", f"{year}.")),
        _data("300", "  ", ("a", f"{rng.randrange(90, 700)} p. ;"), ("c", "21 cm.")),
        _data("520", "  ", ("a", "A classic story retold for every reader. " * 2)),
        _data("650", " 0", *rng.choice(_EN_SUBJECTS)),
    )
    return record


def make_marc_file(path: Path, n: int) -> None:
    """Write ``n`` varied records to ``path`` as ISO 2709 (UTF-8): two CNMARC for every MARC 21.

    Deterministic: the same ``n`` always gives the same bytes.
    """
    rng = random.Random(2709)
    with open(path, "wb") as out:
        for number in range(1, n + 1):
            record = marc21_record(rng, number) if number % 3 == 0 else cnmarc_record(rng, number)
            out.write(record.as_marc())


if __name__ == "__main__":
    make_marc_file(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
