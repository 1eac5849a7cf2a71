"""Silence: the end of every chain, so a session never waits on sound."""

from __future__ import annotations

from yogaback.sound.engines.base import Options
from yogaback.sound.pcm import Sound


class SilentEngine:
    name = "silent"

    def __init__(self, options: Options) -> None:
        pass

    def play(self, sound: Sound, tag: int) -> None:
        pass

    def poll(self) -> float | None:
        return None

    def busy(self) -> bool:
        return False

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass
