"""The timeline compiler: invariants over generated routines, fitting, pacing, rebasing.

Routines are generated as model objects (``Routine``/``Pose``/``Step``/``Group``)
inside the space ``load_routine`` accepts; ``test_generated_routines_are_valid_files``
checks that claim by writing a sample of them as YAML and loading them back.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from yogaback.durations import clock
from yogaback.errors import BadInput
from yogaback.practice.fitting import MIN_BREATHS, MIN_REPS
from yogaback.practice.parts import MIN_HOLD_SECONDS, Part, body_length, plan
from yogaback.practice.timeline import Segment, Timeline, compile_timeline, expand, lengthen
from yogaback.routine.load import load_routine
from yogaback.routine.model import OTHER_SIDE, Group, OffsetCue, Pace, Phase, Pose, Routine, Step

SEQUENCES = Path(__file__).resolve().parents[2] / "sequences"
STARTER = SEQUENCES.parent / "src" / "yogaback" / "routine" / "starter.yaml"
TOL = 1e-6

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- generating routines ----------------------------------------------------------------

WORDS = ("reach", "breathe", "soften", "lift", "fold", "rest", "open", "twist", "sink")
# Placeholders are written as S:{side} / O:{other_side} so the output can be checked:
# every "S:" must be followed by the segment's side, every "O:" by the other side.
MARKS = ("S:{side}", "O:{other_side}", "S:{side} O:{other_side}")


@st.composite
def texts(draw: st.DrawFn, placeholders: bool = False) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
    if placeholders and draw(st.booleans()):
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(MARKS)))
    return " ".join(words)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


LENGTHS = st.sampled_from((2.0, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0))
paces = st.builds(Pace, LENGTHS, LENGTHS)
transitions = maybe(st.sampled_from((0.0, 2.0, 3.0, 5.0, 7.5, 10.0)))
durations = st.sampled_from((1.0, 5.0, 7.5, 10.0, 14.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0, 150.0))


@st.composite
def steps(
    draw: st.DrawFn, key: str, routine_pace: Pace, in_group: bool = False
) -> tuple[Step, Pose]:
    """A valid step and its own pose (each step gets a pose, keyed ``key``)."""
    kind = draw(st.sampled_from(("duration", "breaths", "reps")))
    sides: tuple[str, ...] = ()
    alternate = False
    if not in_group:
        choices = ["none", "right", "left", "both", "reversed"]
        if kind == "reps":
            choices.append("alternate")
        which = draw(st.sampled_from(choices))
        sides = {
            "none": (),
            "right": ("right",),
            "left": ("left",),
            "both": ("right", "left"),
            "reversed": ("left", "right"),
            "alternate": ("right", "left"),
        }[which]
        alternate = which == "alternate"
    sided = in_group or bool(sides)
    pace = draw(maybe(paces))
    fields: dict[str, Any] = {
        "pose": key,
        "title": draw(maybe(texts(sided))),
        "cue": draw(maybe(texts(sided))),
        "sides": sides,
        "alternate": alternate,
        "pace": pace,
        "transition": draw(transitions),
        "rest": draw(st.booleans()) if kind != "reps" else False,
    }
    length = 0.0
    if kind == "duration":
        fields["duration"] = length = draw(durations)
    elif kind == "breaths":
        fields["breaths"] = draw(st.integers(1, 8))
        length = fields["breaths"] * (pace or routine_pace).cycle
        fields["inhale"] = draw(maybe(texts(sided)))
        fields["exhale"] = draw(maybe(texts(sided)))
    else:
        fields["reps"] = draw(st.integers(1, 6))
        if draw(st.booleans()):
            fields["cycle"] = tuple(
                draw(
                    st.lists(
                        st.builds(
                            Phase,
                            st.sampled_from(("inhale", "exhale", "hold")),
                            texts(sided),
                            maybe(st.sampled_from((1.0, 2.0, 2.5, 6.0))),
                        ),
                        min_size=1,
                        max_size=4,
                    )
                )
            )
        else:
            fields["inhale"] = draw(texts(sided))
            fields["exhale"] = draw(maybe(texts(sided)))
    if kind != "reps" and length > 1:
        ats = draw(st.lists(st.integers(1, math.ceil(length) - 1), max_size=3))
        fields["cues"] = tuple(OffsetCue(float(at), draw(texts(sided))) for at in ats)
    step = Step(**fields)
    # A pose may name a side in its name and setup only if every step using it has sides
    # (each step here has a pose of its own).
    name = draw(texts(sided))
    pose = Pose(
        name=name[:1].upper() + name[1:],  # not capitalize(): it would lower the S:/O: marks
        setup=draw(maybe(texts(sided))),
    )
    return step, pose


@st.composite
def routines(draw: st.DrawFn, max_items: int = 5) -> Routine:
    pace = draw(paces)
    poses: dict[str, Pose] = {}
    items: list[Step | Group] = []
    for n in range(draw(st.integers(1, max_items))):
        if draw(st.integers(0, 3)) == 0:
            inner = []
            for m in range(draw(st.integers(1, 3))):
                step, pose = draw(steps(f"p{n}-{m}", pace, in_group=True))
                poses[step.pose] = pose
                inner.append(step)
            sides = draw(
                st.sampled_from((("right", "left"), ("left", "right"), ("right",), ("left",)))
            )
            items.append(Group(draw(texts()), tuple(inner), sides, transition=draw(transitions)))
        else:
            step, pose = draw(steps(f"p{n}", pace))
            poses[step.pose] = pose
            items.append(step)
    return Routine(
        title=draw(texts()),
        poses=poses,
        steps=tuple(items),
        pace=pace,
        transition=draw(st.sampled_from((0.0, 3.0, 5.0, 15.0))),
    )


# --- helpers ------------------------------------------------------------------------------


def blocks(routine: Routine) -> list[tuple[Step | Group, list[list[int]]]]:
    """For each routine item, the part indices it expands to, one list per side."""
    out: list[tuple[Step | Group, list[list[int]]]] = []
    n = 0
    for item in routine.steps:
        if isinstance(item, Group):
            per = len(item.steps)
            out.append(
                (
                    item,
                    [list(range(n + k * per, n + (k + 1) * per)) for k in range(len(item.sides))],
                )
            )
            n += per * len(item.sides)
        elif item.sides and not item.alternate:
            out.append((item, [[n + k] for k in range(len(item.sides))]))
            n += len(item.sides)
        else:
            out.append((item, [[n]]))
            n += 1
    return out


def body(tl: Timeline, part: int) -> list[tuple[object, ...]]:
    """What is done in a part apart from moving into it: phase, length, counts."""
    return [
        (s.phase, round(s.length, 9), s.rep, s.reps, s.unit)
        for s in tl.segments
        if s.part == part and s.phase != "transition"
    ]


def transition_length(tl: Timeline, part: int) -> float:
    return sum(s.length for s in tl.segments if s.part == part and s.phase == "transition")


def close(a: float, b: float) -> bool:
    return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))


def check_invariants(tl: Timeline) -> None:
    """Contiguous segments and parts that add up exactly to the total."""
    assert tl.segments, "a timeline has segments"
    assert close(tl.segments[0].start, 0.0)
    for a, b in zip(tl.segments, tl.segments[1:], strict=False):
        assert close(b.start, a.end), (a, b)
        assert b.part >= a.part
    for s in tl.segments:
        assert s.length >= 0
        assert s.text.strip(), s
        assert s.name.strip(), s
    assert close(math.fsum(s.length for s in tl.segments), tl.total)
    assert close(tl.segments[-1].end, tl.total)
    assert [p.index for p in tl.parts] == list(range(len(tl.parts)))
    assert close(math.fsum(p.length for p in tl.parts), tl.total)
    t = 0.0
    by_part: dict[int, list[Segment]] = {}
    for s in tl.segments:
        by_part.setdefault(s.part, []).append(s)
    for p in tl.parts:
        assert close(p.start, t), (p, t)
        t = p.start + p.length
        mine = by_part.get(p.index, [])
        assert mine, f"part {p.index} has no segments"
        assert close(mine[0].start, p.start)
        assert close(mine[-1].end, p.start + p.length)


# a mark's word, without what follows it (a pose name is said as "Come into <name>.")
SIDE_MARK = re.compile(r"S:([\w{}]+)")
OTHER_MARK = re.compile(r"O:([\w{}]+)")


def check_sides_said(text: str, side: str | None) -> None:
    assert "{" not in text and "}" not in text, text
    said = SIDE_MARK.findall(text)
    others = OTHER_MARK.findall(text)
    for word in said:
        assert word in ("right", "left"), text
        if side is not None:
            assert word == side, (text, side)
    for word in others:
        assert word in ("right", "left"), text
        if side is not None:
            assert word == OTHER_SIDE[side], (text, side)
    if said and others:
        assert others[0] == OTHER_SIDE[said[0]], text


def every_part(routine: Routine) -> Routine:
    """The routine with nothing marked as optional: --minutes only scales it."""
    steps = tuple(
        replace(
            item,
            priority=None,
            **(
                {"steps": tuple(replace(s, priority=None) for s in item.steps)}
                if isinstance(item, Group)
                else {}
            ),
        )
        for item in routine.steps
    )
    return replace(routine, steps=steps)


def shipped(scaled_only: bool = False) -> list[Routine]:
    names = ("upper-back", "yin-knots", "desk-break")
    found = [load_routine(SEQUENCES / f"{n}.yaml") for n in names] + [load_routine(STARTER)]
    return [every_part(r) for r in found] if scaled_only else found


def load_shipped(name: str, scaled_only: bool = True) -> Routine:
    routine = load_routine(SEQUENCES / f"{name}.yaml")
    return every_part(routine) if scaled_only else routine


# --- the plain timeline -----------------------------------------------------------------


@FAST
@given(routines())
def test_segments_are_contiguous_and_add_up(routine: Routine) -> None:
    check_invariants(compile_timeline(routine))


def test_shipped_routines_keep_the_invariants() -> None:
    for routine in shipped():
        check_invariants(compile_timeline(routine))


@FAST
@given(routines())
def test_both_sides_get_the_same_time_and_phases(routine: Routine) -> None:
    tl = compile_timeline(routine)
    for item, per_side in blocks(routine):
        if len(per_side) < 2:
            continue
        first = per_side[0]
        for other in per_side[1:]:
            for k, (a, b) in enumerate(zip(first, other, strict=True)):
                assert body(tl, a) == body(tl, b), (item, a, b)
                switch = isinstance(item, Group) and k == 0 and item.transition is not None
                if not switch:  # a group's own transition is the side switch: may differ
                    assert transition_length(tl, a) == pytest.approx(transition_length(tl, b))
            sides = {tl.parts[i].side for i in other} | {tl.parts[i].side for i in first}
            assert sides == set(item.sides)


@FAST
@given(routines())
def test_sides_are_substituted_everywhere(routine: Routine) -> None:
    tl = compile_timeline(routine)
    for s in tl.segments:
        check_sides_said(s.text, s.side)
        check_sides_said(s.name, s.side)
    for p in tl.parts:
        side = p.side if p.side in ("right", "left") else None
        check_sides_said(p.name, side)
        check_sides_said(p.cue, side)


@FAST
@given(routines())
def test_counts_are_whole_and_phases_follow_the_step(routine: Routine) -> None:
    tl = compile_timeline(routine)
    parts = plan(routine)
    assert len(parts) == len(tl.parts)
    for part, info in zip(parts, tl.parts, strict=True):
        mine = [s for s in tl.segments if s.part == info.index and s.phase != "transition"]
        if info.kind == "duration":
            assert info.length == pytest.approx(part.transition + part.count)
            assert {s.phase for s in mine} <= {"hold", "rest"}
            assert all(s.unit is None for s in mine)
            continue
        assert info.count == int(info.count)
        count = int(info.count)
        assert {s.reps for s in mine} == {count}
        assert sorted({s.rep for s in mine}) == list(range(1, count + 1))
        if info.kind == "breaths":
            assert len(mine) == 2 * count
        else:
            phases = len(part.step.cycle) or 2
            sides = len(part.sides) if part.step.alternate else 1
            assert len(mine) == count * phases * sides
            if part.step.alternate:
                assert [s.side for s in mine[::phases]] == list(part.sides) * count


@FEW
@given(routines(max_items=3))
def test_generated_routines_are_valid_files(
    tmp_path_factory: pytest.TempPathFactory, routine: Routine
) -> None:
    """The generator stays inside the format: its routines load and compile the same."""
    path = tmp_path_factory.mktemp("r") / "generated.yaml"
    path.write_text(yaml.safe_dump(to_yaml(routine), sort_keys=False), encoding="utf-8")
    loaded = load_routine(path)
    assert compile_timeline(loaded) == compile_timeline(routine)


def _step_yaml(step: Step, in_group: bool) -> dict[str, Any]:
    d: dict[str, Any] = {"pose": step.pose}
    for key in ("title", "cue", "duration", "breaths", "reps", "inhale", "exhale", "transition"):
        if getattr(step, key) is not None:
            d[key] = getattr(step, key)
    if step.rest:
        d["rest"] = True
    if step.pace:
        d["pace"] = {"inhale": step.pace.inhale, "exhale": step.pace.exhale}
    if step.cycle:
        d["cycle"] = [
            {ph.kind: ph.text, **({"length": ph.length} if ph.length else {})} for ph in step.cycle
        ]
    if step.cues:
        d["cues"] = [{"at": c.at, "say": c.say} for c in step.cues]
    if not in_group and step.sides:
        d["sides"] = "alternate" if step.alternate else list(step.sides)
    return d


def to_yaml(routine: Routine) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for item in routine.steps:
        if isinstance(item, Group):
            g: dict[str, Any] = {
                "group": item.group,
                "sides": list(item.sides),
                "steps": [_step_yaml(s, True) for s in item.steps],
            }
            if item.transition is not None:
                g["transition"] = item.transition
            items.append(g)
        else:
            items.append(_step_yaml(item, False))
    poses = {
        key: {"name": p.name, **({"setup": p.setup} if p.setup else {})}
        for key, p in routine.poses.items()
    }
    return {
        "title": routine.title,
        "pace": {"inhale": routine.pace.inhale, "exhale": routine.pace.exhale},
        "transition": routine.transition,
        "poses": poses,
        "steps": items,
    }


# --- placeholders in titles, pose names and setups (once left unsaid) ---------------------


def _one_step_routine(step: Step, pose: Pose) -> Routine:
    return Routine(title="t", poses={step.pose: pose}, steps=(step,))


def test_alternate_part_cue_says_no_placeholder() -> None:
    """Regression: an alternate step's part cue was left with raw {side} (fixed in 5a6ed87)."""
    step = Step(
        pose="superhero",
        reps=2,
        sides=("right", "left"),
        alternate=True,
        cycle=(
            Phase("inhale", "Lift your {side} arm, your chest and your {other_side} leg."),
            Phase("exhale", "Lower everything gently down."),
        ),
    )
    tl = compile_timeline(_one_step_routine(step, Pose(name="Superhero")))
    assert tl.parts[0].cue == "Lift your right arm, your chest and your left leg."


