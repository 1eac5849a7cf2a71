"""``yogaback sound test`` and ``yogaback doctor``, run for real in subprocesses.

Sound goes through ALSA's ``file`` plugin (see test_sound_capture.py): the HOME of
each subprocess holds an ``.asoundrc`` sending the default device to a raw file, and
what is compared is the sequence of non-silent stretches in that file. "No device"
is an ``.asoundrc`` naming a card that does not exist, with an empty PATH (no system
player). PulseAudio is pointed at a socket that does not exist so that, on a desktop,
miniaudio falls through to ALSA instead of the real speakers.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from devtools import audio as analysis
from devtools.audio import capture_files, read_raw, stretches

from yogaback.sound.library import EVENTS, load_sounds

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="ALSA's file plugin is Linux only"
)
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None and not os.environ.get("CI"),
    reason="needs espeak-ng (CI installs it)",
)
STEM = "cap_44100_1_16.raw"


def alsa_env(home: Path, pcm: str, path: str | None = None) -> dict[str, str]:
    env = analysis.alsa_env(home, pcm, path)
    env["PULSE_SERVER"] = f"unix:{home}/no-pulse-here"  # PulseAudio is tried, and fails
    return env


def capture_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    cap = tmp_path / "cap"
    env = analysis.capture_env(tmp_path / "home", cap)
    env["PULSE_SERVER"] = f"unix:{tmp_path / 'home'}/no-pulse-here"
    return env, cap


def no_device_env(tmp_path: Path) -> dict[str, str]:
    empty = tmp_path / "empty-path"
    empty.mkdir(exist_ok=True)
    return alsa_env(tmp_path / "home", "type hw; card 97", path=str(empty))


def yogaback(
    env: dict[str, str], *args: str, timeout: float = 30
) -> tuple[subprocess.CompletedProcess[str], float]:
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "yogaback", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return proc, time.monotonic() - t0


def event_lines(stdout: str) -> list[tuple[str, str]]:
    """(event, meaning) of each ``  N/6  EVENT  MEANING`` line, in order."""
    found = []
    for line in stdout.splitlines():
        parts = line.split(maxsplit=2)
        if len(parts) == 3 and parts[0].endswith(f"/{len(EVENTS)}"):
            meaning = parts[2].removesuffix("(silent)").strip()
            found.append((parts[1], meaning))
    return found


# --- sound test ---------------------------------------------------------------------------


@linux_only
def test_sound_test_plays_each_event_in_order_and_says_what_it_means(tmp_path: Path) -> None:
    env, cap = capture_env(tmp_path)
    proc, _ = yogaback(env, "sound", "test", "--volume", "50")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no ALSA chatter, no warnings
    lines = proc.stdout.splitlines()
    assert lines[0] == "Sound: miniaudio (ALSA backend).", proc.stdout
    assert event_lines(proc.stdout) == list(EVENTS.items())
    assert "not heard" not in proc.stdout
    assert lines[-1] == "Done: 6 of 6 sounds played."
    # what reached the device: the six sounds, in order, each whole, at volume 50
    captured = read_raw(capture_files(cap, STEM))
    found = stretches(captured)
    reference = load_sounds(50)
    assert len(found) == len(EVENTS), [round(s.seconds, 3) for s in found]
    for event, got in zip(EVENTS, found, strict=True):
        ref = reference[event].samples()
        (want,) = stretches(ref)
        assert got.seconds == pytest.approx(want.seconds, abs=0.010), event
        assert max(captured[got.start : got.end]) == pytest.approx(max(ref), rel=0.02), event


@linux_only
@needs_espeak
def test_sound_test_with_voice_speaks_a_sample_after_the_sounds(
    tmp_path: Path, yogaback_home: Path
) -> None:
    env, cap = capture_env(tmp_path)
    proc, _ = yogaback(env, "sound", "test", "--voice")
    assert proc.returncode == 0, proc.stderr
    assert event_lines(proc.stdout) == list(EVENTS.items())
    spoken = [line for line in proc.stdout.splitlines() if line.strip().startswith("voice")]
    assert len(spoken) == 1 and "words a minute" in spoken[0], proc.stdout
    found = stretches(read_raw(capture_files(cap, STEM)))
    assert len(found) > len(EVENTS)  # the six sounds, then words
    speech = found[len(EVENTS) :]
    assert sum(s.seconds for s in speech) > 0.5
    # the voice cache went to YOGABACK_HOME's cache folder, like every other folder
    assert list((yogaback_home / "cache" / "voice").glob("*.wav"))
    assert not (tmp_path / "home" / ".cache" / "yogaback").exists()


@linux_only
def test_sound_test_without_a_device_says_it_is_silent_and_exits_0_quickly(
    tmp_path: Path,
) -> None:
    proc, wall = yogaback(no_device_env(tmp_path), "sound", "test", "--voice")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "ALSA lib" not in proc.stderr
    first = proc.stdout.splitlines()[0]
    assert first.startswith("Sound: no audio device found (miniaudio: no ")
    assert "ALSA output device" in first
    assert "system: no pw-play, paplay or aplay on PATH" in first
    assert first.endswith("falling back to silence: nothing will be heard.")
    assert event_lines(proc.stdout) == list(EVENTS.items())
    assert proc.stdout.count("(silent)") == len(EVENTS)
    # no speech engine is on this PATH either
    assert (
        "voice: no speech engine is installed (flite, festival or espeak-ng); no sample spoken."
        in proc.stdout
    )
    assert "yogaback doctor" in proc.stdout
    assert wall < 10


def test_sound_test_with_an_unknown_engine_exits_2_without_a_traceback(tmp_path: Path) -> None:
    proc, _ = yogaback(dict(os.environ), "sound", "test", "--sound-engine", "nope")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("yogaback: unknown sound engine 'nope'; choose auto, ")
    assert len(proc.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "example"),
    [(["sound", "test"], "yogaback sound test"), (["doctor"], "yogaback doctor")],
)
def test_help_ends_with_an_example(args: list[str], example: str) -> None:
    proc, _ = yogaback(dict(os.environ, COLUMNS="100"), *args, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Usage: ")
    assert f"{' '.join(args)} [OPTIONS]" in proc.stdout.splitlines()[0]
    assert f"Example: {example}" in proc.stdout


# --- doctor -------------------------------------------------------------------------------


def check_place(place: dict[str, Any], path: Path, exists: bool, writable: bool) -> None:
    assert place["error"] is None
    assert Path(place["path"]) == path
    assert (place["exists"], place["writable"]) == (exists, writable)


@linux_only
def test_doctor_json_reports_every_area(tmp_path: Path, yogaback_home: Path) -> None:
    env, cap = capture_env(tmp_path)
    (yogaback_home / "journal.sqlite3").write_bytes(b"")
    proc, _ = yogaback(env, "doctor", "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    report = json.loads(proc.stdout)
    assert set(report) == {
        "yogaback",
        "sound",
        "devices",
        "speech",
        "terminal",
        "folders",
        "sounds",
    }

    chain = report["sound"]["chain"]
    assert [e["name"] for e in chain] == ["miniaudio", "system", "bell", "silent"]
    for entry in chain:
        assert entry["status"] in ("available", "unavailable")
        assert (entry["reason"] is None) == (entry["status"] == "available"), entry
        assert isinstance(entry["seconds"], float) and entry["seconds"] < 4
    assert [e["used"] for e in chain] == [True, False, False, False]
    assert chain[0]["detail"] == "ALSA backend"
    assert chain[2] == {**chain[2], "status": "unavailable", "in_default_chain": False}
    assert chain[2]["reason"] == "no terminal for the bell"  # stdout is a pipe
    assert report["sound"]["engine"] == "miniaudio"
    if shutil.which("aplay"):
        assert chain[1]["status"] == "available"
        assert chain[1]["detail"] == shutil.which("aplay")

    devices = report["devices"]
    assert devices["status"] == "ok" and devices["error"] is None
    assert devices["backend"] == "ALSA"
    assert devices["playback"] and all(isinstance(n, str) for n in devices["playback"])

    speech = report["speech"]
    names = ["flite", "festival", "espeak-ng", "say", "SAPI"]
    assert [s["name"] for s in speech["engines"]] == names
    flite = shutil.which("flite")
    assert speech["engines"][0]["found"] is (flite is not None)
    assert speech["engines"][0]["path"] == flite
    espeak = shutil.which("espeak-ng") or shutil.which("espeak")
    assert speech["engines"][2]["found"] is (espeak is not None)
    assert speech["engines"][2]["path"] == espeak
    if espeak:
        assert speech["engines"][2]["version"][0].isdigit()
    # the first engine found is the one --voice uses
    assert speech["used"] == next((s["name"] for s in speech["engines"] if s["found"]), None)
    assert [s["applies"] for s in speech["engines"]] == [True, True, True, False, False]
    assert speech["engines"][3]["reason"] == "macOS only"
    assert speech["engines"][4]["reason"] == "Windows only"

    term = report["terminal"]
    assert term["stdout_isatty"] is False and term["stdin_isatty"] is False
    assert term["no_color"] is True and term["color_system"] is None  # conftest sets NO_COLOR
    assert term["columns"] == 120  # conftest sets COLUMNS
    assert isinstance(term["lines"], int) and term["lines"] > 0
    assert term["term"] == os.environ.get("TERM")
    assert isinstance(term["encoding"], str) and isinstance(term["unicode"], bool)

    folders = report["folders"]
    assert set(folders) == {
        "home",
        "routines",
        "builtin_routines",
        "config",
        "journal",
        "voice_cache",
    }
    check_place(folders["home"], yogaback_home, True, True)
    assert folders["home"]["env"] == str(yogaback_home)
    check_place(folders["routines"], yogaback_home / "routines", False, True)
    check_place(folders["config"], yogaback_home / "config.toml", False, True)
    assert folders["config"]["problem"] is None
    check_place(folders["journal"], yogaback_home / "journal.sqlite3", True, True)
    check_place(folders["voice_cache"], yogaback_home / "cache" / "voice", False, True)
    assert (folders["voice_cache"]["files"], folders["voice_cache"]["bytes"]) == (0, 0)
    assert folders["voice_cache"]["cap"] > 0
    assert folders["builtin_routines"]["exists"] is True
    assert any(Path(folders["builtin_routines"]["path"]).glob("*.yaml"))

    # the probes open the device but play nothing audible
    assert stretches(read_raw(capture_files(cap, STEM))) == []


@linux_only
def test_doctor_table_never_hangs_on_a_player_that_hangs(
    tmp_path: Path, yogaback_home: Path
) -> None:
    env = no_device_env(tmp_path)
    bin_dir = Path(env["PATH"])
    for name in ("pw-play", "espeak-ng"):
        script = bin_dir / name
        script.write_text(f"#!/bin/sh\nexec {shutil.which('sleep')} 8\n")
        script.chmod(0o755)
    (yogaback_home / "config.toml").write_text("volume = 'loud'\n")
    proc, wall = yogaback(env, "doctor")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert wall < 12
    out = proc.stdout
    assert out.replace("─", "").isascii()  # Rich's rule under the header; the rest is ASCII

    def row(item: str) -> str:
        """The table row whose area or item is ``item``."""
        return next(line for line in out.splitlines() if item in line.split()[:2])

    assert "unavailable" in row("miniaudio")
    assert "ALSA output device" in out
    assert "unavailable" in row("system")
    assert "pw-play hung" in out or "gave no answer within 3 s" in out, out
    assert "available <- used" in row("silent")
    assert "found <- --voice" in row("espeak-ng")
    assert "'espeak-ng --version' gave no answer within 3 s" in out
    assert "volume must be a number from 0 to 100" in out  # the config file's problem
    assert "so its [sounds] could not be read" in row("sounds")  # not "yogaback's own"
    assert row("home").split()[:4] == ["folders", "home", "exists,", "writable"]
    # piped: as wide as it needs, so long paths stay whole and copyable; no padding
    assert row("journal").split()[-1] == str(yogaback_home / "journal.sqlite3")
    assert not any(line.endswith(" ") for line in out.splitlines())


@linux_only
def test_doctor_on_an_ascii_terminal_with_odd_folder_names(tmp_path: Path) -> None:
    env = no_device_env(tmp_path)
    home = tmp_path / "snow☃-ç"
    home.mkdir()
    env.update(YOGABACK_HOME=str(home), PYTHONIOENCODING="ascii")
    proc, wall = yogaback(env, "doctor")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.isascii()
    assert "snow\\u2603-\\xe7" in proc.stdout  # shown escaped, not dropped
    assert "cannot encode yogaback's symbols" in proc.stdout
    assert wall < 10
    report = json.loads(yogaback(env, "doctor", "--json")[0].stdout)
    assert report["folders"]["home"]["path"] == str(home)
    assert (report["terminal"]["encoding"], report["terminal"]["unicode"]) == ("ascii", False)


def test_doctor_checks_the_sounds_the_config_chooses(tmp_path: Path, yogaback_home: Path) -> None:
    (yogaback_home / "config.toml").write_text(
        '[sounds]\ninhale = false\nend = "gone.wav"\n', encoding="utf-8"
    )
    proc, _ = yogaback(no_device_env(tmp_path), "doctor", "--json")
    assert proc.returncode == 0, proc.stderr
    sounds = json.loads(proc.stdout)["sounds"]
    assert sounds["pose"]["status"] == "ok" and sounds["pose"]["from"] == "yogaback"
    assert sounds["inhale"] == {
        "file": None,
        "from": f"config file {yogaback_home / 'config.toml'}:2:10",
        "status": "off",
        "problem": None,
    }
    assert sounds["end"]["status"] == "problem"
    assert sounds["end"]["problem"] == f"sound file {yogaback_home / 'gone.wav'} does not exist"
    table, _ = yogaback(no_device_env(tmp_path), "doctor")
    end = next(line for line in table.stdout.splitlines() if line.split()[:2] == ["end", "problem"])
    assert "gone.wav does not exist" in end
