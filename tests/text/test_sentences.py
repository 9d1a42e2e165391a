"""Sentence splitting and script detection for Chinese and English."""

from __future__ import annotations

import pytest

from accessible_reader.text.sentences import detect_language, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天天气很好。我们去图书馆。", ["今天天气很好。", "我们去图书馆。"]),
        ("真的吗？是的！先借书；再还书。", ["真的吗？", "是的！", "先借书；", "再还书。"]),
        ("他想了想……终于开口。", ["他想了想……", "终于开口。"]),
        ("他说：“你好。”然后走了。", ["他说：“你好。”", "然后走了。"]),
        ("「走吧。」他说。『好。』", ["「走吧。」", "他说。", "『好。』"]),
        ("书名是《读者》。（完。）后记。", ["书名是《读者》。", "（完。）", "后记。"]),
        ("“真的吗？！”她问。", ["“真的吗？！”", "她问。"]),
        ("圆周率约等于3.14，每年4.23是世界读书日。", ["圆周率约等于3.14，每年4.23是世界读书日。"]),
        ("你好?我很好!谢谢。", ["你好?", "我很好!", "谢谢。"]),
        ("请访问 http://example.com/a?b=1 查询。", ["请访问 http://example.com/a?b=1 查询。"]),
        ("没有标点的一句话", ["没有标点的一句话"]),
        ("结束了。”", ["结束了。”"]),
        ("她说 Hello. 然后笑了。", ["她说 Hello. 然后笑了。"]),
        ("  前后有空格。  ", ["前后有空格。"]),
        ("等等...然后呢", ["等等...", "然后呢"]),
    ],
)
def test_chinese(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith went home. He was tired.", ["Mr. Smith went home.", "He was tired."]),
        ("Bring fruit, e.g. apples. Then eat.", ["Bring fruit, e.g. apples.", "Then eat."]),
        ("I met J. Smith today. He reads Braille.", ["I met J. Smith today.", "He reads Braille."]),
        ("Pi is 3.14 and e is 2.72. Both are constants.", ["Pi is 3.14 and e is 2.72.", "Both are constants."]),
        ("Is it open? Yes! Come in.", ["Is it open?", "Yes!", "Come in."]),
        ('He said "Go." Then he left.', ['He said "Go."', "Then he left."]),
        ("Wait... what happened?", ["Wait...", "what happened?"]),
        ("See Dr. Lee at 5.30 today", ["See Dr. Lee at 5.30 today"]),
        ("Visit www.example.com today. Bye.", ["Visit www.example.com today.", "Bye."]),
        # words ending in "p" are not the abbreviation "p."
        ("Wake up. It is late. Stop. Go.", ["Wake up.", "It is late.", "Stop.", "Go."]),
        ("See pp. 4-5 (e.g. the index). Done.", ["See pp. 4-5 (e.g. the index).", "Done."]),
    ],
)
def test_english(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_gives_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


@pytest.mark.parametrize(
    "text",
    ["今天。明天！后天？", "。。。", "！？", "Hi. Bye!", "“”", "第一章 起。"],
)
def test_sentences_are_never_empty_and_keep_all_text(text: str) -> None:
    sentences = split_sentences(text)
    assert sentences
    assert all(s.strip() == s and s for s in sentences)
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("鹿寨县图书馆", "zh"),
        ("鹿寨縣圖書館", "zh"),
        ("The library", "en"),
        ("Python 编程", "zh"),  # any Chinese character makes it Chinese
        ("㐀", "zh"),  # CJK Extension A
        ("𠀀", "zh"),  # CJK Extension B
        ("2021-11-01", "zh"),  # neither script: the service's main language
        ("", "zh"),
        ("Ünïcödé", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language