def test_alternate_step_title_with_side() -> None:
    step = Step(
        pose="p",
        title="Lift the {side} arm",
        reps=2,
        inhale="up",
        exhale="down",
        sides=("right", "left"),
        alternate=True,
    )
    tl = compile_timeline(_one_step_routine(step, Pose("Superhero")))
    for s in tl.segments:
        assert "{" not in s.name, s.name


def test_pose_name_with_side_is_substituted() -> None:
    step = Step(pose="p", duration=30.0, cue="stay", sides=("right", "left"))
    tl = compile_timeline(_one_step_routine(step, Pose("Lunge, {side} foot forward")))
    assert [s.name for s in tl.segments if s.phase == "hold"] == [
        "Lunge, right foot forward",
        "Lunge, left foot forward",
    ]


def test_pose_setup_placeholder_in_hold_text() -> None:
    step = Step(pose="p", duration=30.0, sides=("right", "left"))
    pose = Pose("Twist", setup="Knees to the {side}.")
    tl = compile_timeline(_one_step_routine(step, pose))
    holds = [s.text for s in tl.segments if s.phase == "hold"]
    assert holds == ["Knees to the right.", "Knees to the left."]


def test_generated_placeholders_are_checked() -> None:
    """The side checker itself can fail (so the property tests above mean something)."""
    with pytest.raises(AssertionError):
        check_sides_said("reach S:left", "right")
    with pytest.raises(AssertionError):
        check_sides_said("reach O:{other_side}", "right")
    check_sides_said("reach S:right O:left", "right")


