"""``yogaback show``: a preview of exactly what ``play`` will do with the same options."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from yogaback.catalog import resolve
from yogaback.commands.output import out
from yogaback.durations import clock
from yogaback.model import Routine
from yogaback.routine_format import load_routine
from yogaback.timeline import PartInfo, Timeline, compile_timeline


def amount(part: PartInfo) -> str:
    if part.kind == "duration":
        return f"{clock(part.count)} hold"
    n = int(part.count)
    word = "breath" if part.kind == "breaths" else "rep"
    suffix = " each side" if part.side == "alternate" else ""
    return f"{n} {word}{'s' if n != 1 else ''}{suffix}"


def header(routine: Routine, timeline: Timeline) -> Group:
    lines = [Text(routine.title, style="bold")]
    if routine.summary:
        lines.append(Text(routine.summary))
    facts = [f"{clock(timeline.total)} total", f"{len(timeline.parts)} parts"]
    facts += [x for x in (routine.style, routine.level) if x]
    if routine.props:
        facts.append("props: " + ", ".join(routine.props))
    lines.append(Text(" · ".join(facts), style="dim"))
    if routine.safety:
        lines.append(Text("Before you start:", style="bold"))
        lines += [Text(f"  • {note}") for note in routine.safety]
    return Group(*lines)


def parts_table(timeline: Timeline) -> Table:
    table = Table(expand=True, box=None, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("at", justify="right", no_wrap=True)
    table.add_column("length", justify="right", no_wrap=True)
    table.add_column("pose", ratio=2)
    table.add_column("side", no_wrap=True)
    table.add_column("reps", no_wrap=True)
    table.add_column("cue", ratio=3)
    for p in timeline.parts:
        table.add_row(
            str(p.index + 1),
            clock(p.start),
            clock(p.length),
            p.name,
            p.side or "",
            amount(p),
            p.cue,
        )
    return table


def run(arg: str, *, minutes: float | None, pace: float | None) -> None:
    routine = load_routine(resolve(arg))
    timeline = compile_timeline(routine, minutes=minutes, pace=pace)
    console = out()
    console.print(header(routine, timeline))
    console.print()
    console.print(parts_table(timeline))
    console.print()
    holding = sum(s.length for s in timeline.segments if s.phase != "transition")
    console.print(
        f"Total {clock(timeline.total)} — {clock(holding)} in poses, "
        f"{clock(timeline.total - holding)} moving between them. "
        f"Start with: yogaback play {arg}" + (f" --minutes {minutes:g}" if minutes else ""),
        markup=False,
    )
