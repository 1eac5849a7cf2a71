"""After the last pose, the closing bell rings out; q, Esc or Ctrl-C fade it at once."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from yogaback.commands.play import ring_out


@dataclass
class FakeSink:
    ringing: int
    """How many more glances find the bell still ringing."""
    closed: list[bool] = field(default_factory=list)

    def busy(self) -> bool:
        self.ringing -= 1
        return self.ringing >= 0

    def close(self, drain: bool | None = None) -> None:
        self.closed.append(bool(drain))


@dataclass
class FakeBus:
    keys: list[tuple[str, str] | None]
    waited: list[float] = field(default_factory=list)
    interrupt_after: int | None = None

    def get(self, timeout: float | None) -> tuple[str, str] | None:
        self.waited.append(timeout or 0.0)
        if self.interrupt_after is not None and len(self.waited) > self.interrupt_after:
            raise KeyboardInterrupt
        return self.keys.pop(0) if self.keys else None


def test_the_end_waits_while_the_bell_rings_then_closes() -> None:
    sink, bus = FakeSink(ringing=5), FakeBus([])
    ring_out(sink, bus, speed=1.0, clock=time.monotonic)  # type: ignore[arg-type]
    assert len(bus.waited) == 5  # it looked five times, waiting on the keys each time
    assert sink.closed == [False]


@pytest.mark.parametrize("key", ["q", "escape"])
def test_q_or_escape_fades_the_bell_at_once(key: str) -> None:
    sink, bus = FakeSink(ringing=1000), FakeBus([None, ("key", "x"), ("key", key)])
    ring_out(sink, bus, speed=1.0, clock=time.monotonic)  # type: ignore[arg-type]
    assert len(bus.waited) == 3  # another key does not stop it; q does
    assert sink.closed == [False]  # closed without draining: the mixer's fade


def test_ctrl_c_fades_the_bell_without_a_traceback() -> None:
    sink, bus = FakeSink(ringing=1000), FakeBus([], interrupt_after=2)
    ring_out(sink, bus, speed=1.0, clock=time.monotonic)  # type: ignore[arg-type]
    assert sink.closed == [False]
