"""Compile a routine into a flat, timed timeline. Pure: no clock, no I/O.

Side expansion, repetitions, breath-counted holds, transitions, timed cues,
pacing and fitting to a length all happen here, once. ``show`` and ``play``
use the same timeline, so a preview is exactly what will play.

Two stages: ``plan`` (``parts``) turns steps into *parts* (one pose on one side, with
whole counts), which ``fit`` and ``leave_out`` (``fitting``) may rescale or leave out;
``expand`` turns parts into segments, placing what ``teaching`` decides is taught where:
safety notes the first time a pose comes up, the easier option, the props the next part
needs, the pose's own cues.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from yogaback.practice.fitting import fit, leave_out, left_out_names
from yogaback.practice.parts import Part, first_side, main_cue, plan, say
from yogaback.practice.teaching import (
    Teaching,
    cue_in_transition,
    hold_marks,
    offered_gentler,
    setup_text,
    teachings_for,
    transition_text,
    unit_cues,
)
from yogaback.routine.model import Phase, Routine

SegmentPhase = Literal["inhale", "exhale", "hold", "transition", "rest", "exit"]
Unit = Literal["rep", "breath"]


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


def _phases(part: Part) -> tuple[Phase, ...]:
    step = part.step
    if step.cycle:
        return step.cycle
    fallback = main_cue(part, None) if step.cue else part.pose.name
    return (Phase("inhale", step.inhale or fallback), Phase("exhale", step.exhale or fallback))


def _phase_length(phase: Phase, part: Part) -> float:
    if phase.length is not None:
        return phase.length * part.factor
    return part.pace.exhale if phase.kind == "exhale" else part.pace.inhale


def _body(part: Part, index: int, name: str, t: float) -> Iterator[Segment]:
    """The segments of a part's body (its hold, breaths or reps), starting at ``t``."""
    step = part.step
    cue = main_cue(part, part.side) if step.cue else None
    if part.kind == "duration":
        phase: Literal["hold", "rest"] = "rest" if step.rest else "hold"
        opening = cue or (setup_text(part, part.side, fallback=False) or name)
        marks = hold_marks(part, opening)
        ends = [at for at, _ in marks[1:]] + [part.count]
        for (at, text), end in zip(marks, ends, strict=True):
            if end - at > 0:
                yield Segment(t + at, end - at, index, step.pose, name, part.side, phase, text)
        return
    if part.kind == "breaths":
        count = int(part.count)
        extra = unit_cues(part, count, part.side)
        inhale = step.inhale or cue or name
        exhale = step.exhale or cue or name
        elapsed = 0.0
        pending = sorted(step.cues, key=lambda c: c.at)
        for b in range(1, count + 1):
            for kind, length in (("inhale", part.pace.inhale), ("exhale", part.pace.exhale)):
                while pending and pending[0].at <= elapsed:
                    inhale = exhale = say(pending.pop(0).say, part.side)
                text = say(inhale if kind == "inhale" else exhale, part.side)
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
    extra = unit_cues(part, total_reps, first_side(part))
    elapsed = 0.0
    for r in range(total_reps):
        side = sides[r % len(sides)]
        for k, ph in enumerate(_phases(part)):
            length = _phase_length(ph, part)
            text = say(ph.text, side)
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
    return say(part.step.title or part.pose.name, side)


def _expand_part(
    index: int, part: Part, previous: Part | None, start: float, teaching: Teaching
) -> list[Segment]:
    side = first_side(part)
    name = _name(part, side)
    segments: list[Segment] = []
    t = start
    if part.transition > 0:
        text = transition_text(part, previous)
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
                say(part.exit.say, side),
            )
        )
    if not segments:
        return segments
    first = segments[0]
    before = []
    if first.phase != "transition" and cue_in_transition(part):
        before.append(main_cue(part, side))  # no time to move in: said first
    notes = teaching.notes()
    if before or notes:
        text = " ".join([*before, first.text, *notes])
        segments[0] = replace(
            first, text=text, safety=teaching.safety, props_next=teaching.props_next
        )
    gentler = offered_gentler(part, side)
    if gentler is not None:
        segments = [replace(s, gentler=gentler) for s in segments]
    return segments


def expand(title: str, parts: Sequence[Part], left_out: Sequence[str] = ()) -> Timeline:
    segments: list[Segment] = []
    infos: list[PartInfo] = []
    t = 0.0
    previous: Part | None = None
    teachings = teachings_for(parts)
    for index, part in enumerate(parts):
        start = t
        produced = _expand_part(index, part, previous, t, teachings[index])
        if part.switch and produced:
            produced[0] = replace(produced[0], switch=True)
        segments.extend(produced)
        if produced:
            t = produced[-1].end
        step = part.step
        side = first_side(part)
        cue = (
            main_cue(part, side)
            if step.cue
            else say(step.inhale or (step.cycle[0].text if step.cycle else "") or "", side)
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
                setup_text(part, side),
                say(part.pose.gentler, side) if part.pose.gentler else None,
                part.gentle,
            )
        )
        previous = part
    return Timeline(title, tuple(segments), tuple(infos), t, left_out=tuple(left_out))


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
    return expand(routine.title, parts, left_out_names(dropped))


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
