"""Big type for reading the screen from the mat: solid half-block letters that scale.

``render(text, max_width, max_height)`` draws ``text`` as large as it fits, in rows of
``█ ▀ ▄``, and returns ``[]`` when even the smallest size does not fit, so the caller
can fall back to one bold line.

Why a font of our own rather than pyfiglet (measured with ``python -X importtime`` on a
busy 2-core machine, best of 5): on top of what ``play`` imports anyway, pyfiglet costs
about 5 ms (23 ms from a bare interpreter) and loading one font another 2 ms, while this
module costs about 1.5 ms and renders a countdown in tens of microseconds. pyfiglet's
solid fonts also come in one fixed size each, so to fill the
window we would have needed our own scaling anyway. Two bitmap fonts, kept here as data
(3×5 and 5×7 pixels, capitals, digits and the punctuation pose names use), are scaled by
whole numbers: each font pixel becomes ``scale`` cells wide and ``scale`` half-rows tall,
which is square on a terminal whose cells are about twice as tall as wide. Strokes are
solid blocks in the foreground colour, so they read in monochrome and on light
backgrounds alike.

Heights in rows: the 3×5 font gives 3, 5, 8, 10, 13...; the 5×7 font 4, 7, 11, 14, 18...
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

# Fonts: one string per glyph, rows separated by "/", "#" for ink. Widths may vary.
_SMALL: dict[str, str] = {
    "0": "###/#.#/#.#/#.#/###",
    "1": ".#./##./.#./.#./###",
    "2": "###/..#/###/#../###",
    "3": "###/..#/.##/..#/###",
    "4": "#.#/#.#/###/..#/..#",
    "5": "###/#../###/..#/###",
    "6": "###/#../###/#.#/###",
    "7": "###/..#/..#/.#./.#.",
    "8": "###/#.#/###/#.#/###",
    "9": "###/#.#/###/..#/###",
    "A": "###/#.#/###/#.#/#.#",
    "B": "##./#.#/##./#.#/##.",
    "C": ".##/#../#../#../.##",
    "D": "##./#.#/#.#/#.#/##.",
    "E": "###/#../##./#../###",
    "F": "###/#../##./#../#..",
    "G": ".##/#../#.#/#.#/.##",
    "H": "#.#/#.#/###/#.#/#.#",
    "I": "###/.#./.#./.#./###",
    "J": "..#/..#/..#/#.#/.#.",
    "K": "#.#/#.#/##./#.#/#.#",
    "L": "#../#../#../#../###",
    "M": "#...#/##.##/#.#.#/#...#/#...#",
    "N": "#..#/##.#/#.##/#..#/#..#",
    "O": ".#./#.#/#.#/#.#/.#.",
    "P": "##./#.#/##./#../#..",
    "Q": ".#./#.#/#.#/##./.##",
    "R": "##./#.#/##./#.#/#.#",
    "S": ".##/#../.#./..#/##.",
    "T": "###/.#./.#./.#./.#.",
    "U": "#.#/#.#/#.#/#.#/###",
    "V": "#.#/#.#/#.#/#.#/.#.",
    "W": "#...#/#...#/#.#.#/#.#.#/.#.#.",
    "X": "#.#/#.#/.#./#.#/#.#",
    "Y": "#.#/#.#/.#./.#./.#.",
    "Z": "###/..#/.#./#../###",
    " ": "../../../../..",
    "-": ".../.../###/.../...",
    "'": "#/#/./././.",
    ":": "./#/./#/.",
    ".": "./././././#",
    ",": "./././#/#",
    "/": "..#/..#/.#./#../#..",
    "(": ".#/#./#./#./.#",
    ")": "#./.#/.#/.#/#.",
    "!": "#/#/#/./#",
    "?": "###/..#/.#./.../.#.",
    "+": ".../.#./###/.#./...",
}

_LARGE: dict[str, str] = {
    "0": ".###./#...#/#...#/#...#/#...#/#...#/.###.",
    "1": "..#../.##../..#../..#../..#../..#../.###.",
    "2": ".###./#...#/....#/...#./..#../.#.../#####",
    "3": "#####/...#./..#../...#./....#/#...#/.###.",
    "4": "...#./..##./.#.#./#..#./#####/...#./...#.",
    "5": "#####/#..../####./....#/....#/#...#/.###.",
    "6": "..##./.#.../#..../####./#...#/#...#/.###.",
    "7": "#####/....#/...#./..#../.#.../.#.../.#...",
    "8": ".###./#...#/#...#/.###./#...#/#...#/.###.",
    "9": ".###./#...#/#...#/.####/....#/...#./.##..",
    "A": ".###./#...#/#...#/#####/#...#/#...#/#...#",
    "B": "####./#...#/#...#/####./#...#/#...#/####.",
    "C": ".###./#...#/#..../#..../#..../#...#/.###.",
    "D": "####./#...#/#...#/#...#/#...#/#...#/####.",
    "E": "#####/#..../#..../####./#..../#..../#####",
    "F": "#####/#..../#..../####./#..../#..../#....",
    "G": ".###./#...#/#..../#.###/#...#/#...#/.####",
    "H": "#...#/#...#/#...#/#####/#...#/#...#/#...#",
    "I": "###/.#./.#./.#./.#./.#./###",
    "J": "..###/...#./...#./...#./...#./#..#./.##..",
    "K": "#...#/#..#./#.#../##.../#.#../#..#./#...#",
    "L": "#..../#..../#..../#..../#..../#..../#####",
    "M": "#...#/##.##/#.#.#/#.#.#/#...#/#...#/#...#",
    "N": "#...#/#...#/##..#/#.#.#/#..##/#...#/#...#",
    "O": ".###./#...#/#...#/#...#/#...#/#...#/.###.",
    "P": "####./#...#/#...#/####./#..../#..../#....",
    "Q": ".###./#...#/#...#/#...#/#.#.#/#..#./.##.#",
    "R": "####./#...#/#...#/####./#.#../#..#./#...#",
    "S": ".####/#..../#..../.###./....#/....#/####.",
    "T": "#####/..#../..#../..#../..#../..#../..#..",
    "U": "#...#/#...#/#...#/#...#/#...#/#...#/.###.",
    "V": "#...#/#...#/#...#/#...#/#...#/.#.#./..#..",
    "W": "#...#/#...#/#...#/#.#.#/#.#.#/#.#.#/.#.#.",
    "X": "#...#/#...#/.#.#./..#../.#.#./#...#/#...#",
    "Y": "#...#/#...#/.#.#./..#../..#../..#../..#..",
    "Z": "#####/....#/...#./..#../.#.../#..../#####",
    " ": ".../.../.../.../.../.../...",
    "-": "..../..../..../####/..../..../....",
    "'": "##/##/.#/../../../..",
    ":": "../##/##/../##/##/..",
    ".": "../../../../../##/##",
    ",": "../../../../.#/.#/#.",
    "/": "....#/...#./...#./..#../.#.../.#.../#....",
    "(": "..#/.#./#../#../#../.#./..#",
    ")": "#../.#./..#/..#/..#/.#./#..",
    "!": "#/#/#/#/#/./#",
    "?": ".###./#...#/....#/...#./..#../...../..#..",
    "+": "...../..#../..#../#####/..#../..#../.....",
}

_ALIASES = {"–": "-", "—": "-", "’": "'", "‘": "'"}


class _Font(NamedTuple):
    name: str
    height: int
    glyphs: dict[str, tuple[str, ...]]


def _parse(glyphs: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {ch: tuple(spec.split("/")) for ch, spec in glyphs.items()}


FONTS = (_Font("small", 5, _parse(_SMALL)), _Font("large", 7, _parse(_LARGE)))


class Size(NamedTuple):
    """One size of big type: a font and its whole-number scale."""

    font: int
    """Index into FONTS."""
    scale: int
    rows: int
    """Terminal rows one line of text takes."""


def sizes(max_height: int) -> list[Size]:
    """Every size at most ``max_height`` rows tall, largest first (the 5×7 font on ties)."""
    found = []
    for index, font in enumerate(FONTS):
        scale = 1
        while (rows := (font.height * scale + 1) // 2) <= max_height:
            found.append(Size(index, scale, rows))
            scale += 1
    found.sort(key=lambda s: (s.rows, s.font), reverse=True)
    return found


def supports(text: str) -> bool:
    """True when every character of ``text`` has a glyph (letters in either case)."""
    glyphs = FONTS[0].glyphs
    return all(_ALIASES.get(ch, ch) in glyphs for ch in text.upper())


@lru_cache(maxsize=512)
def _glyph(font_index: int, char: str, scale: int) -> tuple[str, ...]:
    """One glyph drawn at ``scale``: one string per terminal row, all the same width."""
    font = FONTS[font_index]
    pixels = font.glyphs[char]
    half_rows = font.height * scale
    lines = []
    for row in range((half_rows + 1) // 2):
        top = pixels[(2 * row) // scale]
        bottom = pixels[(2 * row + 1) // scale] if 2 * row + 1 < half_rows else ""
        cells = []
        for column, ink in enumerate(top):
            low = bottom[column] == "#" if bottom else False
            if ink == "#":
                cells.append("█" if low else "▀")
            else:
                cells.append("▄" if low else " ")
        lines.append("".join(c * scale for c in cells))
    return tuple(lines)


def _width(text: str, size: Size) -> int:
    glyphs = FONTS[size.font].glyphs
    inked = sum(len(glyphs[ch][0]) for ch in text)
    return (inked + max(len(text) - 1, 0)) * size.scale


def _line(text: str, size: Size) -> list[str]:
    drawn = [_glyph(size.font, ch, size.scale) for ch in text]
    gap = " " * size.scale
    return [gap.join(g[row] for g in drawn) for row in range(size.rows)]


def _splits(text: str) -> list[tuple[str, str]]:
    """Ways to break ``text`` into two lines at a space, most balanced first."""
    cuts = [i for i, ch in enumerate(text) if ch == " "]
    pairs = [(text[:i].rstrip(), text[i + 1 :].lstrip()) for i in cuts]
    return sorted(pairs, key=lambda p: abs(len(p[0]) - len(p[1])))


def render(text: str, max_width: int, max_height: int, max_lines: int = 1) -> list[str]:
    """``text`` in the largest big type that fits ``max_width`` × ``max_height`` cells.

    Returns the rows (all the same width, no trailing newline), or ``[]`` when no size
    fits or a character has no glyph. With ``max_lines=2`` a long name may break at a
    space onto two lines (one blank row between them) if that allows a bigger size.
    """
    return list(_render(text, max_width, max_height, max_lines))


@lru_cache(maxsize=128)
def _render(text: str, max_width: int, max_height: int, max_lines: int) -> tuple[str, ...]:
    """``render``, remembered: a screen asks for the same name and clock many times (a
    pacer step redraws the countdown it drew a moment before)."""
    clean = "".join(_ALIASES.get(ch, ch) for ch in text.upper()).strip()
    if not clean or not supports(clean):
        return ()
    for size in sizes(max_height):
        if _width(clean, size) <= max_width:
            return tuple(_line(clean, size))
        if max_lines >= 2 and 2 * size.rows + 1 <= max_height:
            for first, second in _splits(clean):
                wide = max(_width(first, size), _width(second, size))
                if wide <= max_width:
                    top = _line(first, size)
                    bottom = _line(second, size)
                    return (
                        *(row.center(wide) for row in top),
                        " " * wide,
                        *(row.center(wide) for row in bottom),
                    )
    return ()
