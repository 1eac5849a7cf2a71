"""The practice journal on real SQLite files in temporary folders: schema and migrations,
what is recorded, a corrupt file moved aside (never deleted), a session killed with
SIGKILL part-way (the journal is intact and shows the partial session), several
processes writing at once, and the sink that records a session as it plays.
"""

from __future__ import annotations

import hashlib
import os
import select
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from yogaback.journal import store as J
from yogaback.journal.opening import open_journal
from yogaback.journal.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Journal,
    JournalError,
)
from yogaback.journal.writer import JournalSink
from yogaback.practice.player import Player
from yogaback.practice.timeline import compile_timeline
from yogaback.routine.catalog import builtin_dir
from yogaback.routine.load import load_routine

TZ = timezone(timedelta(hours=2))
T0 = datetime(2024, 5, 20, 7, 30, tzinfo=TZ)
UPPER_BACK = builtin_dir() / "upper-back.yaml"


def wait_for(check: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.01)


def seed(journal: Journal, n: int = 3) -> list[int]:
    ids = []
    for k in range(n):
        at = T0 + timedelta(days=k)
        sid = journal.begin_session(
            "upper-back", title="Upper back", planned_seconds=1850.0, parts=31, started_at=at
        )
        journal.progress(sid, 300.0 + k, 5 + k, at=at + timedelta(minutes=5))
        journal.finish(
            sid,
            completed=True,
            practised=1850.0,
            part=31,
            ended_by="end",
            at=at + timedelta(minutes=31),
        )
        ids.append(sid)
    return ids


# --- schema ----------------------------------------------------------------------------------


def test_a_new_journal_is_a_wal_database_at_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "journal.sqlite3"
    with open_journal(path) as journal:
        assert journal.notice is None
        assert journal.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
        assert journal.integrity() == "ok"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_the_default_journal_lives_in_yogaback_home(yogaback_home: Path) -> None:
    assert J.journal_path() == yogaback_home / "journal.sqlite3"
    with open_journal() as journal:
        assert journal.path == yogaback_home / "journal.sqlite3"
    assert (yogaback_home / "journal.sqlite3").is_file()


