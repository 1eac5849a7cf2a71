"""The terminal adapter: key input, signals and giving the terminal back.

Key presses, resizes and signals all arrive on one queue, read by the session
loop. Whatever happens — normal end, q, Ctrl-C, Ctrl-\\, SIGTERM, SIGHUP, a crash — the
``Keys`` context manager restores the terminal's mode on the way out.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType, TracebackType
from typing import Any

Event = tuple[str, str]
"""("key", name) | ("resize", "") | ("signal", name)"""

ESCAPES = {
    "\x1b[C": "right",
    "\x1b[D": "left",
    "\x1b[A": "up",
    "\x1b[B": "down",
    "\x1bOC": "right",
    "\x1bOD": "left",
    "\x1bOA": "up",
    "\x1bOB": "down",
}
SPECIAL = {" ": "space", "\r": "enter", "\n": "enter", "\x7f": "backspace", "\x1b": "escape"}


class Terminated(BaseException):
    """SIGTERM, SIGHUP or SIGQUIT (Ctrl-\\) arrived; the session stops and the terminal is restored.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` on the way
    (a sink guarding itself, say) can swallow it and play on."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def parse_keys(data: str) -> list[str]:
    """Split what one read returned into key names (arrows arrive as escape sequences)."""
    keys: list[str] = []
    i = 0
    while i < len(data):
        if data[i] == "\x1b" and i + 1 < len(data):
            seq = data[i : i + 3]
            if seq in ESCAPES:
                keys.append(ESCAPES[seq])
                i += 3
                continue
            if data[i + 1] in "[O":  # an escape sequence we do not use: skip it whole
                j = i + 2
                while j < len(data) and not data[j].isalpha() and data[j] != "~":
                    j += 1
                i = j + 1
                continue
        ch = data[i]
        keys.append(SPECIAL.get(ch, ch))
        i += 1
    return keys


@dataclass
class Bus:
    """The one queue the session loop reads. SimpleQueue.put is safe from signal handlers."""

    q: queue.SimpleQueue[Event]

    def put(self, event: Event) -> None:
        self.q.put(event)

    def get(self, timeout: float | None) -> Event | None:
        try:
            return (
                self.q.get(timeout=timeout)
                if timeout is None or timeout > 0
                else (self.q.get_nowait())
            )
        except queue.Empty:
            return None


def new_bus() -> Bus:
    return Bus(queue.SimpleQueue())


class Keys:
    """Read single key presses from a terminal on a background thread.

    On POSIX the terminal goes into cbreak mode (no echo, no line buffering,
    Ctrl-C still interrupts); the saved mode is put back on exit. A self-pipe
    wakes the reader to stop, so it never polls.
    """

    def __init__(self, bus: Bus, stream: Any = None) -> None:
        self.bus = bus
        self.stream = stream if stream is not None else sys.stdin
        self.saved: Any = None
        self.thread: threading.Thread | None = None
        self.stop_r = self.stop_w = -1

    @property
    def active(self) -> bool:
        return self.thread is not None

    def __enter__(self) -> Keys:
        try:
            fd = self.stream.fileno()
        except (AttributeError, OSError, ValueError):
            return self
        if not os.isatty(fd):
            return self
        if os.name == "nt":  # pragma: no cover - exercised on Windows only
            self.thread = threading.Thread(target=self._read_windows, daemon=True)
        else:
            import termios
            import tty

            self.saved = termios.tcgetattr(fd)
            tty.setcbreak(fd, termios.TCSANOW)
            self.stop_r, self.stop_w = os.pipe()
            self.thread = threading.Thread(target=self._read_posix, args=(fd,), daemon=True)
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.stop_w >= 0:
            with contextlib.suppress(OSError):
                os.write(self.stop_w, b"x")
        if self.thread is not None:
            self.thread.join(timeout=1.0)
            self.thread = None
        if self.saved is not None:
            import termios

            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self.saved)
            self.saved = None
        for fd in (self.stop_r, self.stop_w):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.stop_r = self.stop_w = -1

    def suspend(self) -> None:
        """Give the terminal its own mode back (echo, line editing) before a stop (Ctrl-Z)."""
        if self.saved is not None:
            import termios

            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self.saved)

    def resume(self) -> None:
        """After ``fg``: cbreak again at once, from the mode the terminal has now."""
        if self.saved is not None:
            import termios
            import tty

            with contextlib.suppress(termios.error, OSError):
                fd = self.stream.fileno()
                self.saved = termios.tcgetattr(fd)
                tty.setcbreak(fd, termios.TCSANOW)

    @contextlib.contextmanager
    def released(self) -> Iterator[None]:
        """The terminal in its own mode while the block runs (a stop by Ctrl-Z), and in
        cbreak again after it (after ``fg``)."""
        self.suspend()
        try:
            yield
        finally:
            self.resume()

    def _read_posix(self, fd: int) -> None:
        import select

        while True:
            try:
                ready, _, _ = select.select([fd, self.stop_r], [], [])
            except (OSError, ValueError):
                return
            if self.stop_r in ready:
                return
            try:
                data = os.read(fd, 64)
            except OSError:
                return
            if not data:
                return  # the terminal went away
            text = data.decode("utf-8", "replace")
            if text == "\x1b":  # a lone Esc, or the start of a sequence still arriving?
                more, _, _ = select.select([fd], [], [], 0.05)
                if more:
                    text += os.read(fd, 64).decode("utf-8", "replace")
            for key in parse_keys(text):
                self.bus.put(("key", key))

    def _read_windows(self) -> None:  # pragma: no cover - Windows only
        import msvcrt
        import time

        arrows = {"K": "left", "M": "right", "H": "up", "P": "down"}
        while self.thread is not None:
            if not msvcrt.kbhit():  # type: ignore[attr-defined]
                time.sleep(0.05)
                continue
            ch = msvcrt.getwch()  # type: ignore[attr-defined]
            if ch in ("\x00", "\xe0"):
                code = msvcrt.getwch()  # type: ignore[attr-defined]
                self.bus.put(("key", arrows.get(code, "unknown")))
            else:
                self.bus.put(("key", SPECIAL.get(ch, ch)))


@contextlib.contextmanager
def signals(bus: Bus) -> Iterator[None]:
    """SIGTERM, SIGHUP and SIGQUIT (Ctrl-\\) end the session like an exception, so the
    terminal is given back (SIGQUIT's default would dump core and leave it in cbreak mode);
    SIGWINCH becomes a resize event."""

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise Terminated(signum)

    def resized(signum: int, frame: FrameType | None) -> None:
        bus.put(("resize", ""))

    wanted: dict[str, Any] = {
        "SIGTERM": terminate,
        "SIGHUP": terminate,
        "SIGQUIT": terminate,
        "SIGWINCH": resized,
    }
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for name, handler in wanted.items():
            signum = getattr(signal, name, None)
            if signum is not None:
                previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


STOP: Event = ("signal", "stop")
"""Ctrl-Z (SIGTSTP), as the session loop reads it."""


@contextlib.contextmanager
def stoppable(bus: Bus) -> Iterator[None]:
    """Ctrl-Z (SIGTSTP) becomes a ``STOP`` event on ``bus``: the loop pauses the session,
    gives the terminal back and then stops the process for real (``stop_process``). The
    default action would stop it at once, with the terminal still in cbreak mode on the
    alternate screen, and the time stopped counted as practice."""
    signum = getattr(signal, "SIGTSTP", None)
    if signum is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        bus.put(STOP)

    previous = signal.signal(signum, stop)
    try:
        yield
    finally:
        signal.signal(signum, previous)


def stop_process() -> None:
    """Stop this process as Ctrl-Z would: SIGTSTP with its default action, to this thread,
    so the stop happens before this returns. Returns when continued (``fg``, SIGCONT).

    In an orphaned process group (no shell to continue it) the kernel ignores the stop,
    and this returns at once."""
    signum = signal.SIGTSTP
    previous = signal.signal(signum, signal.SIG_DFL)
    try:
        signal.pthread_kill(threading.get_ident(), signum)
    finally:
        signal.signal(signum, previous)
