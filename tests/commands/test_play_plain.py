"""The real ``yogaback play`` in pipes: plain lines flushed as each cue happens, never waiting
for a key, the ``--events`` log (schema, timing, order), and the options that shape a session
(--start-at, --minutes, --pace, --speed). Everything is checked against ``yogaback show``,
which promises to preview exactly what ``play`` does.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from builders import TEST_BREAK, YOGABACK

ROUTINE = TEST_BREAK

QUIET = ["--sound-engine", "silent"]
"""Every run plays through the sound layer without making a noise, on any machine."""

CUE = re.compile(
    r"^\[(\d\d):(\d\d)\] (?P<name>[^·]+?)(?: · (?P<side>right|left))?(?: · (?P<count>\d+ of \d+))?"
    r" · (?P<phase>get ready|inhale|exhale|hold|rest)(?:: (?P<text>.+))?$"
)
ROW = re.compile(r"^\s*(\d+)\s+(\d+:\d\d)\s+(\d+:\d\d)\s+(\S.*?)\s*$")
FIELDS = {"kind", "pose", "side", "rep", "phase", "text", "scheduled", "actual"}


@pytest.fixture
def routine(tmp_path: Path) -> Path:
    path = tmp_path / "test-break.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    return path


def env(**extra: str) -> dict[str, str]:
    e = dict(os.environ)
    e.update(extra)
    return e


def play(*args: object, timeout: float = 30, **kw: object) -> subprocess.CompletedProcess[str]:
    """``yogaback play ARGS`` with stdin not a terminal and stdout a pipe."""
    return subprocess.run(
        [*YOGABACK, "play", *map(str, args), *QUIET],
        stdin=kw.pop("stdin", subprocess.DEVNULL),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        **kw,  # type: ignore[call-overload]
    )


@contextlib.contextmanager
def running(*args: object, seconds: float = 20) -> Iterator[subprocess.Popen[str]]:
    """``yogaback play ARGS`` in the background, stdout a pipe; killed if a test step hangs
    or fails, so a blocking readline can never hold up the suite."""
    proc = subprocess.Popen(
        [*YOGABACK, "play", *map(str, args), *QUIET],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    timer = threading.Timer(seconds, proc.kill)
    timer.start()
    try:
        yield proc
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


def show(*args: object) -> str:
    done = subprocess.run(
        [*YOGABACK, "show", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env(COLUMNS="250"),
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def preview(*args: object) -> tuple[list[tuple[int, float, str]], float]:
    """What ``show`` lists: (number, start in seconds, rest of the row) per part, and the total."""
    text = show(*args)
    rows = []
    for line in text.splitlines():
        m = ROW.match(line)
        if m:
            rows.append((int(m.group(1)), seconds(m.group(2)), m.group(4)))
    assert rows, "show listed no parts"
    total = re.search(r"Total (\d+:\d\d)", text)
    assert total
    return rows, seconds(total.group(1))


def seconds(clock: str) -> float:
    m, s = clock.split(":")
    return int(m) * 60 + int(s)


def events(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def segments(path: Path) -> list[dict[str, object]]:
    return [e for e in events(path) if e["kind"] == "segment"]


def cue_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("[")]


# --- plain lines -----------------------------------------------------------------------------


def test_one_plain_line_per_cue(routine: Path, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    done = play(routine, "--speed", "1000", "--events", log)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Test break — 1:24, 4 parts"
    assert "Ease off at any sharp pain." in lines[1]
    cues = cue_lines(done.stdout)
    for line in cues:
        assert CUE.match(line), line
    assert cues[0] == "[00:00] Easy seat · get ready: Sit tall."
    # a breath-counted hold's cue is printed on its first breath, then only the count
    assert (
        cues[1]
        == "[00:02] Easy seat · 1 of 2 · inhale: Let your shoulders drop away from your ears."
    )
    assert cues[2:5] == [
        "[00:04] Easy seat · 1 of 2 · exhale",
        "[00:06] Easy seat · 2 of 2 · inhale",
        "[00:08] Easy seat · 2 of 2 · exhale",
    ]
    assert "[00:22] Thread the needle · right · hold: Rest your right shoulder on the mat." in cues
    assert "[00:37] Thread the needle · right · hold: Let your breath widen your ribs." in cues
    assert "[00:54] Thread the needle · left · hold: Rest your left shoulder on the mat." in cues
    # one line per segment, in the same order as the event log
    segs = segments(log)
    assert len(cues) == len(segs)
    said = None
    for line, seg in zip(cues, segs, strict=True):
        m = CUE.match(line)
        assert m and m["name"] == seg["name"] and m["side"] == seg["side"]
        assert m["text"] == (None if (seg["part"], seg["text"]) == said else seg["text"]), line
        said = (seg["part"], seg["text"])
        assert int(m.group(1)) * 60 + int(m.group(2)) == round(float(seg["at"]))  # type: ignore[arg-type]
    assert lines[-1].startswith("Well done. 1:24 of practice")


def test_plain_lines_are_not_wrapped(routine: Path) -> None:
    done = play(routine, "--speed", "1000", env=env(COLUMNS="30"))
    assert done.returncode == 0, done.stderr
    cues = cue_lines(done.stdout)
    assert len(cues) == 16
    assert all(CUE.match(line) for line in cues)


def test_plain_has_no_colour_even_when_allowed(routine: Path) -> None:
    e = env(TERM="xterm-256color")
    e.pop("NO_COLOR", None)
    done = play(routine, "--speed", "1000", env=e)
    assert done.returncode == 0
    assert "\x1b" not in done.stdout


def test_lines_are_flushed_as_each_cue_happens(routine: Path) -> None:
    # --speed 4: the first cue is due at once, the second 0.5 s later, the end 21 s later
    started = time.monotonic()
    with running(routine, "--speed", "4") as proc:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("Test break")
        while not (line := proc.stdout.readline()).startswith("["):
            assert line, "output ended early"
        assert line.rstrip("\n") == "[00:00] Easy seat · get ready: Sit tall."
        assert proc.poll() is None, "the first cue arrived only when the program ended"
        second = proc.stdout.readline()
        assert second.startswith("[00:02] Easy seat · 1 of 2 · inhale:")
        assert proc.poll() is None
        assert time.monotonic() - started < 15
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 143, err
    assert "Stopped at part 1 of 4: Easy seat" in out


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signals_in_a_pipe_stop_with_a_summary(
    routine: Path, tmp_path: Path, signum: int, code: int
) -> None:
    log = tmp_path / "events.jsonl"
    with running(routine, "--speed", "2", "--events", log) as proc:
        assert proc.stdout is not None
        while not (line := proc.stdout.readline()).startswith("[00:00]"):
            assert line, "output ended before the first cue"
        time.sleep(0.25)  # the next cue is 1 s away: the signal lands while the loop waits
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert "Stopped at part 1 of 4: Easy seat" in out
    assert events(log)[-1]["kind"] == ("interrupt" if signum == signal.SIGINT else "terminate")


SIGNAL_IN_A_SINK = """
import os, pathlib, signal
marker = pathlib.Path(os.environ["YOGABACK_TEST_MARKER"])
try:
    from yogaback.sound import sink as _sink
    _original = _sink.SoundSink._started
