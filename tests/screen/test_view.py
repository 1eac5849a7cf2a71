"""The live screen as pure functions: ``view`` (what is visible), ``render`` (drawing it)
and ``next_change`` (when to look again). Drawn to an in-memory console, compared as text.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.screen import Screen

from builders import small
from yogaback.commands import output
from yogaback.durations import clock
from yogaback.practice import player as P
from yogaback.practice.player import Player
from yogaback.practice.timeline import Segment, Timeline, compile_timeline
from yogaback.routine.load import load_routine
from yogaback.routine.model import Pace, Phase, Pose, Routine, Step
from yogaback.screen import bigtype
from yogaback.screen.layout import KEYS, KEYS_SHORT, Drawn, render
from yogaback.screen.view import (
    UiState,
    View,
    detail,
    next_change,
    pacer_cells,
    pacer_rate,
    view,
)

SEQUENCES = Path(__file__).resolve().parents[2] / "sequences"
UI = UiState()


def at(
    tl: Timeline, pos: float, speed: float = 1.0, origin: float = 1000.0
) -> tuple[Player, float]:
    """A player that has played up to routine position ``pos``, and the clock reading then."""
    now = origin + pos / speed
    p = P.start(Player(tl, speed=speed), origin)
    p, _ = P.advance(p, now)
    return p, now


def draw(v: View) -> str:
    """What a Live screen of the view's size shows: rendered, then cut to the screen."""
    console = Console(
        file=io.StringIO(),
        width=v.width,
        height=v.height,
        color_system=None,
        force_terminal=False,
        legacy_windows=False,
    )
    lines = console.render_lines(Screen(render(v)), console.options)
    return "\n".join("".join(seg.text for seg in line).rstrip() for line in lines).rstrip("\n")


def squash(text: str) -> str:
    return "".join(text.split())


def show(tl: Timeline, pos: float, width: int, height: int, ui: UiState = UI) -> tuple[View, str]:
    p, now = at(tl, pos)
    v = view(p, now, ui, width, height)
    return v, draw(v)


# --- sizes --------------------------------------------------------------------------------


def shown(text: str, out: str) -> bool:
    """``text`` is on screen, as letters or in big type of some size."""
    if squash(text.upper()) in squash(out.upper()):
        return True
    lines = out.splitlines()
    for size in range(3, 30):
        rows = bigtype.render(text, 1000, size, 2)
        if rows:
            parts = [r.strip() for r in rows if r.strip()]
            if all(any(p in line for line in lines) for p in parts):
                return True
    return False


def _check_full(v: View, out: str, seg: Segment, cut: bool = False) -> None:
    """``cut``: a cue too long for the screen may end in '…' (its start must be there)."""
    lines = out.splitlines()
    assert len(lines) <= v.height
    assert shown(seg.name, out), out
    text = squash(seg.text)
    assert text in squash(out) or (
        cut and any(text[:k] + "…" in squash(out) for k in range(min(20, len(text)), len(text)))
    ), out
    assert shown(clock(v.part_left), out), out
    assert any(line.startswith("next: ") for line in lines), out
    assert squash(f"next: {v.next_up}")[:30] in squash(out)
    assert "q quit" in lines[-1], out
    assert f"part {v.part_no} of {v.parts}" in lines[0]
    assert f"{clock(v.elapsed)} / {clock(v.total)}" in out


@pytest.mark.parametrize("name", ["upper-back", "yin-knots"])
def test_at_60x20_everything_is_visible_for_every_segment(name: str) -> None:
    tl = compile_timeline(load_routine(SEQUENCES / f"{name}.yaml"))
    for seg in tl.segments:
        v, out = show(tl, seg.start + seg.length / 2, 60, 20)
        _check_full(v, out, seg)


def test_at_120x40_everything_is_visible_with_the_long_key_bar() -> None:
    tl = compile_timeline(load_routine(SEQUENCES / "upper-back.yaml"))
    for seg in tl.segments[::7]:
        v, out = show(tl, seg.start + seg.length / 2, 120, 40)
        _check_full(v, out, seg)
        assert out.splitlines()[-1].strip() == KEYS


