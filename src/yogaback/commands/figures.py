"""``yogaback figures``: every built-in figure, by the name a routine's ``figure:`` gives."""

from __future__ import annotations

from rich.text import Text

from yogaback import figures
from yogaback.commands.output import out

WIDTH, HEIGHT = 24, 12
"""Cells per figure: big enough to read the shape, small enough for several a row."""


def run() -> None:
    console = out()
    columns = max(1, (console.width + 4) // (2 * WIDTH + 3 + 4))
    shown = figures.by_name()
    console.print(Text(f"{len(shown)} built-in figures", style="bold"))
    console.print(
        Text(
            "each breathed in │ breathed out; a pose names one with 'figure: NAME', "
            "or 'figure: {name: NAME, mirror: true}'",
            style="dim",
        ),
        soft_wrap=True,
    )
    console.print()
    console.print(figures.gallery(WIDTH, HEIGHT, columns), markup=False, highlight=False)
