"""A pose's ``figure`` key: a built-in figure, mirrored, or the pose's own keyframes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from yogaback import figures
from yogaback.errors import RoutineError
from yogaback.routine.load import load_routine

HEAD = """\
version: 1
title: Figures
poses:
  a:
    name: Pose A
"""
STEPS = """\
steps:
  - pose: a
    reps: 2
    inhale: Up.
    exhale: Down.
"""


def load(tmp_path: Path, figure: str) -> object:
    path = tmp_path / "r.yaml"
    body = textwrap.indent(textwrap.dedent(figure), "    ")
    path.write_text(HEAD + body + STEPS, encoding="utf-8")
    return load_routine(path)


def problems(tmp_path: Path, figure: str) -> list[str]:
    with pytest.raises(RoutineError) as caught:
        load(tmp_path, figure)
    return [f"{p.line}:{p.column}: {p.message} ({p.hint})" for p in caught.value.problems]


def test_a_built_in_figure_by_name(tmp_path: Path) -> None:
    routine = load(tmp_path, "figure: downward-dog\n")
    drawn = figures.for_routine(routine)  # type: ignore[arg-type]
    assert drawn["a"] == (figures.get("downward-dog"), False)


def test_a_mirrored_built_in_figure(tmp_path: Path) -> None:
    routine = load(tmp_path, "figure: {name: cat-cow, mirror: true}\n")
    assert figures.for_routine(routine)["a"] == (figures.get("cat-cow"), True)  # type: ignore[arg-type]


def test_the_poses_own_keyframes(tmp_path: Path) -> None:
    routine = load(
        tmp_path,
        """\
        figure:
          inhale: {head: [0, 9], neck: [0, 8], pelvis: [0, 5], foot_r: [0, 0]}
          exhale: {head: [1, 8], neck: [0.5, 7.5], pelvis: [0, 5], foot_r: [0, 0]}
        """,
    )
    figure, mirror = figures.for_routine(routine)["a"]  # type: ignore[arg-type]
    assert figure.moves and not mirror
    assert figure.render(20, 10, 0.0) != figure.render(20, 10, 1.0)


def test_an_unknown_name_is_located_with_did_you_mean(tmp_path: Path) -> None:
    assert problems(tmp_path, "figure: downward-doge\n") == [
        "6:13: no figure named 'downward-doge' (did you mean 'downward-dog'?)"
    ]
    assert problems(tmp_path, "figure: {name: cat-kow}\n") == [
        "6:20: no figure named 'cat-kow' (did you mean 'cat-cow'?)"
    ]


def test_bad_keyframes_are_located(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        figure:
          inhale: {head: [0, 9], nek: [0, 8], pelvis: [0, 5]}
        """,
    )
    assert found[0] == "7:30: unknown joint 'nek' (did you mean 'neck'?)"
    found = problems(tmp_path, "figure: {hold: {head: [0, 9], neck: [0], pelvis: [0, 5]}}\n")
    assert "expected a position [x, y]" in found[0] and found[0].startswith("6:")
    found = problems(tmp_path, "figure: {inhale: {head: [0, 9], neck: [0, 8], pelvis: [0, 5]}}\n")
    assert "needs an 'exhale' shape too" in found[0]
    found = problems(tmp_path, "figure: {hold: {head: [0, 9], pelvis: [0, 5]}}\n")
    assert "missing joints" in found[0] and found[0].startswith("6:13:")


def test_every_shipped_pose_names_its_figure() -> None:
    root = Path(__file__).resolve().parents[2] / "sequences"
    for path in sorted(root.glob("*.yaml")):
        routine = load_routine(path)
        missing = [pid for pid, pose in routine.poses.items() if pose.figure is None]
        assert not missing, (path.name, missing)
