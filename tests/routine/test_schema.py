"""The JSON Schema: printed by 'yogaback schema', committed as schema/routine.schema.json,
accepted by a third-party validator, and in agreement with our own loader.

The schema is for editors (yaml-language-server); the loader is the authority.
Both come from one description in routine_format, and these tests hold them to
the same verdict on the shipped routines and on the typical mistakes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, SEQUENCES
from yogaback.errors import RoutineError
from yogaback.routine.format import schema
from yogaback.routine.load import load_routine

SCHEMA_FILE = ROOT / "schema" / "routine.schema.json"
STARTER = ROOT / "src" / "yogaback" / "routine" / "starter.yaml"
SHIPPED = [*sorted(SEQUENCES.glob("*.yaml")), STARTER]

needs_checker = pytest.mark.skipif(
    shutil.which("check-jsonschema") is None,
    reason="check-jsonschema is not installed (pip install -e '.[dev]')",
)


def check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["check-jsonschema", *map(str, args)], capture_output=True, text=True, timeout=60
    )


VALID = """\
title: T
poses: {cat: {name: Cat}}
steps:
  - pose: cat
    duration: 30s
"""

# (id, file text, our loader's problem as "LINE:COL: message", check-jsonschema's error line)
MISTAKES: list[tuple[str, str, str, str]] = [
    (
        "unknown-key",
        VALID + "    hold_for: 30s\n",
        "6:5: unknown key 'hold_for' in step",
        "$.steps[0]: Additional properties are not allowed ('hold_for' was unexpected)",
    ),
    (
        "wrong-type",
        VALID.replace("title: T", "title: [T]"),
        "1:8: expected text, got a list",
        "$.title: ['T'] is not of type 'string'",
    ),
    (
        "missing-title",
        VALID.replace("title: T\n", ""),
        "1:1: routine is missing required key 'title'",
        "$: 'title' is a required property",
    ),
    (
        "duration-no-unit",
        VALID.replace("30s", "abc"),
        "5:15: 'abc' is not a duration",
        "$.steps[0].duration: 'abc' is not valid under any of the given schemas",
    ),
    (
        "duration-and-reps",
        VALID + "    reps: 3\n    inhale: Up.\n    exhale: Down.\n",
        "6:11: give only one of duration, reps",
        "$.steps[0]: {'pose': 'cat', 'duration': '30s', 'reps': 3, 'inhale': 'Up.', "
        "'exhale': 'Down.'} is valid under each of {'required': ['reps']}, "
        "{'required': ['duration']}",
    ),
    (
        "unknown-style",
        "style: flwo\n" + VALID,
        "1:8: 'flwo' is not one of",
        "$.style: 'flwo' is not one of",
    ),
    (
        "bad-pose-id",
        VALID.replace("{cat: {name: Cat}}", "{Cat Cow: {name: Cat}, cat: {name: C}}"),
        "2:9: 'Cat Cow' is not a valid name",
        "$.poses: 'Cat Cow' does not match",
    ),
    (
        "version-2",
        "version: 2\n" + VALID,
        "1:10: unsupported format version 2",
        "$.version: 1 was expected",
    ),
    (
        "no-steps",
        VALID.split("steps:")[0] + "steps: []\n",
        "3:8: needs at least 1 item(s)",
        "$.steps: [] should be non-empty",
    ),
    (
        "sound-number",
        VALID + "sounds: {pose: 3}\n",
        "6:16: expected the path of a .wav file, or false, got a number (3)",
        "$.sounds.pose: 3 is not valid under any of the given schemas",
    ),
    (
        "sound-event",
        VALID + "sounds: {bong: x.wav}\n",
        "6:10: unknown key 'bong' in sounds",
        "$.sounds: Additional properties are not allowed ('bong' was unexpected)",
    ),
]
MISTAKE_IDS = [row[0] for row in MISTAKES]


def test_schema_command_prints_the_committed_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "yogaback", "schema"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "schema/routine.schema.json is stale: run 'yogaback schema > schema/routine.schema.json'"
    )
    assert json.loads(result.stdout) == schema()


def test_schema_names_its_draft_and_every_definition() -> None:
    doc = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["required"] == ["title", "poses", "steps"]
    refs = {r.removeprefix("#/$defs/") for r in _refs(doc)}
    assert (
        refs
        == set(doc["$defs"])
        == {"pace", "pose", "figure", "phase", "offset_cue", "step", "group", "sounds", "exit"}
    )


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


@needs_checker
def test_schema_is_a_valid_json_schema() -> None:
    result = check_jsonschema("--check-metaschema", SCHEMA_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_checker
def test_checker_accepts_the_shipped_routines() -> None:
    assert STARTER in SHIPPED
    result = check_jsonschema("--schemafile", SCHEMA_FILE, *SHIPPED)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_loader_accepts_the_shipped_routines(path: Path) -> None:
    assert load_routine(path).title


def write_mistakes(folder: Path) -> list[Path]:
    paths = []
    for name, text, _, _ in MISTAKES:
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@needs_checker
def test_checker_rejects_each_typical_mistake(tmp_path: Path) -> None:
    """One call over a good file and every mistake: each mistake, and only they, fail."""
    good = tmp_path / "good.yaml"
    good.write_text(VALID, encoding="utf-8")
    paths = write_mistakes(tmp_path)
    result = check_jsonschema("--schemafile", SCHEMA_FILE, good, *paths)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "good.yaml" not in result.stdout
    for path, (_, _, _, expected) in zip(paths, MISTAKES, strict=True):
        assert f"  {path}::{expected}" in result.stdout, (path.name, result.stdout)


@pytest.mark.parametrize(
    ("text", "expected"), [(row[1], row[2]) for row in MISTAKES], ids=MISTAKE_IDS
)
def test_loader_rejects_each_typical_mistake(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    got = [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]
    assert any(g.startswith(expected) for g in got), got


def test_valid_file_is_accepted_by_both(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(VALID, encoding="utf-8")
    assert load_routine(path).title == "T"
    assert schema_errors(VALID) == []


# --- agreement, in-process, on more cases ---------------------------------------------------


def schema_errors(text: str) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema())
    return [e.message for e in validator.iter_errors(yaml.safe_load(text))]


def loader_accepts(tmp_path: Path, text: str) -> bool:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_routine(path)
    except RoutineError:
        return False
    return True


STEP = "title: T\nposes: {cat: {name: Cat}}\nsteps:\n  - pose: cat\n"
AGREE: list[tuple[str, str, bool]] = [
    ("duration-seconds-number", STEP + "    duration: 45\n", True),
    ("duration-minutes-seconds", STEP + "    duration: 1m30s\n", True),
    ("duration-hours", STEP + "    duration: 1h\n", True),
    ("breaths", STEP + "    breaths: 4\n", True),
    ("reps-with-cues", STEP + "    reps: 4\n    inhale: Up.\n    exhale: Down.\n", True),
    ("reps-with-cycle", STEP + "    reps: 2\n    cycle: [{inhale: Up.}, {hold: Stay.}]\n", True),
    ("sides-list", STEP + "    duration: 30s\n    sides: [left, right]\n", True),
    (
        "group",
        "title: T\nposes: {cat: {name: Cat}}\nsteps:\n  - group: G\n    steps:\n"
        "      - {pose: cat, duration: 30s}\n",
        True,
    ),
    (
        "pace-and-transition",
        "pace: {inhale: 4s, exhale: 6s}\ntransition: 0s\n" + STEP + "    breaths: 2\n",
        True,
    ),
    ("duration-negative-number", STEP + "    duration: -5\n", False),
    ("duration-zero-number", STEP + "    duration: 0\n", False),
    ("duration-word", STEP + "    duration: long\n", False),
    ("duration-too-long", STEP + "    duration: 50000\n", False),
    ("no-length", STEP + "    cue: Hi.\n", False),
    ("breaths-zero", STEP + "    breaths: 0\n", False),
    ("breaths-text", STEP + "    breaths: many\n", False),
    ("sides-word", STEP + "    duration: 30s\n    sides: up\n", False),
    ("sides-repeated", STEP + "    duration: 30s\n    sides: [left, left]\n", False),
    ("sides-empty", STEP + "    duration: 30s\n    sides: []\n", False),
    ("rest-word", STEP + "    duration: 30s\n    rest: maybe\n", False),
    (
        "cycle-and-inhale",
        STEP + "    reps: 2\n    inhale: Up.\n    cycle: [{exhale: Down.}]\n",
        False,
    ),
    ("phase-empty", STEP + "    reps: 2\n    cycle: [{length: 4s}]\n", False),
    ("phase-two-kinds", STEP + "    reps: 2\n    cycle: [{inhale: Up., exhale: Down.}]\n", False),
    ("cue-without-say", STEP + "    duration: 30s\n    cues: [{at: 10s}]\n", False),
    (
        "pose-without-name",
        "title: T\nposes: {cat: {setup: x}}\nsteps: [{pose: cat, breaths: 2}]\n",
        False,
    ),
    ("pace-missing-exhale", "pace: {inhale: 4s}\n" + STEP + "    breaths: 2\n", False),
    ("group-without-steps", "title: T\nposes: {cat: {name: Cat}}\nsteps:\n  - group: G\n", False),
    (
        "empty-title",
        "title: ''\nposes: {cat: {name: Cat}}\nsteps: [{pose: cat, breaths: 2}]\n",
        False,
    ),
    ("top-level-list", "- title: T\n", False),
]


@pytest.mark.parametrize(
    ("text", "valid"), [row[1:] for row in AGREE], ids=[row[0] for row in AGREE]
)
def test_schema_and_loader_agree(tmp_path: Path, text: str, valid: bool) -> None:
    assert loader_accepts(tmp_path, text) is valid
    assert (schema_errors(text) == []) is valid


def test_schema_rejects_a_zero_length_written_as_text(tmp_path: Path) -> None:
    text = STEP + "    duration: 0s\n"
    assert not loader_accepts(tmp_path, text)
    assert schema_errors(text) != []
