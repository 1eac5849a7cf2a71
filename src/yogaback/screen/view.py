"""What the live screen shows: a pure function of the player's state and the time.

``view`` reduces (player, now, size) to a small frozen ``View`` of exactly what is
visible: the pose, the cue, the breath phase, the pacer's fill, the countdown, the
figure's shape. ``layout.render`` draws a View. The terminal adapter redraws only when
the View changes, so a held pose costs one redraw a second, not one a frame; and
``next_change`` says when that will be, so the session loop sleeps until then.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from yogaback.practice.player import Player
from yogaback.practice.teaching import SAFETY, Teaching
from yogaback.practice.timeline import Segment
from yogaback.practice.ui import UiState as UiState  # drawn here; kept by the session

if TYPE_CHECKING:
    from yogaback.figures import Figure

PACER_MAX = 41
PACER_MIN_STEPS = 8
"""The breath pacer moves in steps: at least this many per in- or out-breath, twice a
second for a breath of 4 s or more, up to 4 times a second for a quick one (see
``pacer_rate``)."""
FIGURE_STEPS = 4
"""The figure moves in this many steps per breath phase (in and out): it follows the
pacer, but redraws a few times per breath rather than at every pacer step."""
HOLD_BREATH = 8.0
"""Seconds of the slight breath a figure shows in a timed hold (it swells on the in-breath)."""
HOLD_STEPS_PER_SECOND = 1.0
HOLD_FIGURE_STEPS = 2
"""A held shape's slight breath needs fewer steps than a moving pose (and costs less)."""
WIDE_MIN_WIDTH = 80
"""Side by side (figure left, big type right) from this width, when the window is wide
rather than tall; stacked (figure above) on tall windows; no figure when neither fits."""


@dataclass(frozen=True)
class View:
    title: str
    status: str
    pose: str
    detail: str
    phase: str
    text: str
    pacer: int  # filled cells, -1 for none
    pacer_width: int
    part_left: int
    elapsed: int
    total: int
    progress: int  # filled cells of the session bar
    bar_width: int
    next_up: str
    part_no: int
    parts: int
    muted: bool
    show_help: bool
    notice: str
    width: int
    height: int
    theme: str = "auto"
    side: str = ""
    figure: str = ""
    """Which figure shows (its name; empty for none): with ``figure_phase`` and ``mirror``
    it says what the drawing looks like, so equal views draw equal frames."""
    figure_phase: float = 0.0
    mirror: bool = False
    drawing: Figure | None = field(default=None, compare=False, repr=False)
    easier: str = ""
    """The pose's gentler form, offered while it is on screen (empty with --gentle, where
    it is what is played, and for poses without one)."""
    safety: str = ""
    """The pose's safety note, shown while it is on screen the first time it comes up."""
    safety_here: bool = False
    """This is where the safety note is given (it must show even on a small screen)."""
    steady: tuple[str, ...] = ()
    """The cues of the part's breaths and holds: the layout keeps room for the longest, so
    that the countdown and the pacer stay where they are from one breath to the next."""


def _ease(f: float) -> float:
    return (1 - math.cos(math.pi * min(1.0, max(0.0, f)))) / 2


def detail(seg: Segment) -> str:
    side = seg.side.capitalize() if seg.side else ""
    count = ""
    if seg.rep is not None and seg.reps:
        count = (
            f"{seg.rep} of {seg.reps}" if seg.unit == "rep" else f"breath {seg.rep} of {seg.reps}"
        )
    if side and count:
        return f"{side} · {count}"
    if side:
        return f"{side} side"
    return count[:1].upper() + count[1:]


def pacer_rate(seg: Segment) -> float:
    """How many times a second the pacer steps in ``seg``: a whole number, so that the
    steps fall on the clock's whole seconds and a tick costs no wake of its own.

    Each step is a frame, and what a frame costs is mostly waking up at all (on a loaded
    machine, with the caches gone cold since the last one): at 3 a second, reps cost about
    0.24 CPU-s a minute here, and at 2 a second, where a 5 s breath still moves in 10
    steps of 4 cells, about a third less. A quick breath gets more steps a second, so that
    it moves in at least ``PACER_MIN_STEPS``."""
    if seg.length <= 0:
        return 2.0
    return float(min(4, max(2, math.ceil(PACER_MIN_STEPS / seg.length - 1e-9))))


