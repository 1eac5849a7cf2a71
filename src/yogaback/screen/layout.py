"""How the live screen is laid out: a ``View`` drawn as rows of styled cells.

The header, the figure beside (or above) the big type of the pose, its cue, the breath
and the countdown, then the session bar, what comes next and the keys. Every row is
exactly the screen's width, so the screen writer can diff rows and cells; ``Moving`` says
where the parts that change within a pose sit, so the live screen can redraw just them.
Also the forms for small screens (one line), the help overlay and the intro.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.segment import Segment as RichSegment
from rich.table import Table
from rich.text import Text

from yogaback.durations import clock
from yogaback.practice.ui import KEYS as KEYS  # the key bar: --plain prints it on ?
from yogaback.screen import bigtype
from yogaback.screen.view import View, figure_width, layout_kind, text_width
from yogaback.screen.writer import Row, Span

if TYPE_CHECKING:
    from yogaback.figures import Figure

KEYS_SHORT = "␣ pause · n next · p back · +/- · m mute · ? · q quit"
KEYS_TINY = "␣ pause · n · p · +/- · m · ? · q quit"
HELP = (
    # key, what it does, and a shorter wording for a narrow screen
    ("space", "pause / resume", ""),
    ("n  →", "next pose", ""),
    ("p  ←", "restart this pose (twice: previous pose)", "restart / previous pose"),
    ("+  -", "lengthen / shorten this hold by 15 seconds", "hold 15 s longer / shorter"),
    ("m", "mute / unmute sound", ""),
    ("?", "show / hide this help", ""),
    ("q  Esc", "stop the session", ""),
)
PHASE_WORDS = {
    "inhale": "breathe in",
    "exhale": "breathe out",
    "hold": "hold",
    "rest": "rest",
    "transition": "get ready",
    "exit": "come out",
    "paused": "paused",
}
WIDEST_PHASE = "breathe out"
BIG_PHASE_HEIGHT = 36
"""From this many rows of type, the breath phase is written in big type as well."""
PALETTES: dict[str, dict[str, str]] = {
    # for dark backgrounds (most terminals); "auto" uses this too
    "dark": {
        "inhale": "bold cyan",
        "exhale": "bold bright_blue",
        "hold": "bold green",
        "rest": "bold green",
        "transition": "bold yellow",
        "exit": "bold yellow",
        "paused": "bold magenta",
        "done": "green",
        "to_come": "grey37",
        "notice": "bold yellow",
    },
    # for light backgrounds: darker colours that keep their contrast on white
    "light": {
        "inhale": "bold dark_cyan",
        "exhale": "bold blue3",
        "hold": "bold dark_green",
        "rest": "bold dark_green",
        "transition": "bold dark_orange3",
        "exit": "bold dark_orange3",
        "paused": "bold magenta3",
        "done": "dark_green",
        "to_come": "grey70",
        "notice": "bold dark_orange3",
    },
}
PHASE_STYLES = PALETTES["dark"]


def _chop(word: str, width: int) -> list[str]:
    """A word wider than the screen (e.g. Chinese or Japanese, which has no spaces) in
    pieces that fit, cut between characters."""
    pieces, piece = [], ""
    for ch in word:
        if piece and cell_len(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return [*pieces, piece]


def _cue_lines(
    text: str, width: int, wrap: Callable[[str, int], list[str]] | None = None
) -> list[str]:
    """A cue's lines: each of its paragraphs wrapped to ``width`` (balanced, or by ``wrap``)."""
    if not text:
        return []
    return [line for para in text.split("\n") for line in (wrap or _wrap)(para, width)]


def _wrap(text: str, width: int) -> list[str]:
    """Wrap by terminal cells (wide characters count double)."""
    return list(_wrapped(text, width))


@lru_cache(maxsize=64)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """``_wrap``, remembered: the same cue is laid out at every frame while it shows.

    Lines are balanced: a paragraph that takes n lines is wrapped at the narrowest width
    that still takes n, so that it does not end in a word alone ("on it.") on a line of
    its own, read from across the room as a separate line."""
    return tuple(line for para in text.splitlines() or [""] for line in _balanced(para, width))


