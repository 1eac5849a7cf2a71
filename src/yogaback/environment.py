"""What a command runs in: its streams and whether they are terminals.

Low in the layers so every room can take it as a parameter; the commands build the real
one, tests a fake.
"""

from __future__ import annotations

from typing import Any


def is_tty(stream: Any) -> bool:
    """Whether ``stream`` is a terminal; False for anything that cannot say (closed, a
    ``StringIO``, None)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False