def test_at_60x20_the_short_key_bar_is_used() -> None:
    _, out = show(small(), 20.0, 60, 20)
    assert out.splitlines()[-1].strip() == KEYS_SHORT
    assert len(KEYS) > 60 >= len(KEYS_SHORT)


@pytest.mark.parametrize(("width", "height"), [(30, 6), (39, 30), (80, 9)])
def test_small_terminals_get_a_single_line(width: int, height: int) -> None:
    tl = compile_timeline(load_routine(SEQUENCES / "upper-back.yaml"))
    for seg in tl.segments[::5]:
        _, out = show(tl, seg.start + seg.length / 2, width, height)
        lines = out.splitlines()
        assert len(lines) == 1, out
        assert len(lines[0]) <= width
        # the countdown comes first, so a tiny screen never loses it
        assert re.match(r"\d+:\d\d · ", lines[0]), lines[0]


def test_the_single_line_says_pose_phase_countdown_and_next() -> None:
    _, out = show(small(), 20.0, 39, 6)
    assert out == "0:28 · hold · Fold · next: Cat"


@pytest.mark.parametrize("height", [10, 11, 12, 13])
@pytest.mark.parametrize("width", [53, 60, 80])
def test_short_terminals_keep_next_and_the_key_bar(width: int, height: int) -> None:
    """At heights 10-13 the blank lines go so that 'next:' and the key bar stay visible;
    only when even that does not fit is it a single line."""
    tl = compile_timeline(load_routine(SEQUENCES / "upper-back.yaml"))
    full = 0
    for seg in tl.segments:
        v, out = show(tl, seg.start + seg.length / 2, width, height)
        lines = out.splitlines()
        if len(lines) == 1:
            # the countdown comes first, so a tiny screen never loses it
            assert re.match(r"\d+:\d\d · ", lines[0]), lines[0]
            continue
        _check_full(v, out, seg, cut=True)
        assert len(lines) == height  # a Live screen of this height shows all of it
        full += 1
    assert full >= len(tl.segments) // 2
    if height >= 12:
        assert full == len(tl.segments)


def test_the_short_layout_drops_blank_lines_and_keeps_everything() -> None:
    v, tall = show(small(), 20.0, 60, 20)
    short = draw(replace(v, height=10))
    assert len(short.splitlines()) == 10
    # big type at 60x20 and letters at 60x10 say the same: pose, countdown, cue, next
    for out in (tall, short):
        assert shown("Fold", out) and shown(clock(v.part_left), out), out
        assert "stay" in out and "next: Cat" in out


@pytest.mark.parametrize(
    ("width", "height"), [(40, 10), (40, 20), (45, 12), (52, 13), (52, 30), (53, 10)]
)
def test_at_40x10_the_key_bar_is_still_visible(width: int, height: int) -> None:
    _, out = show(small(), 20.0, width, height)
    assert "q quit" in out and "next:" in out


# --- the pacer ----------------------------------------------------------------------------


def _pacer(tl: Timeline, pos: float) -> int:
    p, now = at(tl, pos)
    return view(p, now, UI, 60, 20).pacer


def _samples(seg: Segment, n: int = 12) -> list[float]:
    return [seg.start + seg.length * k / n for k in range(n)]


@pytest.mark.parametrize("name", ["upper-back", "small"])
def test_pacer_grows_on_the_in_breath_and_shrinks_on_the_out_breath(name: str) -> None:
    tl = small() if name == "small" else compile_timeline(load_routine(SEQUENCES / f"{name}.yaml"))
    checked = 0
    for seg in tl.segments:
        if seg.phase not in ("inhale", "exhale"):
            continue
        cells = [_pacer(tl, t) for t in _samples(seg)]
        assert all(c >= 1 for c in cells)
        pairs = list(itertools.pairwise(cells))
        if seg.phase == "inhale":
            assert all(a <= b for a, b in pairs), (seg, cells)
            assert cells[-1] > cells[0], (seg, cells)
        else:
            assert all(a >= b for a, b in pairs), (seg, cells)
            assert cells[-1] < cells[0], (seg, cells)
        checked += 1
    assert checked


