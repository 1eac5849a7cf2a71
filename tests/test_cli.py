"""The command line, end to end: exact output and exit codes of list, show, validate, new,
schema, --help and --version.

Most tests run the real ``main()`` in-process (``cli`` below: argv in, exit code, stdout
and stderr out), which is quick; the ones marked *subprocess* start the installed program
to prove that the entry points, environment variables and terminals work for real.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml

from yogaback import __version__
from yogaback.cli import main
from yogaback.commands import output
from yogaback.durations import clock
from yogaback.practice.timeline import compile_timeline
from yogaback.routine.catalog import builtin_dir, discover, user_dir
from yogaback.routine.format import SCHEMA_ID
from yogaback.routine.load import load_routine

SEQUENCES = Path(__file__).resolve().parents[1] / "sequences"
ANSI = re.compile(r"\x1b[\[\]()]")


# --- running the program -----------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


Cli = Callable[..., Result]


@pytest.fixture(autouse=True)
def fresh_consoles() -> Iterator[None]:
    """Rich reads COLUMNS and NO_COLOR when a console is made: make them per test."""
    output.out.cache_clear()
    output.err.cache_clear()
    yield
    output.out.cache_clear()
    output.err.cache_clear()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run ``yogaback ARGS...`` in-process through ``main()``, as the console script does."""

    def run(*args: str, columns: int = 120) -> Result:
        monkeypatch.setenv("COLUMNS", str(columns))
        monkeypatch.setattr(sys, "argv", ["yogaback", *args])
        # Click names the program after ``__main__``'s package (pytest here) when it has one
        monkeypatch.setattr(sys.modules["__main__"], "__package__", None, raising=False)
        output.out.cache_clear()
        output.err.cache_clear()
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def subprocess_run(*args: str, **env: str) -> Result:
    """*subprocess*: ``python -m yogaback ARGS...`` with this test's environment."""
    proc = subprocess.run(
        [sys.executable, "-m", "yogaback", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=30,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def pty_run(args: list[str], _env: dict[str, str] | None = None, **env: str) -> tuple[int, bytes]:
    """*subprocess* with stdout and stderr on a pseudo-terminal, as a user sees it."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "yogaback", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env={**(os.environ if _env is None else _env), "TERM": "xterm-256color", **env},
    )
    os.close(slave)
    data = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child has closed the terminal
            break
        if not chunk:
            break
        data += chunk
    os.close(master)
    return proc.wait(timeout=30), data


def table_rows(text: str) -> dict[str, list[str]]:
    """A boxed Rich table's rows by first cell, wrapped lines joined back up."""
    rows: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if cells[0]:
            current = cells
            rows[cells[0]] = current
        else:
            for i, cell in enumerate(cells):
                if cell:
                    current[i] = f"{current[i]}\n{cell}" if current[i] else cell
    return rows


def words(text: str) -> str:
    """Text with runs of white space made one space, for layout-independent checks."""
    return " ".join(text.split())


# --- routine files -------------------------------------------------------------------------

SIMPLE = """\
title: Desk break
style: flow
level: beginner
props: [mat, chair]
pace: {inhale: 4s, exhale: 6s}
transition: 5s
poses:
  twist: {name: Seated twist}
  catcow: {name: Cat–cow}
  seat: {name: Easy seat}
steps:
  - pose: twist
    duration: 30s
    sides: both
    cue: Turn toward your {side} knee.
  - pose: catcow
    reps: 3
    inhale: Arch.
    exhale: Round.
  - pose: seat
    breaths: 2
    cue: Rest.
"""
"""Parts: twist right 0:00-0:35, twist left 0:35-1:10, cat-cow 1:10-1:45 (3 x 10 s),
easy seat 1:45-2:10 (2 x 10 s): 2:10 in all, 1:50 of it in poses."""

SIMPLE_SECONDS = 130.0


def tiny(title: str, seconds: int = 60) -> str:
    """A valid routine lasting ``seconds`` + 5 s of transition."""
    return (
        f"title: {json.dumps(title)}\n"
        "poses:\n  a: {name: Pose A}\n"
        f"steps:\n  - pose: a\n    duration: {seconds}s\n"
    )


@pytest.fixture
def routines(yogaback_home: Path) -> Path:
    folder = yogaback_home / "routines"
    folder.mkdir()
    return folder


def builtin_names() -> list[str]:
    return sorted(p.stem for p in SEQUENCES.glob("*.yaml"))


# --- list ------------------------------------------------------------------------------------


def test_list_json_has_every_routine_with_its_facts(cli: Cli, routines: Path) -> None:
    (routines / "lunch-break.yaml").write_text(SIMPLE, encoding="utf-8")
    result = cli("list", "--json")
    assert (result.code, result.err) == (0, "")
    found = json.loads(result.out)
    by_name = {r["name"]: r for r in found}
    assert len(by_name) == len(found)
    assert sorted(by_name) == sorted(["lunch-break", *builtin_names()])
    assert by_name["lunch-break"] == {
        "name": "lunch-break",
        "title": "Desk break",
        "total_seconds": SIMPLE_SECONDS,
        "path": str(routines / "lunch-break.yaml"),
        "source": "user",
        "valid": True,
        "style": "flow",
        "level": "beginner",
        "props": ["mat", "chair"],
        "shadows_builtin": False,
    }
    for name in ("upper-back", "yin-knots"):
        entry = by_name[name]
        routine = load_routine(SEQUENCES / f"{name}.yaml")
        assert entry["source"] == "built-in"
        assert entry["valid"] is True
        assert "error" not in entry
        assert Path(entry["path"]).resolve() == (SEQUENCES / f"{name}.yaml").resolve()
        assert entry["title"] == routine.title
        assert entry["total_seconds"] == round(compile_timeline(routine).total, 1)
        assert entry["total_seconds"] > 10 * 60


def test_list_table_has_a_column_for_each_fact(cli: Cli, routines: Path) -> None:
    (routines / "lunch-break.yaml").write_text(SIMPLE, encoding="utf-8")
    result = cli("list", columns=120)
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[0].strip() == "Routines"
    header = [cell.strip() for cell in lines[2].strip("┃").split("┃")]
    assert header == ["name", "title", "length", "style", "level", "props", "where"]
    rows = {name: [words(cell) for cell in cells] for name, cells in table_rows(result.out).items()}
    assert rows["lunch-break"] == [
        "lunch-break",
        "Desk break",
        "2:10",
        "flow",
        "beginner",
        "mat, chair",
        "yours",
    ]
    upper = load_routine(SEQUENCES / "upper-back.yaml")
    assert rows["upper-back"][2] == clock(compile_timeline(upper).total)
    assert rows["upper-back"][3:5] == [upper.style, upper.level]
    assert rows["upper-back"][6] == "built-in"
    assert lines[-1] == f"Yours are in {routines}"


def test_list_without_routines_of_your_own_says_where_they_go(cli: Cli, routines: Path) -> None:
    result = cli("list")
    assert result.code == 0
    assert result.out.splitlines()[-1] == (
        f"Your own routines go in {routines} — start one with 'yogaback new NAME'."
    )


def test_list_shows_broken_files_with_their_first_error(cli: Cli, routines: Path) -> None:
    (routines / "a-good.yaml").write_text(tiny("Good one"), encoding="utf-8")
    (routines / "bad-yaml.yaml").write_text("title: x\nposes: [\n", encoding="utf-8")
    (routines / "no-poses.yaml").write_text("title: x\n", encoding="utf-8")
    (routines / "two-bad.yaml").write_text(
        "title: x\nposes:\n  a: {name: A}\nsteps:\n  - pose: a\n    duration: later\n"
        "  - pose: a\n    duration: soon\n",
        encoding="utf-8",
    )
    result = cli("list", "--json")
    assert (result.code, result.err) == (0, "")
    by_name = {r["name"]: r for r in json.loads(result.out)}
    assert by_name["a-good"]["valid"] is True
    bad = by_name["bad-yaml"]
    assert bad["valid"] is False
    assert bad["title"] is None and bad["total_seconds"] is None
    assert bad["error"].startswith(f"{routines / 'bad-yaml.yaml'}:3:1: invalid YAML: ")
    assert by_name["no-poses"]["error"] == (
        f"{routines / 'no-poses.yaml'}:1:1: routine is missing required key 'poses'"
    )
    assert by_name["no-poses"]["hint"] == "add a line 'poses: ...'"
    # the first of several problems, in file order
    assert by_name["two-bad"]["error"] == (
        f"{routines / 'two-bad.yaml'}:6:15: "
        "'later' is not a duration; write it like 45s, 2m or 1m30s"
    )

    for columns in (120, 80):
        table = cli("list", columns=columns)
        assert table.code == 0
        rows = table_rows(table.out)
        assert words(rows["bad-yaml"][1]).startswith("broken: bad-yaml.yaml:3:1: invalid YAML: ")
        assert words(rows["no-poses"][1]) == (
            "broken: no-poses.yaml:1:1: routine is missing required key 'poses' "
            "hint: add a line 'poses: ...'"
        )
        assert rows["no-poses"][2] == ""  # no length
        assert rows["no-poses"][-1] == "yours"
        assert words(rows["a-good"][1]) == "Good one"
        assert rows["a-good"][2] == "1:05"


def test_list_file_name_that_is_no_routine_name_is_shown_with_the_fix(
    cli: Cli, routines: Path
) -> None:
    (routines / "My Flow.yaml").write_text(tiny("Mine"), encoding="utf-8")
    (routines / ".hidden.yaml").write_text(tiny("Editor backup"), encoding="utf-8")
    result = cli("list", "--json")
    by_name = {r["name"]: r for r in json.loads(result.out)}
    assert ".hidden" not in by_name
    stray = by_name["My Flow"]
    assert stray["valid"] is False
    assert (
        stray["error"] == f"{routines / 'My Flow.yaml'}:1:1: 'My Flow' is not a usable routine name"
    )
    assert stray["hint"].startswith("rename the file to my-flow.yaml ")


def test_user_routine_shadows_the_builtin_of_the_same_name(cli: Cli, routines: Path) -> None:
    mine = routines / "upper-back.yaml"
    mine.write_text(tiny("My own upper back", 40), encoding="utf-8")
    result = cli("list", "--json")
    matches = [r for r in json.loads(result.out) if r["name"] == "upper-back"]
    assert matches == [
        {
            "name": "upper-back",
            "title": "My own upper back",
            "total_seconds": 45.0,
            "path": str(mine),
            "source": "user",
            "valid": True,
            "style": None,
            "level": None,
            "props": [],
            "shadows_builtin": True,
        }
    ]
    table = cli("list", columns=120)
    assert "(replaces built-in)" in table.out
    shown = cli("show", "upper-back")
    assert shown.code == 0
    assert shown.out.splitlines()[0] == "My own upper back"


def test_list_and_show_print_rich_markup_in_routines_literally(cli: Cli, routines: Path) -> None:
    (routines / "odd.yaml").write_text(
        'title: "Odd [bold]title[/bold] [/]"\n'
        'poses:\n  a: {name: "Pose [red]x[/]"}\n'
        'steps:\n  - pose: a\n    duration: 30s\n    cue: "Use a [block] [/]"\n',
        encoding="utf-8",
    )
    (routines / "odd-broken.yaml").write_text("title: [/]\n", encoding="utf-8")
    for columns in (120, 60):
        listed = cli("list", columns=columns)
        assert (listed.code, listed.err) == (0, ""), listed.err
        assert "[bold]title[/bold]" in listed.out.replace("│", "").replace("\n", "").replace(
            " ", ""
        ).replace("Odd", "")
        shown = cli("show", "odd", columns=columns)
        assert (shown.code, shown.err) == (0, ""), shown.err
        assert shown.out.splitlines()[0] == "Odd [bold]title[/bold] [/]"
        assert "Pose [red]x[/]" in shown.out
        assert "Use a [block] [/]" in shown.out


def test_list_with_no_routines_folder_at_all(cli: Cli, yogaback_home: Path) -> None:
    assert not (yogaback_home / "routines").exists()
    result = cli("list", "--json")
    assert result.code == 0
    assert sorted(r["name"] for r in json.loads(result.out)) == builtin_names()


# --- show ----------------------------------------------------------------------------------


def part_rows(text: str) -> list[list[str]]:
    """The wide preview's part rows, split into cells (cells are 2+ spaces apart)."""
    return [
        re.split(r"\s{2,}", line.strip())
        for line in text.splitlines()
        if re.match(r"^\s*\d+\s+\d+:\d\d\s+\d+:\d\d\s", line)
    ]


def test_show_lists_each_part_with_start_length_side_reps_and_cue(cli: Cli, routines: Path) -> None:
    (routines / "lunch-break.yaml").write_text(SIMPLE, encoding="utf-8")
    result = cli("show", "lunch-break", columns=120)
    assert (result.code, result.err) == (0, "")
    lines = [line.rstrip() for line in result.out.splitlines()]
    assert lines[0] == "Desk break"
    assert lines[1] == "2:10 total · 4 parts · flow · beginner · props: mat, chair"
    assert lines[3].split() == ["#", "at", "length", "pose", "side", "reps", "cue"]
    assert part_rows(result.out) == [
        ["1", "0:00", "0:35", "Seated twist", "right", "0:30 hold", "Turn toward your right knee."],
        ["2", "0:35", "0:35", "Seated twist", "left", "0:30 hold", "Turn toward your left knee."],
        ["3", "1:10", "0:35", "Cat–cow", "3 reps", "Arch."],
        ["4", "1:45", "0:25", "Easy seat", "2 breaths", "Rest."],
    ]
    assert lines[-2:] == [
        "Total 2:10 — 1:50 in poses, 0:20 moving between them.",
        "Start with: yogaback play lunch-break",
    ]


def test_show_one_part_says_part_not_parts(cli: Cli, routines: Path) -> None:
    (routines / "one.yaml").write_text(tiny("Just one"), encoding="utf-8")
    result = cli("show", "one")
    assert result.out.splitlines()[1] == "1:05 total · 1 part"


@pytest.mark.parametrize("columns", [80, 60])
def test_show_on_a_narrow_terminal_puts_the_cue_under_the_part(
    cli: Cli, routines: Path, columns: int
) -> None:
    (routines / "lunch-break.yaml").write_text(SIMPLE, encoding="utf-8")
    result = cli("show", "lunch-break", columns=columns)
    assert (result.code, result.err) == (0, "")
    lines = [words(line) for line in result.out.splitlines()]
    start = lines.index("# at length pose · side · how long / main cue")
    assert lines[start + 1 : start + 9] == [
        "1 0:00 0:35 Seated twist · right · 0:30 hold",
        "Turn toward your right knee.",
        "2 0:35 0:35 Seated twist · left · 0:30 hold",
        "Turn toward your left knee.",
        "3 1:10 0:35 Cat–cow · 3 reps",
        "Arch.",
        "4 1:45 0:25 Easy seat · 2 breaths",
        "Rest.",
    ]
    assert max(len(line) for line in result.out.splitlines()) <= columns


@pytest.mark.parametrize("columns", [120, 80, 60])
@pytest.mark.parametrize("name", ["upper-back", "yin-knots"])
def test_show_builtin_fits_the_terminal(cli: Cli, name: str, columns: int) -> None:
    result = cli("show", name, columns=columns)
    assert (result.code, result.err) == (0, "")
    routine = load_routine(SEQUENCES / f"{name}.yaml")
    timeline = compile_timeline(routine)
    assert result.out.splitlines()[0] == routine.title
    assert max(len(line) for line in result.out.splitlines()) <= columns
    assert f"Total {clock(timeline.total)} — " in result.out
    text = words(result.out)
    for part in timeline.parts:
        assert f"{clock(part.start)} {clock(part.length)}" in text
    assert "…" not in result.out  # nothing cut short


def test_show_minutes_previews_the_fitted_routine(cli: Cli) -> None:
    result = cli("show", "upper-back", "--minutes", "20")
    assert (result.code, result.err) == (0, "")
    fitted = compile_timeline(load_routine(SEQUENCES / "upper-back.yaml"), minutes=20)
    assert abs(fitted.total - 20 * 60) <= 60
    assert result.out.splitlines()[-2].startswith(f"Total {clock(fitted.total)} — ")
    assert result.out.splitlines()[-1] == "Start with: yogaback play upper-back --minutes 20"
    assert [row[1:3] for row in part_rows(result.out)] == [
        [clock(p.start), clock(p.length)] for p in fitted.parts
    ]


def test_show_pace_is_passed_on_to_the_play_command(cli: Cli, routines: Path) -> None:
    (routines / "lunch-break.yaml").write_text(SIMPLE, encoding="utf-8")
    result = cli("show", "lunch-break", "--pace", "5")
    assert result.code == 0
    # breaths and reps now take 5 s each: 3 reps + 2 breaths = 25 s, down from 50 s
    assert result.out.splitlines()[-2] == "Total 1:45 — 1:25 in poses, 0:20 moving between them."
    assert result.out.splitlines()[-1] == "Start with: yogaback play lunch-break --pace 5"


def test_show_impossible_minutes_is_a_clear_error(cli: Cli) -> None:
    result = cli("show", "upper-back", "--minutes", "1")
    assert result.code == 2
    assert result.out == ""
    assert re.fullmatch(
        r"yogaback: cannot fit this routine into 1:00: even leaving out its optional parts, "
        r"the shortest it can be is \d+:\d\d \(--minutes \d+ or more\)\n",
        result.err,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--minutes", "0.5"], "Invalid value for '--minutes'"),
        (["--minutes", "many"], "Invalid value for '--minutes'"),
        (["--pace", "1"], "Invalid value for '--pace'"),
    ],
)
def test_show_bad_options_exit_2(cli: Cli, args: list[str], message: str) -> None:
    result = cli("show", "upper-back", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--speed", "nan"], "Invalid value for '--speed': 'nan' is not a number"),
        (["--speed", "NaN"], "Invalid value for '--speed': 'NaN' is not a number"),
        (["--speed", "fast"], "Invalid value for '--speed': 'fast' is not a number"),
        (["--speed", "inf"], "Invalid value for '--speed': inf is not from 0.1 to 1000"),
        (["--speed", "-2"], "Invalid value for '--speed': -2 is not from 0.1 to 1000"),
        (["--speed", "0"], "Invalid value for '--speed': 0 is not from 0.1 to 1000"),
        (["--minutes", "nan"], "Invalid value for '--minutes': 'nan' is not a number"),
        (["--minutes", "-inf"], "Invalid value for '--minutes': -inf is not from 1 to 600"),
        (["--pace", "nan"], "Invalid value for '--pace': 'nan' is not a number"),
    ],
)
def test_play_numbers_that_are_not_numbers_exit_2(cli: Cli, args: list[str], message: str) -> None:
    result = cli("play", "upper-back", "--plain", "--no-sound", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_show_by_path(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.yaml"
    path.write_text(tiny("Somewhere else"), encoding="utf-8")
    result = cli("show", str(path))
    assert result.code == 0
    assert result.out.splitlines()[0] == "Somewhere else"
    assert result.out.splitlines()[-1] == f"Start with: yogaback play {path}"


def test_show_path_with_a_space_is_quoted_in_the_play_command(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "my flow.yaml"
    path.write_text(tiny("Spaced"), encoding="utf-8")
    result = cli("show", str(path))
    assert result.out.splitlines()[-1] == f"Start with: yogaback play '{path}'"


def test_show_broken_file_prints_located_problems(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("title: x\nposes:\n  a: {name: A}\nsteps:\n  - pose: b\n    duration: 1m\n")
    result = cli("show", str(path))
    assert result.code == 2
    assert result.out == ""
    assert result.err == f"{path}:5:11: pose 'b' is not defined\n  hint: defined poses: a\n"


# --- names, not found, and paths that must not escape --------------------------------------


def test_unknown_name_lists_known_names_and_the_closest(cli: Cli, routines: Path) -> None:
    (routines / "lunch-break.yaml").write_text(tiny("Desk"), encoding="utf-8")
    result = cli("show", "upper")
    assert result.code == 2
    assert result.out == ""
    known = ", ".join(e.name for e in discover())
    assert known.startswith("lunch-break, ")
    assert {"upper-back", "yin-knots"} <= set(known.split(", "))
    assert result.err == (
        "yogaback: no routine named 'upper'; did you mean 'upper-back'?\n"
        f"known routines: {known}\n"
        f"(see 'yogaback list'; your own routines go in {routines})\n"
    )


def test_unknown_name_with_nothing_close(cli: Cli) -> None:
    result = cli("show", "zzzzzz")
    assert result.code == 2
    assert result.err.splitlines()[0] == "yogaback: no routine named 'zzzzzz'"
    assert result.err.splitlines()[1].startswith("known routines: ")


@pytest.mark.parametrize(
    ("arg", "first_line"),
    [
        ("UPPER", "yogaback: 'UPPER' is not a routine name; did you mean 'upper-back'?"),
        ("Upper-Back", "yogaback: 'Upper-Back' is not a routine name; did you mean 'upper-back'?"),
        ("upper back", "yogaback: 'upper back' is not a routine name; did you mean 'upper-back'?"),
        ("", "yogaback: '' is not a routine name"),
        ("~", "yogaback: '~' is not a routine name"),
        (
            "upper-back\n",
            "yogaback: 'upper-back\\n' is not a routine name; did you mean 'upper-back'?",
        ),
        ("tab\there", "yogaback: 'tab\\there' is not a routine name"),
        ("a:1:2: x", "yogaback: 'a:1:2: x' is not a routine name"),
        ("a" * 65, f"yogaback: '{'a' * 65}' is not a routine name"),
    ],
)
def test_bad_names_are_rejected_with_exit_2(cli: Cli, arg: str, first_line: str) -> None:
    for command in ("show", "play"):
        result = cli(command, arg)
        assert result.code == 2
        assert result.out == ""
        lines = result.err.splitlines()
        assert lines[0] == first_line
        assert lines[1].startswith("known routines: ")
        assert lines[2] == (
            "(names use lower-case letters, digits, '-' and '_'; "
            "to use a file, give its path, e.g. ./my-routine.yaml)"
        )


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("../etc/passwd", "no such file"),
        ("..", "is a folder, not a routine file"),
        ("a/b", "no such file"),
        ("/etc/passwd", "expected a mapping (routine), got text"),
        ("x.yaml", "no such file"),
        (".hidden", "no such file"),
    ],
)
def test_names_with_slashes_or_suffixes_are_explicit_paths(
    cli: Cli,
    routines: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    arg: str,
    message: str,
) -> None:
    # decoys that a name joined onto a routines folder would reach
    (routines / "a").mkdir()
    (routines / "a" / "b.yaml").write_text(tiny("Decoy"), encoding="utf-8")
    (routines / "x.yaml").write_text(tiny("Decoy"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("show", arg)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"{arg}:1:1: {message}\n")
    assert "Traceback" not in result.err


def test_name_never_reaches_into_a_subfolder(cli: Cli, routines: Path) -> None:
    (routines / "sub").mkdir()
    (routines / "sub" / "sub.yaml").write_text(tiny("Hidden away"), encoding="utf-8")
    result = cli("show", "sub")
    assert result.code == 2
    assert result.err.startswith("yogaback: no routine named 'sub'")


def test_option_like_name_is_a_usage_error(cli: Cli) -> None:
    result = cli("show", "-x")
    assert result.code == 2
    assert "No such option: -x" in result.err


# --- validate --------------------------------------------------------------------------------


def test_validate_all_valid_exits_0(cli: Cli, tmp_path: Path) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    one.write_text(tiny("First"), encoding="utf-8")
    two.write_text(SIMPLE, encoding="utf-8")
    result = cli("validate", str(one), str(two))
    assert result == Result(0, f"{one}: ok — First\n{two}: ok — Desk break\n", "")


def test_validate_builtins(cli: Cli) -> None:
    paths = [str(p) for p in sorted(SEQUENCES.glob("*.yaml"))]
    result = cli("validate", *paths)
    assert (result.code, result.err) == (0, "")
    assert len(result.out.splitlines()) == len(paths)


def test_validate_any_problem_exits_2_and_reports_each(cli: Cli, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(tiny("Good"), encoding="utf-8")
    bad.write_text(
        "title: x\nposes:\n  a: {name: A}\nsteps:\n  - pose: b\n    duration: 1m\n"
        "  - pose: c\n    duration: 2m\n",
        encoding="utf-8",
    )
    missing = tmp_path / "missing.yaml"
    result = cli("validate", str(good), str(bad), str(missing))
    assert result.code == 2
    assert result.out == f"{good}: ok — Good\n"
    err = result.err.splitlines()
    assert err[0] == f"{bad}:5:11: pose 'b' is not defined"
    assert f"{bad}:7:11: pose 'c' is not defined" in err
    assert f"{missing}:1:1: no such file" in err
    assert err[-1] == "yogaback: 2 of 3 files have problems"


def test_validate_one_bad_file_exits_2(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\n", encoding="utf-8")
    result = cli("validate", str(bad))
    assert result == Result(
        2,
        "",
        f"{bad}:1:1: routine is missing required key 'poses'\n  hint: add a line 'poses: ...'\n"
        f"{bad}:1:1: routine is missing required key 'steps'\n  hint: add a line 'steps: ...'\n",
    )


def test_validate_needs_a_path(cli: Cli) -> None:
    result = cli("validate")
    assert result.code == 2
    assert "Missing argument 'PATH...'" in result.err


# --- new ---------------------------------------------------------------------------------------


def test_new_writes_a_commented_starter_that_validates_and_shows(
    cli: Cli, yogaback_home: Path
) -> None:
    target = yogaback_home / "routines" / "lunch-break.yaml"
    result = cli("new", "lunch-break")
    assert result == Result(
        0,
        f"Wrote {target}\n"
        f"Edit it, then check it with:  yogaback validate {target}\n"
        "and preview it with:          yogaback show lunch-break\n",
        "",
    )
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=routine.schema.json\n")
    assert sum(line.lstrip().startswith("#") for line in text.splitlines()) >= 5
    assert 'title: "Lunch break"\n' in text

    assert cli("validate", str(target)) == Result(0, f"{target}: ok — Lunch break\n", "")
    shown = cli("show", "lunch-break")
    assert (shown.code, shown.err) == (0, "")
    assert shown.out.splitlines()[0] == "Lunch break"
    listed = {r["name"]: r for r in json.loads(cli("list", "--json").out)}
    assert listed["lunch-break"]["valid"] is True
    assert listed["lunch-break"]["path"] == str(target)

    beside = yogaback_home / "routines" / "routine.schema.json"
    assert json.loads(beside.read_text(encoding="utf-8")) == json.loads(cli("schema").out)


def test_new_never_overwrites_an_existing_file(cli: Cli, routines: Path, tmp_path: Path) -> None:
    target = routines / "lunch-break.yaml"
    target.write_bytes(b"my own work\n\x00\xff")
    before = target.stat().st_mtime_ns
    result = cli("new", "lunch-break")
    assert result == Result(
        2,
        "",
        f"yogaback: {target} already exists; not overwriting it. "
        "Choose another name, or edit that file\n",
    )
    assert target.read_bytes() == b"my own work\n\x00\xff"
    assert target.stat().st_mtime_ns == before

    explicit = tmp_path / "mine.yaml"
    explicit.write_bytes(b"keep me")
    result = cli("new", "other", "--path", str(explicit))
    assert result.code == 2
    assert result.err == (
        f"yogaback: {explicit} already exists; not overwriting it. "
        "Choose another name, or edit that file\n"
    )
    assert explicit.read_bytes() == b"keep me"

    result = cli("new", "lunch-break", "--path", str(routines))
    assert result.code == 2
    assert target.read_bytes() == b"my own work\n\x00\xff"


@pytest.mark.parametrize("name", ["desk-break", "upper-back"])
def test_new_never_takes_the_place_of_a_built_in_routine(
    cli: Cli, routines: Path, name: str
) -> None:
    result = cli("new", name)
    assert result.code == 2
    assert f"'{name}' is a built-in routine" in result.err and f"my-{name}" in result.err
    assert not (routines / f"{name}.yaml").exists()
    assert "built-in" in cli("list").out.split(name, 1)[1].splitlines()[0]


def test_new_path_may_be_a_folder_or_a_file(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "existing"
    folder.mkdir()
    assert cli("new", "a", "--path", str(folder)).code == 0
    assert (folder / "a.yaml").is_file()
    assert (folder / "routine.schema.json").is_file()

    fresh = tmp_path / "new-folder"
    result = cli("new", "b", "--path", str(fresh))
    assert result.code == 0
    assert result.out.splitlines()[0] == f"Wrote {fresh / 'b.yaml'}"
    assert (
        result.out.splitlines()[2]
        == f"and preview it with:          yogaback show {fresh / 'b.yaml'}"
    )

    file = tmp_path / "deep" / "down" / "flow.yaml"
    assert cli("new", "c", "--path", str(file)).code == 0
    assert cli("validate", str(file)).code == 0
    assert (file.parent / "routine.schema.json").is_file()
    assert 'title: "C"' in file.read_text(encoding="utf-8")


def test_new_never_overwrites_a_schema_file_of_the_users_own(cli: Cli, tmp_path: Path) -> None:
    own = tmp_path / "routine.schema.json"
    own.write_text('{"my": "own schema"}\n', encoding="utf-8")
    assert cli("new", "a", "--path", str(tmp_path)).code == 0
    assert own.read_text(encoding="utf-8") == '{"my": "own schema"}\n'
    own.write_bytes(b"\xff\xfe not even UTF-8")
    assert cli("new", "b", "--path", str(tmp_path)).code == 0
    assert own.read_bytes() == b"\xff\xfe not even UTF-8"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", "routine.schema.json"]


def test_new_refreshes_a_stale_schema_it_wrote_itself(cli: Cli, tmp_path: Path) -> None:
    stale = tmp_path / "routine.schema.json"
    stale.write_text(json.dumps({"$id": SCHEMA_ID, "old": True}, indent=2), encoding="utf-8")
    assert cli("new", "a", "--path", str(tmp_path)).code == 0
    assert json.loads(stale.read_text(encoding="utf-8")) == json.loads(cli("schema").out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "routine.schema.json"]


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Desk Break", "desk-break"),
        ("../escape", "escape"),
        ("a/b", "a-b"),
        ("/etc/passwd", "etc-passwd"),
        ("", "my-routine"),
        ("x\n", "x"),
        ("-dash", "dash"),
    ],
)
def test_new_rejects_names_that_are_not_names(
    cli: Cli, yogaback_home: Path, tmp_path: Path, name: str, suggestion: str
) -> None:
    result = cli("new", name) if not name.startswith("-") else cli("new", "--", name)
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        f"yogaback: {name!r} is not a usable routine name: use lower-case letters, digits, "
        f"'-' and '_' (e.g. {suggestion})\n"
    )
    assert not (yogaback_home / "routines").exists()
    assert not (tmp_path / "escape.yaml").exists()


# --- schema, help, version -----------------------------------------------------------------


def test_schema_is_json_schema_that_the_starter_satisfies(cli: Cli, tmp_path: Path) -> None:
    result = cli("schema")
    assert (result.code, result.err) == (0, "")
    schema = json.loads(result.out)
    assert schema["$id"] == SCHEMA_ID
    assert schema["$schema"].startswith("https://json-schema.org/")
    jsonschema.validators.validator_for(schema).check_schema(schema)
    assert {"title", "poses", "steps"} <= set(schema["required"])
    assert cli("new", "s", "--path", str(tmp_path)).code == 0
    starter = yaml.safe_load((tmp_path / "s.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(starter, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "no steps", "poses": {}}, schema)


def test_version(cli: Cli) -> None:
    assert cli("--version") == Result(0, f"yogaback {__version__}\n", "")


@pytest.mark.parametrize("command", ["list", "show", "play", "validate", "new", "schema"])
def test_every_command_has_help_with_an_example(cli: Cli, command: str) -> None:
    result = cli(command, "--help", columns=100)
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith(f"Usage: yogaback {command} ")
    assert re.search(rf"Example: yogaback {command}\b", result.out), result.out


EVERY_HELP = [
    ["list"],
    ["show"],
    ["play"],
    ["validate"],
    ["new"],
    ["figures"],
    ["schema"],
    ["history"],
    ["stats"],
    ["doctor"],
    ["config", "path"],
    ["config", "show"],
    ["config", "init"],
    ["sound", "test"],
]

MACHINE_WORDS = re.compile(
    r"<[^>\s]+(?: range)?>"  # Typer's types: <int range>, <str>, <list[Path]>, <path>
    r"|\[[^]]*(?:<=|>=)[^]]*\]"  # its ranges: [0<=x<=100], [x>=0]
    r"|\{[^}\s]*\}"  # its mark of a required argument: {NAME|PATH}
    r"|\b(?:TEXT|INTEGER|FLOAT|RANGE)\b"  # click's types
)


@pytest.mark.parametrize("command", EVERY_HELP, ids=" ".join)
def test_help_names_values_in_words_not_types(cli: Cli, command: list[str]) -> None:
    """No type names or range formulas where a reader expects a word: '--volume N', not
    '--volume <int range>  [0<=x<=100]'."""
    result = cli(*command, "--help", columns=100)
    assert (result.code, result.err) == (0, "")
    assert not MACHINE_WORDS.search(result.out), MACHINE_WORDS.findall(result.out)


@pytest.mark.parametrize(
    ("command", "lines"),
    [
        (
            ["play"],
            [
                "Usage: yogaback play [OPTIONS] NAME|PATH",
                "  NAME|PATH  A routine name",
                "  --volume N ",
            ],
        ),
        (["validate"], ["Usage: yogaback validate [OPTIONS] PATH...", "  PATH...  Routine files"]),
        (
            ["new"],
            [
                "Usage: yogaback new [OPTIONS] NAME",
                "  NAME  Name of the new",
                "  --path PATH  Write",
            ],
        ),
        (["history"], ["  --limit N "]),
        (["stats"], ["  --weeks N "]),
        (["sound", "test"], ["Usage: yogaback sound test [OPTIONS] [NAME|PATH]", "  --volume N "]),
    ],
    ids=["play", "validate", "new", "history", "stats", "sound test"],
)
def test_help_shows_these_lines(cli: Cli, command: list[str], lines: list[str]) -> None:
    """Arguments and options by a word for their value, in the usage and in the lists."""
    out = cli(*command, "--help", columns=100).out
    for line in lines:
        assert any(got.startswith(line) for got in out.splitlines()), (line, out)


def test_no_command_shows_help(cli: Cli) -> None:
    result = cli()
    assert result.code == 2
    assert "Usage: yogaback [OPTIONS] COMMAND [ARGS]..." in result.out + result.err
    assert "yogaback play upper-back" in result.out + result.err


def test_unknown_command(cli: Cli) -> None:
    result = cli("lsit")
    assert result.code == 2
    assert "No such command 'lsit'" in result.err


# --- the real program, in a subprocess and on a terminal -------------------------------------


def test_python_dash_m_help_and_version() -> None:
    result = subprocess_run("--help")
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith("Usage: python -m yogaback [OPTIONS] COMMAND [ARGS]...")
    for command in ("list", "show", "play", "validate", "new", "schema"):
        assert re.search(rf"^  {command}\s+\S", result.out, re.MULTILINE), command
    assert subprocess_run("--version") == Result(0, f"yogaback {__version__}\n", "")


def test_installed_script_new_then_refuse(yogaback_home: Path) -> None:
    target = yogaback_home / "routines" / "lunch-break.yaml"
    script = Path(sys.executable).with_name("yogaback")
    command = [str(script)] if script.exists() else ["yogaback"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *args], capture_output=True, text=True, env=os.environ, timeout=30
        )

    made = run("new", "lunch-break")
    assert (made.returncode, made.stderr) == (0, "")
    assert made.stdout.splitlines()[0] == f"Wrote {target}"
    before = target.read_bytes()
    again = run("new", "lunch-break")
    assert again.returncode == 2
    assert again.stdout == ""
    assert again.stderr == (
        f"yogaback: {target} already exists; not overwriting it. "
        "Choose another name, or edit that file\n"
    )
    assert target.read_bytes() == before


EVERY_COMMAND = [
    ["--help"],
    ["--version"],
    ["list"],
    ["list", "--json"],
    ["show", "upper-back"],
    ["show", "--help"],
    ["schema"],
    ["history"],
    ["stats"],
    ["config", "path"],
    ["config", "show"],
    ["config", "init"],
    ["validate", str(SEQUENCES / "yin-knots.yaml")],
    ["new", "my-break"],
    ["doctor", "--json"],
    ["sound", "test", "--sound-engine", "silent"],
    ["play", "upper-back", "--start-at", "31", "--speed", "1000", "--no-sound"],
]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("stdout", ["closed", "/dev/full"])
@pytest.mark.parametrize("args", EVERY_COMMAND, ids=" ".join)
def test_unwritable_stdout_is_one_line_and_a_failure(args: list[str], stdout: str) -> None:
    """*subprocess*: ``yogaback ... >&-`` and ``> /dev/full``: never a traceback, never a
    silent success."""
    command = [sys.executable, "-m", "yogaback", *args]
    if stdout == "closed":
        command = ["sh", "-c", 'exec "$@" >&-', "sh", *command]
    with open(os.devnull if stdout == "closed" else stdout, "w") as sink:
        proc = subprocess.run(command, stdout=sink, stderr=subprocess.PIPE, text=True, timeout=30)
    said = {
        "closed": "yogaback: standard output is closed; send it somewhere, e.g. > /dev/null\n",
        "/dev/full": "yogaback: cannot write to standard output: No space left on device\n",
    }[stdout]
    assert (proc.returncode, proc.stderr) == (1, said)


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (["show", "upper-back", "--minutes", "1"], "yogaback: cannot fit this routine into 1:00: "),
        (["show", "../etc/passwd"], "../etc/passwd:1:1: no such file"),
    ],
)
def test_subprocess_errors_exit_2_without_traceback(args: list[str], first: str) -> None:
    result = subprocess_run(*args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(first)
    assert "Traceback" not in result.err


@pytest.mark.parametrize("yours", [True, False])
def test_list_gives_a_long_folder_path_a_line_of_its_own(yours: bool) -> None:
    """A path is never broken (it could not be copied), so one that would push the sentence
    past the edge goes on its own line; how long the folder's path is must not matter."""
    base = Path(tempfile.mkdtemp(prefix="yb-"))  # short, unlike tmp_path: we set the length
    home = base / ("h" * (44 - len(str(base))))
    (home / "routines").mkdir(parents=True)
    if yours:
        (home / "routines" / "lunch-break.yaml").write_text(SIMPLE, encoding="utf-8")
    try:
        exit_code, data = pty_run(["list"], NO_COLOR="1", COLUMNS="60", YOGABACK_HOME=str(home))
    finally:
        shutil.rmtree(base)
    lines = data.decode("utf-8").splitlines()
    assert exit_code == 0
    assert max(len(line) for line in lines) <= 60, lines
    assert f"  {home / 'routines'}" in lines


@pytest.mark.parametrize(
    ("args", "columns", "code"),
    [
        (["list"], 60, 0),
        (["show", "upper-back"], 60, 0),
        (["show", "yin-knots", "--minutes", "15"], 80, 0),
        (["show", "nope"], 80, 2),
        (["new", "Bad Name"], 80, 2),
        (["--help"], 80, 0),
    ],
)
def test_terminal_with_no_color_gets_no_escapes_and_fitting_lines(
    routines: Path, args: list[str], columns: int, code: int
) -> None:
    (routines / "broken.yaml").write_text("title: x\nposes: [\n", encoding="utf-8")
    (routines / "lunch-break.yaml").write_text(SIMPLE, encoding="utf-8")
    exit_code, data = pty_run(args, NO_COLOR="1", COLUMNS=str(columns))
    text = data.decode("utf-8")
    assert exit_code == code, text
    assert len(text) > 40
    assert not ANSI.search(text), repr(text[:300])
    assert "Traceback" not in text
    assert max(len(line) for line in text.splitlines()) <= columns


@pytest.mark.parametrize("columns", [60, 80])
def test_play_summary_on_a_terminal_wraps_at_spaces(routines: Path, columns: int) -> None:
    """The end summary is longer than a line: on a terminal it wraps between words, not
    wherever the terminal's edge falls."""
    (routines / "lunch-break.yaml").write_text(SIMPLE, encoding="utf-8")
    args = ["play", "lunch-break", "--plain", "--speed", "1000", "--no-sound", "--no-check-in"]
    code, data = pty_run(args, NO_COLOR="1", COLUMNS=str(columns))
    lines = data.decode("utf-8").splitlines()
    assert code == 0
    start = next(i for i, line in enumerate(lines) if line.startswith("Well done."))
    summary = lines[start:]
    assert all(len(line) <= columns for line in summary), summary
    assert " ".join(line.strip() for line in summary).endswith(
        "(A preview at 1000×: in your history, not your stats.)"
    ), summary


@pytest.mark.parametrize("columns", [60, 80])
def test_doctor_on_a_narrow_terminal_breaks_no_word(columns: int) -> None:
    """*pty*: too narrow for the table's detail column, the report still fits and wraps
    between words; every word it shows is a whole word of the same report on a wide one."""

    home = Path(tempfile.mkdtemp(prefix="yb-"))  # short, unlike tmp_path: its paths fit

    def words(width: int) -> tuple[list[str], set[str]]:
        code, data = pty_run(["doctor"], NO_COLOR="1", COLUMNS=str(width), YOGABACK_HOME=str(home))
        assert code == 0
        lines = data.decode("utf-8").splitlines()
        # the terminal's own size is the one thing that differs between the two runs
        return lines, {w for w in data.decode("utf-8").split() if not re.match(r"\d+x\d+$", w)}

    try:
        lines, narrow = words(columns)
        _, wide = words(200)
    finally:
        shutil.rmtree(home)
    assert max(len(line) for line in lines) <= columns, lines
    assert narrow - wide == set(), lines


def test_without_no_color_a_terminal_gets_styles() -> None:
    """The check above can fail: the same kind of run with NO_COLOR unset has escape codes."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    code, data = pty_run(["show", "nope"], _env=env, COLUMNS="80")
    assert code == 2
    assert ANSI.search(data.decode("utf-8"))


# --- catalog -------------------------------------------------------------------------------


def test_user_dir_follows_yogaback_home(yogaback_home: Path) -> None:
    assert user_dir() == yogaback_home / "routines"
    assert builtin_dir().resolve() == SEQUENCES.resolve()


def test_show_figures_is_a_labelled_gallery_of_the_routines_poses(cli: Cli) -> None:
    result = cli("show", "yin-knots", "--figures", columns=120)
    assert result.code == 0, result.err
    assert "Thread the needle (held" in result.out
    assert result.out.count("(held") + result.out.count("(in / out") == 8  # one per pose
    assert any(0x2800 < ord(ch) <= 0x28FF for ch in result.out)


def test_an_unknown_figure_is_a_located_error_with_a_hint(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "version: 1\ntitle: T\nposes:\n  a:\n    name: A\n    figure: savasanna\n"
        "steps:\n  - pose: a\n    duration: 30s\n",
        encoding="utf-8",
    )
    result = cli("validate", str(path))
    assert result.code == 2
    assert f"{path}:6:13: no figure named 'savasanna'" in result.err + result.out
    assert "did you mean 'savasana'?" in result.err + result.out


def test_stats_include_previews_flag(cli: Cli) -> None:
    from yogaback.journal.opening import open_journal

    with open_journal() as journal:
        for speed in (1.0, 10.0):
            sid = journal.begin_session("upper-back", planned_seconds=600.0, parts=3, speed=speed)
            journal.finish(sid, completed=True, practised=600.0, part=3, ended_by="end")
    assert json.loads(cli("stats", "--json").out)["sessions"] == 1
    assert json.loads(cli("stats", "--json", "--include-previews").out)["sessions"] == 2


def test_figures_shows_every_built_in_figure_by_the_name_a_routine_gives(cli: Cli) -> None:
    from yogaback import figures

    result = cli("figures", columns=120)
    assert result.code == 0, result.err
    for name in figures.by_name():
        assert f"{name} (" in result.out
    assert any(0x2800 < ord(ch) <= 0x28FF for ch in result.out)
