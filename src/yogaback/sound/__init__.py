"""Sound: cues you can follow with your eyes closed.

``open_sound(SoundSettings(...))`` gives a ``SoundSink`` to add to a session's
sinks (or None for ``--no-sound``). Everything audible happens on one worker
thread; the session only enqueues. See ``engines.py`` for the fallback chain.
"""

from __future__ import annotations

from yogaback.sound.engines import ENGINES, chain
from yogaback.sound.library import EVENTS, load_sounds, parse_override
from yogaback.sound.pcm import Sound, SoundFileError, load_wav
from yogaback.sound.sink import SoundSettings, SoundSink, open_sound, segment_event
from yogaback.sound.voice import Voice, VoiceUnavailable

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
