"""Your own sounds: a routine's ``sounds:``, the config's ``[sounds]`` and ``--sound``.

Each event (pose, switch, inhale, exhale, halfway, end) may get a WAV file or be
silenced. ``validate`` checks a routine's files and ``config show`` the config's,
each problem located where the file is named; otherwise a file is checked only
when its sound is about to be used, so a routine shared without its WAVs still
plays with ``--no-sound``. The last test plays a routine for real through ALSA's
file plugin and listens for the chosen sounds.
"""

from __future__ import annotations

import array
import math
import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from devtools.audio import capture_files, dominant_frequency, read_raw, stretches
from test_sound_capture import capture_env

from yogaback.config import ConfigError, load
from yogaback.errors import Problem, RoutineError
from yogaback.routine.load import load_routine
from yogaback.routine.model import SoundChoice
from yogaback.sound.library import FILE_HINT, check_sound_file, choose, load_sounds, parse_override
from yogaback.sound.pcm import RATE, SoundFileError

ROUTINE = """\
title: Own sounds
pace: {{inhale: 4s, exhale: 4s}}
transition: 3s
sounds:
{sounds}
poses:
  a: {{name: Pose A}}
  b: {{name: Pose B}}
steps:
  - pose: a
    reps: 2
    inhale: Up.
    exhale: Down.
  - pose: b
    duration: 20s
"""
SOUNDS_LINE = 5
"""The line of the first entry under ``sounds:`` in ROUTINE."""


def tone(path: Path, hz: float, seconds: float, rate: int = RATE, channels: int = 1) -> Path:
    """A sine tone WAV file (16-bit), loud enough to find in a capture."""
    frames = round(seconds * rate)
    samples = array.array(
        "h",
        (
            round(12000 * math.sin(2 * math.pi * hz * i / rate))
            for i in range(frames)
            for _ in range(channels)
        ),
    )
    if sys.byteorder == "big":
        samples.byteswap()
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def routine_file(folder: Path, sounds: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "own.yaml"
    path.write_text(ROUTINE.format(sounds=sounds), encoding="utf-8")
    return path


def run_yogaback(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yogaback", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def problems_of(path: Path) -> list[str]:
    with pytest.raises(RoutineError) as caught:
        load_routine(path, sound_files=check_sound_file)
    return [f"{p.line}:{p.column}: {p.message} | {p.hint}" for p in caught.value.problems]


# --- a routine's own sounds ------------------------------------------------------------------


def test_sounds_are_read_from_the_routine_folder_whatever_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "routines"
    tone(folder / "sounds" / "gong.wav", 440, 0.3)
    path = routine_file(folder, "  pose: sounds/gong.wav\n  inhale: false")
    monkeypatch.chdir(tmp_path)
    routine = load_routine(path.relative_to(tmp_path))
    assert set(routine.sounds) == {"pose", "inhale"}
    assert routine.sounds["pose"].path is not None
    assert routine.sounds["pose"].path.resolve() == (folder / "sounds" / "gong.wav").resolve()
    assert routine.sounds["pose"].origin == f"{Path('routines') / 'own.yaml'}:{SOUNDS_LINE}:9"
    assert routine.sounds["inhale"] == SoundChoice(None, f"routines/own.yaml:{SOUNDS_LINE + 1}:11")


def test_every_bad_sound_is_reported_where_it_is_named_in_one_run(tmp_path: Path) -> None:
    tone(tmp_path / "long.wav", 440, 16.0, rate=8000)
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "notes.wav").write_text("not a sound\n", encoding="utf-8")
    (tmp_path / "cut.wav").write_bytes(tone(tmp_path / "whole.wav", 440, 0.2).read_bytes()[:30])
    (tmp_path / "folder.wav").mkdir()
    sounds = "\n".join(
        [
            "  pose: missing.wav",
            "  switch: long.wav",
            "  inhale: empty.wav",
            "  exhale: notes.wav",
            "  halfway: folder.wav",
            "  end: cut.wav",
            "  finish: true",
        ]
    )
    found = problems_of(routine_file(tmp_path, sounds))
    looked = f"looked for {(tmp_path / 'missing.wav').absolute()}; check the name and folder"
    assert found[0] == f"5:9: sound file missing.wav does not exist | {looked}"
    assert found[1].startswith("6:11: sound file long.wav: it lasts 16.0 s; cue sounds must")
    assert found[2].startswith("7:11: sound file empty.wav is empty")
    assert found[3].startswith("8:11: sound file notes.wav is not a WAV file (it lacks the RIFF")
    assert found[4].startswith("9:12: sound file folder.wav is not a file")
    assert found[5].startswith("10:8: sound file cut.wav is cut short before its sound starts")
    assert found[6] == "11:3: unknown key 'finish' in sounds | did you mean 'end'?"
    for line in found[1:6]:
        assert line.endswith(f"| {FILE_HINT}"), line


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("true", "true is not a sound"),
        ("3", "expected the path of a .wav file, or false, got a number (3)"),
        ("[a.wav]", "expected a .wav file, or false, got a list"),
        ("''", "expected the path of a .wav file, or false, got text ('')"),
    ],
)
def test_a_sound_must_be_a_file_or_false(tmp_path: Path, value: str, message: str) -> None:
    found = problems_of(routine_file(tmp_path, f"  pose: {value}"))
    assert [line.split(" | ")[0] for line in found] == [f"{SOUNDS_LINE}:9: {message}"]


