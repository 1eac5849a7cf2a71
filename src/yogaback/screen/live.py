"""The live screen: owns Rich ``Live`` on the alternate screen and redraws only on change."""

from __future__ import annotations

import contextlib
from types import TracebackType

from rich.console import Console
from rich.live import Live

from yogaback.practice.player import Player
from yogaback.routine.model import Routine
from yogaback.screen.view import UiState, View, next_change, render, render_intro, view


class LiveScreen:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.live = Live(
            console=console,
            screen=True,
            auto_refresh=False,
            redirect_stdout=False,
            redirect_stderr=False,
            transient=True,
        )
        self.last: View | None = None
        self.redraws = 0

    def __enter__(self) -> LiveScreen:
        self.live.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # The terminal may be gone (a hang-up): never let that hide how we are ending.
        with contextlib.suppress(OSError):
            self.live.stop()
            self.console.show_cursor(True)

    def suspend(self) -> None:
        """Leave the alternate screen and show the cursor, before a stop (Ctrl-Z)."""
        with contextlib.suppress(OSError):
            self.live.stop()
            self.console.show_cursor(True)

    def resume(self) -> None:
        """After ``fg``: the alternate screen again, drawn in full at the next refresh."""
        self.live.start()
        self.last = None

    def refresh(self, player: Player, now: float, ui: UiState, force: bool = False) -> None:
        width, height = self.console.size
        v = view(player, now, ui, width, height)
        if v == self.last:
            return
        self.last = v
        self.redraws += 1
        self.live.update(render(v), refresh=True)

    def next_change(self, player: Player, now: float) -> float | None:
        """When something on this screen next changes (its width sets the bar's steps)."""
        return next_change(player, now, self.console.size.width)

    def intro(
        self,
        routine: Routine,
        total: float,
        seconds_left: int,
        keys: bool = True,
        note: str | None = None,
    ) -> None:
        width, _ = self.console.size
        self.live.update(
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
            refresh=True,
        )