def test_an_older_journal_is_migrated_forward_and_keeps_its_entries(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with open_journal(path) as journal:
        ids = seed(journal)
    newer = (*MIGRATIONS, ("ALTER TABLE sessions ADD COLUMN mood TEXT",))
    with open_journal(path, migrations=newer) as journal:
        assert journal.schema_version() == SCHEMA_VERSION + 1
        assert [e.id for e in journal.sessions()] == ids
        assert journal.integrity() == "ok"
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
    conn.close()
    assert "mood" in columns


def test_a_failing_migration_leaves_the_journal_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with open_journal(path) as journal:
        seed(journal)
    broken = (*MIGRATIONS, ("ALTER TABLE sessions ADD COLUMN ok TEXT", "THIS IS NOT SQL"))
    with pytest.raises(JournalError, match="cannot use the journal"):
        open_journal(path, migrations=broken)
    with open_journal(path) as journal:
        assert journal.schema_version() == SCHEMA_VERSION
        assert len(journal.sessions()) == 3
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_a_journal_from_a_newer_yogaback_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with open_journal(path) as journal:
        seed(journal)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(JournalError, match=r"newer yogaback \(schema version 99"):
        open_journal(path)
    assert not list(tmp_path.glob("*.corrupt-*"))
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 3
    conn.close()


# --- what is recorded -------------------------------------------------------------------------


def test_a_session_is_recorded_from_beginning_to_end(tmp_path: Path) -> None:
    with open_journal(tmp_path / "j.sqlite3") as journal:
        sid = journal.begin_session(
            "upper-back",
            title="Upper back",
            path="/x/upper-back.yaml",
            file_hash="abc",
            planned_seconds=900.0,
            parts=31,
            start_part=4,
            minutes=15.0,
            pace=10.0,
            speed=2.0,
            pain_before=6,
            started_at=T0,
        )
        entry = journal.get(sid)
        assert entry is not None
        assert (entry.part, entry.practised_seconds, entry.completed) == (4, 0.0, False)
        assert entry.ended_at is None and entry.state == "unfinished"
        journal.progress(sid, 120.5, 7, at=T0 + timedelta(minutes=1))
        journal.finish(
            sid,
            completed=False,
            practised=200.0,
            part=9,
            ended_by="quit",
            at=T0 + timedelta(minutes=2),
        )
        journal.progress(sid, 999.0, 30)  # too late: a finished session does not move
        journal.set_pain(sid, after=3)
        journal.set_note(sid, "shoulders tight")
        entry = journal.get(sid)
    assert entry is not None
    assert entry.to_json() == {
        "id": sid,
        "routine": "upper-back",
        "title": "Upper back",
        "path": "/x/upper-back.yaml",
        "file_hash": "abc",
        "started_at": "2024-05-20T07:30:00+02:00",
        "updated_at": "2024-05-20T07:32:00+02:00",
        "ended_at": "2024-05-20T07:32:00+02:00",
        "ended_by": "quit",
        "planned_seconds": 900.0,
        "practised_seconds": 200.0,
        "part": 9,
        "parts": 31,
        "start_part": 4,
        "completed": False,
        "minutes": 15.0,
        "pace": 10.0,
        "speed": 2.0,
        "pain_before": 6,
        "pain_after": 3,
        "note": "shoulders tight",
        "resumed_from": None,
        "preview": True,
        "state": "stopped",
    }


def test_pain_answers_outside_0_to_10_are_refused(tmp_path: Path) -> None:
    with open_journal(tmp_path / "j.sqlite3") as journal:
        sid = journal.begin_session("r", planned_seconds=1.0, parts=1)
        with pytest.raises(ValueError):
            journal.set_pain(sid, before=11)
        with pytest.raises(JournalError):  # and the database itself refuses them too
            journal.begin_session("r", planned_seconds=1.0, parts=1, pain_before=-1)


def test_last_unfinished_is_the_latest_session_when_it_did_not_reach_the_end(
    tmp_path: Path,
) -> None:
    with open_journal(tmp_path / "j.sqlite3") as journal:
        assert journal.last_unfinished("upper-back") is None
        seed(journal, 1)
        assert journal.last_unfinished("upper-back") is None  # the last one was completed
        a = journal.begin_session("upper-back", planned_seconds=1850.0, parts=31)
        journal.finish(a, completed=False, practised=400.0, part=8, ended_by="quit")
        other = journal.begin_session("yin-knots", planned_seconds=1400.0, parts=5)
        entry = journal.last_unfinished("upper-back")
        assert entry is not None and (entry.id, entry.part) == (a, 8)
        assert journal.last_unfinished("yin-knots") is not None
        assert journal.get(other) is not None
        b = journal.begin_session("upper-back", planned_seconds=900.0, parts=31, resumed_from=a)
        journal.finish(b, completed=True, practised=900.0, part=31, ended_by="end")
        assert journal.last_unfinished("upper-back") is None


def test_a_session_that_never_started_can_be_discarded_but_a_practised_one_cannot(
    tmp_path: Path,
) -> None:
    with open_journal(tmp_path / "j.sqlite3") as journal:
        empty = journal.begin_session("r", planned_seconds=10.0, parts=1)
        assert journal.discard(empty) and journal.get(empty) is None
        used = journal.begin_session("r", planned_seconds=10.0, parts=1)
        journal.progress(used, 3.0, 1)
        assert not journal.discard(used) and journal.get(used) is not None


def test_routine_keys_are_names_or_absolute_paths(tmp_path: Path) -> None:
    assert J.routine_key("upper-back", UPPER_BACK) == "upper-back"
    file = tmp_path / "mine.yaml"
    file.write_text("x")
    assert J.routine_key(str(file), file) == str(file.resolve())
    assert J.file_digest(file) == J.file_digest(file) and J.file_digest(tmp_path / "no") is None


# --- a corrupt or unusable file ---------------------------------------------------------------


def _aside(tmp_path: Path) -> list[Path]:
    """Journals moved aside (not their -wal/-shm companions)."""
    return sorted(
        p
        for p in tmp_path.iterdir()
        if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))
    )


def test_a_file_that_is_not_a_database_is_moved_aside_not_deleted(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    junk = b"this is not SQLite at all\n" * 200
    path.write_bytes(junk)
    with open_journal(path) as journal:
        notice = journal.notice
        aside = journal.moved_aside
        assert journal.sessions() == [] and journal.integrity() == "ok"
        journal.begin_session("r", planned_seconds=1.0, parts=1)
    assert notice is not None and aside is not None
    assert _aside(tmp_path) == [aside]
    assert aside.read_bytes() == junk
    assert str(path) in notice and str(aside) in notice
    assert "could not be read" in notice and "nothing was deleted" in notice


def test_a_damaged_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with open_journal(path) as journal:
        for _ in range(200):
            journal.begin_session("r" * 40, title="t" * 300, planned_seconds=1.0, parts=1)
        journal._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 3000] = b"\xab" * 3000  # scribble over a b-tree page
    path.write_bytes(bytes(data))
    with open_journal(path) as journal:
        assert journal.notice is not None and "integrity check" in journal.notice
        assert journal.sessions() == []
    [aside] = _aside(tmp_path)
    assert aside.read_bytes() == bytes(data)


