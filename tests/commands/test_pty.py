"""The real ``yogaback play`` in a pseudo-terminal: the screen, the keys, and the terminal
given back exactly as it was — after a normal end, q, Esc, Ctrl-C, SIGTERM, SIGHUP or a crash.

Each run goes through a small shell wrapper that saves ``stty -g`` before and after the
program and prints its exit code, so "the terminal is exactly as before" is a comparison
of two files, not an impression. What the program draws is fed to a tiny VT emulator
(below) so tests can expect *screen text* rather than sleep.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import signal
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from builders import TEST_BREAK, YOGABACK

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals only")

ROUTINE = TEST_BREAK

KEYS_LONG = "space pause · n next · p back · +/- hold · m mute · ? help · q quit"
KEYS_PAUSED = KEYS_LONG.replace("space pause", "space resume")
QUIET = ["--sound-engine", "silent"]
"""Every run plays through the sound layer without making a noise, on any machine."""
HIDE, SHOW = "\x1b[?25l", "\x1b[?25h"
ALT_ON, ALT_OFF = "\x1b[?1049h", "\x1b[?1049l"


# --- a very small VT100 screen ------------------------------------------------------------

_SEQ = re.compile(
    r"\x1b\[([0-9;?]*)([A-Za-z@])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)
_PARTIAL = re.compile(r"\x1b(?:\[[0-9;?]*|\][^\x07\x1b]*|[()])?")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z@]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()=>78]")


class Screen:
    """Just enough of a terminal for Rich's live display: cursor moves, erases, the
    alternate screen and cursor visibility. Styles are ignored."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.grid = self._blank()
        self.x = self.y = 0
        self.alt = False
        self.cursor_visible = True
        self.saved: tuple[list[list[str]], int, int] | None = None
        self.pending = ""

    def _blank(self) -> list[list[str]]:
        return [[" "] * self.cols for _ in range(self.rows)]

    def resize(self, cols: int, rows: int) -> None:
        """Resize, keeping what fits (the program is expected to redraw anyway)."""
        old = self.grid
        self.cols, self.rows = cols, rows
        self.grid = self._blank()
        for r, row in enumerate(old[:rows]):
            self.grid[r][: min(cols, len(row))] = row[:cols]
        self.x, self.y = min(self.x, cols - 1), min(self.y, rows - 1)

    def clear(self) -> None:
        self.grid = self._blank()

    def _linefeed(self) -> None:
        if self.y < self.rows - 1:
            self.y += 1
        else:
            self.grid.pop(0)
            self.grid.append([" "] * self.cols)

    def _put(self, ch: str) -> None:
        width = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if unicodedata.combining(ch):
            return
        if self.x + width > self.cols:
            self.x = 0
            self._linefeed()
        self.grid[self.y][self.x] = ch
        if width == 2 and self.x + 1 < self.cols:
            self.grid[self.y][self.x + 1] = ""
        self.x += width

    def feed(self, data: str) -> None:
        data, self.pending = self.pending + data, ""
        pos = 0
        while pos < len(data):
            m = _SEQ.match(data, pos)
            if m:
                pos = m.end()
                if m.group(2):
                    self._csi(m.group(1), m.group(2))
                continue
            if _PARTIAL.fullmatch(data, pos):  # a sequence cut between two reads
                self.pending = data[pos:]
                return
            ch = data[pos]
            pos += 1
            if ch == "\r":
                self.x = 0
            elif ch == "\n":
                self._linefeed()
            elif ch == "\b":
                self.x = max(0, self.x - 1)
            elif ch >= " " and ch != "\x7f":
                self._put(ch)

    def _csi(self, params: str, final: str) -> None:
        private = params.startswith("?")
        nums = [int(p) if p else 0 for p in params.lstrip("?").split(";")] if params else []
        n = nums[0] if nums else 0
        if private:
            if n == 25:
                self.cursor_visible = final == "h"
            elif n in (47, 1047, 1049):
                if final == "h" and not self.alt:
                    self.saved = ([row[:] for row in self.grid], self.x, self.y)
                    self.alt = True
                    self.clear()
                elif final == "l" and self.alt:
                    self.alt = False
                    self.clear()
                    if self.saved is not None:
                        grid, self.x, self.y = self.saved
                        for r, row in enumerate(grid[: self.rows]):
                            self.grid[r][: min(self.cols, len(row))] = row[: self.cols]
                        self.x, self.y = min(self.x, self.cols - 1), min(self.y, self.rows - 1)
            return
        if final in "Hf":
            row = (nums[0] if nums else 1) or 1
            col = (nums[1] if len(nums) > 1 else 1) or 1
            self.y, self.x = min(self.rows - 1, row - 1), min(self.cols - 1, col - 1)
        elif final == "J":
            if n in (2, 3):
                self.clear()
            elif n == 0:
                self.grid[self.y][self.x :] = [" "] * (self.cols - self.x)
                for r in range(self.y + 1, self.rows):
                    self.grid[r] = [" "] * self.cols
        elif final == "K":
            if n == 0:
                self.grid[self.y][self.x :] = [" "] * (self.cols - self.x)
            elif n == 1:
                self.grid[self.y][: self.x + 1] = [" "] * (self.x + 1)
            elif n == 2:
                self.grid[self.y] = [" "] * self.cols
        elif final == "A":
            self.y = max(0, self.y - (n or 1))
        elif final == "B":
            self.y = min(self.rows - 1, self.y + (n or 1))
        elif final == "C":
            self.x = min(self.cols - 1, self.x + (n or 1))
        elif final == "D":
            self.x = max(0, self.x - (n or 1))
        elif final == "G":
            self.x = min(self.cols - 1, (n or 1) - 1)

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.grid]

    def text(self) -> str:
        return "\n".join(self.lines())

    def filled(self) -> list[str]:
        return [ln for ln in self.lines() if ln.strip()]


