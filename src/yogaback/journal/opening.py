"""Opening the journal file safely: never through a link, a damaged or foreign file moved
aside (never deleted), an older schema migrated forward, a read-only folder read as it is.

``store.py`` describes the file and holds the ``Journal`` class; this finds the file,
identifies what it is before anything is written, and hands back an open ``Journal``.
One job, with many ways for a file to be wrong, hence its length.
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import stat
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from yogaback.journal import store
from yogaback.journal.notice import warn
from yogaback.journal.store import (
    MIGRATIONS,
    Entry,
    Journal,
    JournalError,
    JournalReadOnly,
    Wall,
    journal_path,
    local_now,
)


class _Corrupt(Exception):
    """The file is not a readable yogaback journal; it gets moved aside. ``saved`` holds its
    -wal/-shm files as they were: SQLite deletes them when the connection closes."""

    def __init__(self, reason: str, saved: dict[str, bytes] | None = None) -> None:
        super().__init__(reason)
        self.saved = saved or {}


COMPANIONS = ("-wal", "-shm")
SIDE_FILES = (*COMPANIONS, "-journal")
"""Files SQLite keeps beside the journal (``-journal`` only while switching to WAL)."""
NOT_OURS = "it is an SQLite file, but not a yogaback journal"
READ_ONLY = "its folder or the file is read-only"


def _companions(path: Path) -> dict[str, bytes]:
    saved: dict[str, bytes] = {}
    for suffix in COMPANIONS:
        with contextlib.suppress(OSError):
            saved[suffix] = Path(f"{path}{suffix}").read_bytes()
    return saved


def can_write(path: Path) -> bool:
    """Whether the journal at ``path`` can be written: its folder (SQLite keeps -wal/-shm
    files beside it) and, if it exists, the file. A read-only filesystem says no even to
    root. Tests replace this to play a read-only folder, since root may write anywhere."""
    if not os.access(path.parent, os.W_OK):
        return False
    return not os.path.lexists(path) or os.access(path, os.W_OK)


def open_journal(
    path: Path | None = None,
    *,
    migrations: Sequence[Sequence[str]] = MIGRATIONS,
    wall: Wall = local_now,
    for_reading: bool = False,
) -> Journal:
    """Open (creating if needed) and migrate the journal. A corrupt or foreign file is moved
    aside and a fresh journal started; ``Journal.notice`` then says where the old one went.
    Raises ``JournalError`` when the journal cannot be used at all, ``JournalReadOnly``
    when it cannot be written. ``for_reading``: an existing journal that cannot be written
    is opened read-only instead (nothing is migrated or moved then)."""
    path = journal_path() if path is None else path
    _refuse_links(path)
    if for_reading and path.parent.is_dir() and not can_write(path):
        return _open_read_only(path, migrations, wall)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(f"cannot create the folder for the journal {path}: {exc}") from None
    if not can_write(path):
        raise JournalReadOnly(f"the journal {path} cannot be written ({READ_ONLY})")
    try:
        return Journal(_connect_waiting(path, migrations), path, wall)
    except _Corrupt as exc:
        reason, saved = str(exc), exc.saved
    aside = _move_aside(path, wall(), saved)
    try:
        journal = Journal(_connect_waiting(path, migrations), path, wall)
    except _Corrupt as exc:  # pragma: no cover - a fresh file cannot be corrupt
        raise JournalError(f"cannot start a new journal at {path}: {exc}") from None
    if aside is not None:
        journal.notice = (
            f"Your practice journal {path} could not be read ({reason}).\n"
            f"It has been moved to {aside} — nothing was deleted — and a new journal "
            f"was started.\n"
            f"SQLite's tools may recover entries from the old file: sqlite3 {aside} .recover"
        )
        journal.moved_aside = aside
    return journal


def _refuse_links(path: Path) -> None:
    """A link in the journal's place is never followed: writing through it would change a
    file that is not ours (or create one wherever a dangling link points)."""
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SIDE_FILES)):
        if candidate.is_symlink():
            try:
                target = os.readlink(candidate)
            except OSError:  # pragma: no cover - it was a link a moment ago
                target = "?"
            raise JournalError(
                f"{candidate} is a symbolic link (to {target}); yogaback never writes its "
                "journal through a link, so it was left as it is. Remove or rename the link "
                "(or put the journal file itself there)."
            )


def _create_nofollow(path: Path) -> int:
    """Create the journal file if needed without following a link (one can appear between
    ``_refuse_links`` and SQLite's own open); the size of what is there."""
    flags = os.O_RDONLY | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        _refuse_links(path)  # ELOOP: say it is a link
        raise JournalError(f"cannot open the journal {path}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(info.st_mode):
        raise JournalError(f"the journal {path} is not a regular file; it was left as it is")
    return info.st_size


def _is_corrupt(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    if name:
        return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or name.startswith(
            ("SQLITE_CORRUPT_", "SQLITE_NOTADB_")
        )
    text = str(exc)
    return "not a database" in text or "malformed" in text  # pragma: no cover


def _is_busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


def _connect_waiting(path: Path, migrations: Sequence[Sequence[str]]) -> sqlite3.Connection:
    """``_connect``, tried again while another process holds the database. Needed because
    SQLite returns SQLITE_BUSY at once, without waiting, where waiting could deadlock:
    e.g. two processes switching a brand-new file to WAL mode at the same moment."""
    deadline = time.monotonic() + store.BUSY_SECONDS
    while True:
        try:
            return _connect(path, migrations)
        except _Busy as exc:
            if time.monotonic() >= deadline:
                raise JournalError(
                    f"the journal {path} stayed busy (is another yogaback writing to it?): {exc}"
                ) from None
            time.sleep(random.uniform(0.005, 0.05))


class _Busy(Exception):
    pass


def _connect(path: Path, migrations: Sequence[Sequence[str]]) -> sqlite3.Connection:
    if _create_nofollow(path) > 0:
        # Identify the file before anything can change it: switching to WAL mode, or even
        # opening it read-write, would rewrite a file that may not be ours.
        _identify(_read_only(path), path, migrations, close=True)
    _refuse_links(path)
    try:
        conn = sqlite3.connect(
            path, timeout=store.BUSY_SECONDS, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise JournalError(f"cannot open the journal {path}: {exc}") from None
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        _migrate(conn, path, migrations)
    except _Corrupt as exc:
        exc.saved = _companions(path)
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        _raise_for(exc, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _raise_for(exc: sqlite3.Error, path: Path, read_only: bool = False) -> NoReturn:
    if _is_corrupt(exc):
        raise _Corrupt(str(exc), _companions(path)) from None
    if _is_busy(exc):
        raise _Busy(str(exc)) from None
    verb = "read" if read_only else "use"
    raise JournalError(f"cannot {verb} the journal {path}: {exc}") from None


def _read_only(path: Path, immutable: bool = False) -> sqlite3.Connection:
    """A connection that cannot write to the file (SQLite may still add -shm/-wal files
    beside a WAL journal, as every reader does). ``immutable``: not even those, for a
    folder nobody can write to; SQLite then reads the file alone, without locks."""
    uri = path.absolute().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
    return sqlite3.connect(
        uri, uri=True, timeout=store.BUSY_SECONDS, isolation_level=None, check_same_thread=False
    )


def _tables(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    """Each table's name and column names (SQLite's own tables left out)."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: frozenset(
            row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", (name,))
        )
        for name in names
    }


def _expected_tables(
    migrations: Sequence[Sequence[str]], version: int
) -> dict[str, frozenset[str]]:
    """The tables a journal at schema ``version`` has: the migrations run on an empty
    in-memory database, so the answer can never drift from the migrations themselves."""
    conn = sqlite3.connect(":memory:")
    try:
        for step in migrations[:version]:
            for statement in step:
                conn.execute(statement)
        return _tables(conn)
    finally:
        conn.close()


def _identify(
    conn: sqlite3.Connection,
    path: Path,
    migrations: Sequence[Sequence[str]],
    *,
    close: bool = False,
    read_only: bool = False,
) -> int:
    """Check, without writing, that ``conn``'s file is a sound yogaback journal (or an empty
    database); its schema version. Raises ``_Corrupt`` for anything else, ``JournalError``
    for a journal from a newer yogaback."""
    try:
        # One snapshot: another yogaback may be creating the schema at this very moment.
        conn.execute("BEGIN")
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            check = [row[0] for row in conn.execute("PRAGMA quick_check")]
            tables = _tables(conn)
        finally:
            conn.execute("ROLLBACK")
        target = len(migrations)
        if version > target:
            raise JournalError(
                f"the journal {path} was written by a newer yogaback (schema version "
                f"{version}; this one knows up to {target}). Upgrade yogaback to use it; it "
                "was left as it is."
            )
        if check != ["ok"]:
            lines = [x.strip() for c in check for x in str(c).splitlines()]
            found = [x for x in lines if x and not x.startswith("***")][:2]
            raise _Corrupt("it fails SQLite's integrity check: " + "; ".join(found))
        expected = _expected_tables(migrations, version)
        if tables.keys() != expected.keys() or any(
            not expected[name] <= columns for name, columns in tables.items()
        ):
            raise _Corrupt(NOT_OURS)
        return version
    except _Corrupt as exc:
        exc.saved = _companions(path)
        raise
    except sqlite3.Error as exc:
        _raise_for(exc, path, read_only)
    finally:
        if close:
            conn.close()


def _open_read_only(path: Path, migrations: Sequence[Sequence[str]], wall: Wall) -> Journal:
    """The journal where it cannot be written: read as it is, never migrated or moved."""
    conn = _read_only(path)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        conn.close()
        if not getattr(exc, "sqlite_errorname", "").startswith(
            ("SQLITE_CANTOPEN", "SQLITE_READONLY")
        ):
            raise JournalReadOnly(_unreadable(path, str(exc))) from None
        # A WAL journal whose -shm file SQLite cannot create here: nobody can be writing it.
        conn = _read_only(path, immutable=True)
    try:
        version = _identify(conn, path, migrations, read_only=True)
        if 0 < version < len(migrations):
            raise JournalReadOnly(
                f"the journal {path} is from an older yogaback and needs updating, which "
                f"cannot be done here ({READ_ONLY})"
            )
    except _Corrupt as exc:
        conn.close()
        raise JournalReadOnly(_unreadable(path, str(exc))) from None
    except BaseException:
        conn.close()
        raise
    journal = Journal(conn, path, wall)
    journal.read_only = True
    journal.empty = version == 0
    return journal


def _unreadable(path: Path, reason: str) -> str:
    return (
        f"the journal {path} could not be read ({reason}), and cannot be moved aside "
        f"({READ_ONLY}); it was left as it is"
    )


def _migrate(conn: sqlite3.Connection, path: Path, migrations: Sequence[Sequence[str]]) -> None:
    target = len(migrations)
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == target:
        return
    if version > target:
        raise JournalError(
            f"the journal {path} was written by a newer yogaback (schema version {version}; "
            f"this one knows up to {target}). Upgrade yogaback to use it; it was left as it is."
        )
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])  # another process?
        if version == 0:
            tables = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            if tables:
                raise _Corrupt(NOT_OURS)
        for step in migrations[version:]:
            for statement in step:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {target:d}")
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


def _move_aside(path: Path, moment: datetime, saved: dict[str, bytes]) -> Path | None:
    """Rename the journal to ``NAME.corrupt-STAMP``, its -wal/-shm files beside it (written
    back from ``saved`` if SQLite removed them). None if another process already moved it."""
    stamp = moment.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise JournalError(
            f"the journal {path} cannot be read, and moving it aside failed: {exc}. "
            "Move or rename it yourself to start a new one."
        ) from None
    for suffix in COMPANIONS:
        companion, target = Path(f"{path}{suffix}"), Path(f"{aside}{suffix}")
        try:
            os.replace(companion, target)
        except FileNotFoundError:
            if saved.get(suffix):
                with contextlib.suppress(OSError):
                    target.write_bytes(saved[suffix])
        except OSError:
            pass
    return aside


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
