"""Issue 12: big type and a breathing figure on the live screen, drawn by a diffing writer.

Views are rendered to fixed sizes with no terminal."""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import replace
from pathlib import Path

import pytest

from yogaback import figures as figs
from yogaback.practice import player as P
from yogaback.practice.player import Player
from yogaback.practice.timeline import Segment, Timeline, compile_timeline
from yogaback.routine.load import load_routine
from yogaback.screen.layout import PALETTES, Drawn, render
from yogaback.screen.view import (
    Figures,
    UiState,
    View,
    figure_phase,
    layout_kind,
    view,
)
from yogaback.screen.writer import ScreenWriter

SEQUENCES = Path(__file__).resolve().parents[2] / "sequences"
UI = UiState()


def _routine(name: str = "upper-back") -> tuple[Timeline, Figures]:
    routine = load_routine(SEQUENCES / f"{name}.yaml")
    return compile_timeline(routine), figs.for_routine(routine)


def _at(tl: Timeline, pos: float) -> tuple[Player, float]:
    p = P.start(Player(tl), 1000.0)
    p, _ = P.advance(p, 1000.0 + pos)
    return p, 1000.0 + pos


def _drawn(v: View) -> list[str]:
    out = render(v)
    assert isinstance(out, Drawn)
    return ["".join(t for t, _ in row) for row in out.rows]


def _first(tl: Timeline, phase: str, side: str | None = None) -> Segment:
    return next(s for s in tl.segments if s.phase == phase and (side is None or s.side == side))


def _digit_rows(lines: list[str]) -> int:
    """Rows of big type (block elements) in the screen's lowest run of them."""
    runs, run = [], 0
    for line in lines:
        if any(ch in line for ch in "█▀▄"):
            run += 1
        else:
            if run:
                runs.append(run)
            run = 0
    return runs[-1] if runs else 0


@pytest.mark.parametrize(
    ("width", "height", "digits"), [(100, 30, 5), (200, 50, 9), (60, 20, 2), (160, 45, 8)]
)
def test_the_countdown_fills_the_space(width: int, height: int, digits: int) -> None:
    tl, f = _routine()
    for seg in tl.segments[::9]:
        lines = _drawn(view(*_at(tl, seg.start + seg.length / 2), UI, width, height, f))
        assert len(lines) == height and all(len(line) == width for line in lines)
        assert _digit_rows(lines) >= digits, "\n".join(lines)


def test_below_60x20_the_compact_layout_of_today() -> None:
    tl, f = _routine()
    seg = _first(tl, "inhale")
    p, now = _at(tl, seg.start + 1)
    lines = _drawn(view(p, now, UI, 60, 12, f))
    assert not any("█" in line for line in lines)
    assert any(line.strip() == seg.name.upper() for line in lines)


def test_at_100x30_the_name_is_big_and_the_figure_is_beside_it() -> None:
    tl, f = _routine()
    seg = _first(tl, "inhale")
    v = view(*_at(tl, seg.start + 1), UI, 100, 30, f)
    lines = _drawn(v)
    assert v.figure == "knees-to-chest"
    runs, run = [], 0
    for line in lines:
        big = any(ch in line[40:] for ch in "█▀▄")
        run = run + 1 if big else 0
        if big and run == 1:
            runs.append(0)
        if big:
            runs[-1] = run
    assert runs[0] >= 3 and runs[-1] >= 5, runs  # the name, then the countdown
    braille = [line for line in lines if any(0x2800 < ord(ch) <= 0x28FF for ch in line)]
    assert len(braille) >= 8
    # the figure is on the left, the type on the right
    assert all(not any(0x2800 < ord(ch) <= 0x28FF for ch in line[40:]) for line in braille)


def test_a_tall_window_stacks_the_figure_above_the_type() -> None:
    tl, f = _routine()
    seg = _first(tl, "inhale")
    lines = _drawn(view(*_at(tl, seg.start + 1), UI, 60, 50, f))
    fig_rows = [i for i, ln in enumerate(lines) if any(0x2800 < ord(c) <= 0x28FF for c in ln)]
    type_rows = [i for i, ln in enumerate(lines) if "█" in ln]
    assert fig_rows and type_rows and max(fig_rows) < min(type_rows)


def test_the_figure_is_dropped_first_when_space_runs_out() -> None:
    tl, f = _routine()
    seg = _first(tl, "inhale")
    p, now = _at(tl, seg.start + 1)
    for width, height in ((60, 32), (45, 34)):
        assert layout_kind(width, height, True) == "tall"  # a figure would go above...
        lines = _drawn(view(p, now, UI, width, height, f))
        assert not any(any(0x2800 < ord(c) <= 0x28FF for c in ln) for ln in lines), (width, height)
        assert any("█" in ln for ln in lines)  # ...but the big type needs the room
    # and a routine without figures plays as before: no figure anywhere
    assert view(p, now, UI, 100, 30).figure == ""


