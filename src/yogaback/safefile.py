"""Read a small input file (a routine, the settings file) without trusting what the path is.

A path the user gives may name a folder, a FIFO that never ends (reading it would hang), a
device such as ``/dev/zero`` (endless), or a file of gigabytes. We look before we open
(``stat``), open without blocking, check again what was opened (``fstat``, in case the
path changed in between) and never read more than ``limit + 1`` bytes. Each way this can
fail is an ``Unreadable`` with a ``kind``, so each caller can word it for its own file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Literal

Kind = Literal["missing", "stat", "folder", "special", "too-large", "open"]


class Unreadable(Exception):
    """Why a file could not be read. ``detail``: the OS's reason ("stat", "open"), or what
    the file is ("special"); ``size``: its size when known ("too-large", else None)."""

    def __init__(self, kind: Kind, detail: str = "", size: int | None = None) -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind: Kind = kind
        self.detail = detail
        self.size = size


def _what(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check(st: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise Unreadable("folder")
    if not stat.S_ISREG(st.st_mode):
        raise Unreadable("special", _what(st.st_mode))
    if st.st_size > limit:
        raise Unreadable("too-large", size=st.st_size)


def read_small(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (links followed), at most ``limit`` of them.

    Raises ``Unreadable``: "missing" (no such file), "stat" (cannot look at it: permissions,
    a loop of links, a part of the path that is a file; ``detail`` says which), "folder",
    "special" (FIFO, device, socket), "too-large" (``size`` is None when the file grew
    past the limit while we read it), "open" (cannot open or read it).
    """
    try:
        _check(path.stat(), limit)
    except FileNotFoundError:
        raise Unreadable("missing") from None
    except OSError as exc:
        raise Unreadable("stat", exc.strerror or str(exc)) from None
    except ValueError as exc:  # e.g. an embedded NUL character
        raise Unreadable("stat", str(exc)) from None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Unreadable("open", exc.strerror or str(exc)) from None
    with open(fd, "rb") as fh:
        _check(os.fstat(fd), limit)  # the path may have been swapped since we looked
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise Unreadable("open", exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise Unreadable("too-large")
    return data
