"""The mixer that runs inside miniaudio's audio thread: sums the sounds that are playing
into each period, through a limiter, and fades sounds out instead of cutting them.

- **Limiter.** Several sounds at once (a bowl under speech, at ``--volume 100``) can add
  up past full scale. Rather than clip, each period's gain comes down to what keeps its
  peak at ``THRESHOLD`` (−1 dBFS), reached within ``ATTACK_FRAMES``, and goes back up
  smoothly (``RELEASE_SECONDS``). A soft knee (``soft_knee``) catches what is left above
  the threshold while the gain is still coming down, so nothing ever reaches full scale.
- **Fades.** ``stop`` (mute, quit, Ctrl-C) and a sound pushed out by ``MAX_VOICES``
  fade out over ``FADE_SECONDS`` instead of stopping in one sample (a click).

Hand-written, in pure Python, because it must run in the audio callback without numpy
(see ``pcm.import_miniaudio``) and miniaudio has no mixer for generator-fed devices.
Kept cheap: the usual case (one sound, or a sum under the threshold) costs a few
C-level passes (``map``/``max``/``min``) per period; the per-sample Python loop only
runs while the limiter or a fade is at work.
"""

from __future__ import annotations

import array
import math
import operator
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import cast

from yogaback.sound.pcm import RATE

Clock = Callable[[], float]
FirstSamples = Callable[[int, float], None]

MAX_VOICES = 4
"""Sounds mixed at once at most (a new one fades out the oldest): bounds the mixing work."""
TAIL_SECONDS = 0.3
"""Silence played after the last sound before the device is paused (in device frames, so
the end of a sound is never cut off however large the device's buffer is)."""
FADE_SECONDS = 0.015
"""A stopped sound fades out over this long: short enough to feel immediate, long
enough not to click."""
FULL = 32767
THRESHOLD = round(FULL * 10 ** (-1 / 20))
"""The limiter keeps peaks at or under this: −1 dBFS."""
ATTACK_FRAMES = 32
"""Frames over which the limiter's gain comes down to a new, lower target (0.7 ms)."""
RELEASE_SECONDS = 0.15
"""Time constant with which the limiter's gain goes back up to 1."""


def soft_knee(v: float) -> float:
    """Identity up to ``THRESHOLD``; above it, bends smoothly towards full scale without
    reaching it (tanh, which meets the straight line with the same slope)."""
    a = abs(v)
    if a <= THRESHOLD:
        return v
    room = FULL - THRESHOLD
    return math.copysign(THRESHOLD + room * math.tanh((a - THRESHOLD) / room), v)


@dataclass
class Voice:
    tag: int
    data: bytes
    pos: int = 0
    """Byte offset of the next sample to play."""
    fade_left: int | None = None
    """Frames of fade-out left (None: not fading)."""

    def fade_out(self) -> None:
        if self.fade_left is None:
            self.fade_left = round(FADE_SECONDS * RATE)

    def take(self, frames: int) -> bytes | list[float]:
        """The next ``frames`` samples (fewer at the end), faded if it is fading."""
        size = 2 * frames
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        if self.fade_left is None:
            return chunk
        samples = array.array("h")
        samples.frombytes(chunk)
        full = round(FADE_SECONDS * RATE)
        left = self.fade_left
        out = [v * (left - i) / full for i, v in enumerate(samples[:left])]
        self.fade_left = max(0, left - frames)
        if self.fade_left == 0:
            self.pos = len(self.data)
        return out

    @property
    def done(self) -> bool:
        return self.pos >= len(self.data)


class Mixer:
    """Runs inside miniaudio's audio thread: sums the active sounds into each period."""

    def __init__(
        self, clock: Clock, on_first: FirstSamples | None, idle: Callable[[], None]
    ) -> None:
        self.clock = clock
        self.on_first = on_first
        self.idle = idle
        self.incoming: deque[tuple[int, bytes]] = deque()
        self.voices: list[Voice] = []
        self.clear = False
        """Set (from another thread) to fade out everything that is playing."""
        self.tail_frames = round(TAIL_SECONDS * RATE)
        self.silent_frames = 0
        self.idle_sent = True
        self.error: BaseException | None = None
        self.gain = 1.0
        """The limiter's gain at the end of the last period."""

    def generator(self) -> Generator[bytes, int, None]:
        frames = yield b""
        while True:
            try:
                out = self.fill(frames)
            except BaseException as exc:  # never let an exception into the audio thread
                self.error = exc
                out = bytes(2 * frames)
            frames = yield out

    def active(self) -> bool:
        return bool(self.incoming or self.voices)

    def fill(self, frames: int) -> bytes:
        if self.clear:
            self.clear = False
            for voice in self.voices:
                voice.fade_out()
        if self.incoming:
            now = self.clock()
            while self.incoming:
                tag, data = self.incoming.popleft()
                self.voices.append(Voice(tag, data))
                playing = [v for v in self.voices if v.fade_left is None]
                for voice in playing[:-MAX_VOICES]:
                    voice.fade_out()
                if self.on_first is not None:
                    self.on_first(tag, now)
        size = 2 * frames
        if not self.voices:
            self.gain = 1.0
            self.silent_frames += frames
            if not self.idle_sent and self.silent_frames >= self.tail_frames:
                self.idle_sent = True
                self.idle()
            return bytes(size)
        self.silent_frames = 0
        self.idle_sent = False
        chunks = [voice.take(frames) for voice in self.voices]
        self.voices = [v for v in self.voices if not v.done]
        only = chunks[0]
        if len(chunks) == 1 and isinstance(only, bytes) and self.gain == 1.0:
            # One sound as it is: it cannot exceed full scale.
            return only if len(only) == size else only + bytes(size - len(only))
        exact = all(isinstance(chunk, bytes) for chunk in chunks)  # no fade made floats
        total: list[float] = [0] * frames
        for chunk in chunks:
            part: array.array[int] | list[float]
            if isinstance(chunk, bytes):
                part = array.array("h")
                part.frombytes(chunk)
            else:
                part = chunk
            total[: len(part)] = map(operator.add, total, part)
        return self._limit(total, frames, exact)

    def _limit(self, total: list[float], frames: int, exact: bool) -> bytes:
        peak = max(max(total), -min(total))
        target = 1.0 if peak <= THRESHOLD else THRESHOLD / peak
        start = self.gain
        if target < start:
            end = target
        else:
            end = target - (target - start) * math.exp(-frames / (RELEASE_SECONDS * RATE))
            if end > 0.999:
                end = 1.0
        self.gain = end
        if start == end == 1.0:  # under the threshold: the plain sum
            ints = cast("list[int]", total) if exact else list(map(round, total))
            return array.array("h", ints).tobytes()
        # The gain moves from start to end: over ATTACK_FRAMES going down, over the whole
        # period going back up; the soft knee takes the overshoot of the first frames.
        ramp = ATTACK_FRAMES if end < start else frames
        step = (end - start) / ramp
        out = array.array("h", bytes(2 * frames))
        for i, v in enumerate(total):
            g = start + step * i if i < ramp else end
            out[i] = round(soft_knee(v * g))
        return out.tobytes()
