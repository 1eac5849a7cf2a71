"""What the live screen shows: a pure function of the player's state and the time.

``view`` reduces (player, now, size) to a small frozen ``View`` of exactly what is
visible; ``render`` draws a View. The terminal adapter redraws only when the
View changes, so a held pose costs one redraw a second, not one a frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text

from yogaback.durations import clock
from yogaback.player import Player
from yogaback.timeline import Segment

KEYS = "space pause · n next · p back · +/- hold · m mute · ? help · q quit"
KEYS_SHORT = "␣ pause · n next · p back · +/- · m mute · ? · q quit"
HELP = (
    ("space", "pause / resume"),
    ("n  →", "next pose"),
    ("p  ←", "restart this pose (twice: previous pose)"),
    ("+  -", "lengthen / shorten this hold by 15 seconds"),
    ("m", "mute / unmute sound"),
    ("?", "show / hide this help"),
    ("q  Esc", "stop the session"),
)
PACER_MAX = 41
PACER_STEPS_PER_SECOND = 4.0
"""The breath pacer moves in steps this often (in routine time): smooth enough to follow,
cheap enough to keep the process near idle."""


@dataclass(frozen=True)
class UiState:
    """What the screen adds to the player's state: help, a passing notice, sound."""

    show_help: bool = False
    notice: str = ""
    notice_until: float = 0.0
    sound: str = ""


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


def pacer_cells(seg: Segment, pos: float, width: int, previous: Segment | None) -> int:
    """Filled cells of the breath pacer: grows on the in-breath, shrinks on the out-breath."""
    if seg.phase not in ("inhale", "exhale", "hold") or (seg.unit is None and seg.phase == "hold"):
        return -1
    f = (pos - seg.start) / seg.length if seg.length else 1.0
    # step in time, so the pacer changes a few times a second at most
    f = math.floor(f * seg.length * PACER_STEPS_PER_SECOND) / (seg.length * PACER_STEPS_PER_SECOND)
    if seg.phase == "inhale":
        return max(1, round(width * _ease(f)))
    if seg.phase == "exhale":
        return max(1, round(width * (1 - _ease(f))))
    return width if previous is not None and previous.phase == "inhale" else 1


def view(player: Player, now: float, ui: UiState, width: int, height: int) -> View:
    tl = player.timeline
    index = max(0, player.current)
    seg = tl.segments[index]
    pos = player.position(now)
    part = tl.parts[seg.part]
    nxt = tl.parts[seg.part + 1] if seg.part + 1 < len(tl.parts) else None
    if nxt is None:
        next_up = "the end"
    else:
        side = nxt.side if nxt.side and nxt.side != "alternate" else ""
        next_up = nxt.name + (f" · {side}" if side else "")
    pacer_width = max(5, min(PACER_MAX, width - 20))
    if pacer_width % 2 == 0:
        pacer_width -= 1
    previous = tl.segments[index - 1] if index > 0 else None
    bar_width = max(10, width - 24)
    phase = seg.phase if player.status != "paused" else "paused"
    return View(
        title=tl.title,
        status=player.status,
        pose=seg.name,
        detail=detail(seg),
        phase=phase,
        text=seg.text,
        pacer=pacer_cells(seg, pos, pacer_width, previous),
        pacer_width=pacer_width,
        part_left=math.ceil(max(0.0, part.start + part.length - pos) - 1e-9),
        elapsed=int(pos),
        total=round(tl.total),
        progress=int(bar_width * pos / tl.total) if tl.total else bar_width,
        bar_width=bar_width,
        next_up=next_up,
        part_no=seg.part + 1 + tl.skipped,
        parts=len(tl.parts) + tl.skipped,
        muted=player.muted,
        show_help=ui.show_help,
        notice=ui.notice if now < ui.notice_until else "",
        width=width,
        height=height,
    )


PHASE_WORDS = {
    "inhale": "breathe in",
    "exhale": "breathe out",
    "hold": "hold",
    "rest": "rest",
    "transition": "get ready",
    "paused": "paused",
}
PHASE_STYLES = {
    "inhale": "bold cyan",
    "exhale": "bold blue",
    "hold": "bold green",
    "rest": "bold green",
    "transition": "bold yellow",
    "paused": "bold magenta",
}


def _big(name: str, width: int) -> Text:
    spaced = " ".join(name.upper())
    text = spaced if len(spaced) <= width - 4 else name.upper()
    return Text(text, style="bold", justify="center", overflow="fold")


def _bar(filled: int, width: int) -> Text:
    return Text.assemble(("━" * filled, "green"), ("━" * (width - filled), "grey37"))


