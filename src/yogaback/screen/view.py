"""What the live screen shows: a pure function of the player's state and the time.

``view`` reduces (player, now, size) to a small frozen ``View`` of exactly what is
visible; ``render`` draws a View. The terminal adapter redraws only when the
View changes, so a held pose costs one redraw a second, not one a frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Group, RenderableType
from rich.text import Text

from yogaback.durations import clock
from yogaback.practice.player import Player
from yogaback.practice.timeline import Segment
from yogaback.practice.ui import UiState as UiState  # drawn here; kept by the session

KEYS = "space pause · n next · p back · +/- hold · m mute · ? help · q quit"
KEYS_SHORT = "␣ pause · n next · p back · +/- · m mute · ? · q quit"
KEYS_TINY = "␣ pause · n · p · +/- · m · ? · q quit"
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
    f = math.floor(f * seg.length * PACER_STEPS_PER_SECOND + 1e-9) / (
        seg.length * PACER_STEPS_PER_SECOND
    )
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
    bar_width = bar_width_for(width)
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
        # while getting ready, count down the getting ready, not the whole part
        part_left=math.ceil(
            max(0.0, (seg.end if seg.phase == "transition" else part.start + part.length) - pos)
            - 1e-9
        ),
        elapsed=math.floor(pos + 1e-9),
        total=round(tl.total),
        progress=_filled(bar_width, pos, tl.total),
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
    )


PHASE_WORDS = {
    "inhale": "breathe in",
    "exhale": "breathe out",
    "hold": "hold",
    "rest": "rest",
    "transition": "get ready",
    "paused": "paused",
}
PALETTES: dict[str, dict[str, str]] = {
    # for dark backgrounds (most terminals); "auto" uses this too
    "dark": {
        "inhale": "bold cyan",
        "exhale": "bold blue",
        "hold": "bold green",
        "rest": "bold green",
        "transition": "bold yellow",
        "paused": "bold magenta",
        "done": "green",
        "to_come": "grey37",
        "notice": "bold yellow",
    },
    # for light backgrounds: darker colours that keep their contrast on white
    "light": {
        "inhale": "bold dark_cyan",
        "exhale": "bold blue3",
        "hold": "bold dark_green",
        "rest": "bold dark_green",
        "transition": "bold dark_orange3",
        "paused": "bold magenta3",
        "done": "dark_green",
        "to_come": "grey70",
        "notice": "bold dark_orange3",
    },
}
PHASE_STYLES = PALETTES["dark"]


Line = tuple[str, str, str]
"""(text, style, alignment) — alignment is "center", "left" or "raw" (pre-styled header)."""


def _chop(word: str, width: int) -> list[str]:
    """A word wider than the screen (e.g. Chinese or Japanese, which has no spaces) in
    pieces that fit, cut between characters."""
    pieces, piece = [], ""
    for ch in word:
        if piece and cell_len(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return [*pieces, piece]


def _wrap(text: str, width: int) -> list[str]:
    """Wrap by terminal cells (wide characters count double)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        words = [p for w in paragraph.split(" ") for p in (_chop(w, width) if w else [w])]
        for word in words:
            candidate = f"{line} {word}" if line else word
            if cell_len(candidate) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return [set_cell_size(ln, width) if cell_len(ln) > width else ln for ln in lines]


