"""The config file: where it is, precedence (flag > environment > file > default) with the
source of every value, and located errors (FILE:LINE:COL) for bad syntax and bad values.
Plus ``yogaback config path|show|init``."""

from __future__ import annotations

import errno
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from yogaback import config as C
from yogaback.commands import config as configure
from yogaback.commands import output
from yogaback.config import Config, ConfigError, config_path, load, read_file
from yogaback.errors import BadInput
from yogaback.routine.catalog import home


@pytest.fixture(autouse=True)
def fresh_consoles() -> Iterator[None]:
    output.out.cache_clear()
    yield
    output.out.cache_clear()


@pytest.fixture
def cfg(yogaback_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The config file path for this test (it does not exist yet); no YOGABACK_* settings."""
    for option in C.OPTIONS.values():
        monkeypatch.delenv(option.env, raising=False)
    monkeypatch.delenv(C.CONFIG_ENV, raising=False)
    return yogaback_home / "config.toml"


def problems(path: Path, text: str) -> list[str]:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load()
    return str(info.value).splitlines()


# --- where it is -------------------------------------------------------------------------------


def test_the_config_file_is_found_by_env_then_home_then_platform(
    cfg: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert config_path() == cfg  # YOGABACK_HOME is set by conftest: tests stay isolated
    monkeypatch.setenv("YOGABACK_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert config_path() == tmp_path / "elsewhere.toml"
    import platformdirs

    expected = Path(platformdirs.user_config_dir("yogaback", appauthor=False)) / "config.toml"
    assert config_path({}) == expected


def test_no_file_means_defaults(cfg: Path) -> None:
    config = load()
    assert config == Config()
    assert config.path == cfg
    assert (config.volume, config.sound, config.voice) == (80, True, False)
    assert (config.pace, config.check_in, config.theme) == (None, False, "auto")
    assert all(config.source(k) == "default" for k in C.OPTIONS)


# --- precedence ----------------------------------------------------------------------------------


def test_flags_beat_environment_beats_file_beats_defaults(
    cfg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg.write_text(
        '# my settings\nvolume = 30\npace = "8s"\ncheck_in = true\ntheme = "dark"\n',
        encoding="utf-8",
    )
    config = load()
    assert (config.volume, config.pace, config.check_in, config.theme) == (30, 8.0, True, "dark")
    assert config.source("volume") == f"config file {cfg}:2"
    assert config.source("theme") == f"config file {cfg}:5"
    assert config.source("sound") == "default"

    monkeypatch.setenv("YOGABACK_VOLUME", "55")
    monkeypatch.setenv("YOGABACK_CHECK_IN", "no")
    config = load()
    assert (config.volume, config.check_in, config.pace) == (55, False, 8.0)
    assert config.source("volume") == "environment YOGABACK_VOLUME"
    assert config.source("check_in") == "environment YOGABACK_CHECK_IN"

    config = load({"volume": 10, "check_in": True, "pace": None, "sound": False})
    assert (config.volume, config.check_in, config.pace, config.sound) == (10, True, 8.0, False)
    assert config.source("volume") == "flag --volume"
    assert config.source("check_in") == "flag --check-in"
    assert config.source("sound") == "flag --sound"
    assert config.source("pace") == f"config file {cfg}:3"  # no flag given: the file's value


def test_a_bad_flag_value_names_the_flag(cfg: Path) -> None:
    with pytest.raises(BadInput, match=r"^--volume: volume must be from 0 to 100, not 140$"):
        load({"volume": 140})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("YOGABACK_VOLUME", "loud", "volume must be a whole number"),
        ("YOGABACK_SOUND", "maybe", "sound must be true or false"),
        ("YOGABACK_PACE", "1", "pace must be from 2 to 60 seconds, not 1"),
        ("YOGABACK_THEME", "drak", "did you mean 'dark'?"),
    ],
)
def test_a_bad_environment_value_names_the_variable(
    cfg: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load()
    assert str(info.value).startswith(f"environment variable {name}={value!r}: ")
    assert message in str(info.value)


def test_environment_values_are_read_as_their_types(
    cfg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in [
        ("YOGABACK_SOUND", "off"),
        ("YOGABACK_VOICE", "1"),
        ("YOGABACK_PACE", "12"),
        ("YOGABACK_THEME", "mono"),
        ("YOGABACK_VOLUME", ""),  # empty: not set
    ]:
        monkeypatch.setenv(name, value)
    config = load()
    assert (config.sound, config.voice, config.pace, config.theme) == (False, True, 12.0, "mono")
    assert config.source("volume") == "default"


# --- located problems ---------------------------------------------------------------------------


def test_a_toml_syntax_error_is_located(cfg: Path) -> None:
    assert problems(cfg, "volume = 80\nsound = tru\n") == [
        f"{cfg}:2:9: not valid TOML: invalid value",
        "  hint: see https://toml.io",
    ]


def test_a_syntax_error_at_the_end_points_at_the_last_line(cfg: Path) -> None:
    assert problems(cfg, "volume = 80\ntheme = [1,\n")[0] == (
        f"{cfg}:2:12: not valid TOML: invalid value"
    )


def test_bad_values_are_located_at_the_value_and_all_reported_at_once(cfg: Path) -> None:
    text = (
        "# yogaback\n"
        "volume = 120\n"
        'sound = "yes"\n'
        "  pace   =  1.5\n"
        'theme = "drak"\n'
        "check_in = true\n"
    )
    assert problems(cfg, text) == [
        f"{cfg}:2:10: volume must be from 0 to 100, not 120",
        "  hint: 0 is silent, 100 is loudest",
        f"{cfg}:3:9: sound must be true or false",
        "  hint: write it without quotes: sound = true",
        f"{cfg}:4:13: pace must be from 2 to 60 seconds, not 1.5",
        "  hint: one breath in and out; 8 to 12 seconds is a calm pace",
        f"{cfg}:5:9: theme 'drak' is not a theme",
        "  hint: did you mean 'dark'? choose one of auto, dark, light, mono",
    ]


def test_unknown_keys_and_tables_are_located_with_a_suggestion(cfg: Path) -> None:
    text = 'volum = 50\n\n[display]\ntheme = "dark"\n'
    assert problems(cfg, text) == [
        f"{cfg}:1:1: unknown setting 'volum'",
        "  hint: did you mean 'volume'? known settings: "
        "volume, sound, voice, voice_engine, breath, pace, check_in, theme, gentle "
        "and the [sounds] table",
        f"{cfg}:3:1: unknown table 'display'",
        "  hint: known settings: volume, sound, voice, voice_engine, breath, pace, check_in, "
        "theme, gentle and the [sounds] table",
    ]


def test_quoted_keys_and_wrong_types_are_located(cfg: Path) -> None:
    text = '"volume" = "60"\nvoice = 1\n'
    assert problems(cfg, text) == [
        f"{cfg}:1:12: volume must be a number from 0 to 100",
        "  hint: write it without quotes: volume = 60",
        f"{cfg}:2:9: voice must be true or false",
        "  hint: for example: voice = true",
    ]


def test_a_file_that_is_not_utf8_is_located(cfg: Path) -> None:
    cfg.write_bytes(b"volume = 80\ntheme = '\xff'\n")
    with pytest.raises(ConfigError) as info:
        load()
    assert str(info.value).splitlines()[0] == f"{cfg}:2:10: the file is not UTF-8 text"


def test_a_folder_in_place_of_the_file_is_a_clear_error(cfg: Path) -> None:
    cfg.mkdir()
    with pytest.raises(BadInput, match="is a folder"):
        load()


def test_pace_takes_seconds_or_a_duration(cfg: Path) -> None:
    cfg.write_text('pace = "1m"\n', encoding="utf-8")
    assert load().pace == 60.0
    cfg.write_text("pace = 9.5\n", encoding="utf-8")
    assert load().pace == 9.5
    cfg.write_text("volume = 40.0\n", encoding="utf-8")
    assert load().volume == 40


def test_read_file_gives_values_and_lines(cfg: Path) -> None:
    cfg.write_text("\n\nsound = false\n", encoding="utf-8")
    assert read_file(cfg) == {"sound": (False, 3)}
    assert read_file(cfg.with_name("missing.toml")) == {}


# --- where keys are: the locations in messages ---------------------------------------------------

# (id, the config text, each problem's first line as "LINE:COL: message")
LOCATED = [
    (
        "key-looking line inside a multi-line string",
        'notes = """\nvolume = 5\n"""\nvolume = 200\n',
        ["1:1: unknown setting 'notes'", "4:10: volume must be from 0 to 100, not 200"],
    ),
    (
        "multi-line literal string inside [sounds]",
        "[sounds]\nnotes = '''\nend = 5\n'''\nend = 7\n",
        [
            "2:1: unknown sound event 'notes'",
            "5:7: the end sound must be the path of a .wav file, or false",
        ],
    ),
    (
        "dotted key",
        'sounds.bogus = "a.wav"\n',
        ["1:8: unknown sound event 'bogus'"],
    ),
    (
        "dotted key with spaces and quotes",
        'sounds . "end" = 5\n',
        ["1:18: the end sound must be the path of a .wav file, or false"],
    ),
    (
        "inline table",
        'volume = 50\nsounds = {pose = 5, bogus = "a.wav"}\n',
        [
            "2:18: the pose sound must be the path of a .wav file, or false",
            "2:21: unknown sound event 'bogus'",
        ],
    ),
    (
        "key written with an escape",
        '"vol\\u0075me" = 200\n',
        ["1:17: volume must be from 0 to 100, not 200"],
    ),
    (
        "a line separator inside a comment is not a new line",
        "# a\u2028volume = 5\n\nvolume = 200\n",
        ["3:10: volume must be from 0 to 100, not 200"],
    ),
    (
        "a UTF-8 byte-order mark at the start",
        "\ufeffvolume = 200\n",
        ["1:10: volume must be from 0 to 100, not 200"],
    ),
    (
        "a value with a line break is quoted on one line",
        'theme = "da\\nrk"\n',
        ["1:9: theme 'da\\nrk' is not a theme"],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [r[1:] for r in LOCATED], ids=[r[0] for r in LOCATED]
)
def test_problems_are_located_where_the_key_is_written(
    cfg: Path, text: str, expected: list[str]
) -> None:
    got = [line for line in problems(cfg, text) if not line.startswith("  hint: ")]
    assert got == [f"{cfg}:{e}" for e in expected]


def test_a_byte_order_mark_is_accepted(cfg: Path) -> None:
    cfg.write_text("\ufeff# mine\nvolume = 30\n", encoding="utf-8")
    config = load()
    assert config.volume == 30 and config.source("volume") == f"config file {cfg}:2"


def test_ten_thousand_unknown_keys_are_reported_quickly_and_capped(cfg: Path) -> None:
    cfg.write_text("".join(f"unknown_{n} = 1\n" for n in range(10_000)), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ConfigError) as info:
        load()
    elapsed = time.perf_counter() - started
    lines = str(info.value).splitlines()
    assert lines[0] == f"{cfg}:1:1: unknown setting 'unknown_0'"
    assert lines[2 * C.MAX_SHOWN - 2] == f"{cfg}:{C.MAX_SHOWN}:1: unknown setting 'unknown_19'"
    assert lines[2 * C.MAX_SHOWN :] == [f"{cfg}: and 9,980 more unknown settings"]
    assert elapsed < 5, f"{elapsed:.1f} s"  # it was 19 s when each key was looked for anew


def test_past_the_cap_other_problems_are_counted_as_problems(cfg: Path) -> None:
    text = "".join(f"unknown_{n} = 1\n" for n in range(C.MAX_SHOWN)) + "volume = 500\n"
    assert problems(cfg, text)[-1] == f"{cfg}: and 1 more problems"


# --- limits: what the config file may be ------------------------------------------------------

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space for the program under test


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_yogaback(*args: str, timeout: float = 20, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m yogaback ARGS...``: a hang, a memory blow-up or a traceback fails a test."""
    return subprocess.run(
        [sys.executable, "-m", "yogaback", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        preexec_fn=_limit_memory,
    )


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _huge(path: Path) -> None:
    path.write_text("# a comment line\n" * 70_000, encoding="utf-8")  # over 1 MiB


def _deep_array(path: Path) -> None:
    path.write_text("volume = " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")


def _deep_table(path: Path) -> None:
    path.write_text("x = " + "{a = " * 500 + "1" + "}" * 500 + "\n", encoding="utf-8")


# (id, how to make config.toml, the first line expected after "FILE:", safe in-process?)
LIMITS: list[tuple[str, Callable[[Path], None], str, bool]] = [
    ("fifo", _fifo, "1:1: is a named pipe (FIFO), not a TOML settings file", False),
    ("dev-zero", _zero, "1:1: is a device, not a TOML settings file", False),
    ("folder", Path.mkdir, "1:1: is a folder, not a TOML settings file", True),
    ("huge", _huge, "1:1: the file is too large (1,190,000 bytes; the limit is 1,048,576)", True),
    ("deep-array", _deep_array, "1:42: tables and lists are nested more than 32 levels deep", True),
    (
        "deep-table",
        _deep_table,
        "1:165: tables and lists are nested more than 32 levels deep",
        True,
    ),
]


@pytest.mark.parametrize(
    ("make", "expected"), [r[1:3] for r in LIMITS if r[3]], ids=[r[0] for r in LIMITS if r[3]]
)
def test_a_config_file_past_a_limit_is_one_located_problem(
    cfg: Path, make: Callable[[Path], None], expected: str
) -> None:
    make(cfg)
    with pytest.raises(ConfigError) as info:
        load()
    lines = str(info.value).splitlines()
    assert lines[0] == f"{cfg}:{expected}"
    assert len(lines) == 2 and lines[1].startswith("  hint: ")


@pytest.mark.parametrize(("make", "expected"), [r[1:3] for r in LIMITS], ids=[r[0] for r in LIMITS])
def test_the_cli_stops_at_once_on_a_config_file_past_a_limit(
    cfg: Path, make: Callable[[Path], None], expected: str
) -> None:
    make(cfg)
    result = run_yogaback("config", "show")
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.splitlines()[0] == f"{cfg}:{expected}"
    assert len(result.stderr.splitlines()) == 2


# --- YOGABACK_HOME must be a folder -------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["history"],
        ["config", "path"],
        ["play", "--plain", "--speed", "1000", "upper-back"],
    ],
    ids=["list", "history", "config-path", "play"],
)
def test_every_command_says_when_yogaback_home_is_a_file(tmp_path: Path, args: list[str]) -> None:
    file = tmp_path / "home.txt"
    file.write_text("not a folder\n", encoding="utf-8")
    result = run_yogaback(*args, YOGABACK_HOME=str(file))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"yogaback: YOGABACK_HOME is {file}, which is a file, not a folder\n"
        "  hint: point YOGABACK_HOME at a folder (it is made when needed), or unset it\n"
    )