def test_pacer_fills_over_an_inhale_and_empties_over_an_exhale() -> None:
    tl = small()
    inhale = tl.segments[1]
    exhale = tl.segments[2]
    width = view(*at(tl, 6.0), UI, 60, 20).pacer_width
    assert _pacer(tl, inhale.start) == 1
    last_step = 1 - 1 / (inhale.length * pacer_rate(inhale))  # the last before the end
    assert _pacer(tl, inhale.end - 0.01) >= round(width * (1 - math.cos(math.pi * last_step)) / 2)
    assert _pacer(tl, inhale.end - 0.01) >= width * 0.9
    assert _pacer(tl, exhale.start) == width
    assert _pacer(tl, exhale.end - 0.01) <= width * 0.1


def test_no_pacer_on_timed_holds_and_transitions() -> None:
    tl = small()
    assert _pacer(tl, 2.0) == -1  # transition
    assert _pacer(tl, 20.0) == -1  # timed hold
    # a breath-pause stays as the breath left it: empty after an out-breath
    hold = next(s for s in tl.segments if s.phase == "hold" and s.unit == "rep")
    assert _pacer(tl, hold.start + 0.5) == 1
    after_inhale = Routine(
        title="t",
        poses={"c": Pose("Cat")},
        pace=Pace(2.0, 2.0),
        steps=(Step(pose="c", reps=1, cycle=(Phase("inhale", "up"), Phase("hold", "stay"))),),
    )
    full = compile_timeline(after_inhale)
    width = view(*at(full, 6.0), UI, 60, 20).pacer_width
    assert _pacer(full, full.segments[-1].start + 0.5) == width


# --- view and next_change -----------------------------------------------------------------


def test_view_is_equal_between_changes_and_differs_across() -> None:
    tl = small()
    p, _ = at(tl, 20.0)
    o = p.origin
    assert view(p, o + 20.2, UI, 60, 20) == view(p, o + 20.9, UI, 60, 20)
    assert view(p, o + 20.9, UI, 60, 20) != view(p, o + 21.0, UI, 60, 20)
    assert next_change(p, o + 20.2, 60) == pytest.approx(o + 21.0)
    # in a breath, the pacer moves pacer_rate times a second (from 5 s on)
    q, _ = at(tl, 5.1)
    step = 1 / pacer_rate(tl.segments[q.current])
    assert view(q, o + 5.01, UI, 60, 20) != view(q, o + 5 + step + 0.01, UI, 60, 20)
    assert next_change(q, o + 5.01, 60) == pytest.approx(o + 5 + step)


def _shows_a_pacer(p: Player) -> bool:
    seg = p.segment()
    return seg is not None and seg.unit is not None


MOMENTS = (
    st.integers(0, 200),
    st.floats(0.0, 0.999),
    st.sampled_from((0.5, 1.0, 3.0, 10.0)),
    st.floats(0.0, 1e4),
    st.sampled_from(((60, 20), (120, 40), (30, 6))),
)
"""A moment of a session to test at: (segment k, fraction of it, speed, clock origin,
screen size)."""


def _without_pacer(v: View) -> View:
    return replace(v, pacer=0)


@settings(max_examples=150, deadline=None)
@given(*MOMENTS)
def test_next_change_is_no_later_than_the_next_visible_change(
    k: int, frac: float, speed: float, origin: float, size: tuple[int, int]
) -> None:
    tl = small()
    seg = tl.segments[k % len(tl.segments)]
    p, now = at(tl, seg.start + frac * seg.length, speed, origin)
    w, h = size
    nc = next_change(p, now, w)
    assert nc is not None and nc > now
    assert nc - now <= 1.0 / speed + 1e-9  # the elapsed clock ticks every second at most
    # Just below a pacer step (float error at an exact wake) the pacer lags: see
    # test_pacer_at_the_step_it_woke_for. The clock, countdown and bar are checked there too.
    pos = p.position(now)
    assume(
        not _shows_a_pacer(p) or abs(pos * 4 - round(pos * 4)) > 1e-6 or pos * 4 >= round(pos * 4)
    )
    here = view(p, now, UI, w, h)
    for j in range(1, 24):
        t = now + (nc - now) * j / 24
        assert view(p, t, UI, w, h) == here, (t, nc)
    just_before = nc - 1e-7 / speed
    if just_before > now:
        assert view(p, just_before, UI, w, h) == here


