"""``yogaback show``: a preview of exactly what ``play`` will do with the same options."""

from __future__ import annotations

import shlex
from collections import Counter

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from yogaback.commands.output import out
from yogaback.config import load as load_config
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
    if any(p.gentle for p in timeline.parts):
        facts.append("gentler forms")
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


def cue_of(part: PartInfo) -> str:
    """The cue column: the main cue, after the gentler form when that is what plays."""
    if part.gentle and part.gentler:
        return f"(gentler: {part.gentler}) {part.cue}".strip()
    return part.cue


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
            if cue_of(p):
                what.append(f"\n{cue_of(p)}")
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
                    cue_of(p),
                )
            )
        )
    return table


def play_command(
    arg: str, minutes: float | None, pace: float | None, gentle: bool | None = None
) -> str:
    """The ``yogaback play`` line that plays exactly what was previewed."""
    words = ["yogaback", "play", shlex.quote(arg)]
    if minutes is not None:
        words.append(f"--minutes {minutes:g}")
    if pace is not None:
        words.append(f"--pace {pace:g}")
    if gentle is not None:
        words.append("--gentle" if gentle else "--no-gentle")
    return " ".join(words)


def spoken(arg: str, timeline: Timeline, engine: str | None) -> tuple[Timeline, list[str]]:
    """``timeline`` as ``play --voice`` plays it (transitions as long as their get-ready
    words), and the lines that preview what is said when."""
    from yogaback.config import load
    from yogaback.errors import BadInput
    from yogaback.practice import speech
    from yogaback.sound.voice import Voice, VoiceUnavailable

    try:
        voice = Voice(engine=engine or load().voice_engine)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    except VoiceUnavailable as exc:
        return timeline, [f"voice: {exc}; nothing would be spoken"]
    timeline = speech.fit_speech(timeline, voice.length)
    clips = speech.plan(timeline, voice.length)
    if voice.failure:
        return timeline, [voice.failure]
    said = sum(c.length for c in clips)
    lines = [
        f"Spoken ({voice.engine}, about {voice.wpm or 0:.0f} words a minute): "
        f"{plural(len(clips), 'clip')}, {clock(said)} of speech, none overlapping:"
    ]
    lines += [f"  {clock(c.at):>6}  {c.length:4.1f} s  {c.text}" for c in clips]
    return timeline, lines


def run(
    arg: str,
    *,
    minutes: float | None,
    pace: float | None,
    gentle: bool | None = None,
    voice: bool = False,
    voice_engine: str | None = None,
) -> None:
    config = load_config({"gentle": gentle})
    routine = load_routine(resolve(arg))
    timeline = compile_timeline(routine, minutes=minutes, pace=pace, gentle=config.gentle)
    said: list[str] = []
    if voice:
        timeline, said = spoken(arg, timeline, voice_engine)
    console = out()
    console.print(header(routine, timeline))
    console.print()
    console.print(parts_table(timeline, console.width))
    console.print()
    if timeline.left_out:
        console.print(f"Left out to fit {minutes:g} minutes:", markup=False)
        for name, times in Counter(timeline.left_out).items():
            console.print(f"  • {name}" + (f" ({times}×)" if times > 1 else ""), markup=False)
        console.print()
    holding = sum(s.length for s in timeline.segments if s.phase != "transition")
    console.print(
        f"Total {clock(timeline.total)} — {clock(holding)} in poses, "
        f"{clock(timeline.total - holding)} moving between them.",
        markup=False,
    )
    for line in said:
        console.print(line, markup=False, soft_wrap=True)
    command = play_command(arg, minutes, pace, gentle) + (" --voice" if voice else "")
    console.print(f"Start with: {command}", markup=False, soft_wrap=True)


def run_figures(arg: str) -> None:
    """Every pose's figure, labelled with the pose's name, breathed in beside breathed
    out: for checking at a glance that each one reads as its pose."""
    from yogaback import figures

    routine = load_routine(resolve(arg))
    chosen = figures.for_routine(routine)
    shown = list(  # two poses of one name and figure (a dog and the step back to it): once
        {
            (routine.poses[pid].name, figure.name, mirror): (
                routine.poses[pid].name,
                figure,
                mirror,
            )
            for pid, (figure, mirror) in chosen.items()
        }.values()
    )
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
