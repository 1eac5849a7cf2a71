"""Measuring what was played: non-silent stretches and their pitch.

Used by the tests and the latency benchmark on what ALSA's ``file`` plugin
captured, and on the shipped sounds themselves for comparison. Pure Python.
"""

from __future__ import annotations

import array
import contextlib
import math
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from yogaback.sound.pcm import RATE

BLOCK = 0.005
"""Seconds per analysis block."""
THRESHOLD = 60
"""Block peak (of 32767) above which a block counts as sound: about −55 dBFS."""
MIN_GAP = 0.05
"""Silences shorter than this do not split a stretch."""


@dataclass(frozen=True)
class Stretch:
    start: int
    """First sample of the stretch."""
    end: int
    """One past its last sample."""

    @property
    def seconds(self) -> float:
        return (self.end - self.start) / RATE


ROOT = Path(__file__).resolve().parents[1]
"""The repository root, where ``devtools`` lives."""


def alsa_env(home: Path, pcm: str, path: str | None = None) -> dict[str, str]:
    """This environment, with ``HOME`` at ``home`` whose ``.asoundrc`` makes ALSA's default
    device ``pcm``, and no PulseAudio or XDG settings to lead anything elsewhere. ``path``:
    a ``PATH`` to use instead (e.g. one without any system player)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / ".asoundrc").write_text(f"pcm.!default {{ {pcm} }}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PULSE_", "ALSA_"))}
    env["HOME"] = str(home)
    # so that children can run ``python -m devtools.soundplay`` from anywhere
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if path is not None:
        env["PATH"] = path
    return env


def capture_env(home: Path, folder: Path) -> dict[str, str]:
    """An environment (see ``alsa_env``) in which what is played lands in raw files in
    ``folder``, named ``cap_RATE_CHANNELS_BITS.raw`` (numbered after the first each time the
    device is opened again), with ALSA's null device pacing it faster than real time."""
    folder.mkdir(parents=True, exist_ok=True)
    pcm = (
        f'type file; slave.pcm "null"; file "{folder}/cap_%r_%c_%b.raw"; format "raw"; '
        "truncate false"
    )
    return alsa_env(home, pcm)


def read_raw(paths: Sequence[Path]) -> array.array[int]:
    """Concatenate raw little-endian 16-bit captures, in the order given."""
    out = array.array("h")
    for path in paths:
        chunk = array.array("h")
        data = path.read_bytes()
        chunk.frombytes(data[: len(data) - len(data) % 2])
        if sys.byteorder == "big":
            chunk.byteswap()
        out.extend(chunk)
    return out


def capture_files(folder: Path, stem: str) -> list[Path]:
    """ALSA's file plugin with ``truncate false`` writes STEM, then STEM.0001, STEM.0002…
    (a new file each time the device is opened): return them in that order."""

    def order(p: Path) -> int:
        m = re.search(r"\.(\d{4})$", p.name)
        return int(m.group(1)) if m else 0

    return sorted((p for p in folder.iterdir() if p.name.startswith(stem)), key=order)


