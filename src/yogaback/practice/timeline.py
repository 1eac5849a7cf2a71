"""Compile a routine into a flat, timed timeline. Pure: no clock, no I/O.

Side expansion, repetitions, breath-counted holds, transitions, timed cues,
pacing and fitting to a length all happen here, once. ``show`` and ``play``
use the same timeline, so a preview is exactly what will play.

Two stages: ``plan`` turns steps into *parts* (one pose on one side, with
whole counts), which ``fit`` may rescale; ``expand`` turns parts into segments.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from yogaback.durations import clock
from yogaback.errors import BadInput
from yogaback.routine.model import OTHER_SIDE, Group, Pace, Phase, Pose, Routine, Step, body_seconds

SegmentPhase = Literal["inhale", "exhale", "hold", "transition", "rest"]
Unit = Literal["rep", "breath"]

MIN_HOLD_SECONDS = 15.0
"""When fitting to a shorter length, a timed hold is not cut below this (or its own length)."""
MIN_BREATHS = 2
MIN_REPS = 2


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of time with one thing to do: a breath phase, a hold, or a transition."""

    start: float
    length: float
    part: int
    pose: str
    name: str
    side: str | None
    phase: SegmentPhase
    text: str
    rep: int | None = None
    reps: int | None = None
    unit: Unit | None = None
    switch: bool = False
    """The first segment of a part that switches sides (the other side of a step or group)."""

    @property
    def end(self) -> float:
        return self.start + self.length


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


@dataclass(frozen=True)
class PartInfo:
    index: int
    pose: str
    name: str
    side: str | None
    start: float
    length: float
    count: float
    kind: str
    cue: str


@dataclass(frozen=True)
class Timeline:
    title: str
    segments: tuple[Segment, ...]
    parts: tuple[PartInfo, ...]
    total: float
    skipped: int = 0
    """Parts cut from the front by ``from_part``: display numbers stay those of the routine."""

    def part_starts(self) -> list[float]:
        return [p.start for p in self.parts]

    def from_part(self, index: int) -> Timeline:
        """The timeline starting at part ``index``, rebased to start at 0."""
        offset = self.parts[index].start
        segments = tuple(
            replace(s, start=s.start - offset, part=s.part - index)
            for s in self.segments
            if s.part >= index
        )
        parts = tuple(
            replace(p, index=p.index - index, start=p.start - offset) for p in self.parts[index:]
        )
        return Timeline(self.title, segments, parts, self.total - offset, self.skipped + index)


def _say(text: str, side: str | None) -> str:
    if side is None:
        return text
    return text.replace("{side}", side).replace("{other_side}", OTHER_SIDE[side])


def _scaled(pace: Pace, factor: float) -> Pace:
    return Pace(pace.inhale * factor, pace.exhale * factor)


def plan(routine: Routine, pace_seconds: float | None = None) -> list[Part]:
    """Expand groups and sides into parts. ``pace_seconds`` sets one breath cycle's length."""
    factor = pace_seconds / routine.pace.cycle if pace_seconds else 1.0
    base_pace = _scaled(routine.pace, factor)
    parts: list[Part] = []

    def add(
        step: Step, side: str | None, sides: tuple[str, ...], transition: float, switch: bool
    ) -> None:
        pace = _scaled(step.pace, factor) if step.pace else base_pace
        kind: Literal["duration", "breaths", "reps"]
        if step.duration is not None:
            kind, count = "duration", step.duration
        elif step.breaths is not None:
            kind, count = "breaths", float(step.breaths)
        else:
            kind, count = "reps", float(step.reps or 0)
        parts.append(
            Part(
                step,
                routine.poses[step.pose],
                side,
                sides,
                kind,
                count,
                pace,
                transition,
                switch,
                factor,
            )
        )

    for item in routine.steps:
        if isinstance(item, Group):
            for n, side in enumerate(item.sides):
                for i, step in enumerate(item.steps):
                    t = step.transition if step.transition is not None else routine.transition
                    if i == 0 and n > 0 and item.transition is not None:
                        t = item.transition
                    add(step, side, (side,), t, switch=(i == 0 and n > 0))
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


def _phases(part: Part) -> tuple[Phase, ...]:
    step = part.step
    if step.cycle:
        return step.cycle
    fallback = step.cue or part.pose.name
    return (Phase("inhale", step.inhale or fallback), Phase("exhale", step.exhale or fallback))


def _phase_length(phase: Phase, part: Part) -> float:
    if phase.length is not None:
        return phase.length * part.factor
    return part.pace.exhale if phase.kind == "exhale" else part.pace.inhale


def body_length(part: Part) -> float:
    sides = max(1, len(part.sides) if part.step.alternate else 1)
    return body_seconds(part.kind, part.count, part.pace, part.step.cycle, sides, part.factor)


def _transition_text(part: Part, previous: Part | None) -> str:
    """Said while moving into a part: the pose's setup, and for repetitions the step's main
    cue (repetitions otherwise speak only their inhale/exhale cues)."""
    side = part.side or (part.sides[0] if part.sides else None)
    lead_in = _say(part.step.cue, side) if part.kind == "reps" and part.step.cue else ""
    if part.switch:
        lead = f"Switch sides: now the {part.side} side." if part.side else "Switch sides."
        setup = _say(part.pose.setup, side) if part.pose.setup else ""
    elif previous is not None and previous.step is part.step:
        lead, setup = "Keep going.", ""
    else:
        lead, setup = "", _say(part.pose.setup or f"Come into {part.pose.name}.", side)
    return " ".join(t for t in (lead, setup, lead_in) if t)


def _name(part: Part, side: str | None) -> str:
    """What the part is called on screen: the step's title or the pose's name, for a side."""
    return _say(part.step.title or part.pose.name, side)


def _expand_part(index: int, part: Part, previous: Part | None, start: float) -> Iterator[Segment]:
    step, pose = part.step, part.pose
    name = _name(part, part.side or (part.sides[0] if part.sides else None))
    t = start
    if part.transition > 0:
        yield Segment(
            t,
            part.transition,
            index,
            step.pose,
            name,
            part.side,
            "transition",
            _transition_text(part, previous),
        )
        t += part.transition
    cue = _say(step.cue, part.side) if step.cue else None
    offsets = sorted(step.cues, key=lambda c: c.at)
    if part.kind == "duration":
        phase: Literal["hold", "rest"] = "rest" if step.rest else "hold"
        marks = [0.0] + [c.at * part.count / (step.duration or part.count) for c in offsets]
        opening = cue or (_say(pose.setup, part.side) if pose.setup else name)
        texts = [opening] + [_say(c.say, part.side) for c in offsets]
        marks.append(part.count)
        for k, text in enumerate(texts):
            length = marks[k + 1] - marks[k]
            if length > 0:
                yield Segment(t + marks[k], length, index, step.pose, name, part.side, phase, text)
        return
    if part.kind == "breaths":
        count = int(part.count)
        inhale = step.inhale or cue or name
        exhale = step.exhale or cue or name
        elapsed = 0.0
        pending = list(offsets)
        for b in range(1, count + 1):
            for kind, length, text in (
                ("inhale", part.pace.inhale, inhale),
                ("exhale", part.pace.exhale, exhale),
            ):
                while pending and pending[0].at <= elapsed:
                    inhale = exhale = _say(pending.pop(0).say, part.side)
                    text = inhale
                seg_phase: SegmentPhase = "rest" if step.rest else kind  # type: ignore[assignment]
                yield Segment(
                    t + elapsed,
                    length,
                    index,
                    step.pose,
                    name,
                    part.side,
                    seg_phase,
                    _say(text, part.side),
                    b,
                    count,
                    "breath",
                )
                elapsed += length
        return
    reps = int(part.count)
    sides: Sequence[str | None] = part.sides if step.alternate else (part.side,)
    total_reps = reps * len(sides)
    elapsed = 0.0
    for r in range(total_reps):
        side = sides[r % len(sides)]
        for ph in _phases(part):
            length = _phase_length(ph, part)
            yield Segment(
                t + elapsed,
                length,
                index,
                step.pose,
                _name(part, side),
                side,
                ph.kind,
                _say(ph.text, side),
                r // len(sides) + 1,
                reps,
                "rep",
            )
            elapsed += length


