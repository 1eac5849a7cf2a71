"""The practice journal: every session in one SQLite file, written as the session goes.

This module is one job, the file's schema and the ``Journal`` that reads and writes its
rows (hence its length); ``opening.py`` finds and opens the file safely, ``writer.py``
keeps a playing session's row current.

One row per session in ``$YOGABACK_HOME/journal.sqlite3`` (the platform's user data
folder by default). The row is inserted when the session begins, its progress
(practised routine seconds, the part reached) is updated every couple of seconds
by a background thread (``writer.py``), and it is closed when the session ends. So a crash, a
``kill -9`` or a power cut loses at most the last ``writer.PROGRESS_INTERVAL`` seconds of
that session, and SQLite's transactions keep every earlier entry whole.

- WAL mode, so readers (``history``, ``stats``) never block a session, and several
  sessions can write at once (each write is one short transaction; a busy database
  is waited for, up to ``BUSY_SECONDS``).
- ``synchronous=FULL`` on the journal's own connection: each commit is on disk when it
  returns, so even a power cut keeps what was written. That costs an fsync per write,
  which is why progress is written on a background thread, never on the session loop.
- The schema version is SQLite's ``user_version``; ``MIGRATIONS[i]`` takes version ``i``
  to ``i + 1`` and runs in one transaction, so an older journal is brought forward on
  open and a failed migration leaves it as it was.
- Before anything is written, the file is identified through a read-only connection
  (``mode=ro``): a file that is not a readable SQLite database, fails ``PRAGMA
  quick_check``, or is an SQLite file of something else (other tables, or our
  ``user_version`` without our tables) is renamed aside untouched (never deleted) and a
  new journal started; ``Journal.notice`` says so.
- The journal and its -wal/-shm files are never links: yogaback refuses to write (or
  read) through one, and creates the file itself with ``O_NOFOLLOW``.
- In a folder yogaback cannot write to, ``history`` and ``stats`` still read the journal
  (read-only, or ``immutable=1`` when SQLite cannot share a WAL file there); ``play``
  goes on unrecorded.

Practised and planned seconds are *routine* seconds: at ``--speed 10`` a minute of
routine takes six real seconds and counts as sixty.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from yogaback.errors import YogabackError

FILE_NAME = "journal.sqlite3"
BUSY_SECONDS = 5.0
"""How long a write waits for another process's transaction before giving up."""
"""Actions written at once rather than at the next tick."""
ENDINGS = ("end", "quit", "interrupt", "terminate")

Wall = Callable[[], datetime]

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 0 -> 1: the sessions table.
    (
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            routine TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            path TEXT,
            file_hash TEXT,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            ended_at TEXT,
            ended_by TEXT CHECK (ended_by IN ('end', 'quit', 'interrupt', 'terminate')),
            planned_seconds REAL NOT NULL,
            practised_seconds REAL NOT NULL DEFAULT 0,
            part INTEGER NOT NULL,
            parts INTEGER NOT NULL,
            start_part INTEGER NOT NULL DEFAULT 1,
            completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
            minutes REAL,
            pace REAL,
            speed REAL NOT NULL DEFAULT 1,
            pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
            pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
            note TEXT,
            resumed_from INTEGER REFERENCES sessions (id)
        )
        """,
        "CREATE INDEX sessions_by_routine ON sessions (routine, id)",
    ),
    # 1 -> 2: previews (played at a --speed other than 1) are marked, and a session that
    # reached the end having practised under SKIPPED_BELOW of its planned time (pressing n
    # through it) is not counted as completed; ended_by 'end' still says it got there.
    (
        "ALTER TABLE sessions ADD COLUMN preview INTEGER NOT NULL DEFAULT 0 "
        "CHECK (preview IN (0, 1))",
        "UPDATE sessions SET preview = 1 WHERE speed != 1",
        "UPDATE sessions SET completed = 0 "
        "WHERE completed = 1 AND practised_seconds < planned_seconds * 0.5",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
SKIPPED_BELOW = 0.5
"""A session that reaches the end with less than this share of its planned routine time
practised was skipped through, not completed (the 0.5 in migration 2 is the same rule)."""

_COLUMNS = (
    "id, routine, title, path, file_hash, started_at, updated_at, ended_at, ended_by, "
    "planned_seconds, practised_seconds, part, parts, start_part, completed, minutes, pace, "
    "speed, pain_before, pain_after, note, resumed_from, preview"
)


class JournalError(YogabackError):
    """The journal cannot be used (locked for too long, unwritable, from a newer version)."""


class JournalReadOnly(JournalError):
    """The journal's folder (or the file) cannot be written to; reading may still work."""


