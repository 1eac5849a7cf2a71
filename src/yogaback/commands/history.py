"""``yogaback history``: the latest sessions as a table, JSON or CSV.

Recording a session lives in ``journal/recording.py``, ``--resume`` planning in
``journal/resume.py`` and the check-in questions in ``screen/prompts.py``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from yogaback.durations import clock
from yogaback.errors import BadInput
from yogaback.journal.opening import load_entries
from yogaback.journal.store import Entry, local_now

JSON_FIELDS = (
    "id",
    "routine",
    "title",
    "started_at",
    "ended_at",
    "practised_seconds",
    "planned_seconds",
    "completed",
    "state",
    "part",
    "parts",
    "start_part",
    "pain_before",
    "pain_after",
    "note",
    "minutes",
    "pace",
    "speed",
    "resumed_from",
    "preview",
    "file_hash",
    "path",
)
"""Keys of each object in ``history --json`` and columns of ``--csv``, in order."""


def record(entry: Entry) -> dict[str, Any]:
    data = entry.to_json()
    return {key: data[key] for key in JSON_FIELDS}


def _when(moment: datetime, today: datetime) -> str:
    if moment.year == today.year:
        return f"{moment:%a} {moment.day} {moment:%b %H:%M}"
    return f"{moment.day} {moment:%b %Y %H:%M}"


def _pain(entry: Entry) -> str:
    if entry.pain_before is None and entry.pain_after is None:
        return ""
    before = "–" if entry.pain_before is None else str(entry.pain_before)
    after = "–" if entry.pain_after is None else str(entry.pain_after)
    return f"{before} → {after}"


def _routine_label(entry: Entry) -> str:
    return (
        Path(entry.routine).name if "/" in entry.routine or "\\" in entry.routine else entry.routine
    )


STATE_WORDS = {
    "completed": "done",
    "skipped": "skipped through",
    "stopped": "stopped",
    "interrupted": "interrupted",
    "unfinished": "cut short",
}


def render_table(entries: Sequence[Entry], today: datetime | None = None) -> Any:
    from rich.table import Table

    today = local_now() if today is None else today
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    rows = [
        [
            _when(e.started_at, today),
            _routine_label(e),
            clock(e.practised_seconds),
            clock(e.planned_seconds),
            f"{e.part}/{e.parts}",
            STATE_WORDS[e.state] + (f", preview ×{e.speed:g}" if e.preview else ""),
            _pain(e),
            e.note or "",
        ]
        for e in entries
    ]
    # Numbers, times and the part never wrap; on a narrow terminal the words (routine,
    # how it ended, the note) wrap instead of every column being cut to '…'. A column
    # nobody has filled in (no check-ins, no notes) is left out, giving its room away.
    columns = (
        ("when", "left", True),
        ("routine", "left", False),
        ("practised", "right", True),
        ("planned", "right", True),
        ("part", "right", True),
        ("", "left", False),
        ("pain", "left", True),
        ("note", "left", False),
    )
    shown = [i for i, (name, _, _) in enumerate(columns) if name not in ("pain", "note")]
    shown += [i for i in (6, 7) if any(row[i] for row in rows)]
    for i in shown:
        name, justify, keep = columns[i]
        table.add_column(name, justify=justify, no_wrap=keep)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(row[i] for i in shown))
    return table


def write_csv(entries: Sequence[Entry], stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(JSON_FIELDS)
    for entry in entries:
        row = record(entry)
        writer.writerow(
            [
                ("true" if v else "false") if isinstance(v, bool) else ("" if v is None else v)
                for v in row.values()
            ]
        )


def run(
    *,
    limit: int | None = None,
    as_json: bool = False,
    as_csv: bool = False,
    routine: str | None = None,
) -> None:
    """``yogaback history``: the latest sessions, newest first (``limit`` 0: all; by default
    20 in the table and all of them with ``--json``/``--csv``)."""
    from yogaback.commands.output import out

    if as_json and as_csv:
        raise BadInput("choose one of --json and --csv")
    if limit is not None and limit < 0:
        raise BadInput("--limit must be 0 (all) or more")
    if routine is not None:
        from yogaback.routine.catalog import looks_like_path

        if looks_like_path(routine):
            routine = str(Path(routine).resolve())  # files are kept by their absolute path
    wanted = limit if limit else None
    if limit is None and not (as_json or as_csv):
        wanted = 20
    entries = load_entries(wanted + 1 if wanted else None, routine)
    more = wanted is not None and len(entries) > wanted
    entries = entries[:wanted]
    if as_json:
        sys.stdout.write(json.dumps([record(e) for e in entries], indent=2, ensure_ascii=False))
        sys.stdout.write("\n")
        return
    if as_csv:
        write_csv(entries, sys.stdout)
        return
    console = out()
    if not entries:
        which = f"of {routine} " if routine else ""
        console.print(
            f"No sessions {which}recorded yet. When you are ready: yogaback play upper-back",
            markup=False,
        )
        return
    console.print(render_table(entries))
    if more:
        console.print(
            f"\nThe latest {len(entries)} sessions. All of them: yogaback history --limit 0",
            markup=False,
            style="dim",
        )