def expand(title: str, parts: Sequence[Part]) -> Timeline:
    segments: list[Segment] = []
    infos: list[PartInfo] = []
    t = 0.0
    previous: Part | None = None
    for index, part in enumerate(parts):
        start = t
        produced = list(_expand_part(index, part, previous, t))
        if part.switch and produced:
            produced[0] = replace(produced[0], switch=True)
        segments.extend(produced)
        if produced:
            t = produced[-1].end
        step = part.step
        cue = step.cue or step.inhale or (step.cycle[0].text if step.cycle else "") or ""
        infos.append(
            PartInfo(
                index,
                step.pose,
                _name(part, part.side or (part.sides[0] if part.sides else None)),
                part.side if not step.alternate else "alternate",
                start,
                t - start,
                part.count,
                part.kind,
                _say(cue, part.side or (part.sides[0] if part.sides else None)),
            )
        )
        previous = part
    return Timeline(title, tuple(segments), tuple(infos), t)


def _fitted(parts: Sequence[Part], factor: float) -> list[Part]:
    out = []
    for part in parts:
        if part.kind == "duration":
            floor = min(part.count, MIN_HOLD_SECONDS)
            count = max(floor, float(math.floor(part.count * factor + 0.5)))
        else:
            floor = min(part.count, MIN_BREATHS if part.kind == "breaths" else MIN_REPS)
            count = max(floor, float(math.floor(part.count * factor + 0.5)))
        out.append(replace(part, count=count))
    return out


def _total(parts: Sequence[Part]) -> float:
    return sum(p.transition + body_length(p) for p in parts)


def fit(parts: Sequence[Part], seconds: float) -> list[Part]:
    """Scale holds and counts so the routine lasts about ``seconds``.

    Keeps whole breaths and reps, keeps both sides of a step equal (each side
    is scaled by the same factor from the same count), and keeps each part at
    or above a minimum. Raises BadInput when the length cannot be reached.
    """
    shortest = _total(_fitted(parts, 0.0))
    longest = _total(_fitted(parts, 4.0))
    if seconds < shortest - 0.5:
        fits = math.ceil((shortest - 0.5) / 60)  # the fewest whole minutes that fit
        raise BadInput(
            f"cannot fit this routine into {clock(seconds)}: keeping every pose, the shortest "
            f"it can be is {clock(shortest)} (--minutes {fits} or more)"
        )
    if seconds > longest + 0.5:
        fits = math.floor((longest + 0.5) / 60)  # the most whole minutes it stretches to
        advice = f"--minutes {fits} or less" if fits >= 1 else "play it as it is"
        raise BadInput(
            f"cannot stretch this routine to {clock(seconds)}: at four times its holds it "
            f"lasts {clock(longest)} ({advice})"
        )
    lo, hi = 0.0, 4.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if _total(_fitted(parts, mid)) > seconds:
            hi = mid
        else:
            lo = mid
    below, above = _fitted(parts, lo), _fitted(parts, hi)
    return above if abs(_total(above) - seconds) < abs(_total(below) - seconds) else below


def compile_timeline(
    routine: Routine, *, minutes: float | None = None, pace: float | None = None
) -> Timeline:
    """The one way to turn a routine (and play options) into a timeline."""
    parts = plan(routine, pace)
    if minutes is not None:
        parts = fit(parts, minutes * 60)
    return expand(routine.title, parts)


def lengthen(timeline: Timeline, index: int, delta: float) -> Timeline:
    """Change segment ``index`` by ``delta`` seconds, moving everything after it."""
    seg = timeline.segments[index]
    delta = max(delta, -seg.length)
    segments = list(timeline.segments)
    segments[index] = replace(seg, length=seg.length + delta)
    for i in range(index + 1, len(segments)):
        segments[i] = replace(segments[i], start=segments[i].start + delta)
    parts = [
        replace(p, length=p.length + delta)
        if p.index == seg.part
        else replace(p, start=p.start + delta)
        if p.index > seg.part
        else p
        for p in timeline.parts
    ]
    return Timeline(
        timeline.title, tuple(segments), tuple(parts), timeline.total + delta, timeline.skipped
    )
