"""Generate yogaback's cue sounds into audio/*.wav (mono, 16-bit, 44.1 kHz).

Standard library only, deterministic: running it again writes the same files.

- pose.wav         a singing bowl (D4), struck once, ringing out over 6 s — "a new pose begins"
- switch.wav       two quick strikes of a smaller bowl, rising (A4 then D5) — "switch sides"
- inhale.wav       a soft swell that rises and falls over 3.5 s, its pitch rising a little
                   (C5 → E5), with a breath of noise — "breathe in"
- exhale.wav       the same swell falling (A4 → F4) — "breathe out"
- inhale-tick.wav  a short, soft wooden tick, higher — "breathe in", for ``breath: tick``
- exhale-tick.wav  the same tick, lower — "breathe out", for ``breath: tick``
- halfway.wav      one quiet, high ping (A5) — "halfway through a long hold"
- end.wav          a deep bowl (G3) struck three times, ringing out over 10 s — "the end"

How a bowl is made: a few inharmonic partials (``BOWL_RATIOS``), each decaying
exponentially at its own rate (the high ones die first, as in a real bowl). Each partial
has a quiet twin a fraction of a hertz above it (``TWIN`` of its amplitude), which gives
the slow shimmer of a real bowl without the level ever dipping more than ~2 dB (equal
twins cancel completely, which made the old bowls pulse and the halfway ping sound
twice). A strike adds a few milliseconds of soft noise and a brief high "ding". The
final fade of each file starts only once the ring has decayed by ``QUIET_BEFORE_FADE``.

Levels (integrated loudness, ITU-R BS.1770, measured by ``loudness.py`` beside this
script; all relative to the speech, which the voice normalises to ``SPEECH_LUFS``):
the bowls 3 dB under the speech, the halfway ping 7 dB under it, breath tones 10 dB under
the bowl. The mixer applies ``--volume`` to everything alike, so these ratios hold.

Usage: python scripts/make_sounds.py [OUTDIR]   (default: audio/ beside this script's folder)
"""

from __future__ import annotations

import array
import cmath
import math
import random
import sys
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loudness import lufs

RATE = 44100
TAU = 2 * math.pi
BOWL_RATIOS = (1.0, 2.76, 5.40, 8.93)
"""Mode frequencies of a singing bowl relative to its lowest: not harmonics."""
TWIN = 0.1
"""Amplitude of each partial's detuned twin relative to the partial: the envelope then
swings by 20·log10(1.1 / 0.9) ≈ 1.7 dB at most, a shimmer rather than a pulse."""
QUIET_BEFORE_FADE = 24.0
"""dB under its loudest moment a sound must have decayed to before its final fade starts."""
MAX_PEAK = 0.89
"""Highest sample (of full scale) any file may reach: −1 dBFS."""

SPEECH_LUFS = -18.0
"""Where spoken cues sit: espeak-ng renders a 20-word cue at about −19.7 LUFS (peak
−2.2 dBFS) and flite's slt voice at −16.1 (peak −2.6); −18 LUFS is reachable by both
without clipping, so the voice normalises its clips to it."""
BOWL_LUFS = SPEECH_LUFS - 3.0
HALFWAY_LUFS = SPEECH_LUFS - 7.0
BREATH_LUFS = BOWL_LUFS - 10.0


def strike(seconds: float, seed: int, brightness: float = 0.35) -> list[float]:
    """The attack of a mallet: a few ms of soft (low-passed) noise dying away fast."""
    rng = random.Random(seed)
    n = round(seconds * RATE)
    out = [0.0] * n
    lp = 0.0
    for i in range(n):
        lp += brightness * (rng.uniform(-1.0, 1.0) - lp)
        out[i] = lp * math.exp(-i / (0.004 * RATE))
    return out


