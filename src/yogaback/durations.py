"""Durations as people write them (``45s``, ``2m``, ``1m30s``, ``90``) and as we show them."""

from __future__ import annotations

import re
from datetime import timedelta

DURATION_PATTERN = (
    r"^\s*(?=\d)(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m)?\s*(?:(\d+(?:\.\d+)?)s?)?\s*$"
)
_DURATION = re.compile(DURATION_PATTERN)


def parse_duration(value: object) -> float:
    """Seconds from a number of seconds or a text such as ``1m30s``. Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 45s, 2m or 1m30s")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match and any(match.groups()):
            h, m, s = (float(g) if g else 0.0 for g in match.groups())
            return h * 3600 + m * 60 + s
    raise ValueError(f"{value!r} is not a duration; write it like 45s, 2m or 1m30s")


def clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for display; rounds to whole seconds."""
    total = max(0, round(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def human(seconds: float) -> str:
    """``1m30s`` style, as written in routine files."""
    total = round(seconds, 1)
    if total == int(total):
        whole = int(total)
        m, s = divmod(whole, 60)
        if m and s:
            return f"{m}m{s}s"
        return f"{m}m" if m else f"{s}s"
    return f"{total}s"


def plural(n: int, word: str) -> str:
    """``1 part``, ``2 parts``."""
    return f"{n} {word}{'s' if n != 1 else ''}"


def ago(delta: timedelta) -> str:
    """``just now``, ``5 minutes ago``, ``yesterday``, ``3 days ago``."""
    seconds = delta.total_seconds()
    if seconds < 90:
        return "just now"
    if seconds < 3600:
        return f"{round(seconds / 60)} minutes ago"
    if seconds < 2 * 3600:
        return "an hour ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} hours ago"
    days = int(seconds // 86400)
    return "yesterday" if days == 1 else f"{days} days ago"