def test_a_yogaback_home_inside_a_file_is_named_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "home.txt"
    file.write_text("", encoding="utf-8")
    monkeypatch.setenv("YOGABACK_HOME", str(file / "yogaback"))
    with pytest.raises(BadInput, match=r"home.txt/yogaback, which is inside a file, not a folder"):
        config_path()
    with pytest.raises(BadInput, match="which is inside a file"):
        home()


# --- yogaback config path | show | init -----------------------------------------------------------


def test_config_path_prints_the_file(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure.run_path()
    assert capsys.readouterr().out == f"{cfg}\n"


def test_config_show_lists_every_value_and_where_it_came_from(
    cfg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg.write_text("volume = 35\ncheck_in = true\n", encoding="utf-8")
    monkeypatch.setenv("YOGABACK_THEME", "light")
    configure.run_show()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Config file: {cfg}"
    assert lines[1].split() == ["setting", "value", "from", "meaning"]
    rows = {line.split()[0]: " ".join(line.split()[1:]) for line in lines[2:]}
    assert rows == {
        "volume": "35 config file, line 1 sound volume, 0 (silent) to 100",
        "sound": "on default bells and breath tones",
        "voice": "off default say cues aloud, where supported",
        "voice_engine": "auto default speech engine: auto, flite, festival, espeak-ng, say, sapi",
        "breath": "swell default breath sounds: swell, tick or off",
        "pace": "routine's own default seconds per breath (in + out), 2–60",
        "check_in": "on config file, line 2 ask how your back feels, before and after",
        "theme": "light environment YOGABACK_THEME colours: auto, dark, light or mono",
        "gentle": "off default play every pose that has one in its gentler form",
        "sounds": "yogaback's default your own .wav files: a [sounds] table",
    }


def test_config_show_json(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure.run_show(as_json=True)
    data = json.loads(capsys.readouterr().out)
    assert data["path"] == str(cfg) and data["exists"] is False
    assert data["settings"]["volume"] == {"value": 80, "source": "default"}
    assert data["settings"]["pace"] == {"value": None, "source": "default"}


def test_config_show_reports_a_bad_file(cfg: Path) -> None:
    cfg.write_text("volume = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r":1:10: volume must be from 0 to 100, not -1"):
        configure.run_show()


def test_config_init_writes_a_starter_that_loads_as_the_defaults(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure.run_init()
    assert capsys.readouterr().out.startswith(f"Wrote {cfg}\n")
    assert load() == Config()
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") and ("=" in line or line == "# [sounds]") else line
        for line in cfg.read_text(encoding="utf-8").splitlines()
    )
    cfg.write_text(uncommented + "\n", encoding="utf-8")
    assert load().pace == 10.0  # every example in it is a valid setting
    sounds = load().sounds
    assert sounds["pose"].path == Path("~/sounds/gong.wav").expanduser()
    assert sounds["inhale"].path is None
    with pytest.raises(BadInput, match="already exists; not overwriting"):
        configure.run_init()


def test_config_init_on_a_full_disk_leaves_nothing_behind_and_can_be_retried(
    cfg: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class FullDisk:
        """A file that opens, but where no write fits."""

        def __init__(self, file: Any, *args: Any, **kwargs: Any) -> None:
            self._stream = open(file, *args, **kwargs)  # noqa: SIM115 - closed in __exit__

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self._stream.close()

        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(configure, "open", FullDisk, raising=False)
    with pytest.raises(BadInput, match=f"cannot write {cfg}: No space left on device"):
        configure.run_init()
    assert list(cfg.parent.iterdir()) == []  # no empty config.toml, no temporary file
    monkeypatch.delattr(configure, "open")
    configure.run_init()  # space was freed: the retry just works
    assert capsys.readouterr().out.startswith(f"Wrote {cfg}\n")
    assert cfg.read_text(encoding="utf-8") == C.TEMPLATE
    # And it still never replaces what is there, a link (even a dangling one) included.
    cfg.unlink()
    cfg.symlink_to(cfg.parent / "elsewhere.toml")
    with pytest.raises(BadInput, match="already exists; not overwriting"):
        configure.run_init()
    assert cfg.is_symlink() and not (cfg.parent / "elsewhere.toml").exists()
    assert sorted(p.name for p in cfg.parent.iterdir()) == ["config.toml"]
