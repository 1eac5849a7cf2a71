"""``yogaback history``, and what ``play`` needs to keep the journal: recording a session,
the pain check-ins, and finding where ``--resume`` picks up.

Everything that talks to the user about the journal lives here; ``journal.py`` only
stores. Questions are single key presses, always skippable, and never wait when stdin
is not a terminal.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from yogaback.errors import BadInput, YogabackError
from yogaback.journal.store import (
    Entry,
    Journal,
    JournalError,
    JournalReadOnly,
    JournalSink,
    age,
    file_digest,
    journal_path,
    local_now,
    open_journal,
)
from yogaback.practice.player import Player
from yogaback.practice.timeline import Timeline
from yogaback.screen.terminal import Bus, Keys, Terminated, new_bus, signals

BEFORE_QUESTION = "How does your upper back feel, 0–10?"
AFTER_QUESTION = "And now, how does your upper back feel, 0–10?"
PAIN_HELP = "0 no pain … 10 worst; press a number, or Enter to skip"
PROMPT_TIMEOUT = 120.0
"""Seconds a question waits for a key before it counts as skipped."""
TEN_WAIT = 0.8
"""After '1', how long to wait for a '0' (so '10' can be typed)."""
SKIP_KEYS = frozenset({"enter", "space", "escape", "s", "q", "Q", "backspace"})
STALE_AFTER = timedelta(days=1)
"""``--resume`` asks before continuing a session older than this."""
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
    "file_hash",
    "path",
)
"""Keys of each object in ``history --json`` and columns of ``--csv``, in order."""


class PromptStopped(YogabackError):
    """A signal arrived while a question was waiting; exits quietly with its code."""

    def __init__(self, code: int) -> None:
        self.exit_code = code
        super().__init__("")


# --- messages -------------------------------------------------------------------------------


def warn(text: str, stream: IO[str] | None = None) -> None:
    """A notice about the journal on stderr (never in the middle of the live screen)."""
    stream = sys.stderr if stream is None else stream
    stream.write("".join(f"yogaback: {line}\n" for line in text.splitlines()))
    stream.flush()


def ago(delta: timedelta) -> str:
    """``just now``, ``5 minutes ago``, ``yesterday``, ``3 days ago``."""
    seconds = delta.total_seconds()
    if seconds < 90:
        return "just now"
    if seconds < 3600:
        return f"{round(seconds / 60)} minutes ago"
    if seconds < 2 * 3600:
        return "an hour ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} hours ago"
    days = int(seconds // 86400)
    return "yesterday" if days == 1 else f"{days} days ago"


def minutes_text(seconds: float) -> str:
    """``0:45``, ``12:05``: routine time as the summary shows it."""
    from yogaback.durations import clock

    return clock(seconds)


# --- single-key questions ------------------------------------------------------------------


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def _read_key(bus: Bus, deadline: float) -> str | None:
    """The next key press on ``bus`` before ``deadline`` (a monotonic time), else None."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        event = bus.get(left)
        if event is not None and event[0] == "key":
            return event[1]


def _ask(
    question: str,
    decide: Any,
    *,
    bus: Bus | None,
    stdin: Any,
    out: IO[str],
    timeout: float,
) -> Any:
    """Write ``question`` and feed key presses to ``decide(key, bus, deadline)`` until it
    returns something other than ``...``. With ``bus``, keys come from a ``Keys`` reader
    already running; without, one is started on ``stdin`` (and SIGTERM/SIGHUP end it)."""
    out.write(question)
    out.flush()

    def loop(keys_bus: Bus) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            key = _read_key(keys_bus, deadline)
            if key is None:
                return None
            answer = decide(key, keys_bus, deadline)
            if answer is not ...:
                return answer

    try:
        if bus is not None:
            return loop(bus)
        own = new_bus()
        try:
            with signals(own), Keys(own, stdin) as keys:
                if not keys.active:
                    return None
                return loop(own)
        except Terminated as exc:
            out.write("\n")
            raise PromptStopped(128 + exc.signum) from None
    except KeyboardInterrupt:
        out.write("\n")
        out.flush()
        raise