# --- fitting to a length ------------------------------------------------------------------


def _unit(part: Part) -> float:
    """How much one step of the part's count is worth, in seconds."""
    return body_length(replace(part, count=1.0)) if part.kind != "duration" else 1.0


def _floor(part: Part) -> float:
    minimum = {"duration": part.shortest, "breaths": MIN_BREATHS, "reps": MIN_REPS}
    return min(part.count, minimum[part.kind])


Rule = list[tuple[float, float, float, float]]


def rule(parts: list[Part]) -> Rule:
    """(fixed, unit, count, floor) per part: a part's body is count x unit; its transition
    and way out (exit) are fixed."""
    return [
        (p.transition + (p.exit.length if p.exit else 0.0), _unit(p), p.count, _floor(p))
        for p in parts
    ]


def half_up(x: float) -> int:
    """Rounding as fit() does it: halves go up (``round`` would send them to the even)."""
    return math.floor(x + 0.5)


def _total_at(r: Rule, factor: float) -> float:
    """The documented rule: every count scaled by one factor, rounded half up, kept at its
    floor."""
    return math.fsum(
        t + unit * max(floor, float(half_up(count * factor))) for t, unit, count, floor in r
    )


def ladder(parts: list[Part]) -> list[float]:
    """Every length the rule produces as the factor sweeps [0, 4], in order: walk the
    points where some part's rounded count changes and step the total at each one. Halves
    round up, so parts whose edges coincide (up to float error) step together, in one
    rung: there is no length between."""
    r = rule(parts)
    edges = sorted(
        ((k + 0.5) / count, i, k)
        for i, (_, _, count, _) in enumerate(r)
        for k in range(math.ceil(4 * count) + 1)
        if (k + 0.5) / count <= 4
    )
    counts = [max(floor, 0.0) for _, _, _, floor in r]
    total = math.fsum(t + unit * n for (t, unit, _, _), n in zip(r, counts, strict=True))
    out = [total]
    j = 0
    while j < len(edges):
        first = edges[j][0]
        while j < len(edges) and edges[j][0] <= first * (1 + 1e-12):
            _, i, k = edges[j]  # from (k + 1/2) / count on, the count rounds to k + 1
            _, unit, _, floor = r[i]
            new = max(floor, float(k + 1))
            total += (new - counts[i]) * unit
            counts[i] = new
            j += 1
        out.append(total)
    return out


