"""Loading a routine file, and the checks of its meaning.

``load_routine(path)`` is the only way a Routine is made from a file. It reports
every problem it finds, each located at the key or value it concerns: the shapes are
checked by the declared format (``routine.format``), then what needs more than one value
(references, placeholders, lengths, limits) here.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import replace
from pathlib import Path
from typing import Any

from yogaback.durations import human
from yogaback.errors import Mark, RoutineError
from yogaback.routine.format import MAX_PARTS, REGISTRY, ROUTINE
from yogaback.routine.model import (
    Exit,
    Group,
    Pace,
    Pose,
    Routine,
    SoundCheck,
    SoundChoice,
    Step,
    body_seconds,
)
from yogaback.routine.nodes import Map, Node, load
from yogaback.routine.spec import Ctx, Invalid

PLACEHOLDERS = ("side", "other_side")
COUNT = "count"
"""In a counted step's main cue: how many breaths or reps, as a word ('four')."""

MAX_TOTAL_SECONDS = 12 * 3600
"""Longest routine, in seconds."""


def check_sound_files(choices: Iterable[object], ctx: Ctx, check_sound_file: SoundCheck) -> None:
    """Report each chosen sound file that is missing or cannot be played, where it is named."""
    for choice in choices:
        if isinstance(choice, SoundChoice) and choice.path is not None and choice.mark:
            problem = check_sound_file(choice.path, choice.written)
            if problem is not None:
                ctx.report(choice.mark, *problem)


