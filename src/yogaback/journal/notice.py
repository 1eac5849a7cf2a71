"""Notices about the journal, on stderr."""

from __future__ import annotations

import sys
from typing import IO


def warn(text: str, stream: IO[str] | None = None) -> None:
    """A notice about the journal on stderr (never in the middle of the live screen)."""
    stream = sys.stderr if stream is None else stream
    stream.write("".join(f"yogaback: {line}\n" for line in text.splitlines()))
    stream.flush()
