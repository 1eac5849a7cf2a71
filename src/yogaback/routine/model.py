"""The validated, immutable routine model. Built only by ``yogaback.routine.load``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from yogaback.errors import Mark

Side = Literal["right", "left"]
PhaseKind = Literal["inhale", "exhale", "hold"]
Locs = Mapping[str, Mark]

OTHER_SIDE: dict[str, str] = {"right": "left", "left": "right"}


def _locs() -> Locs:
    return {}


SOUND_EVENTS: dict[str, str] = {
    "pose": "a new pose begins",
    "switch": "switch sides",
    "inhale": "breathe in",
    "exhale": "breathe out",
    "halfway": "halfway through a long hold",
    "end": "the session is over",
}
"""Every moment that has a sound, with what it tells the listener (in playing order)."""


@dataclass(frozen=True)
class SoundChoice:
    """A sound picked for one event, by a routine, the config file or ``--sound``."""

    path: Path | None
    """The WAV file; None means this event stays silent."""
    origin: str
    """Where it was picked, for messages: ``FILE:LINE:COL`` or ``--sound EVENT=...``."""
    written: str = field(default="", compare=False)
    """The file as the user wrote it (relative paths are shown as written)."""
    mark: Mark | None = field(default=None, compare=False, repr=False)
    """Where in a routine file it was picked."""


def user_path(text: str) -> Path:
    """A path as a user wrote it, with ``~`` expanded. ValueError (saying why) for a
    ``~name`` that names no user here."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        user = text.split("/", 1)[0].split("\\", 1)[0]
        raise ValueError(f"cannot find the home folder of {user!r}: no such user here") from None


SILENT_WORDS = ("false", "off", "none", "no")
"""Words that choose silence for an event, wherever sounds are chosen."""

SoundCheck = Callable[[Path, str | None], tuple[str, str] | None]
"""Whether a chosen file can be played: None, or (what is wrong, a hint). The sound room
has it (``sound.library.check_sound_file``); commands pass it down to the loaders."""


def sound_choice(
    value: object, origin: str, folder: Path | None = None, mark: Mark | None = None
) -> SoundChoice | None:
    """One event's sound as written in a routine, the config file or ``--sound``: false or
    a word of ``SILENT_WORDS`` for silence, else the path of a .wav file (``~`` expanded,
    relative to ``folder``). None for anything else (the caller says what it expected);
    ValueError for a ``~name`` that names no user here."""
    if value is False or (isinstance(value, str) and value.strip().lower() in SILENT_WORDS):
        return SoundChoice(None, origin, str(value), mark)
    if not isinstance(value, str) or not value.strip():
        return None
    written = value.strip()
    file = user_path(written)
    return SoundChoice(folder / file if folder is not None else file, origin, written, mark)


@dataclass(frozen=True)
class Pace:
    inhale: float
    exhale: float
    locs: Locs = field(default_factory=_locs, compare=False, repr=False)

    @property
    def cycle(self) -> float:
        return self.inhale + self.exhale


Point = tuple[float, float]


@dataclass(frozen=True)
class FigureChoice:
    """The picture a pose shows: a built-in figure by name (perhaps mirrored), or the
    routine's own keyframes (joint positions by breath phase, as ``screen.figures`` reads)."""

    name: str | None = None
    mirror: bool = False
    view: str = "side"
    keys: tuple[tuple[float, Mapping[str, Point]], ...] = ()
    locs: Locs = field(default_factory=_locs, compare=False, repr=False)


@dataclass(frozen=True)
class Exit:
    """The way out of a pose: said at the end of the hold, as its own phase of ``length``
    seconds (added after the hold, never cut when fitting to a shorter time)."""

    say: str
    length: float
    locs: Locs = field(default_factory=_locs, compare=False, repr=False)


@dataclass(frozen=True)
class Pose:
    name: str
    setup: str | None = None
    cues: tuple[str, ...] = ()
    props: tuple[str, ...] = ()
    gentler: str | None = None
    safety: tuple[str, ...] = ()
    # --- teaching: how the pose is left (see also Step.exit) ---
    exit: Exit | None = None
    figure: FigureChoice | None = None
    locs: Locs = field(default_factory=_locs, compare=False, repr=False)


@dataclass(frozen=True)
class Phase:
    """One breath phase of a repetition: inhale, exhale or a pause (hold)."""

    kind: PhaseKind
    text: str
    length: float | None = None
    locs: Locs = field(default_factory=_locs, compare=False, repr=False)


@dataclass(frozen=True)
class OffsetCue:
    at: float
    say: str
    locs: Locs = field(default_factory=_locs, compare=False, repr=False)


@dataclass(frozen=True)
class Step:
    """One pose held for a duration, a number of breaths, or a number of repetitions."""

    pose: str
    title: str | None = None
    cue: str | None = None
    duration: float | None = None
    breaths: int | None = None
    reps: int | None = None
    inhale: str | None = None
    exhale: str | None = None
    cycle: tuple[Phase, ...] = ()
    cues: tuple[OffsetCue, ...] = ()
    sides: tuple[Side, ...] = ()
    alternate: bool = False
    pace: Pace | None = None
    transition: float | None = None
    rest: bool = False
    # --- teaching: the way out, and whether the step may be left out when time is short ---
    exit: Exit | None = None
    """Overrides the pose's ``exit`` for this step."""
    priority: int | None = None
    """1-9: the step may be left out to fit a shorter time, 1 first. None: always kept."""
    locs: Locs = field(default_factory=_locs, compare=False, repr=False)


def body_seconds(
    kind: str,
    count: float,
    pace: Pace,
    cycle: Sequence[Phase],
    alternate_sides: int = 1,
    factor: float = 1.0,
) -> float:
    """How long a step's body lasts, without its transition: the one place this is worked out.

    ``kind`` is duration (``count`` seconds), breaths or reps (``count`` of them); a rep is
    one ``cycle`` (each phase its own length, scaled by ``factor``, else the pace's in- or
    out-breath) or one breath at ``pace``; alternating reps go round ``alternate_sides``."""
    if kind == "duration":
        return count
    if kind == "breaths" or not cycle:
        return count * pace.cycle * (alternate_sides if kind == "reps" else 1)
    one = sum(
        p.length * factor
        if p.length is not None
        else (pace.exhale if p.kind == "exhale" else pace.inhale)
        for p in cycle
    )
    return count * one * alternate_sides


@dataclass(frozen=True)
class Group:
    """Several steps done on one side, then all of them again on the other."""

    group: str
    steps: tuple[Step, ...]
    sides: tuple[Side, ...] = ("right", "left")
    transition: float | None = None
    priority: int | None = None
    """1-9: the whole group (both sides) may be left out to fit a shorter time, 1 first."""
    locs: Locs = field(default_factory=_locs, compare=False, repr=False)


@dataclass(frozen=True)
class Routine:
    title: str
    poses: Mapping[str, Pose]
    steps: tuple[Step | Group, ...]
    id: str = ""
    version: int = 1
    summary: str | None = None
    style: str | None = None
    level: str | None = None
    props: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()
    pace: Pace = Pace(4.0, 4.0)
    transition: float = 5.0
    shortest_hold: float | None = None
    """Fitting to a shorter time never cuts a timed hold below this (default: 15 s)."""
    sounds: Mapping[str, SoundChoice] = field(default_factory=dict)
    """The routine's own sounds by event (see ``SOUND_EVENTS``); others keep the defaults."""
    path: Path | None = field(default=None, compare=False)
    locs: Locs = field(default_factory=_locs, compare=False, repr=False)
