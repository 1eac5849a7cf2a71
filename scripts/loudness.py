"""Measure cue sounds: K-weighted loudness (LUFS), peak, and how deeply a bowl beats.

Standard library only (the project keeps numpy out), so it is slow-ish but exact enough:
about a second for every 15 s of audio. Used by ``make_sounds.py`` to set each sound's
level, by the tests that check those levels, and to report before/after figures.

Loudness follows ITU-R BS.1770-4 for one channel: the K-weighting filter (a high shelf
then a high pass, designed for the file's rate as libebur128 does), mean square over
400 ms blocks overlapping by 75 %, an absolute gate at −70 LUFS and a relative gate
10 LU under the loudness of the blocks that pass it. A sound shorter than one block is
measured as one block (its "momentary" loudness), so a 80 ms tick and a 3.5 s swell are
compared over the same 400 ms.

Usage: python scripts/loudness.py FILE.wav...   (prints LUFS, peak dBFS and beating depth)
"""

from __future__ import annotations

import array
import math
import sys
import wave
from collections.abc import Sequence
from pathlib import Path

from yogaback.sound.loudness import gated_lufs as lufs  # the one loudness measure

ENVELOPE_WINDOW = 0.02
"""Seconds per RMS window of an envelope."""
ENVELOPE_HOP = 0.01


def read_wav(path: Path) -> tuple[list[float], int]:
    """A mono 16-bit WAV file as floats in [-1, 1), and its rate."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise ValueError(f"{path}: expected mono 16-bit PCM")
        rate = w.getframerate()
        raw = w.readframes(w.getnframes())
    samples = array.array("h")
    samples.frombytes(raw)
    if sys.byteorder == "big":
        samples.byteswap()
    return [v / 32768.0 for v in samples], rate


def peak_dbfs(xs: Sequence[float]) -> float:
    top = max((abs(v) for v in xs), default=0.0)
    return 20 * math.log10(top) if top > 0 else -math.inf


def envelope_db(xs: Sequence[float], rate: int) -> list[float]:
    """RMS level in dBFS of ``ENVELOPE_WINDOW`` windows every ``ENVELOPE_HOP`` seconds."""
    win, hop = round(ENVELOPE_WINDOW * rate), round(ENVELOPE_HOP * rate)
    out = []
    for s in range(0, max(1, len(xs) - win + 1), hop):
        ms = math.fsum(v * v for v in xs[s : s + win]) / win
        out.append(10 * math.log10(ms) if ms > 1e-14 else -140.0)
    return out


def beating_depth(
    xs: Sequence[float],
    rate: int,
    span: float = 1.5,
    floor: float = 30.0,
    start: float = 0.0,
    stop: float | None = None,
) -> float:
    """How deeply the sound's level swells and dips, in dB, apart from its steady decay.

    The envelope (``envelope_db``) is followed in windows of ``span`` seconds (longer than
    one beat of the detuned partials); in each, a straight line (an exponential decay) is
    fitted and the spread of the envelope about it, highest minus lowest, is the beating
    there. The deepest over the ring is returned. Only the part within ``floor`` dB of the
    loudest window counts, after the first 50 ms (the strike) and before any final fade.
    ``start`` and ``stop`` (seconds) pick one strike's ring out of several; the windows
    are then no longer than that ring."""
    env = envelope_db(xs, rate)
    top = max(env)
    first = round((start + 0.05) / ENVELOPE_HOP)
    end = len(env) if stop is None else min(len(env), round(stop / ENVELOPE_HOP) - 2)
    span = min(span, (end - first) * ENVELOPE_HOP)
    loud = [i for i in range(first, end) if env[i] > top - floor]
    if not loud:
        return 0.0
    last = loud[-1]
    n = max(3, round(span / ENVELOPE_HOP))
    worst = 0.0
    for s in range(first, max(first + 1, last - n + 2), max(1, n // 4)):
        ys = env[s : min(s + n, last + 1)]
        if len(ys) < 3:
            continue
        ts = range(len(ys))
        tm, ym = (len(ys) - 1) / 2, math.fsum(ys) / len(ys)
        slope = math.fsum((t - tm) * (y - ym) for t, y in zip(ts, ys, strict=True)) / math.fsum(
            (t - tm) ** 2 for t in ts
        )
        residual = [y - (ym + slope * (t - tm)) for t, y in zip(ts, ys, strict=True)]
        worst = max(worst, max(residual) - min(residual))
    return worst


def main(argv: Sequence[str]) -> int:
    print(f"{'file':<28} {'LUFS':>7} {'peak dBFS':>10} {'beating dB':>11} {'seconds':>8}")
    for name in argv:
        xs, rate = read_wav(Path(name))
        print(
            f"{name:<28} {lufs(xs, rate):7.1f} {peak_dbfs(xs):10.1f} "
            f"{beating_depth(xs, rate):11.1f} {len(xs) / rate:8.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
