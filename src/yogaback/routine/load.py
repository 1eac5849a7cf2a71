"""The routine file format: its specification, its meaning checks, and loading.

``load_routine(path)`` is the only way a Routine is made from a file. It reports
every problem it finds, each located at the key or value it concerns.
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
from yogaback.routine.figure import FIGURE_OBJ, FigureSpec
from yogaback.routine.model import (
    SOUND_EVENTS,
    Exit,
    Group,
    OffsetCue,
    Pace,
    Phase,
    Pose,
    Routine,
    Side,
    SoundCheck,
    SoundChoice,
    Step,
    body_seconds,
    sound_choice,
)
from yogaback.routine.nodes import Map, Node, load
from yogaback.routine.spec import (
    Choice,
    Const,
    Ctx,
    Duration,
    Either,
    F,
    Flag,
    Integer,
    Invalid,
    ListOf,
    MapOf,
    Obj,
    Ref,
    Spec,
    Tagged,
    Text,
    describe,
    json_schema,
    scalar_of,
)

FORMAT_VERSION = 1
SCHEMA_ID = "https://yogaback.invalid/schema/routine-v1.json"
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
STYLES = ("flow", "yin", "restorative", "strength", "mobility", "breathing", "other")
LEVELS = ("beginner", "intermediate", "advanced", "all")
PLACEHOLDERS = ("side", "other_side")
COUNT = "count"
"""In a counted step's main cue: how many breaths or reps, as a word ('four')."""

MAX_PARTS = 20_000
"""Most pose blocks once sides and groups are expanded."""
MAX_TOTAL_SECONDS = 12 * 3600
"""Longest routine, in seconds."""

_registry: dict[str, Obj] = {}


def _sides(value: str | tuple[str, ...]) -> tuple[tuple[Side, ...], bool]:
    if value == "both":
        return ("right", "left"), False
    if value == "alternate":
        return ("right", "left"), True
    if isinstance(value, str):
        return (value,), False  # type: ignore[return-value]
    return value, False  # type: ignore[return-value]


def _build_step(**v: Any) -> Step:
    raw = v.pop("sides")
    sides, alternate = _sides(raw) if raw else ((), False)
    return Step(**v, sides=sides, alternate=alternate)


def _build_group(**v: Any) -> Group:
    raw = v.pop("sides")
    sides, _ = _sides(raw) if raw else (("right", "left"), False)
    return Group(**v, sides=sides)


def _build_phase(**v: Any) -> Phase:
    locs = v.pop("locs")
    length = v.pop("length")
    kind, text = next((k, t) for k, t in v.items() if t is not None)
    return Phase(kind, text, length, locs={**locs, "text": locs[kind]})  # type: ignore[arg-type]


def _build_routine(**v: Any) -> Routine:
    v["poses"] = dict(v["poses"])
    return Routine(**{k: val for k, val in v.items() if val is not None})


def _build_sounds(**v: Any) -> dict[str, SoundChoice]:
    v.pop("locs")
    return {event: choice for event, choice in v.items() if choice is not None}


class SoundFile(Spec):
    """A WAV file for one event, relative to the routine file's folder (after following
    links), or ``false`` for silence. Only the shape is checked here; whether the file can
    be played is checked by ``check_sound_files`` (``validate``) and when sounds load."""

    def __init__(self, description: str = "") -> None:
        self.description = description

    def check(self, node: Node, ctx: Ctx) -> SoundChoice:
        hint = "e.g. 'pose: sounds/gong.wav' (next to this file), or 'inhale: false' for silence"
        scalar = scalar_of(node, ctx, "a .wav file, or false", hint)
        origin = f"{ctx.where}:{node.mark.line}:{node.mark.column}"
        if scalar.value is True:
            raise ctx.report(node.mark, "true is not a sound", hint)
        try:
            folder = Path(ctx.where).resolve().parent
        except OSError:
            folder = Path(ctx.where).parent
        try:
            choice = sound_choice(scalar.value, origin, folder, node.mark)
        except ValueError as exc:
            raise ctx.report(
                node.mark, str(exc), "write the path out, or use ~/ for your own"
            ) from None
        if choice is None:
            raise ctx.report(
                node.mark, f"expected the path of a .wav file, or false, got {describe(node)}", hint
            )
        return choice

    def schema(self) -> dict[str, Any]:
        return self.with_doc({"anyOf": [{"type": "string", "minLength": 1}, {"const": False}]})


def check_sound_files(choices: Iterable[object], ctx: Ctx, check_sound_file: SoundCheck) -> None:
    """Report each chosen sound file that is missing or cannot be played, where it is named."""
    for choice in choices:
        if isinstance(choice, SoundChoice) and choice.path is not None and choice.mark:
            problem = check_sound_file(choice.path, choice.written)
            if problem is not None:
                ctx.report(choice.mark, *problem)


