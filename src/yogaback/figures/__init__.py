"""Figures of the poses: a person drawn from joint positions, breathing with the pacer.

``get(name)`` finds a built-in figure (or raises ``UnknownFigure`` with "did you mean"),
``figure.render(width, height, phase, mirror)`` draws it into a box of terminal cells,
``for_pose(routine_id, pose_id)`` names the figure of a pose in a shipped routine, and
``gallery()`` draws them all for review.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from yogaback.figures.skeleton import Figure, FigureError

if TYPE_CHECKING:
    from yogaback.routine.model import FigureChoice, Routine

__all__ = [
    "ROUTINE_FIGURES",
    "Figure",
    "FigureError",
    "UnknownFigure",
    "by_name",
    "for_pose",
    "for_routine",
    "from_choice",
    "gallery",
    "get",
    "names",
]


@cache
def by_name() -> dict[str, Figure]:
    """Every built-in figure by name, in gallery order. Built on first use, so that
    importing this package costs ``play`` almost nothing."""
    from yogaback.figures.library import FIGURES

    return {f.name: f for f in FIGURES}


ROUTINE_FIGURES: dict[str, dict[str, str]] = {
    "upper-back": {
        "knees-to-chest": "knees-to-chest",
        "knee-rocks": "knee-rocks",
        "open-twist-reach": "open-twist-reach",
        "circle-in-the-sand": "circle-in-the-sand",
        "open-twist-rest": "reclined-twist",
        "block-roll-up": "block-roll-up",
        "cat-cow-wave": "cat-cow",
        "fist-squeezes": "tabletop-squeeze",
        "windmill": "windmill",
        "downward-dog": "downward-dog",
        "back-to-dog": "downward-dog",
        "lunge-pull-down": "low-lunge-pull-down",
        "lunge-row": "low-lunge-row",
        "superhero": "superhero",
        "belly-rest": "belly-rest",
        "childs-pose": "childs-pose",
        "seated-side-bend": "seated-side-bend",
        "long-side-stretch": "long-side-stretch",
        "elbow-twist": "seated-elbow-twist",
        "seated-rock": "seated-rock",
        "seated-fold": "seated-forward-fold",
        "savasana": "savasana",
        "closing-seat": "easy-seat-prayer",
    },
    "yin-knots": {
        "easy-childs-pose": "childs-pose-arms-back",
        "thread-the-needle": "thread-the-needle",
        "rounded-forward-fold": "rounded-forward-fold",
        "reclined-twist": "reclined-twist",
        "belly-rebound": "belly-rest",
        "back-rebound": "savasana",
        "knees-in-rebound": "savasana",  # lying on the back; knees bent together
        "savasana": "savasana",
    },
    "desk-break": {
        "arrive": "chair-sit",
        "seated-cat-cow": "chair-cat-cow",
        "shoulder-rolls": "chair-shoulder-rolls",
        "neck-side-stretch": "chair-neck-stretch",
        "chin-tucks": "chair-chin-tuck",
        "self-hug": "chair-self-hug",
        "seated-twist": "chair-twist",
        "chest-opener": "chair-chest-opener",
        "close": "chair-sit",
    },
}
"""Which figure each pose of the shipped routines shows, by routine id and pose id."""


class UnknownFigure(KeyError):
    """No built-in figure has this name; the message suggests the nearest names."""

    def __init__(self, name: str) -> None:
        import difflib  # only on this error path: keeps `play` starting fast

        self.name = name
        self.suggestions = difflib.get_close_matches(name, list(by_name()), n=3)
        super().__init__(name)

    def __str__(self) -> str:
        hint = (
            f"; did you mean {' or '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else "; `yogaback figures` lists them"
        )
        return f"no figure named {self.name!r}{hint}"


def names() -> list[str]:
    """Every built-in figure's name, in gallery order."""
    return list(by_name())


def get(name: str) -> Figure:
    """The built-in figure called ``name``; ``UnknownFigure`` (with suggestions) if none."""
    try:
        return by_name()[name]
    except KeyError:
        raise UnknownFigure(name) from None


def for_pose(routine_id: str, pose_id: str) -> Figure | None:
    """The figure of a pose in a shipped routine, or None if it has none."""
    name = ROUTINE_FIGURES.get(routine_id, {}).get(pose_id)
    return by_name()[name] if name else None


def from_choice(choice: FigureChoice, label: str) -> Figure:
    """The figure a routine chose for a pose (``mirror`` is applied when drawing).
    ``UnknownFigure`` for a name no built-in figure has; ``FigureError`` for bad keyframes."""
    if choice.name is not None:
        return get(choice.name)
    return Figure(label, label, choice.keys, choice.view)  # type: ignore[arg-type]


def for_routine(routine: Routine) -> dict[str, tuple[Figure, bool]]:
    """Each pose's figure, by pose id, with whether the routine asks for it mirrored.
    Poses without a ``figure`` key have none."""
    return {
        pose_id: (from_choice(pose.figure, pose.name), pose.figure.mirror)
        for pose_id, pose in routine.poses.items()
        if pose.figure is not None
    }


def gallery(
    width: int = 24,
    height: int = 12,
    columns: int = 2,
    chosen: list[tuple[str, Figure, bool]] | None = None,
) -> str:
    """Every figure, labelled, breathed in and breathed out side by side, as text.

    Held poses show their shape and its slight breath. ``columns`` figures per row.
    ``chosen``: (label, figure, mirrored) to show instead of every built-in figure.
    """
    blocks: list[list[str]] = []
    shown = chosen or [(f.name, f, False) for f in by_name().values()]
    for label, figure, mirror in shown:
        inhale = figure.render(width, height, 0.0, mirror)
        exhale = figure.render(width, height, 1.0, mirror)
        kind = "in / out" if figure.moves else "held"
        title = f"{label} ({kind}{', mirrored' if mirror else ''})"
        block = [title[: 2 * width + 3].ljust(2 * width + 3)]
        block += [f"{a} │ {b}" for a, b in zip(inhale, exhale, strict=True)]
        blocks.append(block)
    lines: list[str] = []
    gap = "    "
    for start in range(0, len(blocks), columns):
        row = blocks[start : start + columns]
        lines += [gap.join(parts).rstrip() for parts in zip(*row, strict=True)]
        lines.append("")
    return "\n".join(lines)
