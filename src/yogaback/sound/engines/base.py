"""What every engine is: the small interface, what it needs to open, and how it fails."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from yogaback.sound.pcm import Sound

Clock = Callable[[], float]
FirstSamples = Callable[[int, float], None]
"""Called with a play request's tag and the clock reading at which its first samples
were handed to the output (from the audio thread, for miniaudio)."""

PROBE_TIMEOUT = 3.0
"""Seconds an engine may take to open before it is given up as hung."""
OVERRUN = 2.0
"""A player process still running this long after its sound should have ended is killed."""


class Unavailable(Exception):
    """This engine cannot play here; the message says why, in a few words."""


class Failed(Exception):
    """A working engine stopped working (a device vanished)."""


class Engine(Protocol):
    name: str

    def play(self, sound: Sound, tag: int) -> None: ...

    def stop(self) -> None: ...

    def poll(self) -> float | None:
        """Do housekeeping; return seconds until this wants to be polled again, or None."""
        ...

    def busy(self) -> bool: ...

    def close(self) -> None: ...


@dataclass
class Options:
    """What an engine needs to open."""

    clock: Clock = time.monotonic
    wake: Callable[[], None] = lambda: None
    """Wakes the worker (an engine calls it from another thread when it wants a poll)."""
    on_first: FirstSamples | None = None
    bell_fd: int | None = None
    """File descriptor for the terminal bell; None: the bell engine is unavailable."""
    tmpdir: Path | None = None
    backends: Sequence[str] | None = None
    """miniaudio backend names, overriding the per-OS list (for tests)."""
    notes: list[str] = field(default_factory=list)


Factory = Callable[[Options], Engine]