def test_a_left_side_pose_is_the_mirror_image_of_its_right_side() -> None:
    tl, f = _routine()
    right = _first(tl, "inhale", "right")
    left = next(
        s for s in tl.segments if s.pose == right.pose and s.side == "left" and s.phase == "inhale"
    )
    vr = view(*_at(tl, right.start + 0.01), UI, 100, 30, f)
    vl = view(*_at(tl, left.start + 0.01), UI, 100, 30, f)
    assert vr.figure == vl.figure and not vr.mirror and vl.mirror
    assert vr.figure_phase == vl.figure_phase
    assert vl.drawing is not None
    fw = 36
    assert vl.drawing.render(fw, 20, vl.figure_phase, True) == figs.canvas.mirror_rows(
        vr.drawing.render(fw, 20, vr.figure_phase) if vr.drawing else []
    )


def test_the_figure_moves_between_keyframes_in_step_with_the_pacer() -> None:
    tl, f = _routine()
    inhale = _first(tl, "inhale")
    exhale = tl.segments[tl.segments.index(inhale) + 1]
    assert exhale.phase == "exhale"
    samples = [inhale.start + inhale.length * k / 8 for k in range(8)]
    samples += [exhale.start + exhale.length * k / 8 for k in range(8)]
    phases = [view(*_at(tl, t), UI, 100, 30, f).figure_phase for t in samples]
    # breathing in goes from the out-shape (1) towards the in-shape (0), then back
    assert phases[0] == 1.0 and phases[8] == 0.0
    assert all(a >= b for a, b in itertools.pairwise(phases[:8]))
    assert all(a <= b for a, b in itertools.pairwise(phases[8:]))
    # a few steps per breath, not one per frame
    assert set(phases) <= {0.0, 0.25, 0.5, 0.75, 1.0}
    # and the drawing differs between the two keyframes
    moving = figs.get("knee-rocks")
    assert moving.render(36, 20, 0.0) != moving.render(36, 20, 1.0)


def test_a_held_pose_breathes_slightly() -> None:
    tl, f = _routine()
    hold = next(s for s in tl.segments if s.phase in ("hold", "rest") and s.length > 10)
    phases = {figure_phase(hold, hold.start + t, None) for t in range(9)}
    assert len(phases) > 2 and min(phases) == 0.0
    held = view(*_at(tl, hold.start + 4), UI, 100, 30, f)
    assert held.figure


def test_the_writer_sends_only_changed_cells() -> None:
    out = io.StringIO()
    writer = ScreenWriter(out)
    frame = [(("hello world", ""),), (("second row!", ""),), (("third row..", ""),)]
    first = writer.draw(frame, 11, 3)
    assert "\x1b[2J" in first and "second row!" in first  # a full paint first
    changed = [frame[0], (("second ROW!", ""),), frame[2]]
    second = writer.draw(changed, 11, 3)
    assert "\x1b[2;8H" in second  # row 2, from the first changed column
    assert "ROW" in second and "hello" not in second and "third" not in second
    assert "\x1b[2J" not in second
    assert writer.draw(changed, 11, 3) == ""  # nothing changed: nothing written


def test_each_diff_is_against_the_frame_just_drawn() -> None:
    writer = ScreenWriter(io.StringIO())
    writer.draw([(("aaaa", ""),), (("xx", ""),)], 4, 2)
    writer.draw([(("abaa", ""),), (("xx", ""),)], 4, 2)
    out = writer.draw([(("abba", ""),), (("xx", ""),)], 4, 2)
    assert "\x1b[1;3H" in out and out.count("b") == 1  # only the third cell is new
    writer.draw([(("abba", ""),)], 4, 2)  # a shorter frame, then the row comes back
    out = writer.draw([(("abba", ""),), (("xy", ""),)], 4, 2)
    assert "xy" in out


def test_text_taken_as_one_cell_a_character_is_one_cell_to_rich() -> None:
    from rich.cells import get_character_cell_size

    from yogaback.screen.writer import NARROW

    narrow = [chr(c) for c in range(0x20, 0x3000) if NARROW.fullmatch(chr(c))]
    assert len(narrow) > 1000 and "█" in narrow and "⣿" in narrow and "❚" in narrow
    assert [ch for ch in narrow if get_character_cell_size(ch) != 1] == []
    writer = ScreenWriter(io.StringIO())  # what is not in the list still takes its width
    writer.draw([(("e\u0301✅a", ""),)], 4, 1)
    assert "\x1b[1;4H" in writer.draw([(("e\u0301✅b", ""),)], 4, 1)