def render(v: View) -> RenderableType:
    """Lay the screen out line by line ourselves and hand Rich a single Text: wrapping and
    centring 20-odd separate Text objects made each redraw cost ~3 ms; this is ~0.5 ms."""
    if v.width < 40 or v.height < 10:
        return render_line(v)
    w = v.width
    styles = PALETTES.get(v.theme, PHASE_STYLES)
    right = Text.assemble(
        ("muted  " if v.muted else "", "dim"),
        ("❚❚ paused  " if v.status == "paused" else "", styles["paused"]),
        (f"part {v.part_no} of {v.parts}", "dim"),
    )
    room = max(0, w - right.cell_len - 2)
    title = v.title if cell_len(v.title) <= room else set_cell_size(v.title, max(0, room - 1)) + "…"
    head = Text.assemble((title, "bold"), " " * (w - cell_len(title) - right.cell_len), right)
    middle: list[Line] = []
    if v.show_help:
        middle.append(("Keys", "bold", "center"))
        middle += [(f"{key:>8}   {what}", "", "left") for key, what in HELP]
    else:
        spaced = " ".join(v.pose.upper())
        middle += [
            (ln, "bold", "center")
            for ln in _wrap(spaced if cell_len(spaced) <= w - 4 else v.pose.upper(), w)
        ]
        middle.append((v.detail, "bold", "center"))
        middle.append(("", "", "left"))
        middle += [(ln, "", "center") for ln in _wrap(v.text, min(w, 72))]
        middle.append(("", "", "left"))
        middle.append((PHASE_WORDS.get(v.phase, v.phase), styles.get(v.phase, "bold"), "center"))
        middle.append(("●" * v.pacer if v.pacer >= 0 else "", styles.get(v.phase, ""), "center"))
        middle.append((clock(v.part_left), "bold", "center"))
    bottom: list[Line] = [("", "", "left")]
    if v.notice:
        bottom.append((v.notice, styles["notice"], "center"))
    keys = next((k for k in (KEYS, KEYS_SHORT) if cell_len(k) <= w), KEYS_TINY)
    gap = "\n\n"
    if 2 + len(middle) + len(bottom) + 3 > v.height:  # short terminal: drop the blank lines
        middle = [line for line in middle if line[0]]
        bottom = [line for line in bottom if line[0]]
        gap = "\n"
        if 1 + len(middle) + len(bottom) + 3 > v.height:
            return render_line(v)
    spare = max(0, v.height - len(gap) - len(middle) - len(bottom) - 3)
    out = Text(no_wrap=True, overflow="crop", end="")
    out.append_text(head)
    out.append(gap)
    body = [
        *[("", "", "left")] * (spare // 2),
        *middle,
        *bottom,
        *[("", "", "left")] * (spare - spare // 2),
    ]
    for text, style, align in body:
        pad = (w - cell_len(text)) // 2 if align == "center" else 0
        out.append(" " * max(0, pad) + text, style or None)
        out.append("\n")
    # done and to-come differ in shape as well as colour, so NO_COLOR still shows progress
    out.append("━" * v.progress, styles["done"])
    out.append("─" * (v.bar_width - v.progress), styles["to_come"])
    out.append(f"  {clock(v.elapsed)} / {clock(v.total)}\n")
    out.append("next: ", "dim")
    out.append(set_cell_size(v.next_up, w - 6) if cell_len(v.next_up) > w - 6 else v.next_up)
    out.append("\n")
    out.append(
        " " * max(0, (w - cell_len(keys)) // 2) + set_cell_size(keys, min(w, cell_len(keys))), "dim"
    )
    return out


def render_line(v: View) -> Text:
    """A single line for very small terminals."""
    # the time first: on a tiny screen it is what gets cut otherwise
    bits = [clock(v.part_left), PHASE_WORDS.get(v.phase, v.phase), v.pose]
    if v.detail:
        bits.append(v.detail)
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
    keys: bool = True,
    note: str | None = None,
) -> RenderableType:
    """The safety screen before a session. ``note``: a line about this session (e.g. where
    ``--resume`` picks up), shown under the prompt."""
    # The prompt goes right under the title, so even a small window shows how to begin.
    prompt = Text(
        f"Press any key to begin — starting by itself in {clock(seconds_left)}. q to quit."
        if keys
        else f"Starting in {clock(seconds_left)}.",
        style="bold yellow",
        justify="center",
    )
    lines: list[RenderableType] = [Text(title, style="bold", justify="center"), prompt, Text()]
    if note:
        lines += [Text(note, justify="center"), Text()]
    if summary:
        lines += [Text(summary, justify="center"), Text()]
    facts = f"{clock(total)}" + (f" · props: {', '.join(props)}" if props else "")
    lines += [Text(facts, justify="center", style="dim"), Text()]
    if safety:
        lines.append(Text("Before you begin", style="bold"))
        lines += [Text(f"  • {note}") for note in safety]
    return Group(*lines)


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
        if seg.phase in ("inhale", "exhale", "hold") and seg.unit is not None:
            step = 1.0 / PACER_STEPS_PER_SECOND
            candidates.append(seg.start + (math.floor((pos - seg.start) / step + 1e-9) + 1) * step)
    nxt = (
        min(c for c in candidates if c > pos + 1e-9)
        if any(c > pos + 1e-9 for c in candidates)
        else pos + 1.0
    )
    return player.origin + nxt / player.speed
