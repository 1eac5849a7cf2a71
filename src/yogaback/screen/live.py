"""The live screen: the alternate screen, drawn by a writer that sends only what changed.

Rich's ``Live`` repainted the whole screen at every change; ``ScreenWriter`` diffs each
frame against the last and writes the changed cells, so a countdown tick costs a few
dozen bytes instead of a screenful. Most frames do not even lay out a whole frame: when
only the pacer, the figure, the countdown and the session bar moved, those are redrawn
where the last whole frame put them. The alternate screen and the cursor are still
switched through the Rich console, and always given back on the way out.
"""

from __future__ import annotations

import contextlib
from types import TracebackType

from rich.console import COLOR_SYSTEMS, Console, RenderableType

from yogaback.practice.player import Player
from yogaback.routine.model import Routine
from yogaback.screen import layout as _layout
from yogaback.screen import view as _view
from yogaback.screen.layout import Drawn, Moving, render_intro
from yogaback.screen.view import Figures, UiState, View, next_change
from yogaback.screen.writer import Row, ScreenWriter


def _moving_values(v: View) -> tuple[int, int, int, int, float]:
    return (v.part_left, v.elapsed, v.progress, v.pacer, v.figure_phase)


class LiveScreen:
    def __init__(self, console: Console, figures: Figures | None = None) -> None:
        self.console = console
        self.figures = figures
        system = COLOR_SYSTEMS.get(console.color_system or "")
        self.writer = ScreenWriter(console.file, system, console.no_color)
        self.last: View | None = None
        """The view last drawn whole."""
        self.shown: tuple[int, int, int, int, float] = (0, 0, 0, 0, 0.0)
        """What the countdown, the elapsed clock, the session bar, the pacer and the figure
        show now: ``last`` as drawn, then moved on by ``_move``."""
        self.moving: Moving | None = None
        """Where the moving parts are in the frame on screen (None: redraw it whole)."""
        self._drawn_for: tuple[object, int, UiState] | None = None
        self._sized: tuple[float, int, int] | None = None
        self.redraws = 0
        self.active = False

    def __enter__(self) -> LiveScreen:
        self._start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # The terminal may be gone (a hang-up): never let that hide how we are ending.
        with contextlib.suppress(OSError, ValueError):
            self._stop()

    def _start(self) -> None:
        self.console.set_alt_screen(True)
        self.console.show_cursor(False)
        self.active = True
        self.writer.invalidate()
        self.last = None
        self.moving = None
        self._sized = None

    def _stop(self) -> None:
        if self.active:
            self.active = False
            self.console.file.write("\x1b[0m")
            self.console.show_cursor(True)
            self.console.set_alt_screen(False)
        self.console.show_cursor(True)
        self.console.file.flush()

    def suspend(self) -> None:
        """Leave the alternate screen and show the cursor, before a stop (Ctrl-Z)."""
        with contextlib.suppress(OSError, ValueError):
            self._stop()

    def resume(self) -> None:
        """After ``fg``: the alternate screen again, drawn in full at the next refresh."""
        self._start()

    def _size(self, now: float, force: bool) -> tuple[int, int]:
        """The terminal's size, asked again after an event (a resize is one) and at most a
        second after the last asking: Rich's ``Console.size`` runs its terminal checks at
        every call, a tenth of a quiet frame's cost."""
        if force or self._sized is None or now - self._sized[0] >= 1.0 or now < self._sized[0]:
            width, height = self.console.size
            self._sized = (now, width, height)
        return self._sized[1], self._sized[2]

    def refresh(self, player: Player, now: float, ui: UiState, force: bool = False) -> None:
        width, height = self._size(now, force)
        if not force and self._move(player, now, ui, width, height):
            return
        v = _view.view(player, now, ui, width, height, self.figures)
        if v == self.last and _moving_values(v) == self.shown:
            return
        self.last = v
        self.shown = _moving_values(v)
        self.redraws += 1
        drawn = _layout.render(v)  # looked up at each call, so a test can plant a fault
        self._draw(drawn, width, height)
        self.moving = drawn.moving if isinstance(drawn, Drawn) else None
        self._drawn_for = (player.timeline, player.current, ui)

    def _move(self, player: Player, now: float, ui: UiState, width: int, height: int) -> bool:
        """Redraw just what moved, if only the pacer, the figure, the countdown and the
        session bar did since the last frame (most frames: the rest changes when a new part
        or breath begins, or after a key). Laying out and diffing a whole frame costs 2 to 3
        times as much, with the caches gone cold between frames as they are in a process
        that wakes a few times a second. False when a whole frame must be drawn."""
        v, moving, shown = self.last, self.moving, self.shown
        if (
            v is None
            or moving is None
            or self._drawn_for != (player.timeline, player.current, ui)
            or (player.status, player.muted, width, height)
            != (v.status, v.muted, v.width, v.height)
        ):
            return False
        tl = player.timeline
        index = max(0, player.current)
        seg = tl.segments[index]
        pos = player.position(now)
        part_left, elapsed, progress = _view.ticks(player, seg, pos, width)
        previous = tl.segments[index - 1] if index > 0 else None
        pacer = _view.pacer_cells(seg, pos, v.pacer_width, previous)
        phase = _view.figure_phase(seg, pos, previous) if v.figure else 0.0
        values = (part_left, elapsed, progress, pacer, phase)
        if values == shown:
            return True
        if (pacer < 0) != (v.pacer < 0):
            return False
        was_left, was_elapsed, was_progress, was_pacer, was_phase = shown
        pieces: list[tuple[int, int, Row]] = []
        if pacer != was_pacer:
            cells = min(v.pacer_width, moving.width)
            style, ink = moving.pacer_style, moving.pacer_ink
            row = _layout.pacer_row(pacer, cells, moving.width, style, ink)
            pieces += [(y, moving.x, row) for y in moving.pacer]
        if phase != was_phase and moving.figure is not None and v.drawing is not None:
            y, x, w, h = moving.figure
            was = _layout.figure_rows(v.drawing, w, h, was_phase, v.mirror)
            shape = _layout.figure_rows(v.drawing, w, h, phase, v.mirror)
            changed = enumerate(zip(was, shape, strict=True))
            pieces += [(y + i, x, row) for i, (gone, row) in changed if gone != row]
        if part_left != was_left:
            digits = _layout.countdown_rows(part_left, moving.width, moving.clock_rows)
            if not moving.clock or len(digits) != len(moving.clock):
                return False  # the digits take another place: the whole frame
            pieces += [(y, moving.x, row) for y, row in zip(moving.clock, digits, strict=True)]
        if (elapsed, progress) != (was_elapsed, was_progress):
            if moving.bar < 0:
                return False
            styles = _layout.PALETTES.get(v.theme, _layout.PHASE_STYLES)
            bar = _layout.session_bar(progress, v.bar_width, elapsed, v.total, width, styles)
            pieces.append((moving.bar, 0, bar))
        if pieces and not self.writer.patch(pieces):
            return False
        self.shown = values
        self.redraws += 1
        return True

    def _draw(self, drawn: RenderableType, width: int, height: int) -> None:
        if isinstance(drawn, Drawn):
            rows = drawn.rows
        else:  # anything else Rich can render (the intro, the one-line view)
            options = self.console.options.update(width=width, height=height)
            lines = self.console.render_lines(drawn, options, pad=True)
            rows = [tuple((seg.text, seg.style or "") for seg in line) for line in lines]
        padded: list[Row] = list(rows[:height])
        padded += [((" " * width, ""),)] * (height - len(padded))
        self.writer.draw(padded, width, height)

    def next_change(self, player: Player, now: float) -> float | None:
        """When something on this screen next changes (its width sets the bar's steps)."""
        return next_change(player, now, self._size(now, False)[0])

    def intro(
        self,
        routine: Routine,
        total: float,
        seconds_left: int,
        keys: bool = True,
        note: str | None = None,
    ) -> None:
        width, height = self.console.size
        self.last = None
        self.moving = None
        self._draw(
            render_intro(
                routine.title,
                routine.summary,
                total,
                routine.props,
                routine.safety,
                seconds_left,
                width,
                keys,
                note,
            ),
            width,
            height,
        )
