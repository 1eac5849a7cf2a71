"""The routine as *parts*: one pose on one side, with whole counts.

``plan`` expands a routine's groups and sides into parts, the unit that ``--minutes``
fitting scales or leaves out and that the timeline turns into segments; ``part_length``
is how long one lasts. The cue wording every later stage shares (``say``, ``main_cue``)
is here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from yogaback.routine.model import OTHER_SIDE, Exit, Group, Pace, Pose, Routine, Step, body_seconds

MIN_HOLD_SECONDS = 15.0
"""When fitting to a shorter length, a timed hold is not cut below this (or its own length)."""


@dataclass(frozen=True)
class Part:
    """One pose on one side: the unit that skip/back move between and that fitting scales."""

    step: Step
    pose: Pose
    side: str | None
    sides: tuple[str, ...]  # for alternate steps: the sides reps cycle through
    kind: Literal["duration", "breaths", "reps"]
    count: float  # seconds for duration, a whole number otherwise
    pace: Pace
    transition: float
    switch: bool  # the transition is a side switch within the same step
    factor: float = 1.0  # how --pace scaled breath lengths
    exit: Exit | None = None  # the way out after the body: the step's, else the pose's
    priority: int | None = None  # may be left out when time is short (1 first)
    unit: int = 0  # parts with the same unit are left out together (a step's or group's sides)
    shortest: float = MIN_HOLD_SECONDS  # fitting never cuts a timed hold below this
    gentle: bool = False  # play the pose's gentler form
    group: str | None = None  # the name of the group the part belongs to


def say(text: str, side: str | None) -> str:
    if side is None:
        return text
    return text.replace("{side}", side).replace("{other_side}", OTHER_SIDE[side])


_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


def main_cue(part: Part, side: str | None) -> str:
    """The step's main cue for this part, with ``{count}`` as the number of breaths or reps
    it really has (``--minutes`` may have fitted fewer than the file says)."""
    text = say(part.step.cue or "", side)
    if "{count}" not in text:
        return text
    n = round(part.count)
    word = _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)
    if text.startswith("{count}"):
        text = word.capitalize() + text[len("{count}") :]
    return text.replace("{count}", word)


def _scaled(pace: Pace, factor: float) -> Pace:
    return Pace(pace.inhale * factor, pace.exhale * factor)


def plan(
    routine: Routine, pace_seconds: float | None = None, *, gentle: bool = False
) -> list[Part]:
    """Expand groups and sides into parts. ``pace_seconds`` sets one breath cycle's length:
    the routine's pace becomes it, and every step's own pace and phase lengths are scaled
    by the same factor (so they keep their proportion to the routine's breath)."""
    factor = pace_seconds / routine.pace.cycle if pace_seconds else 1.0
    base_pace = _scaled(routine.pace, factor)
    shortest = routine.shortest_hold or MIN_HOLD_SECONDS
    parts: list[Part] = []
    unit = 0

    def add(
        step: Step,
        side: str | None,
        sides: tuple[str, ...],
        transition: float,
        switch: bool,
        priority: int | None = None,
        group: str | None = None,
    ) -> None:
        pace = _scaled(step.pace, factor) if step.pace else base_pace
        kind: Literal["duration", "breaths", "reps"]
        if step.duration is not None:
            kind, count = "duration", step.duration
        elif step.breaths is not None:
            kind, count = "breaths", float(step.breaths)
        else:
            kind, count = "reps", float(step.reps or 0)
        pose = routine.poses[step.pose]
        parts.append(
            Part(
                step,
                pose,
                side,
                sides,
                kind,
                count,
                pace,
                transition,
                switch,
                factor,
                exit=step.exit or pose.exit,
                priority=step.priority if step.priority is not None else priority,
                unit=unit,
                shortest=shortest,
                gentle=gentle and pose.gentler is not None,
                group=group,
            )
        )

    for item in routine.steps:
        unit += 1
        if isinstance(item, Group):
            for n, side in enumerate(item.sides):
                for i, step in enumerate(item.steps):
                    t = step.transition if step.transition is not None else routine.transition
                    if i == 0 and n > 0 and item.transition is not None:
                        t = item.transition
                    add(step, side, (side,), t, (i == 0 and n > 0), item.priority, item.group)
            continue
        step = item
        t = step.transition if step.transition is not None else routine.transition
        if step.alternate:
            add(step, None, step.sides, t, switch=False)
        elif step.sides:
            for n, side in enumerate(step.sides):
                add(step, side, (side,), t, switch=n > 0)
        else:
            add(step, None, (), t, switch=False)
    return parts


def body_length(part: Part) -> float:
    sides = max(1, len(part.sides) if part.step.alternate else 1)
    return body_seconds(part.kind, part.count, part.pace, part.step.cycle, sides, part.factor)


def part_length(part: Part) -> float:
    """A part's whole length: moving into it, its body, and its way out."""
    return part.transition + body_length(part) + (part.exit.length if part.exit else 0.0)


def first_side(part: Part) -> str | None:
    return part.side or (part.sides[0] if part.sides else None)
