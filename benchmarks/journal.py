"""What does recording a session in the journal cost, and does it disturb cue timing?

Measures, against a real journal file in a temporary folder:

1. ``JournalSink.started`` / ``.action`` as the session loop calls them right after a cue's
   deadline: time per call (goal: well under 1 ms; they only store a reference and wake
   the writer thread);
2. one progress write (``Journal.progress``: an UPDATE and commit) with
   ``synchronous=FULL`` (what the journal uses: durable against power cuts) and, for
   comparison, ``NORMAL``: p50 / p99 / max. These run on the writer thread, never on the
   session loop;
3. cue lateness (actual - scheduled, from the session's own ``Started`` records) over a
   whole routine at ``--speed`` X, with no journal and with a journal writing progress
   every 50 ms (40x more often than the real 2 s), in the same run, alternating.

Usage: python benchmarks/journal.py [--routine upper-back] [--speed 100] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from yogaback.journal.opening import open_journal
from yogaback.journal.writer import JournalSink
from yogaback.practice.player import Player, Started
from yogaback.practice.session import Session
from yogaback.practice.timeline import compile_timeline
from yogaback.routine.catalog import resolve
from yogaback.routine.load import load_routine

GOAL_CALL_MS = 0.05
"""Goal for one sink call on the session loop (the brief asks for well under 1 ms)."""
GOAL_LATENESS_MS = 1.0
"""Goal: the journal adds less than this to the p99 cue lateness."""


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Lateness:
    """A sink that records how late each cue was announced."""

    def __init__(self) -> None:
        self.late: list[float] = []

    def started(self, player: Player, items: Sequence[Started], now: float) -> None:
        self.late.extend(i.actual - i.scheduled for i in items)

    def action(self, player: Player, name: str, now: float) -> None:
        pass


def call_cost(folder: Path, calls: int) -> tuple[float, float]:
    routine = load_routine(resolve("upper-back"))
    player = Player(compile_timeline(routine), speed=1.0)
    with open_journal(folder / "calls.sqlite3") as journal:
        sid = journal.begin_session("bench", planned_seconds=1.0, parts=1)
        sink = JournalSink(journal, sid, interval=0.05)
        t0 = time.perf_counter()
        for _ in range(calls):
            sink.started(player, (), 0.0)
        started = (time.perf_counter() - t0) / calls
        t0 = time.perf_counter()
        for i in range(calls // 10):
            sink.action(player, "pause" if i % 2 else "resume", 0.0)
        action = (time.perf_counter() - t0) / (calls // 10)
        sink.close()
    return started, action


def write_cost(folder: Path, synchronous: str, writes: int) -> list[float]:
    path = folder / f"writes-{synchronous}.sqlite3"
    with open_journal(path) as journal:
        sid = journal.begin_session("bench", planned_seconds=1.0, parts=1)
        journal._conn.execute(f"PRAGMA synchronous={synchronous}")
        times = []
        for i in range(writes):
            t0 = time.perf_counter()
            journal.progress(sid, float(i), i % 30 + 1)
            times.append(time.perf_counter() - t0)
    return times


def session_lateness(routine_name: str, speed: float, journal_path: Path | None) -> list[float]:
    routine = load_routine(resolve(routine_name))
    session = Session(Player(compile_timeline(routine), speed=speed))
    probe = Lateness()
    session.sinks.append(probe)
    sink = None
    if journal_path is not None:
        journal = open_journal(journal_path)
        sid = journal.begin_session(routine_name, planned_seconds=1.0, parts=1)
        sink = JournalSink(journal, sid, interval=0.05)
        session.sinks.append(sink)
    session.run()
    if sink is not None:
        sink.close(session.player)
        journal.close()
    return probe.late


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routine", default="upper-back")
    parser.add_argument("--speed", type=float, default=100.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"sqlite {sqlite3.sqlite_version}, load average {load:.2f} on {os.cpu_count()} CPUs")
    if load > (os.cpu_count() or 1):
        print("warning: the machine is busy; wall-clock figures will be noisy")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started, action = call_cost(folder, 200_000)
        good = started * 1000 < GOAL_CALL_MS and action * 1000 < GOAL_CALL_MS
        ok &= good
        print(
            f"\n1. sink calls on the session loop: started {started * 1e6:.2f} µs, "
            f"action {action * 1e6:.2f} µs  (goal < {GOAL_CALL_MS * 1000:.0f} µs) "
            f"{'PASS' if good else 'FAIL'}"
        )
        print("\n2. one progress write (on the writer thread), ms:")
        for mode in ("FULL", "NORMAL"):
            t = write_cost(folder, mode, 300)
            print(
                f"   synchronous={mode:<6}  p50 {pct(t, 0.5) * 1000:.3f}  "
                f"p99 {pct(t, 0.99) * 1000:.3f}  max {max(t) * 1000:.3f}"
            )
        print(f"\n3. cue lateness over {args.routine} at --speed {args.speed:g}, ms:")
        without: list[float] = []
        with_journal: list[float] = []
        for n in range(args.rounds):
            without += session_lateness(args.routine, args.speed, None)
            with_journal += session_lateness(args.routine, args.speed, folder / f"s{n}.sqlite3")
        rows = (("no journal", without), ("journal every 50 ms", with_journal))
        for name, late in rows:
            print(
                f"   {name:<20} n={len(late):<5} p50 {pct(late, 0.5) * 1000:.3f}  "
                f"p99 {pct(late, 0.99) * 1000:.3f}  max {max(late) * 1000:.3f}  "
                f"mean {statistics.fmean(late) * 1000:.3f}"
            )
        added = (pct(with_journal, 0.99) - pct(without, 0.99)) * 1000
        good = added < GOAL_LATENESS_MS
        ok &= good
        print(
            f"   added p99 lateness: {added:+.3f} ms (goal < {GOAL_LATENESS_MS:g} ms) "
            f"{'PASS' if good else 'FAIL'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
