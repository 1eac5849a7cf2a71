"""The two shipped routines load, follow the brief part by part, and last as long as promised.

The tables below restate the brief (order of poses, sides, reps or breaths, hold
lengths) so that an edit to a routine file that drifts from it fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yogaback.practice.timeline import compile_timeline
from yogaback.routine.load import load_routine
from yogaback.routine.model import OTHER_SIDE, Group, Routine, Step

SEQUENCES = Path(__file__).resolve().parents[2] / "sequences"

Row = tuple[str, str | None, str, float]
"""(pose id, side, kind, amount): side is right/left/alternate/None; kind is
reps, breaths or duration; amount is the count, or seconds for a duration."""


def load(name: str) -> Routine:
    return load_routine(SEQUENCES / f"{name}.yaml")


def _row(step: Step, side: str | None) -> Row:
    if step.duration is not None:
        return (step.pose, side, "duration", step.duration)
    if step.breaths is not None:
        return (step.pose, side, "breaths", step.breaths)
    assert step.reps is not None
    return (step.pose, side, "reps", step.reps)


def expand(routine: Routine) -> list[Row]:
    """One row per pose block: groups run all inner steps per side, sided steps once per side."""
    rows: list[Row] = []
    for item in routine.steps:
        if isinstance(item, Group):
            rows += [_row(step, side) for side in item.sides for step in item.steps]
        elif item.alternate:
            rows.append(_row(item, "alternate"))
        elif item.sides:
            rows += [_row(item, side) for side in item.sides]
        else:
            rows.append(_row(item, None))
    return rows


def rule_total(routine: Routine) -> float:
    """Seconds, by the timing rule: a transition before every pose block, then its body."""
    total = 0.0
    for item in routine.steps:
        blocks: list[Step]
        if isinstance(item, Group):
            blocks = [step for _ in item.sides for step in item.steps]
        elif item.sides and not item.alternate:
            blocks = [item] * len(item.sides)
        else:
            blocks = [item]
        for step in blocks:
            pace = step.pace or routine.pace
            if step.duration is not None:
                body = step.duration
            elif step.breaths is not None:
                body = step.breaths * (pace.inhale + pace.exhale)
            else:
                cycle = (
                    sum(
                        p.length or (pace.exhale if p.kind == "exhale" else pace.inhale)
                        for p in step.cycle
                    )
                    if step.cycle
                    else pace.inhale + pace.exhale
                )
                body = (step.reps or 0) * cycle * (len(step.sides) if step.alternate else 1)
            transition = routine.transition if step.transition is None else step.transition
            total += transition + body
    return total


def say(text: str, side: str) -> str:
    return text.replace("{side}", side).replace("{other_side}", OTHER_SIDE[side])


# The brief's parts, in order. Parts 3-5 and 6-8 are one group (right side first:
# knees to the right, left arm moving); 22-23 likewise (right hand down, left arm
# moving), with the opening side bend and the closing long side stretch of each side.
UPPER_BACK: list[Row] = [
    ("knees-to-chest", None, "breaths", 3),  # 1 arrive
    ("knee-rocks", None, "reps", 8),  # 2 about eight sways
    ("open-twist-reach", "right", "reps", 6),  # 3
    ("circle-in-the-sand", "right", "reps", 5),  # 4
    ("open-twist-rest", "right", "duration", 30),  # 5
    ("open-twist-reach", "left", "reps", 6),  # 6
    ("circle-in-the-sand", "left", "reps", 5),  # 7
    ("open-twist-rest", "left", "duration", 30),  # 8
    ("block-roll-up", None, "reps", 5),  # 9
    ("cat-cow-wave", None, "reps", 4),  # 10
    ("fist-squeezes", None, "reps", 5),  # 11
    ("windmill", "right", "reps", 5),  # 12 right leg back, left arm
    ("windmill", "left", "reps", 5),  # 13
    ("downward-dog", None, "breaths", 4),  # 14
    ("lunge-pull-down", "right", "reps", 6),  # 15 right foot forward
    ("downward-dog", None, "breaths", 2),  # 16
    ("lunge-row", "left", "reps", 5),  # 17 left foot forward
    ("downward-dog", None, "breaths", 2),  # 18
    ("superhero", "alternate", "reps", 4),  # 19 four each side
    ("belly-rest", None, "duration", 30),  # 20
    ("childs-pose", None, "duration", 60),  # 21
    ("seated-side-bend", "right", "breaths", 2),  # 22 side stretch
    ("elbow-twist", "right", "reps", 3),  # 22
    ("long-side-stretch", "right", "breaths", 2),  # 22
    ("seated-side-bend", "left", "breaths", 2),  # 23
    ("elbow-twist", "left", "reps", 3),  # 23
    ("long-side-stretch", "left", "breaths", 2),  # 23
    ("seated-rock", None, "reps", 3),  # 24 three rounds
    ("seated-fold", None, "breaths", 5),  # 24 then hold the fold
    ("savasana", None, "duration", 300),  # 25 body scan
    ("closing-seat", None, "duration", 60),  # 26
]

YIN_KNOTS: list[Row] = [
    ("easy-childs-pose", None, "duration", 180),  # 1
    ("thread-the-needle", "right", "duration", 150),  # 2 right, then left
    ("thread-the-needle", "left", "duration", 150),
    ("rounded-forward-fold", None, "duration", 240),  # 3
    ("reclined-twist", "right", "duration", 150),  # 4 both sides
    ("reclined-twist", "left", "duration", 150),
    ("savasana", None, "duration", 300),  # 5
]


@pytest.mark.parametrize(
    ("name", "expected"), [("upper-back", UPPER_BACK), ("yin-knots", YIN_KNOTS)]
)
def test_structure_matches_the_brief(name: str, expected: list[Row]) -> None:
    assert expand(load(name)) == expected


@pytest.mark.parametrize(
    ("name", "style", "props", "low", "high"),
    [
        ("upper-back", "flow", ("mat", "block", "blanket (optional)"), 28, 32),
        ("yin-knots", "yin", ("mat", "block", "second block (optional)"), 20, 25),
    ],
)
def test_metadata_and_total(
    name: str, style: str, props: tuple[str, ...], low: float, high: float
) -> None:
    routine = load(name)
    assert routine.id == name
    assert routine.style == style
    assert routine.props == props
    assert len(routine.safety) >= 4
    total = compile_timeline(routine).total
    assert low * 60 <= total <= high * 60, f"{name} lasts {total / 60:.1f} min"
    assert total == pytest.approx(rule_total(routine))


def test_pose_props() -> None:
    upper, yin = load("upper-back"), load("yin-knots")
    assert [k for k, p in upper.poses.items() if p.props] == ["block-roll-up"]
    assert upper.poses["block-roll-up"].props == ("block",)
    assert {k: p.props for k, p in yin.poses.items() if p.props} == {
        "easy-childs-pose": ("block",),
        "thread-the-needle": ("block",),
        "rounded-forward-fold": ("block", "second block (optional)"),
    }


def test_downward_dog_is_one_pose_used_three_times() -> None:
    steps = [s for s in load("upper-back").steps if isinstance(s, Step)]
    assert [s.breaths for s in steps if s.pose == "downward-dog"] == [4, 2, 2]


def test_yin_moves_slowly_and_the_flow_does_not() -> None:
    upper, yin = load("upper-back"), load("yin-knots")
    assert upper.transition == 5
    assert yin.transition == 15


def test_every_yin_hold_keeps_company() -> None:
    for step in load("yin-knots").steps:
        assert isinstance(step, Step)
        assert step.duration is not None
        assert len(step.cues) >= 3, step.pose
        assert step.cue


def test_mirrored_sides_read_correctly() -> None:
    upper, yin = load("upper-back"), load("yin-knots")
    group = next(s for s in upper.steps if isinstance(s, Group) and s.group == "Open twist")
    reach = upper.poses["open-twist-reach"].setup or ""
    assert group.sides == ("right", "left")
    assert "knees fall over to the right" in say(reach, "right")
    assert "your left arm up" in say(reach, "right")
    assert "knees fall over to the left" in say(reach, "left")
    assert "your right arm up" in say(reach, "left")
    windmill = next(s for s in upper.steps if isinstance(s, Step) and s.pose == "windmill")
    assert "your right leg" in say(upper.poses["windmill"].setup or "", "right")
    assert "your left arm" in say(windmill.inhale or "", "right")
    twist = next(
        s for g in upper.steps if isinstance(g, Group) for s in g.steps if s.pose == "elbow-twist"
    )
    assert "left elbow down toward your right knee" in say(twist.exhale or "", "right")
    assert "Plant your right hand" in say(upper.poses["seated-side-bend"].setup or "", "right")
    assert "lower both knees to the right" in say(yin.poses["reclined-twist"].setup or "", "right")


def test_body_scan_runs_from_the_face_to_the_whole_body() -> None:
    savasana = next(
        s for s in load("upper-back").steps if isinstance(s, Step) and s.pose == "savasana"
    )
    assert savasana.rest
    texts = [c.say.lower() for c in sorted(savasana.cues, key=lambda c: c.at)]
    order = [
        "eyes",
        "brow",
        "jaw",
        "shoulders",
        "finger",
        "upper back",
        "belly",
        "hips",
        "feet",
        "whole body",
    ]
    found = [next(i for i, t in enumerate(texts) if word in t) for word in order]
    assert found == sorted(found)
