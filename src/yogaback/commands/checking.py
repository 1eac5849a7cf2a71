"""``yogaback validate``: check routine files and report every problem."""

from __future__ import annotations

from pathlib import Path

from yogaback.commands.output import error, out
from yogaback.errors import EXIT_BAD_INPUT, EXIT_OK, RoutineError
from yogaback.routine_format import load_routine


def run(paths: list[Path]) -> int:
    bad = 0
    for path in paths:
        try:
            routine = load_routine(path)
        except RoutineError as exc:
            bad += 1
            error(str(exc))
            continue
        out().print(f"{path}: ok — {routine.title}", markup=False)
    if bad and len(paths) > 1:
        error(f"{bad} of {len(paths)} files have problems")
    return EXIT_BAD_INPUT if bad else EXIT_OK
