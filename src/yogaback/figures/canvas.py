"""A braille-dot canvas: 2×4 dots per terminal cell, drawn with thick or thin pens.

Hand-written rather than taken from a library (drawille and friends): what we need is
about sixty lines, must draw a frame in well under a millisecond, and must let a left
side be the exact mirror image of the right, which a cell-level flip gives for free.
Dots are square on a terminal whose cells are about twice as tall as wide.
"""

from __future__ import annotations

import math
from functools import lru_cache

# Bit of each dot in a braille cell, by (row, column) inside the cell.
_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
_BLANK = 0x2800


def _mirror_mask(mask: int) -> int:
    out = 0
    for row in _BITS:
        if mask & row[0]:
            out |= row[1]
        if mask & row[1]:
            out |= row[0]
    return out


_MIRROR = tuple(_mirror_mask(m) for m in range(256))
_CHARS = tuple(" " if m == 0 else chr(_BLANK + m) for m in range(256))


def _nearest(v: float) -> int:
    """``v`` rounded half up. Not ``round``: it rounds halves to even, so a line stepping
    one dot at a time from x.5 would jump 0.5 → 0, 1.5 → 2 and leave a gap."""
    return math.floor(v + 0.5)


@lru_cache(maxsize=64)
def pen(radius: float) -> tuple[tuple[int, int], ...]:
    """The dot offsets a round pen of ``radius`` dots covers (radius < 0.5: one dot)."""
    reach = math.floor(radius)
    return tuple(
        (dx, dy)
        for dy in range(-reach, reach + 1)
        for dx in range(-reach, reach + 1)
        if dx * dx + dy * dy <= radius * radius + 0.25
    ) or ((0, 0),)


class Canvas:
    """``width`` × ``height`` cells; dot (x, y) has y growing downwards, origin top left."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.dots_wide = 2 * width
        self.dots_high = 4 * height
        self.cells = bytearray(width * height)

    def dot(self, x: int, y: int) -> None:
        if 0 <= x < self.dots_wide and 0 <= y < self.dots_high:
            self.cells[(y >> 2) * self.width + (x >> 1)] |= _BITS[y & 3][x & 1]

    def stamp(self, x: float, y: float, shape: tuple[tuple[int, int], ...]) -> None:
        cx = _nearest(x)
        cy = _nearest(y)
        # self.dot inlined: a thick stroke at 200×50 stamps a few hundred thousand dots
        wide, high, width, cells = self.dots_wide, self.dots_high, self.width, self.cells
        for dx, dy in shape:
            px, py = cx + dx, cy + dy
            if 0 <= px < wide and 0 <= py < high:
                cells[(py >> 2) * width + (px >> 1)] |= _BITS[py & 3][px & 1]

    def line(
        self, x0: float, y0: float, x1: float, y1: float, shape: tuple[tuple[int, int], ...]
    ) -> None:
        steps = max(1, math.ceil(max(abs(x1 - x0), abs(y1 - y0))))
        sx = (x1 - x0) / steps
        sy = (y1 - y0) / steps
        last = None
        for i in range(steps + 1):
            point = (_nearest(x0 + sx * i), _nearest(y0 + sy * i))
            if point != last:
                self.stamp(point[0], point[1], shape)
                last = point

    def disc(self, x: float, y: float, radius: float) -> None:
        self.stamp(x, y, pen(radius))

    def hline(self, y: int) -> None:
        """A full-width line of dots at dot row ``y`` (the floor)."""
        if 0 <= y < self.dots_high:
            base = (y >> 2) * self.width
            left, right = _BITS[y & 3]
            for i in range(base, base + self.width):
                self.cells[i] |= left | right

    def mirror(self) -> None:
        """Flip left to right, dot for dot."""
        w = self.width
        for start in range(0, len(self.cells), w):
            row = self.cells[start : start + w]
            self.cells[start : start + w] = bytes(_MIRROR[m] for m in reversed(row))

    def rows(self) -> list[str]:
        w = self.width
        chars = _CHARS
        cells = self.cells
        return ["".join([chars[m] for m in cells[s : s + w]]) for s in range(0, len(cells), w)]


def mirror_rows(rows: list[str]) -> list[str]:
    """The left-right mirror image of braille text (spaces stay spaces)."""

    def flip(ch: str) -> str:
        mask = 0 if ch == " " else ord(ch) - _BLANK
        return _CHARS[_MIRROR[mask]]

    return ["".join(flip(ch) for ch in reversed(row)) for row in rows]