def _stepped(seg: Segment, pos: float) -> float:
    """How far into ``seg`` (0 to 1) the pacer's last step is at ``pos``."""
    steps = seg.length * pacer_rate(seg)
    return math.floor((pos - seg.start) / seg.length * steps + 1e-9) / steps


def pacer_cells(seg: Segment, pos: float, width: int, previous: Segment | None) -> int:
    """Filled cells of the breath pacer: grows on the in-breath, shrinks on the out-breath."""
    if seg.phase not in ("inhale", "exhale", "hold") or (seg.unit is None and seg.phase == "hold"):
        return -1
    # step in time, so the pacer changes a few times a second at most
    f = _stepped(seg, pos) if seg.length else 1.0
    if seg.phase == "inhale":
        return max(1, round(width * _ease(f)))
    if seg.phase == "exhale":
        return max(1, round(width * (1 - _ease(f))))
    return width if previous is not None and previous.phase == "inhale" else 1


def figure_phase(seg: Segment, pos: float, previous: Segment | None) -> float:
    """Where the figure is between its breathed-in shape (0) and breathed-out shape (1).

    In reps and breath-counted holds it follows the pacer's steps, quantised to
    ``FIGURE_STEPS`` per phase; a timed hold breathes slowly on its own; a transition
    shows the shape to come into (breathed in)."""
    if seg.phase in ("inhale", "exhale") and seg.length:
        eased = _ease(_stepped(seg, pos))
        value = 1.0 - eased if seg.phase == "inhale" else eased
        return round(value * FIGURE_STEPS) / FIGURE_STEPS
    if seg.phase == "hold" and seg.unit is not None:
        return 0.0 if previous is not None and previous.phase == "inhale" else 1.0
    if seg.phase in ("hold", "rest"):
        t = math.floor((pos - seg.start) * HOLD_STEPS_PER_SECOND + 1e-9) / HOLD_STEPS_PER_SECOND
        breath = (1 + math.cos(2 * math.pi * t / HOLD_BREATH)) / 2  # 1 → 0 → 1 ...
        return round((1 - breath) * HOLD_FIGURE_STEPS) / HOLD_FIGURE_STEPS
    return 0.0


Figures = Mapping[str, tuple["Figure", bool]]
"""Each pose's figure by pose id, and whether the routine asks for it mirrored."""


def layout_kind(width: int, height: int, figure: bool) -> str:
    """``wide`` (figure beside the type), ``tall`` (figure above) or ``plain`` (none)."""
    if not figure or width < 40 or height < 16:
        return "plain"
    if width >= WIDE_MIN_WIDTH and width >= 2.2 * height:
        return "wide"
    return "tall" if height >= 30 else "plain"


def text_width(width: int, kind: str) -> int:
    """The width of the column the type goes in."""
    return width - figure_width(width) - 2 if kind == "wide" else width


def figure_width(width: int) -> int:
    return round(width * 0.38)


def ticks(player: Player, seg: Segment, pos: float, width: int) -> tuple[int, int, int]:
    """What changes with the time besides the pacer and the figure: the part's countdown,
    the elapsed clock (whole seconds) and the session bar's filled cells."""
    tl = player.timeline
    part = tl.parts[seg.part]
    # while getting ready, count down the getting ready, not the whole part
    end = seg.end if seg.phase == "transition" else part.start + part.length
    return (
        math.ceil(max(0.0, end - pos) - 1e-9),
        math.floor(pos + 1e-9),
        _filled(bar_width_for(width), pos, tl.total),
    )


def _cue_text(seg: Segment) -> str:
    """The segment's cue as shown: in the timeline its notes run on after the setup, as
    they are spoken; on screen the props reminder starts a line of its own, and the safety
    note is left out (it has a place of its own, through the whole part: ``safety``)."""
    text = seg.text
    for note in Teaching(seg.safety, seg.props_next).notes():
        kept = "" if note.startswith(SAFETY) else "\n" + note
        text = text.replace(" " + note, kept, 1) if text != note else kept.lstrip("\n")
    return text


def _part_segments(segments: tuple[Segment, ...], index: int) -> tuple[Segment, ...]:
    """The segments of the part that segment ``index`` belongs to (they are contiguous)."""
    part = segments[index].part
    first = last = index
    while first > 0 and segments[first - 1].part == part:
        first -= 1
    while last + 1 < len(segments) and segments[last + 1].part == part:
        last += 1
    return segments[first : last + 1]