def test_the_same_cells_in_other_spans_write_nothing() -> None:
    writer = ScreenWriter(io.StringIO())
    writer.draw([(("ab", ""), ("cd", ""))], 4, 1)
    assert writer.draw([(("abcd", ""),)], 4, 1) == ""


def test_the_writer_repaints_in_full_after_a_resize() -> None:
    writer = ScreenWriter(io.StringIO())
    frame = [(("abc", ""),), (("def", ""),)]
    writer.draw(frame, 3, 2)
    again = writer.draw(frame, 3, 2)
    assert again == ""
    resized = writer.draw([*frame, (("ghi", ""),)], 3, 3)
    assert "\x1b[2J" in resized and "abc" in resized and "ghi" in resized


def test_the_writer_keeps_wide_characters_whole() -> None:
    writer = ScreenWriter(io.StringIO())
    writer.draw([(("ab漢字", ""),)], 6, 1)
    out = writer.draw([(("ab漢子", ""),)], 6, 1)
    assert "\x1b[1;5H" in out and out.count("子") == 1


def test_colour_goes_with_no_color_but_bold_stays() -> None:
    from rich.color import ColorSystem

    out = io.StringIO()
    ScreenWriter(out, ColorSystem.STANDARD, no_color=True).draw([(("x", "bold cyan"),)], 1, 1)
    assert "\x1b[1m" in out.getvalue() and "36" not in out.getvalue()
    out = io.StringIO()
    ScreenWriter(out, ColorSystem.STANDARD).draw([(("x", "bold cyan"),)], 1, 1)
    assert "\x1b[1;36m" in out.getvalue()


def test_a_countdown_tick_costs_bytes_not_a_screen() -> None:
    tl, f = _routine()
    hold = next(s for s in tl.segments if s.phase in ("hold", "rest") and s.length > 30)
    writer = ScreenWriter(io.StringIO())
    p = P.start(Player(tl), 0.0)
    written = []
    for t in range(20):
        q, _ = P.advance(p, hold.start + 2 + t)
        v = view(q, hold.start + 2 + t, UI, 100, 30, f)
        out = render(v)
        assert isinstance(out, Drawn)
        written.append(len(writer.draw(out.rows, 100, 30).encode()))
    assert written[0] > 3000  # the first frame paints everything
    # then about a minute's worth of holds stays within 25 KB (20 s here: a third)
    assert sum(written[1:]) * 3 < 25_000, written


def test_equal_views_with_figures_compare_equal() -> None:
    tl, f = _routine()
    seg = _first(tl, "inhale")
    v = view(*_at(tl, seg.start + 1), UI, 100, 30, f)
    assert v == replace(v, drawing=None)  # what is drawn is named by figure/phase/mirror


@pytest.mark.parametrize(("gentle", "offered"), [(False, True), (True, False)])
def test_the_easier_option_is_offered_on_screen_while_the_pose_is_there(
    gentle: bool, offered: bool
) -> None:
    """README: a pose's gentler form is shown as an easier option while it is on screen
    (where there is room to spare); with --gentle it is what is played, so not offered."""
    routine = load_routine(SEQUENCES / "upper-back.yaml")
    tl = compile_timeline(routine, gentle=gentle)
    f = figs.for_routine(routine)
    seg = tl.segments[0]  # Arrive, getting ready: knees to chest has a gentler form
    gentler = routine.poses["knees-to-chest"].gentler or ""
    assert gentler
    screen = "\n".join(_drawn(view(*_at(tl, seg.start + seg.length / 2), UI, 100, 30, f)))
    assert ("Easier: Keep your feet on the mat" in screen) is offered
    tiny = "\n".join(_drawn(view(*_at(tl, seg.start + seg.length / 2), UI, 60, 20, f)))
    assert countdown_digits_kept(tiny)


def countdown_digits_kept(lines: str) -> bool:
    """The big countdown is never given up for the easier option."""
    return _digit_rows(lines.splitlines()) >= 2


@pytest.mark.parametrize(("width", "height"), [(80, 24), (100, 30), (200, 50), (60, 12)])
def test_a_notice_leaves_the_countdown_as_it_was(width: int, height: int) -> None:
    """Pressing + shows "+15 s" for two seconds: it takes a blank row (or, with none to
    spare, the key row), so nothing of the body, the big countdown least of all, moves."""
    tl, f = _routine()
    for seg in (_first(tl, "hold"), _first(tl, "inhale"), _first(tl, "transition")):
        p, now = _at(tl, seg.start + 1)
        plain = _drawn(view(p, now, UI, width, height, f))
        ui = replace(UI, notice="+15 s", notice_until=now + 2)
        noted = _drawn(view(p, now, ui, width, height, f))
        changed = [i for i, (a, b) in enumerate(zip(plain, noted, strict=True)) if a != b]
        assert len(changed) == 1 and noted[changed[0]].strip() == "+15 s", "\n".join(noted)
        assert changed[0] in (height - 4, height - 1)  # above the session bar, or the keys