def journal_path() -> Path:
    from yogaback.routine.catalog import home

    return home() / FILE_NAME


def file_digest(path: Path) -> str | None:
    """SHA-256 of a routine file, to notice later that it has changed; None if unreadable."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def routine_key(arg: str, path: Path) -> str:
    """How a routine is identified in the journal: its name, or a file's absolute path."""
    from yogaback.routine.catalog import looks_like_path

    return str(path.resolve()) if looks_like_path(arg) else arg


def local_now() -> datetime:
    return datetime.now().astimezone()


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Entry:
    """One recorded session. Times are aware datetimes in the offset they were recorded in;
    ``part`` is the routine's 1-based part number reached (as ``--start-at`` counts)."""

    id: int
    routine: str
    title: str
    path: str | None
    file_hash: str | None
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None
    ended_by: str | None
    planned_seconds: float
    practised_seconds: float
    part: int
    parts: int
    start_part: int
    completed: bool
    minutes: float | None
    pace: float | None
    speed: float
    pain_before: int | None
    pain_after: int | None
    note: str | None
    resumed_from: int | None
    preview: bool = False
    """Played at a ``--speed`` other than 1: kept, shown as a preview, left out of stats."""

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Entry:
        values = list(row)
        for i in (5, 6, 7):
            values[i] = datetime.fromisoformat(values[i]) if values[i] else None
        values[14] = bool(values[14])
        values[22] = bool(values[22])
        return cls(*values)

    @property
    def last_seen(self) -> datetime:
        """When this session was last heard of: its end, or its last progress write."""
        return self.ended_at or self.updated_at

    @property
    def state(self) -> str:
        """``completed``, ``skipped`` (reached the end, but mostly by skipping: see
        ``SKIPPED_BELOW``), ``stopped`` (quit), ``interrupted`` (Ctrl-C, a signal) or
        ``unfinished`` (never closed: a crash, a kill, a power cut — or still playing)."""
        if self.completed:
            return "completed"
        if self.ended_by == "end":
            return "skipped"
        return {"quit": "stopped", "interrupt": "interrupted", "terminate": "interrupted"}.get(
            self.ended_by or "", "unfinished"
        )

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        for key in ("started_at", "updated_at", "ended_at"):
            value = record[key]
            record[key] = value.isoformat() if value is not None else None
        record["practised_seconds"] = round(self.practised_seconds, 1)
        record["planned_seconds"] = round(self.planned_seconds, 1)
        record["state"] = self.state
        return record


# --- the journal ------------------------------------------------------------------------------


