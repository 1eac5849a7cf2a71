"""Sound for real, without a sound card: ALSA's ``file`` plugin records what is played.

Each test runs a real session (real clock, high ``--speed``) with the sound sink
in a subprocess whose HOME holds an ``.asoundrc`` that sends ALSA's default
device to a raw file. ALSA's null device consumes samples much faster than real
time, so what is compared is the sequence of non-silent stretches, their lengths
and pitches, never wall-clock times.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from devtools import audio as analysis
from devtools.audio import (
    Stretch,
    alsa_env,
    capture_files,
    dominant_frequency,
    read_raw,
    stretches,
)

from yogaback.sound.library import load_sounds

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="ALSA's file plugin is Linux only"
)

ROUTINE = """\
version: 1
title: Sound capture
pace: {inhale: 4s, exhale: 4s}
transition: 3s
poses:
  a:
    name: Pose A
    setup: Lie down.
  b:
    name: Pose B
    setup: Sit on your {side} hip.
steps:
  - pose: a
    reps: 2
    inhale: Up.
    exhale: Down.
  - pose: b
    duration: 70s
    sides: both
    cue: Stay.
  - pose: a
    duration: 20s
"""
EXPECTED = [
    "pose",
    "inhale",
    "exhale",
    "inhale",
    "exhale",
    "pose",
    "halfway",
    "switch",
    "halfway",
    "pose",
    "end",
]
STEM = "cap_44100_1_16.raw"
SPEED = "60"
MIXING_SPEED = "10"
"""For the engine that mixes: ALSA's null device takes samples faster than real time, but
on a loaded machine (the suite's workers on two cores) not so fast that a 2.8 s breath
tone is through before the next cue at speed 60, 67 ms later: the two then mix into one
stretch. At 10 the next cue is 400 ms later."""


def capture_env(tmp_path: Path, path: str | None = None) -> tuple[dict[str, str], Path]:
    cap = tmp_path / "cap"
    env = analysis.capture_env(tmp_path / "home", cap)
    if path is not None:
        env["PATH"] = path
    return env, cap


def run_sound(
    tmp_path: Path, env: dict[str, str], *args: str, timeout: float = 60, speed: str = SPEED
) -> tuple[subprocess.CompletedProcess[str], dict[str, object], float]:
    routine = tmp_path / "capture.yaml"
    routine.write_text(ROUTINE)
    report = tmp_path / "report.json"
    t0 = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "devtools.soundplay",
            "play",
            str(routine),
            "--speed",
            speed,
            "--report",
            str(report),
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    wall = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    return proc, json.loads(report.read_text()), wall


def compare(captured: Sequence[int], found: Sequence[Stretch], volume: int) -> None:
    """Each stretch is the expected sound: same length (to 10 ms), pitch (2 %), level (2 %)."""
    reference = load_sounds(volume)
    assert len(found) == len(EXPECTED), [round(s.seconds, 3) for s in found]
    for event, got in zip(EXPECTED, found, strict=True):
        ref = reference[event].samples()
        (want,) = stretches(ref)
        heard = captured[got.start : got.end]
        assert got.seconds == pytest.approx(want.seconds, abs=0.010), event
        assert dominant_frequency(heard) == pytest.approx(dominant_frequency(ref), rel=0.02), event
        assert max(heard) == pytest.approx(max(ref), rel=0.02, abs=2), event


def test_miniaudio_plays_each_cue_in_order(tmp_path: Path) -> None:
    env, cap = capture_env(tmp_path)
    args = ("--volume", "50", "--backend", "ALSA")
    proc, report, _ = run_sound(tmp_path, env, *args, speed=MIXING_SPEED)
    assert report["engine"] == "miniaudio"
    assert proc.stderr == ""
    sounds = report["sounds"]
    assert isinstance(sounds, list)
    assert [s["sound"] for s in sounds if not s["dropped"]] == EXPECTED
    files = capture_files(cap, STEM)
    assert len(files) == 1  # one device, opened once, paused between sounds
    captured = read_raw(files)
    compare(captured, stretches(captured), 50)
    # cues kept their time while sounds played
    cues = report["cues"]
    assert isinstance(cues, list)
    late = sorted(c["actual"] - c["scheduled"] for c in cues)
    assert late[int(len(late) * 0.95)] < 0.05


@pytest.mark.skipif(
    shutil.which("aplay") is None and not os.environ.get("CI"),
    reason="needs aplay (alsa-utils; CI installs it)",
)
def test_aplay_fallback_plays_each_cue_in_order(tmp_path: Path) -> None:
    env, cap = capture_env(tmp_path)
    _, report, _ = run_sound(tmp_path, env, "--volume", "100", "--engine", "aplay")
    assert report["engine"] == "aplay"
    files = capture_files(cap, STEM)
    assert len(files) == len(EXPECTED) + 1  # one run of aplay per sound, after the probe
    assert stretches(read_raw(files[:1])) == []  # the probe is silent
    per_file = [read_raw([f]) for f in files[1:]]
    captured = read_raw(files[1:])
    found: list[Stretch] = []
    offset = 0
    for samples in per_file:
        found += [Stretch(s.start + offset, s.end + offset) for s in stretches(samples)]
        offset += len(samples)
    compare(captured, found, 100)


def test_no_device_plays_silently_with_a_notice_and_no_alsa_chatter(tmp_path: Path) -> None:
    env = alsa_env(tmp_path / "home", "type hw; card 97", path=str(tmp_path / "empty-path"))
    proc, report, wall = run_sound(tmp_path, env, "--backend", "ALSA", timeout=30)
    assert report["engine"] == "silent"
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("sound: no audio device found (miniaudio: no ALSA output device")
    assert "system: no pw-play, paplay or aplay on PATH" in lines[0]
    assert lines[0].endswith("playing without sound")
    assert "ALSA lib" not in proc.stderr
    cues = report["cues"]
    assert isinstance(cues, list) and len(cues) > 10
    assert wall < 15  # 209 s of routine at 60x, plus start-up: no hang


def test_a_corrupt_sound_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "gong.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    proc = subprocess.run(
        [sys.executable, "-m", "devtools.soundplay", "play", "--sound", f"end={bad}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        f"yogaback: --sound end={bad}: the end sound: sound file {bad} is not a WAV file"
    )
