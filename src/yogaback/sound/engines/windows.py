"""Windows' own ``winsound`` module (one sound at a time)."""

from __future__ import annotations

import contextlib
import importlib
from typing import Any

from yogaback.sound.engines.base import Failed, Options, Unavailable
from yogaback.sound.engines.players import FileCache, silent_wav
from yogaback.sound.pcm import Sound


class WinsoundEngine:
    """Windows' own ``winsound`` (one sound at a time)."""

    name = "winsound"

    def __init__(self, options: Options) -> None:
        try:
            self.ws: Any = importlib.import_module("winsound")
        except ImportError:
            raise Unavailable("winsound exists only on Windows") from None
        self.on_first = options.on_first
        self.clock = options.clock
        self.files = FileCache(options.tmpdir)
        try:
            self.ws.PlaySound(str(silent_wav(self.files.tmpdir)), self._flags(sync=True))
        except RuntimeError as exc:
            raise Unavailable(f"winsound failed ({exc})") from None

    def _flags(self, sync: bool = False) -> int:
        flags = int(self.ws.SND_FILENAME | self.ws.SND_NODEFAULT)
        return flags if sync else flags | int(self.ws.SND_ASYNC)

    def play(self, sound: Sound, tag: int) -> None:
        try:
            self.ws.PlaySound(str(self.files.path(sound)), self._flags())
        except RuntimeError as exc:
            raise Failed(f"winsound failed ({exc})") from None
        if self.on_first is not None:
            self.on_first(tag, self.clock())

    def poll(self) -> float | None:
        return None

    def busy(self) -> bool:
        return False

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.ws.PlaySound(None, int(self.ws.SND_PURGE))

    def close(self) -> None:
        self.stop()