def stretches(
    samples: Sequence[int], threshold: int = THRESHOLD, min_gap: float = MIN_GAP
) -> list[Stretch]:
    """The non-silent stretches of ``samples``, to block precision (5 ms)."""
    block = round(BLOCK * RATE)
    gap_blocks = max(1, round(min_gap / BLOCK))
    loud: list[int] = []
    for b in range(0, len(samples), block):
        chunk = samples[b : b + block]
        if max(chunk, default=0) > threshold or -min(chunk, default=0) > threshold:
            loud.append(b // block)
    out: list[Stretch] = []
    if not loud:
        return out
    first = prev = loud[0]
    for b in loud[1:]:
        if b - prev > gap_blocks:
            out.append(Stretch(first * block, min(len(samples), (prev + 1) * block)))
            first = b
        prev = b
    out.append(Stretch(first * block, min(len(samples), (prev + 1) * block)))
    return out


def dominant_frequency(samples: Sequence[int], fmin: float = 80.0, fmax: float = 2000.0) -> float:
    """The strongest frequency in the first quarter second, by a coarse-to-fine DFT scan."""
    n = min(len(samples), round(0.25 * RATE))
    if n < 64:
        return 0.0
    step = 4  # decimate: the sounds have next to nothing above RATE / 8
    xs = [samples[i] * (0.5 - 0.5 * math.cos(2 * math.pi * i / n)) for i in range(0, n, step)]
    rate = RATE / step

    def power(f: float) -> float:
        w = 2 * math.pi * f / rate
        # Goertzel
        s1 = s2 = 0.0
        c = 2 * math.cos(w)
        for x in xs:
            s1, s2 = x + c * s1 - s2, s1
        return s1 * s1 + s2 * s2 - c * s1 * s2

    best = fmin
    f = fmin
    coarse = 4.0
    best_p = -1.0
    while f <= fmax:
        p = power(f)
        if p > best_p:
            best, best_p = f, p
        f *= 1 + coarse / 100  # 4 % steps
    lo, hi = best / (1 + coarse / 100), best * (1 + coarse / 100)
    f = lo
    while f <= hi:
        p = power(f)
        if p > best_p:
            best, best_p = f, p
        f += 0.5
    return best


def zero_crossing_frequency(samples: Sequence[int]) -> float:
    """Rough pitch from rising zero crossings (for a quick cross-check)."""
    n = min(len(samples), round(0.3 * RATE))
    rising = sum(1 for i in range(1, n) if samples[i - 1] < 0 <= samples[i])
    return rising * RATE / n if n else 0.0


# --- real-time capture: ALSA's file plugin into a FIFO, read at the device rate ------------

F_SETPIPE_SZ = 1031
"""fcntl command to set a pipe's buffer size (Linux): a small pipe keeps the writer close
behind the reader, so the capture's clock is the reader's."""


@dataclass
class Timed:
    """Captured samples, each run of them timestamped on ``time.monotonic``'s clock."""

    samples: array.array[int]
    runs: list[tuple[int, float]]
    """(first sample index, clock reading) of each run: a run starts when sound arrives
    after the device has been quiet (paused) for a while."""

    def time_of(self, index: int) -> float:
        first, when = max((r for r in self.runs if r[0] <= index), default=self.runs[0])
        return when + (index - first) / RATE


class FifoCapture:
    """Read what ALSA's ``file`` plugin writes into a named pipe, paced at ``RATE``, on a
    thread of its own. ``env`` is an environment (see ``alsa_env``) for the program whose
    sound is captured. Each run of sound is stamped with the reader's clock to ~10 ms."""

    def __init__(self, folder: Path, home: Path) -> None:
        import threading

        self.fifo = folder / "capture.fifo"
        os.mkfifo(self.fifo)
        pcm = f'type file; slave.pcm "null"; file "{self.fifo}"; format "raw"'
        self.env = alsa_env(home, pcm)
        self.samples = array.array("h")
        self.runs: list[tuple[int, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        import fcntl
        import select
        import time

        fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        try:
            with contextlib.suppress(OSError):
                fcntl.fcntl(fd, F_SETPIPE_SZ, 4096)
            run_start = -1.0
            run_first = 0
            pending = b""
            while not self._stop.is_set():
                ready, _, _ = select.select([fd], [], [], 0.02)
                now = time.monotonic()
                if not ready:
                    run_start = -1.0  # quiet: the next sound starts a new run
                    continue
                # pace: take no more than real time allows since the run began
                if run_start >= 0:
                    due = run_first + round((now - run_start) * RATE) + 256
                    room = due - len(self.samples) - len(pending) // 2
                    if room <= 0:
                        time.sleep(0.003)
                        continue
                else:
                    room = 256
                try:
                    data = os.read(fd, 2 * room)
                except BlockingIOError:
                    continue
                if not data:  # the writer closed: wait for the next open
                    run_start = -1.0
                    time.sleep(0.01)
                    continue
                if run_start < 0:
                    run_start, run_first = now, len(self.samples) + len(pending) // 2
                    self.runs.append((run_first, now))
                data = pending + data
                whole = len(data) - len(data) % 2
                chunk = array.array("h")
                chunk.frombytes(data[:whole])
                pending = data[whole:]
                if sys.byteorder == "big":
                    chunk.byteswap()
                self.samples.extend(chunk)
        finally:
            os.close(fd)

    def stop(self) -> Timed:
        self._stop.set()
        self._thread.join(2.0)
        return Timed(self.samples, self.runs or [(0, 0.0)])
