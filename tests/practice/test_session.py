"""The session loop with a fake clock and a scripted key bus: nothing sleeps.

``FakeBus.get(timeout)`` moves the fake clock on by ``timeout`` (or to the next scripted
key, if that comes first) instead of blocking, so a 30-minute routine runs in
milliseconds and every reading is exact.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from builders import small
from yogaback.practice import player as P
from yogaback.practice.player import ADJUST_STEP, Player, Started
from yogaback.practice.session import (
    KEYMAP,
    MAX_FPS,
    NOTICE_SECONDS,
    RENDER_GUARD,
    EventLog,
    PlainPrinter,
    Session,
    plain_line,
)
from yogaback.practice.timeline import Timeline, compile_timeline
from yogaback.routine.load import load_routine
from yogaback.screen.layout import KEYS as KEYS_BAR
from yogaback.screen.view import UiState, View, next_change, view

SEQUENCES = Path(__file__).resolve().parents[2] / "sequences"
T0 = 1000.0


# --- fakes ----------------------------------------------------------------------------------


class Blocked(Exception):
    """The session asked to wait forever and no key is left to wake it."""


@dataclass
class FakeClock:
    t: float = T0

    def now(self) -> float:
        return self.t


@dataclass
class FakeBus:
    """Scripted events at clock times; waiting moves the clock instead of sleeping."""

    clock: FakeClock
    events: list[tuple[float, tuple[str, str]]] = field(default_factory=list)
    timeouts: list[float | None] = field(default_factory=list)
    limit: int = 200_000
    late: float = 0.0
    """Wake this much after a timeout, as a real sleep does."""

    def key(self, at: float, name: str) -> FakeBus:
        self.events.append((at, ("key", name)))
        self.events.sort(key=lambda e: e[0])
        return self

    def get(self, timeout: float | None) -> tuple[str, str] | None:
        self.timeouts.append(timeout)
        assert len(self.timeouts) < self.limit, "the session loop is spinning"
        now = self.clock.t
        if timeout is not None:
            assert timeout >= 0
        if self.events and (timeout is None or self.events[0][0] <= now + timeout):
            at, event = self.events.pop(0)
            self.clock.t = max(now, at)
            return event
        if timeout is None:
            raise Blocked
        later = now + timeout + self.late
        self.clock.t = later if later > now else math.nextafter(now, math.inf)
        return None


@dataclass
class RecordingSink:
    """A sink that keeps what it was told."""

    batches: list[tuple[list[int], float]] = field(default_factory=list)
    actions: list[tuple[str, float, str]] = field(default_factory=list)

    def started(self, player: Player, items: Sequence[Started], now: float) -> None:
        self.batches.append(([s.index for s in items], now))

    def action(self, player: Player, name: str, now: float) -> None:
        self.actions.append((name, now, player.status))

    def indices(self) -> list[int]:
        return [i for batch, _ in self.batches for i in batch]


@dataclass
class RecordingScreen:
    """A screen that keeps every view it was asked to draw, and when."""

    width: int = 60
    height: int = 20
    frames: list[tuple[float, bool, View]] = field(default_factory=list)
    deadlines: list[float | None] = field(default_factory=list)

    def refresh(self, player: Player, now: float, ui: UiState, force: bool = False) -> None:
        self.frames.append((now, force, view(player, now, ui, self.width, self.height)))
        self.deadlines.append(player.next_deadline())

    def next_change(self, player: Player, now: float) -> float | None:
        return next_change(player, now, self.width)


def session(
    tl: Timeline,
    keys: Sequence[tuple[float, str]] = (),
    speed: float = 1.0,
    screen: RecordingScreen | None = None,
    late: float = 0.0,
) -> tuple[Session, FakeBus, RecordingSink, io.StringIO, io.StringIO]:
    clock = FakeClock()
    bus = FakeBus(clock, late=late)
    for at, name in keys:
        bus.key(T0 + at, name)
    rec = RecordingSink()
    log, plain = io.StringIO(), io.StringIO()
    s = Session(
        Player(tl, speed=speed),
        clock=clock.now,
        bus=bus,
        sinks=[rec, EventLog(log), PlainPrinter(plain)],
        screen=screen,
    )
    return s, bus, rec, log, plain


def records(log: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.getvalue().splitlines()]


FIELDS = {"kind", "pose", "side", "rep", "phase", "text", "scheduled", "actual"}


# --- keys -----------------------------------------------------------------------------------


def _playing_in_hold() -> tuple[Session, RecordingSink, float]:
    tl = small()
    s, _, rec, _, _ = session(tl)
    s.player = P.start(s.player, T0)
    s.player, _ = P.advance(s.player, T0 + 20.0)  # 2 s into the 20 s hold of part 1
    return s, rec, T0 + 20.0


EXPECTED = {
    "pause": lambda p, now: P.toggle_pause(p, now),
    "next": lambda p, now: P.skip(p, now),
    "back": lambda p, now: P.back(p, now),
    "longer": lambda p, now: P.adjust(p, now, ADJUST_STEP)[0],
    "shorter": lambda p, now: P.adjust(p, now, -ADJUST_STEP)[0],
    "mute": lambda p, now: P.toggle_mute(p),
    "quit": lambda p, now: P.stop(p, now),
}


@pytest.mark.parametrize("key", sorted(KEYMAP))
def test_each_key_does_its_action(key: str) -> None:
    s, rec, now = _playing_in_hold()
    before = s.player
    s.handle_key(key, now)
    action = KEYMAP[key]
    if action == "help":
        # reading the help pauses; closing it resumes, as if it never happened
        assert s.ui.show_help and s.player == P.pause(before, now)
        assert rec.actions == [("pause", now, "paused")]
        s.handle_key(key, now + 5.0)
        assert not s.ui.show_help and s.player == P.resume(P.pause(before, now), now + 5.0)
        assert rec.actions[-1] == ("resume", now + 5.0, "playing")
        return
    assert s.player == EXPECTED[action](before, now)
    assert rec.actions == [(action, now, s.player.status)]


def test_the_keymap_covers_the_key_bar() -> None:
    assert {KEYMAP[k] for k in ("space", "n", "p", "+", "-", "m", "?", "q")} == {
        "pause",
        "next",
        "back",
        "longer",
        "shorter",
        "mute",
        "help",
        "quit",
    }
    assert KEYMAP["escape"] == "quit" and KEYMAP["right"] == "next" and KEYMAP["left"] == "back"


def test_space_twice_is_pause_then_resume() -> None:
    s, rec, now = _playing_in_hold()
    s.handle_key("space", now)
    s.handle_key("space", now + 30)
    assert [a[0] for a in rec.actions] == ["pause", "resume"]
    assert s.player.status == "playing"
    assert s.player.position(now + 30) == pytest.approx(20.0)


def test_unknown_keys_do_nothing() -> None:
    s, rec, now = _playing_in_hold()
    before = (s.player, s.ui)
    for key in ("x", "enter", "up", "backspace", "Z"):
        s.handle_key(key, now)
    assert (s.player, s.ui) == before and rec.actions == []


def test_adjust_and_mute_leave_a_notice() -> None:
    s, _, now = _playing_in_hold()
    s.handle_key("+", now)
    assert s.ui.notice == "+15 s" and s.ui.notice_until == now + NOTICE_SECONDS
    s.handle_key("-", now)
    assert s.ui.notice == "−15 s"
    s.player, _ = P.advance(s.player, T0 + 40.0)  # now in the hold's second stretch
    s.player = replace(s.player, timeline=small())
    s.handle_key("m", now)
    assert s.ui.notice == "sound muted" and s.player.muted


def test_adjust_on_a_breath_says_so() -> None:
    tl = small()
    s, _, rec, _, _ = session(tl)
    s.player = P.start(s.player, T0)
    s.player, _ = P.advance(s.player, T0 + 6.0)  # an in-breath
    s.handle_key("+", T0 + 6.0)
    assert s.ui.notice == "+/− change timed holds only"
    assert s.player.timeline == tl
    assert rec.actions == []  # refused: nothing happened, so no action is logged


def test_shorter_pressed_fast_says_what_it_did_until_the_hold_is_as_short_as_it_goes() -> None:
    """18 s left: -15 s, then the 2 s that leave one second, then nothing: each notice says
    what happened, and the countdown moves by exactly that."""
    tl = small()
    k = next(i for i, seg in enumerate(tl.segments) if seg.side == "right" and seg.phase == "hold")
    assert tl.segments[k + 1].part != tl.segments[k].part  # a hold without timed cues
    s, _, rec, _, _ = session(tl)
    now = T0 + tl.segments[k].end - 18.0
    s.player, _ = P.advance(P.start(s.player, T0), now)

    def countdown() -> int:
        return view(s.player, now, s.ui, 60, 20).part_left

    said = []
    for _ in range(3):
        before = countdown()
        s.handle_key("-", now)
        said.append((s.ui.notice, before - countdown()))
    assert said == [
        ("−15 s", 15),
        ("−2 s, as short as it goes", 2),
        ("already as short as it goes", 0),
    ]
    assert s.player.timeline.segments[s.player.current].end - s.player.position(now) == 1.0
    assert [a[0] for a in rec.actions] == ["shorter", "shorter"]  # the third did nothing


def test_shorter_in_a_hold_split_by_a_cue_says_it_stops_at_the_cue() -> None:
    """A timed cue splits a hold: - shortens only up to that cue, and says so rather than
    calling the hold as short as it goes (after the cue, - works again)."""
    tl = small()
    k = next(i for i, seg in enumerate(tl.segments) if seg.phase == "hold" and seg.unit is None)
    assert tl.segments[k + 1].part == tl.segments[k].part  # the hold's cue at 10 s
    s, _, _, _, _ = session(tl)
    now = T0 + tl.segments[k].end - 5.0
    s.player, _ = P.advance(P.start(s.player, T0), now)
    s.handle_key("-", now)
    assert s.ui.notice == "−4 s, as short as it goes before its next instruction"
    s.handle_key("-", now)
    assert s.ui.notice == "already as short as it goes before its next instruction"


def test_mute_without_sound_says_there_is_none() -> None:
    """--no-sound: nothing to mute, so m says so and no 'muted' appears at the top."""
    s, rec, now = _playing_in_hold()
    s.ui = replace(s.ui, sound="--no-sound")
    s.handle_key("m", now)
    assert s.ui.notice == "no sound in this session (--no-sound)"
    assert not s.player.muted and rec.actions == []
    top = view(s.player, now, s.ui, 60, 20)
    assert not top.muted


def test_help_with_plain_lines_prints_the_keys_and_plays_on() -> None:
    """--plain has no help screen: ? prints the key bar once, as a line, and the cues keep
    their times (it does not pause, as the help screen does)."""
    tl = small()
    quiet, _, _, _, unkeyed = session(tl)
    keyed, _, rec, _, plain = session(tl, keys=[(5.0, "?")])
    printer = next(sink for sink in keyed.sinks if isinstance(sink, PlainPrinter))
    keyed.show_keys = printer.keys
    quiet.run()
    keyed.run()
    lines = plain.getvalue().splitlines()
    assert lines.count(f"[00:05] keys: {KEYS_BAR}") == 1, lines
    assert [ln for ln in lines if "keys:" not in ln] == unkeyed.getvalue().splitlines()
    assert rec.actions == [("end", rec.actions[-1][1], "done")]
    assert not keyed.ui.show_help


# --- a whole run ----------------------------------------------------------------------------


@pytest.mark.parametrize("speed", [1.0, 10.0])
def test_a_run_logs_every_segment_on_time(speed: float) -> None:
    tl = small()
    s, _, rec, log, _ = session(tl, speed=speed)
    end = s.run()
    assert end.status == "done"
    assert end.played == pytest.approx(tl.total)
    assert rec.indices() == list(range(len(tl.segments)))
    rows = records(log)
    assert len(rows) == len(tl.segments) + 1
    for row, seg in zip(rows, tl.segments, strict=False):
        assert set(row) >= FIELDS
        assert row["kind"] == "segment"
        assert (row["pose"], row["side"], row["rep"], row["phase"], row["text"]) == (
            seg.pose,
            seg.side,
            seg.rep,
            seg.phase,
            seg.text,
        )
        assert row["scheduled"] == pytest.approx(seg.start / speed, abs=1e-6)
        assert row["actual"] == row["scheduled"]
    last = rows[-1]
    assert set(last) >= FIELDS
    assert last["kind"] == "end"
    assert last["scheduled"] == pytest.approx(tl.total / speed, abs=1e-6)
    assert last["actual"] == pytest.approx(tl.total / speed, abs=1e-6)
    assert rec.actions == [("end", pytest.approx(T0 + tl.total / speed), "done")]


def test_thirty_minutes_in_a_few_milliseconds_without_drift() -> None:
    tl = compile_timeline(load_routine(SEQUENCES / "upper-back.yaml"))
    s, bus, _, log, plain = session(tl)
    s.run()
    rows = records(log)
    assert len(rows) == len(tl.segments) + 1
    worst = max(abs(r["actual"] - r["scheduled"]) for r in rows)  # type: ignore[operator]
    assert worst < 1e-6
    assert rows[-1]["actual"] == pytest.approx(tl.total, abs=1e-6)
    assert len(bus.timeouts) <= len(tl.segments) + 2  # no screen: wake only for cues
    assert "[00:15] Arrive · 1 of 3 · inhale: Breathe in slowly through your nose." in (
        plain.getvalue().splitlines()
    )


@pytest.mark.parametrize("screen", [None, RecordingScreen()])
def test_late_wakes_do_not_accumulate(screen: RecordingScreen | None) -> None:
    """Every wake comes 3 ms late: each cue is logged 3 ms after its ideal time, never
    more, and the schedule stays on the ideal times (nothing drifts)."""
    tl = compile_timeline(load_routine(SEQUENCES / "upper-back.yaml"))
    s, _, _, log, _ = session(tl, screen=screen, late=0.003)
    s.run()
    rows = records(log)
    segs = [r for r in rows if r["kind"] == "segment"]
    assert len(segs) == len(tl.segments)
    for r, seg in zip(segs, tl.segments, strict=True):
        assert r["scheduled"] == pytest.approx(seg.start, abs=1e-6)
        assert 0.0 <= r["actual"] - r["scheduled"] <= 0.003 + 1e-6  # type: ignore[operator]
    assert rows[-1]["scheduled"] == pytest.approx(tl.total, abs=1e-6)
    assert s.player.played == pytest.approx(tl.total)


PLAIN = re.compile(
    r"^\[\d\d:\d\d\] [^·]+( · (right|left))?( · \d+ of \d+)? · "
    r"(get ready|inhale|exhale|hold|rest)(: \S.*)?$"
)


def test_plain_lines_have_one_shape() -> None:
    tl = compile_timeline(load_routine(SEQUENCES / "upper-back.yaml"))
    s, _, _, _, plain = session(tl, speed=50.0)
    s.run()
    every = plain.getvalue().splitlines()
    lines = [ln for ln in every if " · easier: " not in ln]  # once per pose, after its first
    offered = {s.pose for s in tl.segments if s.gentler}
    assert len(every) - len(lines) == len(offered)
    assert len(lines) == len(tl.segments)
    before = None
    for line, seg in zip(lines, tl.segments, strict=True):
        m, sec = divmod(round(seg.start), 60)
        assert line.startswith(f"[{m:02d}:{sec:02d}] {seg.name}"), line
        assert PLAIN.match(line), line
        repeated = before is not None and (before.part, before.text) == (seg.part, seg.text)
        assert line.endswith(seg.phase if repeated else f": {seg.text}"), line
        before = seg
    twist = next(ln for ln in lines if "Shoulder-blade reaches · right · 1 of 6 · inhale" in ln)
    assert twist.startswith("[")


def test_plain_line_function() -> None:
    assert plain_line(5.4, "Arrive", None, "1 of 3", "inhale", "In.") == (
        "[00:05] Arrive · 1 of 3 · inhale: In."
    )
    assert plain_line(3725.0, "Twist", "left", "", "transition", "Go.") == (
        "[62:05] Twist · left · get ready: Go."
    )


def test_pause_and_resume_shift_the_schedule() -> None:
    tl = small()
    s, bus, _, log, plain = session(tl, keys=[(6.0, "space"), (11.0, "space")])
    s.run()
    rows = records(log)
    kinds = [r["kind"] for r in rows]
    assert kinds.count("pause") == 1 and kinds.count("resume") == 1
    pause = rows[kinds.index("pause")]
    resume = rows[kinds.index("resume")]
    assert set(pause) >= FIELDS and set(resume) >= FIELDS
    assert (pause["actual"], resume["actual"]) == (6.0, 11.0)
    assert pause["scheduled"] == pause["actual"]
    assert (pause["pose"], pause["phase"], pause["rep"]) == ("seat", "inhale", 1)
    segs = [r for r in rows if r["kind"] == "segment"]
    for r, seg in zip(segs, tl.segments, strict=True):
        shift = 5.0 if seg.start > 6.0 else 0.0
        assert r["scheduled"] == pytest.approx(seg.start + shift, abs=1e-6)
        assert r["actual"] == r["scheduled"]
    assert rows[-1]["kind"] == "end" and rows[-1]["actual"] == pytest.approx(tl.total + 5)
    assert s.player.played == pytest.approx(tl.total)
    assert bus.timeouts.count(None) == 1  # paused: waits for a key, no polling
    lines = plain.getvalue().splitlines()
    # action lines read like cue lines: [MM:SS] at the routine position, then the action
    assert [ln for ln in lines if "(" in ln] == ["[00:06] (pause)", "[00:06] (resume)"]


@pytest.mark.parametrize("paused_before", [False, True], ids=["playing", "paused"])
def test_a_stop_and_fg_is_a_pause_that_never_counts_as_practice(paused_before: bool) -> None:
    # Ctrl-Z at 6 s of real time, at --speed 10; the process stays stopped 20 s (the
    # suspend hook moves the fake clock on, as being stopped does to the real one).
    tl = small()
    speed = 10.0
    keys = [(3.0, "space"), (29.0, "space")] if paused_before else []
    s, bus, _, log, _ = session(tl, keys=keys, speed=speed)
    bus.events.append((T0 + 6.0, ("signal", "stop")))
    bus.events.sort(key=lambda e: e[0])
    seen: list[str] = []

    def suspend() -> None:
        seen.append(s.player.status)  # paused before the terminal is given back
        bus.clock.t += 20.0

    s.suspend = suspend
    s.run()
    assert seen == ["paused"]
    rows = records(log)
    actions = [(r["kind"], r["actual"]) for r in rows if r["kind"] != "segment"]
    if paused_before:  # the user's pause is kept: fg does not resume it
        assert actions == [
            ("pause", 3.0),
            ("suspend", 6.0),
            ("continue", 26.0),
            ("resume", 29.0),
            ("end", pytest.approx(29.0 + (tl.total - 30.0) / speed)),
        ]
    else:
        assert actions == [
            ("suspend", 6.0),
            ("continue", 26.0),
            ("end", pytest.approx(26.0 + (tl.total - 60.0) / speed)),
        ]
    # the time stopped is no practice (it used to count 20 s x 10 = 200 s) ...
    assert s.player.played == pytest.approx(tl.total)
    # ... and no burst of missed cues after fg: each one on time, none twice
    segs = [r for r in rows if r["kind"] == "segment"]
    assert len(segs) == len(tl.segments)
    assert all(r["actual"] == pytest.approx(r["scheduled"], abs=1e-6) for r in segs)
    assert [r["actual"] for r in segs] == sorted(r["actual"] for r in segs)
    assert all(not 6.0 < float(r["actual"]) < 26.0 for r in segs)  # type: ignore[arg-type]


def test_next_key_moves_to_the_next_part_at_once() -> None:
    tl = small()
    s, _, _, log, _ = session(tl, keys=[(20.0, "n")])
    s.run()
    rows = records(log)
    k = next(i for i, r in enumerate(rows) if r["kind"] == "next")
    after = rows[k + 1]
    assert after["kind"] == "segment" and after["pose"] == "cat"
    assert after["phase"] == "transition"
    assert after["actual"] == pytest.approx(20.0, abs=1e-6)
    assert after["scheduled"] == pytest.approx(20.0, abs=1e-6)
    # the skipped 28 s are not practised, and the end comes 28 s early
    assert s.player.played == pytest.approx(tl.total - 28.0)
    assert rows[-1]["actual"] == pytest.approx(tl.total - 28.0, abs=1e-6)
    skipped = {
        tl.segments[i].text for i in range(len(tl.segments)) if 20 < tl.segments[i].start < 48
    }
    assert skipped == {"soften"}
    assert "soften" not in [r["text"] for r in rows if r["kind"] == "segment"]


def test_back_key_replays_the_part() -> None:
    tl = small()
    s, _, _, log, _ = session(tl, keys=[(30.0, "p")])
    s.run()
    rows = records(log)
    k = next(i for i, r in enumerate(rows) if r["kind"] == "back")
    assert rows[k + 1]["pose"] == "fold" and rows[k + 1]["phase"] == "transition"
    assert s.player.played == pytest.approx(tl.total + 17.0)


def test_quit_stops_and_records_the_time_practised() -> None:
    tl = small()
    s, _, _, log, plain = session(tl, keys=[(25.0, "q")])
    end = s.run()
    assert end.status == "quit"
    assert end.played == pytest.approx(25.0)
    rows = records(log)
    assert rows[-1]["kind"] == "quit" and rows[-1]["actual"] == 25.0
    assert rows[-1]["pose"] == "fold"
    assert max(r["actual"] for r in rows) == 25.0  # nothing after the quit
    assert plain.getvalue().splitlines()[-1] == "[00:25] (quit)"


def test_longer_hold_moves_the_rest_of_the_session() -> None:
    tl = small()
    s, _, _, log, _ = session(tl, keys=[(20.0, "+")])
    s.run()
    rows = [r for r in records(log) if r["kind"] == "segment"]
    for r, seg in zip(rows, tl.segments, strict=True):
        shift = 15.0 if seg.start > 20.0 else 0.0
        assert r["scheduled"] == pytest.approx(seg.start + shift, abs=1e-6)
    assert s.player.played == pytest.approx(tl.total + 15)


def test_interrupt_records_a_stop() -> None:
    tl = small()
    s, _, rec, log, _ = session(tl)
    s.player = P.start(s.player, T0)
    s.clock = lambda: T0 + 9.0
    s.interrupt("interrupt")
    assert s.player.status == "quit" and s.player.played == pytest.approx(9.0)
    assert records(log)[-1]["kind"] == "interrupt"
    s.interrupt("terminate")  # a second signal records nothing more
    assert [a[0] for a in rec.actions] == ["interrupt"]


@pytest.mark.parametrize("speed", [1.0, 10.0])
def test_without_a_bus_the_session_sleeps_until_each_cue(speed: float) -> None:
    """No key bus (plain output to a pipe): the loop sleeps with the injected sleep until
    the next deadline; nothing else wakes it."""
    tl = small()
    clock = FakeClock()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        assert seconds >= 0
        slept.append(seconds)
        clock.t += seconds

    log = io.StringIO()
    s = Session(Player(tl, speed=speed), clock=clock.now, sleep=sleep, sinks=[EventLog(log)])
    end = s.run()
    assert end.status == "done" and end.played == pytest.approx(tl.total)
    rows = records(log)
    assert len(rows) == len(tl.segments) + 1
    for r in rows:
        assert r["actual"] == pytest.approx(r["scheduled"], abs=1e-9)
    assert math.fsum(slept) == pytest.approx(tl.total / speed)
    assert len(slept) <= len(tl.segments) + 1  # one sleep per cue and one for the end


def test_without_a_bus_a_paused_session_returns() -> None:
    """Nothing could ever resume it, so run() returns rather than sleep forever."""
    tl = small()
    clock = FakeClock()
    paused = P.pause(P.start(Player(tl), T0), T0 + 3.0)
    clock.t = T0 + 3.0

    def sleep(seconds: float) -> None:
        raise AssertionError("slept while paused")

    s = Session(paused, clock=clock.now, sleep=sleep)
    assert s.run() == paused


def test_a_paused_session_with_no_keys_waits_forever() -> None:
    tl = small()
    s, bus, _, _, _ = session(tl, keys=[(3.0, "space")])
    with pytest.raises(Blocked):
        s.run()
    assert s.player.status == "paused"
    assert bus.timeouts[-1] is None


def test_resize_and_signal_events_redraw_without_acting() -> None:
    tl = small()
    screen = RecordingScreen()
    s, bus, rec, _, _ = session(tl, screen=screen)
    bus.events.append((T0 + 20.5, ("resize", "")))
    s.run()
    forced = [t for t, force, _ in screen.frames if force]
    assert any(abs(t - (T0 + 20.5)) < 1e-9 for t in forced)
    assert [a[0] for a in rec.actions] == ["end"]


# --- with a screen --------------------------------------------------------------------------


@pytest.mark.parametrize("speed", [1.0, 100.0])
def test_the_screen_is_drawn_on_change_never_just_before_a_cue(speed: float) -> None:
    tl = small()
    screen = RecordingScreen()
    s, _, _, log, _ = session(tl, speed=speed, screen=screen)
    s.run()
    rows = records(log)
    assert max(abs(r["actual"] - r["scheduled"]) for r in rows) < 1e-6  # type: ignore[operator]
    assert screen.frames
    for (t, _, _), deadline in zip(screen.frames, screen.deadlines, strict=True):
        assert deadline is None or deadline - t > RENDER_GUARD
    # at most MAX_FPS change-driven redraws per real second, plus one per cue
    real = tl.total / speed
    assert len(screen.frames) <= real * MAX_FPS + len(tl.segments) + 2
    if speed == 1.0:
        # at normal speed every second tick and pacer step is drawn
        elapsed = {v.elapsed for _, _, v in screen.frames}
        assert elapsed >= set(range(int(tl.total)))
        # and each drawn frame differs from the last: no wasted wake-ups... mostly
        same = sum(
            1 for a, b in zip(screen.frames, screen.frames[1:], strict=False) if a[2] == b[2]
        )
        assert same <= len(screen.frames) * 0.1


def test_a_notice_is_cleared_when_it_expires() -> None:
    tl = small()
    screen = RecordingScreen()
    s, _, _, _, _ = session(tl, keys=[(20.3, "+")], screen=screen)
    s.run()
    shown = [t for t, _, v in screen.frames if v.notice == "+15 s"]
    assert shown and min(shown) == pytest.approx(T0 + 20.3)
    cleared = next(t for t, _, v in screen.frames if t > max(shown))
    assert cleared == pytest.approx(T0 + 20.3 + NOTICE_SECONDS, abs=0.01)


def test_next_while_paused_shows_the_next_pose() -> None:
    tl = small()
    screen = RecordingScreen()
    s, _, _, log, _ = session(tl, keys=[(20.0, "space"), (22.0, "n"), (25.0, "q")], screen=screen)
    s.run()
    frames = [v for t, _, v in screen.frames if T0 + 22.0 <= t < T0 + 25.0]
    assert frames
    assert frames[-1].pose == "Cat" and frames[-1].part_no == 3
    # it is paused at the part's start, in its getting ready: that is what counts down
    first = next(seg for seg in tl.segments if seg.part == 2)
    assert first.phase == "transition"
    assert frames[-1].phase == "paused" and frames[-1].part_left == first.length
    # nothing is announced while paused: the new part's cue waits for the resume
    later = [r["kind"] for r in records(log) if r["actual"] >= 20.0]  # type: ignore[operator]
    assert later == ["pause", "next", "quit"]


def test_next_while_paused_announces_the_new_part_on_resume() -> None:
    tl = small()
    s, _, _, log, _ = session(tl, keys=[(20.0, "space"), (22.0, "n"), (24.0, "space")])
    s.run()
    rows = records(log)
    k = next(i for i, r in enumerate(rows) if r["kind"] == "resume")
    after = rows[k + 1]
    assert (after["kind"], after["pose"], after["phase"]) == ("segment", "cat", "transition")
    assert after["actual"] == pytest.approx(24.0, abs=1e-6)
    assert s.player.status == "done"
    assert s.player.played == pytest.approx(20.0 + tl.total - tl.parts[2].start)


def test_next_in_the_last_part_ends_without_repeating_a_cue() -> None:
    tl = small()
    s, _, rec, log, _ = session(tl, keys=[(101.0, "n")])  # in the last part's transition
    s.run()
    assert rec.indices() == [i for i, seg in enumerate(tl.segments) if seg.start <= 101.0]
    kinds = [r["kind"] for r in records(log)]
    assert kinds[-2:] == ["next", "end"]
    assert s.player.status == "done" and s.player.played == pytest.approx(101.0)


def test_every_segment_is_on_screen_right_after_its_cue() -> None:
    tl = small()
    screen = RecordingScreen()
    s, _, _, _, _ = session(tl, screen=screen)
    s.run()
    for seg in tl.segments:
        due = T0 + seg.start
        frame = next((f for f in screen.frames if f[0] >= due - 1e-9), None)
        assert frame is not None
        assert frame[0] - due < 0.05
        assert frame[2].text == seg.text and frame[2].phase == seg.phase


def test_plain_says_a_held_cue_once_per_breath_run_and_again_after_a_key() -> None:
    from yogaback.routine.model import Pace, Pose, Routine, Step

    routine = Routine(
        title="T",
        poses={"seat": Pose("Seat")},
        steps=(Step(pose="seat", breaths=3, cue="Sit tall."),),
        pace=Pace(2.0, 2.0),
        transition=0.0,
    )
    tl = compile_timeline(routine)
    s, _, _, _, plain = session(tl, keys=[(5.0, "p")])  # mid-breath: back to the start
    s.run()
    cues = [line.split("] ", 1)[1] for line in plain.getvalue().splitlines()]
    assert cues[:4] == [
        "Seat · 1 of 3 · inhale: Sit tall.",
        "Seat · 1 of 3 · exhale",
        "Seat · 2 of 3 · inhale",
        "(back)",
    ]
    assert cues[4] == "Seat · 1 of 3 · inhale: Sit tall."  # said in full again after the key
