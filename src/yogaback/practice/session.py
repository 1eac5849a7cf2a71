"""The session loop: one queue of key presses and signals, one clock, one player.

The loop sleeps on the queue until the earliest of: the next segment's absolute
deadline, the next moment something visible changes, or a key press. It then
asks the pure player what happened and hands that to the sinks (screen, plain
lines, event log, later sound). Nothing here knows how anything is drawn.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import IO, Protocol

from yogaback.practice import player as P
from yogaback.practice.player import Player, Started
from yogaback.practice.ui import KEYS, UiState

Clock = Callable[[], float]
RENDER_GUARD = 0.010
"""Seconds: never start a redraw this close to a cue's deadline; draw just after it."""
NOTICE_SECONDS = 2.0
MAX_FPS = 30.0
"""Redraws per real second at most: at --speed 100 the pacer would otherwise ask for 400."""


class Sink(Protocol):
    def started(self, player: Player, items: Sequence[Started], now: float) -> None: ...

    def action(self, player: Player, name: str, now: float) -> None: ...


class Screen(Protocol):
    def refresh(self, player: Player, now: float, ui: UiState, force: bool = False) -> None: ...

    def next_change(self, player: Player, now: float) -> float | None: ...


class Events(Protocol):
    """Where key presses and signals come from (``terminal.Bus``, or a test's script)."""

    def get(self, timeout: float | None) -> tuple[str, str] | None: ...


