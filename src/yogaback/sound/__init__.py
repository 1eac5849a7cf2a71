"""Sound: cues you can follow with your eyes closed.

``open_sound(SoundSettings(...))`` gives a ``SoundSink`` to add to a session's
sinks (or None for ``--no-sound``). Everything audible happens on one worker
thread; the session only enqueues. See ``engines.py`` for the fallback chain.

The names below are imported on first use, so that ``yogaback.sound.library`` (which
checking a routine's own sounds needs) does not pull in the engines and the player.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yogaback.sound.engines import ENGINES, chain
    from yogaback.sound.library import EVENTS, load_sounds, parse_override
    from yogaback.sound.pcm import Sound, SoundFileError, load_wav
    from yogaback.sound.sink import SoundSettings, SoundSink, open_sound, segment_event
    from yogaback.sound.voice import Voice, VoiceUnavailable

_WHERE = {
    "ENGINES": "engines",
    "chain": "engines",
    "EVENTS": "library",
    "load_sounds": "library",
    "parse_override": "library",
    "Sound": "pcm",
    "SoundFileError": "pcm",
    "load_wav": "pcm",
    "SoundSettings": "sink",
    "SoundSink": "sink",
    "open_sound": "sink",
    "segment_event": "sink",
    "Voice": "voice",
    "VoiceUnavailable": "voice",
}

__all__ = [
    "ENGINES",
    "EVENTS",
    "Sound",
    "SoundFileError",
    "SoundSettings",
    "SoundSink",
    "Voice",
    "VoiceUnavailable",
    "chain",
    "load_sounds",
    "load_wav",
    "open_sound",
    "parse_override",
    "segment_event",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'yogaback.sound' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"yogaback.sound.{module}"), name)
    globals()[name] = value
    return value