def load_routine(path: Path, *, sound_files: SoundCheck | None = None) -> Routine:
    """Load, check and return a routine; raise RoutineError listing every problem.

    ``sound_files``: also check with it that the routine's own sound files can be played
    (``validate`` passes ``sound.library.check_sound_file``). Otherwise that is left to
    when, and if, they are played, so a missing file never stops a silent session, a
    preview or a listing.

    The cyclic garbage collector is paused while loading: the node tree and the model are
    acyclic (reference counting frees them), the input limits bound memory, and the
    collector's passes over the many new objects cost ~30% of the time of a large file.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_routine(path, sound_files)
    finally:
        if enabled:
            gc.enable()


def _load_routine(path: Path, sound_files: SoundCheck | None) -> Routine:
    where = str(path)
    root, problems = load(path)
    ctx = Ctx(where, problems)
    try:
        routine: Routine = ROUTINE.check(root, ctx)
    except Invalid as exc:
        _check_meaning_of_parts(exc.partial, root, ctx)
        sounds = exc.partial.get("sounds") if isinstance(exc.partial, dict) else None
        if sound_files is not None and isinstance(sounds, dict):
            check_sound_files(sounds.values(), ctx, sound_files)
        raise RoutineError(ctx.problems) from None
    if not routine.id:
        routine = replace(routine, id=path.stem)
    routine = replace(routine, path=path)
    check_meaning(routine, ctx)
    if sound_files is not None:
        check_sound_files(routine.sounds.values(), ctx, sound_files)
    if ctx.problems:
        raise RoutineError(ctx.problems)
    return routine


# --- meaning -----------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _texts(step: Step) -> Iterator[tuple[str, Mark]]:
    for key in ("title", "cue", "inhale", "exhale"):
        text = getattr(step, key)
        if text is not None:
            yield text, step.locs[key]
    for phase in step.cycle:
        yield phase.text, phase.locs["text"]
    for cue in step.cues:
        yield cue.say, cue.locs["say"]
    if step.exit is not None:
        yield step.exit.say, step.exit.locs["say"]


def _pose_texts(pose: Pose) -> Iterator[tuple[str, Mark]]:
    for key in ("name", "setup", "gentler"):
        text = getattr(pose, key)
        if text:
            yield text, pose.locs[key]
    for cue in pose.cues:
        yield cue, pose.locs["cues"]
    if pose.exit is not None:
        yield pose.exit.say, pose.exit.locs["say"]


def _check_text(ctx: Ctx, text: str, mark: Mark, sided: bool, counted: bool = False) -> None:
    """``counted``: the text is the main cue of a step counted in breaths or reps, where
    ``{count}`` says how many (after ``--minutes`` has fitted them)."""
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name == COUNT:
            if not counted:
                ctx.report(
                    mark,
                    "{count} works only in the main cue of a step counted in breaths or reps",
                    "write the number out, or move it to the step's 'cue'",
                )
            continue
        if name not in PLACEHOLDERS:
            close = difflib.get_close_matches(name, (*PLACEHOLDERS, COUNT), n=1)
            ctx.report(
                mark,
                f"unknown placeholder {{{name}}}",
                f"did you mean {{{close[0]}}}?"
                if close
                else "the placeholders are {side}, {other_side} and {count}",
            )
        elif not sided:
            ctx.report(
                mark,
                f"{{{name}}} is used in a step without sides",
                "add 'sides: both' to the step, or write the side out",
            )


def step_seconds(step: Step, pace: Pace) -> float:
    """Length of one side of a step at a given pace (before any fitting)."""
    if step.duration is not None:
        return body_seconds("duration", step.duration, pace, ())
    if step.breaths is not None:
        return body_seconds("breaths", step.breaths, step.pace or pace, ())
    sides = len(step.sides) if step.alternate else 1
    return body_seconds("reps", step.reps or 0, step.pace or pace, step.cycle, max(1, sides))


def _check_meaning_of_parts(partial: Any, root: Node, ctx: Ctx) -> None:
    """After format problems, still check the meaning of the steps that are well formed.

    So a misspelt key and an undefined pose are reported together, not one per run.
    A pose counts as defined when its key is there, even if its entry has problems.
    """
    if not isinstance(partial, dict) or not isinstance(partial.get("steps"), tuple):
        return
    poses = [v for k, v in root.items if k.value == "poses"] if isinstance(root, Map) else []
    defined = (
        {str(k.value) for k, _ in poses[0].items} if poses and isinstance(poses[0], Map) else None
    )
    salvaged: set[int] = set()
    steps = tuple(
        step for step in (_salvage(item, salvaged) for item in partial["steps"]) if step is not None
    )
    pace = partial.get("pace")
    routine = Routine(
        title="",
        poses=partial["poses"] if isinstance(partial.get("poses"), dict) else {},
        steps=steps,
        pace=pace if isinstance(pace, Pace) else Routine.pace,
    )
    check_meaning(routine, ctx, defined=defined, whole=False, salvaged=salvaged)


def _salvage(item: Any, salvaged: set[int]) -> Step | Group | None:
    """A step (or group) to check for meaning, from a well-formed one or the valid fields
    of one with problems (those problems are already reported). Steps rebuilt from partial
    fields are recorded in ``salvaged``: only their references and texts are checked."""
    if isinstance(item, Step | Group):
        return item
    if not isinstance(item, dict) or not isinstance(item.get("locs"), dict):
        return None
    spec = REGISTRY["group" if "group" in item else "step"]
    values = {name: f.default for name, f in spec.fields.items()}
    for key, value in item.items():
        if key not in spec.fields or isinstance(value, dict):
            continue  # unknown, or itself only partly valid: keep the default
        if isinstance(value, tuple) and key != "steps":
            value = tuple(v for v in value if not isinstance(v, dict))
        values[key] = value
    if "group" in item:
        inner = (_salvage(s, salvaged) for s in values["steps"] or ())
        values["steps"] = tuple(s for s in inner if s is not None)
        if not values["group"]:
            return None
    elif not isinstance(values["pose"], str):
        return None
    try:
        built: Step | Group = spec.build(**values, locs=item["locs"])
    except (TypeError, ValueError, KeyError):
        return None
    if isinstance(built, Step):
        salvaged.add(id(built))
    return built


def check_meaning(
    routine: Routine,
    ctx: Ctx,
    defined: AbstractSet[str] | None = None,
    whole: bool = True,
    salvaged: AbstractSet[int] = frozenset(),
) -> None:
    """Checks that need more than one value: references, placeholders, lengths, limits.

    ``whole`` is false when only the well-formed parts of a routine are checked;
    then ``defined`` gives the pose keys, or None when unknown (references are
    then not checked). A whole routine's pose keys are its poses.
    """
    if whole:
        defined = routine.poses.keys()
    names = sorted(defined or ())
    parts = 0
    total = 0.0
    for pose in routine.poses.values():
        for text, mark in _pose_texts(pose):
            if _PLACEHOLDER.search(text):
                _check_text(ctx, text, mark, sided=True)
    for item in routine.steps:
        steps = item.steps if isinstance(item, Group) else (item,)
        in_group = isinstance(item, Group)
        sides_count = len(item.sides) if isinstance(item, Group) else 1
        for step in steps:
            if defined is not None and step.pose not in defined:
                close = difflib.get_close_matches(step.pose, names, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                hint += "defined poses: " + (", ".join(names) if names else "none")
                ctx.report(step.locs["pose"], f"pose '{step.pose}' is not defined", hint)
            if in_group and "sides" in step.locs:
                ctx.report(
                    step.locs["sides"],
                    "a step inside a group takes its sides from the group",
                    "remove 'sides' here",
                )
            # A written 'sides' that is itself invalid is reported already: the step is
            # still meant to have sides, so its {side} texts are not a second problem.
            sided = bool(step.sides) or in_group or "sides" in step.locs
            counts = step.breaths is not None or step.reps is not None
            for text, mark in _texts(step):
                is_cue = "cue" in step.locs and mark is step.locs["cue"]
                _check_text(ctx, text, mark, sided, counted=counts and is_cue)
            used = routine.poses.get(step.pose)
            if used is not None and not sided:
                for key in ("name", "setup", "gentler", "exit"):
                    text = getattr(used, key)
                    text = text.say if isinstance(text, Exit) else text
                    if key == "exit" and step.exit is not None:
                        continue  # the step's own exit is said instead
                    if any(f"{{{p}}}" in (text or "") for p in PLACEHOLDERS):
                        ctx.report(
                            step.locs["pose"],
                            f"pose '{step.pose}' names a side in its {key}, but this step "
                            "has no sides",
                            "add 'sides: both' (or one side) to the step",
                        )
            if id(step) in salvaged:
                continue  # its structure already has problems; more would only echo them
            if step.reps is None and step.cycle:
                ctx.report(
                    step.locs["cycle"],
                    "'cycle' needs 'reps'",
                    "say how many times to repeat it, e.g. 'reps: 5'",
                )
            if step.duration is not None:
                for key in ("inhale", "exhale"):
                    if key in step.locs:
                        ctx.report(
                            step.locs[key],
                            f"'{key}' cues need a breath-counted step",
                            "use 'breaths: N' or 'reps: N' instead of 'duration'",
                        )
            if step.reps is not None and not step.cycle and not (step.inhale or step.exhale):
                ctx.report(
                    step.locs["reps"],
                    "repetitions need cues",
                    "add 'inhale:' and 'exhale:' cues, or a 'cycle' list",
                )
            if step.alternate and step.reps is None:
                ctx.report(
                    step.locs["sides"],
                    "'sides: alternate' needs 'reps'",
                    "use 'sides: both' for holds",
                )
            length = step_seconds(step, routine.pace)
            if step.reps is not None and step.cues:
                ctx.report(
                    step.locs["cues"],
                    "timed 'cues' belong to holds, not to repetitions",
                    "put the words in the inhale/exhale cues, or make this a 'duration' "
                    "or 'breaths' step",
                )
            for cue in step.cues:
                if length > 0 and step.reps is None and cue.at >= length:
                    ctx.report(
                        cue.locs["at"],
                        f"cue at {human(cue.at)} is past the end of this {human(length)} step",
                        "move it earlier, or lengthen the step",
                    )
            per_side = 1 if step.alternate else max(1, len(step.sides))
            parts += per_side * sides_count
            total += length * per_side * sides_count
    if whole and (parts > MAX_PARTS or total > MAX_TOTAL_SECONDS):
        ctx.report(
            routine.locs["steps"],
            f"routine is too big ({parts:,} parts, {human(total)}); the limits are "
            f"{MAX_PARTS:,} parts and {MAX_TOTAL_SECONDS // 3600} hours",
            "split it into several routines",
        )
