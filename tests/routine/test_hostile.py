"""Broken and hostile input ends in a clear, located message and exit code 2.

Each row of the table below makes one bad input and gives the exact problem it
must produce (``LINE:COL: message``). The loader is checked in-process row by
row; the real CLI is run in a subprocess, once over every row together and once
per resource-hungry row, under a timeout and a 1 GiB address-space limit, so a
hang, a memory blow-up or a traceback fails the test.
"""

from __future__ import annotations

import os
import pwd
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from yogaback.errors import RoutineError
from yogaback.routine import nodes as yamlnodes
from yogaback.routine.load import load_routine

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space for the CLI under test

VALID = """\
title: T
poses: {cat: {name: Cat}}
steps: [{pose: cat, duration: 30s}]
"""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*paths: Path | str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yogaback", "validate", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
    )


def assert_reported(stderr: str, path: Path | str, expected: str) -> None:
    """stderr has the line ``PATH:LINE:COL: message...`` for ``expected`` = 'LINE:COL: message'."""
    line = f"{path}:{expected}"
    assert any(got.startswith(line) for got in stderr.splitlines()), (line, stderr[-3000:])


# --- making bad inputs ---------------------------------------------------------------------

Maker = Callable[[Path], Path]


def text(content: str) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / "r.yaml"
        path.write_text(content, encoding="utf-8")
        return path

    return make


def raw(content: bytes) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / "r.yaml"
        path.write_bytes(content)
        return path

    return make


def folder(base: Path) -> Path:
    (base / "routines.yaml").mkdir()
    return base / "routines.yaml"


def fifo(base: Path) -> Path:
    os.mkfifo(base / "pipe.yaml")
    return base / "pipe.yaml"


def unix_socket(base: Path) -> Path:
    path = base / "s.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
    return path


def device(base: Path) -> Path:
    return Path("/dev/null")


def missing(base: Path) -> Path:
    return base / "nowhere.yaml"


def dangling_link(base: Path) -> Path:
    (base / "link.yaml").symlink_to(base / "gone.yaml")
    return base / "link.yaml"


def link_loop(base: Path) -> Path:
    (base / "a.yaml").symlink_to(base / "b.yaml")
    (base / "b.yaml").symlink_to(base / "a.yaml")
    return base / "a.yaml"


def huge(base: Path) -> Path:
    path = base / "huge.yaml"
    with path.open("wb") as fh:  # sparse: takes no disk, but stat says 4 MiB + 1
        fh.truncate(yamlnodes.MAX_BYTES + 1)
    return path


def alias_bomb(base: Path) -> Path:
    """'Billion laughs': ten levels of ten aliases would expand to 10**10 values."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return text("\n".join(lines) + "\n")(base)


def wide_alias(base: Path) -> Path:
    """One bad step repeated 12,000 times through an alias: must not print it 12,000 times."""
    bad = "{" + ", ".join(f"k{i}: 1" for i in range(40)) + "}"
    steps = ", ".join(["*b"] * 12_000)
    return text(f"title: T\nposes: {{cat: {{name: Cat}}}}\nx: &b {bad}\nsteps: [{steps}]\n")(base)


def merge_override(base: Path) -> Path:
    """Explicit keys overriding merged ones: each rebuilt the mapping in the first version,
    which took about 40 s for these 10,000 keys."""
    n = 10_000
    body = "a: &a\n" + "".join(f"  k{i}: 1\n" for i in range(n))
    body += "b:\n  <<: *a\n" + "".join(f"  k{i}: 2\n" for i in range(n))
    return text(body)(base)


def duplicate_flood(base: Path) -> Path:
    return text("a: 1\n" * 20_000)(base)


# (id, maker, the first expected problem as "LINE:COL: message", resource-hungry?)
HOSTILE: list[tuple[str, Maker, str, bool]] = [
    (
        "invalid-yaml",
        text("title: T\nposes: [a\nsteps: 1\n"),
        "3:6: invalid YAML: ",
        False,
    ),
    (
        "bad-indent",
        text("title: T\n  poses: x\n"),
        "2:8: invalid YAML: ",
        False,
    ),
    (
        "tab-indent",
        text("title: T\nposes:\n\tcat: x\n"),
        "3:1: invalid YAML: a tab in the indentation",
        False,
    ),
    (
        "unclosed-quote",
        text('title: "T\n'),
        "2:1: invalid YAML: ",
        False,
    ),
    (
        "binary-png",
        raw(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "3:1: this is a binary file, not YAML text (it contains NUL bytes)",
        False,
    ),
    (
        "latin-1",
        raw("title: Café\n".encode("latin-1")),
        "1:11: not UTF-8 text: byte 0xe9 cannot be decoded",
        False,
    ),
    (
        "utf-16",
        raw(VALID.encode("utf-16")),
        "1:1: not UTF-8 text: the file is saved as UTF-16",
        False,
    ),
    (
        "control-char",
        text("title: café\x07\n"),
        "1:12: invalid YAML: character U+0007 is not allowed here",
        False,
    ),
    ("empty", raw(b""), "1:1: file is empty", False),
    ("bom-only", raw(b"\xef\xbb\xbf"), "1:1: file is empty", False),
    ("blank", text(" \n\n\t\n"), "1:1: file is empty", False),
    ("comments-only", text("# just a note\n"), "1:1: file holds no YAML document", False),
    ("folder", folder, "1:1: is a folder, not a routine file", False),
    ("fifo", fifo, "1:1: not a regular file", False),
    ("socket", unix_socket, "1:1: not a regular file", False),
    ("device", device, "1:1: not a regular file", False),
    ("missing", missing, "1:1: no such file", False),
    ("dangling-link", dangling_link, "1:1: no such file", False),
    ("link-loop", link_loop, "1:1: cannot read: Too many levels of symbolic links", False),
    ("huge", huge, "1:1: file is too large (4,194,305 bytes; the limit is 4,194,304)", True),
    (
        "deep-flow",
        text("[" * 200_000 + "]" * 200_000 + "\n"),
        "1:33: nested more than 32 levels deep",
        True,
    ),
    (
        "deep-block",
        text("".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "v\n"),
        "33:65: nested more than 32 levels deep",
        True,
    ),
    ("alias-bomb", alias_bomb, "6:45: document expands to more than 1,000,000 values", True),
    ("alias-to-itself", text("a: &a [x, *a]\n"), "1:11: alias *a refers to itself", False),
    ("unknown-alias", text("a: *nope\n"), "1:4: unknown alias *nope", False),
    ("wide-alias", wide_alias, "3:1: unknown key 'x' in routine", True),
    ("merge-override", merge_override, "1:1: routine is missing required key 'poses'", True),
    ("duplicate-flood", duplicate_flood, "2:1: duplicate key 'a' (first at line 1)", True),
    (
        "second-document",
        text(VALID + "---\ntitle: U\n"),
        "4:1: a routine file holds one YAML document, but a second starts here",
        False,
    ),
    ("custom-tag", text("title: !foo T\n" + VALID[9:]), "1:8: unsupported YAML tag '!foo'", False),
    ("tagged-mapping", text("!routine\n" + VALID), "1:1: unsupported YAML tag '!routine'", False),
    (
        "python-tag",
        text("title: !!python/object:os.system echo\n" + VALID[9:]),
        "1:8: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'",
        False,
    ),
    (
        "duplicate-key",
        text(VALID + "title: U\n"),
        "4:1: duplicate key 'title' (first at line 1)",
        False,
    ),
    (
        "key-is-a-list",
        text(VALID + "[a, b]: c\n"),
        "4:1: a key must be a plain word, not a list",
        False,
    ),
    (
        "version-2",
        text("version: 2\n" + VALID),
        "1:10: unsupported format version 2; this yogaback reads version 1",
        False,
    ),
    (
        "top-level-scalar",
        text("just words\n"),
        "1:1: expected a mapping (routine), got text ('just words')",
        False,
    ),
]
HOSTILE_IDS = [row[0] for row in HOSTILE]


def make_all(base: Path) -> Iterator[tuple[str, Path, str]]:
    for name, maker, expected, _ in HOSTILE:
        (base / name).mkdir()
        yield name, maker(base / name), expected


@pytest.mark.parametrize(("maker", "expected"), [row[1:3] for row in HOSTILE], ids=HOSTILE_IDS)
def test_loader_reports_a_located_problem(tmp_path: Path, maker: Maker, expected: str) -> None:
    path = maker(tmp_path)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    problems = caught.value.problems
    assert all(p.line >= 1 and p.column >= 1 and p.path == str(path) for p in problems)
    got = [f"{p.line}:{p.column}: {p.message}" for p in problems]
    assert any(g.startswith(expected) for g in got), got
    assert len(problems) <= yamlnodes.MAX_PROBLEMS + 1


def test_cli_reports_every_hostile_file_in_one_call(tmp_path: Path) -> None:
    made = list(make_all(tmp_path))
    result = run_cli(*(path for _, path, _ in made), timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for _, path, expected in made:
        assert_reported(result.stderr, path, expected)
    assert result.stderr.rstrip().endswith(f"{len(made)} of {len(made)} files have problems")


@pytest.mark.parametrize(
    ("maker", "expected"),
    [row[1:3] for row in HOSTILE if row[3]],
    ids=[row[0] for row in HOSTILE if row[3]],
)
def test_cli_survives_a_resource_hungry_file_alone(
    tmp_path: Path, maker: Maker, expected: str
) -> None:
    path = maker(tmp_path)
    result = run_cli(path, timeout=20)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert_reported(result.stderr, path, expected)
    # Bounded output too: at most MAX_PROBLEMS (+ the note) problems, two lines each.
    assert len(result.stderr.splitlines()) <= 2 * (yamlnodes.MAX_PROBLEMS + 2)


def test_cli_accepts_a_good_file_beside_bad_ones(tmp_path: Path) -> None:
    good = text(VALID)(tmp_path)
    bad = tmp_path / "missing.yaml"
    result = run_cli(good, bad)
    assert result.returncode == 2
    assert result.stdout == f"{good}: ok — T\n"
    assert result.stderr == (
        f"{bad}:1:1: no such file\n"
        "  hint: check the path, or run 'yogaback list'\n"
        "yogaback: 1 of 2 files have problems\n"
    )


def test_cli_merge_keys_work(tmp_path: Path) -> None:
    path = text(
        "title: T\n"
        "poses: {cat: {name: Cat}, cow: {name: Cow}}\n"
        "steps:\n"
        "  - &base {pose: cat, duration: 30s}\n"
        "  - <<: *base\n"
        "    pose: cow\n"
    )(tmp_path)
    result = run_cli(path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{path}: ok — T\n", "")


def test_value_count_limit_without_aliases_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flat list over the limit gets a hint about size, not about aliases."""
    monkeypatch.setattr(yamlnodes, "MAX_NODES", 1000)
    path = text("[" + ", ".join(["a"] * 2000) + "]\n")(tmp_path)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.message, problem.hint) == (
        1,
        3002,
        "document expands to more than 1,000 values",
        "a routine holds a few thousand values at most",
    )


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
def test_control_character_is_located_by_either_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loader: str
) -> None:
    """libyaml counts UTF-8 bytes and PyYAML's own reader characters (and checks them before
    parsing starts); both must point at the same place."""
    if not hasattr(yaml, loader):
        pytest.skip(f"PyYAML has no {loader}")
    monkeypatch.setattr(yamlnodes, "_Loader", getattr(yaml, loader))
    path = text("title: T\nsummary: café ☕ \x1b[1m\n")(tmp_path)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 17)
    assert problem.message.startswith("invalid YAML: character U+001B is not allowed here")


