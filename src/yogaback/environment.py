"""What a command runs in: its streams, whether they are terminals, the clock and the
user-data folder, as one object passed in (after httpie's ``Environment``).

Commands take an ``Environment`` instead of reaching for ``sys.stdout``,
``sys.stdout.isatty()`` or ``time.monotonic()``; ``Environment.real()`` is the process's
own, and tests build one with ``StringIO`` streams, a fake clock and a temp folder.
Low in the layers so every room can take it as a parameter.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any


def is_tty(stream: Any) -> bool:
    """Whether ``stream`` is a terminal; False for anything that cannot say (closed, a
    ``StringIO``, None)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


@dataclass(frozen=True)
class Environment:
    stdin: IO[str]
    stdout: IO[str]
    stderr: IO[str]
    stdin_isatty: bool = False
    stdout_isatty: bool = False
    clock: Callable[[], float] = time.monotonic
    """Monotonic seconds: what session deadlines and countdowns are measured in."""
    home: Path | None = None
    """The user-data folder (journal, routines); None: the usual one (``YOGABACK_HOME``
    or the platform's)."""

    @classmethod
    def real(cls) -> Environment:
        """The process's own streams (as they are now), the real clock, the usual folder."""
        return cls(
            stdin=sys.stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdin_isatty=is_tty(sys.stdin),
            stdout_isatty=is_tty(sys.stdout),
        )