def ask_pain(
    question: str,
    *,
    bus: Bus | None = None,
    stdin: Any = None,
    out: IO[str] | None = None,
    timeout: float = PROMPT_TIMEOUT,
) -> int | None:
    """Ask for a 0–10 rating with one key press ('1' then '0' within a moment gives 10).
    Enter, space, Esc, s or q skip. Returns None at once when stdin is not a terminal
    (unless ``bus`` is given: keys from a ``Keys`` reader the caller runs)."""
    stdin = sys.stdin if stdin is None else stdin
    out = sys.stdout if out is None else out
    if bus is None and not _is_tty(stdin):
        return None

    def decide(key: str, keys: Bus, deadline: float) -> int | object | None:
        if key in SKIP_KEYS:
            return None
        if len(key) == 1 and key.isdigit():
            value = int(key)
            if value == 1:
                more = _read_key(keys, min(deadline, time.monotonic() + TEN_WAIT))
                if more == "0":
                    value = 10
            return value
        return ...

    answer: int | None = _ask(
        f"{question} ({PAIN_HELP}) ", decide, bus=bus, stdin=stdin, out=out, timeout=timeout
    )
    out.write(f"{answer}\n" if answer is not None else "skipped\n")
    out.flush()
    return answer


def ask_choice(
    question: str,
    choices: dict[str, str],
    default: str,
    *,
    stdin: Any = None,
    out: IO[str] | None = None,
    timeout: float = PROMPT_TIMEOUT,
) -> str:
    """One key from ``choices`` (key -> answer); Enter gives ``default``. Returns
    ``default`` at once, without asking, when stdin is not a terminal."""
    stdin = sys.stdin if stdin is None else stdin
    out = sys.stdout if out is None else out
    if not _is_tty(stdin):
        return default

    def decide(key: str, keys: Bus, deadline: float) -> str | object:
        if key == "enter":
            return default
        if key == "escape" and "q" in choices:
            return choices["q"]
        return choices.get(key.lower(), ...)

    answer: str | None = _ask(
        question + " ", decide, bus=None, stdin=stdin, out=out, timeout=timeout
    )
    answer = default if answer is None else answer
    out.write(f"{answer}\n")
    out.flush()
    return answer


# --- --resume ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResumePlan:
    """Where ``play --resume`` starts. ``part`` None: from the beginning (the user said so)."""

    entry: Entry
    part: int | None
    message: str

    @property
    def minutes(self) -> float | None:
        return self.entry.minutes

    @property
    def pace(self) -> float | None:
        return self.entry.pace

    @property
    def resumed_from(self) -> int | None:
        return self.entry.id if self.part is not None else None


def plan_resume(
    journal: Journal,
    key: str,
    arg: str,
    path: Path,
    *,
    now: datetime | None = None,
    stdin: Any = None,
    out: IO[str] | None = None,
) -> ResumePlan:
    """The last unfinished session of routine ``key``, and whether to continue it. Asks
    first (one key) if that session is more than a day old; never waits without a terminal.
    Raises ``BadInput`` (kindly) when there is nothing to resume, ``PromptStopped`` on q."""
    entry = journal.last_unfinished(key)
    if entry is None:
        latest = journal.recent(1, routine=key)
        if not latest:
            raise BadInput(
                f"there is no session of {arg} to resume yet. To start one: yogaback play {arg}"
            )
        when = ago(age(latest[0], now))
        raise BadInput(
            f"your last session of {arg} ({when}) went all the way to the end, so there is "
            f"nothing to resume. To play it again: yogaback play {arg}"
        )
    old = age(entry, now)
    where = f"part {entry.part} of {entry.parts}"
    changed = entry.file_hash is not None and file_digest(path) not in (None, entry.file_hash)
    note = (
        f"\n(The routine file has changed since then, so part {entry.part} may be another pose.)"
        if changed
        else ""
    )
    if old > STALE_AFTER:
        answer = ask_choice(
            f"Your last session of {arg} stopped at {where}, {ago(old)}. "
            "Continue from there? [Y]es · [n]o, from the beginning · [q]uit",
            {"y": "yes", "n": "no", "q": "quit"},
            "yes",
            stdin=stdin,
            out=out,
        )
        if answer == "quit":
            raise PromptStopped(0)
        if answer == "no":
            return ResumePlan(entry, None, f"Starting {arg} from the beginning.")
    return ResumePlan(
        entry, entry.part, f"Continuing {arg} at {where}, where you stopped {ago(old)}.{note}"
    )


