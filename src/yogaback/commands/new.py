"""``yogaback new``: write a commented starter routine, never over an existing file."""

from __future__ import annotations

import json
import os
import shlex
import tempfile
from importlib import resources
from pathlib import Path

from yogaback.commands.output import out
from yogaback.errors import BadInput, YogabackError
from yogaback.routine.catalog import builtin_dir, is_name, suggest_name, user_dir
from yogaback.routine.format import schema

SCHEMA_FILE = "routine.schema.json"


def template(name: str) -> str:
    text = resources.files("yogaback.routine").joinpath("starter.yaml").read_text(encoding="utf-8")
    title = name.replace("-", " ").replace("_", " ").strip().capitalize()
    return text.replace("title: My upper-back break", f"title: {json.dumps(title)}", 1)


def run(name: str, path: Path | None) -> None:
    if not is_name(name):
        raise BadInput(
            f"{name!r} is not a usable routine name: use lower-case letters, digits, "
            f"'-' and '_' (e.g. {suggest_name(name)})"
        )
    target = destination(name, path)
    if path is None and (builtin_dir() / f"{name}.yaml").is_file():
        # a routine of yours takes the place of the built-in one of that name: playing
        # 'desk-break' would then play this template, which nobody asked for
        raise BadInput(
            f"{name!r} is a built-in routine, and a routine of yours by that name would "
            f"take its place. Choose another name, e.g. my-{name}"
        )
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
    out().print(f"Wrote {target}", markup=False, soft_wrap=True)
    shown = shlex.quote(str(target))
    by_name = name if path is None else shown  # in the routines folder, the name finds it
    out().print(
        f"Edit it, then check it with:  yogaback validate {shown}\n"
        f"and preview it with:          yogaback show {by_name}",
        markup=False,
        soft_wrap=True,
    )


def destination(name: str, path: Path | None) -> Path:
    """Where ``new NAME [--path PATH]`` writes: a folder gets ``NAME.yaml`` inside it.

    PATH is taken as a folder when it is one, or when it does not exist and has no
    suffix (so ``--path new-folder`` makes the folder, ``--path flow.yaml`` the file).
    """
    if path is None:
        return user_dir() / f"{name}.yaml"
    if path.is_dir() or (not path.exists() and not path.suffix):
        return path / f"{name}.yaml"
    return path


def _write_schema(folder: Path) -> None:
    """Put the schema beside the routine so editors find it; ours to refresh, never the user's."""
    target = folder / SCHEMA_FILE
    text = json.dumps(schema(), indent=2) + "\n"
    try:
        try:
            current: str | None = target.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            current = None
        if current == text:
            return
        if current is not None and '"$id": "https://yogaback.invalid/' not in current:
            return  # a file of the user's own with that name: leave it be
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".routine.schema.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, target)
        except OSError:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # editor support only; the routine itself was written