class _ParserWithLowerLimits(yaml.SafeLoader):
    """A stand-in for a libyaml whose own limits trip while it scans ahead of the events it
    has handed over: it gives up at a fixed place with a message of its own."""

    give_up_at = (1, 50)

    def check_event(self, *choices: object) -> bool:
        line, column = self.give_up_at
        mark = yaml.Mark("x", 0, line - 1, column - 1, None, None)
        raise yaml.parser.ParserError(None, None, "some limit of the library's own", mark)


def test_our_depth_limit_wins_over_a_yaml_library_that_gives_up_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlnodes, "_Loader", _ParserWithLowerLimits)
    path = text("[" * 100 + "]" * 100 + "\n")(tmp_path)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (1, 33)
    assert problem.message == "nested more than 32 levels deep"
    assert problem.hint == "a routine needs only a few levels of nesting"


def test_a_yaml_library_error_before_any_limit_of_ours_is_reported_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlnodes, "_Loader", _ParserWithLowerLimits)
    monkeypatch.setattr(_ParserWithLowerLimits, "give_up_at", (2, 3))
    path = text("title: [a,\n  ]]\n" + "[" * 100 + "]" * 100 + "\n")(tmp_path)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 3)
    assert problem.message.startswith("invalid YAML: ")


def test_a_path_the_os_cannot_take(tmp_path: Path) -> None:
    with pytest.raises(RoutineError) as caught:
        load_routine(tmp_path / "a\0b.yaml")
    assert [p.message for p in caught.value.problems] == ["cannot read: embedded null byte"]


