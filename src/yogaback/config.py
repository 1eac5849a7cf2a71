"""Your defaults, in a small TOML file: volume, sound, voice, breath pace, check-ins, theme,
gentle poses, and your own sounds (a ``[sounds]`` table: ``inhale = "~/soft.wav"``,
``exhale = false``).

One job, over 400 lines: the settings file, with its locations, its checked options,
its reading within limits and its one commented template (``TEMPLATE``).

Where each setting comes from, strongest first:

1. a command-line flag (``--volume 40``);
2. an environment variable ``YOGABACK_<KEY>`` (``YOGABACK_VOLUME=40``);
3. the config file (``volume = 40``);
4. the built-in default.

The file is ``$YOGABACK_CONFIG`` if set, else ``config.toml`` in ``$YOGABACK_HOME`` if
that is set (tests), else in the platform's user config folder. A missing file means
defaults. Every problem in the file is reported at once as ``FILE:LINE:COL: message``,
like routine files: tomllib locates syntax errors, ``tomlkeys`` finds where each key is
written. The file is read within limits (size, nesting, what kind of file it is), and
reading it never hangs.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import astuple, dataclass, field, fields
from pathlib import Path
from typing import Any

from yogaback.errors import BadInput, Mark, Problem
from yogaback.routine.catalog import HOME_ENV, home
from yogaback.routine.model import SOUND_EVENTS, SoundCheck, SoundChoice, sound_choice
from yogaback.safefile import Unreadable, read_small
from yogaback.tomlkeys import Spot, TooDeep, locate_keys

CONFIG_ENV = "YOGABACK_CONFIG"
ENV_PREFIX = "YOGABACK_"
FILE_NAME = "config.toml"
THEMES = ("auto", "dark", "light", "mono")
VOICE_ENGINES = ("auto", "flite", "festival", "espeak-ng", "say", "sapi")
"""``auto`` and ``yogaback.sound.speakers.ORDER`` (not imported: settings stay light)."""
BREATH_STYLES = ("swell", "tick", "off")
PACE_RANGE = (2.0, 60.0)
"""Same limits as ``play --pace``."""


class ConfigError(BadInput):
    """The config file (or a setting from the environment) has one or more problems."""

    def __init__(self, problems: list[Problem], extra: list[str] | None = None) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line, p.column, p.message))
        lines = [str(p) for p in self.problems] + (extra or [])
        super().__init__("\n".join(lines))


class _Bad(ValueError):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


# --- the settings --------------------------------------------------------------------------


def _volume(value: object) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        raise _Bad(
            "volume must be a number from 0 to 100",
            f"write it without quotes: volume = {value.strip()}",
        )
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad("volume must be a whole number from 0 to 100", "for example: volume = 60")
    if not 0 <= value <= 100:
        raise _Bad(f"volume must be from 0 to 100, not {value}", "0 is silent, 100 is loudest")
    return value


def _bool(key: str) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, dict) and key == "sound":  # [sound], meant as [sounds]
            raise _Bad(
                f"{key} must be true or false", "for your own sound files, did you mean [sounds]?"
            )
        if isinstance(value, str) and value.strip().lower() in WORDS:
            word = "true" if WORDS[value.strip().lower()] else "false"
            raise _Bad(f"{key} must be true or false", f"write it without quotes: {key} = {word}")
        raise _Bad(f"{key} must be true or false", f"for example: {key} = true")

    return check


WORDS = {
    "true": True,
    "yes": True,
    "on": True,
    "1": True,
    "false": False,
    "no": False,
    "off": False,
    "0": False,
}


def _pace(value: object) -> float:
    from yogaback.durations import parse_duration

    if isinstance(value, bool):
        raise _Bad(
            "pace must be the seconds for one breath (in + out)",
            'for example: pace = 10 or pace = "8s"',
        )
    try:
        seconds = parse_duration(value)
    except ValueError:
        raise _Bad(
            "pace must be the seconds for one breath (in + out)",
            'for example: pace = 10 or pace = "8s"',
        ) from None
    low, high = PACE_RANGE
    if not math.isfinite(seconds) or not low <= seconds <= high:
        raise _Bad(
            f"pace must be from {low:g} to {high:g} seconds, not {seconds:g}",
            "one breath in and out; 8 to 12 seconds is a calm pace",
        )
    return seconds


def _one_of(key: str, what: str, choices: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str) or value not in choices:
            plain = isinstance(value, str) and value.isprintable() and "'" not in value
            shown = f"'{value}'" if plain else repr(value)  # on one line, whatever it holds
            hint = f"choose one of {', '.join(choices)}"
            close = difflib.get_close_matches(str(value).lower(), choices, n=1, cutoff=0.5)
            if close:
                hint = f"did you mean '{close[0]}'? " + hint
            raise _Bad(f"{key} {shown} is not {what}", hint)
        return value

    return check


_theme = _one_of("theme", "a theme", THEMES)


@dataclass(frozen=True)
class Option:
    key: str
    help: str
    check: Callable[[object], Any]
    flag: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.key.upper()


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("volume", "sound volume, 0 (silent) to 100", _volume, "--volume"),
        Option("sound", "bells and breath tones", _bool("sound"), "--sound/--no-sound"),
        Option("voice", "say cues aloud, where supported", _bool("voice"), "--voice/--no-voice"),
        Option(
            "voice_engine",
            "speech engine: " + ", ".join(VOICE_ENGINES),
            _one_of("voice_engine", "a speech engine", VOICE_ENGINES),
            "--voice-engine",
        ),
        Option(
            "breath",
            "breath sounds: swell, tick or off",
            _one_of("breath", "a breath sound style", BREATH_STYLES),
            "--breath",
        ),
        Option(
            "pace",
            "seconds per breath (in + out), 2–60",
            _pace,
            "--pace",
        ),
        Option(
            "check_in",
            "ask how your back feels, before and after",
            _bool("check_in"),
            "--check-in/--no-check-in",
        ),
        Option("theme", "colours: auto, dark, light or mono", _theme, "--theme"),
        Option(
            "gentle",
            "play every pose that has one in its gentler form",
            _bool("gentle"),
            "--gentle/--no-gentle",
        ),
    )
}


@dataclass(frozen=True)
class Config:
    """Effective settings, and where each one came from (see ``sources``)."""

    volume: int = 80
    sound: bool = True
    voice: bool = False
    voice_engine: str = "auto"
    breath: str = "swell"
    pace: float | None = None
    check_in: bool = False
    theme: str = "auto"
    gentle: bool = False
    sounds: Mapping[str, SoundChoice] = field(default_factory=dict)
    """The ``[sounds]`` table: your own sound (or silence) for some events."""
    path: Path | None = field(default=None, compare=False)
    """The config file looked at (it may not exist)."""
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    """key -> ``default`` | ``config file FILE:LINE`` | ``environment NAME`` | ``flag --X``."""

    def source(self, key: str) -> str:
        return self.sources.get(key, "default")

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in OPTIONS}


DEFAULTS = Config()


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    explicit = env.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    if env.get(HOME_ENV):
        return home(env) / FILE_NAME
    import platformdirs

    return Path(platformdirs.user_config_dir("yogaback", appauthor=False)) / FILE_NAME


# --- reading the file ------------------------------------------------------------------------

_TOML_AT = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$", re.S)
_TOML_END = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$", re.S)

MAX_BYTES = 1024 * 1024
"""Largest config file we read. A full one is well under a kilobyte."""
MAX_DEPTH = 32
"""Deepest nesting of tables and arrays. Settings need 2 (``[sounds]``)."""
MAX_SHOWN = 20
"""Most problems listed for the file; the rest are counted ("and N more ...")."""

Spots = Mapping[tuple[str, ...], Spot]


def _at(spots: Spots, *path: str) -> Spot:
    """Where ``path`` is written (for ``("sounds", event)``, else where ``[sounds]`` is)."""
    for n in range(len(path), 0, -1):
        spot = spots.get(path[:n])
        if spot is not None:
            return spot
    return Spot(1, 1, 1)


def _folder_of(path: Path) -> Path:
    """The folder relative sound paths start from: the real file's (after links, as for
    routines), so a config linked from a dotfiles folder finds the sounds kept beside it."""
    try:
        return path.resolve().parent
    except OSError:
        return path.parent


def _sounds(
    path: Path, spots: Spots, value: object, problems: list[Problem]
) -> dict[str, SoundChoice]:
    """The ``[sounds]`` table: event -> a .wav file (relative to the config file's folder)
    or false. The files themselves are checked when a sound is loaded (play, sound test)."""
    if not isinstance(value, dict):
        line, _, col = astuple(_at(spots, "sounds"))
        problems.append(
            Problem(
                str(path),
                line,
                col,
                "sounds must be a table of events and .wav files",
                '[sounds] on a line of its own, then e.g. inhale = "~/sounds/soft.wav"',
            )
        )
        return {}
    out: dict[str, SoundChoice] = {}
    for event, choice in value.items():
        line, key_col, value_col = astuple(_at(spots, "sounds", event))
        if event not in SOUND_EVENTS:
            close = difflib.get_close_matches(event.lower(), SOUND_EVENTS, n=1, cutoff=0.6)
            hint = (
                (f"did you mean '{close[0]}'? " if close else "")
                + "events: "
                + ", ".join(SOUND_EVENTS)
            )
            problems.append(
                Problem(str(path), line, key_col, f"unknown sound event '{event}'", hint)
            )
            continue
        origin = f"{path}:{line}:{value_col}"
        mark = Mark(line, value_col)
        try:
            chosen = sound_choice(choice, origin, _folder_of(path), mark)
        except ValueError as exc:
            hint = "write the path out, or use ~/ for your own"
            problems.append(Problem(str(path), line, value_col, str(exc), hint))
            continue
        if chosen is not None:
            out[event] = chosen
        else:
            problems.append(
                Problem(
                    str(path),
                    line,
                    value_col,
                    f"the {event} sound must be the path of a .wav file, or false",
                    f'for example: {event} = "~/sounds/{event}.wav", or {event} = false',
                )
            )
    return out


def _syntax_problem(path: Path, text: str, exc: Exception) -> Problem:
    message = str(exc)
    match = _TOML_AT.match(message)
    if match:
        line, col = int(match["line"]), int(match["col"])
        message = match["msg"]
    else:
        end = _TOML_END.match(message)
        lines = text.splitlines() or [""]
        line, col = len(lines), len(lines[-1]) + 1
        if end:
            message = end["msg"]
    message = message[:1].lower() + message[1:]
    return Problem(str(path), line, col, f"not valid TOML: {message}", "see https://toml.io")


def _unreadable(path: Path, why: Unreadable) -> ConfigError:
    """The file cannot be read as text: a located problem, like any other in it."""
    hint = "move it aside, or set YOGABACK_CONFIG to the TOML file you mean"
    if why.kind == "folder":
        message = "is a folder, not a TOML settings file"
    elif why.kind == "special":
        message = f"is {why.detail}, not a TOML settings file"
    elif why.kind == "too-large":
        size = f"{why.size:,} bytes" if why.size is not None else f"over {MAX_BYTES:,} bytes"
        message = f"the file is too large ({size}; the limit is {MAX_BYTES:,})"
        hint = "a settings file is a few lines; is this the right file?"
    else:
        message = f"cannot read the config file: {why.detail}"
        hint = "check the file's permissions and the folders above it"
    return ConfigError([Problem(str(path), 1, 1, message, hint)])


def _too_many(path: Path, problems: list[Problem]) -> ConfigError:
    """The first ``MAX_SHOWN`` problems (in file order), and a count of the rest."""
    problems = sorted(problems, key=lambda p: (p.line, p.column, p.message))
    rest = problems[MAX_SHOWN:]
    if not rest:
        return ConfigError(problems)
    unknown = all(p.message.startswith(("unknown setting", "unknown table")) for p in rest)
    what = "unknown settings" if unknown else "problems"
    return ConfigError(problems[:MAX_SHOWN], [f"{path}: and {len(rest):,} more {what}"])


def read_file(path: Path) -> dict[str, tuple[Any, int]]:
    """The file's settings as key -> (checked value, line). {} if there is no file.
    Raises ``ConfigError`` listing the file's problems (at most ``MAX_SHOWN``)."""
    import tomllib

    try:
        data = read_small(path, MAX_BYTES)
    except Unreadable as why:
        if why.kind == "missing":
            return {}
        raise _unreadable(path, why) from None
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark is how some editors save UTF-8
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ConfigError(
            [Problem(str(path), line, col, "the file is not UTF-8 text", "save it as UTF-8")]
        ) from None
    try:
        spots = locate_keys(text, MAX_DEPTH)
        table = tomllib.loads(text)
    except TooDeep as deep:
        raise ConfigError([_too_deep(path, deep.line, deep.column)]) from None
    except RecursionError:  # pragma: no cover - locate_keys stops such files first
        raise ConfigError([_too_deep(path, 1, 1)]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([_syntax_problem(path, text, exc)]) from None
    problems: list[Problem] = []
    found: dict[str, tuple[Any, int]] = {}
    for key, value in table.items():
        line, key_col, value_col = astuple(_at(spots, key))
        if key == "sounds":
            found[key] = (_sounds(path, spots, value, problems), line)
            continue
        option = OPTIONS.get(key)
        if option is None:
            close = difflib.get_close_matches(
                key.replace("-", "_").lower(), OPTIONS, n=1, cutoff=0.6
            )
            hint = (
                (f"did you mean '{close[0]}'? " if close else "")
                + "known settings: "
                + ", ".join(OPTIONS)
                + " and the [sounds] table"
            )
            kind = "table" if isinstance(value, dict) else "setting"
            problems.append(Problem(str(path), line, key_col, f"unknown {kind} '{key}'", hint))
            continue
        try:
            found[key] = (option.check(value), line)
        except _Bad as bad:
            problems.append(Problem(str(path), line, value_col, str(bad), bad.hint))
    if problems:
        raise _too_many(path, problems)
    return found


def _too_deep(path: Path, line: int, column: int) -> Problem:
    return Problem(
        str(path),
        line,
        column,
        f"tables and lists are nested more than {MAX_DEPTH} levels deep",
        "settings are at most a [sounds] table deep; is this the right file?",
    )


def check_sound_files(config: Config, check_sound_file: SoundCheck) -> None:
    """Raise ``ConfigError`` listing each ``[sounds]`` file that is missing or cannot be
    played (reading the file itself leaves that to when the sounds are used)."""
    problems = []
    for choice in config.sounds.values():
        if choice.path is None or choice.mark is None or config.path is None:
            continue
        found = check_sound_file(choice.path, choice.written)
        if found is not None:
            problems.append(Problem(str(config.path), choice.mark.line, choice.mark.column, *found))
    if problems:
        raise ConfigError(problems)


# --- putting it together ---------------------------------------------------------------------


def _from_env(option: Option, text: str) -> Any:
    """An environment variable's text as the setting's type, then checked."""
    raw = text.strip()
    value: object = raw
    if raw.lower() in WORDS and option.key not in ("volume", "pace"):
        value = WORDS[raw.lower()]
    elif option.key == "volume":
        try:
            value = float(raw) if "." in raw else int(raw)
        except ValueError:
            value = None
    return option.check(value)


def load(
    flags: Mapping[str, object] | None = None,
    *,
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Config:
    """The effective settings. ``flags`` maps keys to what the command line gave (None:
    not given). Raises ``ConfigError`` for a bad file or environment value."""
    env = os.environ if env is None else env
    path = config_path(env) if path is None else path
    values: dict[str, Any] = DEFAULTS.values()
    sources: dict[str, str] = {key: "default" for key in OPTIONS}
    sounds: Mapping[str, SoundChoice] = {}
    for key, (value, line) in read_file(path).items():
        if key == "sounds":
            sounds = value
            continue
        values[key] = value
        sources[key] = f"config file {path}:{line}"
    env_problems: list[str] = []
    for option in OPTIONS.values():
        text = env.get(option.env)
        if text is None or text == "":
            continue
        try:
            values[option.key] = _from_env(option, text)
        except _Bad as bad:
            env_problems.append(
                f"environment variable {option.env}={text!r}: {bad}"
                + (f"\n  hint: {bad.hint}" if bad.hint else "")
            )
            continue
        sources[option.key] = f"environment {option.env}"
    if env_problems:
        raise ConfigError([], env_problems)
    for key, value in (flags or {}).items():
        if value is None:
            continue
        option = OPTIONS[key]
        try:
            values[key] = option.check(value)
        except _Bad as bad:
            raise BadInput(f"{option.flag.split('/')[0]}: {bad}") from None
        sources[key] = f"flag {option.flag.split('/')[0]}"
    return Config(**values, sounds=sounds, path=path, sources=sources)


TEMPLATE = """\
# yogaback settings. Remove the '#' in front of a line to use it.
# Flags on the command line win over these (e.g. play --volume 40).
# 'yogaback config show' shows what is in effect, and where each value comes from.

# volume = 80          # sound volume, 0 (silent) to 100
# sound = true         # play bells and breath tones
# voice = false        # say cues aloud, where supported
# voice_engine = "auto" # auto (the best found), flite, festival, espeak-ng, say or sapi
# breath = "swell"     # breath sounds: swell, tick or off
# pace = 10            # seconds for one breath (in + out), 2-60; or "8s"
# check_in = false     # ask how your upper back feels before and after
# theme = "auto"       # auto, dark, light or mono
# gentle = false       # play every pose that has one in its gentler form

# Your own sounds: a .wav file (relative to this file's folder, or ~/...) for any of
# pose, switch, inhale, exhale, halfway and end; false for no sound at that moment.
# A routine's own 'sounds:' win over these for that routine, and --sound over both.
# [sounds]
# pose = "~/sounds/gong.wav"
# inhale = false
"""