def test_the_wal_goes_aside_with_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"not a database " * 300)
    Path(f"{path}-wal").write_bytes(b"old wal")
    Path(f"{path}-shm").write_bytes(b"old shm")
    with open_journal(path) as journal:
        aside = journal.moved_aside
    assert aside is not None
    assert Path(f"{aside}-wal").read_bytes() == b"old wal"  # SQLite would have deleted it
    assert Path(f"{aside}-shm").exists()  # (only an index: SQLite rewrites it)
    assert _aside(tmp_path) == [aside]
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").read_bytes() != b"old wal"


def test_two_processes_finding_it_corrupt_both_carry_on(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"junk" * 1000)
    first = open_journal(path)
    second = open_journal(path)  # the file was already replaced: nothing more to move
    assert first.notice is not None and second.notice is None
    first.begin_session("a", planned_seconds=1.0, parts=1)
    second.begin_session("b", planned_seconds=1.0, parts=1)
    assert [e.routine for e in second.sessions()] == ["a", "b"]
    first.close()
    second.close()
    assert len(_aside(tmp_path)) == 1


def test_an_sqlite_file_of_something_else_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()
    with open_journal(path) as journal:
        assert journal.notice is not None and "not a yogaback journal" in journal.notice
    [aside] = _aside(tmp_path)
    conn = sqlite3.connect(aside)
    assert conn.execute("SELECT name FROM recipes").fetchall() == [("soup",)]
    conn.close()