def _balanced(para: str, width: int) -> list[str]:
    lines = _greedy(para, width)
    if len(lines) < 2:
        return lines
    low, high = max(1, width // 2), width  # the narrowest width giving as many lines
    while low < high:
        mid = (low + high) // 2
        if len(_greedy(para, mid)) <= len(lines):
            high = mid
        else:
            low = mid + 1
    return _greedy(para, high)


def _greedy(para: str, width: int) -> list[str]:
    """Words onto lines of ``width`` cells, as many as fit on each."""
    lines: list[str] = []
    line = ""
    words = [p for w in para.split(" ") for p in (_chop(w, width) if w else [w])]
    for word in words:
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return [set_cell_size(ln, width) if cell_len(ln) > width else ln for ln in lines]


class Drawn:
    """A drawn frame: rows of styled spans, each exactly the screen's width.

    The screen writer diffs its rows against the previous frame; it is also a Rich
    renderable, so tests (and anything else) can print it to a console."""

    def __init__(self, rows: list[Row], moving: Moving | None = None) -> None:
        self.rows = rows
        self.moving = moving

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[RichSegment]:
        for i, row in enumerate(self.rows):
            if i:
                yield RichSegment.line()
            for text, style in row:
                yield RichSegment(
                    text, console.get_style(style) if isinstance(style, str) else style
                )

    @property
    def plain(self) -> str:
        return "\n".join("".join(t for t, _ in row) for row in self.rows)


Block = list[Row]
"""Rows of the same width, put together into a screen."""


def _fit(text: str, width: int) -> str:
    return text if cell_len(text) <= width else set_cell_size(text, max(0, width - 1)) + "…"


def _centred(text: str, style: str, width: int) -> Row:
    text = _fit(text, width)
    size = cell_len(text)
    pad = (width - size) // 2
    return ((" " * pad, ""), (text, style), (" " * (width - size - pad), ""))


def _blank(width: int) -> Row:
    return ((" " * width, ""),)


class Column(NamedTuple):
    rows: Block
    pacer: tuple[int, ...]
    """Which of the rows are the breath pacer's (none when it is not shown)."""
    clock: tuple[int, ...]
    """Which are the countdown's: big digits drawn at most ``clock_rows`` tall (none when
    the next countdown could change the layout, e.g. big digits that did not fit)."""
    clock_rows: int


def countdown_rows(seconds: int, width: int, rows: int, style: str = "") -> Block:
    """The countdown in big digits at most ``rows`` tall, centred in ``width`` ([] when
    they do not fit)."""
    # solid blocks look the same bold or not: no style saves bytes at every tick
    return [_centred(r, style, width) for r in bigtype.render(clock(seconds), width - 2, rows)]


def pacer_row(filled: int, cells: int, width: int, style: str, ink: str) -> Row:
    """One row of the breath pacer: ``filled`` of its ``cells`` inked, centred in ``width``."""
    filled = min(filled, cells)
    pad = (width - filled) // 2
    return ((" " * pad, ""), (ink * filled, style), (" " * (width - filled - pad), ""))


def pacer_ink(rows: int) -> str:
    """Two rows of solid blocks on a tall screen, one row of dots otherwise."""
    return "●" if rows == 1 else "█"


def _column(v: View, width: int, height: int, styles: dict[str, str]) -> Column | None:
    """The type: pose name, side and count, cue, breath, pacer and countdown, in
    ``width`` × at most ``height``; None if even the compact form does not fit."""
    phase_style = styles.get(v.phase, "bold")
    detail = [_centred(v.detail, "bold", width)] if v.detail else []
    measure = min(width - 2, 64)
    cue_width = max(10, measure)
    # the safety note follows the cue, in the notices' colour, through the whole part
    safety = _cue_lines(v.safety, cue_width)
    cue = [_centred(line, "", width) for line in _cue_lines(v.text, cue_width)]
    cue += [_centred(line, styles["notice"], width) for line in safety]
    # room for the longest cue of the part's breaths and holds, so that the countdown and
    # the pacer do not move from one breath to the next (given up first when space is short)
    longest = max((len(_cue_lines(t, cue_width)) + len(safety) for t in v.steady), default=0)
    cue_room = max(len(cue), longest)
    word = PHASE_WORDS.get(v.phase, v.phase)
    # bold, in the phase's colour, between bars that catch the eye (and read without colour);
    # the words themselves stay as they are, for whoever searches the screen's text
    marked = f"━━━  {word}  ━━━"
    phase = [_centred(marked if cell_len(marked) <= width else word, phase_style, width)]
    if height >= BIG_PHASE_HEIGHT and bigtype.render(WIDEST_PHASE, width - 2, 3):
        # on a tall screen the breath is in big type too: read from the mat, like the clock
        # (decided by the widest word, so that every phase of a part takes the same rows)
        phase = [_centred(r, phase_style, width) for r in bigtype.render(word, width - 2, 3)]
    pacer_rows = 1 if height < 40 else 2
    pacer: Block
    if v.pacer >= 0:
        ink = pacer_ink(pacer_rows)
        row = pacer_row(v.pacer, min(v.pacer_width, width), width, phase_style, ink)
        pacer = [row] * pacer_rows
    else:
        pacer = [_blank(width)] * pacer_rows
    fixed = len(detail) + cue_room + len(phase) + len(pacer)
    gaps = 4
    room = height - fixed - gaps
    if room < 2:  # compact: no blank lines, not even the place of an absent pacer
        gaps = 0
        if not v.safety_here:  # given where the part began; here the cue comes first
            cue = cue[: len(cue) - len(safety)]
        fixed -= cue_room - len(cue)
        cue_room = len(cue)
        if v.pacer < 0:
            fixed -= len(pacer)
            pacer = []
        room = height - fixed
        if room < 2 and len(cue) - (2 - room) >= 1:
            # a long cue (a setup with its safety note) on a small screen: show what fits
            # and end it with '…'; it is also spoken, and printed whole with --plain
            # (lines as full as they go: balanced ones would show less of it)
            full = _cue_lines(v.text, cue_width, _greedy)
            full += _cue_lines(v.safety, cue_width, _greedy) if v.safety_here else []
            keep = len(cue) - (2 - room)
            cue = [_centred(line, "", width) for line in full[:keep]]
            cue[-1] = _centred(_fit(full[keep - 1].strip() + " …", measure), "", width)
            cue_room = len(cue)
            room = 2
        if room < 2:
            return None
    # the countdown comes first; the name is big when there is room besides
    name_rows_max = max(3, room // 4) if room >= 8 else 0
    name_big = (
        bigtype.render(v.pose, width - 2, name_rows_max, 2 if name_rows_max >= 7 else 1)
        if name_rows_max
        else []
    )
    name: Block
    if name_big:
        name = [_centred(r, "bold", width) for r in name_big]
    else:
        name = [_centred(line, "bold", width) for line in _wrap(v.pose.upper(), width)][:2]
    left = room - len(name)
    if left < 3 and gaps:  # blank separators give way before the big countdown does
        given = min(gaps, 3 - left)
        gaps, room, left = gaps - given, room + given, left + given
    clock_rows = min(left, max(5, (height * 2) // 5))
    # paused, the digits are dimmed: from the mat, a stopped clock that says so
    dim = "dim" if v.status == "paused" else ""
    digits = countdown_rows(v.part_left, width, clock_rows, dim) if left >= 3 else []
    in_place = bool(digits)  # the next second's digits will take the same place
    if not digits and name_big:  # no room for both: the countdown wins
        name = [_centred(line, "bold", width) for line in _wrap(v.pose.upper(), width)][:2]
        left = room - len(name)
        digits = countdown_rows(v.part_left, width, left, dim) if left >= 3 else []
    clock_block = digits or [_centred(clock(v.part_left), "bold", width)]
    breath = phase + pacer
    cue += [_blank(width)] * (cue_room - len(cue))
    sections = [name, detail, cue, breath, clock_block]
    if v.easier:  # offered where there is room to spare, never at the countdown's cost
        easier = [_centred(ln, "dim", width) for ln in _wrap(f"Easier: {v.easier}", measure)]
        shown = [sec for sec in sections if sec]
        rows = sum(map(len, shown)) + len(easier) + min(gaps, len(shown))
        if rows <= height:
            sections.insert(3, easier)
    body: Block = []
    at: tuple[int, ...] = ()
    ticks: tuple[int, ...] = ()
    spare_gaps = gaps
    for i, section in enumerate(s for s in sections if s):
        if i and spare_gaps:
            body.append(_blank(width))
            spare_gaps -= 1
        if section is breath and v.pacer >= 0:
            at = tuple(range(len(body) + len(phase), len(body) + len(section)))
        if section is clock_block and in_place:
            ticks = tuple(range(len(body), len(body) + len(section)))
        body.extend(section)
    if len(body) > height:
        return None
    return Column(body, at, ticks, clock_rows)


_FIGURE_CACHE: dict[tuple[int, int, int, float, bool], tuple[Figure, Block]] = {}
"""Drawn figures: the phase moves in a few steps per breath, so a session draws each
shape once and then reuses it (a thick-stroked figure at 200×50 takes several ms)."""


def _figure(v: View, width: int, height: int) -> Block:
    assert v.drawing is not None
    return figure_rows(v.drawing, width, height, v.figure_phase, v.mirror)


def figure_rows(drawing: Figure, width: int, height: int, phase: float, mirror: bool) -> Block:
    """``drawing`` at ``phase`` (0 breathed in, 1 out) in ``width`` × ``height`` cells."""
    key = (id(drawing), width, height, phase, mirror)
    hit = _FIGURE_CACHE.get(key)
    if hit is not None and hit[0] is drawing:
        return hit[1]
    block: Block = [((r, ""),) for r in drawing.render(width, height, phase, mirror)]
    if len(_FIGURE_CACHE) >= 64:
        _FIGURE_CACHE.clear()
    _FIGURE_CACHE[key] = (drawing, block)
    return block


class Moving(NamedTuple):
    """Where the parts of a frame that change while a pose goes on sit on the screen: the
    breath pacer, the figure, the countdown and the session bar. When nothing else changed
    (most frames) the live screen redraws just these, not the whole frame."""

    x: int
    width: int
    """The first column and the width of the column of type."""
    pacer: tuple[int, ...]
    """The pacer's screen rows (none: no pacer shows)."""
    pacer_style: str
    pacer_ink: str
    clock: tuple[int, ...]
    """The countdown's screen rows (none: a new countdown redraws the whole frame)."""
    clock_rows: int
    """How tall its digits may be."""
    figure: tuple[int, int, int, int] | None = None
    """The figure's top row and first column, and the width and height it is drawn at."""
    bar: int = -1
    """The session bar's screen row (-1: a tick redraws the whole frame)."""

    def down(self, rows: int) -> Moving:
        fig = self.figure
        return self._replace(
            pacer=tuple(y + rows for y in self.pacer),
            clock=tuple(y + rows for y in self.clock),
            figure=(fig[0] + rows, *fig[1:]) if fig is not None else None,
        )


def _moving(v: View, text: Column, y: int, x: int, width: int, styles: dict[str, str]) -> Moving:
    """The moving parts of ``text``, a column ``width`` wide whose top row is at (y, x)."""
    return Moving(
        x,
        width,
        tuple(y + i for i in text.pacer),
        styles.get(v.phase, "bold"),
        pacer_ink(len(text.pacer)),
        tuple(y + i for i in text.clock),
        text.clock_rows,
    )


def _middle(
    v: View, width: int, height: int, styles: dict[str, str]
) -> tuple[Block, Moving] | None:
    """The body between the header and the footer: the figure and the type, and where
    their moving parts are (rows counted from the body's top). The figure is dropped first
    when they do not both fit."""
    kind = layout_kind(v.width, v.height, v.drawing is not None)
    if kind == "wide":
        fw = figure_width(width)
        tw = text_width(width, kind)
        text = _column(v, tw, height, styles)
        if text is not None and _big_enough(text.rows, height):
            fig_h = min(height, max(8, round(fw * 0.6)))
            fig = _vcentre(_figure(v, fw - 2, fig_h), fw - 2, height)
            top = (height - len(text.rows)) // 2
            rows = _vcentre(text.rows, tw, height)
            moving = _moving(v, text, top, fw + 2, tw, styles)._replace(
                figure=((height - fig_h) // 2, 1, fw - 2, fig_h)
            )
            body = [((" ", ""), *f, ("   ", ""), *t) for f, t in zip(fig, rows, strict=True)]
            return body, moving
    if kind == "tall":
        text = _column(v, width, height, styles)
        if text is not None:
            fig_h = height - len(text.rows) - 1
            if fig_h >= 8:
                asked = min(width - 4, fig_h * 3)
                fig = _figure(v, asked, fig_h)
                fw = len(fig[0][0][0]) if fig else 0
                pad = (width - fw) // 2
                rows = [((" " * pad, ""), *f, (" " * (width - fw - pad), "")) for f in fig]
                moving = _moving(v, text, fig_h + 1, 0, width, styles)._replace(
                    figure=(0, pad, asked, fig_h)
                )
                return [*rows, _blank(width), *text.rows], moving
    text = _column(v, width, height, styles)
    if text is None:
        return None
    top = max(0, height - len(text.rows)) // 2
    return _vcentre(text.rows, width, height), _moving(v, text, top, 0, width, styles)


def _big_enough(text: Block, height: int) -> bool:
    """Beside a figure the type must still be big: at least 5 rows of countdown on a
    window of 30 rows or more, 3 on smaller ones; otherwise the figure goes."""
    return len(text) >= min(height, 14 if height >= 22 else 9)


def _vcentre(block: Block, width: int, height: int) -> Block:
    spare = max(0, height - len(block))
    top = spare // 2
    return [*[_blank(width)] * top, *block, *[_blank(width)] * (spare - top)]


def render(v: View) -> Drawn | Text:
    """Lay the screen out row by row: the header, the figure and the big type, the
    session bar, what comes next and the keys. Every row is exactly the screen's width,
    so the screen writer can diff rows and cells."""
    if v.width < 40 or v.height < 10:
        return render_line(v)
    w = v.width
    styles = PALETTES.get(v.theme, PHASE_STYLES)
    right: list[Span] = []
    if v.muted:
        right.append(("muted  ", "dim"))
    if v.status == "paused":
        right.append(("❚❚ paused  ", styles["paused"]))
    right.append((f"part {v.part_no} of {v.parts}", "dim"))
    right_len = sum(cell_len(t) for t, _ in right)
    room = max(0, w - right_len - 2)
    title = v.title if cell_len(v.title) <= room else set_cell_size(v.title, max(0, room - 1)) + "…"
    head: Row = ((title, "bold"), (" " * (w - cell_len(title) - right_len), ""), *right)
    bars: tuple[str, ...] = (KEYS, KEYS_SHORT, KEYS_TINY)
    if v.status == "paused":  # the key bar says what space does now
        bars = tuple(
            k.replace("space pause", "space resume").replace("␣ pause", "␣ resume") for k in bars
        )
    keys = next((k for k in bars[:2] if cell_len(k) <= w), bars[2])
    bar = session_bar(v.progress, v.bar_width, v.elapsed, v.total, w, styles)
    nxt = _fit(v.next_up, w - 6)
    next_row: Row = (("next: ", "dim"), (nxt + " " * (w - 6 - cell_len(nxt)), ""))
    key_row = _centred(set_cell_size(keys, min(w, cell_len(keys))), "dim", w)
    footer: Block = [bar, next_row, key_row]
    between: Block
    moving: Moving | None = None
    if v.show_help:
        between, footer = _help(w, v.height - 1, footer)
    else:
        body_h = v.height - 1 - 2 - len(footer)  # header, a blank line either side
        got = _middle(v, w, body_h, styles)
        if got is not None:
            between = [_blank(w), *got[0], _blank(w)]
            moving = got[1].down(2)  # below the header and a blank line
        else:  # short terminal: no blank lines around the body
            got = _middle(v, w, v.height - 1 - len(footer), styles)
            if got is None:
                return render_line(v)
            between = got[0]
            moving = got[1].down(1)
    rows = [head, *between, *footer]
    if moving is not None:
        moving = moving._replace(bar=len(rows) - len(footer))
    if v.notice:
        # A passing notice takes the blank row above the session bar, or else the key row
        # (whose keys are back in two seconds): never a row of the body, whose countdown
        # would otherwise change size while the notice shows.
        above = len(rows) - len(footer) - 1
        at = above if not "".join(t for t, _ in rows[above]).strip() else len(rows) - 1
        rows[at] = _centred(v.notice, styles["notice"], w)
        moving = None  # it may sit where the figure is: redraw whole frames while it shows
    return Drawn(rows[: v.height], moving)


def session_bar(
    filled: int, bar_width: int, elapsed: int, total: int, width: int, styles: dict[str, str]
) -> Row:
    """The bar of the session's progress, and the time practised of the total."""
    clocks = f"  {clock(elapsed)} / {clock(total)}"
    return (
        # done and to-come differ in shape as well as colour, so NO_COLOR still shows progress
        ("━" * filled, styles["done"]),
        ("─" * (bar_width - filled), styles["to_come"]),
        (clocks + " " * max(0, width - bar_width - len(clocks)), ""),
    )


def _help(width: int, height: int, footer: Block) -> tuple[Block, Block]:
    """The help screen's rows between the header and the footer, and the footer, in
    ``height`` rows. Each key takes one line (in shorter words when the long ones do not
    fit); on a small screen the blank lines go first, then the session bar and what comes
    next (the key row stays), then the title, and last the keys that still do not fit:
    never a line cut short with '…'."""
    entries = []
    for key, what, short in HELP:
        line = f"{key:>8}   {what}"
        if cell_len(line) > width and short:
            line = f"{key:>8}   {short}"
        if cell_len(line) <= width:
            entries.append(line)
    block = max(map(cell_len, entries), default=0)
    lines = [_centred(e + " " * (block - cell_len(e)), "", width) for e in entries]
    title = _centred("Keys", "bold", width)
    for foot, blanks in ((footer, 2), (footer, 0), (footer[-1:], 1), (footer[-1:], 0)):
        room = height - len(foot) - blanks
        if room >= len(lines) + 1:
            break
    shown = [title, *lines] if room >= len(lines) + 1 else lines[: max(0, room)]
    body = _vcentre(shown, width, max(0, room))
    if blanks:
        body = [_blank(width), *body, *[_blank(width)] * (blanks - 1)]
    return body, foot


def render_line(v: View) -> Text:
    """A single line for very small terminals."""
    # the time first: on a tiny screen it is what gets cut otherwise
    bits = [clock(v.part_left), PHASE_WORDS.get(v.phase, v.phase), v.pose]
    if v.detail:
        bits.append(v.detail)
    bits.append(f"next: {v.next_up}")
    return Text(" · ".join(bits), no_wrap=True, overflow="ellipsis")


def render_intro(
    title: str,
    summary: str | None,
    total: float,
    props: tuple[str, ...],
    safety: tuple[str, ...],
    seconds_left: int,
    width: int,
    keys: bool = True,
    note: str | None = None,
) -> RenderableType:
    """The safety screen before a session. ``note``: a line about this session (e.g. where
    ``--resume`` picks up), shown under the prompt."""
    # The prompt goes right under the title, so even a small window shows how to begin.
    prompt = Text(
        f"Press any key to begin — starting by itself in {clock(seconds_left)}. q to quit."
        if keys
        else f"Starting in {clock(seconds_left)}.",
        style="bold yellow",
        justify="center",
    )
    lines: list[RenderableType] = [Text(title, style="bold", justify="center"), prompt, Text()]
    if note:
        lines += [Text(note, justify="center"), Text()]
    if summary:
        lines += [Text(summary, justify="center"), Text()]
    facts = f"{clock(total)}" + (f" · props: {', '.join(props)}" if props else "")
    lines += [Text(facts, justify="center", style="dim"), Text()]
    if safety:
        lines.append(Text("Before you begin", style="bold"))
        notes = Table.grid()  # a note's second line lines up under its first, not the dot
        notes.add_column(no_wrap=True)
        notes.add_column()
        for note in safety:
            notes.add_row("  • ", note)
        lines.append(notes)
    return Group(*lines)
