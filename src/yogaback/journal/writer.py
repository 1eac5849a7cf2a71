"""The journal's background writer: keeps a playing session's row current.

The session loop must never wait for the disk (each commit is an fsync), so the sink only
notes the latest player state and a thread writes it: progress every ``PROGRESS_INTERVAL``
real seconds, key actions at once, the end when the session ends.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence

from yogaback.journal.store import BUSY_SECONDS, ENDINGS, Journal, JournalError
from yogaback.practice.player import Player, Started

PROGRESS_INTERVAL = 5.0
"""Real seconds between progress writes while a session runs (the most a crash loses).
Each write is an fsync'd commit, 1 to 1.7 ms of CPU here: every 2 s that was 0.03 to 0.05
CPU-s a minute, a sixth of the live screen's whole budget (issue 12); every 5 s it is
under 0.02, and a crash still loses only the last few seconds (issue 5)."""
FINAL_ACTIONS = frozenset({"end", "quit", "interrupt", "terminate"})
URGENT_ACTIONS = frozenset({"pause", "resume", "next", "back"}) | FINAL_ACTIONS

Wait = Callable[[threading.Condition, float], object]
"""How the writer waits between writes: ``wait(condition, seconds)`` with the condition
held, returning early when it is notified. Tests pass one that waits for ``tick()``."""


def wait_real(condition: threading.Condition, seconds: float) -> object:
    return condition.wait(seconds)


def reading(player: Player, now: float) -> tuple[float, int]:
    """(routine seconds practised, the routine's 1-based part number reached)."""
    tl = player.timeline
    return round(player.practised(now), 3), tl.skipped + player.part_index() + 1


class JournalSink:
    """A session sink that keeps the journal's row up to date.

    The session loop calls ``started``/``action`` right after cue deadlines, so they only
    store the latest player (an immutable value) and, for key actions, wake the writer:
    a few microseconds. A background thread writes progress every ``interval`` real seconds
    while anything changed, key actions at once, and the end when the session ends.
    Write errors never reach the session: the first one is kept in ``error``.
    """

    def __init__(
        self,
        journal: Journal,
        session: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval: float = PROGRESS_INTERVAL,
        wait: Wait = wait_real,
    ) -> None:
        self.journal = journal
        self.session = session
        self.clock = clock
        self.interval = interval
        self.wait = wait
        self.rounds = 0
        """Rounds of the writer done (tests wait on it instead of sleeping)."""
        self.error: str | None = None
        self.writes = 0
        self._latest: Player | None = None
        self._final: tuple[str, Player, float] | None = None
        self._urgent = False
        self._stop = False
        self._written: tuple[float, int] | None = None
        self._finished = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="journal", daemon=True)
        self._thread.start()

    # --- the Sink protocol ----------------------------------------------------------------

    def started(self, player: Player, items: Sequence[Started], now: float) -> None:
        self._latest = player  # picked up by the writer's next tick

    def action(self, player: Player, name: str, now: float) -> None:
        with self._cond:
            self._latest = player
            if name in FINAL_ACTIONS and self._final is None:
                self._final = (name, player, now)
            if name in URGENT_ACTIONS:
                self._urgent = True
                self._cond.notify()

    # --- ending ---------------------------------------------------------------------------

    def close(
        self,
        player: Player | None = None,
        timeout: float = BUSY_SECONDS + 1.0,
        *,
        ended_by: str | None = None,
    ) -> None:
        """Write what is left and stop the writer. With ``player`` (the session's last state)
        a session that ended without telling the sinks is closed too; ``ended_by`` (one of
        ``ENDINGS``) closes one still playing, e.g. when its output pipe closed."""
        if ended_by is not None and ended_by not in ENDINGS:
            raise ValueError(f"ended_by must be one of {ENDINGS}")
        with self._cond:
            if player is not None:
                self._latest = player
                if self._final is None and player.status in ("done", "quit"):
                    name = "end" if player.status == "done" else "quit"
                    self._final = (name, player, self.clock())
                elif self._final is None and ended_by is not None and player.status != "ready":
                    self._final = (ended_by, player, self.clock())
            self._stop = True
            self._cond.notify()
        self._thread.join(timeout)

    def tick(self) -> None:
        """Have the writer write progress now, as if ``interval`` had passed (for a ``wait``
        that only returns when notified)."""
        with self._cond:
            self._urgent = True
            self._cond.notify()

    @property
    def finished(self) -> bool:
        return self._finished

    # --- the writer thread ---------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                if not (self._urgent or self._stop or self._final):
                    self.wait(self._cond, self.interval)
                self._urgent = False
                latest, final, stop = self._latest, self._final, self._stop
            if final is not None:
                name, player, now = final
                practised, part = reading(player, now)
                done = name == "end" or player.status == "done"
                if self._write(
                    functools.partial(
                        self.journal.finish,
                        self.session,
                        completed=done,
                        practised=practised,
                        part=part,
                        ended_by=name,
                    )
                ):
                    self._finished = True
                return
            if latest is not None and latest.status != "ready":
                state = reading(latest, self.clock())
                if state != self._written and self._write(
                    functools.partial(self.journal.progress, self.session, *state)
                ):
                    self._written = state
            self.rounds += 1
            if stop:
                return

    def _write(self, do: Callable[[], None]) -> bool:
        try:
            do()
        except (JournalError, sqlite3.Error) as exc:
            if self.error is None:
                self.error = str(exc)
            return False
        self.writes += 1
        return True
