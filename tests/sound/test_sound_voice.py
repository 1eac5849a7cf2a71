"""Spoken cues (--voice): rendering with espeak-ng into a cache, and what gets said when."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from devtools.audio import capture_files, read_raw

from builders import TEST_BREAK
from yogaback.practice.player import Player
from yogaback.practice.timeline import compile_timeline
from yogaback.routine.load import load_routine
from yogaback.sound import engines
from yogaback.sound.engines import Options
from yogaback.sound.library import EVENTS
from yogaback.sound.pcm import MAX_SECONDS, Sound
from yogaback.sound.sink import SoundSettings, SoundSink, open_sound
from yogaback.sound.voice import SPEECH_SECONDS, Voice, VoiceUnavailable

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None and not os.environ.get("CI"),
    reason="needs espeak-ng (CI installs it)",
)

ROUTINE = """\
version: 1
title: Voice test
pace: {inhale: 4s, exhale: 4s}
transition: 3s
poses:
  a:
    name: Pose A
    setup: Lie down.
steps:
  - pose: a
    reps: 3
    inhale: Up.
    exhale: Down.
  - pose: a
    duration: 20s
    cue: Rest here.
"""


class Recorder(engines.SilentEngine):
    """Keeps every sound it is given; otherwise the silent engine."""

    name = "recorder"

    def __init__(self, options: Options) -> None:
        self.options = options
        self.played: list[Sound] = []

    def play(self, sound: Sound, tag: int) -> None:
        self.played.append(sound)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(engines.ENGINES, "recorder", Recorder)
    yield


@needs_espeak
def test_render_once_then_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    voice = Voice(cache=tmp_path)
    clip = voice.render("Breathe in.")
    assert 0.3 < clip.seconds < 3
    (cached,) = tmp_path.glob("*.wav")
    with monkeypatch.context() as m:
        m.setattr(subprocess, "run", None)  # would fail if it tried to render
        assert Voice(cache=tmp_path).render("Breathe in.").data == clip.data
    cached.write_bytes(b"damaged")
    assert Voice(cache=tmp_path).render("Breathe in.").data == clip.data  # rendered again
    assert cached.read_bytes()[:4] == b"RIFF"


def test_no_espeak_is_a_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(VoiceUnavailable, match="no speech engine is installed"):
        Voice(cache=tmp_path)
    with pytest.raises(VoiceUnavailable, match=r"^espeak-ng is not installed$"):
        Voice(engine="espeak-ng", cache=tmp_path)
    sink = open_sound(SoundSettings(engine="silent", voice="", voice_cache=tmp_path))
    assert sink is not None
    assert sink.ready(2.0) == (
        "voice: no speech engine is installed (flite, festival or espeak-ng); cues are not spoken"
    )
    sink.close()


@needs_espeak
def test_each_cue_text_is_planned_once_per_part_and_said_one_at_a_time(
    tmp_path: Path, recorder: None
) -> None:
    from yogaback.practice.session import Session
    from yogaback.practice.speech import fit_speech

    path = tmp_path / "voice.yaml"
    path.write_text(ROUTINE)
    voice = Voice(engine="espeak-ng", cache=tmp_path / "cache")
    timeline = fit_speech(compile_timeline(load_routine(path)), voice.length)
    sounds = {e: Sound(e, bytes(200)) for e in EVENTS}
    sink = SoundSink(sounds, engine="recorder", voice=voice)
    sink.prepare(timeline)
    sink.ready()
    # each text once per part (a repetition's cues only on its first breath)
    planned = [c.text for n in sorted(sink.plan) for c in sink.plan[n]]
    assert planned == ["Lie down.", "Up.", "Down.", "Lie down.", "Rest here."]
    lines: list[dict[str, object]] = []
    sink.on_speech = lines.append
    session = Session(Player(timeline, speed=20.0), sinks=[sink])
    session.run()
    time.sleep(0.3)
    sink.close(drain=True)
    engine = sink.worker.engine
    assert isinstance(engine, Recorder)
    spoken = {clip.data: text for text, clip in voice.clips.items()}
    said = [spoken.get(s.data, s.name) for s in engine.played]
    # at 20 times the speed the words cannot keep up: those with no room are left out,
    # never spoken over one another, and each line says which
    assert [t for t in said if t not in EVENTS] == [
        line["text"] for line in lines if line["actual"] is not None
    ]
    assert [line["text"] for line in lines] == planned
    for line in lines:
        assert line["actual"] is not None or line["dropped"] == "no room after the clip before"
    played = [line for line in lines if line["actual"] is not None]
    for a, b in itertools.pairwise(played):
        end = float(a["actual"]) + float(a["length"])  # type: ignore[arg-type]
        assert float(b["actual"]) >= end + 0.2 - 0.001  # type: ignore[arg-type]
    assert [t for t in said if t in EVENTS] == ["pose"] + ["inhale", "exhale"] * 3 + [
        "pose",
        "end",
    ]


@needs_espeak
def test_speech_not_rendered_in_time_is_skipped(tmp_path: Path, recorder: None) -> None:
    voice = Voice(cache=tmp_path)
    sink = SoundSink({}, engine="recorder", voice=voice)
    sink.ready()
    voice.exe = "/bin/sleep"  # "rendering" never finishes in time
    sink.worker.submit_speech("Never ready.", time.monotonic())
    deadline = time.monotonic() + 2
    while not any(r.dropped for r in sink.records) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [r.dropped for r in sink.records] == ["not rendered in time"]
    sink.close()


@needs_espeak
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ALSA file plugin")
def test_spoken_words_reach_the_device_unchanged(tmp_path: Path) -> None:
    cap = tmp_path / "cap"
    cap.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(
        f'pcm.!default {{ type file; slave.pcm "null"; file "{cap}/cap_%r_%c_%b.raw"; '
        'format "raw"; truncate false }\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PULSE_", "ALSA_"))}
    env["HOME"] = str(home)
    text = "Switch sides: now the left side."
    subprocess.run(
        [
            *(sys.executable, "-m", "devtools.soundplay", "say", text, "--voice", "slt"),
            *("--voice-cache", str(tmp_path / "cache"), "--volume", "100", "--backend", "ALSA"),
        ],
        env=env,
        check=True,
        timeout=60,
    )
    captured = read_raw(capture_files(cap, "cap_44100_1_16.raw"))
    clip = Voice(name="slt", cache=tmp_path / "cache").render(text).samples()
    start = next(i for i, v in enumerate(captured) if v)
    lead = next(i for i, v in enumerate(clip) if v)
    assert captured[start : start + len(clip) - lead] == clip[lead:]


# --- a misbehaving speech engine ------------------------------------------------------------

FAKES = {
    # hangs until killed
    "hangs": "exec sleep 1000",
    # leaves a grandchild behind, then hangs
    "grandchild": "sleep 1000 &\nexec sleep 1000",
    # leaves a grandchild behind, then fails
    "fails": "sleep 1000 &\necho 'voice en not found' >&2\nexit 1",
    # prints binary garbage instead of writing the WAV, leaves a grandchild
    "garbage": "sleep 1000 &\nprintf '\\001\\002\\377garbage\\033[2J'",
}


def fake_espeak(folder: Path, kind: str, marker: str) -> None:
    script = folder / "espeak-ng"
    # Everything it starts carries the marker in its environment.
    script.write_text(f"#!/bin/sh\nexport YOGABACK_TEST_MARK={marker}\n{FAKES[kind]}\n")
    script.chmod(0o755)


def processes_with(marker: str) -> list[str]:
    """Command lines of the running (not zombie) processes whose environment carries
    ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if f"YOGABACK_TEST_MARK={marker}".encode() in environ and state != "Z":
            found.append(cmdline)
    return found


