"""Big type: the largest size that fits, solid strokes, and [] when nothing fits."""

from __future__ import annotations

import pytest

from yogaback.screen import bigtype

INK = set("█▀▄ ")


@pytest.mark.parametrize(
    ("width", "height"), [(200, 50), (100, 30), (60, 20), (60, 12), (40, 10), (30, 6), (14, 3)]
)
def test_countdown_takes_the_largest_size_that_fits(width: int, height: int) -> None:
    drawn = bigtype.render("0:41", width, height)
    assert 3 <= len(drawn) <= height
    assert all(len(row) == len(drawn[0]) <= width for row in drawn)
    assert set("".join(drawn)) <= INK
    assert "█" in "".join(drawn) or "▀" in "".join(drawn)
    for taller in range(len(drawn) + 1, height + 1):
        unbounded = bigtype.render("0:41", 10_000, taller)
        assert len(unbounded) == len(drawn) or len(unbounded[0]) > width


def test_known_sizes() -> None:
    assert len(bigtype.render("0:41", 200, 50)) == 38
    assert len(bigtype.render("0:41", 100, 30)) == 18
    assert len(bigtype.render("0:41", 14, 3)) == 3
    assert len(bigtype.render("0:41", 24, 4)) == 4


def test_issue_sizes_for_the_countdown() -> None:
    """At least 5 rows at 100x30, 9 at 200x50, more than one at 60x20 (issue 12)."""
    assert len(bigtype.render("12:30", 100, 30)) >= 5
    assert len(bigtype.render("12:30", 200, 50)) >= 9
    assert len(bigtype.render("12:30", 60, 20)) > 1


def test_digits_differ_from_each_other_at_every_size() -> None:
    for height in (3, 4, 5, 7, 11):
        shapes = {tuple(bigtype.render(d, 100, height)) for d in "0123456789"}
        assert len(shapes) == 10, height


def test_bigger_box_never_gives_smaller_type() -> None:
    heights = [len(bigtype.render("5:00", 200, h)) for h in range(3, 40)]
    assert heights == sorted(heights)
    assert all(h <= box for h, box in zip(heights, range(3, 40), strict=True))


def test_nothing_fits_gives_empty_list() -> None:
    assert bigtype.render("0:41", 10, 3) == []
    assert bigtype.render("0:41", 100, 2) == []
    assert bigtype.render("", 100, 30) == []


def test_unknown_character_gives_empty_list_so_caller_falls_back() -> None:
    assert not bigtype.supports("naïve")
    assert bigtype.render("naïve", 200, 50) == []


def test_pose_names_render_in_either_case_with_their_punctuation() -> None:
    name = "Child’s pose – cat-cow (easy), 2/3!"
    assert bigtype.supports(name)
    assert bigtype.render(name, 200, 5) == bigtype.render(name.upper(), 200, 5)
    assert len(bigtype.render("Downward-facing dog", 100, 30)) >= 3


def test_long_name_may_break_onto_two_lines_when_allowed() -> None:
    one = bigtype.render("Shoulder-blade squeezes on fists", 80, 20)
    two = bigtype.render("Shoulder-blade squeezes on fists", 80, 20, max_lines=2)
    assert one == []
    assert len(two) >= 7
    assert all(len(row) <= 80 for row in two)


def test_every_shipped_pose_name_fits_big_at_200_columns() -> None:
    import yaml
    from tests.conftest import SEQUENCES

    for path in SEQUENCES.glob("*.yaml"):
        for pose in yaml.safe_load(path.read_text())["poses"].values():
            assert bigtype.render(pose["name"], 200, 20, max_lines=2), pose["name"]
