"""After wiring: the real ``yogaback play`` keeps the journal. Killed with SIGKILL part-way,
the journal shows the partial session and ``--resume`` continues at that part."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time

import pytest

from yogaback.journal.opening import load_entries

YOGABACK = [sys.executable, "-m", "yogaback"]


def yb(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*YOGABACK, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_play_is_in_history_and_resumes_at_that_part() -> None:
    proc = subprocess.Popen(
        [*YOGABACK, "play", "upper-back", "--speed", "60"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:  # until the journal shows the session past 2:00 of routine time, part 3
        [*_, latest] = load_entries(None) or [None]
        if latest is not None and latest.practised_seconds >= 120 and latest.part >= 3:
            break
        assert proc.poll() is None and time.monotonic() < deadline, "no progress in time"
        time.sleep(0.05)  # polling the journal another process writes
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    [entry] = json.loads(yb("history", "--json").stdout)
    assert (entry["state"], entry["routine"]) == ("unfinished", "upper-back")
    assert entry["part"] >= 3 and entry["practised_seconds"] >= 120
    resumed = yb("play", "upper-back", "--resume", "--speed", "1000")
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.startswith(f"Continuing upper-back at part {entry['part']} of 31")
    new, old = json.loads(yb("history", "--json").stdout)
    assert (new["start_part"], new["part"], new["completed"]) == (entry["part"], 31, True)
    assert new["resumed_from"] == old["id"] == entry["id"]
    assert "nothing to resume" in yb("play", "upper-back", "--resume").stderr


def test_a_session_whose_output_pipe_closes_is_recorded_as_interrupted() -> None:
    """``yogaback play ... | head``: the session ends when a cue can no longer be written,
    and the journal says it was interrupted (not unfinished, as after a crash)."""
    proc = subprocess.Popen(
        [*YOGABACK, "play", "upper-back", "--plain", "--speed", "50", "--no-sound"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    try:
        deadline = time.monotonic() + 30
        while True:  # until the session has begun: its first cue line
            ready, _, _ = select.select([proc.stdout], [], [], deadline - time.monotonic())
            assert ready, "no output in time"
            if proc.stdout.readline().startswith("["):
                break
        proc.stdout.close()  # like head, having read what it wanted
        proc.wait(timeout=30)
    finally:
        proc.kill()
    [entry] = json.loads(yb("history", "--json").stdout)
    assert (entry["routine"], entry["state"], entry["completed"]) == (
        "upper-back",
        "interrupted",
        False,
    )
    assert 0 < entry["practised_seconds"] < entry["planned_seconds"]
