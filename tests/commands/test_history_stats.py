"""``history`` and ``stats`` over a real journal, sessions really played (at high speed) and
recorded by the sink, ``--resume`` continuing at the right part, and the single-key
check-in questions (on a pseudo-terminal; never waiting without one).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import pty
import shutil
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import IO

import pytest
from rich.console import Console

from yogaback.commands import history, output, stats
from yogaback.errors import BadInput, QuietExit
from yogaback.journal import opening, recording
from yogaback.journal.opening import open_journal
from yogaback.journal.recording import start_recording
from yogaback.journal.resume import ResumePlan
from yogaback.journal.resume import plan_resume as plan_with
from yogaback.journal.store import (
    Entry,
    Journal,
    JournalError,
    journal_path,
    routine_key,
)
from yogaback.practice import player as P
from yogaback.practice.player import Player
from yogaback.practice.session import Session
from yogaback.practice.timeline import Timeline, compile_timeline
from yogaback.routine.catalog import resolve, user_dir
from yogaback.routine.load import load_routine
from yogaback.screen import prompts
from yogaback.screen.prompts import ask_choice, ask_pain
from yogaback.screen.terminal import new_bus

TZ = timezone(timedelta(hours=1))
ROUTINE = """\
version: 1
title: Test break
pace: {inhale: 2s, exhale: 2s}
transition: 2s
poses:
  easy-seat: {name: Easy seat, setup: Sit tall.}
  cat-cow: {name: Cat–cow, setup: Come onto hands and knees.}
  thread-the-needle: {name: Thread the needle, setup: Slide one arm under your chest.}
steps:
  - pose: easy-seat
    breaths: 2
    cue: Let your shoulders drop.
  - pose: cat-cow
    reps: 2
    inhale: Lift your chest.
    exhale: Round your back.
  - pose: thread-the-needle
    duration: 30s
    sides: both
    cue: Rest your {side} shoulder on the mat.
