"""Single-key questions asked around a session: the pain check-ins and yes/no choices.

Questions are single key presses, always skippable, and never wait when stdin is not a
terminal.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO, Any

from yogaback.environment import is_tty
from yogaback.errors import QuietExit
from yogaback.screen.terminal import (
    STOP,
    Bus,
    Keys,
    Terminated,
    new_bus,
    signals,
    stop_process,
    stoppable,
)

BEFORE_QUESTION = "How does your upper back feel, 0–10?"
AFTER_QUESTION = "And now, how does your upper back feel, 0–10?"
PAIN_HELP = "0 no pain … 10 worst; press a number, or Enter to skip"
PROMPT_TIMEOUT = 120.0
"""Seconds a question waits for a key before it counts as skipped."""
TEN_WAIT = 0.8
"""After '1', how long to wait for a '0' (so '10' can be typed)."""
SKIP_KEYS = frozenset({"enter", "space", "escape", "s", "q", "Q", "backspace"})


def _read_key(bus: Bus, deadline: float, on_stop: Callable[[], None] | None = None) -> str | None:
    """The next key press on ``bus`` before ``deadline`` (a monotonic time), else None.
    A Ctrl-Z on the bus calls ``on_stop``; the time stopped does not count."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        event = bus.get(left)
        if event == STOP and on_stop is not None:
            began = time.monotonic()
            on_stop()
            deadline += time.monotonic() - began
        elif event is not None and event[0] == "key":
            return event[1]


def _stopper(keys: Keys, out: IO[str], question: str) -> Callable[[], None]:
    """What Ctrl-Z does during a question: give the terminal its own mode back, stop,
    and after ``fg`` take cbreak again and ask the question again on a fresh line."""

    def stop() -> None:
        with keys.released():
            out.write("\n")
            out.flush()
            stop_process()
        out.write(question)
        out.flush()

    return stop


def _ask(
    question: str,
    decide: Any,
    *,
    bus: Bus | None,
    keys: Keys | None = None,
    stdin: Any,
    out: IO[str],
    timeout: float,
) -> Any:
    """Write ``question`` and feed key presses to ``decide(key, bus, deadline)`` until it
    returns something other than ``...``. With ``bus``, keys come from a ``Keys`` reader
    already running (``keys``: that reader, so Ctrl-Z can give the terminal back; the
    caller routes SIGTSTP to the bus with ``stoppable``); without, one is started on
    ``stdin`` (SIGTERM/SIGHUP end it, Ctrl-Z stops it cleanly)."""
    out.write(question)
    out.flush()

    def loop(keys_bus: Bus, reader: Keys | None) -> Any:
        on_stop = _stopper(reader, out, question) if reader is not None else None
        deadline = time.monotonic() + timeout
        while True:
            key = _read_key(keys_bus, deadline, on_stop)
            if key is None:
                return None
            answer = decide(key, keys_bus, deadline)
            if answer is not ...:
                return answer

    try:
        if bus is not None:
            return loop(bus, keys)
        own = new_bus()
        try:
            with signals(own), stoppable(own), Keys(own, stdin) as own_keys:
                if not own_keys.active:
                    return None
                return loop(own, own_keys)
        except Terminated as exc:
            out.write("\n")
            raise QuietExit(128 + exc.signum) from None
    except KeyboardInterrupt:
        out.write("\n")
        out.flush()
        raise


def ask_pain(
    question: str,
    *,
    bus: Bus | None = None,
    keys: Keys | None = None,
    stdin: Any = None,
    out: IO[str] | None = None,
    timeout: float = PROMPT_TIMEOUT,
) -> int | None:
    """Ask for a 0–10 rating with one key press ('1' then '0' within a moment gives 10).
    Enter, space, Esc, s or q skip. Returns None at once when stdin is not a terminal
    (unless ``bus`` is given: keys from ``keys``, a ``Keys`` reader the caller runs)."""
    stdin = sys.stdin if stdin is None else stdin
    out = sys.stdout if out is None else out
    if bus is None and not is_tty(stdin):
        return None

    def decide(key: str, keys: Bus, deadline: float) -> int | object | None:
        if key in SKIP_KEYS:
            return None
        if len(key) == 1 and key.isdigit():
            value = int(key)
            if value == 1:
                more = _read_key(keys, min(deadline, time.monotonic() + TEN_WAIT))
                if more == "0":
                    value = 10
            return value
        return ...

    answer: int | None = _ask(
        f"{question} ({PAIN_HELP}) ",
        decide,
        bus=bus,
        keys=keys,
        stdin=stdin,
        out=out,
        timeout=timeout,
    )
    out.write(f"{answer}\n" if answer is not None else "skipped\n")
    out.flush()
    return answer


def ask_choice(
    question: str,
    choices: dict[str, str],
    default: str,
    *,
    stdin: Any = None,
    out: IO[str] | None = None,
    timeout: float = PROMPT_TIMEOUT,
) -> str:
    """One key from ``choices`` (key -> answer); Enter gives ``default``. Returns
    ``default`` at once, without asking, when stdin is not a terminal."""
    stdin = sys.stdin if stdin is None else stdin
    out = sys.stdout if out is None else out
    if not is_tty(stdin):
        return default

    def decide(key: str, keys: Bus, deadline: float) -> str | object:
        if key == "enter":
            return default
        if key == "escape" and "q" in choices:
            return choices["q"]
        return choices.get(key.lower(), ...)

    answer: str | None = _ask(
        question + " ", decide, bus=None, stdin=stdin, out=out, timeout=timeout
    )
    answer = default if answer is None else answer
    out.write(f"{answer}\n")
    out.flush()
    return answer