def squash(text: str) -> str:
    """Screen text without spaces: the live screen letter-spaces pose names (E A S Y)."""
    return re.sub(r"\s+", "", text)


def words(text: str) -> str:
    """Screen text with all runs of whitespace (line breaks too) made one space."""
    return " ".join(text.split())


# --- one program run in a pseudo-terminal ---------------------------------------------------


class Run:
    """``yogaback play ARGS`` in a pty, wrapped so the terminal's mode is saved before and
    after it and its exit code is printed: ``rc=N``. The program itself is exec'd by an inner
    shell that first prints ``pid=N``, so signals can be sent to exactly that process."""

    def __init__(
        self,
        tmp_path: Path,
        args: list[str],
        *,
        size: tuple[int, int] = (80, 24),
        stdin: str | None = None,
        env: dict[str, str],
    ) -> None:
        self.dir = tmp_path
        self.before = tmp_path / "stty-before.txt"
        self.after = tmp_path / "stty-after.txt"
        self.after_all = tmp_path / "stty-after-a.txt"
        program = shlex.join([*YOGABACK, "play", *args, *QUIET])
        redirect = f" < {shlex.quote(stdin)}" if stdin else ""
        script = (
            f"trap : INT; stty -g > {shlex.quote(str(self.before))}; "
            f'sh -c \'echo "pid=$$"; exec "$@"\' yogaback {program}{redirect}; '
            f'echo "rc=$?"; stty -g > {shlex.quote(str(self.after))}; '
            f"stty -a > {shlex.quote(str(self.after_all))}"
        )
        cols, rows = size
        self.screen = Screen(cols, rows)
        self.raw = ""
        self.eof = False
        self.child = pexpect.spawn(
            "sh",
            ["-c", script],
            env=env,
            dimensions=(rows, cols),
            encoding="utf-8",
            codec_errors="replace",
            timeout=10,
        )

    # reading -------------------------------------------------------------------------

    def pump(self, timeout: float = 0.05) -> None:
        if self.eof:
            return
        try:
            data = self.child.read_nonblocking(1 << 16, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            self.eof = True
            return
        self.raw += data
        self.screen.feed(data)

    def settle(self, quiet: float = 0.05) -> bool:
        """Read until nothing arrives for ``quiet`` seconds; whether anything arrived."""
        seen = len(self.raw)
        end = time.monotonic() + 1.0  # a screen that never stops changing: give up waiting
        while not self.eof and time.monotonic() < end:
            before = len(self.raw)
            self.pump(quiet)
            if len(self.raw) == before:
                break
        return len(self.raw) != seen

    def wait_for(
        self, want: str | Callable[[str], bool], timeout: float = 10.0, what: str = ""
    ) -> str:
        """Read until the screen shows ``want`` (text, or a test of the screen text)."""
        test = want if callable(want) else (lambda screen: want in screen)
        end = time.monotonic() + timeout
        while True:
            screen = self.screen.text()
            if test(screen):
                # a frame may arrive in several reads: let the output pause, then look again
                if self.settle():
                    screen = self.screen.text()
                    if not test(screen):
                        continue
                return screen
            if self.eof or time.monotonic() > end:
                raise AssertionError(
                    f"timed out waiting for {what or want!r}; the screen:\n{screen}\n"
                    f"--- last output: {self.raw[-600:]!r}"
                )
            self.pump()

    def wait_raw(self, pattern: str, timeout: float = 10.0, since: int = 0) -> re.Match[str]:
        """Read until ``pattern`` is in the output (from offset ``since`` on)."""
        end = time.monotonic() + timeout
        while True:
            m = re.compile(pattern).search(self.raw, since)
            if m:
                return m
            if self.eof or time.monotonic() > end:
                raise AssertionError(f"no {pattern!r} in output: {self.raw[-600:]!r}")
            self.pump()

    @property
    def pid(self) -> int:
        return int(self.wait_raw(r"pid=(\d+)").group(1))

    def plain(self) -> str:
        """Everything written, escape codes removed."""
        return ANSI.sub("", self.raw)

    # acting ----------------------------------------------------------------------------

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def resize(self, cols: int, rows: int) -> None:
        self.screen.resize(cols, rows)
        self.child.setwinsize(rows, cols)  # the child gets SIGWINCH

    def start(self) -> None:
        """Wait for the safety screen and press a key to begin."""
        self.wait_for("Press any key")
        self.send("x")
        self.wait_for(lambda s: "Press any key" not in s, what="the session to start")

    def finish(self, timeout: float = 20.0) -> int:
        """Read to the end; the program's exit code."""
        end = time.monotonic() + timeout
        while not self.eof:
            if time.monotonic() > end:
                self.child.terminate(force=True)
                raise AssertionError(f"still running after {timeout}s: {self.raw[-600:]!r}")
            self.pump(0.1)
        self.child.close()
        m = re.findall(r"rc=(\d+)", self.raw)
        assert m, f"no exit code printed: {self.raw[-600:]!r}"
        return int(m[-1])

    def close(self) -> None:
        """After a failed test: end the program we started, then its shell."""
        if self.child.isalive():
            m = re.search(r"pid=(\d+)", self.raw)
            if m:
                with contextlib.suppress(OSError):
                    os.kill(int(m.group(1)), signal.SIGKILL)
            self.child.terminate(force=True)


@pytest.fixture
def pty_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(name, None)  # let the pty's own size and nature be used
    env["TERM"] = "xterm-256color"
    env["NO_COLOR"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture
def routine(tmp_path: Path) -> Path:
    path = tmp_path / "test-break.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    return path


@pytest.fixture
def spawn(tmp_path: Path, pty_env: dict[str, str]):  # type: ignore[no-untyped-def]
    runs: list[Run] = []

    def make(args: list[str], **kw: object) -> Run:
        run = Run(tmp_path, [str(a) for a in args], env=pty_env, **kw)  # type: ignore[arg-type]
        runs.append(run)
        return run

    yield make
    for run in runs:
        run.close()


def assert_terminal_given_back(run: Run, expected_rc: int, *, live: bool = True) -> int:
    """The run ends with ``expected_rc`` and leaves the terminal exactly as it found it."""
    rc = run.finish()
    shown = run.plain()[-1500:]
    assert rc == expected_rc, f"exit code {rc}, wanted {expected_rc}; output:\n{shown}"
    before, after = run.before.read_text(), run.after.read_text()
    assert before.strip() and before == after, "stty settings differ after the run"
    modes = run.after_all.read_text().split()
    assert "echo" in modes and "icanon" in modes, "echo and line mode must be back on"
    raw = run.raw
    if live:
        assert HIDE in raw and ALT_ON in raw, "the live screen was expected here"
    if HIDE in raw:
        assert raw.rfind(SHOW) > raw.rfind(HIDE), "the cursor is left hidden"
    if ALT_ON in raw:
        assert raw.rfind(ALT_OFF) > raw.rfind(ALT_ON), "the alternate screen is never left"
        tail = raw[raw.rfind(ALT_OFF) + len(ALT_OFF) :].replace(SHOW, "")
        assert "\x1b" not in tail, f"stray escape codes after the session: {tail!r}"
    assert run.screen.cursor_visible and not run.screen.alt
    assert "Traceback" not in raw or expected_rc == 1
    return rc


def events(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def actions(path: Path) -> list[str]:
    return [str(e["kind"]) for e in events(path) if e["kind"] != "segment"]


# --- the safety screen -----------------------------------------------------------------------


def test_safety_notes_wait_for_a_key(spawn, routine: Path, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    run = spawn([routine, "--speed", "1", "--events", log])
    screen = run.wait_for("Press any key")
    assert "Test break" in screen
    assert "Ease off at any sharp pain." in screen
    assert "Keep the weight off your neck." in screen
    # the countdown ticks (a second of real time at --speed 1) and nothing has started
    run.wait_for("starting by itself in 0:19", timeout=5)
    assert [e for e in events(log) if e["kind"] == "segment"] == []
    run.send("x")
    run.wait_for("get ready")
    assert "Sit tall." in run.screen.text()
    assert [e["kind"] for e in events(log)][:1] == ["segment"]
    run.send("q")
    assert_terminal_given_back(run, 0)


def test_countdown_starts_by_itself(spawn, routine: Path) -> None:
    # 20 s of countdown at --speed 100 is a fifth of a second; nobody presses anything
    run = spawn([routine, "--speed", "100"])
    assert_terminal_given_back(run, 0)
    shown = words(run.plain())
    assert "Ease off at any sharp pain." in shown
    assert "starting by itself" in shown
    assert "Well done." in shown


def test_q_on_the_safety_screen_quits_before_starting(spawn, routine: Path, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    run = spawn([routine, "--speed", "1", "--events", log])
    run.wait_for("Press any key")
    run.send("q")
    assert_terminal_given_back(run, 0)
    assert [e for e in events(log) if e["kind"] == "segment"] == []
    assert re.search(r"Not started\.\s+rc=0\s*$", run.plain())  # said after leaving


# --- giving the terminal back --------------------------------------------------------------


def test_normal_end(spawn, routine: Path) -> None:
    run = spawn([routine, "--speed", "200"])
    run.send("x")  # at this speed the safety screen may be gone before the key arrives
    assert_terminal_given_back(run, 0)
    after = run.plain()
    assert "Well done. 1:24 of practice" in words(after)
    assert "part 4 of 4" in after


def test_q_mid_session_says_how_far_it_got(spawn, routine: Path) -> None:
    run = spawn([routine, "--speed", "1"])
    run.start()
    run.send("n")
    run.wait_for("part 2 of 4")
    run.send("q")
    assert_terminal_given_back(run, 0)
    said = words(run.plain())
    assert "Stopped at part 2 of 4: Cat–cow" in said
    assert f"yogaback play {routine} --start-at 2" in said


def test_resume_says_where_it_picks_up_on_the_safety_screen(spawn, routine: Path) -> None:
    first = spawn([routine, "--speed", "1"])
    first.start()
    first.send("n")
    first.wait_for("part 2 of 4")
    first.send("q")
    assert_terminal_given_back(first, 0)
    again = spawn([routine, "--speed", "1", "--resume"])
    screen = again.wait_for("Press any key")
    # Without white space: a long temp path (pytest-xdist's) wraps in the middle of a name.
    said = f"Continuing {routine} at part 2 of 4, where you stopped"
    assert "".join(said.split()) in "".join(screen.split())
    again.send("q")
    assert_terminal_given_back(again, 0)


def test_escape_quits(spawn, routine: Path, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    run = spawn([routine, "--speed", "1", "--events", log])
    run.start()
    run.wait_for("get ready")
    run.send("\x1b")
    assert_terminal_given_back(run, 0)
    assert actions(log) == ["quit"]
    assert "Stopped at part 1 of 4" in words(run.plain())


@pytest.mark.parametrize("when", ["playing", "paused", "safety screen"])
def test_ctrl_c_exits_130(spawn, routine: Path, tmp_path: Path, when: str) -> None:
    log = tmp_path / "events.jsonl"
    run = spawn([routine, "--speed", "1", "--events", log])
    if when == "safety screen":
        run.wait_for("Press any key")
    else:
        run.start()
        run.wait_for("get ready")
        if when == "paused":
            run.send(" ")
            run.wait_for("❚❚ paused")
    run.child.sendintr()
    assert_terminal_given_back(run, 130)
    if when != "safety screen":
        assert actions(log)[-1] == "interrupt"
        assert "Stopped at part 1 of 4" in words(run.plain())


@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGQUIT, 131)],
    ids=["TERM", "HUP", "QUIT"],
)
@pytest.mark.parametrize("when", ["playing", "safety screen"])
def test_signals_exit_128_plus_n(
    spawn, routine: Path, tmp_path: Path, signum: int, code: int, when: str
) -> None:
    log = tmp_path / "events.jsonl"
    run = spawn([routine, "--speed", "1", "--events", log])
    pid = run.pid
    if when == "playing":
        run.start()
        run.wait_for("get ready")
    else:
        run.wait_for("Press any key")
    os.kill(pid, signum)
    assert_terminal_given_back(run, code)
    if when == "playing":
        assert actions(log)[-1] == "terminate"
        assert "Stopped at part 1 of 4" in words(run.plain())


# --- Ctrl-Z and fg -------------------------------------------------------------------------

JOB_SHELL = r"""
import os, signal, sys, termios
# A shell with job control, in miniature: the program runs as its own foreground job, so
# Ctrl-Z really stops it; when it stops, say what the terminal's mode is, wait for "fg".
signal.signal(signal.SIGTTOU, signal.SIG_IGN)
tty = sys.stdin.fileno()
before = termios.tcgetattr(tty)
pid = os.fork()
if pid == 0:
    os.setpgid(0, 0)
    os.tcsetpgrp(tty, os.getpgrp())
    signal.signal(signal.SIGTTOU, signal.SIG_DFL)
    os.execvp(sys.argv[1], sys.argv[1:])
os.setpgid(pid, pid)
os.tcsetpgrp(tty, pid)
print(f"pid={pid}", flush=True)
while True:
    _, status = os.waitpid(pid, os.WUNTRACED)
    if not os.WIFSTOPPED(status):
        break
    os.tcsetpgrp(tty, os.getpgrp())
    lflag = termios.tcgetattr(tty)[3]
    echo, icanon = int(bool(lflag & termios.ECHO)), int(bool(lflag & termios.ICANON))
    print(f"[stopped echo={echo} icanon={icanon}]", flush=True)
    sys.stdin.readline()
    os.tcsetpgrp(tty, pid)
    os.killpg(pid, signal.SIGCONT)
print(f"rc={os.waitstatus_to_exitcode(status)}", flush=True)
print("modes " + ("same" if termios.tcgetattr(tty) == before else "differ"), flush=True)
"""


def job_run(program: list[str], env: dict[str, str]) -> Run:
    """``program`` as the foreground job of the miniature job-control shell above."""
    run = Run.__new__(Run)  # the same reader, around a job-control shell instead of sh
    run.screen, run.raw, run.eof = Screen(80, 24), "", False
    run.child = pexpect.spawn(
        sys.executable,
        ["-c", JOB_SHELL, *program, *QUIET],
        env=env,
        dimensions=(24, 80),
        encoding="utf-8",
        codec_errors="replace",
        timeout=10,
    )
    return run


def test_ctrl_z_gives_the_terminal_back_and_fg_carries_on_without_counting_the_stop(
    routine: Path, tmp_path: Path, pty_env: dict[str, str]
) -> None:
    log = tmp_path / "events.jsonl"
    speed = 5
    program = [*YOGABACK, "play", str(routine), "--speed", str(speed), "--events", str(log)]
    run = job_run(program, pty_env)
    try:
        run.start()
        run.wait_for("part 1 of 4")
        run.send("\x1a")  # Ctrl-Z: the terminal sends SIGTSTP to the foreground job
        run.wait_raw(r"\[stopped echo=(\d) icanon=(\d)\]")
        stopped_at = len(run.raw)
        assert "[stopped echo=1 icanon=1]" in run.raw, "echo and line mode must be back on"
        shown = run.raw[: run.raw.index("[stopped")]
        assert shown.rfind(ALT_OFF) > shown.rfind(ALT_ON), "still on the alternate screen"
        assert shown.rfind(SHOW) > shown.rfind(HIDE), "the cursor is left hidden"
        time.sleep(0.5)  # stopped: 2.5 s of the routine at --speed 5, if it were counted
        run.send("fg\n")
        run.wait_for(lambda s: run.screen.alt and "part 1 of 4" in s, what="the screen back")
        assert HIDE in run.raw[stopped_at:]
        run.send("q")  # keys work at once
        run.wait_raw(r"modes (same|differ)")
        run.finish()
    finally:
        run.close()
    assert "rc=0" in run.raw and "modes same" in run.raw
    assert run.screen.cursor_visible and not run.screen.alt
    records = events(log)
    kinds = [str(e["kind"]) for e in records if e["kind"] != "segment"]
    assert kinds == ["suspend", "continue", "quit"]
    stop, cont, quit_ = (e for e in records if e["kind"] != "segment")
    assert float(cont["actual"]) - float(stop["actual"]) >= 0.5  # type: ignore[arg-type]
    assert cont["position"] == stop["position"]  # no practice while stopped
    played = float(quit_["actual"]) - float(cont["actual"])  # type: ignore[arg-type]
    assert float(quit_["position"]) - float(cont["position"]) <= played * speed + 0.5  # type: ignore[arg-type]
    for seg in records:  # no burst of missed cues after fg: each came on time
        if seg["kind"] == "segment":
            assert float(seg["actual"]) - float(seg["scheduled"]) < 0.25, seg  # type: ignore[arg-type]
    m = re.search(r"after (\d+):(\d\d) of practice", words(run.plain()))
    assert m and int(m[1]) * 60 + int(m[2]) <= float(quit_["position"]) + 1  # type: ignore[arg-type]


def test_ctrl_z_during_a_check_in_question_gives_the_terminal_back_and_asks_again(
    routine: Path, pty_env: dict[str, str]
) -> None:
    program = [*YOGABACK, "play", str(routine), "--speed", "200", "--check-in"]
    run = job_run(program, pty_env)
    try:
        for question, answer in (("How does your upper back", "3"), ("And now, how", "4")):
            run.wait_raw(re.escape(question))
            asked = len(run.raw)
            run.send("\x1a")  # Ctrl-Z while the question waits for a key
            run.wait_raw(r"\[stopped echo=\d icanon=\d\]", since=asked)
            assert "[stopped echo=1 icanon=1]" in run.raw[asked:], "cbreak left on while stopped"
            run.send("fg\n")
            run.wait_raw(re.escape(question), since=run.raw.index("[stopped", asked))
            run.send(answer)  # the question, asked again, still takes its key
            if answer == "3":
                run.wait_for("Press any key")
                run.send("x")
        run.wait_raw(r"modes (same|differ)")
        run.finish()
    finally:
        run.close()
    assert "rc=0" in run.raw and "modes same" in run.raw
    assert re.search(r"upper back feel.*\b3\b", run.plain()) and "4\r\n" in run.plain()


BUG_HOOK = """\
import yogaback.screen.layout as _display
_render = _display.render
_calls = [0]
def render(view):
    _calls[0] += 1
    if _calls[0] > 3:
        raise RuntimeError("a bug in the display")  # an error nobody planned for
    return _render(view)
_display.render = render
"""


def test_unexpected_error_still_gives_the_terminal_back(
    tmp_path: Path, pty_env: dict[str, str], routine: Path
) -> None:
    # A sitecustomize plants a bug in the display, a few redraws into the session: the
    # traceback is a developer's matter, but the terminal must still come back as it was.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(BUG_HOOK, encoding="utf-8")
    env = {**pty_env, "PYTHONPATH": str(hooks)}
    run = Run(tmp_path, [str(routine), "--speed", "1"], env=env)
    try:
        run.start()
        assert_terminal_given_back(run, 1)
        assert "a bug in the display" in run.plain()
    finally:
        run.close()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_an_unwritable_events_file_is_reported_not_a_traceback(spawn, routine: Path) -> None:
    # every write to /dev/full fails: the session plays on and says so at the end
    run = spawn([routine, "--speed", "20", "--start-at", "4", "--events", "/dev/full"])
    run.start()
    assert_terminal_given_back(run, 1)
    assert "could not write the --events file /dev/full" in run.plain()
    assert "Traceback" not in run.plain()


def test_closing_the_terminal_exits_129(routine: Path, tmp_path: Path, pty_env) -> None:
    # The program is the session leader here, as a shell would be, so closing the pty's
    # master side makes the kernel send it SIGHUP -- and from then on the terminal is gone.
    errors = tmp_path / "stderr.txt"
    program = shlex.join([*YOGABACK, "play", str(routine), "--speed", "1", *QUIET])
    child = pexpect.spawn(
        "sh",
        ["-c", f"exec {program} 2> {shlex.quote(str(errors))}"],
        env=pty_env,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=10,
    )
    try:
        child.expect("Press any key")
        child.send("x")
        child.expect("get ready")
    except BaseException:
        child.terminate(force=True)
        raise
    os.close(child.child_fd)  # hang up
    child.child_fd = -1
    child.closed = child.ptyproc.closed = True
    status = None
    for _ in range(200):
        pid, status = os.waitpid(child.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.05)
    else:
        os.kill(child.pid, signal.SIGKILL)
        os.waitpid(child.pid, 0)
        pytest.fail("still running 10 s after the terminal was closed")
    errors_said = errors.read_text()
    assert "Traceback" not in errors_said and "Exception ignored" not in errors_said
    assert os.waitstatus_to_exitcode(status) == 129


# --- the keys --------------------------------------------------------------------------------


def test_keys_control_the_session_and_are_logged(spawn, routine: Path, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    run = spawn([routine, "--speed", "1", "--events", log])
    run.start()
    screen = run.wait_for("get ready")
    assert screen.splitlines()[-1].strip() == KEYS_LONG  # the key bar sits at the bottom

    run.send(" ")
    run.wait_for("❚❚ paused")
    run.send(" ")
    run.wait_for(lambda s: "paused" not in s, what="resumed")

    run.send("n")
    run.wait_for("part 2 of 4")
    run.send("\x1b[C")  # →
    run.wait_for("part 3 of 4")
    run.send("p")  # just begun: back to the previous part
    run.wait_for("part 2 of 4")
    run.send("\x1b[D")  # ←
    run.wait_for("part 1 of 4")
    run.send("n")
    run.wait_for("part 2 of 4")
    run.send("n")
    run.wait_for("part 3 of 4")

    # a timed hold: + and - move its countdown by 15 s
    run.wait_for(
        lambda s: any(ln.strip() in ("hold", "━━━  hold  ━━━") for ln in s.splitlines()),
        what="hold",
    )
    run.send(" ")  # pause, so the countdown stands still while we read it
    screen = run.wait_for("❚❚ paused")
    left = countdown(screen)
    run.send("+")
    screen = run.wait_for("+15 s")
    assert countdown(screen) == left + 15
    run.send("-")
    screen = run.wait_for("−15 s")
    assert countdown(screen) == left

    run.send("m")
    screen = run.wait_for("sound muted")
    assert "muted" in screen.splitlines()[0]
    run.send("m")
    screen = run.wait_for("sound on")
    assert "muted" not in screen.splitlines()[0]

    run.send("?")
    screen = run.wait_for("pause / resume")
    for what in ("next pose", "lengthen / shorten", "mute / unmute", "stop the session"):
        assert what in screen
    run.send("?")
    run.wait_for(lambda s: "pause / resume" not in s, what="help hidden")

    run.send(" ")
    run.wait_for(lambda s: "paused" not in s, what="resumed")
    run.send("q")
    assert_terminal_given_back(run, 0)
    assert actions(log) == [
        "pause",
        "resume",
        "next",
        "next",
        "back",
        "back",
        "next",
        "next",
        "pause",
        "longer",
        "shorter",
        "mute",
        "mute",
        "resume",
        "quit",
    ]
    assert [e["muted"] for e in events(log) if e["kind"] == "mute"] == [True, False]
    for record in events(log):
        assert {"kind", "pose", "side", "rep", "phase", "text", "scheduled", "actual"} <= set(
            record
        )
    said = words(run.plain())
    assert "Stopped at part 3 of 4: Thread the needle (right)" in said


def countdown(screen: str) -> int:
    """Seconds left in the part: the line that holds only a m:ss clock, or the same
    clock drawn in big type (the lowest run of block-element rows)."""
    clocks = [ln.strip() for ln in screen.splitlines() if re.fullmatch(r"\s*\d+:\d\d", ln)]
    if not clocks:
        return big_countdown(screen)
    assert len(clocks) == 1, screen
    m, s = clocks[0].split(":")
    return int(m) * 60 + int(s)


def shows_name(name: str, screen: str) -> bool:
    """The pose's name is on the screen: in capitals, or in big type (on one or two lines)."""
    from yogaback.screen import bigtype

    if squash(name.upper()) in squash(screen):
        return True
    lines = [ln.strip() for ln in screen.splitlines()]

    def drawn(text: str) -> bool:
        return any(
            all(row.strip() in lines for row in bigtype._line(text, size))
            for size in bigtype.sizes(20)
        )

    clean = name.upper().replace("–", "-")
    return drawn(clean) or any(drawn(a) and drawn(b) for a, b in bigtype._splits(clean))


def big_countdown(screen: str) -> int:
    from yogaback.screen import bigtype

    runs: list[list[str]] = []
    inside = False
    for line in screen.splitlines():
        big = any(ch in line for ch in "█▀▄") and not any(ch in line for ch in "━─")
        if big and not inside:
            runs.append([])
        if big:
            runs[-1].append(line.strip())
        inside = big
    assert runs, screen
    drawn = runs[-1]
    for size in bigtype.sizes(len(drawn)):
        if size.rows != len(drawn):
            continue
        for seconds in range(0, 100 * 60):
            text = f"{seconds // 60}:{seconds % 60:02d}"
            if [r.strip() for r in bigtype._line(text, size)] == drawn:
                return seconds
    raise AssertionError(f"no countdown on the screen:\n{screen}")


def test_next_and_back_while_paused_move_the_paused_screen(
    spawn, routine: Path, tmp_path: Path
) -> None:
    log = tmp_path / "events.jsonl"
    run = spawn([routine, "--speed", "1", "--events", log])
    run.start()
    run.send(" ")
    run.wait_for("❚❚ paused")
    run.send("n")
    run.send("n")
    screen = run.wait_for("part 3 of 4")
    assert shows_name("Thread the needle", screen) and "❚❚ paused" in screen
    assert "next: Thread the needle · left" in screen
    run.send("p")
    screen = run.wait_for("part 2 of 4")
    assert shows_name("Cat–cow", screen) and "❚❚ paused" in screen
    run.send(" ")
    run.wait_for(lambda s: "paused" not in s, what="resumed")
    run.send("q")
    assert_terminal_given_back(run, 0)
    log_lines = events(log)
    assert [e["kind"] for e in log_lines] == [
        "segment",
        "pause",
        "next",
        "next",
        "back",
        "resume",
        "segment",
        "quit",
    ]
    assert log_lines[6]["name"] == "Cat–cow" and log_lines[6]["phase"] == "transition"


# --- the screen at any size ------------------------------------------------------------------


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def paused_screen(run: Run) -> str:
    run.start()
    run.wait_for("breathe in")
    run.send(" ")
    return run.wait_for("❚❚ paused")


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)], ids=size_id)
def test_screen_shows_pose_cue_time_and_next(spawn, routine: Path, size: tuple[int, int]) -> None:
    cols, rows = size
    run = spawn([routine, "--speed", "2"], size=size)
    screen = paused_screen(run)
    lines = screen.splitlines()
    assert len(lines) == rows
    assert lines[0].startswith("Test break") and lines[0].endswith("part 1 of 4")
    assert len(lines[0]) == cols  # the header reaches the right edge
    assert shows_name("Easy seat", screen)
    assert re.search(r"Breath [12] of 2", screen)
    assert "Let your shoulders drop away from your ears." in screen
    assert countdown(screen) > 0
    assert re.search(r"0:0\d / 1:24", screen)
    assert "next: Cat–cow" in screen
    bar = lines[-1].strip()
    assert bar.startswith(("space resume", "␣ resume")) and bar.endswith("q quit")  # paused
    run.send("q")
    assert_terminal_given_back(run, 0)


def test_progress_bar_shows_progress_without_colour(spawn, routine: Path) -> None:
    run = spawn([routine, "--speed", "2"], size=(80, 24))
    screen = paused_screen(run)
    run.send("q")
    assert_terminal_given_back(run, 0)
    bar = next(ln for ln in screen.splitlines() if " / 1:24" in ln)
    drawn = bar.split("  ")[0]
    assert len(set(drawn)) >= 2, f"done and to-do look the same: {bar!r}"


def test_long_cue_at_60x20_keeps_everything(spawn) -> None:
    # the longest cue of a shipped routine: a side switch of four lines at 60 columns
    run = spawn(["yin-knots", "--start-at", "8", "--speed", "1"], size=(60, 20))
    run.start()
    screen = run.wait_for("get ready")
    assert "part 8 of 10" in screen
    cue = "Switch sides: now the right side. On your back, knees bent and feet down, open your"
    assert cue in words(screen)
    assert "lower both knees slowly to the right." in words(screen)
    assert "next: Rebound, knees together" in screen
    assert screen.splitlines()[-1].strip().endswith("q quit")
    run.send("q")
    assert_terminal_given_back(run, 0)


@pytest.mark.parametrize("size", [(39, 9), (30, 5), (20, 2)], ids=size_id)
def test_very_small_is_a_single_line(spawn, routine: Path, size: tuple[int, int]) -> None:
    run = spawn([routine, "--speed", "1"], size=size)
    run.send("x")  # the safety screen may be cropped: any key starts
    # one line, the countdown first (on a tiny screen it is what would be cut otherwise)
    run.wait_for(
        lambda s: (
            len(lines := [ln for ln in s.splitlines() if ln.strip()]) == 1
            and re.match(r"\d+:\d\d · ", lines[0]) is not None
            and ("Easy" in s or size[0] < 30)
        ),
        what="one line led by the countdown",
    )
    run.send("q")
    assert_terminal_given_back(run, 0)


@pytest.mark.parametrize("size", [(1, 1), (4, 1), (12, 3)], ids=size_id)
def test_tiny_terminal_does_not_crash(spawn, routine: Path, size: tuple[int, int]) -> None:
    run = spawn([routine, "--speed", "200"], size=size)
    run.send("x")
    assert_terminal_given_back(run, 0)
    assert "Well done." in run.plain()


@pytest.mark.parametrize(
    ("size", "args"),
    [((80, 12), []), ((60, 16), ["yin-knots", "--start-at", "8"])],
    ids=["80x12", "60x16-long-cue"],
)
def test_short_terminal_keeps_pose_time_next_and_keys(
    spawn, routine: Path, size: tuple[int, int], args: list[str]
) -> None:
    # between the single line (under 10 rows) and the roomy layout, nothing may be cropped
    run = spawn([*(args or [routine]), "--speed", "1"], size=size)
    run.send("x")
    screen = run.wait_for("get ready")
    run.send("q")
    assert_terminal_given_back(run, 0)
    assert shows_name("Easy seat", screen) or shows_name("Reclined spinal twist", screen)
    assert countdown(screen) > 0
    assert "next:" in screen
    assert screen.splitlines()[-1].strip().endswith("q quit")


CJK = """\
version: 1
title: 背中をほぐす
pace:
  inhale: 2s
  exhale: 2s
transition: 2s
poses:
  cat-cow:
    name: 猫と牛のポーズ
    setup: 四つんばいになります。
steps:
  - pose: cat-cow
    reps: 3
    inhale: 胸と尾骨を持ち上げて、背骨全体をゆっくりと反らせましょう。
    exhale: 背中を丸めて頭を下げ、肩甲骨の間を広げましょう。
"""


def test_wide_characters_wrap_without_losing_the_cue(spawn, tmp_path: Path) -> None:
    path = tmp_path / "cjk.yaml"
    path.write_text(CJK, encoding="utf-8")
    run = spawn([path, "--speed", "2"], size=(44, 20))
    run.start()
    try:
        screen = run.wait_for("breathe in")
        assert "胸と尾骨を持ち上げて、背骨全体をゆっくりと反らせましょう。" in squash(screen)
    finally:
        run.send("q")
        assert_terminal_given_back(run, 0)


def test_resizing_re_lays_out_the_screen(spawn, routine: Path) -> None:
    run = spawn([routine, "--speed", "2"], size=(80, 24))
    screen = paused_screen(run)  # paused: only the resize itself can cause a redraw
    assert KEYS_PAUSED in screen

    run.resize(60, 20)
    screen = run.wait_for(
        lambda s: s.splitlines()[0].endswith("part 1 of 4") and len(s.splitlines()[0]) == 60,
        what="the header laid out at 60 columns",
    )
    assert "next: Cat–cow" in screen
    assert screen.splitlines()[-1].strip().endswith("q quit")

    run.resize(30, 5)
    run.wait_for(
        lambda s: len([ln for ln in s.splitlines() if ln.strip()]) == 1 and "Easy seat" in s,
        what="a single line",
    )

    run.resize(120, 40)
    screen = run.wait_for(
        lambda s: len(s.splitlines()[0]) == 120 and KEYS_PAUSED in s.splitlines()[-1],
        what="the full layout at 120x40",
    )
    assert shows_name("Easy seat", screen)
    assert "next: Cat–cow" in screen
    run.send("q")
    assert_terminal_given_back(run, 0)


# --- plain mode and no keyboard, in a terminal ----------------------------------------------


def test_plain_in_a_terminal_never_waits(spawn, routine: Path) -> None:
    run = spawn([routine, "--plain", "--speed", "200"])
    assert_terminal_given_back(run, 0, live=False)
    out = run.plain()
    assert ALT_ON not in run.raw and "Press any key" not in out
    assert "[00:00] Easy seat · get ready: Sit tall." in out
    assert "[00:52] Thread the needle · left · get ready:" in out
    assert "Ease off at any sharp pain." in out


def test_plain_in_a_terminal_still_takes_keys(spawn, routine: Path, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    run = spawn([routine, "--plain", "--speed", "1", "--events", log])
    run.wait_for("[00:00] Easy seat · get ready: Sit tall.")
    run.send("n")
    run.wait_for("Cat–cow · get ready")
    run.send("q")
    assert_terminal_given_back(run, 0, live=False)
    assert actions(log) == ["next", "quit"]
    assert re.search(r"^\[00:\d\d\] \(next\)\r?$", run.plain(), re.M)  # like the cue lines
    assert re.search(r"^\[00:\d\d\] \(quit\)\r?$", run.plain(), re.M)
    assert "Stopped at part 2 of 4: Cat–cow" in words(run.plain())


def test_a_dumb_terminal_gets_plain_lines(spawn, routine: Path, pty_env) -> None:
    # an Emacs shell buffer says TERM=dumb: the live screen would be blank there
    pty_env["TERM"] = "dumb"
    run = spawn([routine, "--speed", "1"])
    run.wait_for("[00:00] Easy seat · get ready: Sit tall.")
    run.send("q")  # the keys still work
    assert_terminal_given_back(run, 0, live=False)
    out = run.plain()
    assert ALT_ON not in run.raw and HIDE not in run.raw
    assert "Test break — 1:24, 4 parts" in out and "Ease off at any sharp pain." in out
    assert "Stopped at part 1 of 4" in words(out)


def test_live_screen_without_a_keyboard_never_waits(spawn, routine: Path) -> None:
    run = spawn([routine, "--speed", "200"], stdin="/dev/null")
    assert_terminal_given_back(run, 0)
    assert "Well done." in run.plain()


def test_live_screen_without_a_keyboard_shows_safety_notes(spawn, routine: Path) -> None:
    run = spawn([routine, "--speed", "200"], stdin="/dev/null")
    assert_terminal_given_back(run, 0)
    assert "Ease off at any sharp pain." in words(run.plain())