def test_a_bad_sound_file_fails_validate_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    path = routine_file(tmp_path, "  end: gone.wav")
    proc = run_yogaback("validate", path)
    assert proc.returncode == 2
    assert f"{path}:{SOUNDS_LINE}:8: sound file gone.wav does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_quoted_off_words_are_silence_too(tmp_path: Path) -> None:
    path = routine_file(tmp_path, '  pose: "off"\n  end: None')
    routine = load_routine(path, sound_files=check_sound_file)
    assert routine.sounds["pose"].path is None and routine.sounds["end"].path is None


def test_sounds_follow_the_real_file_of_a_linked_routine(tmp_path: Path) -> None:
    real = routine_file(tmp_path / "repo", "  pose: gong.wav")
    tone(tmp_path / "repo" / "gong.wav", 440, 0.2)
    link = tmp_path / "routines" / "linked.yaml"
    link.parent.mkdir()
    link.symlink_to(real)
    sound = load_routine(link, sound_files=check_sound_file).sounds["pose"]
    assert sound.path == (tmp_path / "repo" / "gong.wav").resolve()


def test_a_missing_routine_sound_only_matters_when_it_would_play(tmp_path: Path) -> None:
    """A routine shared without its sound files can still be listed, previewed, and played
    silently or with the sound replaced; only playing the missing file is an error."""
    path = routine_file(tmp_path, "  pose: gone.wav")
    env, _ = capture_env(tmp_path)
    assert run_yogaback("show", path, env=env).returncode == 0
    for flags in (["--no-sound"], ["--sound", "pose=off"], ["--volume", "0"]):
        done = run_yogaback("play", path, "--plain", "--speed", "100", *flags, env=env)
        assert done.returncode == 0, (flags, done.stderr)
        assert "Well done." in done.stdout
    failed = run_yogaback("play", path, "--plain", "--speed", "100", env=env)
    assert failed.returncode == 2
    assert failed.stderr.startswith(
        f"{path}:{SOUNDS_LINE}:9: the pose sound: sound file gone.wav does not exist\n"
    )
    assert "Pose A" not in failed.stdout


def test_every_bad_config_sound_is_reported_at_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.wav").write_text("words\n", encoding="utf-8")
    (home / "config.toml").write_text(
        '[sounds]\npose = "gone.wav"\nend = "notes.wav"\n', encoding="utf-8"
    )
    env = {**capture_env(tmp_path)[0], "YOGABACK_HOME": str(home)}
    for args in (["config", "show"], ["sound", "test", "--sound-engine", "silent"]):
        done = run_yogaback(*args, env=env)
        assert done.returncode == 2, args
        lines = [line for line in done.stderr.splitlines() if not line.startswith("  hint")]
        assert len(lines) == 2, done.stderr
        assert lines[0].startswith(f"{home / 'config.toml'}:2:8: ")
        assert "sound file gone.wav does not exist" in lines[0]
        assert lines[1].startswith(f"{home / 'config.toml'}:3:7: ")
        assert "sound file notes.wav is not a WAV file" in lines[1]


