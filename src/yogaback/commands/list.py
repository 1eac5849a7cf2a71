"""``yogaback list``: every routine found, with its length, or why it is broken."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from yogaback.commands.output import out
from yogaback.durations import clock
from yogaback.errors import RoutineError, YogabackError
from yogaback.practice.timeline import compile_timeline
from yogaback.routine.catalog import (
    SUFFIXES,
    Entry,
    builtin_dir,
    discover,
    strays,
    suggest_name,
    user_dir,
)
from yogaback.routine.load import load_routine

WIDE = 100
"""From this many columns, style, level and props get columns of their own."""


@dataclass(frozen=True)
class Row:
    name: str
    path: Path
    source: str
    valid: bool
    title: str | None = None
    total_seconds: float | None = None
    style: str | None = None
    level: str | None = None
    props: tuple[str, ...] = ()
    error: str | None = None
    hint: str | None = None
    shadows: bool = False

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "name": self.name,
            "title": self.title,
            "total_seconds": round(self.total_seconds, 1)
            if self.total_seconds is not None
            else None,
            "path": str(self.path),
            "source": self.source,
            "valid": self.valid,
            "style": self.style,
            "level": self.level,
            "props": list(self.props),
            "shadows_builtin": self.shadows,
        }
        if self.error:
            data["error"] = self.error
            data["hint"] = self.hint
        return data


def row(entry: Entry, shadows: bool = False) -> Row:
    try:
        routine = load_routine(entry.path)
        total = compile_timeline(routine).total
    except RoutineError as exc:
        first = exc.problems[0]
        problem = f"{first.path}:{first.line}:{first.column}: {first.message}"
        return Row(
            entry.name,
            entry.path,
            entry.source,
            False,
            error=problem,
            hint=first.hint,
            shadows=shadows,
        )
    except YogabackError as exc:
        return Row(entry.name, entry.path, entry.source, False, error=str(exc), shadows=shadows)
    return Row(
        entry.name,
        entry.path,
        entry.source,
        True,
        routine.title,
        total,
        routine.style,
        routine.level,
        routine.props,
        shadows=shadows,
    )


def stray(path: Path) -> Row:
    """A user file no name can reach: listed as broken, with the rename that fixes it."""
    return Row(
        path.stem,
        path,
        "user",
        False,
        error=f"{path}:1:1: '{path.stem}' is not a usable routine name",
        hint=f"rename the file to {suggest_name(path.stem)}{path.suffix} "
        "(lower-case letters, digits, '-' and '_')",
    )


def rows() -> list[Row]:
    entries = discover()
    builtin = {p.stem for p in _files(builtin_dir())}
    found = [row(e, shadows=e.source == "user" and e.name in builtin) for e in entries]
    found += [stray(p) for p in strays()]
    # the user's own first (broken or not), by file name; then the built-in ones
    return sorted(found, key=lambda r: (r.source != "user", r.path.name))


def _files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.suffix in SUFFIXES]
    except OSError:
        return []


def _where(r: Row) -> str:
    if r.source == "built-in":
        return "built-in"
    return "yours\n(replaces built-in)" if r.shadows else "yours"


def _facts(r: Row) -> str:
    facts = [x for x in (r.style, r.level) if x]
    if r.props:
        facts.append("props: " + ", ".join(r.props))
    return " · ".join(facts)


def _broken(r: Row) -> Text:
    text = Text("broken: ", style="bold red")
    error = r.error or ""
    folder = f"{r.path.parent}{os.sep}"
    text.append(error.removeprefix(folder))  # the folder is in the footer
    if r.hint:
        text.append(f"\nhint: {r.hint}", style="dim")
    return text


def table(found: list[Row], width: int) -> Table:
    wide = width >= WIDE
    grid = Table(title="Routines", title_justify="left", expand=False)
    grid.add_column("name", no_wrap=True)
    grid.add_column("title", overflow="fold", ratio=3)
    grid.add_column("length", justify="right", no_wrap=True)
    if wide:
        grid.add_column("style", no_wrap=True)
        grid.add_column("level", no_wrap=True)
        grid.add_column("props", overflow="fold", ratio=1)
    grid.add_column("where", overflow="fold", ratio=1 if wide else None)
    for r in found:
        if not r.valid:
            cells = [Text(r.name), _broken(r), Text("")]
            cells += [Text("")] * 3 if wide else []
            grid.add_row(*cells, Text(_where(r)))
            continue
        title = Text(r.title or "")
        if wide:
            cells = [
                Text(r.name),
                title,
                Text(clock(r.total_seconds or 0)),
                Text(r.style or ""),
                Text(r.level or ""),
                Text(", ".join(r.props)),
            ]
        else:
            if _facts(r):
                title.append("\n" + _facts(r), style="dim")
            cells = [Text(r.name), title, Text(clock(r.total_seconds or 0))]
        grid.add_row(*cells, Text(_where(r)))
    return grid


def run(as_json: bool) -> None:
    found = rows()
    if as_json:
        print(json.dumps([r.as_json() for r in found], indent=2, ensure_ascii=False))
        return
    console = out()
    console.print(table(found, console.width))
    folder = str(user_dir())
    if any(r.source == "user" for r in found):
        _say_where(console, "Yours are in", folder)
    else:
        _say_where(
            console, "Your own routines go in", folder, "— start one with 'yogaback new NAME'."
        )


def _say_where(console: Console, lead: str, folder: str, after: str = "") -> None:
    """A sentence naming a folder. A path is never broken across lines (it could not be
    copied), so when the sentence would not fit, the path gets a line of its own."""
    line = " ".join(t for t in (lead, folder, after) if t)
    if console.width and len(line) > console.width:
        line = "\n".join(t for t in (lead, "  " + folder, after) if t)
    console.print(line, markup=False, style="dim", soft_wrap=True)
