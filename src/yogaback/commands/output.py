"""Consoles and the one place errors are written for the user."""

from __future__ import annotations

import sys
from functools import cache

from rich.console import Console


@cache
def out() -> Console:
    return Console(highlight=False)


@cache
def err() -> Console:
    return Console(stderr=True, highlight=False)


def error(text: str) -> None:
    """Write an error to stderr. Located problems (FILE:LINE:COL: ...) are written as they are."""
    first = text.split("\n", 1)[0]
    located = first.count(":") >= 3 and not first.startswith("yogaback")
    message = text if located else f"yogaback: {text}"
    if err().is_terminal:
        err().print(message, style="red" if not located else None, markup=False)
    else:
        sys.stderr.write(message + "\n")
