"""Consoles and the one place errors are written for the user."""

from __future__ import annotations

import errno
import os
import re
import sys
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from yogaback.errors import YogabackError

if TYPE_CHECKING:  # Rich costs ~20 ms to import: 'yogaback --help' and the checks in
    from rich.console import Console  # cli.main() that run before every command skip it

LOCATED = re.compile(r"[^\n']+:\d+:\d+: ")
"""A problem report that starts ``FILE:LINE:COL: `` (not a message quoting what was typed)."""

ColorSystem = Literal["auto", "standard", "256", "truecolor", "windows"]


def _color_system() -> ColorSystem | None:
    """No styling at all (not even bold or dim) when NO_COLOR is set: no escapes."""
    return None if os.environ.get("NO_COLOR", "") != "" else "auto"


@cache
def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, color_system=_color_system())


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, color_system=_color_system())


def error(text: str) -> None:
    """Write an error to stderr. Located problems (FILE:LINE:COL: ...) are written as they are."""
    located = LOCATED.match(text) is not None
    message = text if located else f"yogaback: {text}"
    if err().is_terminal:
        err().print(message, style="red" if not located else None, markup=False)
    else:
        sys.stderr.write(message + "\n")


class OutputError(YogabackError, OSError):
    """Standard output cannot be written (a full disk, /dev/full, an I/O error). Still an
    OSError, so code that tolerates a vanished terminal (``suppress(OSError)``) still does."""

    def __init__(self, exc: OSError) -> None:
        OSError.__init__(self, exc.errno, exc.strerror)

    def __str__(self) -> str:
        return f"cannot write to standard output: {self.strerror}"


class GuardedStdout:
    """``sys.stdout`` whose failed writes raise ``OutputError``, so ``main`` can tell them
    from any other OSError and say so in one line. A broken pipe is left as it is (it has
    its own handling, in Rich and in play)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self.stream.write(text))
        except OSError as exc:
            raise self._error(exc) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            raise self._error(exc) from None

    @staticmethod
    def _error(exc: OSError) -> OSError:
        return exc if exc.errno == errno.EPIPE or isinstance(exc, OutputError) else OutputError(exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def stdout_closed() -> bool:
    """Started with standard output closed (``>&-``): Python then has no ``sys.stdout``."""
    return sys.stdout is None


def discard_stdout() -> None:
    """After a failed write: send what is still buffered, and all later output, nowhere,
    so the exit does not fail again with Python's "Exception ignored" on top."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
    except (OSError, ValueError):
        pass