@settings(max_examples=150, deadline=None)
@given(*MOMENTS)
def test_at_a_wake_the_screen_already_shows_what_it_woke_for(
    k: int, frac: float, speed: float, origin: float, size: tuple[int, int]
) -> None:
    """The session wakes exactly at next_change(): the clock reading there, turned back into
    a position, may land a hair below the change. The view must show the change already,
    or that step is skipped on screen (the next wake is for the one after)."""
    tl = small()
    seg = tl.segments[k % len(tl.segments)]
    p, now = at(tl, seg.start + frac * seg.length, speed, origin)
    w, h = size
    nc = next_change(p, now, w)
    assert nc is not None
    p, _ = P.advance(p, nc)
    woke, after = view(p, nc, UI, w, h), view(p, nc + 1e-7 / speed, UI, w, h)
    assert _without_pacer(woke) == _without_pacer(after)  # the pacer: see below
    later = next_change(p, nc, w)
    assert later is None or later > nc + 1e-7 / speed


def test_pacer_at_the_step_it_woke_for() -> None:
    tl = small()
    p, now = at(tl, 5.4, speed=3.0, origin=100.0)  # in the first in-breath (5-7)
    nc = next_change(p, now, 60)
    step = 1 / pacer_rate(tl.segments[p.current])
    assert nc is not None and nc == pytest.approx(100.0 + (5 + 2 * step) / 3.0)
    p, _ = P.advance(p, nc)
    assert view(p, nc, UI, 60, 20).pacer == view(p, nc + 1e-9, UI, 60, 20).pacer


def test_next_change_includes_the_session_bar() -> None:
    tl = small()  # total 135 s; at 60 columns the bar is 36 cells: one per 3.75 s
    p, now = at(tl, 18.5)
    nc = next_change(p, now, 60)
    assert nc is not None
    later = view(p, p.origin + 18.8, UI, 60, 20)
    assert later == view(p, now, UI, 60, 20) or nc <= p.origin + 18.75 + 1e-9
    assert nc == pytest.approx(p.origin + 18.75)
    assert later.progress == view(p, now, UI, 60, 20).progress + 1


@pytest.mark.parametrize("width", [30, 40, 60, 80, 120])
def test_next_change_follows_the_bar_of_the_screen_width(width: int) -> None:
    """The bar has width - 24 cells (at least 10); next_change() wakes for each one, at
    the width it is given."""
    tl = small()
    bar = max(10, width - 24)
    cell = tl.total / bar
    edge = math.ceil(31.0 / cell) * cell  # the first cell edge from 31 s: in part 1's holds
    assert edge % 1 > 0.01  # not on a whole second, so only the bar changes there
    p, now = at(tl, edge - 0.01)
    assert p.segment() is not None and p.segment().unit is None  # type: ignore[union-attr]
    before = view(p, now, UI, width, 20)
    assert before.bar_width == bar
    assert next_change(p, now, width) == pytest.approx(p.origin + edge)
    after = view(p, p.origin + edge + 1e-6, UI, width, 20)
    assert after.progress == before.progress + 1
    assert replace(after, progress=before.progress) == before


def test_elapsed_clock_at_an_exact_deadline() -> None:
    tl = small()
    k = next(i for i, s in enumerate(tl.segments) if s.start == 57.0)
    p = P.start(Player(tl, speed=10.0), 123.0)
    now = p.due(k)  # the session wakes exactly here with an exact clock
    p, started = P.advance(p, now)
    assert started[-1].index == k
    v = view(p, now, UI, 60, 20)
    nc = next_change(p, now, 60)
    assert nc is not None
    assert v.elapsed == 57 or nc <= p.origin + 57.0 / 10.0


def test_next_change_is_none_unless_playing() -> None:
    tl = small()
    p, now = at(tl, 20.0)
    assert next_change(P.pause(p, now), now, 60) is None
    assert next_change(Player(tl), now, 60) is None
    assert next_change(P.stop(p, now), now, 60) is None


