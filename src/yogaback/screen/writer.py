"""A small screen writer that sends the terminal only what changed since the last frame.

Rich's ``Live`` repaints the whole screen on every update (about 3 KB at 100×30, and far
more with big type and a figure), while consecutive frames of a practice differ in a few
cells: the countdown's last digit, a step of the pacer, the figure's breath. This writer
keeps the previous frame and, for each row that differs, moves the cursor to the first
changed cell and writes up to the last one. A new size (or ``invalidate``) repaints in full.
A caller that knows what moved can ``patch`` pieces of rows instead, diffed the same way.

Hand-written because no library we already depend on does this (Rich's ``Live`` and
``Screen`` always repaint, and curses would take over the terminal's modes, which
``terminal.Keys`` owns). It is about a hundred lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import IO

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.style import Style

Span = tuple[str, "str | Style"]
"""A run of text in one style (a Rich style, or its name such as ``bold cyan``)."""
Row = tuple[Span, ...]
Frame = Sequence[Row]
"""One row per terminal line, each exactly the screen's width in cells."""

RESET = "\x1b[0m"
PATCHED: Row = ()
"""In place of a row that ``patch`` changed: its cells are what is on screen."""


@lru_cache(maxsize=256)
def _sgr(style: str | Style, color_system: ColorSystem | None, no_color: bool) -> str:
    """The escape sequence that turns ``style`` on (after a reset)."""
    parsed = Style.parse(style) if isinstance(style, str) else style
    if no_color:
        parsed = parsed.without_color
    on = parsed.render("\x00", color_system=color_system).split("\x00")[0]
    return on


NARROW_RANGES = (
    "\u0020-\u007e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2190-\u21ff"
    "\u2500-\u25fc\u275a\u2800-\u28ff"
)
NARROW = re.compile(f"[{NARROW_RANGES}]*")
"""Text whose every character takes exactly one cell: ASCII, Latin, dashes and dots,
arrows, box drawing, block elements, shapes, ❚ and braille — what the live screen draws
most. Such text is split into cells at C speed, without asking each character's width
(a test checks each of these characters against Rich's own widths)."""

Cells = tuple[list[str], list["str | Style"]]


def _cells(row: Row) -> Cells:
    """A row as one character per cell; a wide character's second cell is ``""``."""
    chars: list[str] = []
    styles: list[str | Style] = []
    for text, style in row:
        if NARROW.fullmatch(text):
            chars.extend(text)
            styles.extend([style] * len(text))
            continue
        for ch in text:
            size = get_character_cell_size(ch)
            if size == 0:
                if chars:
                    chars[-1] += ch  # a combining mark rides on the cell before it
                continue
            chars.append(ch)
            styles.append(style)
            if size == 2:
                chars.append("")
                styles.append(style)
    return chars, styles