def from_one_factor(parts: list[Part], counts: list[float]) -> bool:
    """Whether some single factor f in [0, 4] gives all these counts under the rule."""
    lo, hi = 0.0, 4.0
    for p, n in zip(parts, counts, strict=True):
        floor = _floor(p)
        if n == floor:  # half_up(c f) <= floor
            hi = min(hi, (math.floor(floor) + 0.5) / p.count)
        else:  # half_up(c f) == n
            lo, hi = max(lo, (n - 0.5) / p.count), min(hi, (n + 0.5) / p.count)
    return lo <= hi + 1e-9


@FEW
@given(routines(max_items=4), st.floats(0.0, 1.0), st.sampled_from((None, 6.0, 11.0)))
def test_fitting_lands_on_the_nearest_reachable_length(
    routine: Routine, where: float, pace: float | None
) -> None:
    """``--minutes``: the bound.

    fit() scales every count by one factor f in [0, 4] and rounds; as f grows, each
    part's count changes one unit at a time (1 s of hold, one breath cycle, one rep
    cycle on every side), so the reachable lengths form a ladder whose rungs are at most
    the sum of those units apart. fit() bisects for the rung pair around the target and
    returns the nearer, so the result is the reachable length nearest the target (and so
    within half a rung). We check exactly that, against an independent enumeration of the
    ladder, plus the coarse bound.
    """
    parts = plan(routine, pace)
    lengths = ladder(parts)
    assert lengths == sorted(lengths)
    shortest, longest = lengths[0], lengths[-1]
    assert shortest == pytest.approx(_total_at(rule(parts), 0.0))
    assert longest == pytest.approx(_total_at(rule(parts), 4.0))
    # where may be 0 or 1: the exact limits (fit() allows 0.5 s either side of them, so an
    # ulp lost in minutes * 60 does not matter)
    target = shortest + where * (longest - shortest)
    tl = compile_timeline(routine, minutes=target / 60, pace=pace)
    check_invariants(tl)
    best = min(abs(x - target) for x in lengths)
    assert abs(tl.total - target) <= best + 1e-6
    assert abs(tl.total - target) <= 0.5 * sum(_unit(p) for p in parts) + 1e-6
    assert from_one_factor(parts, [p.count for p in tl.parts])


