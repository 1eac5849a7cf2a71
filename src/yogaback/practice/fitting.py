"""``--minutes``: fitting a routine's parts to a length.

Holds and counts are scaled by one factor (whole breaths and reps, both sides equal,
never below the floors); optional parts (``priority``) are left out first when even
``LEAVE_OUT_BELOW`` of their length would not fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from yogaback.durations import clock
from yogaback.errors import BadInput
from yogaback.practice.parts import Part, part_length

MIN_BREATHS = 2
MIN_REPS = 2
LEAVE_OUT_BELOW = 0.6
"""``--minutes``: holds and counts shrink to this share of their length (never below the
floors) before optional parts (``priority``) are left out; past that, they shrink on."""


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


def left_out_names(dropped: Sequence[Part]) -> list[str]:
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
