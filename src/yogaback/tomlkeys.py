"""Where each key of a TOML text is written, and a nesting limit checked before parsing.

``tomllib`` gives values but no positions, and nothing maintained on PyPI gives both
without a much larger dependency (tomlkit keeps whitespace, not line numbers). So this is
a small hand-written scanner, in one pass over the text: it knows strings (including
multi-line ones, so a key-looking line inside ``\"\"\"...\"\"\"`` is not a key), comments,
table headers, dotted keys, inline tables and arrays, and nothing more. It is lenient: it
runs on text ``tomllib`` may still reject, and never fails except for nesting too deep.
It is iterative, because ``tomllib`` is recursive and a file nested a few hundred levels
deep would otherwise end in a ``RecursionError`` there.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import tomllib
from dataclasses import dataclass
from typing import Literal

Path_ = tuple[str, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[\s,\]}#]")


@dataclass(frozen=True, slots=True)
class Spot:
    """Where a key is written: its line, and the columns of the key and of its value (from
    1). For a table written as a header ``[name]``, both columns are the ``[``'s; for the
    leading parts of a dotted key ``a.b = 1``, both are the part's."""

    line: int
    key: int
    value: int


class TooDeep(Exception):
    def __init__(self, line: int, column: int) -> None:
        super().__init__(f"nested too deeply at {line}:{column}")
        self.line = line
        self.column = column


@dataclass(slots=True)
class _Frame:
    closer: Literal["]", "}"]
    path: Path_ | None
    """The key path of an inline table (None inside an array: not looked up)."""
    depth: int


class _Scanner:
    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.max_depth = max_depth
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.spots: dict[Path_, Spot] = {}

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def record(self, path: Path_ | None, key_at: int, value_at: int) -> None:
        if path is not None and path not in self.spots:
            line, key = self.where(key_at)
            self.spots[path] = Spot(line, key, self.where(value_at)[1])

    def deep(self, depth: int, offset: int) -> None:
        if depth > self.max_depth:
            raise TooDeep(*self.where(offset))

    def skip_string(self, i: int) -> int:
        """The offset just past the string starting at ``i``."""
        text = self.text
        quote = text[i]
        escapes = quote == '"'
        if text.startswith(quote * 3, i):
            j = i + 3
            while j < len(text):
                if escapes and text[j] == "\\":
                    j += 2
                elif text.startswith(quote * 3, j):
                    end = j + 3
                    while end < len(text) and text[end] == quote and end - j < 5:
                        end += 1  # up to two quotes may end the content: """a""""
                    return end
                else:
                    j += 1
            return len(text)
        j = i + 1
        while j < len(text) and text[j] != quote and text[j] != "\n":
            j += 2 if escapes and text[j] == "\\" else 1
        return min(j + 1, len(text))

    def key(self, i: int) -> tuple[list[tuple[str, int]], int]:
        """A dotted key at ``i``: its parts with their offsets, and the offset after it."""
        text = self.text
        parts: list[tuple[str, int]] = []
        while True:
            while i < len(text) and text[i] in " \t":
                i += 1
            if i < len(text) and text[i] in "\"'":
                end = self.skip_string(i)
                raw = text[i:end]
                name = raw[1:-1]
                if text[i] == '"' and "\\" in raw:
                    with contextlib.suppress(tomllib.TOMLDecodeError):  # undo the escapes
                        name = tomllib.loads(f"k = {raw}")["k"]
                parts.append((name, i))
                i = end
            else:
                match = _BARE.match(text, i)
                if not match:
                    return parts, i
                parts.append((match.group(), i))
                i = match.end()
            while i < len(text) and text[i] in " \t":
                i += 1
            if i < len(text) and text[i] == ".":
                i += 1
                continue
            return parts, i

    def assignment(self, i: int, base: Path_ | None, depth: int) -> tuple[int, Path_ | None, int]:
        """Read ``key =`` at ``i`` in a table at ``depth`` whose key path is ``base``; record
        it. Returns the offset of the value, its key path and the depth of the table
        holding it (so a table or array value there is one deeper)."""
        text = self.text
        parts, i = self.key(i)
        if not parts:
            return i + 1, None, depth  # not a key: step over it (tomllib reports it)
        holder = depth + len(parts) - 1  # a.b.c = 1 makes tables a and b
        self.deep(holder, parts[-1][1])
        if i < len(text) and text[i] == "=":
            i += 1
        while i < len(text) and text[i] in " \t":
            i += 1
        names = tuple(name for name, _ in parts)
        for n, (_, at) in enumerate(parts[:-1], 1):
            self.record(None if base is None else base + names[:n], at, at)
        path = None if base is None else base + names
        self.record(path, parts[-1][1], i)
        return i, path, holder

    def scan(self) -> dict[Path_, Spot]:
        text = self.text
        table: Path_ = ()
        stack: list[_Frame] = []
        state: Literal["statement", "key", "value", "next"] = "statement"
        value_path: Path_ | None = ()
        value_depth = 0
        i = 0
        while i < len(text):
            c = text[i]
            if c in " \t\r":
                i += 1
            elif c == "\n":
                i += 1
                if not stack:
                    state = "statement"
            elif c == "#":
                end = text.find("\n", i)
                i = len(text) if end < 0 else end
            elif state == "statement":
                if c == "[":
                    start = i
                    i += 2 if text.startswith("[[", i) else 1
                    parts, i = self.key(i)
                    table = tuple(name for name, _ in parts)
                    self.deep(len(table), start)
                    for n in range(1, len(table) + 1):
                        self.record(table[:n], start, start)
                    state = "next"  # the closing bracket(s) are stepped over there
                else:
                    i, value_path, value_depth = self.assignment(i, table, len(table))
                    state = "value"
            elif state == "key":
                if c == "}":
                    stack.pop()
                    i += 1
                    state = "next"
                elif c == ",":
                    i += 1
                else:
                    frame = stack[-1]
                    i, value_path, value_depth = self.assignment(i, frame.path, frame.depth)
                    state = "value"
            elif state == "value":
                in_array = bool(stack) and stack[-1].closer == "]"
                if in_array:
                    value_path, value_depth = None, stack[-1].depth
                if c in "[{":
                    self.deep(value_depth + 1, i)
                    if c == "[":
                        stack.append(_Frame("]", None, value_depth + 1))
                    else:
                        stack.append(_Frame("}", value_path, value_depth + 1))
                        state = "key"
                    i += 1
                elif c == "]" and in_array:  # [] or a trailing comma
                    stack.pop()
                    i += 1
                    state = "next"
                elif c in "\"'":
                    i = self.skip_string(i)
                    state = "next"
                else:
                    match = _SCALAR_END.search(text, i + 1)
                    i = match.start() if match else len(text)
                    state = "next"
            else:  # "next": after a value or header
                if stack and c == stack[-1].closer:
                    stack.pop()
                elif stack and c == ",":
                    state = "key" if stack[-1].closer == "}" else "value"
                i += 1  # anything else (a header's "]", a date's time) is stepped over
        return self.spots


def locate_keys(text: str, max_depth: int) -> dict[Path_, Spot]:
    """Where each key path (``("sounds", "pose")``) is first written in ``text``.

    Raises ``TooDeep`` where tables and arrays nest more than ``max_depth`` levels.
    """
    return _Scanner(text, max_depth).scan()