# How far from a whole --minutes the nearest rung can be on each shipped routine: half its
# widest rung. Many parts share a count and step together; on upper-back the 5-count parts
# (and, where their halves coincide, the 3-count ones) reach their halves at once and
# (rounding half up) step together, up to a 183 s rung, so e.g. --minutes 51 gives 49:32.
FIT_WITHIN = {
    "Upper-back mobility and strength flow": 91.5,
    "Yin for upper-back knots": 2.0,
    "Desk break": 16.5,  # the neck stretch's 5 s of coming out is never shortened
    "My upper-back break": 9.0,
}


def test_fitting_the_shipped_routines_is_close() -> None:
    """On real routines every whole --minutes they can reach lands on the nearest rung,
    within half the routine's widest rung and within 4% of the request."""
    assert sorted(FIT_WITHIN) == sorted(r.title for r in shipped())
    for routine in shipped(scaled_only=True):
        parts = plan(routine)
        lengths = ladder(parts)
        widest = max(b - a for a, b in itertools.pairwise(lengths))
        assert widest / 2 <= FIT_WITHIN[routine.title]
        lo, hi = math.ceil(lengths[0] / 60), math.floor(lengths[-1] / 60)
        for minutes in range(lo, hi + 1):
            tl = compile_timeline(routine, minutes=minutes)
            best = min(abs(x - minutes * 60) for x in lengths)
            assert abs(tl.total - minutes * 60) <= best + 1e-6
            assert abs(tl.total - minutes * 60) <= FIT_WITHIN[routine.title], minutes
            assert abs(tl.total - minutes * 60) <= 0.04 * minutes * 60, minutes


