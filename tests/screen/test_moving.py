"""Between the clock's ticks the live screen redraws only the pacer and the figure.

The shortcut must never show anything a whole frame would not: these tests play routines
on a fake clock through the live screen, replay what it wrote to the terminal on a small
grid of cells, and compare that grid, at every frame, with the whole frame drawn afresh."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from yogaback import figures as figs
from yogaback.practice import player as P
from yogaback.practice.player import Player
from yogaback.practice.timeline import compile_timeline
from yogaback.routine.load import load_routine
from yogaback.screen.layout import Drawn, render
from yogaback.screen.live import LiveScreen
from yogaback.screen.view import UiState, view
from yogaback.screen.writer import ScreenWriter

SEQUENCES = Path(__file__).resolve().parents[2] / "sequences"
ESCAPE = re.compile(r"\x1b\[([0-9;]*)([A-Za-z])")


class Grid:
    """The characters on a terminal, from what the screen writer sent it."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows = [[" "] * width for _ in range(height)]
        self.y = self.x = 0

    def feed(self, data: str) -> None:
        at = 0
        for m in ESCAPE.finditer(data):
            self._text(data[at : m.start()])
            at = m.end()
            args, op = m.group(1), m.group(2)
            if op == "H":
                y, _, x = args.partition(";")
                self.y, self.x = int(y or 1) - 1, int(x or 1) - 1
            elif op == "J":
                self.rows = [[" "] * self.width for _ in range(self.height)]
            elif op == "K":
                start = 0 if args == "2" else self.x
                self.rows[self.y][start:] = [" "] * (self.width - start)
        self._text(data[at:])

    def _text(self, text: str) -> None:
        for ch in text:
            self.rows[self.y][self.x] = ch
            self.x += 1

    @property
    def lines(self) -> list[str]:
        return ["".join(row) for row in self.rows]


def _play(
    name: str, width: int, height: int, seconds: float, start: float = 0.0
) -> tuple[int, int]:
    """Play ``seconds`` of routine ``name`` from ``start`` frame by frame; after every
    frame, the terminal must show what a whole frame shows. (whole frames, frames)"""
    routine = load_routine(SEQUENCES / f"{name}.yaml")
    tl, figures = compile_timeline(routine), figs.for_routine(routine)
    out = io.StringIO()
    console = Console(file=out, width=width, height=height, force_terminal=True, color_system="256")
    screen = LiveScreen(console, figures)
    whole = 0
    draw = screen.writer.draw

    def counted(*args: Any) -> str:
        nonlocal whole
        whole += 1
        return draw(*args)

    screen.writer.draw = counted  # type: ignore[method-assign,assignment]
    ui = UiState()
    player = P.start(Player(tl), 0.0)
    if start:
        player = player._jump(0.0, start)
    grid = Grid(width, height)
    now = 0.0
    while now < seconds and player.status == "playing":
        player, started = P.advance(player, now)
        if player.status != "playing":
            break
        screen.refresh(player, now, ui, force=bool(started))
        grid.feed(out.getvalue())
        out.seek(0)
        out.truncate()
        full = render(view(player, now, ui, width, height, figures))
        assert isinstance(full, Drawn)
        expected = ["".join(t for t, _ in row) for row in full.rows]
        assert grid.lines == expected, f"at {now:.3f}s"
        change = screen.next_change(player, now)
        now = change if change is not None else now + 1.0
    return whole, screen.redraws


@pytest.mark.parametrize(("width", "height"), [(100, 30), (200, 50), (80, 24), (60, 40), (44, 16)])
def test_redrawing_only_what_moved_shows_what_a_whole_frame_shows(width: int, height: int) -> None:
    whole, frames = _play("upper-back", width, height, 200.0, start=240.0)
    assert frames > 300
    if width >= 60:
        # in reps a whole frame is drawn when a breath begins, and only the moving parts
        # (pacer, figure, countdown, session bar) at the other steps
        assert whole < frames / 4, (whole, frames)


@pytest.mark.parametrize("name", ["desk-break", "yin-knots"])
def test_every_routine_draws_the_same_either_way(name: str) -> None:
    _play(name, 100, 30, 300.0)


def test_a_resize_draws_a_whole_frame_at_the_new_size() -> None:
    routine = load_routine(SEQUENCES / "upper-back.yaml")
    tl, figures = compile_timeline(routine), figs.for_routine(routine)
    cat_cow = next(s for s in tl.segments if s.phase == "inhale" and s.unit == "rep")
    console = Console(file=io.StringIO(), width=100, height=30, force_terminal=True)
    screen = LiveScreen(console, figures)
    player = P.start(Player(tl), 0.0)._jump(0.0, cat_cow.start)
    screen.refresh(player, 0.0, UiState())
    assert screen.moving is not None and screen.moving.figure is not None
    console.size = (80, 24)
    # the session refreshes with force after the resize event (SIGWINCH)
    screen.refresh(player, 0.34, UiState(), force=True)
    assert screen.last is not None and (screen.last.width, screen.last.height) == (80, 24)
    # and with no event to say so, the new size is seen within a second
    console.size = (120, 40)
    screen.refresh(player, 0.5, UiState())
    screen.refresh(player, 1.4, UiState())
    assert screen.last is not None and (screen.last.width, screen.last.height) == (120, 40)


def test_a_patch_writes_only_what_differs_and_the_next_frame_diffs_against_it() -> None:
    out = io.StringIO()
    writer = ScreenWriter(out)
    assert not writer.patch([(0, 0, (("x", ""),))])  # nothing on screen yet
    writer.draw([(("abcdef", ""),), (("ghijkl", ""),)], 6, 2)
    out.seek(0)
    out.truncate()
    assert writer.patch([(0, 2, (("cXe", ""),))])
    assert out.getvalue() == "\x1b[1;4H\x1b[0mX\x1b[0m"  # row 1, column 4: the one new cell
    assert writer.patch([(0, 2, (("cXe", ""),))]) and out.getvalue().count("X") == 1
    # a whole frame that puts the row back writes the cell back, and nothing else
    assert writer.draw([(("abcdef", ""),), (("ghijkl", ""),)], 6, 2) == "\x1b[1;4H\x1b[0md\x1b[0m"


def test_a_patch_that_does_not_fit_the_screen_writes_nothing() -> None:
    out = io.StringIO()
    writer = ScreenWriter(out)
    writer.draw([(("ab漢字", ""),)], 6, 1)
    before = out.getvalue()
    assert not writer.patch([(0, 3, (("x", ""),))])  # would cut 漢 in two
    assert not writer.patch([(0, 4, (("xyz", ""),))])  # beyond the row
    assert not writer.patch([(1, 0, (("x", ""),))])  # no such row
    assert out.getvalue() == before