def test_paused_shows_paused() -> None:
    tl = small()
    p, now = at(tl, 20.0)
    p = P.pause(p, now)
    v = view(p, now + 100, UI, 60, 20)
    assert v.phase == "paused" and v.status == "paused"
    out = draw(v)
    assert "❚❚ paused" in out.splitlines()[0]
    assert re.search(r"^\s*━━━  paused  ━━━\s*$", out, re.M), out
    assert view(p, now + 500, UI, 60, 20) == v  # a paused screen does not change
    line = draw(view(p, now, UI, 30, 6))
    assert "paused" in line


def test_help_replaces_the_pose_and_keeps_the_key_bar() -> None:
    _, out = show(small(), 20.0, 80, 24, UiState(show_help=True))
    assert "Keys" in out and "pause / resume" in out and "stop the session" in out
    assert "FOLD" not in out.replace(" ", "")
    assert "q quit" in out.splitlines()[-1]


def test_a_notice_shows_until_it_expires() -> None:
    tl = small()
    p, now = at(tl, 20.0)
    ui = UiState(notice="+15 s", notice_until=now + 2)
    assert "+15 s" in draw(view(p, now, ui, 60, 20))
    assert view(p, now + 2, ui, 60, 20).notice == ""


def test_muted_is_shown() -> None:
    tl = small()
    p, now = at(tl, 20.0)
    out = draw(view(P.toggle_mute(p), now, UI, 60, 20))
    assert "muted" in out.splitlines()[0]


def test_detail_line() -> None:
    tl = small()
    breath = tl.segments[1]
    assert detail(breath) == "Breath 1 of 2"
    rep = next(s for s in tl.segments if s.unit == "rep" and s.rep == 2)
    assert detail(rep) == "2 of 2"
    right = next(s for s in tl.segments if s.side == "right" and s.phase == "hold")
    assert detail(right) == "Right side"
    assert detail(tl.segments[0]) == ""


def test_countdown_and_elapsed() -> None:
    tl = small()
    v, _ = show(tl, 20.0, 60, 20)
    assert (v.part_left, v.elapsed, v.total) == (28, 20, 135)
    assert (v.part_no, v.parts, v.next_up) == (2, 5, "Cat")
    v, _ = show(tl, 70.0, 60, 20)
    assert v.next_up == "Twist · left"
    v, _ = show(tl, 120.0, 60, 20)
    assert v.next_up == "the end"


def test_part_numbers_count_from_the_routine_after_from_part() -> None:
    tl = small().from_part(2)
    p, now = at(tl, 1.0)
    v = view(p, now, UI, 60, 20)
    assert (v.part_no, v.parts) == (3, 5)


# --- NO_COLOR -----------------------------------------------------------------------------

COLOUR = re.compile(r"\x1b\[([0-9;]*)m")


def _colour_codes(text: str) -> list[str]:
    """SGR parameters that set a colour (30-49, 90-107, 38;..., 48;...)."""
    found = []
    for params in COLOUR.findall(text):
        parts = [int(x) for x in params.split(";") if x]
        for n in parts:
            if 30 <= n <= 49 or 90 <= n <= 107:
                found.append(params)
                break
    return found


def _render_like_the_app(monkeypatch: pytest.MonkeyPatch, no_color: bool) -> str:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")  # as if on a terminal
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    buffer = io.StringIO()
    monkeypatch.setattr("sys.stdout", buffer)
    output.out.cache_clear()
    try:
        console = output.out()
        tl = small()
        p, now = at(tl, 6.0)
        console.print(render(view(p, now, UI, 60, 20)))
        console.print(render(view(P.pause(p, now), now, UI, 60, 20)))
    finally:
        output.out.cache_clear()
    return buffer.getvalue()


