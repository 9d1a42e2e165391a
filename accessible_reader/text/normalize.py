"""Text normalization: numbers, dates, units and symbols into the Chinese words a listener hears (pure).

``normalize(text)`` rewrites, in this order (each rule sees the output of the ones before, so a
number is rewritten once): full-width forms to ASCII; ISBN/ISSN; telephone numbers; dates; times;
percentages; currency; ranges; units; ordinals (第3章); years (2021年); fractions; plain numbers;
Roman numerals; symbols. What is left (Chinese text, Latin words, punctuation) is kept.

Every regex is compiled once at import; ``normalize`` holds no state and is safe from any thread.
Reading conventions for numbers are in :mod:`accessible_reader.text.numbers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from accessible_reader.text.numbers import (
    decimal_to_zh,
    digits_to_zh,
    int_to_zh,
    roman_to_int,
)

_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "％": "%", "＄": "$", "＋": "+", "－": "-", "＝": "=", "＜": "<", "＞": ">",
        "／": "/", "＆": "&", "＠": "@", "＃": "#", "．": ".", "～": "~",
        "㎡": "m²", "㎥": "m³", "㎞": "km", "㎏": "kg", "㎎": "mg", "㎝": "cm", "㎜": "mm",
        "㎖": "mL", "ℓ": "L", "\u00a0": " ", "\u3000": " ",
    }
)  # fmt: skip
"""Full-width digits, letters and signs as ASCII, unit characters (㎡ ㎏) as letters. The Chinese
colon and comma are punctuation that Braille keeps, so they stay; the rules accept them."""

_NUM = r"\d+(?:\.\d+)?"
_DASH = r"\s*(?:-|~|–|—{1,2}|至|到)\s*"
"""Range signs: hyphen, swung dash, en dash, (double) em dash, and the words 至/到."""

_MEASURE_WORD_TEXT = (
    "个 本 册 套 部 篇 章 节 页 张 份 件 条 项 种 类 所 家 座 栋 间 层 台 辆 架 只 位 名 人 次 回 遍 趟 "
    "天 周 年 岁 小时 分钟 秒钟 倍 万 千 百 亿 元 块 角 毛 米 千米 公里 厘米 吨 千克 公斤 升 克 门 场 批 句 "
    "户 排 行 列 支 根 片 点 把 双 对 枚 颗 盏 幅 首"
)
_MEASURE_WORDS = tuple(sorted(set(_MEASURE_WORD_TEXT.split()), key=len, reverse=True))
"""Measure words and units before which a whole 2 is read 两 (两个, 两本, 两点, 两万)."""
_TWO_BEFORE = re.compile(r"(?<![\d.,])2(?![\d.,])(?=(?:" + "|".join(_MEASURE_WORDS) + r"))(?!年级)")

_UNITS: dict[str, str] = {
    "km/h": "千米每小时", "m/s": "米每秒", "km²": "平方千米", "km2": "平方千米", "m²": "平方米", "m2": "平方米",
    "m³": "立方米", "m3": "立方米", "cm²": "平方厘米", "km": "千米", "cm": "厘米", "mm": "毫米", "m": "米",
    "kg": "千克", "mg": "毫克", "g": "克", "t": "吨", "mL": "毫升", "ml": "毫升", "L": "升",
    "TB": "太字节", "GB": "吉字节", "MB": "兆字节", "KB": "千字节", "kB": "千字节",
    "kWh": "千瓦时", "kW": "千瓦", "W": "瓦", "kHz": "千赫", "MHz": "兆赫", "GHz": "吉赫", "Hz": "赫",
    "h": "小时", "min": "分钟", "s": "秒", "ms": "毫秒", "℃": "摄氏度", "°C": "摄氏度", "℉": "华氏度", "°F": "华氏度",
    "°": "度",
    "dB": "分贝", "V": "伏", "mAh": "毫安时", "dpi": "点每英寸",
}  # fmt: skip
"""Unit symbols after a number, named as in GB 3100-1993 / GB 3102 (千米, 千克, 摄氏度; prefixes
太 T, 吉 G, 兆 M). Single letters that are also words (A, G, M, K) are left out on purpose: 5G, 3A级."""

_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))

_CURRENCY_BEFORE = {"¥": "元", "￥": "元", "$": "美元", "US$": "美元", "€": "欧元", "£": "英镑", "HK$": "港元"}
_CURRENCY_AFTER = {"RMB": "元", "CNY": "元", "USD": "美元", "EUR": "欧元"}

_SYMBOLS = {
    "&": "和", "@": "艾特", "#": "井号", "×": "乘", "÷": "除以", "±": "正负", "≈": "约等于",
    "≤": "小于等于", "≥": "大于等于", "≠": "不等于", "‰": "千分号", "§": "节", "№": "第",
}  # fmt: skip
"""Symbols read as words wherever they stand (names as in 《现代汉语词典》 and school mathematics)."""

_FRACTIONS = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅛": (1, 8)}
_ROMAN_CHARS = {chr(0x2160 + i): i + 1 for i in range(12)} | {chr(0x2170 + i): i + 1 for i in range(12)}
_ZH_NUMERALS = "零〇一二三四五六七八九十百千万亿两"

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _year(digits: str) -> str:
    return digits_to_zh(digits, zero="〇")


def _valid_date(year: str | None, month: str, day: str | None) -> bool:
    if year is not None and not 1000 <= int(year) <= 2999:
        return False
    if not 1 <= int(month) <= 12:
        return False
    return day is None or 1 <= int(day) <= 31


def _number(text: str, *, liang: bool = False) -> str:
    """A decimal or integer, with 两 for a whole 2 when ``liang``."""
    return decimal_to_zh(text, liang=liang)


def _amount(text: str) -> str:
    """Money: trailing zeros after the point are not read (12.50 → 十二点五, 12.00 → 十二)."""
    text = text.replace(",", "")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return decimal_to_zh(text, liang=True)


# --- rules ---------------------------------------------------------------------------------------


def _isbn(m: re.Match[str]) -> str:
    label, body = m.group(1).upper(), m.group(2)
    parts = [digits_to_zh(p).replace("x", "X") for p in re.split(r"[\s\-]+", body) if p]
    return f"{label} " + " ".join(parts)


def _phone(m: re.Match[str]) -> str:
    parts = [digits_to_zh(p, one="幺") for p in re.split(r"[\s\-－—]+", m.group(0)) if p]
    return " ".join(parts)


def _keyword_phone(m: re.Match[str]) -> str:
    parts = [digits_to_zh(p, one="幺") for p in re.split(r"[\s\-－—]+", m.group(3)) if p]
    return m.group(1) + m.group(2) + " ".join(parts)


def _digit_code(m: re.Match[str]) -> str:
    return m.group(1) + m.group(2) + digits_to_zh(m.group(3))


def _full_date(m: re.Match[str]) -> str:
    year = m.group("y") or m.group("y2")
    month = m.group("m") or m.group("m2")
    day = m.group("d") or m.group("d2")
    if not _valid_date(year, month, day):
        return m.group(0)
    return f"{_year(year)}年{int_to_zh(month)}月{int_to_zh(day)}日"


def _year_range(m: re.Match[str]) -> str:
    return f"{_year(m.group(1))}到{_year(m.group(2))}年"


def _time(m: re.Match[str]) -> str:
    hour, minute, second = int(m.group("h")), int(m.group("min")), m.group("s")
    out = ("两" if hour == 2 else int_to_zh(hour)) + "点"
    if minute or second:
        out += ("零" + int_to_zh(minute) if 0 < minute < 10 else int_to_zh(minute)) + "分"
    if second and int(second):
        out += int_to_zh(second) + "秒"

    return out


def _time_range(m: re.Match[str]) -> str:
    return _time_from(m, "a") + "到" + _time_from(m, "b")


def _time_from(m: re.Match[str], which: str) -> str:
    text = m.group(which)
    hour, _, rest = text.partition(":")
    minute, _, second = rest.partition(":")
    fake = _TIME.fullmatch(f"{hour}:{minute}" + (f":{second}" if second else ""))
    return _time(fake) if fake else text


def _percent_range(m: re.Match[str]) -> str:
    return f"百分之{_number(m.group(1))}到百分之{_number(m.group(2))}"


def _percent(m: re.Match[str]) -> str:
    sign = "负" if m.group(1) else ""
    base = "千分之" if m.group(3) == "‰" else "百分之"
    return f"{base}{sign}{_number(m.group(2))}"


def _currency_before(m: re.Match[str]) -> str:
    unit = _CURRENCY_BEFORE[m.group(1)]
    big = m.group(3) or ""
    return _amount(m.group(2)) + big + unit


def _currency_after(m: re.Match[str]) -> str:
    return _amount(m.group(1)) + _CURRENCY_AFTER[m.group(2)]


def _range(m: re.Match[str]) -> str:
    after = m.string[m.end() : m.end() + 2]
    liang = after.startswith(_MEASURE_WORDS) and not after.startswith("年级")
    return f"{_number(m.group(1))}到{_number(m.group(2), liang=liang)}"


def _standard_number(m: re.Match[str]) -> str:
    code = m.group(1).replace("/", " ")
    spaced = " ".join(code.replace(" ", ""))  # letters spelled: G B T
    return f"{spaced} {digits_to_zh(m.group(2).replace('.', '点'))} {_year(m.group(3))}"


def _unit(m: re.Match[str]) -> str:
    sign, number, unit = m.group(1), m.group(2), m.group(3)
    name = _UNITS[unit]
    prefix = ("零下" if unit in ("℃", "℉", "°") else "负") if sign else ""
    return prefix + _number(number, liang=True) + name


def _ordinal(m: re.Match[str]) -> str:
    return m.group(1) + int_to_zh(m.group(2), liang=False)


def _year_only(m: re.Match[str]) -> str:
    return _year(m.group(1)) + "年"


def _labelled_year(m: re.Match[str]) -> str:
    return m.group(1) + m.group(2) + _year(m.group(3))


def _fraction(m: re.Match[str]) -> str:
    numerator, denominator = m.group(1), m.group(2)
    if int(denominator) == 0:
        return m.group(0)
    return f"{int_to_zh(denominator, liang=False)}分之{int_to_zh(numerator, liang=False)}"


def _unicode_fraction(m: re.Match[str]) -> str:
    whole = m.group(1)
    numerator, denominator = _FRACTIONS[m.group(2)]
    head = f"{int_to_zh(whole)}又" if whole else ""
    return f"{head}{int_to_zh(denominator, liang=False)}分之{int_to_zh(numerator, liang=False)}"


def _dotted(m: re.Match[str]) -> str:
    return "点".join(int_to_zh(p) for p in m.group(0).split("."))


def _plain_number(m: re.Match[str]) -> str:
    sign, body = m.group(1), m.group(2)
    plain = body.replace(",", "")
    integer = plain.partition(".")[0]
    if len(integer) > 1 and integer.startswith("0"):
        out = digits_to_zh(plain.replace(".", "点"))
    else:
        out = decimal_to_zh(plain)
    return ("负" if sign else "") + out


def _two(_m: re.Match[str]) -> str:
    return "两"


def _roman_char(m: re.Match[str]) -> str:
    return int_to_zh(_ROMAN_CHARS[m.group(0)], liang=False)


def _roman_heading(m: re.Match[str]) -> str:
    value = roman_to_int(m.group(2))
    if value is None:
        return m.group(0)
    return m.group(1) + int_to_zh(value, liang=False)


def _plus_equals(m: re.Match[str]) -> str:
    return {"+": "加", "=": "等于", "<": "小于", ">": "大于"}[m.group(1)]


def _range_after_number(m: re.Match[str]) -> str:
    return m.group(1) + "到"


def _symbol(m: re.Match[str]) -> str:
    return _SYMBOLS[m.group(0)]


_TIME = re.compile(r"(?<![\d:.])(?P<h>[01]?\d|2[0-3])[:：](?P<min>[0-5]\d)(?:[:：](?P<s>[0-5]\d))?(?![\d:])")
_TIME_ONE = r"(?:[01]?\d|2[0-3])[:：][0-5]\d(?:[:：][0-5]\d)?"
_ZH_NUM_CLASS = "[" + _ZH_NUMERALS + "]"
_SIGN = r"(?:(?<![0-9A-Za-z.\-])(-))?"
"""A minus sign counts only where it cannot be a hyphen (not after a digit or a letter)."""

_RULES: tuple[Rule, ...] = (
    (
        re.compile(
            r"(?<![A-Za-z])(ISBN|ISSN|isbn|issn)(?:-1[03])?\s*[:：]?\s*"
            r"([0-9][0-9Xx\- ]{6,20}[0-9Xx])(?![0-9A-Za-z])"
        ),
        _isbn,
    ),
    (
        re.compile(r"(?<![A-Za-z])(GB/T|GB/Z|GB|ISO|WH/T|JGJ|DB)\s*(\d+(?:\.\d+)*)\s*[-—]\s*(\d{4})(?!\d)"),
        _standard_number,
    ),
    (
        re.compile(r"(电话|热线|拨打|传真|手机号码?|座机|Tel|TEL|tel)(\s*[:：]?\s*)(\d[\d\-－— ]{1,20}\d)"),
        _keyword_phone,
    ),
    (re.compile(r"(?<![\d\-])(?:1[3-9]\d[\- ]?\d{4}[\- ]?\d{4}|0\d{2,3}[\-－—]\d{7,8})(?![\d\-])"), _phone),
    (
        re.compile(r"(编号|邮编|邮政编码|卡号|账号|证号|学号|工号|代码|No\.|NO\.|no\.)(\s*[:：]?\s*)(\d{2,})"),
        _digit_code,
    ),
    (
        re.compile(
            r"(?<![\d.])(?P<y>\d{4})(?P<sep>[\-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d])(?:日|号)?"
            r"|(?<![\d.])(?P<y2>\d{4})年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日号]"
        ),
        _full_date,
    ),
    (re.compile(r"(?<![\d.])(\d{4})" + _DASH + r"(\d{4})\s*年"), _year_range),
    (re.compile(r"(?P<a>" + _TIME_ONE + r")" + _DASH + r"(?P<b>" + _TIME_ONE + r")(?![\d:])"), _time_range),
    (_TIME, _time),
    (re.compile(r"(" + _NUM + r")%?" + _DASH + r"(" + _NUM + r")%"), _percent_range),
    (re.compile(_SIGN + r"(" + _NUM + r")\s*([%‰])"), _percent),
    (
        re.compile(r"(US\$|HK\$|[¥￥$€£])\s*(\d[\d,]*(?:\.\d+)?)\s*(万|亿|千|百)?(?:元)?"),
        _currency_before,
    ),
    (re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(RMB|CNY|USD|EUR)(?![A-Za-z])"), _currency_after),
    (
        re.compile(r"(?<![\d.\-:/])(" + _NUM + r")\s*(?:-|~|–|—{1,2}|至)\s*(" + _NUM + r")(?![\d.:/])(?!\s*=)"),
        _range,
    ),
    (re.compile(_SIGN + r"(?<![\d.])(" + _NUM + r")\s?(" + _UNIT_RE + r")(?![A-Za-z²³])"), _unit),
    (re.compile(r"(第|初)\s*(\d+)"), _ordinal),
    (re.compile(r"(?<![\d.])([12]\d{3})\s*年(?!级|代)"), _year_only),
    # a catalog field such as 出版年：2000 is a year although 年 does not follow the number
    (re.compile(r"(出版年|出版年份|年份|年度|出版时间|出版日期)(\s*[:：]\s*)([12]\d{3})(?![\d.])"), _labelled_year),
    (re.compile(r"(?<![\d/.])(\d{1,6})\s*/\s*(\d{1,6})(?![\d/.])"), _fraction),
    (re.compile(r"(\d*)([" + "".join(_FRACTIONS) + r"])"), _unicode_fraction),
    (re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}(?![\d.])"), _dotted),
    (_TWO_BEFORE, _two),
    (re.compile(_SIGN + r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"), _plain_number),
    (re.compile("[" + "".join(_ROMAN_CHARS) + "]"), _roman_char),
    (re.compile(r"(第|^)([IVXLC]{1,7})(?=[章节卷部篇编册、.．]|\s*$)", re.MULTILINE), _roman_heading),
    (re.compile(r"(?<=" + _ZH_NUM_CLASS + r")\s*([+=<>])\s*(?=" + _ZH_NUM_CLASS + r")"), _plus_equals),
    (re.compile(r"(" + _ZH_NUM_CLASS + r")\s*[~～]\s*(?=" + _ZH_NUM_CLASS + r")"), _range_after_number),
    (re.compile("[" + re.escape("".join(_SYMBOLS)) + "]"), _symbol),
)


def normalize(text: str) -> str:
    """Rewrite numbers, dates, times, units and symbols as Chinese words; keep everything else.

    ``normalize("2021年11月1日")`` → ``"二〇二一年十一月一日"``; ``normalize("50%")`` → ``"百分之五十"``.
    Pure and thread-safe; the output has no ASCII digits left except inside Latin words.
    """
    text = text.translate(_FULLWIDTH)
    if not _NEEDS_WORK.search(text):
        return text
    for pattern, handler in _RULES:
        text = pattern.sub(handler, text)
    return text


_NEEDS_WORK = re.compile("[0-9IVXLC" + re.escape("".join(_SYMBOLS)) + "".join(_ROMAN_CHARS) + "".join(_FRACTIONS) + "]")
