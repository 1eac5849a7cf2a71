"""What a routine teaches, and where the timeline puts it: safety notes, the easier option,
the pose's own cues, the step's main cue, props one part ahead, the way out (exit), and
what --minutes leaves out. Pure: model objects in, timeline out."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from yogaback.errors import BadInput
from yogaback.practice.fitting import LEAVE_OUT_BELOW
from yogaback.practice.teaching import MIN_CUE_GAP
from yogaback.practice.timeline import Segment, Timeline, compile_timeline
from yogaback.routine.load import load_routine
from yogaback.routine.model import Exit, Group, OffsetCue, Pace, Phase, Pose, Routine, Step

SEQUENCES = Path(__file__).resolve().parents[2] / "sequences"
PACE = Pace(2.0, 2.0)


def routine(*steps: Step | Group, **poses: Pose) -> Routine:
    library = {"seat": Pose("Seat", setup="Sit tall."), **poses}
    return Routine(title="T", poses=library, steps=steps, pace=PACE, transition=4.0)


def of_part(tl: Timeline, part: int) -> list[Segment]:
    return [s for s in tl.segments if s.part == part]


def texts(tl: Timeline, part: int) -> list[tuple[str, float, str]]:
    """(phase, start into the part, text) of each segment of a part."""
    start = tl.parts[part].start
    return [(s.phase, s.start - start, s.text) for s in of_part(tl, part)]


# --- safety notes: the first time the pose comes up, marked, never repeated -------------

NECK = Pose("Neck", setup="Tilt to the {side}.", safety=("Never pull.", "Stop at tingling."))


@pytest.mark.parametrize(
    ("steps", "given_in"),
    [
        # both sides: said moving into the first side only
        ((Step("neck", duration=20.0, sides=("right", "left")),), [0]),
        # the pose again later: not again
        ((Step("neck", duration=20.0), Step("seat", breaths=1), Step("neck", duration=20.0)), [0]),
        # in a group: the first side only
        ((Group("G", (Step("seat", breaths=1), Step("neck", duration=20.0))),), [1]),
    ],
)
def test_safety_is_said_once_where_the_pose_first_comes_up(
    steps: tuple[Step | Group, ...], given_in: list[int]
) -> None:
    tl = compile_timeline(routine(*steps, neck=NECK))
    said = [s.part for s in tl.segments if "Safety:" in s.text]
    assert said == given_in
    first = of_part(tl, given_in[0])[0]
    assert first.phase == "transition"
    assert first.text.endswith("Safety: Never pull. Stop at tingling.")
    assert first.safety == NECK.safety
    assert [s.part for s in tl.segments if s.safety] == given_in


def test_without_a_transition_safety_is_said_as_the_hold_opens() -> None:
    tl = compile_timeline(
        routine(Step("neck", duration=20.0, cue="Breathe.", transition=0.0), neck=NECK)
    )
    assert texts(tl, 0) == [("hold", 0.0, "Breathe. Safety: Never pull. Stop at tingling.")]


# --- the gentler form: offered on screen, or played with --gentle ------------------------

SOFT = Pose("Fold", setup="Fold forward.", gentler="Bend your knees.")


def test_the_easier_option_is_on_every_segment_of_the_pose() -> None:
    tl = compile_timeline(routine(Step("fold", breaths=2), Step("seat", breaths=1), fold=SOFT))
    assert {s.gentler for s in of_part(tl, 0)} == {"Bend your knees."}
    assert {s.gentler for s in of_part(tl, 1)} == {None}  # the seat has none
    assert tl.parts[0].gentler == "Bend your knees." and not tl.parts[0].gentle
    assert "Bend your knees" not in " ".join(s.text for s in tl.segments)  # shown, not said


@pytest.mark.parametrize(
    ("step", "said"),
    [
        (Step("fold", breaths=2), "Fold forward. Gentler: Bend your knees."),  # transition
        (Step("fold", duration=20.0, transition=0.0), "Fold forward. Gentler: Bend your knees."),
        (Step("fold", duration=20.0, cue="Stay.", transition=0.0), "Stay."),  # its own cue
    ],
)
def test_gentle_says_the_gentler_form_with_the_setup(step: Step, said: str) -> None:
    tl = compile_timeline(routine(step, fold=SOFT), gentle=True)
    assert of_part(tl, 0)[0].text == said
    assert {s.gentler for s in tl.segments} == {None}  # played, so not offered as well
    assert tl.parts[0].gentle and tl.parts[0].setup == "Fold forward. Gentler: Bend your knees."


def test_gentle_leaves_poses_without_a_gentler_form_alone() -> None:
    plain = compile_timeline(routine(Step("seat", breaths=2)))
    assert compile_timeline(routine(Step("seat", breaths=2)), gentle=True) == plain


# --- the pose's own cues, during the pose ----------------------------------------------

CUED = Pose("Twist", setup="Twist.", cues=("Lengthen.", "Soften."))


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        # a hold without timed cues: spread evenly, in order
        (
            Step("twist", duration=60.0, cue="Stay.", transition=0.0),
            [("hold", 0.0, "Stay."), ("hold", 20.0, "Lengthen."), ("hold", 40.0, "Soften.")],
        ),
        # with timed cues: in the middle of the longest quiet stretches
        (
            Step("twist", duration=60.0, transition=0.0, cues=(OffsetCue(10.0, "Own."),)),
            [
                ("hold", 0.0, "Twist."),
                ("hold", 10.0, "Own."),
                ("hold", 35.0, "Lengthen."),
                ("hold", 47.5, "Soften."),
            ],
        ),
        # too short to place them: said with the opening
        (
            Step("twist", duration=MIN_CUE_GAP - 2, cue="Stay.", transition=0.0),
            [("hold", 0.0, "Stay. Lengthen. Soften.")],
        ),
    ],
)
def test_pose_cues_in_a_hold(step: Step, expected: list[tuple[str, float, str]]) -> None:
    assert texts(compile_timeline(routine(step, twist=CUED)), 0) == expected


def test_pose_cues_join_the_in_breath_of_breaths_and_reps_spread_through() -> None:
    tl = compile_timeline(
        routine(
            Step("twist", breaths=6, inhale="In.", exhale="Out.", transition=0.0),
            Step("twist", reps=3, cycle=(Phase("inhale", "Up."), Phase("exhale", "Down."))),
            twist=CUED,
        )
    )
    breaths = [(s.rep, s.text) for s in of_part(tl, 0) if s.phase == "inhale"]
    assert breaths == [
        (1, "In."),
        (2, "In."),
        (3, "In. Lengthen."),
        (4, "In."),
        (5, "In. Soften."),
        (6, "In."),
    ]
    reps = [(s.rep, s.phase, s.text) for s in of_part(tl, 1) if s.unit]
    assert [r for r in reps if r[2] != {"inhale": "Up.", "exhale": "Down."}[r[1]]] == [
        (2, "inhale", "Up. Lengthen."),
        (3, "inhale", "Up. Soften."),
    ]


# --- the main cue is never dropped --------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "where", "text"),
    [
        # breaths with both in- and out-breath cues: said moving in
        (
            Step("seat", breaths=2, cue="Arrive.", inhale="In.", exhale="Out."),
            0,
            "Sit tall. Arrive.",
        ),
        # reps: said moving in
        (Step("seat", reps=2, cue="Slowly.", inhale="In.", exhale="Out."), 0, "Sit tall. Slowly."),
        # ... and with no time to move in, with the first breath
        (
            Step("seat", reps=2, cue="Slowly.", inhale="In.", exhale="Out.", transition=0.0),
            0,
            "Slowly. In.",
        ),
        (
            Step("seat", breaths=2, cue="Arrive.", inhale="In.", exhale="Out.", transition=0.0),
            0,
            "Arrive. In.",
        ),
        # breaths with one of them: the cue is the other
        (Step("seat", breaths=1, cue="Arrive.", inhale="In."), 2, "Arrive."),
    ],
)
def test_the_main_cue_is_said(step: Step, where: int, text: str) -> None:
    tl = compile_timeline(routine(step))
    assert of_part(tl, 0)[where].text == text
    assert step.cue in of_part(tl, 0)[where].text


# --- props, one part ahead ------------------------------------------------------------

BLOCK = Pose("Bridge", setup="Lie down.", props=("block",))
BLOCKS = Pose("Fold", setup="Sit.", props=("block", "second block (optional)"))


def test_props_are_announced_while_moving_into_the_part_before() -> None:
    tl = compile_timeline(
        routine(
            Step("bridge", duration=20.0),  # first: the header lists the routine's props
            Step("seat", duration=20.0),
            Step("fold", duration=20.0),  # needs two: announced in the seat
            Step("bridge", duration=20.0, transition=0.0),
            bridge=BLOCK,
            fold=BLOCKS,
        )
    )
    announced = [(s.part, s.props_next) for s in tl.segments if s.props_next]
    # the fold's props while moving into the seat; none for the bridge: the block is out
    assert announced == [(1, ("block", "second block (optional)"))]
    assert of_part(tl, 1)[0].text == (
        "Sit tall. Have ready for the next pose: block, second block (optional)."
    )


# --- the way out -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "exits"),
    [
        (Step("knot", duration=60.0), [("exit", 60.0, 20.0, "Slowly up.")]),  # the pose's
        (
            Step("knot", duration=60.0, exit=Exit("Roll {side}.", 10.0), sides=("left", "right")),
            [("exit", 60.0, 10.0, "Roll left."), ("exit", 60.0, 10.0, "Roll right.")],
        ),
        (Step("knot", breaths=2), [("exit", 8.0, 20.0, "Slowly up.")]),  # after breaths too
    ],
)
def test_exit_is_its_own_phase_after_the_hold(
    step: Step, exits: list[tuple[str, float, float, str]]
) -> None:
    knot = Pose("Knot", exit=Exit("Slowly up.", 20.0))
    tl = compile_timeline(routine(replace_transition(step), knot=knot))
    found = [
        (s.phase, s.start - tl.parts[s.part].start, s.length, s.text)
        for s in tl.segments
        if s.phase == "exit"
    ]
    assert found == exits
    assert tl.segments[-1].phase == "exit" and tl.total == tl.segments[-1].end


def replace_transition(step: Step) -> Step:
    return replace(step, transition=0.0)


def test_fitting_never_cuts_the_way_out() -> None:
    knot = Pose("Knot", exit=Exit("Slowly up.", 20.0))
    r = routine(Step("knot", duration=200.0), knot=knot)
    tl = compile_timeline(r, minutes=2)
    assert [s.length for s in tl.segments if s.phase == "exit"] == [20.0]
    assert tl.total == pytest.approx(120.0)


# --- leaving out what is optional ------------------------------------------------------


def optional_routine() -> Routine:
    """Six 100 s holds (no transitions): A stays, B and C (priority 1), D both sides
    (priority 2), E stays."""
    poses = {k: Pose(k) for k in "ABCDE"}
    steps = (
        Step("A", duration=100.0),
        Step("B", duration=100.0, priority=1),
        Group("C and D", (Step("C", duration=100.0),), priority=2),
        Step("D", duration=100.0, priority=1, sides=("right", "left")),
        Step("E", duration=100.0),
    )
    return Routine(title="O", poses=poses, steps=steps, transition=0.0)


@pytest.mark.parametrize(
    ("minutes", "kept", "left_out"),
    [
        (12, "A B C C D D E", []),  # nothing to fit
        (7 * LEAVE_OUT_BELOW * 100 / 60 + 0.01, "A B C C D D E", []),  # shrinking is enough
        (5, "A C C E", ["B", "D (both sides)"]),  # priority 1 goes, both sides together
        (3, "A E", ["B", "D (both sides)", "C and D (both sides)"]),  # then 2
        (1.5, "A E", ["B", "D (both sides)", "C and D (both sides)"]),  # then holds shrink on
    ],
)
def test_minutes_leaves_out_the_lowest_priority_first(
    minutes: float, kept: str, left_out: list[str]
) -> None:
    tl = compile_timeline(optional_routine(), minutes=minutes)
    assert " ".join(p.pose for p in tl.parts) == kept
    assert list(tl.left_out) == left_out
    assert tl.total == pytest.approx(minutes * 60, abs=1.0)


def test_too_short_even_leaving_out_says_so() -> None:
    with pytest.raises(BadInput, match="even leaving out its optional parts"):
        compile_timeline(optional_routine(), minutes=0.4)


def test_shortest_hold_keeps_long_holds_long() -> None:
    r = replace(optional_routine(), shortest_hold=90.0)
    tl = compile_timeline(r, minutes=3.5)
    assert [p.pose for p in tl.parts] == ["A", "E"]
    assert min(p.count for p in tl.parts) >= 90


# --- the shipped routines, short --------------------------------------------------------


@pytest.mark.parametrize("minutes", [10, 15])
def test_upper_back_short_class_keeps_its_shape(minutes: int) -> None:
    tl = compile_timeline(load_routine(SEQUENCES / "upper-back.yaml"), minutes=minutes)
    poses = [p.pose for p in tl.parts]
    assert tl.total == pytest.approx(minutes * 60, abs=30)
    assert poses[0] == "knees-to-chest" and poses[-2:] == ["savasana", "closing-seat"]
    for needed in ("open-twist-reach", "circle-in-the-sand", "cat-cow-wave", "fist-squeezes"):
        assert needed in poses
    assert tl.left_out
    savasana = next(p for p in tl.parts if p.pose == "savasana")
    assert savasana.count >= 180  # the final rest stays a real rest
    sides = [p.side for p in tl.parts if p.pose == "circle-in-the-sand"]
    assert sides == ["right", "left"]


def test_upper_back_15_minutes_keeps_some_strength_work() -> None:
    tl = compile_timeline(load_routine(SEQUENCES / "upper-back.yaml"), minutes=15)
    assert "superhero" in [p.pose for p in tl.parts]


@pytest.mark.parametrize("minutes", [10, 15])
def test_yin_short_keeps_real_yin_holds(minutes: int) -> None:
    r = load_routine(SEQUENCES / "yin-knots.yaml")
    tl = compile_timeline(r, minutes=minutes)
    holds = [p for p in tl.parts if "rebound" not in p.pose]
    assert min(p.count for p in holds) >= 90
    assert tl.total == pytest.approx(minutes * 60, abs=30)
    assert (holds[0].pose, holds[-1].pose) == ("easy-childs-pose", "savasana")
    assert tl.left_out


# --- {count}: a cue that says how many keeps true when --minutes fits fewer -------------


@pytest.mark.parametrize("minutes", [None, 0.35, 0.3])
def test_count_in_the_main_cue_says_how_many_are_really_taken(minutes: float | None) -> None:
    tl = compile_timeline(
        routine(Step("seat", breaths=6, cue="{count} slow breaths here.")), minutes=minutes
    )
    count = round(tl.parts[0].count)
    assert (count == 6) is (minutes is None)
    word = {6: "Six", 5: "Five", 4: "Four", 3: "Three", 2: "Two"}[count]
    assert tl.parts[0].cue == f"{word} slow breaths here."
    assert any(f"{word} slow breaths here." in s.text for s in tl.segments)


@pytest.mark.parametrize(
    ("step_yaml", "error"),
    [
        ("duration: 20s\n    cue: '{count} seconds'", "{count} works only in the main cue"),
        ("breaths: 3\n    inhale: '{count} in'", "{count} works only in the main cue"),
        ("breaths: 3\n    cue: '{cuont} breaths'", "did you mean {count}?"),
    ],
)
def test_count_is_refused_where_it_would_not_be_true(
    tmp_path: Path, step_yaml: str, error: str
) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "title: T\nposes:\n  seat: {name: Seat}\nsteps:\n  - pose: seat\n    " + step_yaml + "\n",
        encoding="utf-8",
    )
    with pytest.raises(BadInput) as caught:
        load_routine(path)
    assert error in str(caught.value)