def wait_until(test: object, seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    while not test() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.01)


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@linux_only
@pytest.mark.parametrize("kind", list(FAKES))
def test_a_bad_engine_leaves_no_process_and_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    marker = f"yogaback-test-{kind}-{os.getpid()}-{time.monotonic_ns()}"
    fake_espeak(tmp_path, kind, marker)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    voice = Voice(engine="espeak-ng", cache=tmp_path / "cache", timeout=0.3)
    voice.prepare(["One.", "Two.", "Three."])
    wait_until(lambda: voice.failure is not None)
    voice.close()
    wait_until(lambda: not processes_with(marker))
    assert processes_with(marker) == []
    engine_said = {
        "hangs": "espeak-ng gave no answer within 0.3 s",
        "grandchild": "espeak-ng gave no answer within 0.3 s",
        "fails": "espeak-ng failed (voice en not found)",
        "garbage": "espeak-ng wrote no usable speech",
    }[kind]
    assert voice.failure == f"voice: {engine_said}; the session goes on without spoken cues"
    assert voice.clips == {} and voice.errors == []  # not once per cue


@linux_only
def test_closing_the_voice_kills_a_render_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = f"yogaback-test-close-{os.getpid()}-{time.monotonic_ns()}"
    fake_espeak(tmp_path, "grandchild", marker)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    # the real limit (RENDER_TIMEOUT): closing must not wait
    voice = Voice(engine="espeak-ng", cache=tmp_path / "cache")
    voice.prepare(["One."])
    wait_until(lambda: len(processes_with(marker)) == 2)
    assert len(processes_with(marker)) == 2
    voice.close()
    wait_until(lambda: not processes_with(marker))
    assert processes_with(marker) == []
    assert voice.failure is None  # stopped on purpose: nothing to report


