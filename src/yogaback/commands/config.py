"""``yogaback config path|show|init``: where the config file is, what is in effect, and a
commented starter file."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path

from yogaback.config import OPTIONS, TEMPLATE, Config, check_sound_files, config_path, load
from yogaback.errors import BadInput
from yogaback.routine.model import SOUND_EVENTS
from yogaback.sound.library import check_sound_file


def run_path() -> None:
    sys.stdout.write(f"{config_path()}\n")


def shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if value is None:
        return "routine's own"
    if isinstance(value, float):
        return f"{value:g} s"
    return str(value)


def run_show(*, as_json: bool = False) -> None:
    from rich.table import Table
    from rich.text import Text

    from yogaback.commands.output import out

    config: Config = load()
    check_sound_files(
        config, check_sound_file
    )  # 'config show' is how people check their file: check it all
    path = config.path
    if as_json:
        data = {
            "path": str(path),
            "exists": path is not None and path.is_file(),
            "settings": {
                key: {"value": value, "source": config.source(key)}
                for key, value in config.values().items()
            },
            "sounds": {
                event: {
                    "file": None if choice.path is None else str(choice.path),
                    "source": "config file " + choice.origin.rsplit(":", 1)[0],
                }
                for event, choice in config.sounds.items()
            },
        }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    console = out()
    exists = path is not None and path.is_file()
    state = "" if exists else " (not there yet: 'yogaback config init' writes a starter)"
    console.print(f"Config file: {path}{state}", markup=False, soft_wrap=True)
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column("setting", no_wrap=True)
    table.add_column("value", no_wrap=True)
    table.add_column("from", no_wrap=True)
    rows: list[tuple[str, str, str, str]] = []
    for key, value in config.values().items():
        source = config.source(key)
        if path is not None and source.startswith(f"config file {path}:"):
            source = "config file, line " + source.rsplit(":", 1)[1]
        rows.append((key, shown(value), source, OPTIONS[key].help))
    if not config.sounds:
        rows.append(("sounds", "yogaback's", "default", "your own .wav files: a [sounds] table"))
    for event, choice in config.sounds.items():
        line = choice.origin.removeprefix(f"{path}:").split(":")[0]
        file = "off" if choice.path is None else str(choice.path)
        rows.append((f"sounds.{event}", file, f"config file, line {line}", SOUND_EVENTS[event]))
    meaning = console.width >= 100  # narrower, it would wrap every row into a column of words
    if meaning:
        table.add_column("meaning", style="dim")
    for row in rows:  # as Text: a path may hold [brackets] that are not Rich markup
        cells = [Text(cell) for cell in row]
        table.add_row(*(cells if meaning else cells[:3]))
    console.print(table)


def run_init() -> None:
    path = config_path()
    if os.path.lexists(path):  # a link too, even a dangling one: it is the user's
        raise BadInput(f"{path} already exists; not overwriting it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_new(path, TEMPLATE)
    except FileExistsError:
        raise BadInput(f"{path} already exists; not overwriting it") from None
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc.strerror}") from None
    sys.stdout.write(
        f"Wrote {path}\nEdit it to set your defaults; 'yogaback config show' checks it.\n"
    )


def _write_new(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all, never over anything already there: the text goes
    to a temporary file beside it, then is linked into place. A full disk then leaves no
    empty or half-written file that would block the retry. Hand-written because the
    standard library has no exclusive atomic create; ``os.link`` fails if anything,
    even a dangling link, has the name, and never follows a link."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # a filesystem without hard links: check, then rename
            if os.path.lexists(path):
                raise FileExistsError(path) from None
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
