"""``accessible-reader reading TEXT``: print how the service will read a text (for proofreading).

Register on the main typer app with ``app.command("reading")(reading_command)``.

Prints one line: the spoken reading (tone-numbered pinyin, 5 = neutral tone, Latin runs as spoken,
upper-case abbreviations spelled ``I S B N``); ``--orthographic`` prints the Braille reading
(citation tones, words joined per 汉语拼音正词法); ``--words`` the segmentation (``银行/行长``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accessible_reader.errors import ReaderError
from accessible_reader.settings import Settings
from accessible_reader.text.lexicon import Lexicon


def reading_command(
    text: Annotated[str, typer.Argument(help="要朗读的文字 / the text to read")],
    orthographic: Annotated[
        bool,
        typer.Option("--orthographic", help="输出盲文用的正词法拼音 / print the Braille (orthographic) reading"),
    ] = False,
    words: Annotated[bool, typer.Option("--words", help="输出分词结果 / print the word segmentation")] = False,
    lexicon: Annotated[
        Path | None,
        typer.Option("--lexicon", help="读音词表 (TSV) / pronunciation lexicon (TSV)", dir_okay=False),
    ] = None,
) -> None:
    """Print the spoken reading of TEXT as tone-numbered pinyin (5 = neutral tone)."""
    from accessible_reader.text.readings import ReadingEngine  # loads dictionaries; keep CLI start-up light

    try:
        settings = Settings()
        path = lexicon if lexicon is not None else settings.lexicon_path
        loaded = Lexicon.load(path) if lexicon is not None or path.is_file() else Lexicon()
        reading = ReadingEngine(loaded, cache_dir=settings.cache_dir).read(text)
    except ReaderError as error:
        typer.echo(error.one_line(), err=True)
        raise typer.Exit(code=error.exit_code) from error
    if words:
        typer.echo(reading.words_line())
    elif orthographic:
        typer.echo(reading.orthographic_line())
    else:
        typer.echo(reading.spoken_line())