@FEW
@given(routines(), st.floats(0.0, 1.0))
def test_fitting_keeps_whole_counts_floors_and_equal_sides(routine: Routine, where: float) -> None:
    parts = plan(routine)
    shortest, longest = _total_at(rule(parts), 0.0), _total_at(rule(parts), 4.0)
    target = shortest + where * (longest - shortest)  # the limits included
    tl = compile_timeline(routine, minutes=target / 60)
    check_invariants(tl)
    for part, info in zip(parts, tl.parts, strict=True):
        assert info.kind == part.kind
        if part.kind != "duration":
            assert info.count == int(info.count)
        assert info.count >= _floor(part) - 1e-9, (part.count, info.count)
        assert info.count <= 4 * part.count + 0.5
    assert from_one_factor(parts, [p.count for p in tl.parts])
    for _item, per_side in blocks(routine):
        for other in per_side[1:]:
            for a, b in zip(per_side[0], other, strict=True):
                assert tl.parts[a].count == tl.parts[b].count
                assert body(tl, a) == body(tl, b)


def test_fitting_keeps_floors_even_when_squeezed_hard() -> None:
    routine = load_shipped("upper-back")
    parts = plan(routine)
    tl = compile_timeline(routine, minutes=math.ceil(_total_at(rule(parts), 0.0) / 60))
    for part, info in zip(parts, tl.parts, strict=True):
        assert info.count >= _floor(part)
        if part.kind == "duration" and part.count >= MIN_HOLD_SECONDS:
            assert info.count >= MIN_HOLD_SECONDS


SHORT_MESSAGE = re.compile(
    r"^cannot fit this routine into (\S+): keeping every pose, the shortest it can be is "
    r"(\S+) \(--minutes (\d+) or more\)$"
)
LONG_MESSAGE = re.compile(
    r"^cannot stretch this routine to (\S+): at four times its holds it lasts (\S+) "
    r"\(--minutes (\d+) or less\)$"
)


def test_too_short_a_request_says_how_short_it_can_be() -> None:
    routine = load_shipped("upper-back")
    shortest = _total_at(rule(plan(routine)), 0.0)
    with pytest.raises(BadInput) as info:
        compile_timeline(routine, minutes=5)
    match = SHORT_MESSAGE.match(str(info.value))
    assert match, str(info.value)
    asked, said, suggested = match.group(1), match.group(2), int(match.group(3))
    assert (asked, said) == ("5:00", clock(shortest))
    assert suggested == math.ceil(shortest / 60)
    compile_timeline(routine, minutes=suggested)  # the advice works
    with pytest.raises(BadInput):  # and is the least that does
        compile_timeline(routine, minutes=suggested - 1)


