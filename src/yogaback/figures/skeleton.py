"""A person as data: joints in 2-D, keyframes for the breath, drawn on a braille canvas.

Units: a standing person is about 10 tall, y grows upwards, the floor is y = 0.
Only ``head``, ``neck`` and ``pelvis`` are required; the rest default sensibly:
``mid`` (the middle of the back, which bends the spine into a curve) to halfway
between neck and pelvis, each shoulder to the neck and each hip to the pelvis.
A limb is drawn only as far as its joints are given.

Views: ``side`` (with a floor line), ``front`` (seen from in front, drawn as the
student's mirror image, so their right is on the screen's right) and ``top`` (from
above, lying on a mat drawn as a prop, head to the left: their right is towards the
bottom of the screen).
Figures are drawn for the right side; the left side is the mirror image.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from yogaback.figures.canvas import Canvas, pen

Point = tuple[float, float]
Pose = Mapping[str, Point]
View = Literal["side", "front", "top"]

HEAD_RADIUS = 0.65
JOINTS = frozenset(
    {
        "head",
        "neck",
        "mid",
        "pelvis",
        *(f"{j}_{s}" for j in ("sho", "elb", "hand", "hip", "knee", "foot", "toe") for s in "lr"),
    }
)
REQUIRED = ("head", "neck", "pelvis")
_LIMBS = (
    ("sho", "elb", "hand"),
    ("hip", "knee", "foot", "toe"),
)
NOSE = 0.15
"""How far (in body units) the nose stands out of the head in a side view."""
BREATH = 0.3
"""How far (in body units) the back of a held pose swells on a full breath in."""
HAND_ROOM = 0.3
"""Room (in body units) kept round each hand inside the box: a hand drawn right at the
edge of the box reads as cut off by it."""


class FigureError(ValueError):
    """A figure's data is inconsistent (an unknown joint, keyframes that don't match)."""


@dataclass(frozen=True)
class Figure:
    """A pose's picture: keyframes by breath phase, plus props that stay still.

    ``keys`` pairs a phase with a pose: phase 0 is the shape at the end of the breath in
    and phase 1 at the end of the breath out; extra keys in between shape the path
    (an arm that sweeps round rather than through the body). A figure with one key is
    a held pose that breathes very slightly.
    """

    name: str
    label: str
    keys: tuple[tuple[float, Pose], ...]
    view: View = "side"
    props: tuple[tuple[Point, ...], ...] = ()
    """Still lines (a chair, a block), as polylines in body units."""
    nose: float = NOSE
    """How far the nose stands out of the head (side views): longer where the way the
    face looks is the point, as in a pose lying face up."""
    head: float = HEAD_RADIUS
    """The head's radius: a little smaller in a tight fold, where the body around it
    is drawn so large that a full-size head looks swollen."""
    _order: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise FigureError(f"figure {self.name!r} has no keyframes")
        phases = [p for p, _ in self.keys]
        if phases != sorted(phases) or phases[0] != 0.0 or (len(phases) > 1 and phases[-1] != 1):
            raise FigureError(f"figure {self.name!r}: keyframes must run from phase 0 to 1")
        for _, pose in self.keys:
            missing = [j for j in REQUIRED if j not in pose]
            if missing:
                raise FigureError(f"figure {self.name!r}: missing joints {missing}")
        names = set().union(*(pose for _, pose in self.keys)) | {"mid"}
        filled = tuple((p, _complete(pose, names)) for p, pose in self.keys)
        if any(pose is None for _, pose in filled):
            raise FigureError(f"figure {self.name!r}: keyframes name different joints")
        object.__setattr__(self, "keys", filled)
        unknown = names - JOINTS
        if unknown:
            raise FigureError(f"figure {self.name!r}: unknown joints {sorted(unknown)}")
        object.__setattr__(self, "_order", tuple(sorted(names)))

    @property
    def moves(self) -> bool:
        """True when the figure has its own inhale and exhale shapes."""
        return len(self.keys) > 1

    def at(self, phase: float) -> dict[str, Point]:
        """The joints at ``phase`` (0: breathed in, 1: breathed out), clamped to 0..1."""
        phase = min(1.0, max(0.0, phase))
        if not self.moves:
            return self._breathing(dict(self.keys[0][1]), phase)
        for (p0, a), (p1, b) in itertools.pairwise(self.keys):
            if phase <= p1:
                if phase == p1:
                    return dict(b)
                t = (phase - p0) / (p1 - p0)
                return {
                    j: (a[j][0] + (b[j][0] - a[j][0]) * t, a[j][1] + (b[j][1] - a[j][1]) * t)
                    for j in self._order
                }
        return dict(self.keys[-1][1])

    def _breathing(self, pose: dict[str, Point], phase: float) -> dict[str, Point]:
        """A held pose: the middle of the back rises a little with the breath in.
        Seen from above or in front the back faces us, so it stays still: a swell
        square to the spine would bend it sideways, a kink a student would copy."""
        if self.view != "side":
            return pose
        (nx, ny), (px, py) = pose["neck"], pose["pelvis"]
        mx, my = pose.get("mid", ((nx + px) / 2, (ny + py) / 2))
        sx, sy = nx - px, ny - py
        length = math.hypot(sx, sy) or 1.0
        ux, uy = -sy / length, sx / length
        if uy < 0 or (uy == 0 and ux < 0):
            ux, uy = -ux, -uy
        swell = BREATH * (1.0 - phase)
        pose["mid"] = (mx + ux * swell, my + uy * swell)
        return pose

    def mirrored(self) -> Figure:
        """The other side: every point flipped left to right."""

        def flip(pose: Pose) -> dict[str, Point]:
            return {j: (-x, y) for j, (x, y) in pose.items()}

        return Figure(
            name=self.name,
            label=self.label,
            keys=tuple((p, flip(pose)) for p, pose in self.keys),
            view=self.view,
            props=tuple(tuple((-x, y) for x, y in line) for line in self.props),
            nose=self.nose,
            head=self.head,
        )

    def _room(self, joint: str) -> float:
        """How far the drawing reaches beyond ``joint``'s point."""
        if joint == "head":
            return self.head + BREATH
        if joint == "mid":
            return BREATH
        return HAND_ROOM if joint.startswith("hand_") else 0.0

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) over every keyframe, the head and the props."""
        xs: list[float] = []
        ys: list[float] = []
        lows: list[float] = []
        for _, pose in self.keys:
            for j, (x, y) in pose.items():
                r = self._room(j)
                xs += (x - r, x + r)
                ys += (y - r, y + r)
                lows.append(y - self.head if j == "head" else y)
        for line in self.props:
            xs += [x for x, _ in line]
            ys += [y for _, y in line]
            lows += [y for _, y in line]
        if self.view != "top":
            # The lowest joint (or the bottom of a head resting on the floor) is the
            # floor, so nothing floats above the line, even if it is given at y = 0.2.
            return min(xs), max(0.0, min(lows)), max(xs), max(ys)
        return min(xs), min(ys), max(xs), max(ys)

    def render(
        self, width: int, height: int, phase: float = 0.0, mirror: bool = False
    ) -> list[str]:
        """The figure at ``phase`` in ``width`` × ``height`` cells: ``height`` rows of
        ``width`` characters (braille or space). ``mirror`` draws the other side."""
        return draw(self, self.at(phase), width, height, mirror)


def _complete(pose: Pose, names: set[str]) -> dict[str, Point] | None:
    """``pose`` with the joints other keyframes name and this one leaves to its default
    (the middle of the back, a shoulder at the neck, a hip at the pelvis); None if
    a joint without a default is missing."""
    out = dict(pose)
    for name in names - set(pose):
        if name == "mid" and "neck" in pose and "pelvis" in pose:
            (nx, ny), (px, py) = pose["neck"], pose["pelvis"]
            out[name] = ((nx + px) / 2, (ny + py) / 2)
        elif name.startswith("sho_") and "neck" in pose:
            out[name] = pose["neck"]
        elif name.startswith("hip_") and "pelvis" in pose:
            out[name] = pose["pelvis"]
        else:
            return None
    return out


def _joint(pose: Pose, name: str, fallback: str) -> Point | None:
    if name in pose:
        return pose[name]
    return pose.get(fallback)


def draw(figure: Figure, pose: Pose, width: int, height: int, mirror: bool = False) -> list[str]:
    """Draw ``pose`` scaled to fit ``width`` × ``height`` cells, keeping its proportions.

    The scale comes from the figure's bounds over all its keyframes, so the person keeps
    one size while moving. Side views stand on a floor line along the bottom dot row.
    """
    if width < 1 or height < 1:
        return []
    canvas = Canvas(width, height)
    left, bottom, right, top = figure.bounds()
    floor = figure.view != "top"
    usable_w = canvas.dots_wide - 1
    usable_h = canvas.dots_high - (2 if floor else 1)
    scale = min(usable_w / max(right - left, 1e-6), usable_h / max(top - bottom, 1e-6))
    off_x = (usable_w - (right - left) * scale) / 2 - left * scale
    # Side and front views stand on the floor line (the bottom dot row); top views are centred.
    if floor:
        off_y = canvas.dots_high - 2 + bottom * scale
    else:
        off_y = (usable_h - (top - bottom) * scale) / 2 + top * scale

    def at(p: Point) -> Point:
        return off_x + p[0] * scale, off_y - p[1] * scale

    # One stroke width per box size, whatever the pose's extent, so every figure in a
    # gallery looks alike: single dots up to about 24 cells, bolder in bigger boxes.
    body = pen(round(min(canvas.dots_wide, canvas.dots_high) / 50, 1))
    thin = pen(0.0)
    for line in figure.props:
        points = [at(p) for p in line]
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            canvas.line(x0, y0, x1, y1, thin)
    if floor:
        canvas.hline(canvas.dots_high - 1)

    neck, pelvis = at(pose["neck"]), at(pose["pelvis"])
    mid = (
        at(pose["mid"]) if "mid" in pose else ((neck[0] + pelvis[0]) / 2, (neck[1] + pelvis[1]) / 2)
    )
    # The spine: a curve from neck to pelvis that passes through mid.
    cx, cy = 2 * mid[0] - (neck[0] + pelvis[0]) / 2, 2 * mid[1] - (neck[1] + pelvis[1]) / 2
    steps = max(2, math.ceil((abs(neck[0] - pelvis[0]) + abs(neck[1] - pelvis[1])) / 2))
    previous = neck
    for i in range(1, steps + 1):
        t = i / steps
        u = 1 - t
        point = (
            u * u * neck[0] + 2 * u * t * cx + t * t * pelvis[0],
            u * u * neck[1] + 2 * u * t * cy + t * t * pelvis[1],
        )
        canvas.line(previous[0], previous[1], point[0], point[1], body)
        previous = point

    for side in "lr":
        for chain, root in zip(_LIMBS, ("neck", "pelvis"), strict=True):
            start = at(pose[root])
            for joint in chain:
                p = _joint(pose, f"{joint}_{side}", "")
                if p is None:
                    if joint in ("sho", "hip"):
                        continue
                    break
                end = at(p)
                canvas.line(start[0], start[1], end[0], end[1], body)
                start = end

    hx, hy = at(pose["head"])
    canvas.line(neck[0], neck[1], hx, hy, body)
    canvas.disc(hx, hy, figure.head * scale)
    if figure.view == "side":
        # A nose shows which way the face looks (up, down, ahead): seen from the side
        # the face is a quarter turn clockwise from the neck-to-head direction.
        dx, dy = hx - neck[0], hy - neck[1]
        length = math.hypot(dx, dy) or 1.0
        fx, fy = -dy / length, dx / length
        # Drawn as a stroke from inside the head out to the tip, not a dot at the tip: in
        # a big box the gap between the head's edge and a lone dot opens up.
        radius = figure.head * scale
        inner = max(0.0, radius - 1.0)
        reach = radius + figure.nose * scale
        canvas.line(hx + fx * inner, hy + fy * inner, hx + fx * reach, hy + fy * reach, body)
    if mirror:
        canvas.mirror()
    return canvas.rows()
