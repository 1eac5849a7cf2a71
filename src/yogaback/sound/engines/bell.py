"""The terminal bell, for when no audio device works and the user asked for it."""

from __future__ import annotations

import contextlib
import os

from yogaback.sound.engines.base import Options, Unavailable
from yogaback.sound.pcm import Sound


class BellEngine:
    """The terminal bell: one ring for a new pose, two for a side switch, three at the end."""

    name = "bell"
    GAP = 0.3

    def __init__(self, options: Options) -> None:
        if options.bell_fd is None or not os.isatty(options.bell_fd):
            raise Unavailable("no terminal for the bell")
        self.fd = options.bell_fd
        self.clock = options.clock
        self.on_first = options.on_first
        self.pending: list[float] = []

    def _ring(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self.fd, b"\a")

    def play(self, sound: Sound, tag: int) -> None:
        if sound.bells <= 0:
            return
        now = self.clock()
        self._ring()
        if self.on_first is not None:
            self.on_first(tag, now)
        self.pending.extend(now + self.GAP * k for k in range(1, sound.bells))

    def poll(self) -> float | None:
        now = self.clock()
        due = [t for t in self.pending if t <= now]
        if due:
            self._ring()
        self.pending = [t for t in self.pending if t > now]
        return max(0.0, min(self.pending) - now) if self.pending else None

    def busy(self) -> bool:
        return bool(self.pending)

    def stop(self) -> None:
        self.pending = []

    def close(self) -> None:
        self.pending = []