def test_too_long_a_request_says_how_long_it_can_be() -> None:
    routine = load_shipped("yin-knots")
    longest = _total_at(rule(plan(routine)), 4.0)
    with pytest.raises(BadInput) as info:
        compile_timeline(routine, minutes=600)
    match = LONG_MESSAGE.match(str(info.value))
    assert match, str(info.value)
    asked, said, suggested = match.group(1), match.group(2), int(match.group(3))
    assert (asked, said) == ("10:00:00", clock(longest))
    assert suggested == math.floor(longest / 60)
    compile_timeline(routine, minutes=suggested)  # the advice works
    with pytest.raises(BadInput):  # and is the most that does
        compile_timeline(routine, minutes=suggested + 1)


@pytest.mark.parametrize("name", ["upper-back", "yin-knots"])
def test_the_limits_allow_half_a_second(name: str) -> None:
    routine = load_shipped(name)
    r = rule(plan(routine))
    shortest, longest = _total_at(r, 0.0), _total_at(r, 4.0)
    assert compile_timeline(routine, minutes=(shortest - 0.49) / 60).total == shortest
    assert compile_timeline(routine, minutes=(longest + 0.49) / 60).total == longest
    with pytest.raises(BadInput, match="cannot fit"):
        compile_timeline(routine, minutes=(shortest - 0.51) / 60)
    with pytest.raises(BadInput, match="cannot stretch"):
        compile_timeline(routine, minutes=(longest + 0.51) / 60)


@FEW
@given(routines(max_items=3), st.floats(0.05, 0.95))
def test_impossible_lengths_raise_bad_input(routine: Routine, frac: float) -> None:
    parts = plan(routine)
    shortest, longest = _total_at(rule(parts), 0.0), _total_at(rule(parts), 4.0)
    assume(shortest > 1)
    with pytest.raises(BadInput, match="cannot fit this routine into"):
        compile_timeline(routine, minutes=shortest * frac / 60)
    with pytest.raises(BadInput, match="cannot stretch this routine to"):
        compile_timeline(routine, minutes=longest / frac / 60 + 0.01)


def test_stretch_message_for_a_short_routine() -> None:
    step = Step(pose="p", duration=10.0, cue="stay")
    routine = replace(_one_step_routine(step, Pose("Seat")), transition=0.0)
    with pytest.raises(BadInput) as info:
        compile_timeline(routine, minutes=1)
    message = str(info.value)
    # no --minutes can stretch it to a minute: the advice says so instead of a number
    assert message.endswith("at four times its holds it lasts 0:40 (play it as it is)"), message
    assert "--minutes" not in message, message


def test_stretch_advice_for_a_short_routine_works() -> None:
    step = Step(pose="p", duration=10.0, cue="stay")
    routine = replace(_one_step_routine(step, Pose("Seat")), transition=0.0)
    with pytest.raises(BadInput) as info:
        compile_timeline(routine, minutes=1)
    advice = re.search(r"--minutes (\d+)", str(info.value))
    if advice:
        compile_timeline(routine, minutes=int(advice.group(1)))


def _hold_after(transition: float) -> Routine:
    """One 15 s hold (the floor: it cannot shrink) after a transition: the routine can
    last from transition + 15 s to transition + 60 s, within one whole minute or two."""
    step = Step(pose="p", duration=15.0, cue="stay", transition=transition)
    return _one_step_routine(step, Pose("Seat"))


@pytest.mark.parametrize(
    ("transition", "minutes", "pattern"),
    [
        (765.4, 12, SHORT_MESSAGE),  # lasts 780.4-825.4 s: 13 works, 12 is too short
        (5339.6, 91, LONG_MESSAGE),  # lasts 5354.6-5399.6 s: 90 works, 91 is too long
    ],
)
def test_the_advice_is_the_nearest_length_that_works(
    transition: float, minutes: int, pattern: re.Pattern[str]
) -> None:
    routine = _hold_after(transition)
    with pytest.raises(BadInput) as info:
        compile_timeline(routine, minutes=minutes)
    match = pattern.match(str(info.value))
    assert match, str(info.value)
    suggested = int(match.group(3))
    compile_timeline(routine, minutes=suggested)
    beyond = suggested - 1 if pattern is SHORT_MESSAGE else suggested + 1
    with pytest.raises(BadInput):
        compile_timeline(routine, minutes=beyond)