def bowl(
    f0: float,
    seconds: float,
    *,
    amps: Sequence[float] = (1.0, 0.45, 0.2, 0.08),
    decays: Sequence[float] = (1.4, 0.9, 0.5, 0.25),
    detune: Sequence[float] = (0.9, 1.7, 2.6, 3.1),
    hit: float = 0.5,
    seed: int = 1,
) -> list[float]:
    """One strike: partials at ``BOWL_RATIOS`` decaying over ``decays`` seconds (time
    constants), each with a ``TWIN`` ``detune`` Hz above, plus the strike's transient."""
    n = round(seconds * RATE)
    out = [0.0] * n
    for ratio, amp, tau, d in zip(BOWL_RATIOS, amps, decays, detune, strict=False):
        f = f0 * ratio
        if f > RATE / 2.5:
            continue
        # A decaying phasor, stepped by one complex multiplication a sample.
        fall = -1.0 / (tau * RATE)
        step1 = cmath.exp(complex(fall, TAU * f / RATE))
        step2 = cmath.exp(complex(fall, TAU * (f + d) / RATE))
        z1 = amp * cmath.exp(1j * ratio)  # fixed, different start phases per partial
        z2 = amp * TWIN
        for i in range(n):
            out[i] += z1.imag + z2.imag
            z1 *= step1
            z2 *= step2
    # A brief, bright "ding" above the partials: the rim's first ring after the mallet.
    ding = cmath.exp(complex(-1.0 / (0.03 * RATE), TAU * f0 * 13.3 / RATE))
    z = complex(0.12 * hit, 0.0)
    for i in range(min(n, round(0.3 * RATE))):
        out[i] += z.imag
        z *= ding
    noise = strike(0.05, seed)
    for i, v in enumerate(noise[:n]):
        out[i] += hit * v
    attack = round(0.0015 * RATE)  # 1.5 ms: a mallet, not a click
    for i in range(min(n, attack)):
        out[i] *= 0.5 - 0.5 * math.cos(math.pi * i / attack)
    return out


def swell(f_from: float, f_to: float, seconds: float, *, rise: float, seed: int) -> list[float]:
    """A soft tone with a breath of noise that swells up over ``rise`` of ``seconds`` and
    dies away over the rest, its pitch sliding smoothly from ``f_from`` to ``f_to``."""
    n = round(seconds * RATE)
    out = [0.0] * n
    rng = random.Random(seed)
    phase = 0.0
    lp = hp = 0.0
    peak_at = rise * seconds
    for i in range(n):
        t = i / RATE
        x = t / seconds
        f = f_from + (f_to - f_from) * (0.5 - 0.5 * math.cos(math.pi * x))
        phase += TAU * f / RATE
        if t < peak_at:
            env = math.sin(0.5 * math.pi * t / peak_at) ** 2
        else:
            env = math.cos(0.5 * math.pi * (t - peak_at) / (seconds - peak_at)) ** 2
        # Band-limited noise (a one-pole low pass minus a slower one): air, not hiss.
        w = rng.uniform(-1.0, 1.0)
        lp += 0.25 * (w - lp)
        hp += 0.02 * (lp - hp)
        tone = math.sin(phase) + 0.15 * math.sin(2 * phase) + 0.04 * math.sin(3 * phase)
        out[i] = env * (tone + 0.6 * (lp - hp))
    return out


def tick(f: float, *, seed: int) -> list[float]:
    """A short, soft wooden tick: a damped sine with a touch of noise, ~80 ms."""
    n = round(0.08 * RATE)
    rng = random.Random(seed)
    out = [0.0] * n
    step = cmath.exp(complex(-1.0 / (0.012 * RATE), TAU * f / RATE))
    z = complex(1.0, 0.0)
    lp = 0.0
    for i in range(n):
        lp += 0.3 * (rng.uniform(-1.0, 1.0) - lp)
        out[i] = z.imag + 0.3 * lp * math.exp(-i / (0.002 * RATE))
        z *= step
    attack = round(0.001 * RATE)
    for i in range(attack):
        out[i] *= 0.5 - 0.5 * math.cos(math.pi * i / attack)
    return out