@linux_only
@pytest.mark.parametrize("kind", ["grandchild", "fails", "garbage"])
def test_yogaback_leaves_no_speech_process_behind_and_says_why_once(
    tmp_path: Path, kind: str
) -> None:
    marker = f"yogaback-test-play-{kind}-{os.getpid()}-{time.monotonic_ns()}"
    fake_espeak(tmp_path, kind, marker)
    routine = tmp_path / "break.yaml"
    routine.write_text(TEST_BREAK)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [
            *(sys.executable, "-m", "yogaback", "play", routine, "--plain", "--speed", "200"),
            *("--voice", "--voice-engine", "espeak-ng", "--sound-engine", "silent"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    wait_until(lambda: not processes_with(marker))
    assert processes_with(marker) == []
    assert "Traceback" not in done.stderr
    # the wait for the first renders is said, not silent
    assert done.stderr.startswith("Preparing 10 spoken cues with espeak-ng"), done.stderr
    said = [line for line in done.stderr.splitlines() if "voice" in line]
    # every cue is rendered before the session starts, so a hung engine is given up at its
    # time limit, and said so once
    assert len(said) == 1, done.stderr
    assert said[0].startswith("voice: espeak-ng ")
    assert said[0].endswith("; the session goes on without spoken cues")


@needs_espeak
def test_a_cue_longer_than_a_cue_sound_is_still_spoken(tmp_path: Path) -> None:
    text = " ".join(
        f"Sentence {n}: let the shoulder blades slide down and apart as you breathe."
        for n in range(1, 5)
    )
    clip = Voice(cache=tmp_path).render(text)
    assert MAX_SECONDS < clip.seconds < SPEECH_SECONDS


@pytest.mark.parametrize(
    ("style", "files"),
    [("swell", "inhale.wav"), ("tick", "inhale-tick.wav"), ("off", None)],
)
def test_the_breath_setting_picks_swells_ticks_or_silence(style: str, files: str | None) -> None:
    from yogaback.sound.library import builtin_dir, load_sounds
    from yogaback.sound.pcm import load_wav

    sounds = load_sounds(100, breath=style)
    if files is None:
        assert "inhale" not in sounds and "exhale" not in sounds
        assert "pose" in sounds
        return
    assert sounds["inhale"].data == load_wav(builtin_dir() / files, "inhale").data
    exhale = files.replace("inhale", "exhale")
    assert sounds["exhale"].data == load_wav(builtin_dir() / exhale, "exhale").data
    assert sounds["pose"].data == load_wav(builtin_dir() / "pose.wav", "pose").data


def test_a_bad_breath_style_is_one_line_and_exit_2(tmp_path: Path) -> None:
    routine = tmp_path / "break.yaml"
    routine.write_text(TEST_BREAK)
    done = subprocess.run(
        [sys.executable, "-m", "yogaback", "play", routine, "--plain", "--breath", "swel"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == "yogaback: --breath: breath 'swel' is not a breath sound style\n"


@pytest.mark.skipif(shutil.which("flite") is None, reason="needs flite")
def test_the_events_log_has_a_line_per_spoken_clip(tmp_path: Path) -> None:
    import json

    routine = tmp_path / "break.yaml"
    routine.write_text(TEST_BREAK)
    events = tmp_path / "events.jsonl"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "yogaback", "play", routine, "--plain", "--speed", "50"),
            *("--voice", "--voice-engine", "flite", "--sound-engine", "silent"),
            *("--events", events),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in events.read_text().splitlines()]
    spoken = [line for line in lines if line["kind"] == "speech"]
    segments = {line["index"]: line for line in lines if line["kind"] == "segment"}
    assert spoken
    first = spoken[0]
    assert set(first) >= {"at", "length", "text", "engine", "scheduled", "actual"}
    assert first["engine"] == "flite" and first["actual"] is not None
    # the first clip: 1 s (routine) after the first segment's start, said on the same clock
    assert first["at"] == pytest.approx(segments[0]["at"] + 1.0)
    assert first["scheduled"] == pytest.approx(segments[0]["scheduled"] + 1.0 / 50, abs=1e-4)
    assert first["actual"] >= first["scheduled"]
    # a transition is as long as its spoken words after the bowl, and a breath more
    assert segments[0]["length"] >= 1.0 + first["length"] + 3.0
