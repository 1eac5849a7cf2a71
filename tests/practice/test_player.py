"""The player state machine, driven by a fake clock: time is just the ``now`` passed in.

Nothing here sleeps. Every transition is a pure function of (player, now).
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import small
from yogaback.practice import player as P
from yogaback.practice.player import ADJUST_STEP, BACK_RESTARTS_AFTER, Player, Started
from yogaback.practice.timeline import Timeline, compile_timeline
from yogaback.routine.load import load_routine
from yogaback.routine.model import Pose, Routine, Step

SEQUENCES = Path(__file__).resolve().parents[2] / "sequences"
TOL = 1e-9
SETTINGS = settings(max_examples=40, deadline=None)


def upper_back() -> Timeline:
    return compile_timeline(load_routine(SEQUENCES / "upper-back.yaml"))


def playing(tl: Timeline, at: float = 100.0, speed: float = 1.0) -> Player:
    p = P.start(Player(tl, speed=speed), at)
    p, _ = P.advance(p, at)
    return p


def play_to(p: Player, now: float) -> Player:
    p, _ = P.advance(p, now)
    return p


def at_pos(p: Player, pos: float) -> float:
    """The clock reading at which the routine reaches ``pos`` (without pauses)."""
    return p.origin + pos / p.speed


def first_segment_of(tl: Timeline, part: int) -> int:
    return next(i for i, s in enumerate(tl.segments) if s.part == part)


# --- the small timeline is what the docstring says ------------------------------------


def test_small_timeline_layout() -> None:
    tl = small()
    assert [(p.start, p.length) for p in tl.parts] == [
        (0, 13),
        (13, 35),
        (48, 17),
        (65, 35),
        (100, 35),
    ]
    assert tl.total == 135
    hold = tl.segments[first_segment_of(tl, 1) + 1]
    assert (hold.phase, hold.start, hold.length) == ("hold", 18, 20)


# --- start and advance ----------------------------------------------------------------


def test_ready_player_has_no_deadline_and_position_zero() -> None:
    p = Player(small())
    assert p.status == "ready"
    assert p.next_deadline() is None
    assert p.position(1e6) == 0
    assert P.advance(p, 1e6) == (p, [])


def test_start_announces_the_first_segment_at_once() -> None:
    p = P.start(Player(small()), 50.0)
    assert (p.status, p.origin, p.started_at, p.current, p.announced) == (
        "playing",
        50.0,
        50.0,
        -1,
        -1,
    )
    assert p.next_deadline() == 50.0
    p2, started = P.advance(p, 50.0)
    assert started == [Started(0, p.timeline.segments[0], 50.0, 50.0)]
    assert (p2.current, p2.announced) == (0, 0)


@SETTINGS
@given(
    st.floats(0, 1e6),
    st.sampled_from((0.1, 0.5, 1.0, 2.0, 7.5, 1000.0)),
    st.lists(st.floats(0.001, 9.0), min_size=1, max_size=60),
)
def test_segments_come_exactly_at_their_deadlines(
    origin: float, speed: float, steps: list[float]
) -> None:
    tl = small()
    p = P.start(Player(tl, speed=speed), origin)
    now = origin
    announced: list[int] = []
    for k in range(400):
        now += steps[k % len(steps)] / speed
        before = p
        p, started = P.advance(p, now)
        for item in started:
            ideal = origin + tl.segments[item.index].start / speed
            assert item.scheduled == pytest.approx(ideal, rel=1e-12, abs=1e-9)
            assert item.scheduled <= now and item.actual == now
            assert item.segment == tl.segments[item.index]
        announced += [s.index for s in started]
        # without jumps the player is in the segment it last announced
        assert p.current == p.announced
        # nothing due is left behind, nothing early is announced
        nxt = p.announced + 1
        if nxt < len(tl.segments):
            assert p.due(nxt) > now
        if started:
            assert before.announced + 1 == started[0].index
        if p.status == "done":
            break
    if p.status == "done":
        assert announced == list(range(len(tl.segments)))
        assert now >= origin + tl.total / speed
        assert p.practised(now) == pytest.approx(tl.total)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_thirty_minutes_of_irregular_steps_end_on_time(seed: int) -> None:
    """No drift: over half an hour in ~4,000 irregular small steps; every cue is scheduled
    at origin + start and the end is at origin + total, exactly as ideal."""
    tl = upper_back()
    assert 30 * 60 <= tl.total <= 40 * 60
    rng = random.Random(seed)
    origin = 12345.678
    p = P.start(Player(tl), origin)
    now = origin
    count = 0
    worst = 0.0
    while p.status == "playing":
        deadline = p.next_deadline()
        assert deadline is not None
        if rng.random() < 0.3:
            now = deadline  # sometimes wake exactly on time, like the session does
        else:
            now += rng.uniform(0.001, 1.0)
        p, started = P.advance(p, now)
        for item in started:
            worst = max(worst, abs(item.scheduled - (origin + item.segment.start)))
        count += len(started)
    assert count == len(tl.segments)
    assert worst < 1e-9
    assert p.status == "done"
    end = origin + tl.total
    assert p.next_deadline() is None
    assert p.practised(now) == pytest.approx(tl.total, abs=1e-9)
    assert now >= end


def test_the_end_comes_exactly_at_total_over_speed() -> None:
    tl = small()
    for speed in (1.0, 3.0, 0.25):
        p = P.start(Player(tl, speed=speed), 10.0)
        p = play_to(p, 10.0 + 134.999 / speed)
        end = 10.0 + tl.total / speed
        assert p.current == len(tl.segments) - 1
        assert p.next_deadline() == end
        still, _ = P.advance(p, end - 1e-6)
        assert still.status == "playing"
        done, started = P.advance(p, end)
        assert (done.status, started) == ("done", [])
        assert done.played == pytest.approx(tl.total)


def test_a_late_wake_announces_everything_missed_in_order() -> None:
    tl = small()
    p = P.start(Player(tl), 0.0)
    p, started = P.advance(p, 60.0)
    assert [s.index for s in started] == [i for i, s in enumerate(tl.segments) if s.start <= 60]
    assert all(s.actual == 60.0 for s in started)
    assert [s.scheduled for s in started] == [s.segment.start for s in started]


# --- pause and resume -----------------------------------------------------------------


@SETTINGS
@given(st.floats(0.0, 130.0), st.floats(0.0, 5000.0), st.sampled_from((1.0, 4.0)))
def test_pause_shifts_the_rest_by_the_pause(at: float, pause_for: float, speed: float) -> None:
    tl = small()
    p = playing(tl, 0.0, speed)
    t = at / speed
    p = play_to(p, t)
    plan_before = [p.due(i) for i in range(len(tl.segments))]
    paused = P.pause(p, t)
    assert paused.status == "paused"
    assert paused.next_deadline() is None
    assert P.advance(paused, t + pause_for) == (paused, [])
    assert paused.position(t + pause_for) == pytest.approx(p.position(t))
    resumed = P.resume(paused, t + pause_for)
    assert resumed.status == "playing" and resumed.paused_at is None
    for i in range(len(tl.segments)):
        assert resumed.due(i) == pytest.approx(plan_before[i] + pause_for)
    assert resumed.position(t + pause_for) == pytest.approx(p.position(t))
    assert resumed.practised(t + pause_for) == pytest.approx(at, abs=1e-6)


def test_toggle_pause_and_practised_time_stops_while_paused() -> None:
    p = playing(small(), 0.0)
    p = P.toggle_pause(play_to(p, 10.0), 10.0)
    assert p.status == "paused"
    assert p.practised(500.0) == pytest.approx(10.0)
    p = P.toggle_pause(p, 500.0)
    assert p.status == "playing"
    assert p.practised(505.0) == pytest.approx(15.0)


# --- skip and back ----------------------------------------------------------------------


@SETTINGS
@given(st.integers(0, 3), st.floats(0.0, 0.999), st.sampled_from((1.0, 2.5)))
def test_skip_goes_to_the_next_parts_first_segment(part: int, into: float, speed: float) -> None:
    tl = small()
    info = tl.parts[part]
    p = playing(tl, 0.0, speed)
    now = at_pos(p, info.start + into * info.length)
    p = play_to(p, now)
    practised = p.practised(now)
    p = P.skip(p, now)
    target = first_segment_of(tl, part + 1)
    assert p.position(now) == pytest.approx(tl.parts[part + 1].start)
    assert p.practised(now) == pytest.approx(practised)
    assert p.next_deadline() == pytest.approx(now, abs=TOL)
    p, started = P.advance(p, now + TOL)
    assert [s.index for s in started] == [target]
    assert p.part_index() == part + 1
    # and the rest of the schedule follows from there
    nxt = target + 1
    assert p.due(nxt) == pytest.approx(
        now + (tl.segments[nxt].start - tl.segments[target].start) / speed
    )


def test_skip_from_the_last_part_ends_the_session() -> None:
    tl = small()
    p = playing(tl, 0.0)
    p = play_to(p, 110.0)
    p = P.skip(p, 110.0)
    p, _ = P.advance(p, 110.0 + TOL)
    assert p.status == "done"
    assert p.played == pytest.approx(110.0)


def test_skip_from_the_last_part_announces_nothing() -> None:
    tl = small()
    p = play_to(playing(tl, 0.0), 101.0)  # in the last part's transition
    p = P.skip(p, 101.0)
    p, started = P.advance(p, 101.0 + TOL)
    assert started == []
    assert p.status == "done"


def test_skip_from_the_last_part_while_paused_ends_on_resume_announcing_nothing() -> None:
    tl = small()
    p = P.pause(play_to(playing(tl, 0.0), 101.0), 101.0)
    p = P.skip(p, 101.0)
    assert p.status == "paused"
    assert p.position(500.0) == pytest.approx(tl.total)
    assert p.current == len(tl.segments) - 1  # the screen shows the last segment
    p = P.resume(p, 500.0)
    assert p.next_deadline() == pytest.approx(500.0)
    p, started = P.advance(p, 500.0)
    assert (p.status, started) == ("done", [])
    assert p.played == pytest.approx(101.0)


@pytest.mark.parametrize("jump", ["skip", "back"])
def test_after_a_jump_the_player_is_in_the_new_segment_and_announces_it(jump: str) -> None:
    tl = small()
    p = play_to(playing(tl, 0.0), 30.0)  # part 1; back restarts it, skip goes to part 2
    target = first_segment_of(tl, 2 if jump == "skip" else 1)
    q = getattr(P, jump)(p, 30.0)
    assert (q.current, q.announced) == (target, target - 1)
    assert q.segment() == tl.segments[target] and q.next_deadline() == pytest.approx(30.0)
    q, started = P.advance(q, 30.0)
    assert [s.index for s in started] == [target]
    assert (q.current, q.announced) == (target, target)


def test_skipping_twice_while_paused_moves_two_parts() -> None:
    tl = small()
    p = P.pause(play_to(playing(tl, 0.0), 20.0), 20.0)  # in part 1
    once = P.skip(p, 20.0)
    assert once.part_index() == 2 and once.current == first_segment_of(tl, 2)
    p = P.skip(once, 20.0)
    assert p.position(20.0) == pytest.approx(tl.parts[3].start)
    assert p.status == "paused" and p.part_index() == 3
    # on resume, the part it landed on is announced (and nothing of the parts passed over)
    p = P.resume(p, 60.0)
    p, started = P.advance(p, 60.0)
    assert [s.index for s in started] == [first_segment_of(tl, 3)]


def test_back_restarts_the_current_part_after_a_while() -> None:
    tl = small()
    p = play_to(playing(tl, 0.0), 30.0)  # 17 s into part 1
    p = P.back(p, 30.0)
    assert p.position(30.0) == pytest.approx(tl.parts[1].start)
    p, started = P.advance(p, 30.0 + TOL)
    assert [s.index for s in started] == [first_segment_of(tl, 1)]


@pytest.mark.parametrize("into", [0.0, 1.0, BACK_RESTARTS_AFTER])
def test_back_soon_after_a_part_begins_goes_to_the_previous(into: float) -> None:
    tl = small()
    now = tl.parts[2].start + into
    p = play_to(playing(tl, 0.0), now)
    assert p.part_index() == 2
    p = P.back(p, now)
    assert p.position(now) == pytest.approx(tl.parts[1].start)


def test_back_just_after_the_window_restarts() -> None:
    tl = small()
    now = tl.parts[2].start + BACK_RESTARTS_AFTER + 0.01
    p = P.back(play_to(playing(tl, 0.0), now), now)
    assert p.position(now) == pytest.approx(tl.parts[2].start)


def test_back_in_the_first_part_restarts_it() -> None:
    tl = small()
    p = P.back(play_to(playing(tl, 0.0), 1.0), 1.0)
    assert p.position(1.0) == 0.0
    p, started = P.advance(p, 1.0)
    assert [s.index for s in started] == [0]


def test_back_counts_practised_time_twice_when_redone() -> None:
    tl = small()
    p = play_to(playing(tl, 0.0), 30.0)
    p = P.back(p, 30.0)  # to 13
    p = play_to(p, 40.0)
    assert p.practised(40.0) == pytest.approx(40.0)
    assert p.position(40.0) == pytest.approx(23.0)


def test_practised_time_leaves_out_skipped_parts() -> None:
    tl = small()
    p = play_to(playing(tl, 0.0), 10.0)
    p = P.skip(p, 10.0)  # 3 s of part 0 unplayed
    p = play_to(p, 15.0)
    p = P.skip(p, 15.0)  # from 18 in part 1 to 48
    p = play_to(p, 20.0)
    p = P.stop(p, 20.0)
    assert p.status == "quit"
    assert p.played == pytest.approx(10.0 + 5.0 + 5.0)


# --- adjust -------------------------------------------------------------------------------


def _in_hold(speed: float = 1.0) -> tuple[Player, float, int]:
    tl = small()
    p = playing(tl, 0.0, speed)
    now = 20.0 / speed  # 2 s into the 20 s hold of part 1
    p = play_to(p, now)
    assert p.segment() is not None and p.segment().phase == "hold"  # type: ignore[union-attr]
    return p, now, p.current


@pytest.mark.parametrize("speed", [1.0, 2.0])
def test_longer_adds_fifteen_seconds_and_moves_what_follows(speed: float) -> None:
    p, now, k = _in_hold(speed)
    before = [p.due(i) for i in range(len(p.timeline.segments))]
    q, ok = P.adjust(p, now, ADJUST_STEP)
    assert ok
    assert q.timeline.total == p.timeline.total + 15
    assert q.timeline.segments[k].length == p.timeline.segments[k].length + 15
    assert q.timeline.parts[1].length == p.timeline.parts[1].length + 15
    for i, due in enumerate(before):
        assert q.due(i) == pytest.approx(due + (15 / speed if i > k else 0.0))
    assert q.position(now) == pytest.approx(p.position(now))


def test_shorter_takes_fifteen_when_there_is_room() -> None:
    p, now, k = _in_hold()
    q, ok = P.adjust(p, now, -ADJUST_STEP)  # 18 s left
    assert ok
    assert q.timeline.segments[k].end - q.position(now) == pytest.approx(3.0)
    assert q.timeline.total == p.timeline.total - 15


def test_shorter_never_leaves_less_than_a_second() -> None:
    p, _, k = _in_hold()
    now = 35.0  # 3 s left
    p = play_to(p, now)
    q, ok = P.adjust(p, now, -ADJUST_STEP)
    assert ok
    assert q.timeline.segments[k].end - q.position(now) == pytest.approx(1.0)
    r, ok = P.adjust(q, now, -ADJUST_STEP)
    assert not ok and r == q
    # the next cue is due a second from now, not in the past
    assert q.next_deadline() == pytest.approx(now + 1.0)


def test_adjust_works_while_paused() -> None:
    p, now, _ = _in_hold()
    p = P.pause(p, now)
    q, ok = P.adjust(p, now + 100, ADJUST_STEP)
    assert ok and q.status == "paused"
    assert q.position(now + 200) == pytest.approx(p.position(now))


@pytest.mark.parametrize("phase", ["transition", "inhale", "exhale"])
def test_adjust_refuses_anything_but_a_timed_hold(phase: str) -> None:
    tl = small()
    k = next(i for i, s in enumerate(tl.segments) if s.phase == phase)
    p = playing(tl, 0.0)
    now = tl.segments[k].start + 0.5
    p = play_to(p, now)
    assert p.current == k
    for delta in (ADJUST_STEP, -ADJUST_STEP):
        q, ok = P.adjust(p, now, delta)
        assert not ok and q == p


def test_adjust_refuses_a_breath_pause_in_a_cycle() -> None:
    tl = small()
    k = next(i for i, s in enumerate(tl.segments) if s.phase == "hold" and s.unit == "rep")
    p = play_to(playing(tl, 0.0), tl.segments[k].start + 0.5)
    assert p.current == k
    _, ok = P.adjust(p, tl.segments[k].start + 0.5, ADJUST_STEP)
    assert not ok


def test_adjust_refuses_a_breath_counted_rest() -> None:
    routine = Routine(
        title="t",
        poses={"b": Pose("Belly")},
        steps=(Step(pose="b", breaths=3, rest=True, cue="rest"),),
    )
    tl = compile_timeline(routine)
    k = next(i for i, s in enumerate(tl.segments) if s.unit == "breath")
    assert tl.segments[k].phase == "rest"
    p = play_to(playing(tl, 0.0), tl.segments[k].start + 0.5)
    _, ok = P.adjust(p, tl.segments[k].start + 0.5, ADJUST_STEP)
    assert not ok


# --- stop, mute, speed ----------------------------------------------------------------


def test_stop_records_practised_time_and_freezes_position() -> None:
    tl = small()
    p = play_to(playing(tl, 0.0), 42.5)
    q = P.stop(p, 42.5)
    assert q.status == "quit"
    assert q.played == pytest.approx(42.5)
    assert q.practised(1000.0) == pytest.approx(42.5)
    assert q.position(1000.0) == pytest.approx(42.5)
    assert q.next_deadline() is None
    assert P.stop(q, 2000.0) == q


def test_stop_while_paused_keeps_the_paused_time() -> None:
    tl = small()
    p = P.pause(play_to(playing(tl, 0.0), 7.0), 7.0)
    q = P.stop(p, 900.0)
    assert q.played == pytest.approx(7.0)
    assert q.position(900.0) == pytest.approx(7.0)


def test_stop_while_paused_at_clock_zero() -> None:
    tl = small()
    p = P.pause(P.start(Player(tl), 0.0), 0.0)
    q = P.stop(p, 50.0)
    assert q.position(50.0) == 0.0


def test_mute_toggles_and_touches_nothing_else() -> None:
    p = playing(small(), 0.0)
    q = P.toggle_mute(p)
    assert q.muted and replace(q, muted=False) == p
    assert P.toggle_mute(q) == p


@pytest.mark.parametrize("speed", [0.5, 2.0, 10.0])
def test_speed_scales_everything(speed: float) -> None:
    tl = small()
    p = P.start(Player(tl, speed=speed), 0.0)
    for i, seg in enumerate(tl.segments):
        assert p.due(i) == pytest.approx(seg.start / speed)
    assert p.position(10.0) == pytest.approx(min(tl.total, 10.0 * speed))
    p = P.stop(play_to(p, 10.0), 10.0)
    assert p.played == pytest.approx(min(tl.total, 10.0 * speed))


# --- the transition table ---------------------------------------------------------------


def _in_status(status: str) -> Player:
    tl = small()
    p = play_to(playing(tl, 0.0), 20.0)
    if status == "ready":
        return Player(tl)
    if status == "paused":
        return P.pause(p, 20.0)
    if status == "done":
        return play_to(p, 1000.0)
    if status == "quit":
        return P.stop(p, 20.0)
    return p


NOW = 21.0
TRANSITIONS = {
    # function: {status before: status after}
    "pause": {
        "ready": "ready",
        "playing": "paused",
        "paused": "paused",
        "done": "done",
        "quit": "quit",
    },
    "resume": {
        "ready": "ready",
        "playing": "playing",
        "paused": "playing",
        "done": "done",
        "quit": "quit",
    },
    "toggle_pause": {
        "ready": "ready",
        "playing": "paused",
        "paused": "playing",
        "done": "done",
        "quit": "quit",
    },
    "skip": {
        "ready": "ready",
        "playing": "playing",
        "paused": "paused",
        "done": "done",
        "quit": "quit",
    },
    "back": {
        "ready": "ready",
        "playing": "playing",
        "paused": "paused",
        "done": "done",
        "quit": "quit",
    },
    "stop": {"ready": "quit", "playing": "quit", "paused": "quit", "done": "done", "quit": "quit"},
    "advance": {
        "ready": "ready",
        "playing": "playing",
        "paused": "paused",
        "done": "done",
        "quit": "quit",
    },
}


def _apply(name: str, p: Player) -> Player:
    if name == "advance":
        return P.advance(p, NOW)[0]
    return getattr(P, name)(p, NOW)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", ["ready", "playing", "paused", "done", "quit"])
def test_transition_table(name: str, status: str) -> None:
    p = _in_status(status)
    assert p.status == status
    q = _apply(name, p)
    assert q.status == TRANSITIONS[name][status]
    assert _apply(name, p) == q  # pure: same input, same output
    assert p == _in_status(status)  # the input is untouched
    if q.status == p.status and status in ("ready", "done", "quit"):
        assert q == p  # nothing to do in these states


@pytest.mark.parametrize("status", ["ready", "done", "quit"])
def test_adjust_outside_play_is_refused(status: str) -> None:
    p = _in_status(status)
    assert P.adjust(p, NOW, ADJUST_STEP) == (p, False)
