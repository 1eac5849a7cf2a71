"""Speech heard in real time: a short routine played at speed 1 through ALSA's file plugin
into a FIFO, read at 44.1 kHz (``devtools.audio.FifoCapture``), and the speech levels."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from devtools.audio import FifoCapture, stretches

from yogaback.sound.library import builtin_dir
from yogaback.sound.loudness import lufs
from yogaback.sound.mixer import THRESHOLD
from yogaback.sound.pcm import load_wav
from yogaback.sound.voice import Voice

needs_flite = pytest.mark.skipif(shutil.which("flite") is None, reason="needs flite")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ALSA")

LISTEN = """\
version: 1
title: Listen
pace: {inhale: 3s, exhale: 3s}
transition: 2s
poses:
  seat:
    name: Seat
    setup: Sit tall and let your shoulders drop.
steps:
  - pose: seat
    reps: 1
    inhale: Breathe in and lift your chest.
    exhale: Breathe out and soften.
"""
TOLERANCE = 0.15
"""Seconds: the capture's clock against the events log's (after aligning the first clip).
The log says when a clip was handed to the output; the capture hears it after the
output's buffer (none when the device has just started, about 0.1 s once it runs)."""


@needs_flite
@linux_only
def test_speech_at_speed_1_never_overlaps_and_the_events_log_agrees(tmp_path: Path) -> None:
    routine = tmp_path / "listen.yaml"
    routine.write_text(LISTEN)
    events = tmp_path / "events.jsonl"
    capture = FifoCapture(tmp_path, tmp_path / "home")
    silent = [f"--sound={e}=off" for e in ("pose", "switch", "inhale", "exhale", "halfway", "end")]
    done = subprocess.run(
        [
            *(sys.executable, "-m", "yogaback", "play", str(routine), "--plain", "--voice"),
            *("--voice-engine", "flite", "--volume", "100", "--events", str(events)),
            *silent,
        ],
        env={**capture.env, "YOGABACK_HOME": str(tmp_path / "yb")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    heard = capture.stop()
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in events.read_text().splitlines()]
    clips = [line for line in lines if line["kind"] == "speech"]
    segments = [line for line in lines if line["kind"] == "segment"]
    assert [c["text"] for c in clips] == [
        "Sit tall and let your shoulders drop.",
        "Breathe in and lift your chest.",
        "Breathe out and soften.",
    ]
    # the log: one clip at a time, 0.2 s apart, each before the next segment's words
    for a, b in itertools.pairwise(clips):
        assert b["actual"] >= a["actual"] + a["length"] + 0.2 - 0.001
    assert clips[0]["at"] + clips[0]["length"] <= segments[1]["at"]
    # the capture: speech only (every other sound is off), never clipped
    assert heard.samples and max(map(abs, heard.samples)) <= THRESHOLD
    found = stretches(heard.samples, min_gap=0.15)
    assert found
    zero = heard.time_of(found[0].start) - clips[0]["actual"]
    spans = [(c["actual"], c["actual"] + c["length"]) for c in clips]
    for stretch in found:  # everything heard lies inside one logged clip
        start = heard.time_of(stretch.start) - zero
        end = heard.time_of(stretch.end - 1) - zero
        assert any(a - TOLERANCE <= start and end <= b + TOLERANCE for a, b in spans), (
            start,
            end,
            spans,
        )
    for a, _ in spans:  # and each logged clip is heard when the log says
        onsets = [heard.time_of(s.start) - zero for s in found]
        assert min(abs(t - a) for t in onsets) <= TOLERANCE, (a, onsets)


@needs_flite
def test_speech_is_loudest_the_bowl_3_db_under_and_breath_10_db_under_that(
    tmp_path: Path,
) -> None:
    voice = Voice(engine="flite", cache=tmp_path)
    clip = voice.render("Sit tall and let your shoulders drop. Breathe in and lift your chest.")
    speech = lufs(clip.samples(), 44100)
    bowl = lufs(load_wav(builtin_dir() / "pose.wav", "pose").samples(), 44100)
    breath = lufs(load_wav(builtin_dir() / "inhale.wav", "inhale").samples(), 44100)
    assert speech - bowl == pytest.approx(3.0, abs=2.0)
    assert bowl - breath == pytest.approx(10.0, abs=2.0)
    # and at a calm pace: words a minute measured on the clip
    assert 115 <= 13 / clip.seconds * 60 <= 135