def test_a_sound_table_typo_points_at_sounds(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    problems = config_problems(path, '[sound]\npose = "gong.wav"\n')
    assert [(p.line, p.message, p.hint) for p in problems] == [
        (1, "sound must be true or false", "for your own sound files, did you mean [sounds]?")
    ]


def test_quoted_off_in_the_config_is_silence(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[sounds]\ninhale = "off"\n', encoding="utf-8")
    assert load(path=path, env={}).sounds["inhale"].path is None


def test_an_unknown_users_home_is_a_located_problem_not_a_crash(tmp_path: Path) -> None:
    path = routine_file(tmp_path, "  pose: ~nosuchuser-yb/gong.wav")
    assert problems_of(path) == [
        f"{SOUNDS_LINE}:9: cannot find the home folder of '~nosuchuser-yb': no such user here"
        " | write the path out, or use ~/ for your own"
    ]
    config = tmp_path / "config.toml"
    found = config_problems(config, '[sounds]\nend = "~nosuchuser-yb/bell.wav"\n')
    assert [(p.line, p.column, p.message) for p in found] == [
        (2, 7, "cannot find the home folder of '~nosuchuser-yb': no such user here")
    ]
    with pytest.raises(ValueError, match="no such user"):
        parse_override("end=~nosuchuser-yb/bell.wav")


def test_config_show_prints_paths_with_brackets_as_they_are(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "[live]").mkdir(parents=True)
    tone(home / "[live]" / "bell.wav", 440, 0.2)
    tone(home / "a[b]" / "x.wav", 440, 0.2)
    (home / "config.toml").write_text(
        '[sounds]\nend = "[live]/bell.wav"\npose = "a[b]/x.wav"\n', encoding="utf-8"
    )
    # Wide enough that a long temp path (pytest-xdist's) is not cut short in the table.
    env = {**os.environ, "YOGABACK_HOME": str(home), "COLUMNS": "400"}
    done = run_yogaback("config", "show", env=env)
    assert done.returncode == 0, done.stderr
    assert str(home / "[live]" / "bell.wav") in done.stdout
    assert str(home / "a[b]" / "x.wav") in done.stdout


# --- choosing and loading ----------------------------------------------------------------------


def test_flags_beat_the_routine_which_beats_the_config(tmp_path: Path) -> None:
    def pick(name: str) -> SoundChoice:
        return SoundChoice(tmp_path / name, name)

    config = {"pose": pick("c-pose"), "exhale": pick("c-exhale"), "end": pick("c-end")}
    routine = {"pose": pick("r-pose"), "end": pick("r-end")}
    chosen = choose(config, routine, flags=["end=off"])
    assert chosen["pose"].origin == "r-pose"
    assert chosen["exhale"].origin == "c-exhale"
    assert chosen["end"] == SoundChoice(None, "--sound end=off")
    assert "inhale" not in chosen
    with pytest.raises(ValueError, match="unknown event 'start'"):
        choose(config, flags=["start=x.wav"])


def test_parse_override_takes_files_and_off_words() -> None:
    assert parse_override("end=~/gong.wav") == (
        "end",
        SoundChoice(Path("~/gong.wav").expanduser(), "--sound end=~/gong.wav"),
    )
    for word in ("off", "NONE", "false", "no"):
        assert parse_override(f"inhale={word}")[1].path is None
    with pytest.raises(ValueError, match=r"EVENT=FILE\.WAV or EVENT=off"):
        parse_override("inhale=")


def test_chosen_files_replace_ours_and_silenced_events_have_no_sound(tmp_path: Path) -> None:
    stereo = tone(tmp_path / "bowl.wav", 660, 0.5, rate=22050, channels=2)
    sounds = load_sounds(
        100,
        {
            "pose": SoundChoice(stereo, "r.yaml:5:9"),
            "inhale": SoundChoice(None, "r.yaml:6:11"),
        },
    )
    assert "inhale" not in sounds
    assert set(sounds) == {"pose", "switch", "exhale", "halfway", "end"}
    pose = sounds["pose"]
    assert pose.seconds == pytest.approx(0.5, abs=0.01)  # resampled to the device's rate
    assert dominant_frequency(pose.samples()) == pytest.approx(660, rel=0.02)
    assert sounds["end"] == load_sounds(100)["end"]


def test_a_bad_chosen_file_names_who_chose_it(tmp_path: Path) -> None:
    with pytest.raises(SoundFileError) as caught:
        load_sounds(80, {"end": SoundChoice(tmp_path / "gone.wav", "config.toml:3:7")})
    assert str(caught.value) == (
        f"config.toml:3:7: the end sound: sound file {tmp_path / 'gone.wav'} does not exist\n"
        f"  hint: looked for {tmp_path / 'gone.wav'}; check the name and folder"
    )


# --- the config file -------------------------------------------------------------------------


def config_problems(path: Path, text: str) -> list[Problem]:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(path=path, env={})
    return caught.value.problems


def test_config_sounds_are_relative_to_the_config_folder(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    path.write_text(
        'volume = 40\n\n[sounds]\npose = "bells/gong.wav"\n  exhale = false\n',
        encoding="utf-8",
    )
    config = load(path=path, env={})
    assert config.volume == 40
    assert config.sounds == {
        "pose": SoundChoice(tmp_path / "conf" / "bells" / "gong.wav", f"{path}:4:8"),
        "exhale": SoundChoice(None, f"{path}:5:12"),
    }


def test_config_sound_mistakes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    text = '[sounds]\npose = "a.wav"\nexhal = "b.wav"\nend = 3\n'
    assert [(p.line, p.column, p.message, p.hint) for p in config_problems(path, text)] == [
        (
            3,
            1,
            "unknown sound event 'exhal'",
            "did you mean 'exhale'? events: pose, switch, inhale, exhale, halfway, end",
        ),
        (
            4,
            7,
            "the end sound must be the path of a .wav file, or false",
            'for example: end = "~/sounds/end.wav", or end = false',
        ),
    ]
    problems = config_problems(path, 'sounds = "gong.wav"\n')
    assert [(p.line, p.message) for p in problems] == [
        (1, "sounds must be a table of events and .wav files")
    ]


def test_play_stops_before_starting_when_a_config_sound_is_missing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('[sounds]\nend = "gone.wav"\n', encoding="utf-8")
    routine = routine_file(tmp_path, "  pose: false")
    env = {**capture_env(tmp_path)[0], "YOGABACK_HOME": str(home)}
    proc = run_yogaback("play", routine, "--plain", "--speed", "60", env=env)
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        f"{home / 'config.toml'}:2:7: the end sound: sound file gone.wav does not exist\n"
        f"  hint: looked for {home / 'gone.wav'}"
    )
    assert "Traceback" not in proc.stderr
    assert "Pose A" not in proc.stdout  # nothing was played


# --- heard for real --------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ALSA's file plugin")
def test_each_layer_chooses_what_is_heard(tmp_path: Path) -> None:
    """Config, routine and --sound each pick sounds; the capture holds exactly the winners,
    in order: the routine's pose tone, the config's exhale tone (inhale is off), the flag's
    end tone."""
    home = tmp_path / "home"
    tone(home / "c-exhale.wav", 800, 0.20)
    tone(home / "c-pose.wav", 300, 0.40)  # loses to the routine's
    (home / "config.toml").write_text(
        '[sounds]\nexhale = "c-exhale.wav"\npose = "c-pose.wav"\n', encoding="utf-8"
    )
    tone(tmp_path / "r" / "r-pose.wav", 1200, 0.30)
    routine = routine_file(tmp_path / "r", "  pose: r-pose.wav\n  inhale: false")
    flag_end = tone(tmp_path / "f-end.wav", 500, 0.45)
    env, cap = capture_env(tmp_path)
    env["YOGABACK_HOME"] = str(home)
    proc = run_yogaback(
        "play",
        routine,
        "--plain",
        "--speed",
        "60",
        "--volume",
        "100",
        "--sound",
        f"end={flag_end}",
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    captured = read_raw(capture_files(cap, "cap_44100_1_16.raw"))
    heard = [
        (s.seconds, dominant_frequency(captured[s.start : s.end])) for s in stretches(captured)
    ]
    pose, exhale, end = (0.30, 1200), (0.20, 800), (0.45, 500)
    expected = [pose, exhale, exhale, pose, end]
    assert len(heard) == len(expected), heard
    for (seconds, hz), (want_seconds, want_hz) in zip(heard, expected, strict=True):
        assert seconds == pytest.approx(want_seconds, abs=0.011), heard
        assert hz == pytest.approx(want_hz, rel=0.02), heard


def test_show_lists_a_routines_own_sounds(tmp_path: Path) -> None:
    tone(tmp_path / "gong.wav", 440, 0.2)
    path = routine_file(tmp_path, "  pose: gong.wav\n  halfway: false")
    proc = run_yogaback("show", path)
    assert proc.returncode == 0, proc.stderr
    assert "own sounds: pose gong.wav, halfway off" in proc.stdout
