"""``yogaback show``: a preview of exactly what ``play`` will do with the same options."""

from __future__ import annotations

import shlex

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from yogaback.commands.output import out
from yogaback.durations import clock, plural
from yogaback.practice.timeline import PartInfo, Timeline, compile_timeline
from yogaback.routine.catalog import resolve
from yogaback.routine.load import load_routine
from yogaback.routine.model import Routine

WIDE = 100
"""From this many columns, each part is one table row; below, the cue goes on a line of its own."""


def amount(part: PartInfo) -> str:
    if part.kind == "duration":
        return f"{clock(part.count)} hold"
    word = "breath" if part.kind == "breaths" else "rep"
    suffix = " each side" if part.side == "alternate" else ""
    return plural(int(part.count), word) + suffix


def header(routine: Routine, timeline: Timeline) -> Group:
    lines: list[RenderableType] = [Text(routine.title, style="bold")]
    if routine.summary:
        lines.append(Text(routine.summary))
    facts = [f"{clock(timeline.total)} total", plural(len(timeline.parts), "part")]
    facts += [x for x in (routine.style, routine.level) if x]
    if routine.props:
        facts.append("props: " + ", ".join(routine.props))
    lines.append(Text(" · ".join(facts), style="dim"))
    if routine.sounds:
        own = (
            f"{event} {'off' if choice.path is None else choice.path.name}"
            for event, choice in routine.sounds.items()
        )
        lines.append(Text("own sounds: " + ", ".join(own), style="dim"))
    if routine.safety:
        lines.append(Text("Before you start:", style="bold"))
        notes = Table.grid(padding=(0, 1))
        notes.add_column(no_wrap=True)
        notes.add_column()
        for note in routine.safety:
            notes.add_row(Text("  •"), Text(note))
        lines.append(notes)
    return Group(*lines)


def parts_table(timeline: Timeline, width: int = WIDE) -> Table:
    table = Table(expand=True, box=None, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("at", justify="right", no_wrap=True)
    table.add_column("length", justify="right", no_wrap=True)
    if width < WIDE:
        table.add_column("pose · side · how long / main cue", ratio=1)
        for p in timeline.parts:
            what = Text(p.name, style="bold")
            for fact in (p.side, amount(p)):
                if fact:
                    what.append(f" · {fact}")
            if p.cue:
                what.append(f"\n{p.cue}")
            table.add_row(Text(str(p.index + 1)), Text(clock(p.start)), Text(clock(p.length)), what)
        return table
    table.add_column("pose", ratio=2, overflow="fold")
    table.add_column("side", no_wrap=True)
    table.add_column("reps", no_wrap=True)
    table.add_column("cue", ratio=3, overflow="fold")
    for p in timeline.parts:
        table.add_row(
            *(
                Text(cell)
                for cell in (
                    str(p.index + 1),
                    clock(p.start),
                    clock(p.length),
                    p.name,
                    p.side or "",
                    amount(p),
                    p.cue,
                )
            )
        )
    return table


def play_command(arg: str, minutes: float | None, pace: float | None) -> str:
    """The ``yogaback play`` line that plays exactly what was previewed."""
    words = ["yogaback", "play", shlex.quote(arg)]
    if minutes is not None:
        words.append(f"--minutes {minutes:g}")
    if pace is not None:
        words.append(f"--pace {pace:g}")
    return " ".join(words)


def run(arg: str, *, minutes: float | None, pace: float | None) -> None:
    routine = load_routine(resolve(arg))
    timeline = compile_timeline(routine, minutes=minutes, pace=pace)
    console = out()
    console.print(header(routine, timeline))
    console.print()
    console.print(parts_table(timeline, console.width))
    console.print()
    holding = sum(s.length for s in timeline.segments if s.phase != "transition")
    console.print(
        f"Total {clock(timeline.total)} — {clock(holding)} in poses, "
        f"{clock(timeline.total - holding)} moving between them.",
        markup=False,
    )
    console.print(f"Start with: {play_command(arg, minutes, pace)}", markup=False, soft_wrap=True)


def run_figures(arg: str) -> None:
    """Every pose's figure, labelled with the pose's name, breathed in beside breathed
    out: for checking at a glance that each one reads as its pose."""
    from yogaback.screen import figures

    routine = load_routine(resolve(arg))
    chosen = figures.for_routine(routine)
    shown = [(routine.poses[pid].name, figure, mirror) for pid, (figure, mirror) in chosen.items()]
    console = out()
    if not shown:
        console.print(f"{routine.title}: no pose has a figure.", markup=False)
        return
    width, height = 24, 12
    columns = max(1, (console.width + 4) // (2 * width + 3 + 4))
    console.print(Text(routine.title, style="bold"))
    console.print(
        Text(f"{len(shown)} figures · each breathed in │ breathed out", style="dim"),
    )
    console.print()
    console.print(
        figures.gallery(width, height, columns, chosen=shown), markup=False, highlight=False
    )
