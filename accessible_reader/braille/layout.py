"""Pagination for embossing (pure): braille document → volumes → pages → lines.

Layout of a body page (``rows`` = lines per page, ``cols`` = cells per line, after the margins):

- line 1: the running head (book title) centred, the print page indicator (the print page in force
  at the top of the page, ⠼ + digits) at the right end;
- lines 2 … rows: text; the last line ends with the braille page number at the right, text on that
  line stops three cells before it;
- a print page that starts mid-page gets a separator line of ⠤ ending with its number (one that starts
  after nothing but headings is the page's indicator instead).

Headings: level 1 centred at the top of a new braille page with a blank line after; level 2 indented
4 cells, level 3 and deeper 6 cells, each after a blank line. Headings are kept with the line that
follows them. Paragraphs: first line indented 2 cells (空两方), runover at the margin; list items
indented by level with a 2-cell runover. Lines break only between braille words, so a Chinese word
never loses a syllable or a tone mark to the next line; a word longer than a whole line is broken
between syllables (Chinese), at a hyphenation point with ⠤ (English), else at the line end, and
continued on the next line.

Volumes: chapters (level-1 headings) start on a new page; a volume is closed before the chapter
that would take it past ``max_pages`` (a chapter longer than that is cut at a page). Every volume
starts with a title page and a transcriber's-notes page (unnumbered); with interpoint each of them is
followed by a blank verso so the text starts on a right-hand page. Braille page numbers run on
through the volumes.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from accessible_reader.braille.cells import BLANK, dots
from accessible_reader.braille.system import BrailleWord, JoinedWords
from accessible_reader.errors import InputError

PAGE_CHANGE = dots("36")
_DIGITS = "⠚⠁⠃⠉⠙⠑⠋⠛⠓⠊"
_LETTERS = dict(zip("abcdefghijklmnopqrstuvwxyz", "⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚⠅⠇⠍⠝⠕⠏⠟⠗⠎⠞⠥⠧⠺⠭⠽⠵", strict=True))


@dataclass(frozen=True, slots=True)
class EmbosserProfile:
    """Page geometry of an embosser and paper.

    ``cells_per_line`` and ``lines_per_page`` are the braille area (PEF ``cols``/``rows``);
    ``margin_left`` (cells) and ``margin_top`` (lines) are left blank inside it, for embossers that
    cannot set margins themselves. ``interpoint``: both sides of the sheet.
    """

    name: str
    cells_per_line: int = 40
    lines_per_page: int = 25
    interpoint: bool = False
    margin_left: int = 0
    margin_top: int = 0
    description: str = ""

    @property
    def cols(self) -> int:
        """Usable cells per line."""
        return self.cells_per_line - self.margin_left

    @property
    def rows(self) -> int:
        """Usable lines per page."""
        return self.lines_per_page - self.margin_top


PROFILES: dict[str, EmbosserProfile] = {
    "default": EmbosserProfile("default", description="40 cells × 25 lines, one side (11 × 11.5 in. fanfold)"),
    "interpoint": EmbosserProfile("interpoint", interpoint=True, description="40 × 25, both sides"),
    "compact": EmbosserProfile("compact", 32, 25, description="32 × 25, one side"),
    "a4-interpoint": EmbosserProfile("a4-interpoint", 34, 28, True, description="A4 34 × 28, both sides"),
}
"""Embosser profiles by name; ``default`` is 40×25."""


def get_profile(name: str) -> EmbosserProfile:
    """The profile called ``name``, or a ``COLSxROWS`` geometry (``32x26``); InputError otherwise."""
    if name in PROFILES:
        return PROFILES[name]
    cols, _, rows = name.lower().partition("x")
    if cols.isdigit() and rows.isdigit() and 12 <= int(cols) <= 100 and 5 <= int(rows) <= 100:
        return EmbosserProfile(name, int(cols), int(rows))
    raise InputError(
        f"没有名为“{name}”的盲文机配置；可用：{'、'.join(PROFILES)}，或 列数x行数（如 32x26）",
        f"no embosser profile called '{name}'; use one of {', '.join(PROFILES)} or COLSxROWS (e.g. 32x26)",
    )


BlockKind = Literal["heading", "paragraph", "list_item", "table_row", "page_break"]


@dataclass(frozen=True, slots=True)
class BrailleBlock:
    """One block of a braille document: words and how to lay them out.

    ``level``: heading level (1-6) or list level; ``page``: the print page number of a page break.
    """

    kind: BlockKind
    words: Sequence[BrailleWord] = ()
    level: int = 0
    page: str | None = None


@dataclass(frozen=True, slots=True)
class BrailleDocument:
    """Everything pagination needs: blocks, the running head, title-page lines and the notes page.

    ``title_page`` holds one word tuple per centred line (an empty tuple is a blank line); the volume
    line is added per volume by ``volume_label``. ``notes`` are the paragraphs of the transcriber's-notes page.
    """

    blocks: tuple[BrailleBlock, ...]
    running_head: Sequence[BrailleWord] = ()
    title_page: tuple[Sequence[BrailleWord], ...] = ()
    notes_heading: Sequence[BrailleWord] = ()
    notes: tuple[Sequence[BrailleWord], ...] = ()
    volume_label: Callable[[int, int], Sequence[BrailleWord]] | None = None
    """(volume number, volume count) → the words of the title page's ``Volume 1 of 3`` line, when
    there is more than one volume."""
    unknown: tuple[str, ...] = ()


class Line(NamedTuple):
    """One line of a page: braille cells (never longer than the profile's cells per line) and its print.

    (A NamedTuple of strings: the garbage collector stops tracking it, which matters for a whole book.)
    """

    cells: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    """One braille page. ``number`` is the braille page number (None on preliminary pages)."""

    lines: tuple[Line, ...]
    number: int | None = None
    print_page: str | None = None


@dataclass(frozen=True, slots=True)
class Volume:
    """One volume: its pages in order (title page first)."""

    pages: tuple[Page, ...]


@dataclass(frozen=True, slots=True)
class Paginated:
    """A whole paginated book."""

    profile: EmbosserProfile
    volumes: tuple[Volume, ...]

    def pages(self) -> list[Page]:
        """Every page of every volume in order."""
        return [page for volume in self.volumes for page in volume.pages]


def number_cells(label: str) -> str:
    """A page number as braille: digits with the number sign (⠼⠁⠃), letters (roman numerals) after ⠰."""
    if label.isdigit():
        return dots("3456") + "".join(_DIGITS[int(d)] for d in label)
    letters = [_LETTERS.get(c) for c in label.lower()]
    if all(letters):
        return dots("56") + "".join(c for c in letters if c)
    return dots("3456") + "".join(_DIGITS[int(d)] for d in label if d.isdigit())


@dataclass(slots=True)
class _Body:
    """Pagination state for the body pages."""

    profile: EmbosserProfile
    head: Sequence[BrailleWord]
    next_number: int
    pages: list[Page] = field(default_factory=list)
    chapters: list[int] = field(default_factory=list)  # page index where each chapter starts
    lines: list[Line] = field(default_factory=list)
    print_page: str | None = None
    page_print: str | None = None
    has_text: bool = False  # a paragraph (not only headings) is on the current page

    @property
    def rows(self) -> int:
        return self.profile.rows

    def free(self) -> int:
        """Text lines left on the current page (line 1 is the running head)."""
        return self.rows - 1 - len(self.lines)

    def width(self) -> int:
        """Cells available on the next text line (the last line holds the page number)."""
        if self.free() == 1:
            return self.profile.cols - len(number_cells(str(self.next_number))) - 3
        return self.profile.cols

    def at_top(self) -> bool:
        return not self.lines

    def add(self, line: Line) -> None:
        if self.free() <= 0:
            self.finish()
        self.lines.append(line)

    def blank(self) -> None:
        if not self.at_top() and self.free() > 1:
            self.add(Line(""))

    def finish(self) -> None:
        """Close the current page (if it has text): running head, page number, margins."""
        if not self.lines:
            return
        cols = self.profile.cols
        indicator = number_cells(self.page_print) if self.page_print else ""
        head_room = cols - (len(indicator) + 1 if indicator else 0)
        head = _fit(self.head, head_room)
        pad = max((head_room - len(head)) // 2, 0)
        first = (BLANK * pad + head).ljust(head_room, BLANK) if head else BLANK * head_room
        first = (first + BLANK + indicator) if indicator else first.rstrip(BLANK)
        rows = [Line(first.rstrip(BLANK), "".join(w.text for w in self.head)), *self.lines]
        rows += [Line("")] * (self.rows - len(rows))
        number = number_cells(str(self.next_number))
        last = rows[-1]
        rows[-1] = Line(last.cells.ljust(cols - len(number), BLANK) + number, last.text)
        self.pages.append(Page(tuple(rows), self.next_number, self.page_print))
        self.next_number += 1
        self.lines = []
        self.page_print = self.print_page
        self.has_text = False

    def new_page(self) -> None:
        self.finish()


def _fit(words: Sequence[BrailleWord], width: int) -> str:
    """Words joined by blank cells, cut at a word boundary to fit ``width``."""
    out = ""
    for word in words:
        candidate = word.cells if not out else out + BLANK + word.cells
        if len(candidate) > width:
            break
        out = candidate
    if not out and words:
        out = words[0].cells[:width]
    return out


def wrap(words: Sequence[BrailleWord], width: int, first_indent: int = 0, runover: int = 0) -> list[Line]:
    """Break words into lines of at most ``width`` cells (the paginator's rules, without pages)."""
    lines: list[Line] = []
    _wrap(words, lambda: width, first_indent, runover, lines.append)
    return lines


def _wrap(
    words: Sequence[BrailleWord],
    width_of: Callable[[], int],
    first_indent: int,
    runover: int,
    emit: Callable[[Line], None],
) -> None:
    """Greedy line filling. ``width_of()`` is asked for the width of each line as it is started
    (``emit`` may change it: the paginator's last line is shorter)."""
    if isinstance(words, JoinedWords):
        if words.longest + max(first_indent, runover) + _WIDTH_SLACK <= width_of():
            _wrap_fast(words.joined, words.texts, words, width_of, (first_indent, runover), emit)
        elif words:
            _wrap_words(list(words), width_of, first_indent, runover, emit)
        return
    present = [word for word in words if word.cells]
    if not present:
        return
    longest = max(len(word.cells) for word in present)
    if longest + max(first_indent, runover) + _WIDTH_SLACK <= width_of():
        joined = BLANK.join(word.cells for word in present)
        _wrap_fast(joined, [word.text for word in present], present, width_of, (first_indent, runover), emit)
    else:
        _wrap_words(present, width_of, first_indent, runover, emit)


_WIDTH_SLACK = 10
"""How much narrower than the first a later line may be (the last line of a page holds the page number)."""


def _wrap_fast(  # noqa: PLR0917 (hot path: plain positional call)
    joined: str,
    texts: Sequence[str],
    words: Sequence[BrailleWord],
    width_of: Callable[[], int],
    indents: tuple[int, int],
    emit: Callable[[Line], None],
) -> None:
    """:func:`_wrap_words` for words that all fit a line: cut ``joined`` (the words' cells joined by single
    blank cells; ``texts`` their print) at blank cells, at C speed.

    Same lines as :func:`_wrap_words` when every word plus the indents fits every line (the caller checks
    this with :data:`_WIDTH_SLACK`); a line too narrow for the next word hands ``words`` over to it.
    """
    first_indent, runover = indents
    pos, index, indent, end = 0, 0, first_indent, len(joined)
    while pos < end:
        width = width_of()
        room = width - indent
        if end - pos <= room:
            cut = end
        else:
            cut = joined.rfind(BLANK, pos, pos + room + 1)
            if cut <= pos:  # a line narrower than expected: finish word by word
                _wrap_words(list(words[index:]), width_of, indent, runover, emit, width=width)
                return
        count = joined.count(BLANK, pos, cut) + 1
        emit(Line(BLANK * indent + joined[pos:cut], " ".join(filter(None, texts[index : index + count]))))
        pos, index, indent = cut + 1, index + count, runover


def _wrap_words(
    words: Sequence[BrailleWord],
    width_of: Callable[[], int],
    first_indent: int,
    runover: int,
    emit: Callable[[Line], None],
    *,
    width: int | None = None,
) -> None:
    """Word by word, splitting words longer than a line (see :func:`_split`).

    ``width``: the width of the first line when the caller has already asked ``width_of()`` for it.
    """
    queue = deque(words)
    indent = first_indent
    cells = ""
    texts: list[str] = []

    def flush() -> None:
        nonlocal cells, texts, indent
        emit(Line(BLANK * indent + cells, " ".join(t for t in texts if t)))
        cells, texts, indent = "", [], runover

    width = width if width is not None else width_of()
    while queue:
        word = queue.popleft()
        used = indent + len(cells) + (1 if cells else 0)
        if used + len(word.cells) <= width:
            cells = f"{cells}{BLANK}{word.cells}" if cells else word.cells
            texts.append(word.text)
            continue
        if cells and len(word.cells) <= width - runover:
            flush()
            width = width_of()
            queue.appendleft(word)
            continue
        head, tail = _split(word, max(width - used, 0), hard=not cells)
        if head is None:
            flush()
            width = width_of()
            queue.appendleft(word)
            continue
        cells = f"{cells}{BLANK}{head.cells}" if cells else head.cells
        texts.append(head.text)
        flush()
        width = width_of()
        if tail.cells:
            queue.appendleft(tail)
    if cells:
        flush()


def _split(word: BrailleWord, room: int, hard: bool) -> tuple[BrailleWord | None, BrailleWord]:
    """Cut a word longer than a line at the last break that fits (with its hyphen), else (``hard``) at ``room``."""
    fitting = [b for b in word.breaks if b > 0 and b + len(word.hyphen) <= room]
    hyphen = word.hyphen
    if fitting:
        cut = fitting[-1]
    elif hard or not word.breaks:
        cut, hyphen = room, ""
    else:
        return None, word
    if cut <= 0:
        return None, word
    tail_breaks = tuple(b - cut for b in word.breaks if b > cut)
    head = BrailleWord(word.cells[:cut] + hyphen, word.text)
    return head, BrailleWord(word.cells[cut:], "", tail_breaks, word.hyphen)


def _centred(line: Line, width: int) -> Line:
    pad = max((width - len(line.cells)) // 2, 0)
    return Line(BLANK * pad + line.cells, line.text)


def _heading_indent(level: int) -> int:
    return 4 if level == 2 else 6


def paginate(document: BrailleDocument, profile: EmbosserProfile, *, max_pages: int = 80) -> Paginated:
    """Lay out ``document`` on ``profile``'s pages, split into volumes of about ``max_pages`` body pages."""
    if profile.cols < 12 or profile.rows < 5:
        raise InputError("盲文页面太小（至少 12 方 × 5 行）", "braille page too small (at least 12 cells × 5 lines)")
    body = _Body(profile, document.running_head, next_number=1)
    cols = profile.cols
    for block in document.blocks:
        if block.kind == "page_break":
            _page_break(body, block.page)
        elif block.kind == "heading":
            _heading(body, block)
        else:
            first, runover = 2, 0
            if block.kind == "list_item":
                first = 2 * max(block.level - 1, 0)
                runover = first + 2
            elif block.kind == "table_row":
                first = 0
            _wrap(block.words, body.width, min(first, cols // 2), min(runover, cols // 2), body.add)
            body.has_text = body.has_text or bool(block.words)
    body.finish()
    ranges = _volume_ranges(len(body.pages), body.chapters, max(max_pages, 1))
    volumes = []
    for index, (start, end) in enumerate(ranges):
        pages = _preliminary(document, profile, index, len(ranges)) + body.pages[start:end]
        volumes.append(Volume(tuple(_with_margins(page, profile) for page in pages)))
    return Paginated(profile, tuple(volumes))


def _page_break(body: _Body, page: str | None) -> None:
    if not page:
        return
    body.print_page = page
    if not body.has_text:  # only headings so far: the page starts with this print page
        body.page_print = page
        return
    number = number_cells(page)
    if body.free() <= 1:
        body.finish()
        body.page_print = page
        return
    body.add(Line(PAGE_CHANGE * (body.profile.cols - len(number)) + number, f"[{page}]"))


def _heading(body: _Body, block: BrailleBlock) -> None:
    cols = body.profile.cols
    if block.level <= 1:
        body.new_page()
        body.chapters.append(len(body.pages))
        lines = [_centred(line, cols) for line in wrap(block.words, cols - 4)]
    else:
        body.blank()
        indent = _heading_indent(block.level)
        lines = wrap(block.words, cols, indent, indent)
    if body.free() < len(lines) + 1:
        body.new_page()
    for line in lines:
        body.add(line)
    if block.level <= 1:
        body.blank()


def _volume_ranges(count: int, chapters: Sequence[int], max_pages: int) -> list[tuple[int, int]]:
    bounds = sorted({0, *[c for c in chapters if 0 < c < count], count})
    cuts = [0]
    for previous, end in itertools.pairwise(bounds):
        if end - cuts[-1] > max_pages and previous > cuts[-1]:
            cuts.append(previous)
        while end - cuts[-1] > max_pages:
            cuts.append(cuts[-1] + max_pages)
    cuts.append(count)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a] or [(0, 0)]


def _preliminary(document: BrailleDocument, profile: EmbosserProfile, volume: int, total: int) -> list[Page]:
    """Title page (+ volume line) and transcriber's notes, each padded to a recto with interpoint."""
    cols, rows = profile.cols, profile.rows
    title: list[Line] = []
    for words in document.title_page:
        title.extend(_centred(line, cols) for line in wrap(words, cols - 2)) if words else title.append(Line(""))
    if total > 1 and document.volume_label is not None:
        label = document.volume_label(volume + 1, total)
        title += [Line(""), *(_centred(line, cols) for line in wrap(label, cols - 2))]
    pages = [Page(tuple(title[:rows]))] if title else []
    if profile.interpoint and pages:
        pages.append(Page(()))
    notes: list[Line] = []
    if document.notes:
        notes += [_centred(line, cols) for line in wrap(document.notes_heading, cols - 4)] + [Line("")]
        for paragraph in document.notes:
            notes += wrap(paragraph, cols, 2, 0)
    for start in range(0, len(notes), rows):
        pages.append(Page(tuple(notes[start : start + rows])))
    if profile.interpoint and len(pages) % 2:
        pages.append(Page(()))
    return pages


def _with_margins(page: Page, profile: EmbosserProfile) -> Page:
    left = BLANK * profile.margin_left
    lines = [Line("")] * profile.margin_top + [
        Line(left + line.cells.rstrip(BLANK) if line.cells.strip(BLANK) else "", line.text) for line in page.lines
    ]
    return Page(tuple(lines), page.number, page.print_page)
