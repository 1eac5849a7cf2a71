"""The cue sounds: which events there are, the shipped WAV files, the user's own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

from yogaback.routine.model import SOUND_EVENTS, SoundChoice, sound_choice
from yogaback.sound.pcm import MAX_SECONDS, Sound, SoundFileError, load_wav, volume_gain

BELLS: dict[str, int] = {"pose": 1, "switch": 2, "end": 3}
"""Terminal bells standing in for a sound when there is no audio device."""
BREATH_STYLES = ("swell", "tick", "off")
"""The ``breath`` setting: our in/out-breath sounds as soft swells, short ticks, or none."""


def builtin_dir() -> Path:
    """The shipped sounds: inside the installed package, or the source tree's ``audio/``."""
    packaged = Path(str(resources.files("yogaback"))) / "audio"
    if (packaged / "pose.wav").is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "audio"


EVENTS = SOUND_EVENTS
"""Every event that has a sound, with what it tells the listener."""
FILE_HINT = (
    f"save it as a standard .wav file (16-bit PCM plays everywhere), at most {MAX_SECONDS:g} s"
)


def parse_override(text: str) -> tuple[str, SoundChoice]:
    """``EVENT=FILE`` or ``EVENT=off`` (the ``--sound`` option) to the event and its choice;
    ValueError says what is wrong. The file itself is checked when the sounds are loaded."""
    event, sep, path = text.partition("=")
    event = event.strip().lower()
    if not sep or not path.strip():
        hint = "; to play without any sound, use --no-sound" if text.startswith("-") else ""
        raise ValueError(
            f"--sound {text!r}: expected EVENT=FILE.WAV or EVENT=off, e.g. pose=~/bowl.wav" + hint
        )
    if event not in EVENTS:
        raise ValueError(f"--sound {text!r}: unknown event {event!r}; events: {', '.join(EVENTS)}")
    try:
        choice = sound_choice(path, f"--sound {event}={path.strip()}")
    except ValueError as exc:
        raise ValueError(f"--sound {text!r}: {exc}") from None
    assert choice is not None  # a non-empty text is a file or silence
    return event, choice


def choose(*layers: Mapping[str, SoundChoice], flags: Sequence[str] = ()) -> dict[str, SoundChoice]:
    """Each event's chosen sound: later layers win (pass the config's, then the routine's),
    and ``--sound EVENT=...`` flags win over all. ValueError for a malformed flag."""
    chosen: dict[str, SoundChoice] = {}
    for layer in layers:
        chosen.update(layer)
    chosen.update(parse_override(text) for text in flags)
    return chosen


def check_sound_file(path: Path, written: str | None = None) -> tuple[str, str] | None:
    """None if ``path`` is a WAV file yogaback can play; else (what is wrong, a hint).
    ``written``: the path as the user wrote it (a relative one is named as such)."""
    try:
        load_wav(path, path.stem, shown=written)
    except SoundFileError as exc:
        return _problem(exc, path)
    return None


def _problem(exc: SoundFileError, path: Path) -> tuple[str, str]:
    if exc.missing:
        return str(exc), f"looked for {path.absolute()}; check the name and folder"
    return str(exc), FILE_HINT


def load_sounds(
    volume: int = 100,
    choices: Mapping[str, SoundChoice | Path] | None = None,
    breath: str = "swell",
) -> dict[str, Sound]:
    """Every event's sound at ``volume`` (0–100): the file chosen for it (by the routine,
    the config file or ``--sound``) or ours; an event chosen to be silent has none.
    ``breath`` picks our in/out-breath sounds (``BREATH_STYLES``; a file chosen for them
    still wins). Raises ``SoundFileError`` for a missing or unreadable file, saying who
    chose it."""
    gain = volume_gain(volume)
    choices = choices or {}
    folder = builtin_dir()
    sounds = {}
    problems: list[str] = []
    for event in EVENTS:
        choice = choices.get(event)
        if isinstance(choice, Path):
            choice = SoundChoice(choice, "--sound")
        breathing = event in ("inhale", "exhale")
        if choice is None and breathing and breath == "off":
            continue
        ours = f"{event}-tick.wav" if breathing and breath == "tick" else f"{event}.wav"
        path = folder / ours if choice is None else choice.path
        if path is None:
            continue  # chosen to be silent
        try:
            shown = choice.written or None if choice else None
            sound = load_wav(path, event, BELLS.get(event, 0), shown=shown)
        except SoundFileError as exc:
            if choice is None:
                raise
            message, hint = _problem(exc, path)
            problems.append(f"{choice.origin}: the {event} sound: {message}\n  hint: {hint}")
            continue
        sounds[event] = sound.scaled(gain)
    if problems:  # all of them at once: nobody should have to fix them one run at a time
        raise SoundFileError("\n".join(problems))
    return sounds
