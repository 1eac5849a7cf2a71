"""Audio engines behind one small interface, found by name, tried in a chain.

Every engine is driven from the single audio worker thread (``worker.py``):
``play`` starts a sound and returns at once, ``poll`` does housekeeping (reaping
or killing overrunning player processes), ``stop`` silences everything, and
``close`` releases the device. Opening an engine *is* its probe: a constructor
that returns has a working output, one that raises ``Unavailable`` says why.

The default chain is miniaudio (with an explicit OS backend list) → a system
player on PATH → the terminal bell (only if asked for) → silence.
"""

from __future__ import annotations

from collections.abc import Sequence

from yogaback.sound import limits
from yogaback.sound.engines.base import (
    OVERRUN,
    PROBE_TIMEOUT,
    Clock,
    Engine,
    Factory,
    Failed,
    FirstSamples,
    Options,
    Unavailable,
)
from yogaback.sound.engines.bell import BellEngine
from yogaback.sound.engines.device import MiniaudioEngine, default_backends
from yogaback.sound.engines.players import CommandEngine, command, system_engine
from yogaback.sound.engines.silent import SilentEngine
from yogaback.sound.engines.simple import SimpleaudioEngine
from yogaback.sound.engines.windows import WinsoundEngine

__all__ = [
    "ENGINES",
    "OVERRUN",
    "PROBE_TIMEOUT",
    "BellEngine",
    "Clock",
    "CommandEngine",
    "Engine",
    "Failed",
    "FirstSamples",
    "MiniaudioEngine",
    "Options",
    "SilentEngine",
    "SimpleaudioEngine",
    "Unavailable",
    "WinsoundEngine",
    "chain",
    "default_backends",
    "open_chain",
    "open_with_timeout",
]

ENGINES: dict[str, Factory] = {
    "miniaudio": MiniaudioEngine,
    "simpleaudio": SimpleaudioEngine,
    "system": system_engine,
    "pw-play": command(["pw-play"]),
    "paplay": command(["paplay"]),
    "aplay": command(["aplay", "-q"]),
    "afplay": command(["afplay"]),
    "winsound": WinsoundEngine,
    "bell": BellEngine,
    "silent": SilentEngine,
}
"""Every engine by the name a user can ask for (``auto`` is the default chain)."""


def chain(choice: str = "auto", bell: bool = False) -> list[str]:
    """Engine names to try, in order, for ``--sound-engine choice`` (always ends silent)."""
    auto = ["miniaudio", "system"] + (["bell"] if bell else []) + ["silent"]
    if choice == "auto":
        return auto
    if choice not in ENGINES:
        raise ValueError(f"unknown sound engine {choice!r}; choose auto, {', '.join(ENGINES)}")
    return [choice] + [n for n in auto if n != choice]


def open_with_timeout(factory: Factory, options: Options, timeout: float) -> Engine:
    """Open one engine in a helper thread; give up on it after ``timeout`` seconds. An
    engine that opens after it was given up on is closed again."""
    probe: limits.Probe[Engine] = limits.Probe(
        lambda: factory(options),
        timeout,
        late=lambda engine: engine.close(),
        name="yogaback-sound-probe",
    )

    def unavailable(reason: str) -> Engine:
        if isinstance(probe.error, Unavailable):
            raise probe.error
        raise Unavailable(reason)

    return probe.result(unavailable)


def open_chain(
    names: Sequence[str], options: Options, timeout: float = PROBE_TIMEOUT
) -> tuple[Engine, list[tuple[str, str]]]:
    """The first engine of ``names`` that opens, and why each one before it did not."""
    failures: list[tuple[str, str]] = []
    for name in names:
        try:
            return open_with_timeout(ENGINES[name], options, timeout), failures
        except Unavailable as exc:
            failures.append((name, str(exc)))
    return SilentEngine(options), failures
