"""How a NAME|PATH argument finds a routine, and that a name never leaves its folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yogaback.errors import EXIT_BAD_INPUT, BadInput, NotFound
from yogaback.routine.catalog import (
    builtin_dir,
    discover,
    is_name,
    looks_like_path,
    resolve,
    strays,
    suggest_name,
    user_dir,
)

SEQUENCES = Path(__file__).resolve().parents[2] / "sequences"


@pytest.fixture
def routines(yogaback_home: Path) -> Path:
    folder = yogaback_home / "routines"
    folder.mkdir()
    return folder


def test_a_name_finds_a_builtin(yogaback_home: Path) -> None:
    assert resolve("upper-back").resolve() == (SEQUENCES / "upper-back.yaml").resolve()
    assert resolve("yin-knots").resolve() == (SEQUENCES / "yin-knots.yaml").resolve()


def test_a_user_routine_shadows_the_builtin(routines: Path) -> None:
    (routines / "upper-back.yaml").write_text("title: mine\n", encoding="utf-8")
    assert resolve("upper-back") == routines / "upper-back.yaml"
    names = [e.name for e in discover()]
    assert names.count("upper-back") == 1
    entry = next(e for e in discover() if e.name == "upper-back")
    assert (entry.source, entry.path) == ("user", routines / "upper-back.yaml")


def test_discover_lists_yours_first_then_builtins_you_do_not_shadow(routines: Path) -> None:
    for name in ("zen", "alpha", "yin-knots"):
        (routines / f"{name}.yaml").write_text("title: x\n", encoding="utf-8")
    (routines / "short.yml").write_text("title: x\n", encoding="utf-8")
    (routines / "notes.txt").write_text("not a routine\n", encoding="utf-8")
    (routines / "Bad Name.yaml").write_text("title: x\n", encoding="utf-8")
    builtins = sorted(p.stem for p in SEQUENCES.glob("*.yaml"))
    assert [(e.name, e.source) for e in discover()] == [
        ("alpha", "user"),
        ("short", "user"),
        ("yin-knots", "user"),
        ("zen", "user"),
        *[(n, "built-in") for n in builtins if n != "yin-knots"],
    ]
    assert strays() == [routines / "Bad Name.yaml"]


@pytest.mark.parametrize(
    "arg", ["../etc/passwd", "..", ".", "a/b", "/etc/passwd", "x.yaml", "x.yml", ".hidden", "./a"]
)
def test_anything_with_a_slash_or_suffix_is_the_path_typed(routines: Path, arg: str) -> None:
    (routines / "x.yaml").write_text("title: decoy\n", encoding="utf-8")
    assert looks_like_path(arg)
    assert resolve(arg) == Path(arg)


@pytest.mark.parametrize(
    "arg",
    [
        "UPPER",
        "Upper-back",
        "a b",
        "",
        " ",
        "a\x00b",
        "upper-back\n",
        "\nupper-back",
        "~",
        "-x",
        "_x",
        "a" * 65,
        "é",
        "a:b",
        "a\\b",
        "*",
    ],
)
def test_anything_else_that_is_no_name_is_refused(routines: Path, arg: str) -> None:
    with pytest.raises(BadInput) as info:
        resolve(arg)
    assert info.value.exit_code == EXIT_BAD_INPUT == 2


def test_nul_is_refused_even_in_a_path(routines: Path) -> None:
    with pytest.raises(BadInput, match="NUL"):
        resolve("a/\x00b.yaml")


def test_unknown_name_is_not_found_with_the_known_names(routines: Path) -> None:
    (routines / "desk-break.yaml").write_text("title: x\n", encoding="utf-8")
    with pytest.raises(NotFound) as info:
        resolve("desk-brake")
    message = str(info.value)
    assert message.splitlines()[0] == "no routine named 'desk-brake'; did you mean 'desk-break'?"
    assert message.splitlines()[1].startswith("known routines: desk-break, ")
    assert info.value.exit_code == 2


def test_a_folder_in_the_routines_folder_is_not_a_name(routines: Path) -> None:
    (routines / "sub").mkdir()
    (routines / "sub" / "sub.yaml").write_text("title: x\n", encoding="utf-8")
    with pytest.raises(NotFound):
        resolve("sub")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=70))
def test_a_name_only_ever_resolves_to_a_file_directly_in_a_routines_folder(arg: str) -> None:
    try:
        path = resolve(arg)
    except BadInput:
        return
    if looks_like_path(arg):
        assert path == Path(arg)  # the user typed a path: used as typed, nothing joined on
        return
    assert is_name(arg)
    assert path.parent in (user_dir(), builtin_dir())
    assert path.stem == arg


@given(st.text(max_size=100))
def test_suggested_names_are_names(text: str) -> None:
    assert is_name(suggest_name(text))


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("a", True),
        ("desk-break_2", True),
        ("9", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("-a", False),
        ("a\n", False),
        ("A", False),
        ("a.b", False),
    ],
)
def test_is_name(text: str, ok: bool) -> None:
    assert is_name(text) is ok
