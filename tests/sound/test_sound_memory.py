"""What sound costs in memory: the peak of a whole session with sound against without.

Each run is a fresh process (``python -m devtools.soundplay play``, real clock, high
``--speed``) under a small wrapper that reports the child's peak resident memory
(``ru_maxrss``, the kernel's VmHWM). ALSA's default device is sent to a file through
an ``.asoundrc`` (as in ``test_sound_capture.py``), so a device really opens. Sound
used to add about 22 MB (numpy imported by miniaudio, a volume table of Python ints,
int lists while loading, libpulse loaded with no server to talk to); now it adds
about 5 MB. The bound leaves room for other machines' libraries.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from devtools.audio import capture_env, capture_files

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="ALSA's file plugin is Linux only"
)

SOUND_COSTS_AT_MOST_MB = 12.0

ROUTINE = """\
version: 1
title: Memory
pace: {inhale: 2s, exhale: 2s}
transition: 1s
poses:
  a: {name: Pose A}
steps:
  - pose: a
    reps: 2
    inhale: Up.
    exhale: Down.
  - pose: a
    duration: 10s
    sides: both
"""

PEAK = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[1:])\n"
    "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def peak_mb(tmp_path: Path, *extra: str) -> float:
    env = capture_env(tmp_path / "home", tmp_path)
    routine = tmp_path / "memory.yaml"
    routine.write_text(ROUTINE)
    report = tmp_path / "report.json"
    args = [sys.executable, "-m", "devtools.soundplay", "play", str(routine), "--speed", "100"]
    args += ["--report", str(report), *extra]
    proc = subprocess.run(
        [sys.executable, "-c", PEAK, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    rc, maxrss = proc.stdout.split()
    assert rc == "0", proc.stderr
    return int(maxrss) / 1024


def test_sound_adds_little_to_the_peak_memory_of_a_session(tmp_path: Path) -> None:
    with_sound = peak_mb(tmp_path / "with")
    caps = capture_files(tmp_path / "with", "cap_44100_1_16.raw")
    assert caps and caps[0].stat().st_size > 0  # a device really opened and played
    without = peak_mb(tmp_path / "without", "--no-sound")
    assert with_sound - without < SOUND_COSTS_AT_MOST_MB, (with_sound, without)