def mix_at(total: float, parts: Sequence[tuple[float, float, list[float]]]) -> list[float]:
    """(start second, gain, samples) laid over ``total`` seconds of silence."""
    out = [0.0] * round(total * RATE)
    for at, gain, samples in parts:
        start = round(at * RATE)
        for i, v in enumerate(samples[: len(out) - start]):
            out[start + i] += gain * v
    return out


def fade_tail(samples: list[float], fade: float) -> list[float]:
    """Fade the last ``fade`` seconds to silence (raised cosine). Refuses a fade that would
    start while the sound is still loud: the ring must die away on its own first."""
    n = len(samples)
    m = min(n, round(fade * RATE))
    window = round(0.05 * RATE)

    def rms(a: int, b: int) -> float:
        chunk = samples[max(0, a) : b]
        return math.sqrt(math.fsum(v * v for v in chunk) / max(1, len(chunk)))

    loudest = max(rms(s, s + window) for s in range(0, n - window, window))
    at_fade = rms(n - m - window, n - m)
    if at_fade > loudest * 10 ** (-QUIET_BEFORE_FADE / 20):
        drop = 20 * math.log10(loudest / at_fade)
        raise ValueError(f"the fade would start only {drop:.1f} dB under the peak")
    out = list(samples)
    for i in range(n - m, n):
        out[i] *= 0.5 - 0.5 * math.cos(math.pi * (n - i) / m)
    return out


def finish(samples: list[float], target_lufs: float, fade: float = 0.0) -> bytes:
    """Fade the tail, set the level to ``target_lufs``, pack as native 16-bit."""
    if fade:
        samples = fade_tail(samples, fade)
    gain = 10 ** ((target_lufs - lufs(samples, RATE)) / 20)
    top = max(abs(v) for v in samples) * gain
    if top > MAX_PEAK:
        raise ValueError(f"at {target_lufs} LUFS it would peak at {20 * math.log10(top):.1f} dBFS")
    out = array.array("h", (round(v * gain * 32767) for v in samples))
    if sys.byteorder == "big":
        out.byteswap()
    return out.tobytes()


SMALL_BOWL = {"amps": (1.0, 0.4, 0.18, 0.06), "decays": (1.0, 0.65, 0.4, 0.2)}
END_BOWL = {"amps": (1.0, 0.5, 0.22, 0.08), "decays": (2.0, 1.2, 0.6, 0.3)}

SOUNDS: dict[str, Callable[[], bytes]] = {
    "pose": lambda: finish(bowl(293.66, 6.0), BOWL_LUFS, fade=1.2),
    "switch": lambda: finish(
        mix_at(
            4.0,
            [
                (0.0, 1.0, bowl(440.0, 4.0, seed=2, **SMALL_BOWL)),
                (0.28, 1.0, bowl(587.33, 3.72, seed=3, **SMALL_BOWL)),
            ],
        ),
        BOWL_LUFS,
        fade=0.8,
    ),
    "inhale": lambda: finish(swell(523.25, 659.25, 3.5, rise=0.4, seed=4), BREATH_LUFS),
    "exhale": lambda: finish(swell(440.0, 349.23, 3.5, rise=0.3, seed=5), BREATH_LUFS),
    "inhale-tick": lambda: finish(tick(1046.5, seed=6), BREATH_LUFS),
    "exhale-tick": lambda: finish(tick(698.46, seed=7), BREATH_LUFS),
    "halfway": lambda: finish(
        bowl(880.0, 3.0, amps=(1.0, 0.3), decays=(0.6, 0.3), detune=(1.3, 2.0), hit=0.3, seed=8),
        HALFWAY_LUFS,
        fade=0.6,
    ),
    "end": lambda: finish(
        mix_at(
            10.0,
            [
                (at, gain, bowl(196.0, 10.0 - at, seed=9 + k, **END_BOWL))
                for k, (at, gain) in enumerate(((0.0, 1.0), (1.2, 0.85), (2.4, 0.7)))
            ],
        ),
        BOWL_LUFS,
        fade=1.5,
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