# --- files we may not read ---------------------------------------------------------------
#
# Root reads any file whatever its mode, so as root we make a world-searchable
# folder, and drop to 'nobody' in a child Python before opening anything. The
# child imports (and for the CLI, runs once) all it needs while still root,
# because our site-packages may sit where 'nobody' cannot read.

_CHILD = """
import os, sys
from yogaback.cli import main
from yogaback.errors import RoutineError
from yogaback.routine.load import load_routine

def cli(*args):
    sys.argv = ["yogaback", "validate", *args]
    try:
        main()
    except SystemExit as exc:
        return exc.code
    return 0

mode, warm, *paths = sys.argv[1:]  # the warm-up file is readable by anyone
cli(warm)
cli("--no-such-option")  # loads the usage-error code too
sys.stdout.flush(); sys.stderr.flush()
print("--- as nobody", file=sys.stderr)
if os.geteuid() == 0:
    user = int(os.environ["DROP_TO"])
    os.setgroups([]); os.setgid(user); os.setuid(user)
if mode == "cli":
    sys.exit(cli(*paths))
for path in paths:
    try:
        load_routine(__import__("pathlib").Path(path))
    except RoutineError as exc:
        print(exc, file=sys.stderr)
"""


@dataclass
class Locked:
    good: Path
    """A readable file, used to warm the child up."""
    secret: Path
    """A file no one but root may read (mode 000)."""
    hidden: Path
    """A file inside a folder no one but root may search (mode 000)."""
    env: dict[str, str]


@pytest.fixture
def locked() -> Iterator[Locked]:
    env = dict(os.environ)
    if os.geteuid() == 0:
        try:
            env["DROP_TO"] = str(pwd.getpwnam("nobody").pw_uid)
        except KeyError:
            pytest.skip("running as root and there is no 'nobody' user to drop to")
    # Not tmp_path: its parent folder is private to root, so 'nobody' could not reach
    # even the readable file.
    base = Path(tempfile.mkdtemp(prefix="yogaback-locked-"))
    base.chmod(0o755)
    files = Locked(base / "good.yaml", base / "secret.yaml", base / "closed" / "r.yaml", env)
    files.hidden.parent.mkdir()
    for path in (files.good, files.secret, files.hidden):
        path.write_text(VALID)
        path.chmod(0o644)
    files.secret.chmod(0)
    files.hidden.parent.chmod(0)
    try:
        yield files
    finally:
        files.hidden.parent.chmod(0o755)
        shutil.rmtree(base)


def run_child(mode: str, files: Locked) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(files.good), str(files.secret), str(files.hidden)],
        capture_output=True,
        text=True,
        timeout=30,
        env=files.env,
        preexec_fn=_limit_memory,
    )
    return result.returncode, result.stderr.split("--- as nobody\n", 1)[-1]


def test_loader_reports_unreadable_files(locked: Locked) -> None:
    rc, stderr = run_child("load", locked)
    assert rc == 0, stderr
    assert stderr == (
        f"{locked.secret}:1:1: cannot read: Permission denied\n"
        "  hint: check the file's permissions\n"
        f"{locked.hidden}:1:1: cannot read: Permission denied\n"
    )


def test_cli_reports_unreadable_files(locked: Locked) -> None:
    rc, stderr = run_child("cli", locked)
    assert rc == 2
    assert "Traceback" not in stderr
    assert_reported(stderr, locked.secret, "1:1: cannot read: Permission denied")
    assert_reported(stderr, locked.hidden, "1:1: cannot read: Permission denied")


def test_table_ids_are_unique() -> None:
    assert len(set(HOSTILE_IDS)) == len(HOSTILE_IDS)