except (ImportError, AttributeError):
    pass
else:
    def _started(self, *args, **kwargs):
        if not marker.exists():
            marker.write_text("signalled")
            os.kill(os.getpid(), signal.SIG%s)  # handled right here, inside the sink
        return _original(self, *args, **kwargs)
    _sink.SoundSink._started = _started
"""


@pytest.mark.parametrize(("name", "code"), [("TERM", 143), ("HUP", 129)])
def test_a_signal_during_a_cue_still_stops(
    routine: Path, tmp_path: Path, name: str, code: int
) -> None:
    # A sitecustomize makes the signal arrive at the worst moment, deterministically: while
    # the sound sink handles the first cue. Without it the race is real but rare.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SIGNAL_IN_A_SINK % name, encoding="utf-8")
    marker = tmp_path / "signalled"
    path = os.pathsep.join(p for p in (str(hooks), os.environ.get("PYTHONPATH", "")) if p)
    done = play(
        routine,
        "--speed",
        "50",
        env=env(PYTHONPATH=path, YOGABACK_TEST_MARKER=str(marker)),
    )
    if not marker.exists():
        raise RuntimeError("the test hook no longer reaches SoundSink._started: update it")
    assert done.returncode == code, done.stdout[-300:]
    assert "Stopped at part 1 of 4" in done.stdout


@pytest.mark.parametrize(
    "stdin", [subprocess.DEVNULL, subprocess.PIPE], ids=["devnull", "open-pipe"]
)
@pytest.mark.parametrize("plain", [[], ["--plain"]], ids=["auto", "plain"])
def test_stdin_not_a_terminal_never_waits(routine: Path, stdin: int, plain: list[str]) -> None:
    # an open pipe that nobody writes to must not be mistaken for a keyboard
    done = play(routine, *plain, "--speed", "500", stdin=stdin, timeout=20)
    assert done.returncode == 0, done.stderr
    assert "Press any key" not in done.stdout
    assert done.stdout.splitlines()[-1].startswith("Well done.")


# --- the event log ---------------------------------------------------------------------------


def test_events_schema_and_timing(routine: Path, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    done = play(routine, "--speed", "100", "--events", log)
    assert done.returncode == 0, done.stderr
    records = events(log)
    for r in records:
        assert set(r) >= FIELDS, r
        assert isinstance(r["kind"], str) and isinstance(r["pose"], str)
        assert r["side"] is None or r["side"] in ("right", "left")
        assert r["rep"] is None or isinstance(r["rep"], int)
        assert r["phase"] in ("inhale", "exhale", "hold", "rest", "transition")
        assert isinstance(r["text"], str) and r["text"]
        assert isinstance(r["scheduled"], float) and isinstance(r["actual"], float)
    assert [r["kind"] for r in records] == ["segment"] * 16 + ["end"]
    segs = records[:-1]
    assert {s["side"] for s in segs if s["pose"] != "thread-the-needle"} == {None}
    assert [s["side"] for s in segs if s["pose"] == "thread-the-needle"] == ["right"] * 3 + [
        "left"
    ] * 3
    assert [s["rep"] for s in segs if s["pose"] == "cat-cow"] == [None, 1, 1, 2, 2]
    # scheduled times follow the routine at 100x; nothing is announced early, or much late
    for s in segs:
        assert s["scheduled"] == pytest.approx(float(s["at"]) / 100, abs=1e-5)  # type: ignore[arg-type]
    lateness = sorted(float(r["actual"]) - float(r["scheduled"]) for r in records)  # type: ignore[arg-type]
    assert lateness[0] >= -1e-5
    # p99 under 50 ms -- with a handful of cues, that allows one outlier on a busy machine
    late = [x for x in lateness if x >= 0.05]
    assert len(late) <= max(1, len(lateness) // 100), f"late by {[round(x, 3) for x in late]} s"
    assert lateness[len(lateness) // 2] < 0.025
    actual = [float(r["actual"]) for r in records]  # type: ignore[arg-type]
    assert actual == sorted(actual)
    assert records[-1]["scheduled"] == pytest.approx(0.84, abs=1e-5)


@pytest.mark.parametrize("name", ["routine", "upper-back", "yin-knots"])
def test_events_follow_show_order(routine: Path, tmp_path: Path, name: str) -> None:
    arg = routine if name == "routine" else name
    log = tmp_path / "events.jsonl"
    done = play(arg, "--speed", "1000", "--events", log, timeout=60)
    assert done.returncode == 0, done.stderr
    segs = segments(log)
    # each part's segments come together, parts in order
    parts = [int(s["part"]) for s in segs]  # type: ignore[call-overload]
    assert parts == sorted(parts)
    firsts = [s for i, s in enumerate(segs) if i == 0 or segs[i - 1]["part"] != s["part"]]
    rows, total = preview(arg)
    assert len(firsts) == len(rows)
    for number, (seg, (row_no, row_at, rest)) in enumerate(zip(firsts, rows, strict=True), 1):
        assert row_no == number
        assert rest.startswith(str(seg["name"])), (rest, seg)
        if seg["side"]:
            assert str(seg["side"]) in rest
        assert abs(float(seg["at"]) - row_at) <= 0.5 + 1e-6  # type: ignore[arg-type]
        assert seg["phase"] == "transition"
    end = events(log)[-1]
    assert end["kind"] == "end"
    assert abs(float(end["position"]) - total) <= 0.5 + 1e-6  # type: ignore[arg-type]


def test_events_refuse_an_existing_file(routine: Path, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text("keep me\n", encoding="utf-8")
    done = play(routine, "--speed", "1000", "--events", log)
    assert done.returncode == 2
    assert str(log) in done.stderr and "not overwriting" in done.stderr
    assert log.read_text(encoding="utf-8") == "keep me\n"
    assert cue_lines(done.stdout) == []


def test_events_may_use_an_existing_empty_file(routine: Path, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.touch()
    done = play(routine, "--speed", "1000", "--events", log)
    assert done.returncode == 0, done.stderr
    assert len(segments(log)) == 16


@pytest.mark.parametrize("target", ["empty", "dangling"])
def test_events_never_write_through_a_link_to_a_file(
    routine: Path, tmp_path: Path, target: str
) -> None:
    aim = tmp_path / "somebody-elses.txt"
    if target == "empty":
        aim.touch()
    log = tmp_path / "events.jsonl"
    log.symlink_to(aim)
    done = play(routine, "--speed", "1000", "--events", log)
    assert done.returncode == 2
    assert str(log) in done.stderr and "link" in done.stderr
    assert "Traceback" not in done.stderr
    assert (aim.read_text() == "") if target == "empty" else not aim.exists()
    assert cue_lines(done.stdout) == []


def test_events_to_a_link_to_a_stream_such_as_dev_stderr_is_fine(
    routine: Path, tmp_path: Path
) -> None:
    done = play(routine, "--speed", "1000", "--events", "/dev/stderr")
    assert done.returncode == 0, done.stderr
    assert '"kind": "segment"' in done.stderr


def test_events_in_a_missing_folder_is_bad_input(routine: Path, tmp_path: Path) -> None:
    done = play(routine, "--speed", "1000", "--events", tmp_path / "nowhere" / "events.jsonl")
    assert done.returncode == 2
    assert "nowhere" in done.stderr and "Traceback" not in done.stderr


def test_events_to_a_folder_says_it_is_a_folder(routine: Path, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    done = play(routine, "--speed", "1000", "--events", folder)
    assert done.returncode == 2
    assert done.stderr == (
        f"yogaback: --events {folder} is a folder; give a file name in it, "
        f"e.g. --events {folder / 'events.jsonl'}\n"
    )
    assert done.stdout == ""  # refused before the session started
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_events_to_a_pipe_nobody_reads_fails_at_once(routine: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "events.fifo"
    os.mkfifo(fifo)
    done = play(routine, "--speed", "1000", "--events", fifo, timeout=10)  # it used to hang
    assert done.returncode == 2
    assert f"--events {fifo} is a named pipe that nobody is reading" in done.stderr
    assert done.stdout == ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_events_to_a_pipe_with_a_reader(routine: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "events.fifo"
    os.mkfifo(fifo)
    # the reader opens the pipe first (non-blocking, or it would wait for a writer); the
    # session's few lines fit in the pipe's buffer, so they are read once it has ended
    reader_fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    with open(reader_fd, encoding="utf-8") as reader:
        done = play(routine, "--speed", "1000", "--events", fifo, timeout=10)
        lines = reader.read().splitlines()
    assert done.returncode == 0, done.stderr
    assert sum(json.loads(line)["kind"] == "segment" for line in lines) == 16


def test_header_counts_one_part_as_a_part(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(
        "title: Just one\nposes:\n  a: {name: Pose A}\nsteps:\n  - pose: a\n    duration: 5s\n",
        encoding="utf-8",
    )
    done = play(path, "--speed", "1000")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "Just one — 0:10, 1 part"
    again = play(path, "--start-at", "2")
    assert again.returncode == 2
    assert "--start-at 2: this routine has only part 1" in again.stderr


# --- options -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start_at", "part", "name", "side"),
    [
        ("2", 2, "Cat–cow", None),
        ("3", 3, "Thread the needle", "right"),
        ("cat-cow", 2, "Cat–cow", None),
        ("Thread the needle", 3, "Thread the needle", "right"),
        ("thread", 3, "Thread the needle", "right"),
    ],
)
def test_start_at(
    routine: Path, tmp_path: Path, start_at: str, part: int, name: str, side: str | None
) -> None:
    log = tmp_path / "events.jsonl"
    done = play(routine, "--start-at", start_at, "--speed", "1000", "--events", log)
    assert done.returncode == 0, done.stderr
    segs = segments(log)
    assert segs[0]["name"] == name and segs[0]["side"] == side
    assert segs[0]["phase"] == "transition"
    assert {s["name"] for s in segs} <= {"Cat–cow", "Thread the needle"}
    first = cue_lines(done.stdout)[0]
    assert f"] {name} · " in first
    # the parts played are show's parts from that one on
    rows, _ = preview(routine)
    assert len({s["part"] for s in segs}) == len(rows) - (part - 1)
    assert f"part {len(rows)} of {len(rows)}" in done.stdout


@pytest.mark.parametrize("start_at", ["0", "5", "headstand"])
def test_start_at_nowhere_is_bad_input(routine: Path, start_at: str) -> None:
    done = play(routine, "--start-at", start_at, "--speed", "1000")
    assert done.returncode == 2
    assert "--start-at" in done.stderr
    assert cue_lines(done.stdout) == []


@pytest.mark.parametrize("minutes", ["1", "3"])
def test_minutes_changes_the_total_as_show_says(
    routine: Path, tmp_path: Path, minutes: str
) -> None:
    log = tmp_path / "events.jsonl"
    done = play(routine, "--minutes", minutes, "--speed", "1000", "--events", log)
    assert done.returncode == 0, done.stderr
    rows, total = preview(routine, "--minutes", minutes)
    assert total != 84
    assert abs(total - float(minutes) * 60) <= 15
    end = events(log)[-1]
    assert abs(float(end["position"]) - total) <= 0.5 + 1e-6  # type: ignore[arg-type]
    starts = [row[1] for row in rows]
    firsts = [s for s in segments(log) if s["phase"] == "transition"]
    assert [round(float(s["at"])) for s in firsts] == starts  # type: ignore[arg-type]


def test_pace_sets_the_breath(routine: Path, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    done = play(routine, "--pace", "8", "--speed", "1000", "--events", log)
    assert done.returncode == 0, done.stderr
    segs = segments(log)
    breath = [s for s in segs if s["pose"] == "easy-seat" and s["phase"] != "transition"]
    assert [s["length"] for s in breath] == [4.0, 4.0, 4.0, 4.0]  # 2 s + 2 s scaled to 8 s
    _, total = preview(routine, "--pace", "8")
    assert abs(float(events(log)[-1]["position"]) - total) <= 0.5 + 1e-6  # type: ignore[arg-type]


def test_speed_plays_faster_than_real_time(routine: Path, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    started = time.monotonic()
    done = play(routine, "--speed", "50", "--events", log)
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    end = events(log)[-1]
    assert float(end["actual"]) == pytest.approx(84 / 50, abs=0.05)  # type: ignore[arg-type]
    assert elapsed < 84 / 50 + 10


@pytest.mark.parametrize(
    ("speed", "played", "says", "never"),
    [
        (1.0, 84.0, "Well done. 1:24 of practice", "preview"),
        (20.0, 84.0, "A preview at 20×: in your history, not your stats.", "Take a moment"),
        (1.0, 10.0, "Skipped through to the end: 0:10 of Test break practised", "Well done"),
    ],
)
def test_the_end_says_what_kind_of_session_it_was(
    routine: Path, speed: float, played: float, says: str, never: str
) -> None:
    """A preview or a session pressed through is not praised as practice (they are kept
    apart in the journal too)."""
    from dataclasses import replace

    from yogaback.commands.play import summary
    from yogaback.practice.player import Player
    from yogaback.practice.timeline import compile_timeline
    from yogaback.routine.load import load_routine

    loaded = load_routine(routine)
    player = replace(Player(compile_timeline(loaded), speed=speed), status="done", played=played)
    text = summary(loaded, player, "test-break")
    assert says in text and never not in text
