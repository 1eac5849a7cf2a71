"""Figures: drawn to fit the box, mirrored for the left side, breathing between keyframes."""

from __future__ import annotations

import pytest
import yaml
from tests.conftest import SEQUENCES

from yogaback import figures
from yogaback.figures.canvas import mirror_rows
from yogaback.figures.skeleton import Figure, FigureError

SIZES = [(16, 8), (24, 12), (40, 20), (7, 3)]


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("name", figures.names())
def test_every_figure_fills_exactly_its_box(name: str, width: int, height: int) -> None:
    for phase in (0.0, 0.5, 1.0):
        rows = figures.get(name).render(width, height, phase)
        assert len(rows) == height
        assert all(len(row) == width for row in rows)
        assert all(ch == " " or 0x2800 <= ord(ch) <= 0x28FF for ch in "".join(rows))
        assert sum(ch != " " for ch in "".join(rows)) > width // 2


def test_side_views_stand_on_a_floor_line() -> None:
    def on_floor(ch: str) -> bool:
        return ch != " " and (ord(ch) - 0x2800) & 0xC0 == 0xC0

    for name in ("downward-dog", "childs-pose", "easy-seat-prayer", "chair-sit"):
        assert all(on_floor(ch) for ch in figures.get(name).render(24, 12)[-1]), name
    assert not all(on_floor(ch) for ch in figures.get("reclined-twist").render(24, 12)[-1])


def _dots(rows: list[str]) -> list[list[bool]]:
    """The braille text as a grid of dots, row by row (y grows downwards)."""
    bits = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
    grid: list[list[bool]] = []
    for row in rows:
        masks = [0 if ch == " " else ord(ch) - 0x2800 for ch in row]
        for sub in bits:
            grid.append([bool(m & bit) for m in masks for bit in sub])
    return grid


@pytest.mark.parametrize(("width", "height"), [(24, 12), (40, 20)])
@pytest.mark.parametrize("name", figures.names())
def test_nothing_floats_above_the_floor(name: str, width: int, height: int) -> None:
    """Every side or front view touches the floor line in every frame: the dot row
    just above the line has something on it (a foot, a seat, a body lying down)."""
    figure = figures.get(name)
    if figure.view == "top":
        return
    for phase in (0.0, 0.5, 1.0):
        dots = _dots(figure.render(width, height, phase))
        assert all(dots[-1]), f"{name}: no floor line"
        assert any(dots[-2]), f"{name} floats above the floor at phase {phase}"