@pytest.mark.parametrize("name", ["upper-back", "desk-break"])
def test_a_safety_note_has_lines_of_its_own_in_colour_through_its_part(name: str) -> None:
    tl, f = _routine(name)
    noted = {s.part for s in tl.segments if s.safety}
    assert noted
    for seg in (s for s in tl.segments if s.part in noted):
        v = view(*_at(tl, seg.start + 0.1), UI, 100, 30, f)
        out = render(v)
        assert isinstance(out, Drawn)
        lines = ["".join(t for t, _ in row) for row in out.rows]
        at = [i for i, line in enumerate(lines) if "Safety:" in line]
        assert len(at) == 1, (seg.phase, lines)  # once, in every segment of the part
        before = lines[at[0]].split("Safety:")[0]  # the figure may be beside it
        assert not re.search(r"[A-Za-z.,]", before), lines[at[0]]  # not run on after the cue
        styles = {st for t, st in out.rows[at[0]] if "Safety:" in t}
        assert styles == {PALETTES["dark"]["notice"]}, styles


@pytest.mark.parametrize(
    ("name", "width", "height"),
    [
        ("desk-break", 100, 30),
        ("desk-break", 80, 24),
        ("upper-back", 100, 30),
        ("upper-back", 80, 24),
        ("upper-back", 200, 50),
    ],
)
def test_the_countdown_and_the_pacer_stay_put_from_one_breath_to_the_next(
    name: str, width: int, height: int
) -> None:
    """A part's breaths and holds have cues of different lengths: the breath label, the
    pacer and the countdown keep their rows (and the digits their size) all through it."""
    tl, f = _routine(name)
    places: dict[int, set[tuple[tuple[int, ...], tuple[int, ...]]]] = {}
    for seg in tl.segments:
        if seg.phase == "transition":
            continue  # the setup, at the start of the part, is laid out its own way
        out = render(view(*_at(tl, seg.start + 0.1), UI, width, height, f))
        assert isinstance(out, Drawn) and out.moving is not None
        # the pacer's rows (the breath's label is right above them) and the big digits' rows
        places.setdefault(seg.part, set()).add((out.moving.pacer, out.moving.clock))
        assert out.moving.clock, out.plain  # big digits, every time
    moved = {part: spots for part, spots in places.items() if len(spots) > 1}
    assert not moved, moved


def test_paused_the_big_countdown_is_dimmed() -> None:
    tl, f = _routine()
    hold = next(s for s in tl.segments if s.phase == "hold" and s.length > 20)
    p, now = _at(tl, hold.start + 3)
    styles = {}
    for state in (p, P.pause(p, now)):
        out = render(view(state, now, UI, 100, 30, f))
        assert isinstance(out, Drawn)
        styles[state.status] = {st for row in out.rows for t, st in row if "███" in t}
    assert styles["playing"] == {""} and styles["paused"] == {"dim"}


def test_coming_out_of_a_pose_says_so_in_the_moving_colour() -> None:
    tl, f = _routine("yin-knots")
    out_of = next(s for s in tl.segments if s.phase == "exit")
    lines = _drawn(view(*_at(tl, out_of.start + 0.5), UI, 100, 30, f))
    assert any("━━━  come out  ━━━" in line for line in lines), lines
    assert PALETTES["dark"]["exit"] == PALETTES["dark"]["transition"]


@pytest.mark.parametrize(
    ("width", "height", "big"), [(200, 50, True), (160, 45, True), (100, 30, False)]
)
def test_on_a_tall_screen_the_breath_is_in_big_type_in_its_colour(
    width: int, height: int, big: bool
) -> None:
    tl, f = _routine()
    inhale = _first(tl, "inhale")
    out = render(view(*_at(tl, inhale.start + 0.1), UI, width, height, f))
    assert isinstance(out, Drawn)
    colour = PALETTES["dark"]["inhale"]
    inked = [row for row in out.rows if any(st == colour and set(t) & set("█▀▄") for t, st in row)]
    labelled = any("breathe in" in "".join(t for t, _ in row) for row in out.rows)
    if big:  # three rows of big letters in its colour (and the pacer, in blocks or dots)
        assert len(inked) >= 3 and not labelled
    else:
        assert labelled
