"""Loudness of a rendered speech clip, to set every clip to the same level.

The same measure as ``scripts/loudness.py`` (ITU-R BS.1770: K-weighting, 400 ms blocks
overlapping by 75 %, absolute and relative gates), which the cue sounds were made with,
so that speech sits where they expect it: ``SPEECH_LUFS``. Pure Python (the project keeps
numpy out), hence measured on the engine's own output decimated to at most 16 kHz, where
a 5 s sentence takes a few tens of milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

SPEECH_LUFS = -18.0
"""The level the cue sounds were made against: the bowl sits 3 dB under it."""
BLOCK = 0.4
MAX_RATE = 16000


def biquad(
    xs: Sequence[float], b: tuple[float, float, float], a: tuple[float, float, float]
) -> list[float]:
    b0, b1, b2 = (v / a[0] for v in b)
    a1, a2 = a[1] / a[0], a[2] / a[0]
    x1 = x2 = y1 = y2 = 0.0
    out = [0.0] * len(xs)
    for i, x in enumerate(xs):
        y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2, x1, y2, y1 = x1, x, y1, y
        out[i] = y
    return out


def k_weight(xs: Sequence[float], rate: int) -> list[float]:
    """The K-weighting filter of BS.1770 at ``rate``: libebur128's design (bilinear
    transform with prewarping), which gives the standard's coefficients at 48 kHz."""
    k = math.tan(math.pi * 1681.974450955533 / rate)
    q, vh = 0.7071752369554196, 10 ** (3.999843853973347 / 20)
    vb = vh**0.4996667741545416
    shelf = (
        (vh + vb * k / q + k * k, 2 * (k * k - vh), vh - vb * k / q + k * k),
        (1 + k / q + k * k, 2 * (k * k - 1), 1 - k / q + k * k),
    )
    k = math.tan(math.pi * 38.13547087602444 / rate)
    q = 0.5003270373238773
    a0 = 1 + k / q + k * k  # libebur128 leaves this filter's b unscaled by a0
    high_pass = ((a0, -2 * a0, a0), (a0, 2 * (k * k - 1), 1 - k / q + k * k))
    return biquad(biquad(xs, *shelf), *high_pass)


def lufs(samples: Sequence[int], rate: int) -> float:
    """Integrated, gated loudness of 16-bit ``samples`` at ``rate`` (−inf for silence),
    measured on them decimated to at most ``MAX_RATE``."""
    step = max(1, math.ceil(rate / MAX_RATE))
    return gated_lufs([v / 32768.0 for v in samples[::step]], rate // step)


def gated_lufs(xs: Sequence[float], rate: int) -> float:
    """Integrated, gated loudness of one channel of samples in [-1, 1] (−inf for silence)."""
    block = round(BLOCK * rate)
    weighted = k_weight(list(xs) + [0.0] * max(0, block - len(xs)), rate)
    squares = [v * v for v in weighted]
    hop = block // 4
    powers = [
        math.fsum(squares[s : s + block]) / block for s in range(0, len(squares) - block + 1, hop)
    ]

    def loudness(ps: Sequence[float]) -> float:
        mean = math.fsum(ps) / len(ps) if ps else 0.0
        return -0.691 + 10 * math.log10(mean) if mean > 0 else -math.inf

    passed = [p for p in powers if loudness([p]) > -70.0]
    if not passed:
        return -math.inf
    gate = loudness(passed) - 10.0
    return loudness([p for p in passed if loudness([p]) > gate])
