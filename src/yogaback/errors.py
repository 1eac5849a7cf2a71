"""Typed errors raised by domain code; the CLI turns them into messages and exit codes.

Nothing below the CLI prints or exits: it raises one of these instead.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


@dataclass(frozen=True, slots=True)
class Mark:
    """A place in an input file (a YAML node's, a config value's). From 1."""

    line: int
    column: int


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file. Lines and columns count from 1."""

    path: str
    line: int
    column: int
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class YogabackError(Exception):
    """Base class: a failure the user can understand and act on."""

    exit_code = EXIT_FAILURE


class BadInput(YogabackError):
    """Bad usage or a bad input file (exit 2)."""

    exit_code = EXIT_BAD_INPUT


class RoutineError(BadInput):
    """A routine file has one or more located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line, p.column, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class NotFound(BadInput):
    """A routine name that matches no known routine."""


class QuietExit(YogabackError):
    """End the command at once with ``code`` and no message (a signal during a session or a
    question, or ``q`` at a question): whatever needed saying was already said."""

    def __init__(self, code: int) -> None:
        self.exit_code = code
        super().__init__("")