class ScreenWriter:
    """Draws frames on ``out`` (a terminal already on its alternate screen)."""

    def __init__(
        self, out: IO[str], color_system: ColorSystem | None = None, no_color: bool = False
    ) -> None:
        self.out = out
        self.color_system = color_system
        self.no_color = no_color
        self.last: list[Row] | None = None
        self._last_cells: dict[int, Cells] = {}
        """Each row of ``last`` split into cells, kept for the next frame's diff."""
        self.size: tuple[int, int] | None = None
        self._current: str | Style | None = None
        """The style the terminal is in now (None: unknown)."""
        self.written = 0
        """Characters written so far (what the benchmarks and tests count)."""

    def invalidate(self) -> None:
        """Forget what is on the screen: the next frame repaints in full."""
        self.last = None

    def draw(self, frame: Frame, width: int, height: int) -> str:
        """Write what differs from the previous frame; return what was written."""
        rows = list(frame[:height])
        full = self.last is None or self.size != (width, height)
        parts: list[str] = []
        self._current = None
        if full:
            parts.append("\x1b[H\x1b[2J")
        for y, row in enumerate(rows):
            old = None if full or self.last is None or y >= len(self.last) else self.last[y]
            if old == row:
                continue
            written = self._row(y, row, old)
            if written:
                parts.append(written)
        if self.last is not None and not full:
            for y in range(len(rows), len(self.last)):  # a shorter frame: clear the rest
                parts.append(f"\x1b[{y + 1};1H\x1b[2K")
        self.last = rows
        self._last_cells = {y: c for y, c in self._last_cells.items() if y < len(rows)}
        self.size = (width, height)
        return self._write(parts)

    def patch(self, pieces: Sequence[tuple[int, int, Row]]) -> bool:
        """Redraw parts of rows of the frame on screen: each piece is (row, column, spans)
        and replaces the cells from that column on, writing only those that differ. For a
        caller that knows what moved (the pacer, the figure), without laying out and
        diffing a whole frame. False, writing nothing, when a piece does not fit the frame
        on screen (none yet, a row too short, a wide character cut): draw instead."""
        if self.last is None:
            return False
        fitted = []
        for y, x, row in pieces:
            kept = self._last_cells.get(y)
            if kept is None or y >= len(self.last):
                return False
            chars, styles = _cells(row)
            end = x + len(chars)
            old_chars, old_styles = kept
            if end > len(old_chars) or old_chars[x] == "" or old_chars[end : end + 1] == [""]:
                return False
            fitted.append((y, x, chars, styles))
        self._current = None
        parts = []
        for y, x, chars, styles in fitted:
            old_chars, old_styles = self._last_cells[y]
            end = x + len(chars)
            runs = _changed_runs(chars, styles, old_chars[x:end], old_styles[x:end])
            parts.append(self._runs(y, [(x + a, x + b) for a, b in runs], x, chars, styles))
            old_chars[x:end] = chars
            old_styles[x:end] = styles
            self.last[y] = PATCHED
        self._write(parts)
        return True

    def _write(self, parts: list[str]) -> str:
        data = "".join(parts)
        if not data:
            return ""
        data += RESET
        self.out.write(data)
        self.out.flush()
        self.written += len(data.encode("utf-8", "replace"))
        return data

    def _row(self, y: int, row: Row, old: Row | None) -> str:
        chars, styles = cells = _cells(row)
        kept = self._last_cells.get(y)
        self._last_cells[y] = cells
        runs = [(0, len(chars))]
        old_chars: list[str] = []
        if old is not None:
            old_chars, old_styles = kept if kept is not None else _cells(old)
            if len(old_chars) == len(chars):
                runs = _changed_runs(chars, styles, old_chars, old_styles)
        out = self._runs(y, runs, 0, chars, styles)
        if old is None or len(old_chars) != len(chars):
            self._current = None
            out += RESET + "\x1b[K"  # a new or resized row: clear what may lie beyond
        return out

    def _runs(
        self,
        y: int,
        runs: list[tuple[int, int]],
        x: int,
        chars: list[str],
        styles: list[str | Style],
    ) -> str:
        """Row ``y``'s cells in ``runs`` (screen columns), from cells that start at ``x``."""
        out: list[str] = []
        for start, end in runs:
            out.append(f"\x1b[{y + 1};{start + 1}H")
            for i in range(start - x, end - x):
                if styles[i] != self._current:
                    self._current = styles[i]
                    out.append(RESET + _sgr(styles[i], self.color_system, self.no_color))
                out.append(chars[i])
        return "".join(out)


GAP = 5
"""Unchanged cells worth skipping with a cursor move (about 8 bytes) rather than rewriting."""


def _changed_runs(
    chars: list[str], styles: list[str | Style], old_chars: list[str], old_styles: list[str | Style]
) -> list[tuple[int, int]]:
    """The [start, end) runs of cells that differ, joined across short unchanged gaps and
    never cutting a wide character in two."""
    runs: list[tuple[int, int]] = []
    differ = [
        i
        for i, (a, b, sa, sb) in enumerate(zip(chars, old_chars, styles, old_styles, strict=True))
        if a != b or sa != sb
    ]
    for i in differ:
        start = i
        while start > 0 and chars[start] == "":
            start -= 1
        end = i + 1
        while end < len(chars) and chars[end] == "":
            end += 1
        if runs and start - runs[-1][1] < GAP:
            runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
        else:
            runs.append((start, end))
    return runs
