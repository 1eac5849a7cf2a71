"""Small model objects shared by the unit tests."""

from __future__ import annotations

import shutil
import sys

from yogaback.practice.timeline import Timeline, compile_timeline
from yogaback.routine.model import OffsetCue, Pace, Phase, Pose, Routine, Step


def small() -> Timeline:
    """Four parts: a breath-counted seat, a hold with a timed cue, reps with a pause in
    the cycle, and a two-sided twist; breath pace 2 s + 2 s."""
    """part 0: 0-5 transition, 5-13 two breaths (2+2); part 1: 13-18 transition, 18-38 hold,
    38-48 hold; part 2: 48-53 transition, 53-65 reps (in 2, out 2, hold 2) x 2;
    parts 3, 4: 30 s holds right and left."""
    poses = {k: Pose(k.title(), setup=f"Come into {k}.") for k in ("seat", "fold", "cat", "twist")}
    steps = (
        Step(pose="seat", breaths=2, inhale="in", exhale="out"),
        Step(pose="fold", duration=30.0, cue="stay", cues=(OffsetCue(20.0, "soften"),)),
        Step(
            pose="cat",
            reps=2,
            cycle=(Phase("inhale", "arch"), Phase("exhale", "round"), Phase("hold", "pause")),
        ),
        Step(pose="twist", duration=30.0, cue="twist {side}", sides=("right", "left")),
    )
    return compile_timeline(Routine(title="Small", poses=poses, steps=steps, pace=Pace(2.0, 2.0)))


YOGABACK = [shutil.which("yogaback") or sys.executable]
"""The command that runs yogaback: the console script, or ``python -m yogaback``."""
if YOGABACK[0] == sys.executable:
    YOGABACK += ["-m", "yogaback"]

TEST_BREAK = """\
version: 1
title: Test break
summary: A tiny routine for the player's tests.
safety:
  - Ease off at any sharp pain.
  - Keep the weight off your neck.
pace:
  inhale: 2s
  exhale: 2s
transition: 2s
poses:
  easy-seat:
    name: Easy seat
    setup: Sit tall.
  cat-cow:
    name: Cat–cow
    setup: Come onto hands and knees.
  thread-the-needle:
    name: Thread the needle
    setup: Slide one arm under your chest.
steps:
  - pose: easy-seat
    breaths: 2
    cue: Let your shoulders drop away from your ears.
  - pose: cat-cow
    reps: 2
    inhale: Lift your chest and tailbone.
    exhale: Round your back and let your head hang.
  - pose: thread-the-needle
    duration: 30s
    sides: both
    cue: Rest your {side} shoulder on the mat.
    cues:
      - at: 15s
        say: Let your breath widen your ribs.
"""
"""Four parts, 84 s: Easy seat (10 s), Cat–cow (10 s), Thread the needle right / left (32 s)."""
