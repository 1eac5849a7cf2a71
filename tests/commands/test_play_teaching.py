"""End to end, as a student in a pipe hears it: each pose's safety note once, its easier
option once, ``--gentle`` (and ``gentle = true``) changing the setups, and ``show``
listing what ``--minutes`` left out."""

from __future__ import annotations

import functools
import os
import re
import subprocess
from pathlib import Path

import pytest

from builders import YOGABACK

SEQUENCES = Path(__file__).resolve().parents[2] / "sequences"
QUIET = ["--sound-engine", "silent"]
LINE = re.compile(r"^\[\d\d:\d\d\] (?P<name>[^·]+?) · ")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*YOGABACK, *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def play(name: str, *extra: str, env: dict[str, str] | None = None) -> list[str]:
    if not extra and env is None:
        return list(_played(name))
    result = run("play", name, "--plain", "--speed", "1000", *QUIET, *extra, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@functools.cache
def _played(name: str) -> tuple[str, ...]:
    """A whole play of a shipped routine, once per test run (several tests read it)."""
    result = run("play", name, "--plain", "--speed", "1000", *QUIET)
    assert result.returncode == 0, result.stderr
    return tuple(result.stdout.splitlines())


@pytest.mark.parametrize(
    ("name", "notes"),
    [
        (
            "yin-knots",
            {
                "Easy child's pose, arms back": "Safety: Arms stay back here;",
                "Thread the needle": "Safety: Keep the weight off your neck.",
            },
        ),
        ("upper-back", {"Block roll-ups": "Safety: Keep your low back heavy on the mat"}),
        ("desk-break", {"Neck side stretch": "Safety: Let the head's own weight do the work"}),
    ],
)
def test_each_pose_safety_note_is_printed_once(name: str, notes: dict[str, str]) -> None:
    lines = play(name)
    safety = [line for line in lines if "Safety:" in line]
    assert len(safety) == len(notes)
    for pose, note in notes.items():
        said = [line for line in safety if note in line]
        assert len(said) == 1, (pose, safety)
        assert f"] {pose} · " in said[0] and " · get ready: " in said[0]


@pytest.mark.parametrize("name", ["yin-knots", "upper-back", "desk-break"])
def test_each_pose_easier_option_is_printed_once(name: str) -> None:
    from yogaback.routine.load import load_routine

    routine = load_routine(SEQUENCES / f"{name}.yaml")
    lines = play(name)
    easier = [line.split(" · easier: ", 1)[1] for line in lines if " · easier: " in line]
    # once per pose that has one (poses sharing a text, like the two dogs, print it twice)
    expected = sorted(p.gentler for p in routine.poses.values() if p.gentler)
    assert sorted(easier) == expected
    assert not any("Gentler:" in line for line in lines)


def test_gentle_changes_the_setups_and_offers_nothing_more() -> None:
    plain = play("desk-break")
    for gentle in (play("desk-break", "--gentle"), play_with_config("gentle = true\n")):
        assert not any(" · easier: " in line for line in gentle)
        ready = [line for line in gentle if " · get ready: " in line]
        assert any(
            "Gentler: Keep both hands in your lap and tip your head only a little." in line
            and "] Neck side stretch · right · " in line
            for line in ready
        )
        assert ready != [line for line in plain if " · get ready: " in line]
    assert play_with_config("gentle = true\n", "--no-gentle") == plain


def play_with_config(text: str, *extra: str) -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.toml"
        config.write_text(text, encoding="utf-8")
        return play("desk-break", *extra, env={"YOGABACK_CONFIG": str(config)})


def test_yin_exits_are_their_own_phase() -> None:
    lines = play("yin-knots")
    exits = [line for line in lines if " · come out: " in line]
    assert len(exits) == 7  # child, needle x2, fold, twist x2, savasana; no rebound
    assert all("lowly" in line for line in exits)


@pytest.mark.parametrize(
    ("args", "left_out", "kept"),
    [
        (["upper-back", "--minutes", "10"], ["Windmill (both sides)", "Superhero"], "Savasana"),
        (["upper-back", "--minutes", "15"], ["Windmill (both sides)"], "Superhero"),
        (["yin-knots", "--minutes", "10"], ["Thread the needle (both sides)"], "Savasana"),
    ],
)
def test_show_lists_what_minutes_left_out(args: list[str], left_out: list[str], kept: str) -> None:
    result = run("show", *args)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Left out to fit {args[2]} minutes:" in out
    listed = out.split("Left out to fit", 1)[1].split("Total ", 1)[0]
    for name in left_out:
        assert f"  • {name}\n" in listed
    assert kept in out.split("Left out to fit", 1)[0]
    assert kept not in listed


def test_show_gentle_previews_the_gentler_form() -> None:
    result = run("show", "yin-knots", "--gentle")
    assert result.returncode == 0, result.stderr
    assert "(gentler: Rest your forehead on a block.)" in result.stdout
    assert "gentler forms" in result.stdout
    assert "yogaback play yin-knots --gentle" in result.stdout
