"""Where routines live and how a name on the command line finds one."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from yogaback.errors import BadInput, NotFound

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
SUFFIXES = (".yaml", ".yml")
HOME_ENV = "YOGABACK_HOME"


def home() -> Path:
    """The user's yogaback folder: ``$YOGABACK_HOME``, else the platform's user data folder."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("yogaback", appauthor=False))


def user_dir() -> Path:
    return home() / "routines"


def builtin_dir() -> Path:
    """The shipped routines: inside the installed package, or the source tree's ``sequences/``."""
    packaged = Path(str(resources.files("yogaback"))) / "sequences"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "sequences"


@dataclass(frozen=True)
class Entry:
    name: str
    path: Path
    source: Literal["built-in", "user"]


def _scan(folder: Path, source: Literal["built-in", "user"]) -> list[Entry]:
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)
    except OSError:
        return []
    return [Entry(p.stem, p, source) for p in files if NAME_PATTERN.match(p.stem)]


def discover() -> list[Entry]:
    """Every routine: the user's first, then built-in ones they do not shadow."""
    user = _scan(user_dir(), "user")
    taken = {e.name for e in user}
    return user + [e for e in _scan(builtin_dir(), "built-in") if e.name not in taken]


def looks_like_path(arg: str) -> bool:
    return os.sep in arg or "/" in arg or arg.endswith(SUFFIXES) or arg.startswith(".")


def resolve(arg: str) -> Path:
    """Turn ``NAME|PATH`` into a file path. Names never reach outside the routine folders."""
    if looks_like_path(arg):
        return Path(arg)
    if not NAME_PATTERN.match(arg):
        raise BadInput(
            f"'{arg}' is not a routine name: names use lower-case letters, digits, "
            "'-' and '_'; to use a file, give its path (e.g. ./my-routine.yaml)"
        )
    entries = discover()
    for entry in entries:
        if entry.name == arg:
            return entry.path
    names = [e.name for e in entries]
    close = difflib.get_close_matches(arg, names, n=1, cutoff=0.5)
    message = f"no routine named '{arg}'"
    if close:
        message += f"; did you mean '{close[0]}'?"
    message += "\nknown routines: " + (", ".join(names) if names else "none")
    message += "\n(see 'yogaback list'; your own routines go in " + str(user_dir()) + ")"
    raise NotFound(message)
