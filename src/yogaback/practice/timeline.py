"""Compile a routine into a flat, timed timeline. Pure: no clock, no I/O.

Side expansion, repetitions, breath-counted holds, transitions, timed cues,
pacing and fitting to a length all happen here, once. ``show`` and ``play``
use the same timeline, so a preview is exactly what will play.

Two stages: ``plan`` turns steps into *parts* (one pose on one side, with
whole counts), which ``fit_parts`` may rescale or leave out; ``expand`` turns parts into
segments, and decides what is taught where (``_Teaching``): safety notes the first time a
pose comes up, the easier option, the props the next part needs, the pose's own cues.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from yogaback.durations import clock
from yogaback.errors import BadInput
from yogaback.routine.model import (
    OTHER_SIDE,
    Exit,
    Group,
    Pace,
    Phase,
    Pose,
    Routine,
    Step,
    body_seconds,
)

SegmentPhase = Literal["inhale", "exhale", "hold", "transition", "rest", "exit"]
Unit = Literal["rep", "breath"]

MIN_HOLD_SECONDS = 15.0
"""When fitting to a shorter length, a timed hold is not cut below this (or its own length)."""
MIN_BREATHS = 2
MIN_REPS = 2
LEAVE_OUT_BELOW = 0.6
"""``--minutes``: holds and counts shrink to this share of their length (never below the
floors) before optional parts (``priority``) are left out; past that, they shrink on."""
MIN_CUE_GAP = 10.0
"""A pose's own cue is placed in a quiet stretch of a hold at least this long, else it is
said with the hold's opening cue."""


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
    # --- teaching: what the screen (and voice) can show besides ``text`` ---
    gentler: str | None = None
    """The pose's easier option, on every segment of its parts (None with --gentle: then
    the gentler form is what is played)."""
    safety: tuple[str, ...] = ()
    """Safety notes given at this segment (the pose's first in the session); ``text``
    carries them too, as "Safety: ..."."""
    props_next: tuple[str, ...] = ()
    """Props the next part needs that this one does not, announced here (also in ``text``)."""

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
    exit: Exit | None = None  # the way out after the body: the step's, else the pose's
    priority: int | None = None  # may be left out when time is short (1 first)
    unit: int = 0  # parts with the same unit are left out together (a step's or group's sides)
    shortest: float = MIN_HOLD_SECONDS  # fitting never cuts a timed hold below this
    gentle: bool = False  # play the pose's gentler form
    group: str | None = None  # the name of the group the part belongs to


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
    setup: str = ""
    """What is said to come into the pose (with --gentle: and its gentler form)."""
    gentler: str | None = None
    """The pose's gentler form, if it has one."""
    gentle: bool = False
    """Played in its gentler form (--gentle); otherwise the gentler form is offered."""


@dataclass(frozen=True)
class Timeline:
    title: str
    segments: tuple[Segment, ...]
    parts: tuple[PartInfo, ...]
    total: float
    skipped: int = 0
    """Parts cut from the front by ``from_part``: display numbers stay those of the routine."""
    left_out: tuple[str, ...] = ()
    """What ``--minutes`` left out to fit (a step or group each, both sides together)."""

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
        return Timeline(
            self.title, segments, parts, self.total - offset, self.skipped + index, self.left_out
        )


def _say(text: str, side: str | None) -> str:
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


def _main_cue(part: Part, side: str | None) -> str:
    """The step's main cue for this part, with ``{count}`` as the number of breaths or reps
    it really has (``--minutes`` may have fitted fewer than the file says)."""
    text = _say(part.step.cue or "", side)
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


def _phases(part: Part) -> tuple[Phase, ...]:
    step = part.step
    if step.cycle:
        return step.cycle
    fallback = _main_cue(part, None) if step.cue else part.pose.name
    return (Phase("inhale", step.inhale or fallback), Phase("exhale", step.exhale or fallback))


def _phase_length(phase: Phase, part: Part) -> float:
    if phase.length is not None:
        return phase.length * part.factor
    return part.pace.exhale if phase.kind == "exhale" else part.pace.inhale


def body_length(part: Part) -> float:
    sides = max(1, len(part.sides) if part.step.alternate else 1)
    return body_seconds(part.kind, part.count, part.pace, part.step.cycle, sides, part.factor)


def part_length(part: Part) -> float:
    """A part's whole length: moving into it, its body, and its way out."""
    return part.transition + body_length(part) + (part.exit.length if part.exit else 0.0)