def test_no_color_means_no_colour_escapes(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _render_like_the_app(monkeypatch, no_color=True)
    assert "breathe in" in text and "paused" in text
    assert _colour_codes(text) == []
    # output.py goes further than NO_COLOR asks: no bold or dim either, so no escapes
    assert "\x1b" not in text


def test_without_no_color_there_is_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """So the NO_COLOR check above can fail."""
    text = _render_like_the_app(monkeypatch, no_color=False)
    assert _colour_codes(text)


def _ansi(v: object, **console: object) -> str:
    buf = io.StringIO()
    c = Console(file=buf, width=60, height=20, force_terminal=True, **console)  # type: ignore[arg-type]
    c.print(render(v))  # type: ignore[arg-type]
    return buf.getvalue()


def test_themes_change_the_colours_and_mono_has_none() -> None:
    t0 = 100.0
    p = P.start(Player(small()), t0)
    p, _ = P.advance(p, t0 + 6.0)  # an in-breath: the pacer is coloured
    v = view(p, t0 + 6.0, UiState(), 60, 20)
    # the suite sets NO_COLOR; these consoles ask for colour explicitly
    dark = _ansi(replace(v, theme="dark"), color_system="256", no_color=False)
    light = _ansi(replace(v, theme="light"), color_system="256", no_color=False)
    assert dark == _ansi(replace(v, theme="auto"), color_system="256", no_color=False)
    assert dark != light
    assert re.sub(r"\x1b\[[0-9;]*m", "", dark) == re.sub(r"\x1b\[[0-9;]*m", "", light)
    mono = _ansi(replace(v, theme="mono"), color_system="256", no_color=True)
    assert not re.search(r"\x1b\[[0-9;]*3[0-9;]*m", mono.replace("\x1b[1m", ""))
    assert "\x1b[1m" in mono  # bold stays: the pose name reads from across the room


@pytest.mark.parametrize("width", [80, 60, 44])
def test_while_paused_the_key_bar_says_space_resumes(width: int) -> None:
    tl = small()
    p, now = at(tl, 6.0)
    playing = render(view(p, now, UI, width, 20))
    paused = P.pause(p, now)
    still = render(view(paused, now, UI, width, 20))
    assert isinstance(playing, Drawn) and isinstance(still, Drawn)
    bar = still.plain.splitlines()[-1]
    assert "resume" in bar and "pause" not in bar and len(bar) <= width
    assert "pause" in playing.plain.splitlines()[-1]


@pytest.mark.parametrize(("width", "height"), [(40, 10), (40, 12), (45, 11), (60, 14), (80, 24)])
def test_help_fits_small_screens_without_cut_lines(width: int, height: int) -> None:
    """Each key on a line of its own, shorter words when narrow: no line ends in a lone '…'
    (the title of the routine aside), and the key row stays at the bottom."""
    _, out = show(small(), 20.0, width, height, UiState(show_help=True))
    lines = out.splitlines()
    assert len(lines) <= height and "…" not in "\n".join(lines[1:]), out
    for what in ("pause / resume", "next pose", "mute / unmute", "this help", "stop the session"):
        assert what in out, out
    assert "restart" in out and ("15 s" in out or "15 seconds" in out)
    assert "q quit" in lines[-1]


@pytest.mark.parametrize(
    ("length", "rate"), [(2.0, 4.0), (2.5, 4.0), (3.0, 3.0), (4.0, 2.0), (7.0, 2.0)]
)
def test_the_pacer_steps_often_enough_for_a_quick_breath_and_no_more(
    length: float, rate: float
) -> None:
    seg = Segment(10.0, length, 0, "c", "Cat", None, "inhale", "", rep=1, reps=4, unit="rep")
    assert pacer_rate(seg) == rate
    assert rate.is_integer()  # its steps fall on the clock's whole seconds
    steps = length * rate
    assert steps >= 8 or rate == 4  # at least 8 steps a breath, at most 4 a second
    cells = {pacer_cells(seg, 10.0 + i / 1000, 41, None) for i in range(int(length * 1000))}
    assert 0.75 * steps <= len(cells) <= steps


def test_a_wrapped_cue_does_not_end_in_a_word_alone() -> None:
    from yogaback.screen.layout import _wrap

    routines = [load_routine(SEQUENCES / f"{n}.yaml") for n in ("upper-back", "desk-break")]
    texts = {s.text for r in routines for s in compile_timeline(r).segments}
    lone = []
    for text in texts:
        for width in (40, 58, 64):
            lines = _wrap(text, width)
            if len(lines) > 1 and " " not in lines[-1].strip():
                lone.append((width, lines))
    assert not lone, lone[:3]
    # as many lines as a greedy wrap, never more, and as even as they go
    assert _wrap("Let the head's own weight do the work; never pull on it.", 50) == [
        "Let the head's own weight do",
        "the work; never pull on it.",
    ]
