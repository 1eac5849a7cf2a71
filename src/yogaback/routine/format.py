"""The routine file format, declared once: what each object (pace, pose, phase, step,
group, sounds, exit, figure) may hold, how its values are checked, and how it is built.

``ROUTINE`` checks a whole file's node tree and builds the model from it; ``schema()`` is
the same declaration as a JSON Schema, so the schema can never disagree with the loader.
Checks that need more than one value (references, placeholders, lengths) are
``load``'s.

Over 400 lines as one job: the declaration of every key a routine file may hold, with
its description; it reads top to bottom as the format's reference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
    SoundChoice,
    Step,
    sound_choice,
)
from yogaback.routine.nodes import Node
from yogaback.routine.spec import (
    Choice,
    Const,
    Ctx,
    Duration,
    Either,
    F,
    Flag,
    Integer,
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

MAX_PARTS = 20_000
"""Most pose blocks once sides and groups are expanded."""

REGISTRY: dict[str, Obj] = {}
"""The format's objects by name: what ``Ref`` resolves (``load`` rebuilds partly valid
steps from it too)."""


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

REGISTRY["pace"] = Obj(
    "breath pace",
    Pace,
    {
        "inhale": F(Duration(description="Length of an in-breath, e.g. 4s."), required=True),
        "exhale": F(Duration(description="Length of an out-breath, e.g. 6s."), required=True),
    },
    description="Breath pace used for breath-counted holds and repetitions.",
)
REGISTRY["exit"] = Obj(
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
            REGISTRY,
            description="The way out of this pose, after every hold of it (a step's own "
            "'exit' wins).",
        )
    ),
}
REGISTRY["pose"] = Obj(
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
        "figure": F(FigureSpec(REGISTRY)),
    },
    description="A pose in the routine's pose library; steps refer to it by its key.",
)
REGISTRY["figure"] = FIGURE_OBJ
REGISTRY["phase"] = Obj(
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
REGISTRY["offset_cue"] = Obj(
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
            Ref("phase", REGISTRY),
            min_items=1,
            max_items=50,
            description="The breath phases of one repetition, in order.",
        ),
        default=(),
    ),
    "cues": F(
        ListOf(
            Ref("offset_cue", REGISTRY),
            max_items=1000,
            description="Cues at set times inside a hold.",
        ),
        default=(),
    ),
    "sides": F(SIDES),
    "pace": F(Ref("pace", REGISTRY, description="Breath pace for this step only.")),
    "transition": F(
        Duration(allow_zero=True, description="Time to move into this step (default: routine's).")
    ),
    "rest": F(Flag(description="A resting hold (shown and sounded as rest)."), default=False),
    # --- teaching ---
    "exit": F(
        Ref(
            "exit",
            REGISTRY,
            description="The way out, after this step's hold (wins over the pose's 'exit').",
        )
    ),
    "priority": F(PRIORITY),
}
REGISTRY["step"] = Obj(
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
REGISTRY["group"] = Obj(
    "group",
    _build_group,
    {
        "group": F(Text(description="Name of the group, e.g. 'Open twist'."), required=True),
        "sides": F(SIDES),
        "steps": F(ListOf(Ref("step", REGISTRY), min_items=1, max_items=1000), required=True),
        "transition": F(
            Duration(allow_zero=True, description="Time to switch sides (default: routine's).")
        ),
        "priority": F(PRIORITY),
    },
    description="Steps done on one side, then all again on the other.",
)
REGISTRY["sounds"] = Obj(
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
        "pace": F(Ref("pace", REGISTRY)),
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
        "sounds": F(Ref("sounds", REGISTRY), default=dict),
        "poses": F(
            MapOf(Ref("pose", REGISTRY), description="The routine's pose library."), required=True
        ),
        "steps": F(
            ListOf(
                Tagged("group", Ref("group", REGISTRY), Ref("step", REGISTRY)),
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
    return json_schema(ROUTINE, REGISTRY, SCHEMA_ID)
