"""Running things under a time limit, leaving nothing behind.

- ``Probe``: a call on a daemon thread, started at once; ``result`` waits at most
  ``limit`` seconds and turns a failure or a hang into a fallback. (Opening a sound
  engine and every ``yogaback doctor`` probe go through it.)
- ``spawn`` / ``run``: a program in its own process group (a new session), so that
  killing it kills whatever it started too. Each group is killed whole on a timeout,
  when its program ends (anything it left running in the background), and at exit
  (an ``atexit`` hook), so a hung or misbehaving player or speech engine never
  outlives yogaback.

The standard library's ``subprocess.run(timeout=...)`` kills only the program itself
and then waits for its output pipes, which a grandchild may hold open forever; hence
these few lines of our own.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


# --- a call under a time limit ------------------------------------------------------------


def why(exc: BaseException) -> str:
    """An exception in a few words: its type, and its message if it has one."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Probe(Generic[T]):
    """``fn()`` on a daemon thread, started at once; ``result`` waits at most ``limit``
    seconds from the start and turns a failure or a hang into ``fallback(reason)``.
    ``late`` is called with a value that arrives after ``result`` gave up on it (to
    close an engine nobody will use)."""

    def __init__(
        self,
        fn: Callable[[], T],
        limit: float,
        *,
        late: Callable[[T], None] | None = None,
        name: str = "yogaback-probe",
    ) -> None:
        self.fn = fn
        self.limit = limit
        self.late = late
        self.error: BaseException | None = None
        """What ``fn`` raised, if it did."""
        self.box: dict[str, Any] = {}
        self.done = threading.Event()
        self.abandoned = threading.Event()
        self.start = time.monotonic()
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        try:
            value = self.fn()
        except BaseException as exc:
            self.error = exc
        else:
            self.box["value"] = value
            if self.abandoned.is_set() and self.late is not None:
                with contextlib.suppress(Exception):
                    self.late(value)
        finally:
            self.done.set()

    def result(self, fallback: Callable[[str], T]) -> T:
        left = self.start + self.limit - time.monotonic()
        if not self.done.wait(max(0.0, left)):
            self.abandoned.set()
            if self.done.is_set() and "value" in self.box and self.late is not None:
                with contextlib.suppress(Exception):  # it arrived just as we gave up
                    self.late(self.box["value"])
            return fallback(f"gave no answer within {self.limit:g} s")
        if self.error is not None:
            return fallback(why(self.error))
        value: T = self.box["value"]
        return value


# --- programs in their own process group --------------------------------------------------

_GROUPS = sys.platform != "win32"
_live: dict[int, subprocess.Popen[bytes]] = {}
"""Processes started by ``spawn`` whose group has not been killed yet, by pid."""
_lock = threading.Lock()
_closed = False
"""Set by ``kill_all`` at exit: a thread that tries to start a program after it gets an
OSError, so nothing starts once the groups have been killed."""


def spawn(argv: Sequence[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """Start ``argv`` in a process group of its own (stdin from /dev/null unless given);
    ``kill`` it (or let ``run`` do so): at the latest, it is killed at exit."""
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    with _lock:
        if _closed:
            raise OSError(0, "yogaback is exiting")
        proc = subprocess.Popen(list(argv), start_new_session=True, **kwargs)
        _live[proc.pid] = proc
    return proc


def ended(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait at most ``timeout`` seconds for ``proc`` to end, without reaping it where the
    OS lets us (Linux's pidfd), so that its pid, which is also its group's id, cannot be
    given to another process before ``kill`` has killed the rest of the group."""
    if proc.returncode is not None:
        return True
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is not None:
        try:
            fd = pidfd_open(proc.pid)
        except OSError:
            pass
        else:
            try:
                poller = select.poll()
                poller.register(fd, select.POLLIN)
                return bool(poller.poll(max(0, round(timeout * 1000))))
            finally:
                os.close(fd)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        return False
    return True


def kill(proc: subprocess.Popen[bytes]) -> int:
    """Kill ``proc`` and everything still in its process group; reap it; its exit code."""
    if _GROUPS:
        with contextlib.suppress(OSError):  # the group is gone already
            os.killpg(proc.pid, signal.SIGKILL)
    elif proc.returncode is None:
        with contextlib.suppress(OSError):
            proc.kill()
    code = proc.wait()
    with _lock:
        _live.pop(proc.pid, None)
    return code


def kill_all(final: bool = True) -> None:
    """Kill every group ``spawn`` started that is still there; ``final``: and start no
    more (at exit)."""
    global _closed
    with _lock:
        _closed = _closed or final
        procs = list(_live.values())
    for proc in procs:
        kill(proc)


atexit.register(kill_all)


@dataclass(frozen=True)
class Result:
    returncode: int | None
    """None: it was killed after ``timeout`` seconds."""
    stdout: bytes
    """Its output, the last ``keep`` bytes of it."""
    stderr: bytes
    """Its error output, the last ``keep`` bytes of it."""


def run(
    argv: Sequence[str],
    timeout: float,
    *,
    keep: int = 4096,
    started: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> Result:
    """Run ``argv`` in its own process group for at most ``timeout`` seconds; then kill
    the whole group, whether the program ended or not. Output goes to unnamed temporary
    files (a pipe that a grandchild holds open would never end), of which the last
    ``keep`` bytes are kept. ``started`` is told the process (so that another thread may
    ``kill`` it early). Raises OSError if it cannot be started."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = spawn(argv, stdout=out, stderr=err)
        if started is not None:
            started(proc)
        finished = ended(proc, timeout)
        code = kill(proc)
        return Result(code if finished else None, _tail(out, keep), _tail(err, keep))


def _tail(fh: Any, keep: int) -> bytes:
    size = fh.seek(0, os.SEEK_END)
    fh.seek(max(0, size - keep))
    data: bytes = fh.read()
    return data
