"""Generate yogaback's cue sounds into audio/*.wav (mono, 16-bit, 44.1 kHz).

Standard library only, deterministic: running it again writes the same files.

- pose.wav     a singing bowl (D4): a few inharmonic partials, each a slightly detuned
               pair (so it gently beats), decaying slowly — "a new pose begins"
- switch.wav   two quick strikes of a smaller bowl, rising (A4 then D5) — "switch sides"
- inhale.wav   a soft, short rising tone (C5 → E5) — "breathe in"
- exhale.wav   a soft, short falling tone (A4 → F4) — "breathe out"
- halfway.wav  one quiet, high ping (A5) — "halfway through a long hold"
- end.wav      a deep bowl (G3) struck three times — "the session is over"

Usage: python scripts/make_sounds.py [OUTDIR]   (default: audio/ beside this script's folder)
"""

from __future__ import annotations

import array
import math
import sys
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

RATE = 44100
TAU = 2 * math.pi
BOWL_RATIOS = (1.0, 2.76, 5.40, 8.93)
"""Mode frequencies of a singing bowl relative to its lowest: not harmonics."""


def _envelope_attack(t: float, attack: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * t / attack) if t < attack else 1.0


def bowl(
    f0: float,
    seconds: float,
    *,
    amps: Sequence[float] = (1.0, 0.5, 0.25, 0.1),
    decays: Sequence[float] = (1.3, 0.8, 0.45, 0.25),
    detune: Sequence[float] = (0.9, 1.7, 2.6, 3.1),
) -> list[float]:
    """One strike: partials at ``BOWL_RATIOS``, each two sines ``detune`` Hz apart."""
    n = round(seconds * RATE)
    out = [0.0] * n
    for ratio, amp, tau, d in zip(BOWL_RATIOS, amps, decays, detune, strict=False):
        f = f0 * ratio
        w1, w2 = TAU * f / RATE, TAU * (f + d) / RATE
        k = -1.0 / (tau * RATE)
        phase = ratio  # fixed, different start phases per partial
        for i in range(n):
            out[i] += amp * math.exp(k * i) * 0.5 * (math.sin(w1 * i + phase) + math.sin(w2 * i))
    attack = 0.004
    for i in range(min(n, round(attack * RATE))):
        out[i] *= _envelope_attack(i / RATE, attack)
    return out


def glide_tone(f_from: float, f_to: float, seconds: float, release: float) -> list[float]:
    """A soft tone whose pitch slides smoothly, with a gentle attack and release."""
    n = round(seconds * RATE)
    out = [0.0] * n
    phase = 0.0
    attack = 0.035
    for i in range(n):
        t = i / RATE
        x = t / seconds
        f = f_from + (f_to - f_from) * (0.5 - 0.5 * math.cos(math.pi * x))
        phase += TAU * f / RATE
        env = _envelope_attack(t, attack)
        left = seconds - t
        if left < release:
            env *= 0.5 - 0.5 * math.cos(math.pi * left / release)
        out[i] = env * (math.sin(phase) + 0.18 * math.sin(2 * phase) + 0.05 * math.sin(3 * phase))
    return out


def mix_at(total: float, parts: Sequence[tuple[float, list[float]]]) -> list[float]:
    out = [0.0] * round(total * RATE)
    for at, samples in parts:
        start = round(at * RATE)
        for i, v in enumerate(samples[: len(out) - start]):
            out[start + i] += v
    return out


def finish(samples: list[float], peak: float, fade: float = 0.4) -> bytes:
    """Normalise to ``peak`` (of full scale), fade the tail to silence, pack as 16-bit."""
    top = max(abs(v) for v in samples) or 1.0
    n = len(samples)
    m = min(n, round(fade * RATE))
    out = array.array("h", bytes(2 * n))
    for i, v in enumerate(samples):
        g = peak / top
        if i >= n - m:
            g *= 0.5 - 0.5 * math.cos(math.pi * (n - i) / m)
        out[i] = round(max(-1.0, min(1.0, v * g)) * 32767)
    if sys.byteorder == "big":
        out.byteswap()
    return out.tobytes()


SOUNDS: dict[str, Callable[[], bytes]] = {
    "pose": lambda: finish(bowl(293.66, 3.0), 0.70, fade=0.6),
    "switch": lambda: finish(
        mix_at(
            1.8,
            [
                (0.0, bowl(440.0, 1.8, decays=(0.7, 0.45, 0.3, 0.2))),
                (0.28, bowl(587.33, 1.52, decays=(0.7, 0.45, 0.3, 0.2))),
            ],
        ),
        0.65,
        fade=0.4,
    ),
    "inhale": lambda: finish(glide_tone(523.25, 659.25, 0.42, 0.16), 0.32, fade=0.02),
    "exhale": lambda: finish(glide_tone(440.0, 349.23, 0.52, 0.22), 0.32, fade=0.02),
    "halfway": lambda: finish(
        bowl(880.0, 1.4, amps=(1.0, 0.3), decays=(0.45, 0.25), detune=(1.3, 2.0)), 0.35
    ),
    "end": lambda: finish(
        mix_at(
            3.4, [(at, bowl(196.0, 3.4 - at, decays=(1.1, 0.7, 0.4, 0.25))) for at in (0, 0.8, 1.6)]
        ),
        0.72,
        fade=0.7,
    ),
}


def write(path: Path, data: bytes) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data)


def main(argv: Sequence[str] = ()) -> int:
    outdir = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "audio"
    outdir.mkdir(parents=True, exist_ok=True)
    for name, make in SOUNDS.items():
        data = make()
        path = outdir / f"{name}.wav"
        write(path, data)
        print(f"{path}  {len(data) / 2 / RATE:.2f} s  {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
