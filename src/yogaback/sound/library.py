"""The cue sounds: which events there are, the shipped WAV files, the user's own."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from yogaback.sound.pcm import Sound, load_wav, volume_gain

EVENTS: dict[str, str] = {
    "pose": "a new pose begins",
    "switch": "switch sides",
    "inhale": "breathe in",
    "exhale": "breathe out",
    "halfway": "halfway through a long hold",
    "end": "the session is over",
}
"""Every event that has a sound, with what it tells the listener."""

BELLS: dict[str, int] = {"pose": 1, "switch": 2, "end": 3}
"""Terminal bells standing in for a sound when there is no audio device."""


def builtin_dir() -> Path:
    """The shipped sounds: inside the installed package, or the source tree's ``audio/``."""
    packaged = Path(str(resources.files("yogaback"))) / "audio"
    if (packaged / "pose.wav").is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "audio"


def parse_override(text: str) -> tuple[str, Path]:
    """``EVENT=FILE`` (the ``--sound`` option) to its parts; ValueError says what is wrong."""
    event, sep, path = text.partition("=")
    event = event.strip().lower()
    if not sep or not path.strip():
        raise ValueError(f"--sound {text!r}: expected EVENT=FILE.WAV, e.g. pose=~/bowl.wav")
    if event not in EVENTS:
        raise ValueError(f"--sound {text!r}: unknown event {event!r}; events: {', '.join(EVENTS)}")
    return event, Path(path.strip()).expanduser()


def load_sounds(volume: int = 100, overrides: Mapping[str, Path] | None = None) -> dict[str, Sound]:
    """Every event's sound at ``volume`` (0–100), the user's files taking the place of ours.
    Raises ``SoundFileError`` for a missing or unreadable file."""
    gain = volume_gain(volume)
    overrides = overrides or {}
    folder = builtin_dir()
    sounds = {}
    for event in EVENTS:
        path = overrides.get(event, folder / f"{event}.wav")
        sounds[event] = load_wav(path, event, BELLS.get(event, 0)).scaled(gain)
    return sounds