"""


def plan_resume(
    journal: Journal,
    key: str,
    arg: str,
    path: Path,
    *,
    stdin: IO[str] | None = None,
    out: IO[str] | None = None,
) -> ResumePlan:
    """``plan_resume`` asking its question the way ``play --resume`` does."""
    return plan_with(
        journal, key, arg, path, choose=functools.partial(ask_choice, stdin=stdin, out=out)
    )


@pytest.fixture(autouse=True)
def fresh_consoles() -> Iterator[None]:
    output.out.cache_clear()
    yield
    output.out.cache_clear()


@pytest.fixture
def journal(yogaback_home: Path) -> Iterator[Journal]:
    with open_journal() as j:
        yield j


def add(
    journal: Journal,
    when: datetime,
    minutes: float,
    *,
    routine: str = "upper-back",
    completed: bool = True,
    part: int = 31,
    before: int | None = None,
    after: int | None = None,
    note: str | None = None,
    planned: float = 1850.0,
    speed: float = 1.0,
) -> int:
    sid = journal.begin_session(
        routine,
        title="Upper-back mobility",
        planned_seconds=planned,
        parts=31,
        started_at=when,
        speed=speed,
        pain_before=before,
    )
    journal.finish(
        sid,
        completed=completed,
        practised=minutes * 60,
        part=part,
        ended_by="end" if completed else "quit",
        at=when + timedelta(minutes=minutes),
    )
    if after is not None:
        journal.set_pain(sid, after=after)
    if note:
        journal.set_note(sid, note)
    return sid


# --- history -------------------------------------------------------------------------------------


def test_history_without_a_journal_says_so_kindly_and_creates_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    history.run()
    assert capsys.readouterr().out == (
        "No sessions recorded yet. When you are ready: yogaback play upper-back\n"
    )
    history.run(as_json=True)
    assert json.loads(capsys.readouterr().out) == []
    history.run(as_csv=True)
    assert capsys.readouterr().out.startswith("id,routine,title,started_at,")
    assert not journal_path().exists()


@pytest.mark.parametrize("with_pain", [False, True])
def test_history_at_80_columns_wraps_words_and_cuts_nothing(
    journal: Journal, with_pain: bool
) -> None:
    """A newcomer's history at 80 columns had every column cut to '…' while an empty note
    column kept its room: numbers never wrap, words do, and empty columns give way."""
    t = datetime(2023, 3, 6, 7, 30, tzinfo=TZ)
    pain = {"before": 6, "after": 3} if with_pain else {}
    add(journal, t, 30.8, routine="desk-break", speed=1000.0, **pain)
    add(journal, t + timedelta(hours=1), 12.5, completed=False, part=9, routine="yin-knots")
    console = Console(width=80, file=io.StringIO(), color_system=None)
    console.print(history.render_table(journal.sessions()))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "…" not in out, out
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80
    for word in ("desk-break", "yin-knots", "31/31", "9/31", "30:48", "12:30"):
        assert word in out, out
    assert ("pain" in out.splitlines()[0]) is with_pain
    assert "note" not in out.splitlines()[0]


def test_history_table_shows_the_latest_sessions_newest_first(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    t = datetime(2023, 3, 6, 7, 30, tzinfo=TZ)
    add(journal, t, 30.8, before=6, after=3)
    add(journal, t + timedelta(days=1), 12.5, completed=False, part=9, before=5, note="tight")
    add(journal, t + timedelta(days=1, hours=12), 24.0, routine="/home/me/my-flow.yaml")
    history.run()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["when", "routine", "practised", "planned", "part", "pain", "note"]
    assert [line.split() for line in lines[1:]] == [
        ["7", "Mar", "2023", "19:30", "my-flow.yaml", "24:00", "30:50", "31/31", "done"],
        [
            "7",
            "Mar",
            "2023",
            "07:30",
            "upper-back",
            "12:30",
            "30:50",
            "9/31",
            "stopped",
            "5",
            "→",
            "–",
            "tight",
        ],
        [
            "6",
            "Mar",
            "2023",
            "07:30",
            "upper-back",
            "30:48",
            "30:50",
            "31/31",
            "done",
            "6",
            "→",
            "3",
        ],
    ]


def test_history_limit_and_the_hint_for_more(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    t = datetime(2023, 1, 2, 8, 0, tzinfo=TZ)
    for k in range(3):
        add(journal, t + timedelta(days=k), 10)
    history.run(limit=2)
    out = capsys.readouterr().out
    assert len([line for line in out.splitlines() if "upper-back" in line]) == 2
    assert "The latest 2 sessions. All of them: yogaback history --limit 0" in out
    history.run(limit=3)
    assert "The latest" not in capsys.readouterr().out
    history.run(limit=2, as_json=True)
    assert [r["started_at"][:10] for r in json.loads(capsys.readouterr().out)] == [
        "2023-01-04",
        "2023-01-03",
    ]
    with pytest.raises(BadInput, match="one of --json and --csv"):
        history.run(as_json=True, as_csv=True)


def test_history_json_and_csv_carry_the_same_fields(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    t = datetime(2023, 3, 6, 7, 30, tzinfo=TZ)
    sid = add(journal, t, 12.5, completed=False, part=9, before=5, after=4, note='a "note", ok')
    history.run(as_json=True)
    [record] = json.loads(capsys.readouterr().out)
    assert list(record) == list(history.JSON_FIELDS)
    assert {k: record[k] for k in record if k not in ("file_hash", "path")} == {
        "id": sid,
        "routine": "upper-back",
        "title": "Upper-back mobility",
        "started_at": "2023-03-06T07:30:00+01:00",
        "ended_at": "2023-03-06T07:42:30+01:00",
        "practised_seconds": 750.0,
        "planned_seconds": 1850.0,
        "completed": False,
        "state": "stopped",
        "part": 9,
        "parts": 31,
        "start_part": 1,
        "pain_before": 5,
        "pain_after": 4,
        "note": 'a "note", ok',
        "minutes": None,
        "pace": None,
        "speed": 1.0,
        "resumed_from": None,
        "preview": False,
    }
    history.run(as_csv=True)
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == list(history.JSON_FIELDS)
    assert rows[0]["completed"] == "false" and rows[0]["note"] == 'a "note", ok'
    assert rows[0]["practised_seconds"] == "750.0" and rows[0]["minutes"] == ""


# --- stats: the numbers --------------------------------------------------------------------------

TODAY = date(2024, 5, 22)  # a Wednesday


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_streaks_count_today_or_up_to_yesterday() -> None:
    assert stats.streaks([], TODAY) == (0, 0)
    assert stats.streaks([days_ago(0), days_ago(1), days_ago(2)], TODAY) == (3, 3)
    assert stats.streaks([days_ago(1), days_ago(2)], TODAY) == (2, 2)  # today not over yet
    assert stats.streaks([days_ago(2), days_ago(3)], TODAY) == (0, 2)
    assert stats.streaks([days_ago(n) for n in (0, 5, 6, 7, 8, 10)], TODAY) == (1, 4)


def test_summary_of_days_weeks_and_check_ins(journal: Journal) -> None:
    add(journal, at(days_ago(0)), 20, before=6, after=4)
    add(journal, at(days_ago(0), 18), 15, planned=900.0)  # --minutes 15
    add(journal, at(days_ago(1)), 0.5, completed=False, part=1)  # under a minute: not a day
    add(journal, at(days_ago(2)), 30, before=7, after=3)
    add(journal, at(days_ago(9)), 10, before=5, planned=600.0)
    summary = stats.summarise(journal.sessions(), TODAY, weeks=4)
    assert summary.sessions == 5 and summary.completed == 4
    assert round(summary.total_minutes, 1) == 75.5
    assert summary.daily[TODAY] == 35.0
    assert summary.practice_days == {days_ago(0), days_ago(2), days_ago(9)}
    assert (summary.current_streak, summary.longest_streak) == (1, 1)
    assert summary.practised_today
    assert [(w.isoformat(), round(m, 1)) for w, m in summary.weekly] == [
        ("2024-04-29", 0.0),
        ("2024-05-06", 0.0),
        ("2024-05-13", 10.0),
        ("2024-05-20", 65.5),
    ]
    assert [(c.before, c.after) for c in summary.checks] == [(5, None), (7, 3), (6, 4)]
    data = summary.to_json()
    assert data["current_streak"] == 1 and data["days"]["2024-05-22"] == 35.0
    assert data["pain"][0] == {
        "day": "2024-05-13",
        "routine": "upper-back",
        "before": 5,
        "after": None,
    }


def test_a_session_counts_on_the_local_day_it_was_practised(journal: Journal) -> None:
    late = datetime(2024, 5, 21, 23, 50, tzinfo=timezone(timedelta(hours=-7)))
    add(journal, late, 20)  # already the 22nd in UTC, still the 21st where it happened
    summary = stats.summarise(journal.sessions(), TODAY)
    assert summary.practice_days == {date(2024, 5, 21)}


# --- stats: drawing ------------------------------------------------------------------------------


def rendered(summary: stats.Stats, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    console.print(stats.render(summary))
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue()


def words(text: str) -> str:
    return " ".join(text.split())


GUILT = ("broke", "broken", "lost", "missed", "fail", "only ", "should", "don't forget")


def test_stats_draws_a_heatmap_streaks_weeks_and_pain(journal: Journal) -> None:
    for n, minutes in ((0, 35), (1, 25), (2, 15), (3, 5), (15, 45)):
        add(journal, at(days_ago(n)), minutes, before=6 - n % 3, after=3)
    text = rendered(stats.summarise(journal.sessions(), TODAY, weeks=4))
    lines = text.splitlines()
    start = lines.index("Practice days, last 4 weeks")
    heat = lines[start + 1 : start + 10]
    assert heat[0].split() == ["May"]  # over the week that holds the 1st
    rows = {line.split()[0]: line.split()[1:] for line in heat[1:8]}
    # columns: weeks of 29 Apr, 6 May, 13 May, 20 May (this week: Mon to Wed so far)
    assert rows["Mon"] == ["·", "·", "·", "▒"]
    assert rows["Tue"] == ["·", "█", "·", "▓"]  # 7 May: 45 min; 21 May: 25 min
    assert rows["Wed"] == ["·", "·", "·", "█"]  # today, 35 min
    assert rows["Sun"] == ["·", "·", "░"]  # 19 May: 5 min; the rest of this week is blank
    assert heat[8].split()[:2] == ["·", "none"]
    assert "You have practised 4 days in a row, today included. Lovely." in text
    week_lines = lines[lines.index("Minutes per week") + 1 :][:4]
    assert week_lines[0].startswith("29 Apr") and week_lines[0].endswith(" –")
    assert week_lines[-1].startswith("20 May  ███") and week_lines[-1].endswith(" 75 min")
    assert week_lines[-3].startswith(" 6 May") and week_lines[-3].endswith(" 45 min")
    assert "before  6 ██████" in text and "after  3 ███" in text
    assert "your back felt on average 2.4 points easier after practice" in words(text)
    assert not any(word in text.lower() for word in GUILT)


def test_stats_after_a_break_welcome_you_back_without_guilt(journal: Journal) -> None:
    for n in (10, 11, 12, 13, 14):
        add(journal, at(days_ago(n)), 20)
    text = words(rendered(stats.summarise(journal.sessions(), TODAY)))
    assert (
        "Welcome back whenever you are ready: every session counts. "
        "Your longest run so far: 5 days." in text
    )
    assert not any(word in text.lower() for word in GUILT)
    add(journal, at(days_ago(1)), 20)
    text = words(rendered(stats.summarise(journal.sessions(), TODAY)))
    assert "You practised 1 day in a row, up to yesterday. Today is open" in text


def test_stats_pain_getting_worse_is_met_gently(journal: Journal) -> None:
    add(journal, at(days_ago(1)), 20, before=3, after=5)
    text = words(rendered(stats.summarise(journal.sessions(), TODAY)))
    assert "2.0 points more sore after practice" in text
    assert "Gentler versions and shorter holds may suit you better" in text


def test_the_pain_sparkline_covers_every_check_in_when_there_are_many(journal: Journal) -> None:
    for n in range(14):
        add(journal, at(days_ago(14 - n)), 20, before=10 - n % 11, after=max(0, 8 - n))
    text = rendered(stats.summarise(journal.sessions(), TODAY))
    assert "all 14 check-ins, oldest first" in text
    assert stats.sparkline([0, 5, 10, None]) == "▁▅█ "


def test_stats_command_json_and_empty(journal: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    stats.run(today=TODAY)
    assert "No sessions recorded yet" in capsys.readouterr().out
    add(journal, at(days_ago(0)), 20)
    stats.run(today=TODAY, as_json=True)
    data = json.loads(capsys.readouterr().out)
    assert (data["sessions"], data["current_streak"], data["total_minutes"]) == (1, 1, 20.0)
    stats.run(today=TODAY, weeks=6)
    assert "Practice days, last 6 weeks" in capsys.readouterr().out
    with pytest.raises(BadInput):
        stats.run(weeks=0)


def test_history_marks_previews_and_sessions_skipped_through(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    t = datetime(2023, 3, 6, 7, 30, tzinfo=TZ)
    add(journal, t, 30.8)
    add(journal, t + timedelta(hours=1), 30.8, speed=10.0)
    add(journal, t + timedelta(hours=2), 0.4)  # n, n, n... to the end in 24 s
    history.run()
    rows = capsys.readouterr().out.splitlines()[1:]
    assert [row.split("31/31")[1].strip() for row in rows] == [
        "skipped through",
        "done, preview ×10",
        "done",
    ]
    history.run(as_json=True)
    records = json.loads(capsys.readouterr().out)
    assert [(r["preview"], r["state"], r["completed"]) for r in records] == [
        (False, "skipped", False),
        (True, "completed", True),
        (False, "completed", True),
    ]


def test_stats_leave_previews_out_unless_asked(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    add(journal, at(days_ago(0)), 20, before=6, after=4)
    add(journal, at(days_ago(1)), 30, before=9, after=0, speed=10.0)  # a preview
    add(journal, at(days_ago(2)), 25, speed=0.5)
    stats.run(today=TODAY, as_json=True)
    data = json.loads(capsys.readouterr().out)
    assert (data["sessions"], data["total_minutes"], data["current_streak"]) == (1, 20.0, 1)
    assert len(data["pain"]) == 1
    stats.run(today=TODAY)
    assert (
        capsys.readouterr()
        .out.rstrip()
        .endswith(
            "2 previews (played at a --speed other than 1) left out. To count them: "
            "yogaback stats --include-previews"
        )
    )
    stats.run(today=TODAY, as_json=True, include_previews=True)
    data = json.loads(capsys.readouterr().out)
    assert (data["sessions"], data["total_minutes"], data["current_streak"]) == (3, 75.0, 3)
    assert len(data["pain"]) == 2


# --- sessions really played, recorded, and resumed -----------------------------------------------


@pytest.fixture
def test_break(yogaback_home: Path) -> Path:
    user_dir().mkdir(parents=True)
    path = user_dir() / "test-break.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    return path


def play(
    journal: Journal,
    arg: str,
    timeline: Timeline,
    *,
    speed: float,
    quit_after: float | None = None,
    resumed_from: int | None = None,
    pain_before: int | None = None,
) -> tuple[Player, int]:
    """Play like ``yogaback play`` does (real clock), recording into the journal; press q
    after ``quit_after`` real seconds."""
    path = resolve(arg)
    recording = start_recording(
        journal,
        key=routine_key(arg, path),
        path=path,
        title=timeline.title,
        timeline=timeline,
        minutes=None,
        pace=None,
        speed=speed,
        pain_before=pain_before,
        resumed_from=resumed_from,
    )
    assert recording is not None
    bus = new_bus()
    session = Session(Player(timeline, speed=speed), bus=bus)
    session.sinks.append(recording.sink)
    if quit_after is not None:
        threading.Timer(quit_after, lambda: bus.put(("key", "q"))).start()
    session.run()
    recording.finish(session.player)
    return session.player, recording.session


def test_sessions_played_at_high_speed_show_up_in_history_and_stats(
    journal: Journal, test_break: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    timeline = compile_timeline(load_routine(test_break))
    t0 = time.monotonic()
    _, first = play(journal, "test-break", timeline, speed=200.0, pain_before=5)
    wall = time.monotonic() - t0
    upper = compile_timeline(load_routine(resolve("upper-back")))
    stopped, second = play(journal, "upper-back", upper, speed=400.0, quit_after=1.0)
    history.run(as_json=True)
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    a, b = records[first], records[second]
    # Routine seconds, not wall seconds: the whole routine counts, though it took a moment.
    assert a["practised_seconds"] == round(timeline.total, 1) == a["planned_seconds"]
    assert wall < timeline.total / 20
    assert (a["completed"], a["state"], a["part"], a["parts"]) == (True, "completed", 4, 4)
    assert (a["routine"], a["speed"], a["pain_before"]) == ("test-break", 200.0, 5)
    assert a["file_hash"] and a["path"] == str(test_break.resolve())
    assert b["practised_seconds"] == round(stopped.played, 1) and 100 < stopped.played < 1800
    assert (b["completed"], b["state"]) == (False, "stopped")
    assert b["part"] == stopped.part_index() + 1 > 1 and b["parts"] == len(upper.parts)
    history.run()
    table = capsys.readouterr().out
    assert "test-break" in table and "upper-back" in table and "stopped" in table
    today = datetime.now().astimezone().date()
    summary = stats.summarise(journal.sessions(), today)
    assert summary.practised_today and summary.current_streak >= 1
    assert summary.sessions == 2
    # The journal keeps practised seconds to the millisecond: compare to a tenth of a second.
    expected = (round(timeline.total, 1) + round(stopped.played, 1)) / 60
    assert summary.daily[today] == pytest.approx(expected, abs=0.1 / 60)


def test_resume_continues_at_the_part_where_it_stopped(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    path = resolve("upper-back")
    routine = load_routine(path)
    full = compile_timeline(routine)
    stopped, first = play(journal, "upper-back", full, speed=400.0, quit_after=1.0)
    part = stopped.part_index() + 1
    assert part > 1
    plan = plan_resume(journal, "upper-back", "upper-back", path, stdin=io.StringIO())
    assert (plan.part, plan.resumed_from, plan.entry.id) == (part, first, first)
    assert (
        plan.message == f"Continuing upper-back at part {part} of 31, where you stopped just now."
    )
    timeline = full.from_part(part - 1)  # what play does with --start-at PART
    _, second = play(journal, "upper-back", timeline, speed=1000.0, resumed_from=first)
    entry = journal.get(second)
    assert entry is not None
    assert (entry.start_part, entry.part, entry.parts) == (part, 31, 31)
    assert entry.completed and entry.resumed_from == first
    assert entry.practised_seconds == pytest.approx(
        full.total - full.parts[part - 1].start, abs=0.1
    )
    with pytest.raises(BadInput, match="went all the way to the end, so there is nothing"):
        plan_resume(journal, "upper-back", "upper-back", path, stdin=io.StringIO())


def test_resume_with_nothing_to_resume(journal: Journal) -> None:
    with pytest.raises(BadInput, match="there is no session of yin-knots to resume yet"):
        plan_resume(journal, "yin-knots", "yin-knots", resolve("yin-knots"))


def test_resume_of_an_old_session_does_not_wait_without_a_terminal(
    journal: Journal, test_break: Path
) -> None:
    when = datetime.now().astimezone() - timedelta(days=3, hours=1)
    sid = journal.begin_session(
        "test-break", planned_seconds=100.0, parts=4, started_at=when, file_hash="old"
    )
    journal.finish(sid, completed=False, practised=40.0, part=3, ended_by="quit", at=when)
    t0 = time.monotonic()
    plan = plan_resume(journal, "test-break", "test-break", test_break, stdin=io.StringIO())
    assert time.monotonic() - t0 < 0.5
    assert plan.part == 3
    assert plan.message.startswith("Continuing test-break at part 3 of 4, where you stopped 3 days")
    assert "The routine file has changed since then, so part 3 may be another pose." in plan.message


def test_a_session_quit_before_it_began_is_not_kept(journal: Journal) -> None:
    timeline = compile_timeline(load_routine(resolve("upper-back")))
    recording = start_recording(
        journal,
        key="upper-back",
        path=resolve("upper-back"),
        title="x",
        timeline=timeline,
        minutes=None,
        pace=None,
        speed=1.0,
    )
    assert recording is not None
    recording.finish(Player(timeline))  # status "ready": quit on the safety screen
    assert journal.sessions() == []


def test_no_journal_means_no_recording() -> None:
    timeline = compile_timeline(load_routine(resolve("upper-back")))
    assert (
        start_recording(
            None,
            key="upper-back",
            path=resolve("upper-back"),
            title="x",
            timeline=timeline,
            minutes=None,
            pace=None,
            speed=1.0,
        )
        is None
    )


def test_a_corrupt_journal_does_not_stop_play(
    yogaback_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal_path().write_bytes(b"garbage" * 100)
    journal = recording.open_for_play()
    assert journal is not None
    err = capsys.readouterr().err
    assert err.startswith(f"yogaback: Your practice journal {journal_path()} could not be read")
    assert "nothing was deleted" in err
    journal.close()


# --- a journal in a folder that cannot be written ------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and what is in it."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_history_and_stats_read_a_journal_that_cannot_be_written(
    journal: Journal,
    yogaback_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add(journal, datetime.now(TZ) - timedelta(hours=2), 20.0, note="calm")
    journal.close()
    before = _snapshot(yogaback_home)
    # Root may write anywhere, so the test says "read-only" where yogaback asks.
    monkeypatch.setattr(opening, "can_write", lambda path: False)
    history.run(as_json=True)
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["note"], entry["practised_seconds"]) == ("calm", 1200.0)
    stats.run(as_json=True)
    assert json.loads(capsys.readouterr().out)["sessions"] == 1
    with open_journal(journal_path(), for_reading=True) as reader:
        assert reader.read_only
        with pytest.raises(JournalError):
            reader.begin_session("r", planned_seconds=1.0, parts=1)
    after = _snapshot(yogaback_home)
    # The folder is writable after all, so SQLite's reader may add its -wal/-shm index files.
    assert {k: v for k, v in after.items() if not k.endswith(("-wal", "-shm"))} == before


def test_a_damaged_journal_that_cannot_be_written_is_reported_and_left_alone(
    yogaback_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal_path().write_bytes(b"garbage" * 100)
    monkeypatch.setattr(opening, "can_write", lambda path: False)
    with pytest.raises(JournalError) as info:
        history.run()
    assert str(info.value) == (
        f"the journal {journal_path()} could not be read (file is not a database), and cannot "
        "be moved aside (its folder or the file is read-only); it was left as it is"
    )
    assert _snapshot(yogaback_home) == {"journal.sqlite3": b"garbage" * 100}


def test_play_where_the_journal_cannot_be_written_says_so_in_one_line(
    yogaback_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(opening, "can_write", lambda path: False)
    assert recording.open_for_play() is None
    assert capsys.readouterr().err == (
        f"yogaback: the journal {journal_path()} cannot be written (its folder or the file is "
        "read-only), so this session will not be recorded in your history.\n"
    )
    assert not journal_path().exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions")
def test_history_reads_a_journal_in_a_folder_without_write_permission(
    journal: Journal, yogaback_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add(journal, datetime.now(TZ) - timedelta(hours=2), 20.0)
    journal.close()
    yogaback_home.chmod(0o555)
    try:
        history.run(as_json=True)
        assert len(json.loads(capsys.readouterr().out)) == 1
        assert recording.open_for_play() is None
    finally:
        yogaback_home.chmod(0o755)


def _read_only_mount_works() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount --bind / /mnt && mount -o remount,bind,ro /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _read_only_mount_works(), reason="needs unshare and a bind mount")
def test_on_a_read_only_filesystem_history_reads_and_play_plays_unrecorded(
    journal: Journal, yogaback_home: Path
) -> None:
    """For real: the yogaback folder mounted read-only (in a private mount namespace, so
    root cannot write either, and SQLite cannot even create its -shm file there)."""
    add(journal, datetime.now(TZ) - timedelta(hours=2), 20.0, note="calm")
    journal.close()
    script = (
        'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && '
        '"$1" -m yogaback history --json && '
        '"$1" -m yogaback play test-break --plain --speed 1000 --sound-engine silent >/dev/null'
    )
    user_dir().mkdir(parents=True)
    (user_dir() / "test-break.yaml").write_text(ROUTINE, encoding="utf-8")
    before = _snapshot(yogaback_home)
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, str(yogaback_home), sys.executable],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    [entry] = json.loads(done.stdout)
    assert entry["note"] == "calm"
    assert done.stderr == (
        f"yogaback: the journal {journal_path()} cannot be written (its folder or the file is "
        "read-only), so this session will not be recorded in your history.\n"
    )
    assert _snapshot(yogaback_home) == before


# --- single-key questions on a terminal ----------------------------------------------------------


@pytest.fixture
def tty() -> Iterator[tuple[int, IO[str]]]:
    """(master fd, slave stream): a pseudo-terminal standing in for stdin."""
    master, slave = pty.openpty()
    stream = os.fdopen(slave, "r")
    yield master, stream
    stream.close()
    os.close(master)


def type_later(master: int, *keys: str, delay: float = 0.15) -> None:
    def go() -> None:
        for key in keys:
            time.sleep(delay)
            os.write(master, key.encode())

    threading.Thread(target=go, daemon=True).start()


@pytest.mark.parametrize(
    ("keys", "answer", "echo"),
    [(("7",), 7, "7"), (("1", "0"), 10, "10"), (("x", "0"), 0, "0"), (("\r",), None, "skipped")],
)
def test_ask_pain_takes_one_key_and_puts_the_terminal_back(
    tty: tuple[int, IO[str]], keys: tuple[str, ...], answer: int | None, echo: str
) -> None:
    master, stream = tty
    before = termios.tcgetattr(stream.fileno())
    out = io.StringIO()
    type_later(master, *keys, delay=0.1)
    assert ask_pain("How does your upper back feel, 0–10?", stdin=stream, out=out) == answer
    assert out.getvalue() == (
        "How does your upper back feel, 0–10? "
        f"(0 no pain … 10 worst; press a number, or Enter to skip) {echo}\n"
    )
    assert termios.tcgetattr(stream.fileno()) == before


def test_a_lone_1_is_one_after_a_moment(
    tty: tuple[int, IO[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    master, stream = tty
    monkeypatch.setattr(prompts, "TEN_WAIT", 0.1)
    type_later(master, "1")
    assert ask_pain("?", stdin=stream, out=io.StringIO()) == 1


def test_an_unanswered_question_is_skipped_after_the_timeout(tty: tuple[int, IO[str]]) -> None:
    _, stream = tty
    assert ask_pain("?", stdin=stream, out=io.StringIO(), timeout=0.2) is None


def test_ask_pain_never_waits_without_a_terminal() -> None:
    out = io.StringIO()
    t0 = time.monotonic()
    assert ask_pain("?", stdin=io.StringIO("7\n"), out=out) is None
    assert time.monotonic() - t0 < 0.1 and out.getvalue() == ""


def test_ask_pain_can_read_keys_from_a_running_session_bus() -> None:
    bus = new_bus()
    bus.put(("resize", ""))
    bus.put(("key", "4"))
    assert ask_pain("?", bus=bus, stdin=io.StringIO(), out=io.StringIO()) == 4


@pytest.mark.parametrize(("key", "part"), [("y", 3), ("\r", 3), ("n", None)])
def test_resuming_an_old_session_asks_first_on_a_terminal(
    journal: Journal, test_break: Path, tty: tuple[int, IO[str]], key: str, part: int | None
) -> None:
    master, stream = tty
    when = datetime.now().astimezone() - timedelta(days=2)
    sid = journal.begin_session("test-break", planned_seconds=100.0, parts=4, started_at=when)
    journal.finish(sid, completed=False, practised=40.0, part=3, ended_by="quit", at=when)
    out = io.StringIO()
    type_later(master, key)
    plan = plan_resume(journal, "test-break", "test-break", test_break, stdin=stream, out=out)
    assert plan.part == part
    assert out.getvalue().startswith(
        "Your last session of test-break stopped at part 3 of 4, 2 days ago. Continue from there?"
    )
    if part is None:
        assert (
            plan.resumed_from is None and plan.message == "Starting test-break from the beginning."
        )


def test_quitting_at_the_resume_question(
    journal: Journal, test_break: Path, tty: tuple[int, IO[str]]
) -> None:
    master, stream = tty
    when = datetime.now().astimezone() - timedelta(days=2)
    sid = journal.begin_session("test-break", planned_seconds=100.0, parts=4, started_at=when)
    journal.finish(sid, completed=False, practised=40.0, part=3, ended_by="quit", at=when)
    type_later(master, "q")
    with pytest.raises(QuietExit) as info:
        plan_resume(
            journal, "test-break", "test-break", test_break, stdin=stream, out=io.StringIO()
        )
    assert info.value.exit_code == 0


def test_entries_round_trip_through_json(journal: Journal) -> None:
    sid = add(journal, datetime(2023, 1, 1, 9, 0, tzinfo=TZ), 10)
    entry = journal.get(sid)
    assert isinstance(entry, Entry) and P.ADJUST_STEP  # (imports used)
    assert history.record(entry)["started_at"] == "2023-01-01T09:00:00+01:00"