def test_a_busy_journal_is_waited_for_then_reported_never_moved_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "journal.sqlite3"
    with open_journal(path) as journal:
        seed(journal, 1)
    monkeypatch.setattr(J, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        with open_journal(path) as journal:  # opening and reading still work (WAL)
            assert len(journal.sessions()) == 1
            t0 = time.monotonic()
            with pytest.raises(JournalError, match="locked"):
                journal.begin_session("r", planned_seconds=1.0, parts=1)
            assert time.monotonic() - t0 >= 0.15
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _aside(tmp_path) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions")
def test_a_journal_folder_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(JournalError, match="cannot create the folder"):
            open_journal(locked / "sub" / "journal.sqlite3")
    finally:
        locked.chmod(0o700)


# --- links and files that are not ours -------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _real_journal(path: Path) -> None:
    with open_journal(path) as journal:
        seed(journal, 1)


@pytest.mark.parametrize(
    ("linked", "target_kind"),
    [
        ("", "missing"),  # a dangling link: following it would create a file over there
        ("", "empty"),
        ("", "journal"),
        ("-wal", "missing"),
        ("-shm", "empty"),
    ],
)
def test_a_link_in_the_journals_place_is_never_followed(
    tmp_path: Path, linked: str, target_kind: str
) -> None:
    path = tmp_path / "home" / "journal.sqlite3"
    path.parent.mkdir()
    target = tmp_path / "elsewhere" / "target"
    target.parent.mkdir()
    if target_kind == "empty":
        target.touch()
    elif target_kind == "journal":
        _real_journal(target)
    if linked:
        _real_journal(path)
    before = sha256(target) if target.exists() else None
    link = Path(f"{path}{linked}")
    link.symlink_to(target)
    with pytest.raises(JournalError) as info:
        open_journal(path)
    assert str(info.value).startswith(f"{link} is a symbolic link (to {target}); yogaback never")
    assert "left as it is" in str(info.value)
    with pytest.raises(JournalError, match="is a symbolic link"):
        open_journal(path, for_reading=True)  # history and stats do not read through it either
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert (sha256(target) if target.exists() else None) == before
    assert sorted(p.name for p in target.parent.iterdir()) == (
        [] if target_kind == "missing" else ["target"]
    )


def _foreign(path: Path, version: int, *tables: str) -> str:
    conn = sqlite3.connect(path)
    for table in tables:
        conn.execute(f"CREATE TABLE {table}")
    conn.execute("INSERT INTO " + tables[0].split(" ")[0] + " VALUES ('x')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    assert not Path(f"{path}-wal").exists()
    return sha256(path)


@pytest.mark.parametrize(
    ("version", "tables"),
    [
        (0, ("recipes (name TEXT)",)),
        (1, ("recipes (name TEXT)",)),  # our schema version, someone else's tables
        (1, ("sessions (x TEXT)",)),  # our version and table name, not our columns
        (1, ("notes (x TEXT)", "sessions (x TEXT)")),
    ],
)
def test_an_sqlite_file_that_is_not_ours_is_moved_aside_byte_for_byte(
    tmp_path: Path, version: int, tables: tuple[str, ...]
) -> None:
    path = tmp_path / "journal.sqlite3"
    digest = _foreign(path, version, *tables)
    with open_journal(path) as journal:
        assert journal.notice is not None and "not a yogaback journal" in journal.notice
        aside = journal.moved_aside
        journal.begin_session("r", planned_seconds=1.0, parts=1)  # a new journal that works
    assert aside is not None and _aside(tmp_path) == [aside]
    assert sha256(aside) == digest  # not even switched to WAL mode first
    with open_journal(path) as journal:
        assert [e.routine for e in journal.sessions()] == ["r"]


def test_our_own_tables_with_a_column_added_are_still_ours(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with open_journal(path) as journal:
        seed(journal, 1)
        journal._conn.execute("ALTER TABLE sessions ADD COLUMN mood TEXT")
    with open_journal(path) as journal:
        assert journal.notice is None and len(journal.sessions()) == 1


# --- the sink ----------------------------------------------------------------------------------


class FakeClock:
    def __init__(self, t: float = 100.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def on_tick(condition: threading.Condition, seconds: float) -> object:
    """The writer's wait in tests: no time passes until the test calls ``sink.tick()``."""
    return condition.wait()


def small_player(speed: float = 10.0) -> Player:
    return Player(compile_timeline(load_routine(UPPER_BACK)), speed=speed)


def test_the_sink_writes_progress_in_routine_seconds_off_the_session_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yogaback.practice import player as P

    clock = FakeClock()
    with open_journal(tmp_path / "j.sqlite3") as journal:
        sid = journal.begin_session("upper-back", planned_seconds=1850.0, parts=31)
        threads: list[str] = []
        real = journal.progress

        def progress(*args: object, **kw: object) -> None:
            threads.append(threading.current_thread().name)
            real(*args, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(journal, "progress", progress)
        sink = JournalSink(journal, sid, clock=clock, wait=on_tick)
        player = P.start(small_player(speed=10.0), clock.t)
        clock.t += 6.0  # six real seconds at --speed 10: a minute of routine
        player, started = P.advance(player, clock.t)
        t0 = time.perf_counter()
        sink.started(player, started, clock.t)
        assert time.perf_counter() - t0 < 0.001
        sink.tick()  # the write interval passes
        wait_for(lambda: getattr(journal.get(sid), "practised_seconds", None) == 60.0)
        entry = journal.get(sid)
        assert entry is not None and entry.part == player.part_index() + 1
        assert threads and set(threads) == {"journal"}
        player = P.pause(player, clock.t)
        sink.action(player, "pause", clock.t)
        clock.t += 50.0  # paused: nothing more is practised
        rounds = sink.rounds
        sink.tick()
        wait_for(lambda: sink.rounds > rounds)
        player = P.stop(player, clock.t)
        sink.action(player, "quit", clock.t)
        sink.close(player)
        entry = journal.get(sid)
    assert sink.finished and sink.error is None
    assert entry is not None and entry.practised_seconds == 60.0
    assert (entry.ended_by, entry.completed) == ("quit", False)


def test_a_sink_that_cannot_write_keeps_the_error_and_never_raises(tmp_path: Path) -> None:
    from yogaback.practice import player as P

    clock = FakeClock()
    journal = open_journal(tmp_path / "j.sqlite3")
    sid = journal.begin_session("upper-back", planned_seconds=1850.0, parts=31)
    sink = JournalSink(journal, sid, clock=clock, interval=0.01)
    journal.close()  # the connection goes away under the sink
    player = P.start(small_player(), clock.t)
    clock.t += 1.0
    player, started = P.advance(player, clock.t)
    sink.started(player, started, clock.t)
    sink.action(player, "pause", clock.t)
    sink.close(P.stop(player, clock.t))
    assert sink.error is not None and not sink.finished


def test_a_session_that_returns_without_an_end_action_is_still_closed(tmp_path: Path) -> None:
    from yogaback.practice import player as P

    clock = FakeClock()
    with open_journal(tmp_path / "j.sqlite3") as journal:
        sid = journal.begin_session("upper-back", planned_seconds=1850.0, parts=31)
        sink = JournalSink(journal, sid, clock=clock, interval=10.0)
        player = P.start(small_player(speed=1.0), clock.t)
        clock.t += 30.0
        sink.close(P.stop(player, clock.t))
        entry = journal.get(sid)
    assert entry is not None and (entry.ended_by, entry.practised_seconds) == ("quit", 30.0)


# --- SIGKILL part-way ------------------------------------------------------------------------

DRIVER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from yogaback.journal.opening import open_journal
    from yogaback.journal.writer import JournalSink
    from yogaback.practice.player import Player
    from yogaback.routine.load import load_routine
    from yogaback.practice.session import PlainPrinter, Session
    from yogaback.practice.timeline import compile_timeline

    db, routine_file = sys.argv[1], sys.argv[2]
    speed, interval = float(sys.argv[3]), float(sys.argv[4])
    routine = load_routine(Path(routine_file))
    timeline = compile_timeline(routine)
    journal = open_journal(Path(db))
    sid = journal.begin_session(
        "upper-back", title=routine.title, planned_seconds=timeline.total,
        parts=len(timeline.parts), speed=speed,
    )
    session = Session(Player(timeline, speed=speed), sinks=[PlainPrinter(sys.stdout)])
    session.sinks.append(JournalSink(journal, sid, interval=interval))
    print(f"BEGIN {sid} {time.monotonic()!r}", flush=True)
    session.run()
    print("FINISHED", flush=True)
    """
)


def _read_line(proc: subprocess.Popen[str], deadline: float) -> str:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
    if not ready:
        raise AssertionError("the driver printed nothing in time")
    return proc.stdout.readline()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_session_killed_with_sigkill_leaves_an_intact_journal_showing_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite3"
    with open_journal(path) as journal:
        earlier = seed(journal, 3)
    speed, interval = 40.0, 0.2
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(path), str(UPPER_BACK), str(speed), str(interval)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        first = _read_line(proc, deadline)
        assert first.startswith("BEGIN "), first
        sid, began = int(first.split()[1]), float(first.split()[2])
        while True:  # until the session is a few parts in (past 2:00 of routine time)
            line = _read_line(proc, deadline)
            assert line and not line.startswith("FINISHED")
            if line.startswith("[") and line[1:6] >= "02:00":
                break
        time.sleep(3 * interval)
        killed_at = time.monotonic()
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
    position = (killed_at - began) * speed  # routine seconds in at the kill (no pauses)
    with open_journal(path) as journal:
        assert journal.notice is None and journal.integrity() == "ok"
        entries = journal.sessions()
        partial = journal.get(sid)
        resumable = journal.last_unfinished("upper-back")
    assert [e.id for e in entries] == [*earlier, sid]
    assert all(e.completed and e.practised_seconds == 1850.0 for e in entries[:3])
    assert partial is not None and resumable is not None and resumable.id == sid
    assert partial.ended_at is None and partial.state == "unfinished" and not partial.completed
    # It lost at most about one write interval (plus scheduling slack on a busy machine).
    assert position - (interval + 1.0) * speed <= partial.practised_seconds <= position + 1.0
    timeline = compile_timeline(load_routine(UPPER_BACK))
    starts = [p.start for p in timeline.parts]
    part_there = sum(1 for s in starts if s <= partial.practised_seconds)
    assert partial.part >= 3 and abs(partial.part - part_there) <= 1
    # The journal is not left locked: another session can be recorded straight away.
    with open_journal(path) as journal:
        journal.begin_session("yin-knots", planned_seconds=1.0, parts=1)
        assert len(journal.sessions()) == 5


# --- several processes at once ------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from yogaback.journal.opening import open_journal

    db, who, n, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    while time.time() < start:
        time.sleep(0.001)
    journal = open_journal(Path(db))
    for k in range(n):
        sid = journal.begin_session(f"w{who}", planned_seconds=100.0, parts=10, speed=10.0)
        for step in range(1, 11):
            journal.progress(sid, step * 10.0, step)
        journal.finish(sid, completed=k % 2 == 0, practised=100.0, part=10,
                       ended_by="end" if k % 2 == 0 else "quit")
        journal.set_note(sid, f"{who}-{k}")
    print(journal.notice or "ok", flush=True)
    """
)


def test_several_processes_writing_at_once_do_not_corrupt_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"  # does not exist yet: they also race to create it
    writers, sessions = 4, 8
    start = time.time() + 1.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(w), str(sessions), repr(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(writers)
    ]
    reads = 0
    while time.time() < start:
        time.sleep(0.01)
    while any(p.poll() is None for p in procs):  # read while they write
        if path.exists():
            with open_journal(path) as journal:
                assert journal.notice is None
                journal.recent(50)
                reads += 1
        time.sleep(0.02)
    outputs = [p.communicate(timeout=60) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    with open_journal(path) as journal:
        assert journal.integrity() == "ok"
        entries = journal.sessions()
    assert len(entries) == writers * sessions
    assert len({e.id for e in entries}) == len(entries)
    for w in range(writers):
        mine = [e for e in entries if e.routine == f"w{w}"]
        assert [e.note for e in mine] == [f"{w}-{k}" for k in range(sessions)]
        assert all(e.practised_seconds == 100.0 and e.part == 10 for e in mine)
        assert [e.completed for e in mine] == [k % 2 == 0 for k in range(sessions)]
    assert not _aside(tmp_path)


# --- previews and skipping through (issue 11 §6) ------------------------------------------------


def test_sessions_at_another_speed_are_marked_as_previews(tmp_path: Path) -> None:
    with open_journal(tmp_path / "j.sqlite3") as journal:
        ids = [
            journal.begin_session("upper-back", planned_seconds=900.0, parts=31, speed=speed)
            for speed in (1.0, 10.0, 0.5)
        ]
        assert [journal.get(i).preview for i in ids] == [False, True, True]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("practised", "ended_by", "completed", "state"),
    [
        (900.0, "end", True, "completed"),
        (450.0, "end", True, "completed"),  # half of it: still practice
        (449.0, "end", False, "skipped"),  # pressed n through most of it
        (12.0, "end", False, "skipped"),
        (12.0, "quit", False, "stopped"),
    ],
)
def test_reaching_the_end_by_skipping_is_recorded_as_skipped_not_completed(
    tmp_path: Path, practised: float, ended_by: str, completed: bool, state: str
) -> None:
    with open_journal(tmp_path / "j.sqlite3") as journal:
        sid = journal.begin_session("upper-back", planned_seconds=900.0, parts=31)
        journal.finish(
            sid, completed=ended_by == "end", practised=practised, part=31, ended_by=ended_by
        )
        entry = journal.get(sid)
    assert entry is not None and (entry.completed, entry.state) == (completed, state)


def test_pressing_n_through_a_whole_routine_is_recorded_as_skipped(tmp_path: Path) -> None:
    from yogaback.practice import player as P

    clock = FakeClock()
    with open_journal(tmp_path / "j.sqlite3") as journal:
        player = small_player(speed=1.0)
        sid = journal.begin_session(
            "upper-back", planned_seconds=player.timeline.total, parts=31, speed=1.0
        )
        sink = JournalSink(journal, sid, clock=clock, wait=on_tick)
        player = P.start(player, clock.t)
        while player.status != "done":  # a few seconds, n after n
            clock.t += 0.2
            player, _ = P.advance(P.skip(player, clock.t), clock.t)
            sink.action(player, "next", clock.t)
        sink.action(player, "end", clock.t)
        sink.close(player)
        entry = journal.get(sid)
    assert entry is not None and entry.ended_by == "end"
    assert (entry.completed, entry.state) == (False, "skipped")


def test_migration_2_marks_old_previews_and_sessions_skipped_through(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with open_journal(path, migrations=MIGRATIONS[:1]) as journal:
        assert journal.schema_version() == 1
    conn = sqlite3.connect(path)
    rows = []
    for speed, practised in ((1.0, 900.0), (10.0, 900.0), (1.0, 30.0)):
        # As version 1 recorded a session played to the end: completed, whatever the speed.
        cursor = conn.execute(
            "INSERT INTO sessions (routine, started_at, updated_at, ended_at, ended_by, "
            "planned_seconds, practised_seconds, part, parts, completed, speed) "
            "VALUES ('upper-back', ?, ?, ?, 'end', 900, ?, 31, 31, 1, ?)",
            (T0.isoformat(), T0.isoformat(), T0.isoformat(), practised, speed),
        )
        rows.append(cursor.lastrowid)
    conn.commit()
    conn.close()
    with open_journal(path) as journal:
        assert journal.schema_version() == SCHEMA_VERSION >= 2
        entries = [journal.get(i) for i in rows]
    assert [(e.preview, e.state) for e in entries if e] == [
        (False, "completed"),
        (True, "completed"),
        (False, "skipped"),
    ]