# --- pace ---------------------------------------------------------------------------------


@FAST
@given(routines(), st.sampled_from((2.0, 5.0, 8.0, 13.0, 60.0)))
def test_pace_scales_breaths_and_leaves_holds(routine: Routine, pace: float) -> None:
    plain, paced = compile_timeline(routine), compile_timeline(routine, pace=pace)
    check_invariants(paced)
    factor = pace / routine.pace.cycle
    assert len(plain.segments) == len(paced.segments)
    for a, b in zip(plain.segments, paced.segments, strict=True):
        assert (a.phase, a.part, a.rep, a.unit) == (b.phase, b.part, b.rep, b.unit)
        if a.unit is not None:  # breath-synced
            assert close(b.length, a.length * factor), (a, b)
        else:  # timed hold, rest or transition
            assert b.length == a.length, (a, b)


def test_pace_on_a_shipped_routine() -> None:
    routine = load_routine(SEQUENCES / "upper-back.yaml")
    tl = compile_timeline(routine, pace=18.0)  # twice the routine's 4s + 5s
    arrive = [s for s in tl.segments if s.part == 0 and s.phase == "inhale"]
    assert arrive[0].length == pytest.approx(10.0)  # the step's own 5s in, doubled
    assert [s.length for s in tl.segments if s.pose == "savasana" and s.phase == "rest"]
    # timed holds and transitions keep their length: 18 s in, 6 min of rest
    assert math.fsum(s.length for s in tl.segments if s.pose == "savasana") == pytest.approx(378)


# --- from_part and lengthen ---------------------------------------------------------------


@FAST
@given(routines(), st.data())
def test_from_part_rebases(routine: Routine, data: st.DataObject) -> None:
    tl = compile_timeline(routine)
    i = data.draw(st.integers(0, len(tl.parts) - 1))
    cut = tl.from_part(i)
    check_invariants(cut)
    offset = tl.parts[i].start
    assert cut.skipped == i
    assert cut.total == pytest.approx(tl.total - offset)
    assert [s.part + i for s in cut.segments] == [s.part for s in tl.segments if s.part >= i]
    tail = [s for s in tl.segments if s.part >= i]
    for a, b in zip(tail, cut.segments, strict=True):
        assert close(b.start, a.start - offset)
        assert (a.length, a.text, a.phase) == (b.length, b.text, b.phase)
    j = data.draw(st.integers(0, len(cut.parts) - 1))
    twice = cut.from_part(j)
    once = tl.from_part(i + j)
    assert twice.skipped == once.skipped == i + j
    assert [s.part for s in twice.segments] == [s.part for s in once.segments]
    assert [s.start for s in twice.segments] == pytest.approx([s.start for s in once.segments])


def test_from_part_zero_is_the_same_timeline() -> None:
    tl = compile_timeline(load_routine(SEQUENCES / "upper-back.yaml"))
    assert tl.from_part(0) == tl


@FAST
@given(routines(), st.data(), st.sampled_from((-100.0, -15.0, -0.5, 0.0, 0.25, 15.0, 90.0)))
def test_lengthen_moves_everything_after(
    routine: Routine, data: st.DataObject, delta: float
) -> None:
    tl = compile_timeline(routine)
    k = data.draw(st.integers(0, len(tl.segments) - 1))
    longer = lengthen(tl, k, delta)
    check_invariants(longer)
    applied = max(delta, -tl.segments[k].length)
    assert longer.total == pytest.approx(tl.total + applied)
    assert longer.segments[k].length == pytest.approx(tl.segments[k].length + applied)
    for n, (a, b) in enumerate(zip(tl.segments, longer.segments, strict=True)):
        if n != k:
            assert b.length == a.length
        assert close(b.start, a.start + (applied if n > k else 0.0))
    assert longer.parts[tl.segments[k].part].length == pytest.approx(
        tl.parts[tl.segments[k].part].length + applied
    )


def test_expand_of_no_parts_is_empty() -> None:
    tl = expand("nothing", [])
    assert tl.total == 0 and tl.segments == () and tl.parts == ()
