"""CPU time to mix one minute of practice, old mixer (``AddAndClip`` below, the add and
hard-clip mixer yogaback had before) against the new one (``mixer.Mixer``: limiter and fades).

Drives each mixer directly with 10 ms periods, as miniaudio's callback would, on the
shipped sounds at ``--volume 80`` and a stand-in for speech (a 5 s clip peaking at
-1 dBFS, as loud as a normalised clip gets). Scenarios, one minute each:

- practice: a pose bowl, speech 0.25 s later, breath swells every 4 s, a halfway ping,
  speech again at 30 s (what an upper-back minute with --voice sounds like);
- busy: four loud sounds overlapping all the time (the limiter at work throughout).

Reports CPU seconds per minute of audio (median of ``--runs``) and the share of one core.

Usage: python benchmarks/mixing.py [--runs 5]
"""

from __future__ import annotations

import argparse
import array
import math
import statistics
import time
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from yogaback.sound.library import load_sounds
from yogaback.sound.mixer import THRESHOLD, Mixer

RATE = 44100
PERIOD = 441


@dataclass
class _Sound:
    tag: int
    data: bytes
    pos: int = 0
    """Byte offset of the next sample to play."""


class AddAndClip:
    """The mixer before the limiter (engines._Mixer until this change), kept as the
    same-run baseline: sums the active sounds and hard-clips."""

    def __init__(self, clock: Callable[[], float], on_first: Any, idle: Callable[[], None]):
        self.clock = clock
        self.on_first = on_first
        self.idle = idle
        self.incoming: deque[tuple[int, bytes]] = deque()
        self.voices: list[_Sound] = []
        self.clear = False
        self.tail_frames = round(0.3 * RATE)
        self.silent_frames = 0
        self.idle_sent = True
        self.error: BaseException | None = None

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
            self.voices.clear()
        if self.incoming:
            now = self.clock()
            while self.incoming:
                tag, data = self.incoming.popleft()
                self.voices.append(_Sound(tag, data))
                del self.voices[:-4]
                if self.on_first is not None:
                    self.on_first(tag, now)
        size = 2 * frames
        if not self.voices:
            self.silent_frames += frames
            if not self.idle_sent and self.silent_frames >= self.tail_frames:
                self.idle_sent = True
                self.idle()
            return bytes(size)
        self.silent_frames = 0
        self.idle_sent = False
        chunks: list[bytes] = []
        for voice in self.voices:
            chunks.append(voice.data[voice.pos : voice.pos + size])
            voice.pos += size
        self.voices = [v for v in self.voices if v.pos < len(v.data)]
        if len(chunks) == 1:
            chunk = chunks[0]
            return chunk if len(chunk) == size else chunk + bytes(size - len(chunk))
        total = [0] * frames
        for chunk in chunks:
            a = array.array("h")
            a.frombytes(chunk)
            for i, v in enumerate(a):
                total[i] += v
        return array.array("h", (max(-32768, min(32767, v)) for v in total)).tobytes()


def speech(seconds: float = 5.0) -> bytes:
    """A speech-like stand-in: a buzzy tone, its level moving like syllables."""
    n = round(seconds * RATE)
    out = []
    for i in range(n):
        t = i / RATE
        syllable = 0.5 - 0.5 * math.cos(2 * math.pi * 4 * t)
        buzz = math.sin(2 * math.pi * 140 * t) + 0.5 * math.sin(2 * math.pi * 420 * t)
        out.append(round(THRESHOLD * syllable * buzz / 1.5))
    return array.array("h", out).tobytes()


def practice() -> dict[int, list[bytes]]:
    """Period index -> sounds starting then."""
    sounds = load_sounds(80)
    talk = speech()
    plan: dict[int, list[bytes]] = {0: [sounds["pose"].data], 25: [talk], 3000: [talk]}
    for k, at in enumerate(range(500, 6000, 400)):
        plan.setdefault(at, []).append(sounds["inhale" if k % 2 == 0 else "exhale"].data)
    plan.setdefault(3000, []).append(sounds["halfway"].data)
    return plan


def busy() -> dict[int, list[bytes]]:
    sounds = load_sounds(100)
    talk = speech()
    loud = [sounds["end"].data, sounds["pose"].data, sounds["switch"].data, talk]
    return {at: [loud[(at // 150) % 4]] for at in range(0, 6000, 150)}


def mix_minute(make: Callable[[], Any], plan: dict[int, list[bytes]]) -> float:
    m = make()
    m.idle_sent = False
    tag = 0
    start = time.process_time()
    for period in range(6000):
        for data in plan.get(period, ()):
            tag += 1
            m.incoming.append((tag, data))
        m.fill(PERIOD)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    mixers: dict[str, Callable[[], Any]] = {
        "old (add + clip)": lambda: AddAndClip(time.monotonic, None, lambda: None),
        "new (limiter + fades)": lambda: Mixer(time.monotonic, None, lambda: None),
    }
    for scenario, plan in (("practice", practice()), ("busy", busy())):
        for name, make in mixers.items():
            times = [mix_minute(make, plan) for _ in range(args.runs)]
            med = statistics.median(times)
            print(
                f"{scenario:<9} {name:<22} {med * 1000:7.0f} ms CPU per minute "
                f"({med / 60 * 100:.2f} % of a core; best {min(times) * 1000:.0f} ms)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
