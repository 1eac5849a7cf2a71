"""Where routines live and how a name on the command line finds one."""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from yogaback.errors import BadInput, NotFound

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
SUFFIXES = (".yaml", ".yml")
HOME_ENV = "YOGABACK_HOME"


def home(env: Mapping[str, str] | None = None) -> Path:
    """The user's yogaback folder: ``$YOGABACK_HOME``, else the platform's user data folder.

    It need not exist yet, but if something is there it must be a folder: every command that
    uses the folder (routines, journal, settings) stops here with one clear message."""
    override = (os.environ if env is None else env).get(HOME_ENV)
    if override:
        folder = Path(override).expanduser()
    else:
        import platformdirs

        folder = Path(platformdirs.user_data_dir("yogaback", appauthor=False))
    try:
        what = None if stat.S_ISDIR(folder.stat().st_mode) else "a file"
    except NotADirectoryError:
        what = "inside a file"
    except (OSError, ValueError):
        what = None  # missing (made when needed), or unreadable: whoever uses it says why
    if what:
        where = f"YOGABACK_HOME is {folder}" if override else f"your yogaback folder {folder}"
        hint = (
            "point YOGABACK_HOME at a folder (it is made when needed), or unset it"
            if override
            else "move that file aside; yogaback keeps your routines and journal there"
        )
        raise BadInput(f"{where}, which is {what}, not a folder\n  hint: {hint}")
    return folder


def user_dir() -> Path:
    return home() / "routines"


def builtin_dir() -> Path:
    """The shipped routines: inside the installed package, or the source tree's ``sequences/``."""
    packaged = Path(str(resources.files("yogaback"))) / "sequences"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "sequences"


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
    return [Entry(p.stem, p, source) for p in files if is_name(p.stem)]


def is_name(text: str) -> bool:
    """True for a usable routine name (``NAME_PATTERN`` over the whole text, no newline)."""
    return NAME_PATTERN.fullmatch(text) is not None


def strays() -> list[Path]:
    """The user's routine files that no name can reach (e.g. ``My Flow.yaml``).

    Hidden files (editor backups and the like) are not counted.
    """
    try:
        files = sorted(p for p in user_dir().iterdir() if p.suffix in SUFFIXES)
    except OSError:
        return []
    return [p for p in files if not is_name(p.stem) and not p.name.startswith(".")]


def suggest_name(text: str) -> str:
    """A usable routine name made from any text: ``My Flow`` gives ``my-flow``."""
    name = re.sub(r"[^a-z0-9_-]+", "-", text.lower())[:64].strip("-_")
    return name or "my-routine"


def discover() -> list[Entry]:
    """Every routine: the user's first, then built-in ones they do not shadow."""
    user = _scan(user_dir(), "user")
    taken = {e.name for e in user}
    return user + [e for e in _scan(builtin_dir(), "built-in") if e.name not in taken]


def looks_like_path(arg: str) -> bool:
    return os.sep in arg or "/" in arg or arg.endswith(SUFFIXES) or arg.startswith(".")


def resolve(arg: str) -> Path:
    """Turn ``NAME|PATH`` into a file path. Names never reach outside the routine folders."""
    if "\x00" in arg:
        raise BadInput(f"{arg!r} is not a routine name or a file path (it contains a NUL byte)")
    if looks_like_path(arg):
        return Path(arg)
    entries = discover()
    names = [e.name for e in entries]
    valid = is_name(arg)
    if valid:
        for entry in entries:
            if entry.name == arg:
                return entry.path
        message = f"no routine named '{arg}'"
    else:
        message = f"{_quoted(arg)} is not a routine name"
    close = difflib.get_close_matches(suggest_name(arg), names, n=1, cutoff=0.5)
    if close:
        message += f"; did you mean '{close[0]}'?"
    message += "\nknown routines: " + (", ".join(names) if names else "none")
    if valid:
        message += f"\n(see 'yogaback list'; your own routines go in {user_dir()})"
    else:
        message += (
            "\n(names use lower-case letters, digits, '-' and '_'; "
            "to use a file, give its path, e.g. ./my-routine.yaml)"
        )
    raise NotFound(message) if valid else BadInput(message)


def _quoted(text: str) -> str:
    """``'text'``, with control characters and odd quotes shown escaped."""
    return f"'{text}'" if text.isprintable() and "'" not in text else repr(text)
