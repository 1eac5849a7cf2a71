"""The start screen of ``yogaback play``: with ``--start-at`` it says where the session
begins, as ``--resume`` does (planned in-process; the screen rendered to a fixed width)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from yogaback.commands.play import plan_practice
from yogaback.environment import Environment
from yogaback.screen.layout import render_intro


@pytest.mark.parametrize(
    ("start_at", "said"),
    [
        ("4", "Starting at part 4 of 31: Circle in the sand (right)."),
        ("savasana", "Starting at part 30 of 31: Savasana."),
        (None, None),
    ],
)
def test_start_at_says_where_on_the_start_screen(
    tmp_path: Path, start_at: str | None, said: str | None
) -> None:
    env = Environment(io.StringIO(), io.StringIO(), io.StringIO(), home=tmp_path)
    practice = plan_practice("upper-back", env, minutes=None, pace=None, start_at=start_at)
    assert practice.note == said
    screen = io.StringIO()
    tl = practice.timeline
    intro = render_intro(tl.title, None, tl.total, (), (), 20, 80, note=practice.note)
    Console(file=screen, width=80, color_system=None).print(intro)
    if said:
        assert said in screen.getvalue()
    else:
        assert "Starting at" not in screen.getvalue()


def test_a_long_safety_note_wraps_under_its_own_first_line() -> None:
    note = "Move within a range that feels easy; skip any pose that hurts and ask a clinician."
    intro = render_intro("T", None, 60.0, (), (note, "Short."), 20, 40)
    screen = io.StringIO()
    Console(file=screen, width=40, color_system=None).print(intro)
    lines = [ln.rstrip() for ln in screen.getvalue().splitlines()]
    first = next(i for i, ln in enumerate(lines) if ln.startswith("  • Move"))
    assert lines[first + 1].startswith("    ") and lines[first + 1].strip()  # under "Move"
    assert " ".join(ln.strip(" •") for ln in lines[first:]).startswith(note)
    assert any(ln == "  • Short." for ln in lines)