def _first_side(part: Part) -> str | None:
    return part.side or (part.sides[0] if part.sides else None)


# --- teaching: what a part says besides its step's own cues ------------------------------


@dataclass(frozen=True)
class _Teaching:
    """Notes a part gives while moving into it, decided once the order of parts is known."""

    safety: tuple[str, ...] = ()
    """The pose's safety notes, when this is the pose's first part in the session."""
    props_next: tuple[str, ...] = ()
    """Props the next part needs that this one does not: announced one part ahead."""

    def notes(self) -> list[str]:
        out = []
        if self.safety:
            out.append("Safety: " + " ".join(self.safety))
        if self.props_next:
            out.append("Have ready for the next pose: " + ", ".join(self.props_next) + ".")
        return out


def _teachings(parts: Sequence[Part]) -> list[_Teaching]:
    seen: set[str] = set()
    out = []
    for i, part in enumerate(parts):
        safety = part.pose.safety if part.step.pose not in seen else ()
        seen.add(part.step.pose)
        after = parts[i + 1] if i + 1 < len(parts) else None
        props = tuple(p for p in after.pose.props if p not in part.pose.props) if after else ()
        out.append(_Teaching(safety, props))
    return out


def _setup(part: Part, side: str | None, fallback: bool = True) -> str:
    """How to come into the pose; with --gentle, followed by its gentler form."""
    pose = part.pose
    base = pose.setup or (f"Come into {pose.name}." if fallback else "")
    bits = [_say(base, side)] if base else []
    if part.gentle and pose.gentler:
        bits.append("Gentler: " + _say(pose.gentler, side))
    return " ".join(bits)


def _gentler(part: Part, side: str | None) -> str | None:
    """The easier option offered while the pose is on screen (not when it is being played)."""
    if part.gentle or not part.pose.gentler:
        return None
    return _say(part.pose.gentler, side)


def _cue_in_transition(part: Part) -> bool:
    """The step's main cue is said while moving in when its body has no place for it:
    repetitions speak their phases, and breaths with both in- and out-breath cues theirs."""
    step = part.step
    if not step.cue:
        return False
    return part.kind == "reps" or (part.kind == "breaths" and bool(step.inhale and step.exhale))


def _transition_text(part: Part, previous: Part | None) -> str:
    """Said while moving into a part: the pose's setup, and the step's main cue where the
    body has no place for it."""
    side = _first_side(part)
    lead_in = _main_cue(part, side) if _cue_in_transition(part) else ""
    if part.switch:
        lead = f"Switch sides: now the {part.side} side." if part.side else "Switch sides."
        setup = _setup(part, side, fallback=False)
    elif previous is not None and previous.step is part.step:
        lead, setup = "Keep going.", ""
    else:
        lead, setup = "", _setup(part, side)
    return " ".join(t for t in (lead, setup, lead_in) if t)


