"""simpleaudio, when it is installed and asked for by name."""

from __future__ import annotations

import importlib
from typing import Any

from yogaback.sound.engines.base import Failed, Options, Unavailable
from yogaback.sound.pcm import RATE, Sound


class SimpleaudioEngine:
    """simpleaudio: only when asked for by name (it crashes on some Python versions)."""

    name = "simpleaudio"

    def __init__(self, options: Options) -> None:
        try:
            self.sa: Any = importlib.import_module("simpleaudio")
        except ImportError:
            raise Unavailable("simpleaudio is not installed") from None
        self.on_first = options.on_first
        self.clock = options.clock
        self.playing: list[Any] = []
        try:
            self.sa.play_buffer(bytes(2 * 441), 1, 2, RATE).wait_done()
        except Exception as exc:
            raise Unavailable(f"simpleaudio found no device ({exc})") from None

    def play(self, sound: Sound, tag: int) -> None:
        try:
            self.playing.append(self.sa.play_buffer(sound.data, 1, 2, RATE))
        except Exception as exc:
            raise Failed(f"simpleaudio failed ({exc})") from None
        if self.on_first is not None:
            self.on_first(tag, self.clock())

    def poll(self) -> float | None:
        self.playing = [p for p in self.playing if p.is_playing()]
        return 0.25 if self.playing else None

    def busy(self) -> bool:
        return any(p.is_playing() for p in self.playing)

    def stop(self) -> None:
        for p in self.playing:
            p.stop()
        self.playing = []

    def close(self) -> None:
        self.stop()
