"""``yogaback validate``: check routine files and report every problem."""

from __future__ import annotations

from pathlib import Path

from yogaback.commands.output import error, out
from yogaback.errors import EXIT_BAD_INPUT, EXIT_OK, BadInput, RoutineError
from yogaback.routine.catalog import is_name, resolve
from yogaback.routine.load import load_routine
from yogaback.sound.library import check_sound_file


def _target(path: Path) -> Path:
    """A file path as given, or, for a routine's name that is not a file here, its file."""
    text = str(path)
    try:
        exists = path.exists()
    except OSError:  # e.g. inside a folder we may not read: the loader reports it, located
        return path
    if not exists and is_name(text):
        try:
            return resolve(text)
        except BadInput:
            return path  # reported below as a missing file
    return path


def run(paths: list[Path]) -> int:
    bad = 0
    for given in paths:
        path = _target(given)
        try:
            routine = load_routine(path, sound_files=check_sound_file)
        except RoutineError as exc:
            bad += 1
            error(str(exc))
            continue
        out().print(f"{path}: ok — {routine.title}", markup=False)
    if bad and len(paths) > 1:
        error(f"{bad} of {len(paths)} files have problems")
    return EXIT_BAD_INPUT if bad else EXIT_OK
