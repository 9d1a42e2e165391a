"""The ``reading`` command, registered on a small typer app as the main CLI will register it."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from accessible_reader.text.cli_reading import reading_command

app = typer.Typer()
app.command("reading")(reading_command)


@app.callback()
def _main() -> None:
    """Make ``reading`` a sub-command rather than the whole app."""


runner = CliRunner()


def test_spoken_reading() -> None:
    result = runner.invoke(app, ["reading", "银行行长还可以"])
    assert result.exit_code == 0, result.output
    assert result.output == "yin2 hang2 hang2 zhang3 hai2 ke2 yi3\n"


def test_letters_are_spelled_and_numbers_read() -> None:
    result = runner.invoke(app, ["reading", "ISBN 978-7-5366-9293-0，2021年"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "I S B N jiu3 qi1 ba1 qi1 wu3 san1 liu4 liu4 jiu3 er4 jiu3 san1 ling2 er4 ling2 er4 yi1 nian2"
    )


def test_orthographic_and_words() -> None:
    result = runner.invoke(app, ["reading", "--orthographic", "我们看了书。"])
    assert result.output.strip() == "wo3men5 kan4le5 shu1。"
    result = runner.invoke(app, ["reading", "--words", "鹿寨县图书馆"])
    assert result.output.strip() == "鹿寨/县/图书馆"


def test_lexicon_option_and_its_errors(tmp_path: Path) -> None:
    good = tmp_path / "lexicon.tsv"
    good.write_text("银行\tyin2 xing2\t测试用\n", encoding="utf-8")
    result = runner.invoke(app, ["reading", "--lexicon", str(good), "银行"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "yin2 xing2"
    bad = tmp_path / "bad.tsv"
    bad.write_text("银行\tyin hang\n", encoding="utf-8")
    result = runner.invoke(app, ["reading", "--lexicon", str(bad), "银行"])
    assert result.exit_code == 2
    assert f"{bad}:1" in result.output