def render(v: View) -> RenderableType:
    if v.width < 40 or v.height < 10:
        return render_line(v)
    right = Text.assemble(
        ("muted  " if v.muted else "", "dim"),
        ("❚❚ paused  " if v.status == "paused" else "", "bold magenta"),
        (f"part {v.part_no} of {v.parts}", "dim"),
    )
    room = max(0, v.width - len(right) - 2)
    title = v.title if len(v.title) <= room else v.title[: max(0, room - 1)] + "…"
    head = Text.assemble(
        (title, "bold"),
        " " * (v.width - len(title) - len(right)),
        right,
        no_wrap=True,
        overflow="crop",
    )
    lines: list[RenderableType] = [head, Text()]
    if v.show_help:
        lines.append(Text("Keys", style="bold", justify="center"))
        for key, what in HELP:
            lines.append(Text(f"{key:>8}   {what}", justify="left"))
    else:
        lines.append(_big(v.pose, v.width))
        lines.append(Text(v.detail, justify="center", style="bold"))
        lines.append(Text())
        lines.append(Text(v.text, justify="center"))
        lines.append(Text())
        word = PHASE_WORDS.get(v.phase, v.phase)
        lines.append(Text(word, justify="center", style=PHASE_STYLES.get(v.phase, "bold")))
        if v.pacer >= 0:
            lines.append(Text("●" * v.pacer, style=PHASE_STYLES.get(v.phase, ""),
                              justify="center"))
        else:
            lines.append(Text())
        lines.append(Text(clock(v.part_left), style="bold", justify="center"))
    lines.append(Text())
    lines.append(
        Text.assemble(
            _bar(v.progress, v.bar_width),
            f"  {clock(v.elapsed)} / {clock(v.total)}",
            no_wrap=True,
        )
    )
    lines.append(Text.assemble(("next: ", "dim"), v.next_up, no_wrap=True, overflow="ellipsis"))
    if v.notice:
        lines.append(Text(v.notice, style="bold yellow", justify="center"))
    used = len(lines) + 1 + (v.text.count("\n") + len(v.text) // max(1, v.width))
    spare = max(0, v.height - used - 1)
    body = [*lines[:2], *[Text()] * (spare // 2), *lines[2:], *[Text()] * (spare - spare // 2)]
    keys = KEYS if len(KEYS) <= v.width else KEYS_SHORT
    body.append(Text(keys, style="dim", no_wrap=True, overflow="ellipsis", justify="center"))
    return Group(*body)


def render_line(v: View) -> Text:
    """A single line for very small terminals."""
    bits = [v.pose]
    if v.detail:
        bits.append(v.detail)
    bits.append(PHASE_WORDS.get(v.phase, v.phase))
    bits.append(clock(v.part_left))
    bits.append(f"next: {v.next_up}")
    return Text(" · ".join(bits), no_wrap=True, overflow="ellipsis")


def render_intro(
    title: str,
    summary: str | None,
    total: float,
    props: tuple[str, ...],
    safety: tuple[str, ...],
    seconds_left: int,
    width: int,
) -> RenderableType:
    lines: list[RenderableType] = [Text(title, style="bold", justify="center"), Text()]
    if summary:
        lines += [Text(summary, justify="center"), Text()]
    facts = f"{clock(total)}" + (f" · props: {', '.join(props)}" if props else "")
    lines += [Text(facts, justify="center", style="dim"), Text()]
    if safety:
        lines.append(Text("Before you begin", style="bold"))
        lines += [Text(f"  • {note}") for note in safety]
        lines.append(Text())
    lines.append(
        Text(
            f"Press any key to begin — starting by itself in {clock(seconds_left)}. q to quit.",
            style="bold yellow",
            justify="center",
        )
    )
    return Group(*lines)


def next_change(player: Player, now: float) -> float | None:
    """Clock reading at which something on screen next changes: the elapsed clock, the
    part's countdown, or a step of the breath pacer."""
    if player.status != "playing":
        return None
    pos = player.position(now)
    seg = player.segment()
    candidates = [math.floor(pos + 1e-9) + 1.0]  # elapsed clock ticks on whole seconds
    if seg is not None:
        part = player.timeline.parts[seg.part]
        end = part.start + part.length
        candidates.append(end - math.floor(end - pos - 1e-9))  # countdown ticks
        if seg.phase in ("inhale", "exhale", "hold") and seg.unit is not None:
            step = 1.0 / PACER_STEPS_PER_SECOND
            candidates.append(seg.start + (math.floor((pos - seg.start) / step + 1e-9) + 1) * step)
    nxt = (
        min(c for c in candidates if c > pos + 1e-9)
        if any(c > pos + 1e-9 for c in candidates)
        else pos + 1.0
    )
    return player.origin + nxt / player.speed
