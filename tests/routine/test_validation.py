"""Routine validation: every mistake is reported at its key or value, with a hint, all at once.

The main test is a table in the style of simonw/llm's tests/test_templates.py:
each row is a small routine file with one mistake and the exact problem it
must produce, as ``LINE:COL: message``. Lines and columns count from 1.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from yogaback.errors import Problem, RoutineError
from yogaback.routine.load import load_routine
from yogaback.routine.model import Group, Step
from yogaback.routine.nodes import MAX_PROBLEMS

HEAD = """\
title: T
poses:
  cat:
    name: Cat
  thread-the-needle:
    name: Thread the needle
steps:
"""
"""Lines 1-7 of most rows; the row's own lines start at line 8."""


def write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    return caught.value.problems


def located(problems: list[Problem]) -> list[str]:
    return [f"{p.line}:{p.column}: {p.message}" for p in problems]


# (id, file text, the one expected problem as "LINE:COL: message", a fragment of its hint)
BAD: list[tuple[str, str, str, str | None]] = [
    # --- the format: keys -----------------------------------------------------------------
    (
        "unknown-top-key",
        "sumary: S\n" + HEAD + "  - {pose: cat, duration: 30s}\n",
        "1:1: unknown key 'sumary' in routine",
        "did you mean 'summary'?",
    ),
    (
        "unknown-step-key",
        HEAD + "  - pose: cat\n    duration: 30s\n    hold_for: 30s\n",
        "10:5: unknown key 'hold_for' in step",
        "did you mean 'duration'?",
    ),
    (
        "unknown-key-no-match",
        HEAD + "  - pose: cat\n    duration: 30s\n    zzz: 1\n",
        "10:5: unknown key 'zzz' in step",
        "known keys: pose, title, cue, duration",
    ),
    (
        "unknown-pose-key",
        "title: T\nposes:\n  cat:\n    name: Cat\n    setpu: Kneel.\n"
        "steps:\n  - {pose: cat, duration: 30s}\n",
        "5:5: unknown key 'setpu' in pose",
        "did you mean 'setup'?",
    ),
    (
        "missing-title",
        "poses: {cat: {name: Cat}}\nsteps: [{pose: cat, duration: 30s}]\n",
        "1:1: routine is missing required key 'title'",
        "add a line 'title: ...'",
    ),
    (
        "missing-steps",
        "title: T\nposes: {cat: {name: Cat}}\n",
        "1:1: routine is missing required key 'steps'",
        None,
    ),
    (
        "missing-pose-name",
        "title: T\nposes:\n  cat: {setup: Kneel.}\nsteps: [{pose: cat, duration: 30s}]\n",
        "3:8: pose is missing required key 'name'",
        None,
    ),
    (
        "missing-pace-exhale",
        "title: T\npace: {inhale: 4s}\nposes: {cat: {name: Cat}}\n"
        "steps: [{pose: cat, duration: 30s}]\n",
        "2:7: breath pace is missing required key 'exhale'",
        None,
    ),
    (
        "duplicate-pose",
        "title: T\nposes:\n  cat: {name: Cat}\n  cat: {name: Cow}\n"
        "steps: [{pose: cat, duration: 30s}]\n",
        "4:3: duplicate key 'cat' (first at line 3)",
        "each key may appear once",
    ),
    (
        "duplicate-step-key",
        HEAD + "  - pose: cat\n    duration: 30s\n    duration: 40s\n",
        "10:5: duplicate key 'duration' (first at line 9)",
        None,
    ),
    (
        "bad-pose-id",
        "title: T\nposes:\n  Cat Cow: {name: Cat}\n  cat: {name: Cat}\n"
        "steps: [{pose: cat, duration: 30s}]\n",
        "3:3: 'Cat Cow' is not a valid name",
        "lower-case letters",
    ),
    (
        "key-is-a-list",
        HEAD + "  - {pose: cat, duration: 30s}\n? [a, b]\n: x\n",
        "9:3: a key must be a plain word, not a list",
        None,
    ),
    (
        "key-is-empty",
        HEAD + "  - {pose: cat, duration: 30s}\n~: x\n",
        "9:1: a key must be a plain word, not empty",
        "write a name before the ':'",
    ),
    # --- the format: values ---------------------------------------------------------------
    (
        "version-2",
        "version: 2\n" + HEAD + "  - {pose: cat, duration: 30s}\n",
        "1:10: unsupported format version 2; this yogaback reads version 1",
        "upgrade yogaback",
    ),
    (
        "title-is-a-list",
        "title: [a, b]\n" + HEAD[9:] + "  - {pose: cat, duration: 30s}\n",
        "1:8: expected text, got a list",
        None,
    ),
    (
        "title-is-a-number",
        "title: 12\n" + HEAD[9:] + "  - {pose: cat, duration: 30s}\n",
        "1:8: expected text, got a number (12)",
        "put the text in quotes",
    ),
    (
        "title-is-empty",
        "title: ''\n" + HEAD[9:] + "  - {pose: cat, duration: 30s}\n",
        "1:8: text is empty",
        None,
    ),
    (
        "steps-not-a-list",
        "title: T\nposes: {cat: {name: Cat}}\nsteps: cat\n",
        "3:8: expected a list, got text ('cat')",
        "starting with '- '",
    ),
    (
        "steps-empty",
        "title: T\nposes: {cat: {name: Cat}}\nsteps: []\n",
        "3:8: needs at least 1 item(s)",
        None,
    ),
    (
        "duration-no-unit",
        HEAD + "  - pose: cat\n    duration: abc\n",
        "9:15: 'abc' is not a duration; write it like 45s, 2m or 1m30s",
        None,
    ),
    (
        "duration-zero",
        HEAD + "  - pose: cat\n    duration: 0\n",
        "9:15: a length must be above zero, got 0",
        "give it a length such as 30s",
    ),
    (
        "duration-zero-text",
        HEAD + "  - pose: cat\n    duration: 0m0s\n",
        "9:15: a length must be above zero, got '0m0s'",
        None,
    ),
    (
        "duration-negative",
        HEAD + "  - pose: cat\n    duration: -30\n",
        "9:15: a length must be above zero, got -30",
        None,
    ),
    (
        "duration-nan",
        HEAD + "  - pose: cat\n    duration: .nan\n",
        "9:15: expected a duration such as 45s, 2m or 1m30s, got .nan",
        None,
    ),
    (
        "duration-too-long",
        HEAD + "  - pose: cat\n    duration: 7h\n",
        "9:15: '7h' is too long; the most is 6 hours",
        None,
    ),
    (
        "transition-negative",
        "transition: -1s\n" + HEAD + "  - {pose: cat, duration: 30s}\n",
        "1:13: '-1s' is not a duration; write it like 45s, 2m or 1m30s",
        None,
    ),
    (
        "cue-at-zero",
        HEAD + "  - pose: cat\n    duration: 30s\n    cues:\n      - {at: 0s, say: Hi}\n",
        "11:14: a cue's time must be above zero, got '0s'",
        "as the step's 'cue'",
    ),
    (
        "breaths-zero",
        HEAD + "  - pose: cat\n    breaths: 0\n",
        "9:14: 0 is out of range; use 1 to 1000",
        None,
    ),
    (
        "breaths-fraction",
        HEAD + "  - pose: cat\n    breaths: 2.5\n",
        "9:14: expected a whole number, got a number (2.5)",
        None,
    ),
    (
        "breaths-word",
        HEAD + "  - pose: cat\n    breaths: three\n",
        "9:14: expected a whole number, got text ('three')",
        None,
    ),
    (
        "style-typo",
        "style: flwo\n" + HEAD + "  - {pose: cat, duration: 30s}\n",
        "1:8: 'flwo' is not one of: flow, yin, restorative",
        "did you mean 'flow'?",
    ),
    (
        "sides-unknown",
        HEAD + "  - pose: cat\n    duration: 30s\n    sides: up\n",
        "10:12: 'up' is not one of: both, alternate, right, left",
        None,
    ),
    (
        "sides-repeated",
        HEAD + "  - pose: cat\n    duration: 30s\n    sides: [left, left]\n",
        "10:19: 'left' is repeated",
        "give each item once",
    ),
    (
        "rest-not-a-flag",
        HEAD + "  - pose: cat\n    duration: 30s\n    rest: maybe\n",
        "10:11: expected true or false, got text ('maybe')",
        None,
    ),
    (
        "duration-and-reps",
        HEAD + "  - pose: cat\n    duration: 30s\n    reps: 3\n"
        "    inhale: Up.\n    exhale: Down.\n",
        "10:11: give only one of duration, reps",
        "remove 'reps' or 'duration'",
    ),
    (
        "no-length",
        HEAD + "  - pose: cat\n    cue: Breathe.\n",
        "8:5: step needs one of: duration, breaths, reps",
        None,
    ),
    (
        "cycle-and-inhale",
        HEAD + "  - pose: cat\n    reps: 3\n    inhale: Up.\n"
        "    cycle: [{inhale: Up.}, {exhale: Down.}]\n",
        "10:13: give only one of cycle, inhale",
        None,
    ),
    (
        "phase-two-kinds",
        HEAD + "  - pose: cat\n    reps: 3\n    cycle:\n      - {inhale: Up., exhale: Down.}\n",
        "11:31: give only one of inhale, exhale",
        None,
    ),
    (
        "unsupported-tag",
        HEAD + "  - pose: cat\n    duration: !foo 30s\n",
        "9:15: unsupported YAML tag '!foo'",
        "without a '!' tag",
    ),
    (
        "merge-a-scalar",
        HEAD + "  - pose: cat\n    duration: 30s\n    <<: 5\n",
        "10:9: '<<' merges mappings only",
        None,
    ),
    (
        "not-a-mapping",
        "- title: T\n",
        "1:1: expected a mapping (routine), got a list",
        "write 'key: value' lines",
    ),
    # --- meaning ----------------------------------------------------------------------------
    (
        "undefined-pose",
        HEAD + "  - pose: thred-the-needle\n    duration: 30s\n",
        "8:11: pose 'thred-the-needle' is not defined",
        "did you mean 'thread-the-needle'? defined poses: cat, thread-the-needle",
    ),
    (
        "side-in-one-sided-step",
        HEAD + "  - pose: cat\n    duration: 30s\n    cue: Lift your {side} arm.\n",
        "10:10: {side} is used in a step without sides",
        "add 'sides: both'",
    ),
    (
        "other-side-in-timed-cue",
        HEAD + "  - pose: cat\n    duration: 30s\n    cues:\n"
        "      - {at: 10s, say: 'Now the {other_side}.'}\n",
        "11:24: {other_side} is used in a step without sides",
        None,
    ),
    (
        "unknown-placeholder",
        HEAD + "  - pose: cat\n    duration: 30s\n    sides: both\n"
        "    cue: Lift your {sdie} arm.\n",
        "11:10: unknown placeholder {sdie}",
        "did you mean {side}?",
    ),
    (
        "cue-past-end",
        HEAD + "  - pose: cat\n    duration: 1m\n    cues:\n      - {at: 90s, say: Breathe.}\n",
        "11:14: cue at 1m30s is past the end of this 1m step",
        "move it earlier",
    ),
    (
        "cue-at-end",
        HEAD + "  - pose: cat\n    breaths: 2\n    cues:\n      - {at: 16s, say: Breathe.}\n",
        "11:14: cue at 16s is past the end of this 16s step",
        None,
    ),
    (
        "reps-without-cues",
        HEAD + "  - pose: cat\n    reps: 5\n",
        "9:11: repetitions need cues",
        "add 'inhale:' and 'exhale:' cues",
    ),
    (
        "cycle-without-reps",
        HEAD + "  - pose: cat\n    breaths: 2\n    cycle: [{inhale: Up.}]\n",
        "10:12: 'cycle' needs 'reps'",
        "e.g. 'reps: 5'",
    ),
    (
        "alternate-without-reps",
        HEAD + "  - pose: cat\n    duration: 30s\n    sides: alternate\n",
        "10:12: 'sides: alternate' needs 'reps'",
        "use 'sides: both' for holds",
    ),
    (
        "breath-cues-on-a-hold",
        HEAD + "  - pose: cat\n    duration: 30s\n    inhale: Up.\n",
        "10:13: 'inhale' cues need a breath-counted step",
        None,
    ),
    (
        "sides-inside-a-group",
        HEAD + "  - group: Twist\n    steps:\n      - pose: cat\n"
        "        duration: 30s\n        sides: both\n",
        "12:16: a step inside a group takes its sides from the group",
        "remove 'sides' here",
    ),
    (
        "undefined-pose-in-group",
        HEAD + "  - group: Twist\n    steps:\n      - {pose: dog, duration: 30s}\n",
        "10:16: pose 'dog' is not defined",
        "defined poses: cat, thread-the-needle",
    ),
    # --- a misspelt 'sides' is the one problem: its {side} texts are not "without sides" --
    (
        "sides-misspelt-with-side-text",
        HEAD + "  - pose: cat\n    duration: 30s\n    sides: bothh\n"
        "    cue: Lift your {side} arm.\n",
        "10:12: 'bothh' is not one of: both, alternate, right, left",
        "did you mean 'both'?",
    ),
    (
        "sides-misspelt-pose-names-side",
        "title: T\nposes:\n  cat:\n    name: Cat\n    setup: Lift your {side} arm.\n"
        "steps:\n  - {pose: cat, duration: 30s, sides: lfet}\n",
        "7:39: 'lfet' is not one of: both, alternate, right, left",
        "did you mean 'left'?",
    ),
    # --- a tab in the indentation: the hint says so, at the tab ---------------------------
    (
        "tab-starts-a-mapping-line",
        HEAD + "  - pose: cat\n\tduration: 30s\n",
        "9:1: invalid YAML: a tab in the indentation",
        "YAML indents with spaces, not tabs: replace the tab at line 9 with spaces",
    ),
    (
        "tab-after-spaces",
        HEAD + "  - pose: cat\n  \t  duration: 30s\n",
        "9:3: invalid YAML: a tab in the indentation",
        "YAML indents with spaces, not tabs: replace the tab at line 9 with spaces",
    ),
    (
        "tab-starts-a-list-item",
        HEAD + "\t- pose: cat\n    duration: 30s\n",
        "8:1: invalid YAML: a tab in the indentation",
        "YAML indents with spaces, not tabs: replace the tab at line 8 with spaces",
    ),
    (
        "tab-after-the-dash",
        HEAD + "  - pose: cat\n    duration: 30s\n  -\tpose: cat\n    duration: 30s\n",
        "10:4: invalid YAML: a tab in the indentation",
        "YAML indents with spaces, not tabs: replace the tab at line 10 with spaces",
    ),
    (
        "tab-inside-a-nested-list-item",
        HEAD + "  - pose: cat\n    duration: 30s\n    cues:\n      - at: 5s\n\t  say: Hi.\n",
        "12:1: invalid YAML: a tab in the indentation",
        "YAML indents with spaces, not tabs: replace the tab at line 12 with spaces",
    ),
    (
        "tab-starts-a-pose-key",
        "title: T\nposes:\n\tcat:\n    name: Cat\nsteps: [{pose: cat, duration: 30s}]\n",
        "3:1: invalid YAML: a tab in the indentation",
        "YAML indents with spaces, not tabs: replace the tab at line 3 with spaces",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected", "hint"), [row[1:] for row in BAD], ids=[row[0] for row in BAD]
)
def test_each_mistake_is_reported_at_its_place(
    tmp_path: Path, text: str, expected: str, hint: str | None
) -> None:
    problems = problems_of(write(tmp_path, text))
    got = located(problems)
    assert len(got) == 1, got
    assert got[0].startswith(expected), got
    if hint is None:
        return
    assert problems[0].hint is not None
    assert hint in problems[0].hint


def test_table_is_big_enough_and_ids_are_unique() -> None:
    ids = [row[0] for row in BAD]
    assert len(ids) >= 25
    assert len(set(ids)) == len(ids)


def test_a_valid_routine_loads(tmp_path: Path) -> None:
    routine = load_routine(write(tmp_path, HEAD + "  - {pose: cat, duration: 30s}\n", "mine.yaml"))
    assert routine.id == "mine"
    assert routine.title == "T"
    assert routine.steps == (Step(pose="cat", duration=30.0),)


def test_problem_prints_as_file_line_col_message_and_hint(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  - pose: thred-the-needle\n    duration: 30s\n")
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    assert str(caught.value) == (
        f"{path}:8:11: pose 'thred-the-needle' is not defined\n"
        "  hint: did you mean 'thread-the-needle'? defined poses: cat, thread-the-needle"
    )


SEVERAL = """\
title: Several mistakes
style: flwo
poses:
  cat:
    name: Cat
  cat:
    name: Cow
steps:
  - pose: cat
    hold_for: 30s
  - pose: dgo
    duration: 0
  - pose: cat
    duration: 1m
    cue: Reach your {side} arm.
    cues:
      - {at: 2m, say: Breathe.}
  - pose: cat
    reps: 3
  - pose: dgo
    duration: 30s
"""


def test_all_mistakes_in_a_file_are_reported_together(tmp_path: Path) -> None:
    problems = problems_of(write(tmp_path, SEVERAL))
    assert located(problems) == [
        "2:8: 'flwo' is not one of: flow, yin, restorative, strength, mobility, breathing, other",
        "6:3: duplicate key 'cat' (first at line 4)",
        "9:5: step needs one of: duration, breaths, reps",
        "10:5: unknown key 'hold_for' in step",
        # a step with a bad length still has its pose checked
        "11:11: pose 'dgo' is not defined",
        "12:15: a length must be above zero, got 0",
        "15:10: {side} is used in a step without sides",
        "17:14: cue at 2m is past the end of this 1m step",
        "19:11: repetitions need cues",
        "20:11: pose 'dgo' is not defined",
    ]


def test_meaning_is_checked_even_when_the_format_has_problems(tmp_path: Path) -> None:
    """A misspelt key does not hide an undefined pose elsewhere (one run shows both)."""
    text = HEAD + "  - pose: cat\n    duraton: 30s\n  - pose: dog\n    duration: 30s\n"
    assert located(problems_of(write(tmp_path, text))) == [
        "8:5: step needs one of: duration, breaths, reps",
        "9:5: unknown key 'duraton' in step",
        "10:11: pose 'dog' is not defined",
    ]


def test_a_pose_with_problems_still_counts_as_defined(tmp_path: Path) -> None:
    text = "title: T\nposes:\n  cat: {name: Cat, setpu: x}\nsteps: [{pose: cat, duration: 30s}]\n"
    assert located(problems_of(write(tmp_path, text))) == ["3:20: unknown key 'setpu' in pose"]


def test_merge_keys_work_and_explicit_keys_win(tmp_path: Path) -> None:
    text = """\
    title: T
    poses:
      cat: &pose {name: Cat, setup: Kneel.}
      cow:
        <<: *pose
        name: Cow
    steps:
      - &hold {pose: cat, duration: 45s, sides: both, cue: "Breathe into the {side} ribs."}
      - <<: *hold
        pose: cow
      - <<: [*hold]
        duration: 1m
    """
    routine = load_routine(write(tmp_path, text))
    assert routine.poses["cow"].name == "Cow"
    assert routine.poses["cow"].setup == "Kneel."
    steps = [s for s in routine.steps if isinstance(s, Step)]
    assert [(s.pose, s.duration, s.sides, s.cue) for s in steps] == [
        ("cat", 45.0, ("right", "left"), "Breathe into the {side} ribs."),
        ("cow", 45.0, ("right", "left"), "Breathe into the {side} ribs."),
        ("cat", 60.0, ("right", "left"), "Breathe into the {side} ribs."),
    ]


def test_a_node_reached_through_many_aliases_is_reported_once(tmp_path: Path) -> None:
    text = HEAD + "  - &s {pose: cat, duraton: 30s}\n" + "  - *s\n" * 50
    assert located(problems_of(write(tmp_path, text))) == [
        "8:5: step needs one of: duration, breaths, reps",
        "8:20: unknown key 'duraton' in step",
    ]


def test_problems_are_capped(tmp_path: Path) -> None:
    text = HEAD + "  - {pose: cat, duration: 30s}\n" + "".join(f"x{i}: 1\n" for i in range(2000))
    problems = problems_of(write(tmp_path, text))
    assert len(problems) == MAX_PROBLEMS + 1
    note = [p for p in problems if p.message.startswith("too many problems")]
    assert [(p.line, p.message) for p in note] == [
        (9 + MAX_PROBLEMS, f"too many problems; only the first {MAX_PROBLEMS} are shown")
    ]


def test_duplicate_keys_are_capped_while_reading(tmp_path: Path) -> None:
    problems = problems_of(write(tmp_path, "a: 1\n" * 5000))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == f"too many problems; only the first {MAX_PROBLEMS} are shown"


def test_a_date_or_equals_sign_is_read_as_text(tmp_path: Path) -> None:
    """Unquoted values YAML would turn into a timestamp or '=' are plain text here,
    not 'unsupported YAML tag'."""
    text = "title: 2024-01-01\n" + HEAD[9:] + "  - {pose: cat, duration: 30s, cue: =}\n"
    routine = load_routine(write(tmp_path, text))
    assert routine.title == "2024-01-01"
    step = routine.steps[0]
    assert isinstance(step, Step) and step.cue == "="


def test_a_long_bad_value_is_shortened_in_the_message(tmp_path: Path) -> None:
    text = HEAD + "  - pose: cat\n    breaths: " + "9" * 10_000 + "\n"
    problems = problems_of(write(tmp_path, text))
    assert located(problems) == [f"9:14: '{'9' * 59}…' is not a valid int"]


def test_groups_and_steps_build(tmp_path: Path) -> None:
    text = (
        HEAD
        + """\
  - group: Twist
    sides: [left, right]
    steps:
      - {pose: cat, reps: 2, inhale: Up., exhale: "Lift the {side} arm."}
      - {pose: thread-the-needle, duration: 1m, cues: [{at: 30s, say: Soften.}]}
"""
    )
    (group,) = load_routine(write(tmp_path, text)).steps
    assert isinstance(group, Group)
    assert group.sides == ("left", "right")
    assert [s.pose for s in group.steps] == ["cat", "thread-the-needle"]
    assert group.steps[1].cues[0].at == 30.0


def test_a_step_with_a_bad_field_still_has_its_pose_and_texts_checked(tmp_path: Path) -> None:
    text = HEAD + "  - pose: thred\n    duration: 0s\n    cue: Your {side} arm.\n"
    assert located(problems_of(write(tmp_path, text))) == [
        "8:11: pose 'thred' is not defined",
        "9:15: a length must be above zero, got '0s'",
        "10:10: {side} is used in a step without sides",
    ]


def test_timed_cues_are_refused_on_repetitions(tmp_path: Path) -> None:
    text = HEAD + (
        "  - pose: cat\n    reps: 3\n    inhale: Up.\n    exhale: Down.\n"
        "    cues:\n      - {at: 5s, say: Keep going.}\n"
    )
    assert located(problems_of(write(tmp_path, text))) == [
        "13:7: timed 'cues' belong to holds, not to repetitions",
    ]
