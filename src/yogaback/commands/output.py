"""Consoles and the one place errors are written for the user."""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from typing import Literal

from rich.console import Console

LOCATED = re.compile(r"[^\n']+:\d+:\d+: ")
"""A problem report that starts ``FILE:LINE:COL: `` (not a message quoting what was typed)."""

ColorSystem = Literal["auto", "standard", "256", "truecolor", "windows"]


def _color_system() -> ColorSystem | None:
    """No styling at all (not even bold or dim) when NO_COLOR is set: no escapes."""
    return None if os.environ.get("NO_COLOR", "") != "" else "auto"


@cache
def out() -> Console:
    return Console(highlight=False, color_system=_color_system())


@cache
def err() -> Console:
    return Console(stderr=True, highlight=False, color_system=_color_system())


def error(text: str) -> None:
    """Write an error to stderr. Located problems (FILE:LINE:COL: ...) are written as they are."""
    located = LOCATED.match(text) is not None
    message = text if located else f"yogaback: {text}"
    if err().is_terminal:
        err().print(message, style="red" if not located else None, markup=False)
    else:
        sys.stderr.write(message + "\n")
