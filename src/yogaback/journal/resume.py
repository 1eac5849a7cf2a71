"""``play --resume``: find the last unfinished session of a routine and where it picks up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from yogaback.durations import ago
from yogaback.errors import BadInput, QuietExit
from yogaback.journal.store import Entry, Journal, age, file_digest

STALE_AFTER = timedelta(days=1)
"""``--resume`` asks before continuing a session older than this."""
RESUME_CHOICES = {"y": "yes", "n": "no", "q": "quit"}

Choose = Callable[[str, dict[str, str], str], str]
"""Ask ``question`` for one key of ``choices`` (key -> answer), ``default`` on Enter."""


def _take_default(question: str, choices: dict[str, str], default: str) -> str:
    return default


@dataclass(frozen=True)
class ResumePlan:
    """Where ``play --resume`` starts. ``part`` None: from the beginning (the user said so)."""

    entry: Entry
    part: int | None
    message: str

    @property
    def minutes(self) -> float | None:
        return self.entry.minutes

    @property
    def pace(self) -> float | None:
        return self.entry.pace

    @property
    def resumed_from(self) -> int | None:
        return self.entry.id if self.part is not None else None


def plan_resume(
    journal: Journal,
    key: str,
    arg: str,
    path: Path,
    *,
    now: datetime | None = None,
    choose: Choose = _take_default,
) -> ResumePlan:
    """The last unfinished session of routine ``key``, and whether to continue it. Asks
    first (``choose``, one key) if that session is more than a day old; without a
    ``choose`` it continues.
    Raises ``BadInput`` (kindly) when there is nothing to resume, ``QuietExit`` on q."""
    entry = journal.last_unfinished(key)
    if entry is None:
        latest = journal.recent(1, routine=key)
        if not latest:
            raise BadInput(
                f"there is no session of {arg} to resume yet. To start one: yogaback play {arg}"
            )
        when = ago(age(latest[0], now))
        raise BadInput(
            f"your last session of {arg} ({when}) went all the way to the end, so there is "
            f"nothing to resume. To play it again: yogaback play {arg}"
        )
    old = age(entry, now)
    where = f"part {entry.part} of {entry.parts}"
    changed = entry.file_hash is not None and file_digest(path) not in (None, entry.file_hash)
    note = (
        f"\n(The routine file has changed since then, so part {entry.part} may be another pose.)"
        if changed
        else ""
    )
    if old > STALE_AFTER:
        answer = choose(
            f"Your last session of {arg} stopped at {where}, {ago(old)}. "
            "Continue from there? [Y]es · [n]o, from the beginning · [q]uit",
            RESUME_CHOICES,
            "yes",
        )
        if answer == "quit":
            raise QuietExit(0)
        if answer == "no":
            return ResumePlan(entry, None, f"Starting {arg} from the beginning.")
    return ResumePlan(
        entry, entry.part, f"Continuing {arg} at {where}, where you stopped {ago(old)}.{note}"
    )
