"""``yogaback list``: every routine found, with its length, or why it is broken."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from yogaback.catalog import Entry, discover, user_dir
from yogaback.commands.output import out
from yogaback.durations import clock
from yogaback.errors import RoutineError
from yogaback.routine_format import load_routine
from yogaback.timeline import compile_timeline


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
        }
        if self.error:
            data["error"] = self.error
        return data


def row(entry: Entry) -> Row:
    try:
        routine = load_routine(entry.path)
    except RoutineError as exc:
        return Row(entry.name, entry.path, entry.source, False, error=str(exc.problems[0]))
    total = compile_timeline(routine).total
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
    )


def run(as_json: bool) -> None:
    rows = [row(e) for e in discover()]
    if as_json:
        print(json.dumps([r.as_json() for r in rows], indent=2, ensure_ascii=False))
        return
    table = Table(title="Routines", title_justify="left", expand=False)
    for heading in ("name", "title", "length", "style", "level", "props", "where"):
        table.add_column(heading, overflow="fold", no_wrap=heading in ("name", "length"))
    for r in rows:
        where = "built-in" if r.source == "built-in" else str(r.path)
        if r.valid:
            table.add_row(
                r.name,
                r.title,
                clock(r.total_seconds or 0),
                r.style or "",
                r.level or "",
                ", ".join(r.props),
                where,
            )
        else:
            table.add_row(r.name, f"[red]broken:[/] {r.error}", "", "", "", "", where, style="dim")
    out().print(table)
    if not any(r.source == "user" for r in rows):
        out().print(
            f"Your own routines go in {user_dir()} — start one with 'yogaback new NAME'.",
            markup=False,
            style="dim",
        )
