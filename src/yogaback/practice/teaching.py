"""Teaching: what a part says besides its step's own cues, and where.

Safety notes the first time a pose comes up, the props the next part needs (one part
ahead), the setup and gentler form, the main cue while moving in when the body has no
place for it, and the pose's own cues spread through a hold, its breaths or its reps.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from yogaback.practice.parts import Part, first_side, main_cue, say

SAFETY = "Safety: "
"""How a safety note begins, spoken and shown."""
MIN_CUE_GAP = 10.0
"""A pose's own cue is placed in a quiet stretch of a hold at least this long, else it is
said with the hold's opening cue."""


@dataclass(frozen=True)
class Teaching:
    """Notes a part gives while moving into it, decided once the order of parts is known."""

    safety: tuple[str, ...] = ()
    """The pose's safety notes, when this is the pose's first part in the session."""
    props_next: tuple[str, ...] = ()
    """Props the next part needs that this one does not: announced one part ahead."""

    def notes(self) -> list[str]:
        out = []
        if self.safety:
            out.append(SAFETY + " ".join(self.safety))
        if self.props_next:
            out.append("Have ready for the next pose: " + ", ".join(self.props_next) + ".")
        return out


def teachings_for(parts: Sequence[Part]) -> list[Teaching]:
    seen: set[str] = set()
    out = []
    for i, part in enumerate(parts):
        safety = part.pose.safety if part.step.pose not in seen else ()
        seen.add(part.step.pose)
        after = parts[i + 1] if i + 1 < len(parts) else None
        props = tuple(p for p in after.pose.props if p not in part.pose.props) if after else ()
        out.append(Teaching(safety, props))
    return out


def setup_text(part: Part, side: str | None, fallback: bool = True) -> str:
    """How to come into the pose; with --gentle, followed by its gentler form."""
    pose = part.pose
    base = pose.setup or (f"Come into {pose.name}." if fallback else "")
    bits = [say(base, side)] if base else []
    if part.gentle and pose.gentler:
        bits.append("Gentler: " + say(pose.gentler, side))
    return " ".join(bits)


def offered_gentler(part: Part, side: str | None) -> str | None:
    """The easier option offered while the pose is on screen (not when it is being played)."""
    if part.gentle or not part.pose.gentler:
        return None
    return say(part.pose.gentler, side)


def cue_in_transition(part: Part) -> bool:
    """The step's main cue is said while moving in when its body has no place for it:
    repetitions speak their phases, and breaths with both in- and out-breath cues theirs."""
    step = part.step
    if not step.cue:
        return False
    return part.kind == "reps" or (part.kind == "breaths" and bool(step.inhale and step.exhale))


def transition_text(part: Part, previous: Part | None) -> str:
    """Said while moving into a part: the pose's setup, and the step's main cue where the
    body has no place for it."""
    side = first_side(part)
    lead_in = main_cue(part, side) if cue_in_transition(part) else ""
    if part.switch:
        lead = f"Switch sides: now the {part.side} side." if part.side else "Switch sides."
        setup = setup_text(part, side, fallback=False)
    elif previous is not None and previous.step is part.step:
        lead, setup = "Keep going.", ""
    else:
        lead, setup = "", setup_text(part, side)
    return " ".join(t for t in (lead, setup, lead_in) if t)


def unit_cues(part: Part, units: int, side: str | None) -> dict[int, str]:
    """The pose's own cues for a breath-counted or repeated step: spread through its breaths
    or reps (by index from 0), each joining the in-breath (first phase) of its unit."""
    extra = [say(c, side) for c in part.pose.cues]
    placed: dict[int, list[str]] = {}
    for k, text in enumerate(extra):
        unit = min(units - 1, (k + 1) * units // (len(extra) + 1))
        placed.setdefault(unit, []).append(text)
    return {unit: " ".join(texts) for unit, texts in placed.items()}


def hold_marks(part: Part, opening: str) -> list[tuple[float, str]]:
    """(time into the hold, text) for a timed hold: its opening cue, the step's timed cues
    (scaled with the hold), and the pose's own cues in the quiet stretches."""
    step = part.step
    scale = part.count / (step.duration or part.count)
    marks = [(0.0, opening)] + [
        (c.at * scale, say(c.say, part.side)) for c in sorted(step.cues, key=lambda c: c.at)
    ]
    extra = [say(c, part.side) for c in part.pose.cues]
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
