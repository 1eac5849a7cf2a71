"""``yogaback config path|show|init``: where the config file is, what is in effect, and a
commented starter file."""

from __future__ import annotations

import json
import sys

from yogaback.config import OPTIONS, TEMPLATE, Config, check_sound_files, config_path, load
from yogaback.errors import BadInput
from yogaback.routine.model import SOUND_EVENTS


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
    check_sound_files(config)  # 'config show' is how people check their file: check it all
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
    if path.exists():
        raise BadInput(f"{path} already exists; not overwriting it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as stream:
            stream.write(TEMPLATE)
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc.strerror}") from None
    sys.stdout.write(
        f"Wrote {path}\nEdit it to set your defaults; 'yogaback config show' checks it.\n"
    )