def view(
    player: Player,
    now: float,
    ui: UiState,
    width: int,
    height: int,
    figures: Figures | None = None,
) -> View:
    """What the screen shows. ``figures``: each pose's figure, by pose id (none: no figure)."""
    tl = player.timeline
    index = max(0, player.current)
    seg = tl.segments[index]
    pos = player.position(now)
    nxt = tl.parts[seg.part + 1] if seg.part + 1 < len(tl.parts) else None
    if nxt is None:
        next_up = "the end"
    else:
        side = nxt.side if nxt.side and nxt.side != "alternate" else ""
        next_up = nxt.name + (f" · {side}" if side else "")
    chosen = figures.get(seg.pose) if figures else None
    kind = layout_kind(width, height, chosen is not None)
    column = text_width(width, kind)
    # the pacer grows with the window: 41 cells at 80 columns, most of the column beyond
    pacer_width = max(5, min(max(PACER_MAX, column * 3 // 4), column - 8))
    if pacer_width % 2 == 0:
        pacer_width -= 1
    previous = tl.segments[index - 1] if index > 0 else None
    drawing, mirror, fig_phase = None, False, 0.0
    if chosen is not None and kind != "plain":
        drawing, mirrored = chosen
        # figures are drawn for the right side: the left side is the mirror image
        mirror = mirrored != (seg.side == "left")
        fig_phase = figure_phase(seg, pos, previous)
    bar_width = bar_width_for(width)
    part_left, elapsed, progress = ticks(player, seg, pos, width)
    phase = seg.phase if player.status != "paused" else "paused"
    part_segs = _part_segments(tl.segments, index)
    noted = next((s for s in part_segs if s.safety), None)
    notes = Teaching(noted.safety).notes() if noted is not None else []
    return View(
        title=tl.title,
        status=player.status,
        pose=seg.name,
        detail=detail(seg),
        phase=phase,
        text=_cue_text(seg),
        pacer=pacer_cells(seg, pos, pacer_width, previous),
        pacer_width=pacer_width,
        part_left=part_left,
        elapsed=elapsed,
        total=round(tl.total),
        progress=progress,
        bar_width=bar_width,
        next_up=next_up,
        part_no=seg.part + 1 + tl.skipped,
        parts=len(tl.parts) + tl.skipped,
        muted=player.muted,
        show_help=ui.show_help,
        notice=ui.notice if now < ui.notice_until else "",
        width=width,
        height=height,
        theme=ui.theme,
        side=seg.side or "",
        figure=drawing.name if drawing is not None else "",
        figure_phase=fig_phase,
        mirror=mirror,
        easier=seg.gentler or "",
        drawing=drawing,
        safety=next((n for n in notes if n.startswith(SAFETY)), ""),
        safety_here=bool(seg.safety),
        steady=tuple(dict.fromkeys(_cue_text(s) for s in part_segs if s.phase != "transition")),
    )


def bar_width_for(width: int) -> int:
    return max(10, width - 24)


def _filled(bar_width: int, pos: float, total: float) -> int:
    return math.floor(bar_width * pos / total + 1e-9) if total else bar_width


def next_change(player: Player, now: float, width: int) -> float | None:
    """Clock reading at which something on a ``width``-wide screen next changes: the
    elapsed clock, the part's countdown, the session bar, or a step of the breath pacer."""
    if player.status != "playing":
        return None
    pos = player.position(now)
    seg = player.segment()
    total = player.timeline.total
    bar = bar_width_for(width)
    candidates = [
        math.floor(pos + 1e-9) + 1.0,  # elapsed clock ticks on whole seconds
        (_filled(bar, pos, total) + 1) * total / bar,  # the session bar's next cell
    ]
    if seg is not None:
        part = player.timeline.parts[seg.part]
        end = seg.end if seg.phase == "transition" else part.start + part.length
        candidates.append(end - math.floor(end - pos - 1e-9))  # countdown ticks
        if seg.phase in ("inhale", "exhale") and seg.unit is not None and seg.length > 0:
            step = 1.0 / pacer_rate(seg)  # a breath-pause's pacer stands still
            candidates.append(seg.start + (math.floor((pos - seg.start) / step + 1e-9) + 1) * step)
    nxt = (
        min(c for c in candidates if c > pos + 1e-9)
        if any(c > pos + 1e-9 for c in candidates)
        else pos + 1.0
    )
    return player.origin + nxt / player.speed
