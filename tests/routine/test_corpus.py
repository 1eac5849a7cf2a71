"""Every document of the YAML test suite, fed in as a routine, ends in a located error.

None of them is a routine, many are not even valid YAML, and some are built to
trip parsers up. Each must end in RoutineError (exit code 2 from the CLI) whose
problems all carry a line, a column and a message: no other exception, no
traceback, no hang. The corpus sits beside the repository in ../shared/corpus
(see its README.md).
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import SHARED
from yogaback.errors import RoutineError
from yogaback.routine import nodes as yamlnodes
from yogaback.routine.load import load_routine

CORPUS = SHARED / "corpus" / "yaml-test-suite"
CASES = sorted(CORPUS.rglob("in.yaml")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(
    not CASES,
    reason=f"YAML test suite corpus not found at {CORPUS} (CI clones ../shared beside the repo)",
)


def case_id(path: Path) -> str:
    return path.parent.relative_to(CORPUS).as_posix()


@pytest.fixture(params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both YAML parsers: libyaml, and PyYAML's pure-Python fallback used when it is missing."""
    if request.param == "libyaml":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("PyYAML is built without libyaml")
        monkeypatch.setattr(yamlnodes, "_Loader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(yamlnodes, "_Loader", yaml.SafeLoader)
    return str(request.param)


@needs_corpus
@pytest.mark.parametrize("path", CASES, ids=[case_id(p) for p in CASES])
def test_case_ends_in_a_located_error(path: Path, parser: str) -> None:
    try:
        load_routine(path)
    except RoutineError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path == str(path)
            assert problem.line >= 1
            assert problem.column >= 1
            assert problem.message.strip()
            assert "Traceback" not in problem.message
    else:
        pytest.fail(f"{case_id(path)} loaded as a valid routine")


@needs_corpus
def test_corpus_is_the_whole_suite() -> None:
    """Guard against a half-copied corpus silently shrinking the test."""
    assert len(CASES) >= 350
    assert sum((p.parent / "error").exists() for p in CASES) >= 80


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@needs_corpus
def test_cli_validates_the_whole_corpus_in_one_call() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "yogaback", "validate", *map(str, CASES)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # nothing was valid
    missing = [
        case_id(p)
        for p in CASES
        if not re.search(rf"^{re.escape(str(p))}:\d+:\d+: \S", result.stderr, re.MULTILINE)
    ]
    assert missing == []
    assert result.stderr.rstrip().endswith(f"{len(CASES)} of {len(CASES)} files have problems")