class EventLog:
    """``--events FILE``: one JSON line per segment start and per control action."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.error: str | None = None
        self._lock = threading.Lock()  # speech lines come from the sound thread

    def _write(self, record: dict[str, object]) -> None:
        with self._lock:
            if self.error is not None:
                return
            try:
                self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
                self.stream.flush()
            except OSError as exc:  # disk full, say: the session goes on; play reports it
                self.error = exc.strerror or str(exc)
            except ValueError:  # closed already: a clip that ended after the session
                pass

    def speech(self, line: dict[str, object]) -> None:
        """A spoken clip (``kind: speech``), as the sound sink reports it once said."""
        self._write(line)

    def started(self, player: Player, items: Sequence[Started], now: float) -> None:
        for item in items:
            seg = item.segment
            self._write(
                {
                    "kind": "segment",
                    "index": item.index,
                    "part": seg.part,
                    "pose": seg.pose,
                    "name": seg.name,
                    "side": seg.side,
                    "rep": seg.rep,
                    "reps": seg.reps,
                    "phase": seg.phase,
                    "text": seg.text,
                    "at": round(seg.start, 3),
                    "length": round(seg.length, 3),
                    "scheduled": round(item.scheduled - player.started_at, 6),
                    "actual": round(item.actual - player.started_at, 6),
                }
            )

    def action(self, player: Player, name: str, now: float) -> None:
        seg = player.segment()
        scheduled = now
        if name == "end":
            scheduled = player.origin + player.timeline.total / player.speed
        extra = {"muted": player.muted} if name == "mute" else {}  # mute toggles: say which way
        self._write(
            {
                "kind": name,
                "part": seg.part if seg else None,
                "pose": seg.pose if seg else None,
                "side": seg.side if seg else None,
                "rep": seg.rep if seg else None,
                "phase": seg.phase if seg else None,
                "text": seg.text if seg else None,
                "position": round(player.position(now), 3),
                "scheduled": round(scheduled - player.started_at, 6),
                "actual": round(now - player.started_at, 6),
                **extra,
            }
        )


def plain_line(
    seg_start: float, name: str, side: str | None, detail: str, phase: str, text: str
) -> str:
    m, s = divmod(max(0, round(seg_start)), 60)
    bits = [name]
    if side:
        bits.append(side)
    if detail:
        bits.append(detail)
    words = {"transition": "get ready", "exit": "come out"}
    line = f"[{m:02d}:{s:02d}] " + " · ".join(bits) + f" · {words.get(phase, phase)}"
    return f"{line}: {text}" if text else line


class PlainPrinter:
    """One line per cue, flushed at once: for pipes, logs and screen readers. A cue that
    carries on into the next breath of the same part is not repeated: only the count and
    the breath are (a held pose's cue would otherwise be printed on every breath). A pose's
    easier option is printed once, after the first line of its first part."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self._last: tuple[int, str] | None = None
        """(part, text) of the line printed last."""
        self._offered: set[str] = set()
        """Poses whose easier option has been printed."""

    def started(self, player: Player, items: Sequence[Started], now: float) -> None:
        lines = []  # written at once: a reader that stops after one line stops the session
        for item in items:  # at the next cue, not half-way through this one's lines
            seg = item.segment
            rep = f"{seg.rep} of {seg.reps}" if seg.rep is not None and seg.reps else ""
            said = (seg.part, seg.text)
            text = "" if said == self._last else seg.text
            self._last = said
            lines.append(plain_line(seg.start, seg.name, seg.side, rep, seg.phase, text))
            if seg.gentler and seg.pose not in self._offered:
                self._offered.add(seg.pose)
                m, s = divmod(max(0, round(seg.start)), 60)
                lines.append(f"[{m:02d}:{s:02d}] {seg.name} · easier: {seg.gentler}")
        self.stream.write("".join(line + "\n" for line in lines))
        self.stream.flush()

    def keys(self, player: Player, now: float) -> None:
        """``?``: the keys, as one line (there is no help screen to open)."""
        m, s = divmod(max(0, round(player.position(now))), 60)
        self.stream.write(f"[{m:02d}:{s:02d}] keys: {KEYS}\n")
        self.stream.flush()

    def action(self, player: Player, name: str, now: float) -> None:
        self._last = None  # after a key (back, next, resume...) the next cue is said in full
        if name in ("end",):
            return
        m, s = divmod(max(0, round(player.position(now))), 60)
        self.stream.write(f"[{m:02d}:{s:02d}] ({name})\n")
        self.stream.flush()


KEYMAP = {
    "space": "pause",
    "n": "next",
    "right": "next",
    "p": "back",
    "left": "back",
    "+": "longer",
    "=": "longer",
    "-": "shorter",
    "_": "shorter",
    "m": "mute",
    "?": "help",
    "h": "help",
    "q": "quit",
    "escape": "quit",
    "Q": "quit",
}


@dataclass
class Session:
    player: Player
    clock: Clock = time.monotonic
    bus: Events | None = None
    sleep: Callable[[float], None] = time.sleep
    spin: float = 0.0
    """Seconds before a cue to stop sleeping and spin; only for a real clock (a fake
    clock would never move while spinning)."""
    sinks: list[Sink] = field(default_factory=list)
    screen: Screen | None = None
    ui: UiState = field(default_factory=UiState)
    show_keys: Callable[[Player, float], None] | None = None
    """What ``?`` does without a screen to show help on (``--plain``: print the keys)."""
    suspend: Callable[[], None] | None = None
    """Ctrl-Z: give the terminal back and stop the process; returns when continued (fg)."""

    def _notify(self, name: str, now: float) -> None:
        for sink in self.sinks:
            sink.action(self.player, name, now)

    def _notice(self, text: str, now: float) -> None:
        self.ui = replace(self.ui, notice=text, notice_until=now + NOTICE_SECONDS)

    def handle_key(self, key: str, now: float) -> None:
        action = KEYMAP.get(key)
        p = self.player
        if action is None:
            return
        if action == "pause":
            self.player = P.toggle_pause(p, now)
            action = "pause" if self.player.status == "paused" else "resume"
        elif action == "next":
            self.player = P.skip(p, now)
        elif action == "back":
            self.player = P.back(p, now)
        elif action in ("longer", "shorter"):
            delta = P.ADJUST_STEP if action == "longer" else -P.ADJUST_STEP
            self.player, ok = P.adjust(p, now, delta)
            # a shorter hold keeps a second before its next cue: say where that leaves it
            limit = (
                "as short as it goes before its next instruction"
                if P.hold_goes_on(p)
                else "as short as it goes"
            )
            if not ok:  # nothing happened: not an action to log
                shortest = P.in_timed_hold(p)
                self._notice(f"already {limit}" if shortest else "+/− change timed holds only", now)
                return
            # what the countdown moved by: less than 15 s when the hold was nearly over
            moved = round(self.player.timeline.total - p.timeline.total)
            if moved > 0:
                self._notice(f"+{moved} s", now)
            elif -moved < P.ADJUST_STEP:
                self._notice(f"−{-moved} s, {limit}", now)
            else:
                self._notice(f"−{-moved} s", now)
        elif action == "mute":
            if self.ui.sound:  # --no-sound: nothing to mute, and no "muted" to show
                self._notice(f"no sound in this session ({self.ui.sound})", now)
                return
            self.player = P.toggle_mute(p)
            self._notice("sound muted" if self.player.muted else "sound on", now)
        elif action == "help" and self.show_keys is not None:
            self.show_keys(p, now)  # plain lines: the keys, once; the session plays on
            return
        elif action == "help":
            # Reading the help should not cost practice time: it pauses, and closing it
            # resumes (only if it was the help that paused).
            opening = not self.ui.show_help
            self.ui = replace(self.ui, show_help=opening)
            if opening and p.status == "playing":
                self.player = P.pause(p, now)
                self.ui = replace(self.ui, help_paused=True)
                self._notify("pause", now)
            elif not opening and self.ui.help_paused:
                self.ui = replace(self.ui, help_paused=False)
                if p.status == "paused":
                    self.player = P.resume(p, now)
                    self._notify("resume", now)
            return
        elif action == "quit":
            self.player = P.stop(p, now)
        self._notify(action, now)

    def run(self) -> Player:
        """Play from the current state until the end or a quit. Exceptions propagate
        (Ctrl-C, SIGTERM); ``self.player`` always holds the latest state."""
        now = self.clock()
        if self.player.status == "ready":
            self.player = P.start(self.player, now)
        force = True
        drawn_at = -math.inf
        while True:
            now = self.clock()
            self.player, started = P.advance(self.player, now)
            if started:
                for sink in self.sinks:
                    sink.started(self.player, started, now)
                force = True
            if self.player.status == "done":
                self._notify("end", now)
                return self.player
            if self.player.status == "quit":
                return self.player
            deadline = self.player.next_deadline()
            if self.screen is not None and (deadline is None or deadline - now > RENDER_GUARD):
                self.screen.refresh(self.player, now, self.ui, force)
                force = False
                drawn_at = now
            change = self.screen.next_change(self.player, now) if self.screen else None
            if change is not None:
                change = max(change, drawn_at + 1.0 / MAX_FPS)
            wake = min(
                deadline if deadline is not None else math.inf,
                change if change is not None else math.inf,
                self.ui.notice_until if self.ui.notice_until > now else math.inf,
            )
            # For a cue, sleep until just before its deadline and spin the rest: waking
            # from a sleep can be a few ms late on a busy machine; a short spin cannot.
            early = self.spin if deadline is not None and wake == deadline else 0.0
            timeout = None if wake == math.inf else max(0.0, wake - early - self.clock())
            if self.bus is None:
                if timeout is None:
                    return self.player  # nothing can ever happen: paused with no keys
                self.sleep(timeout)
                self._spin_until(wake if early else None)
                continue
            event = self.bus.get(timeout)
            if event is None:
                self._spin_until(wake if early else None)
                continue
            kind, value = event
            now = self.clock()
            if kind == "key":
                self.handle_key(value, now)
            elif (kind, value) == ("signal", "stop"):
                self.stop_and_continue()
            force = True

    def stop_and_continue(self) -> None:
        """Ctrl-Z, then fg: the time stopped is a pause. The player pauses at the stop, so
        no cue is missed or rushed afterwards and none of it counts as practice; after
        ``fg`` it plays on, unless the user had paused it before."""
        now = self.clock()
        playing = self.player.status == "playing"
        if playing:
            self.player = P.pause(self.player, now)
        if self.player.status in ("playing", "paused"):
            self._notify("suspend", now)
        if self.suspend is not None:
            self.suspend()
        now = self.clock()
        if playing and self.player.status == "paused":
            self.player = P.resume(self.player, now)
        if self.player.status in ("playing", "paused"):
            self._notify("continue", now)

    def _spin_until(self, deadline: float | None) -> None:
        while deadline is not None and self.clock() < deadline:
            pass

    def interrupt(self, name: str) -> None:
        """Record a stop that came from outside (Ctrl-C, a signal)."""
        now = self.clock()
        if self.player.status in ("playing", "paused"):
            self.player = P.stop(self.player, now)
            self._notify(name, now)
