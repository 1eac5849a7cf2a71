"""What a session keeps besides the player's state: help open, a passing notice, the
theme. The session loop changes it (keys, notices); the screen draws it."""

from __future__ import annotations

from dataclasses import dataclass

KEYS = "space pause · n next · p back · +/- hold · m mute · ? help · q quit"
"""The keys, as the live screen's key bar shows them and ``?`` prints them with --plain."""


@dataclass(frozen=True)
class UiState:
    """What the screen adds to the player's state: help, a passing notice, sound."""

    show_help: bool = False
    theme: str = "auto"
    """auto, dark, light or mono (mono: the console itself is built without colour)."""
    help_paused: bool = False
    """The help screen paused the session (closing it resumes)."""
    notice: str = ""
    notice_until: float = 0.0
    sound: str = ""
    """Why this session has no sound at all (e.g. "--no-sound"); empty when it has sound,
    so ``m`` can mute it."""