TEXT = Text()
PRIORITY = Integer(
    1,
    9,
    description="This may be left out when time is short (--minutes): after holds and "
    "counts have been shortened, priority 1 is left out first, then 2, and so on; both "
    "sides of a step or group go together. Without it, the step is always kept.",
)
TEXTS = ListOf(Text(), max_items=1000)
SIDES = Either(
    Choice(("both", "alternate", "right", "left")),
    ListOf(Choice(("right", "left")), min_items=1, max_items=2, unique=True),
    description=(
        "Which sides: 'both' (right, then left, same timing), 'alternate' (repetitions "
        "alternate sides), a single side, or an explicit order such as [left, right]."
    ),
)

_registry["pace"] = Obj(
    "breath pace",
    Pace,
    {
        "inhale": F(Duration(description="Length of an in-breath, e.g. 4s."), required=True),
        "exhale": F(Duration(description="Length of an out-breath, e.g. 6s."), required=True),
    },
    description="Breath pace used for breath-counted holds and repetitions.",
)
_registry["exit"] = Obj(
    "exit",
    Exit,
    {
        "say": F(
            Text(description="What to say at the end of the hold, e.g. 'Slowly come up.'"),
            required=True,
        ),
        "length": F(
            Duration(
                description="How long the way out takes: 20s. Added after the hold.",
                what="an exit's length",
                zero_hint="give the way out some time, e.g. 15s, or remove 'exit'",
            ),
            required=True,
        ),
    },
    description="The way out of a pose, as its own phase after the hold: "
    "{say: Slowly roll up., length: 20s}.",
    synonyms={"cue": "say", "text": "say", "duration": "length", "time": "length"},
)
_pose_teaching_fields = {
    # Kept apart from the pose's other keys: how a pose is left.
    "exit": F(
        Ref(
            "exit",
            _registry,
            description="The way out of this pose, after every hold of it (a step's own "
            "'exit' wins).",
        )
    ),
}
_registry["pose"] = Obj(
    "pose",
    Pose,
    {
        "name": F(Text(description="The pose's name as shown and spoken."), required=True),
        "setup": F(Text(description="How to come into the pose; said while moving into it.")),
        "cues": F(
            ListOf(
                Text(),
                max_items=1000,
                description="Cues for the pose, given during it: spread through a hold "
                "(in the longest quiet stretches between the step's own timed cues), or "
                "added to the in-breath of breaths and reps spread through the step.",
            ),
            default=(),
        ),
        "props": F(
            ListOf(
                Text(),
                max_items=100,
                description="Props this pose uses; announced while moving into the part before it.",
            ),
            default=(),
        ),
        "gentler": F(
            Text(
                description="A gentler variation, shown as an easier option while the pose "
                "is on screen; with --gentle it is said after the setup."
            )
        ),
        "safety": F(
            ListOf(
                Text(),
                max_items=100,
                description="Safety notes for this pose, said as 'Safety: ...' the first "
                "time the pose comes up in a session.",
            ),
            default=(),
        ),
        **_pose_teaching_fields,
        # -- the pose's picture on the live screen (routine/figure.py) --
        "figure": F(FigureSpec(_registry)),
    },
    description="A pose in the routine's pose library; steps refer to it by its key.",
)
_registry["figure"] = FIGURE_OBJ
_registry["phase"] = Obj(
    "breath phase",
    _build_phase,
    {
        "inhale": F(Text(description="What to do on the in-breath.")),
        "exhale": F(Text(description="What to do on the out-breath.")),
        "hold": F(Text(description="What to do during a pause in the breath.")),
        "length": F(Duration(description="Override this phase's length (default: the pace).")),
    },
    exactly_one=(("inhale", "exhale", "hold"),),
    description="One phase of a repetition, e.g. {inhale: Reach the arms up.}",
)
_registry["offset_cue"] = Obj(
    "timed cue",
    OffsetCue,
    {
        "at": F(
            Duration(
                description="When, from the start of the hold: 1m, 90s, 2m30s.",
                what="a cue's time",
                zero_hint="give the cue for the start of the hold as the step's 'cue'",
            ),
            required=True,
        ),
        "say": F(Text(description="The cue."), required=True),
    },
    description="A cue given part-way through a hold.",
)
_step_fields = {
    "pose": F(Text(description="Key of a pose in 'poses'."), required=True),
    "title": F(Text(description="Show this instead of the pose's name.")),
    "cue": F(
        Text(
            description="The main cue for this step. May use {side} and {other_side}; in a "
            "step of breaths or reps, {count} says how many (as fitted by --minutes)."
        )
    ),
    "duration": F(Duration(description="Hold for this long: 45s, 2m, 1m30s.")),
    "breaths": F(Integer(1, 1000, description="Hold for this many breaths at the pace.")),
    "reps": F(
        Integer(
            1,
            1000,
            description="Repeat the breath cycle this many times (per side "
            "when sides is 'alternate').",
        )
    ),
    "inhale": F(Text(description="Cue on each in-breath.")),
    "exhale": F(Text(description="Cue on each out-breath.")),
    "cycle": F(
        ListOf(
            Ref("phase", _registry),
            min_items=1,
            max_items=50,
            description="The breath phases of one repetition, in order.",
        ),
        default=(),
    ),
    "cues": F(
        ListOf(
            Ref("offset_cue", _registry),
            max_items=1000,
            description="Cues at set times inside a hold.",
        ),
        default=(),
    ),
    "sides": F(SIDES),
    "pace": F(Ref("pace", _registry, description="Breath pace for this step only.")),
    "transition": F(
        Duration(allow_zero=True, description="Time to move into this step (default: routine's).")
    ),
    "rest": F(Flag(description="A resting hold (shown and sounded as rest)."), default=False),
    # --- teaching ---
    "exit": F(
        Ref(
            "exit",
            _registry,
            description="The way out, after this step's hold (wins over the pose's 'exit').",
        )
    ),
    "priority": F(PRIORITY),
}
_registry["step"] = Obj(
    "step",
    _build_step,
    _step_fields,
    exactly_one=(("duration", "breaths", "reps"),),
    at_most_one=(("cycle", "inhale"), ("cycle", "exhale")),
    description="One pose held for a duration, a number of breaths, or repetitions.",
    synonyms={
        "hold": "duration",
        "hold_for": "duration",
        "time": "duration",
        "length": "duration",
        "seconds": "duration",
        "for": "duration",
        "repeat": "reps",
        "repetitions": "reps",
        "times": "reps",
        "side": "sides",
        "breath": "breaths",
        "say": "cue",
        "text": "cue",
        "optional": "priority",
        "way_out": "exit",
    },
)
_registry["group"] = Obj(
    "group",
    _build_group,
    {
        "group": F(Text(description="Name of the group, e.g. 'Open twist'."), required=True),
        "sides": F(SIDES),
        "steps": F(ListOf(Ref("step", _registry), min_items=1, max_items=1000), required=True),
        "transition": F(
            Duration(allow_zero=True, description="Time to switch sides (default: routine's).")
        ),
        "priority": F(PRIORITY),
    },
    description="Steps done on one side, then all again on the other.",
)
_registry["sounds"] = Obj(
    "sounds",
    _build_sounds,
    {
        event: F(SoundFile(description=f"Sound for: {meaning}. A .wav file, or false."))
        for event, meaning in SOUND_EVENTS.items()
    },
    description="The routine's own sounds: a .wav file (relative to this file) or false "
    "(silent) for any of the events; the others keep yogaback's sounds.",
    synonyms={
        "start": "pose",
        "new_pose": "pose",
        "side": "switch",
        "sides": "switch",
        "in": "inhale",
        "out": "exhale",
        "middle": "halfway",
        "done": "end",
        "finish": "end",
        "bell": "end",
    },
)
ROUTINE = Obj(
    "routine",
    _build_routine,
    {
        "version": F(
            Const(FORMAT_VERSION, description="Format version of this file."),
            default=FORMAT_VERSION,
        ),
        "id": F(Text(description="Short name used on the command line; default: file name.")),
        "title": F(Text(description="The routine's title."), required=True),
        "summary": F(Text(description="One or two sentences on what the routine does.")),
        "style": F(Choice(STYLES, description="Kind of practice.")),
        "level": F(Choice(LEVELS, description="Who it suits.")),
        "props": F(ListOf(Text(), max_items=100, description="Props to have at hand."), default=()),
        "tags": F(ListOf(Text(), max_items=100), default=()),
        "safety": F(
            ListOf(
                Text(), max_items=100, description="Safety notes shown before the routine starts."
            ),
            default=(),
        ),
        "pace": F(Ref("pace", _registry)),
        "transition": F(
            Duration(allow_zero=True, description="Time to move between poses (default 5s).")
        ),
        "shortest_hold": F(
            Duration(
                description="Fitting to a shorter time (--minutes) never cuts a timed hold "
                "below this (default 15s; a hold already shorter keeps its length). "
                "Yin might use 90s."
            )
        ),
        "sounds": F(Ref("sounds", _registry), default=dict),
        "poses": F(
            MapOf(Ref("pose", _registry), description="The routine's pose library."), required=True
        ),
        "steps": F(
            ListOf(
                Tagged("group", Ref("group", _registry), Ref("step", _registry)),
                min_items=1,
                max_items=MAX_PARTS,
                description="The steps, in order.",
            ),
            required=True,
        ),
    },
    description="A yogaback routine.",
)


def schema() -> dict[str, Any]:
    """The JSON Schema of the routine format (for editors using yaml-language-server)."""
    return json_schema(ROUTINE, _registry, SCHEMA_ID)


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
    spec = _registry["group" if "group" in item else "step"]
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
            sided = bool(step.sides) or in_group
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