@pytest.mark.parametrize("name", ["savasana", "belly-rest", "childs-pose-arms-back"])
def test_lying_poses_are_drawn_lying_on_the_floor(name: str) -> None:
    """Seen from the side, low along the floor: nothing in the top half of the box."""
    dots = _dots(figures.get(name).render(24, 12))
    assert figures.get(name).view == "side"
    assert not any(any(row) for row in dots[: len(dots) // 2])


def test_top_views_lie_across_a_mat() -> None:
    """A top view seen upright reads as standing: top views lie across the box, on a mat."""
    tops = [f for f in (figures.get(n) for n in figures.names()) if f.view == "top"]
    assert {f.name for f in tops} >= {"reclined-twist", "circle-in-the-sand"}
    for figure in tops:
        left, bottom, right, top = figure.bounds()
        assert right - left > 1.5 * (top - bottom), figure.name
        assert figure.props, f"{figure.name} has no mat"


@pytest.mark.parametrize("name", figures.names())
def test_left_side_is_the_mirror_image_of_the_right(name: str) -> None:
    figure = figures.get(name)
    for phase in (0.0, 0.3, 1.0):
        right = figure.render(24, 12, phase)
        left = figure.render(24, 12, phase, mirror=True)
        assert left == mirror_rows(right)
        if figure.view == "side" or name in ("reclined-twist", "chair-neck-stretch"):
            assert left != right


def test_mirrored_figure_flips_every_joint() -> None:
    figure = figures.get("low-lunge-row")
    flipped = figure.mirrored()
    for phase in (0.0, 0.5, 1.0):
        assert flipped.at(phase) == {j: (-x, y) for j, (x, y) in figure.at(phase).items()}


def test_keyframes_interpolate_from_inhale_to_exhale() -> None:
    figure = figures.get("cat-cow")
    inhale, exhale = figure.keys[0][1], figure.keys[-1][1]
    assert figure.at(0.0) == dict(inhale)
    assert figure.at(1.0) == dict(exhale)
    middle = figure.at(0.5)
    for joint, (x, y) in middle.items():
        assert x == pytest.approx((inhale[joint][0] + exhale[joint][0]) / 2)
        assert y == pytest.approx((inhale[joint][1] + exhale[joint][1]) / 2)
    assert figure.at(-1) == figure.at(0.0)
    assert figure.at(2) == figure.at(1.0)
    assert figure.render(40, 20, 0.0) != figure.render(40, 20, 1.0)


def test_extra_keyframes_shape_the_path() -> None:
    """The windmill arm sweeps round over the back rather than through the body."""
    windmill = figures.get("windmill")
    assert windmill.at(0.5) == dict(windmill.keys[1][1])
    assert windmill.at(0.5)["hand_l"][1] > windmill.at(1.0)["hand_l"][1]


def test_moving_poses_change_and_held_poses_breathe_only_slightly() -> None:
    for name in ("cat-cow", "low-lunge-pull-down", "block-roll-up", "windmill", "chair-cat-cow"):
        assert figures.get(name).moves, name
    held = figures.get("childs-pose")
    assert not held.moves
    inhale, exhale = held.at(0.0), held.at(1.0)
    moved = {j for j in inhale if inhale[j] != exhale[j]}
    assert moved == {"mid"}
    assert inhale["mid"][1] > exhale["mid"][1]
    assert inhale["mid"][1] - exhale["mid"][1] <= 0.5


def test_held_front_views_keep_the_spine_straight_through_the_breath() -> None:
    """Seen from in front, breathing must not push the middle of the back sideways."""
    for name in ("easy-seat-prayer", "chair-neck-stretch", "seated-side-bend"):
        figure = figures.get(name)
        assert figure.view == "front" and not figure.moves, name
        assert figure.at(0.0)["mid"] == figure.at(1.0)["mid"], name


def test_scale_stays_the_same_through_the_breath() -> None:
    """The bounds cover every keyframe, so the floor and head size don't jump."""
    figure = figures.get("low-lunge-pull-down")
    assert figure.render(30, 15, 0.0)[-1] == figure.render(30, 15, 1.0)[-1]


def test_every_shipped_pose_has_a_figure() -> None:
    paths = sorted(SEQUENCES.glob("*.yaml"))
    assert paths
    for path in paths:
        routine = yaml.safe_load(path.read_text())
        for pose_id in routine["poses"]:
            figure = figures.for_pose(routine["id"], pose_id)
            assert figure is not None, f"{routine['id']}: {pose_id}"


def test_every_mapped_figure_exists() -> None:
    for mapping in figures.ROUTINE_FIGURES.values():
        for name in mapping.values():
            assert figures.get(name).name == name


def test_unknown_name_suggests_the_nearest() -> None:
    with pytest.raises(figures.UnknownFigure) as caught:
        figures.get("downward-dgo")
    assert "no figure named 'downward-dgo'" in str(caught.value)
    assert "did you mean 'downward-dog'" in str(caught.value)
    assert caught.value.suggestions[0] == "downward-dog"
    with pytest.raises(figures.UnknownFigure, match="yogaback figures"):
        figures.get("zzzzzzzz")


def test_inconsistent_figure_data_is_refused() -> None:
    pose = {"head": (0.0, 9.0), "neck": (0.0, 8.0), "pelvis": (0.0, 5.0)}
    with pytest.raises(FigureError, match="unknown joints"):
        Figure("x", "X", ((0.0, {**pose, "tail": (0.0, 4.0)}),))
    with pytest.raises(FigureError, match="missing joints"):
        Figure("x", "X", ((0.0, {"head": (0.0, 9.0)}),))
    with pytest.raises(FigureError, match="different joints"):
        Figure("x", "X", ((0.0, {**pose, "knee_l": (1.0, 2.0)}), (1.0, pose)))
    with pytest.raises(FigureError, match="phase 0 to 1"):
        Figure("x", "X", ((0.0, pose), (0.5, pose)))


def test_gallery_shows_every_figure_with_both_frames() -> None:
    text = figures.gallery(16, 8, columns=3)
    for name in figures.names():
        assert name in text
    assert text.count("│") == len(figures.names()) * 8


def _pieces(dots: list[list[bool]]) -> int:
    """How many separate 8-connected groups of dots there are."""
    seen: set[tuple[int, int]] = set()
    count = 0
    for y0, row in enumerate(dots):
        for x0, on in enumerate(row):
            if not on or (x0, y0) in seen:
                continue
            count += 1
            todo = [(x0, y0)]
            seen.add((x0, y0))
            while todo:
                x, y = todo.pop()
                for nx in (x - 1, x, x + 1):
                    for ny in (y - 1, y, y + 1):
                        inside = 0 <= ny < len(dots) and 0 <= nx < len(dots[ny])
                        if inside and dots[ny][nx] and (nx, ny) not in seen:
                            seen.add((nx, ny))
                            todo.append((nx, ny))
    return count


@pytest.mark.parametrize(("width", "height"), [(16, 8), (24, 12), (40, 20), (60, 30), (90, 45)])
@pytest.mark.parametrize("name", figures.names())
def test_every_figure_is_one_piece(name: str, width: int, height: int) -> None:
    """No detached dots (a nose beside the head, a hand apart from its arm) at any size
    the screen uses: the person alone, without props and floor, is one connected shape."""
    figure = figures.get(name)
    alone = Figure(
        figure.name, figure.label, figure.keys, figure.view, nose=figure.nose, head=figure.head
    )
    for phase in (0.0, 1.0):
        dots = _dots(alone.render(width, height, phase))
        if figure.view != "top":
            dots = dots[:-1]  # the floor line
        assert _pieces(dots) == 1, f"{name} at {width}x{height}, phase {phase}"


def test_chin_tuck_glides_the_head_straight_back_breathing_in() -> None:
    """A chin tuck moves the head back, level, not forward and down: breathed in the
    head is further back than breathed out, at the same height, upright over the neck."""
    figure = figures.get("chair-chin-tuck")
    tucked, relaxed = figure.at(0.0), figure.at(1.0)
    assert tucked["head"][0] < relaxed["head"][0] - 0.3
    assert abs(tucked["head"][1] - relaxed["head"][1]) < 0.15
    for pose in (tucked, relaxed):
        assert abs(pose["head"][0] - pose["neck"][0]) < 0.05  # chin level: no nod