def _unit_cues(part: Part, units: int, side: str | None) -> dict[int, str]:
    """The pose's own cues for a breath-counted or repeated step: spread through its breaths
    or reps (by index from 0), each joining the in-breath (first phase) of its unit."""
    extra = [_say(c, side) for c in part.pose.cues]
    placed: dict[int, list[str]] = {}
    for k, text in enumerate(extra):
        unit = min(units - 1, (k + 1) * units // (len(extra) + 1))
        placed.setdefault(unit, []).append(text)
    return {unit: " ".join(texts) for unit, texts in placed.items()}


def _hold_marks(part: Part, opening: str) -> list[tuple[float, str]]:
    """(time into the hold, text) for a timed hold: its opening cue, the step's timed cues
    (scaled with the hold), and the pose's own cues in the quiet stretches."""
    step = part.step
    scale = part.count / (step.duration or part.count)
    marks = [(0.0, opening)] + [
        (c.at * scale, _say(c.say, part.side)) for c in sorted(step.cues, key=lambda c: c.at)
    ]
    extra = [_say(c, part.side) for c in part.pose.cues]
    if not extra:
        return marks
    spacing = part.count / (len(extra) + 1)
    if not step.cues and spacing >= MIN_CUE_GAP / 2:  # evenly through the hold, in order
        return marks + [(spacing * (k + 1), text) for k, text in enumerate(extra)]
    unplaced = []
    for text in extra:  # each in the middle of the longest quiet stretch left
        times = [*sorted(at for at, _ in marks), part.count]
        gap, at = max((b - a, (a + b) / 2) for a, b in itertools.pairwise(times))
        if gap >= MIN_CUE_GAP:
            marks.append((at, text))
        else:
            unplaced.append(text)
    if unplaced:
        marks[0] = (0.0, " ".join([opening, *unplaced]))
    return sorted(marks, key=lambda m: m[0])


def _body(part: Part, index: int, name: str, t: float) -> Iterator[Segment]:
    """The segments of a part's body (its hold, breaths or reps), starting at ``t``."""
    step = part.step
    cue = _main_cue(part, part.side) if step.cue else None
    if part.kind == "duration":
        phase: Literal["hold", "rest"] = "rest" if step.rest else "hold"
        opening = cue or (_setup(part, part.side, fallback=False) or name)
        marks = _hold_marks(part, opening)
        ends = [at for at, _ in marks[1:]] + [part.count]
        for (at, text), end in zip(marks, ends, strict=True):
            if end - at > 0:
                yield Segment(t + at, end - at, index, step.pose, name, part.side, phase, text)
        return
    if part.kind == "breaths":
        count = int(part.count)
        extra = _unit_cues(part, count, part.side)
        inhale = step.inhale or cue or name
        exhale = step.exhale or cue or name
        elapsed = 0.0
        pending = sorted(step.cues, key=lambda c: c.at)
        for b in range(1, count + 1):
            for kind, length in (("inhale", part.pace.inhale), ("exhale", part.pace.exhale)):
                while pending and pending[0].at <= elapsed:
                    inhale = exhale = _say(pending.pop(0).say, part.side)
                text = _say(inhale if kind == "inhale" else exhale, part.side)
                if kind == "inhale" and b - 1 in extra:
                    text = f"{text} {extra[b - 1]}"
                seg_phase: SegmentPhase = "rest" if step.rest else kind  # type: ignore[assignment]
                yield Segment(
                    t + elapsed,
                    length,
                    index,
                    step.pose,
                    name,
                    part.side,
                    seg_phase,
                    text,
                    b,
                    count,
                    "breath",
                )
                elapsed += length
        return
    reps = int(part.count)
    sides: Sequence[str | None] = part.sides if step.alternate else (part.side,)
    total_reps = reps * len(sides)
    extra = _unit_cues(part, total_reps, _first_side(part))
    elapsed = 0.0
    for r in range(total_reps):
        side = sides[r % len(sides)]
        for k, ph in enumerate(_phases(part)):
            length = _phase_length(ph, part)
            text = _say(ph.text, side)
            if k == 0 and r in extra:
                text = f"{text} {extra[r]}"
            yield Segment(
                t + elapsed,
                length,
                index,
                step.pose,
                _name(part, side),
                side,
                ph.kind,
                text,
                r // len(sides) + 1,
                reps,
                "rep",
            )
            elapsed += length


def _name(part: Part, side: str | None) -> str:
    """What the part is called on screen: the step's title or the pose's name, for a side."""
    return _say(part.step.title or part.pose.name, side)


def _expand_part(
    index: int, part: Part, previous: Part | None, start: float, teaching: _Teaching
) -> list[Segment]:
    side = _first_side(part)
    name = _name(part, side)
    segments: list[Segment] = []
    t = start
    if part.transition > 0:
        text = _transition_text(part, previous)
        segments.append(
            Segment(t, part.transition, index, part.step.pose, name, part.side, "transition", text)
        )
        t += part.transition
    segments += _body(part, index, name, t)
    if part.exit is not None and segments:
        segments.append(
            Segment(
                segments[-1].end,
                part.exit.length,
                index,
                part.step.pose,
                name,
                part.side,
                "exit",
                _say(part.exit.say, side),
            )
        )
    if not segments:
        return segments
    first = segments[0]
    before = []
    if first.phase != "transition" and _cue_in_transition(part):
        before.append(_main_cue(part, side))  # no time to move in: said first
    notes = teaching.notes()
    if before or notes:
        text = " ".join([*before, first.text, *notes])
        segments[0] = replace(
            first, text=text, safety=teaching.safety, props_next=teaching.props_next
        )
    gentler = _gentler(part, side)
    if gentler is not None:
        segments = [replace(s, gentler=gentler) for s in segments]
    return segments


def expand(title: str, parts: Sequence[Part], left_out: Sequence[str] = ()) -> Timeline:
    segments: list[Segment] = []
    infos: list[PartInfo] = []
    t = 0.0
    previous: Part | None = None
    teachings = _teachings(parts)
    for index, part in enumerate(parts):
        start = t
        produced = _expand_part(index, part, previous, t, teachings[index])
        if part.switch and produced:
            produced[0] = replace(produced[0], switch=True)
        segments.extend(produced)
        if produced:
            t = produced[-1].end
        step = part.step
        side = _first_side(part)
        cue = (
            _main_cue(part, side)
            if step.cue
            else _say(step.inhale or (step.cycle[0].text if step.cycle else "") or "", side)
        )
        infos.append(
            PartInfo(
                index,
                step.pose,
                _name(part, side),
                part.side if not step.alternate else "alternate",
                start,
                t - start,
                part.count,
                part.kind,
                cue,
                _setup(part, side),
                _say(part.pose.gentler, side) if part.pose.gentler else None,
                part.gentle,
            )
        )
        previous = part
    return Timeline(title, tuple(segments), tuple(infos), t, left_out=tuple(left_out))


def _fitted(parts: Sequence[Part], factor: float) -> list[Part]:
    out = []
    for part in parts:
        if part.kind == "duration":
            floor = min(part.count, part.shortest)
            count = max(floor, float(math.floor(part.count * factor + 0.5)))
        else:
            floor = min(part.count, MIN_BREATHS if part.kind == "breaths" else MIN_REPS)
            count = max(floor, float(math.floor(part.count * factor + 0.5)))
        out.append(replace(part, count=count))
    return out


def _total(parts: Sequence[Part]) -> float:
    return sum(part_length(p) for p in parts)


def fit(parts: Sequence[Part], seconds: float, *, left_out: bool = False) -> list[Part]:
    """Scale holds and counts so the routine lasts about ``seconds``.

    Keeps whole breaths and reps, keeps both sides of a step equal (each side
    is scaled by the same factor from the same count), and keeps each part at
    or above a minimum. Raises BadInput when the length cannot be reached (``left_out``:
    the optional parts have been left out already, and the message says so).
    """
    shortest = _total(_fitted(parts, 0.0))
    longest = _total(_fitted(parts, 4.0))
    if seconds < shortest - 0.5:
        fits = math.ceil((shortest - 0.5) / 60)  # the fewest whole minutes that fit
        keeping = "even leaving out its optional parts" if left_out else "keeping every pose"
        raise BadInput(
            f"cannot fit this routine into {clock(seconds)}: {keeping}, the shortest "
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


def leave_out(parts: Sequence[Part], seconds: float) -> tuple[list[Part], list[Part]]:
    """(kept, left out): while the parts cannot fit ``seconds`` with holds and counts at
    ``LEAVE_OUT_BELOW`` of their length, leave out every part of the lowest ``priority``
    left (1 first). Parts without a priority always stay; so do both sides of a pair."""
    kept, dropped = list(parts), []
    for level in sorted({p.priority for p in parts if p.priority is not None}):
        if _total(_fitted(kept, LEAVE_OUT_BELOW)) <= seconds + 0.5:
            break
        dropped += [p for p in kept if p.priority == level]
        kept = [p for p in kept if p.priority != level]
    return kept, dropped


def _left_out_names(dropped: Sequence[Part]) -> list[str]:
    """One name for each step or group left out, said once for all its sides."""
    sides: dict[tuple[int, int], set[str]] = {}
    labels: dict[tuple[int, int], str] = {}
    for part in dropped:
        whole_group = part.group is not None and part.step.priority is None
        key = (part.unit, 0 if whole_group else id(part.step))
        title = part.step.title or part.pose.name
        label = part.group if whole_group and part.group else title
        labels.setdefault(key, part.pose.name if "{" in label else label)
        sides.setdefault(key, set()).update(part.sides if part.sides else ())
    return [labels[key] + (" (both sides)" if len(sides[key]) > 1 else "") for key in labels]


def compile_timeline(
    routine: Routine,
    *,
    minutes: float | None = None,
    pace: float | None = None,
    gentle: bool = False,
) -> Timeline:
    """The one way to turn a routine (and play options) into a timeline."""
    parts = plan(routine, pace, gentle=gentle)
    dropped: list[Part] = []
    if minutes is not None:
        parts, dropped = leave_out(parts, minutes * 60)
        parts = fit(parts, minutes * 60, left_out=bool(dropped))
    return expand(routine.title, parts, _left_out_names(dropped))


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
    return replace(
        timeline, segments=tuple(segments), parts=tuple(parts), total=timeline.total + delta
    )