# --- recording a session (used by play) -------------------------------------------------------


def open_for_play(path: Path | None = None) -> Journal | None:
    """The journal, or None (with a notice) when it cannot be used: playing never fails
    because of the journal."""
    try:
        journal = open_journal(path)
    except JournalReadOnly as exc:
        warn(f"{exc}, so this session will not be recorded in your history.")
        return None
    except JournalError as exc:
        warn(f"{exc}\nThis session will not be recorded in your history.")
        return None
    if journal.notice:
        warn(journal.notice)
    return journal


@dataclass
class Recording:
    """A session being written to the journal: its row id and the sink that keeps it current."""

    journal: Journal
    session: int
    sink: JournalSink

    def finish(self, player: Player, ended_by: str | None = None) -> None:
        """After the session: write its end (flushing the writer). A session that never
        started (quit on the safety screen) is removed again. ``ended_by``: how a session
        still playing ended (``interrupt`` when its output pipe closed); without it, such
        a session stays unfinished, as after a crash."""
        self.sink.close(player, ended_by=ended_by)
        try:
            if player.status == "ready":
                self.journal.discard(self.session)
        except JournalError as exc:
            self.sink.error = self.sink.error or str(exc)
        if self.sink.error:
            warn(f"the journal could not be fully updated: {self.sink.error}")

    def pain_after(self, value: int | None) -> None:
        if value is None:
            return
        try:
            self.journal.set_pain(self.session, after=value)
        except JournalError as exc:
            warn(str(exc))


def start_recording(
    journal: Journal | None,
    *,
    key: str,
    path: Path,
    title: str,
    timeline: Timeline,
    minutes: float | None,
    pace: float | None,
    speed: float,
    pain_before: int | None = None,
    resumed_from: int | None = None,
) -> Recording | None:
    """Insert the session's row and make the sink that updates it; None without a journal."""
    if journal is None:
        return None
    try:
        session = journal.begin_session(
            key,
            title=title,
            path=str(path.resolve()),
            file_hash=file_digest(path),
            planned_seconds=timeline.total,
            parts=len(timeline.parts) + timeline.skipped,
            start_part=timeline.skipped + 1,
            minutes=minutes,
            pace=pace,
            speed=speed,
            pain_before=pain_before,
            resumed_from=resumed_from,
        )
    except JournalError as exc:
        warn(f"{exc}\nThis session will not be recorded in your history.")
        return None
    return Recording(journal, session, JournalSink(journal, session))


# --- yogaback history ----------------------------------------------------------------------


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
    "stopped": "stopped",
    "interrupted": "interrupted",
    "unfinished": "cut short",
}


def render_table(entries: Sequence[Entry], today: datetime | None = None) -> Any:
    from rich.table import Table

    today = local_now() if today is None else today
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    for name, justify in (
        ("when", "left"),
        ("routine", "left"),
        ("practised", "right"),
        ("planned", "right"),
        ("part", "right"),
        ("", "left"),
        ("pain", "left"),
        ("note", "left"),
    ):
        table.add_column(name, justify=justify, no_wrap=name != "note")  # type: ignore[arg-type]
    for e in entries:
        table.add_row(
            _when(e.started_at, today),
            _routine_label(e),
            minutes_text(e.practised_seconds),
            minutes_text(e.planned_seconds),
            f"{e.part}/{e.parts}",
            STATE_WORDS[e.state],
            _pain(e),
            e.note or "",
        )
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


def load_entries(limit: int | None, routine: str | None = None) -> list[Entry]:
    """Sessions for ``history``/``stats``, newest first. A missing journal is an empty one
    (it is not created just to be read); one in a folder that cannot be written is read
    as it is. A link in its place is an error (it is never followed)."""
    path = journal_path()
    if not os.path.lexists(path):
        return []
    with open_journal(path, for_reading=True) as journal:
        if journal.notice:
            warn(journal.notice)
        return journal.recent(limit, routine=routine)


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
