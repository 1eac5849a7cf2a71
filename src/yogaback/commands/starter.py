"""``yogaback new``: write a commented starter routine, never over an existing file."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

from yogaback.catalog import NAME_PATTERN, user_dir
from yogaback.commands.output import out
from yogaback.errors import BadInput, YogabackError
from yogaback.routine_format import schema

SCHEMA_FILE = "routine.schema.json"


def template(name: str) -> str:
    text = resources.files("yogaback").joinpath("starter.yaml").read_text(encoding="utf-8")
    title = name.replace("-", " ").replace("_", " ").strip().capitalize()
    return text.replace("title: My upper-back break", f"title: {json.dumps(title)}", 1)


def run(name: str, path: Path | None) -> None:
    if not NAME_PATTERN.match(name):
        raise BadInput(
            f"'{name}' is not a usable routine name: use lower-case letters, digits, "
            "'-' and '_' (e.g. desk-break)"
        )
    if path is None:
        target = user_dir() / f"{name}.yaml"
    elif path.is_dir():
        target = path / f"{name}.yaml"
    else:
        target = path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as fh:
            fh.write(template(name))
    except FileExistsError:
        raise BadInput(
            f"{target} already exists; not overwriting it. Choose another name, or edit that file"
        ) from None
    except OSError as exc:
        raise YogabackError(f"cannot write {target}: {exc.strerror}") from None
    _write_schema(target.parent)
    out().print(f"Wrote {target}", markup=False)
    out().print(
        f"Edit it, then:  yogaback validate {target}  and  yogaback show {target}", markup=False
    )


def _write_schema(folder: Path) -> None:
    """Put the schema beside the routine so editors find it; ours to refresh, never the user's."""
    target = folder / SCHEMA_FILE
    text = json.dumps(schema(), indent=2) + "\n"
    try:
        if target.exists() and target.read_text(encoding="utf-8") == text:
            return
        if target.exists() and '"$id": "https://yogaback.invalid/' not in target.read_text(
            encoding="utf-8", errors="replace"
        ):
            return  # a file of the user's own with that name: leave it be
        tmp = target.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # editor support only; the routine itself was written