class Journal:
    """An open journal. Safe to share between threads (one lock around the connection)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, wall: Wall = local_now) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self.path = path
        self.wall = wall
        self.notice: str | None = None
        """Something the user should be told about opening the journal (a file moved aside)."""
        self.moved_aside: Path | None = None
        self.read_only = False
        """Opened where it cannot be written (``history`` on a read-only folder)."""
        self.empty = False
        """A read-only database with no sessions table yet: no sessions."""

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise JournalError(f"the journal {self.path}: {exc}") from None

    def _now(self, at: datetime | None) -> str:
        return _stamp(at if at is not None else self.wall())

    # --- writing ----------------------------------------------------------------------

    def begin_session(
        self,
        routine: str,
        *,
        planned_seconds: float,
        parts: int,
        title: str = "",
        path: str | None = None,
        file_hash: str | None = None,
        start_part: int = 1,
        minutes: float | None = None,
        pace: float | None = None,
        speed: float = 1.0,
        pain_before: int | None = None,
        resumed_from: int | None = None,
        started_at: datetime | None = None,
    ) -> int:
        """Record that a session starts now; returns its id."""
        stamp = self._now(started_at)
        with self._db() as db:
            cursor = db.execute(
                "INSERT INTO sessions (routine, title, path, file_hash, started_at, updated_at, "
                "planned_seconds, practised_seconds, part, parts, start_part, minutes, pace, "
                "speed, pain_before, resumed_from, preview) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    routine,
                    title,
                    path,
                    file_hash,
                    stamp,
                    stamp,
                    planned_seconds,
                    start_part,
                    parts,
                    start_part,
                    minutes,
                    pace,
                    speed,
                    pain_before,
                    resumed_from,
                    int(speed != 1),
                ),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def progress(
        self, session: int, practised: float, part: int, at: datetime | None = None
    ) -> None:
        """How far a running session has got. Ignored once the session is finished."""
        with self._db() as db:
            db.execute(
                "UPDATE sessions SET practised_seconds = ?, part = ?, updated_at = ? "
                "WHERE id = ? AND ended_at IS NULL",
                (practised, part, self._now(at), session),
            )

    def finish(
        self,
        session: int,
        *,
        completed: bool,
        practised: float,
        part: int,
        ended_by: str,
        at: datetime | None = None,
    ) -> None:
        """Close a session: how it ended, how much was practised, the part reached. A session
        that reached the end having practised less than ``SKIPPED_BELOW`` of its planned time
        is recorded as not completed (``state`` says ``skipped``)."""
        if ended_by not in ENDINGS:
            raise ValueError(f"ended_by must be one of {ENDINGS}")
        stamp = self._now(at)
        with self._db() as db:
            db.execute(
                "UPDATE sessions SET practised_seconds = ?, part = ?, "
                "completed = (? AND ? >= planned_seconds * ?), "
                "ended_by = ?, ended_at = ?, updated_at = ? WHERE id = ? AND ended_at IS NULL",
                (
                    practised,
                    part,
                    int(completed),
                    practised,
                    SKIPPED_BELOW,
                    ended_by,
                    stamp,
                    stamp,
                    session,
                ),
            )

    def set_pain(
        self, session: int, *, before: int | None = None, after: int | None = None
    ) -> None:
        """Store check-in answers (0–10); None leaves a value as it is."""
        for value in (before, after):
            if value is not None and not 0 <= value <= 10:
                raise ValueError("pain is 0 to 10")
        with self._db() as db:
            db.execute(
                "UPDATE sessions SET pain_before = coalesce(?, pain_before), "
                "pain_after = coalesce(?, pain_after) WHERE id = ?",
                (before, after, session),
            )

    def set_note(self, session: int, note: str | None) -> None:
        with self._db() as db:
            db.execute("UPDATE sessions SET note = ? WHERE id = ?", (note, session))

    def discard(self, session: int) -> bool:
        """Forget a session that never got going (quit on the safety screen). Only removes
        a session with nothing practised and no end; True if it was removed."""
        with self._db() as db:
            cursor = db.execute(
                "DELETE FROM sessions WHERE id = ? AND practised_seconds = 0 AND ended_at IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM sessions AS s WHERE s.resumed_from = sessions.id)",
                (session,),
            )
            return cursor.rowcount > 0

    # --- reading ----------------------------------------------------------------------

    def get(self, session: int) -> Entry | None:
        with self._db() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM sessions WHERE id = ?", (session,)).fetchone()
        return Entry.from_row(row) if row else None

    def recent(self, limit: int | None = 20, routine: str | None = None) -> list[Entry]:
        """The latest sessions, newest first (``limit=None``: all of them)."""
        if self.empty:
            return []
        args: list[object] = []
        where = ""
        if routine is not None:
            where = "WHERE routine = ?"
            args.append(routine)
        sql = f"SELECT {_COLUMNS} FROM sessions {where} ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._db() as db:
            rows = db.execute(sql, args).fetchall()
        return [Entry.from_row(r) for r in rows]

    def sessions(self) -> list[Entry]:
        """Every session, oldest first."""
        return list(reversed(self.recent(None)))

    def last_unfinished(self, routine: str) -> Entry | None:
        """The routine's latest session if it did not reach the end (so it can be resumed).
        None when there is none, or when the latest one was completed."""
        latest = self.recent(1, routine=routine)
        if latest and not latest[0].completed:
            return latest[0]
        return None

    def integrity(self) -> str:
        with self._db() as db:
            return "; ".join(str(r[0]) for r in db.execute("PRAGMA integrity_check"))

    def schema_version(self) -> int:
        with self._db() as db:
            return int(db.execute("PRAGMA user_version").fetchone()[0])


def age(entry: Entry, now: datetime | None = None) -> timedelta:
    """How long ago the session was last heard of."""
    now = local_now() if now is None else now
    return now - entry.last_seen
