"""How late do cue sounds start, and does sound disturb cue timing?

Plays a routine with the sound sink and a real clock (``python -m devtools.soundplay
play``) with ALSA's default device sent to a raw file through a temporary
``.asoundrc`` (so no sound card is needed), then the same routine with
``--no-sound``. Reports:

1. sound latency: from a cue's scheduled time to the moment its sound's first
   samples were handed to the device (miniaudio's data callback), p50 / p99 / max
   in ms; goal: p99 < 20 ms. ALSA's null device takes samples as fast as they
   come, so this is the software path: a real device adds its own output
   buffer (at most one 10 ms period when it is already running);
2. cue timing with and without sound: lateness of each segment start (when the
   session announced it vs when it was due), p50 / p99 / max in ms;
3. a check that the capture holds as many non-silent stretches as sounds played;
4. what the timing thread pays: the cost of ``SoundSink.started`` per segment start
   (in this process, with the silent engine), p50 / p99 / max in µs.

Usage: python benchmarks/sound_latency.py [--routine upper-back] [--speed 30] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is not installed
from devtools.audio import capture_env


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def summary(values_s: list[float], unit: str = "ms") -> str:
    scale = {"ms": 1e3, "µs": 1e6}[unit]
    ms = [v * scale for v in values_s]
    return (
        f"p50 {pct(ms, 50):6.2f}  p99 {pct(ms, 99):6.2f}  max {max(ms):6.2f} {unit}"
        f"  (n={len(ms)}, mean {statistics.fmean(ms):.2f})"
    )


def run(routine: str, speed: float, folder: Path, sound: bool) -> dict[str, object]:
    cap = folder / "cap"
    env = capture_env(folder / "home", cap)
    report = folder / "report.json"
    args = [sys.executable, "-m", "devtools.soundplay", "play", routine, "--speed", str(speed)]
    args += ["--report", str(report), "--backend", "ALSA"]
    if not sound:
        args.append("--no-sound")
    subprocess.run(args, env=env, check=True, timeout=4 * 3600)
    data: dict[str, object] = json.loads(report.read_text())
    data["capture"] = cap
    return data


def enqueue_cost(routine: str) -> list[float]:
    """Seconds spent in ``SoundSink.started`` for every segment of the routine."""
    import time

    from yogaback.practice import player as P
    from yogaback.practice.player import Player
    from yogaback.practice.timeline import compile_timeline
    from yogaback.routine.catalog import resolve
    from yogaback.routine.load import load_routine
    from yogaback.sound.library import load_sounds
    from yogaback.sound.sink import SoundSink

    timeline = compile_timeline(load_routine(resolve(routine)))
    sink = SoundSink(load_sounds(80), engine="silent")
    sink.ready()
    costs = []
    now = time.monotonic()
    p = P.start(Player(timeline, speed=1e6), now)
    for seg in timeline.segments:
        p, started = P.advance(p, p.origin + seg.start / p.speed)
        t0 = time.perf_counter()
        sink.started(p, started, now)
        costs.append(time.perf_counter() - t0)
    sink.close()
    return costs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routine", default="upper-back")
    parser.add_argument("--speed", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    from devtools.audio import capture_files, read_raw, stretches

    latency: list[float] = []
    dropped = 0
    cue_with: list[float] = []
    cue_without: list[float] = []
    heard = played = 0
    engine = None
    for n in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="yogaback-bench-") as tmp:
            folder = Path(tmp)
            with_sound = run(args.routine, args.speed, folder / "with", sound=True)
            without = run(args.routine, args.speed, folder / "without", sound=False)
            engine = with_sound["engine"]
            sounds = with_sound["sounds"]
            assert isinstance(sounds, list)
            for s in sounds:
                if s["dropped"] and not s["dropped"].startswith("cancelled"):
                    dropped += 1
                elif s["first"] is not None:
                    played += 1
                    latency.append(s["first"] - s["due"])
            for data, out in ((with_sound, cue_with), (without, cue_without)):
                cues = data["cues"]
                assert isinstance(cues, list)
                out.extend(c["actual"] - c["scheduled"] for c in cues)
            cap = with_sound["capture"]
            assert isinstance(cap, Path)
            heard += len(stretches(read_raw(capture_files(cap, "cap_44100_1_16.raw"))))
        print(f"run {n + 1}/{args.runs} done", file=sys.stderr)

    print(f"routine {args.routine} at --speed {args.speed:g}, engine {engine}, {args.runs} run(s)")
    print(f"sound latency (scheduled → first samples): {summary(latency)}")
    print(f"  sounds played {played}, dropped as stale {dropped}, heard in capture {heard}")
    print(f"cue lateness with sound:    {summary(cue_with)}")
    print(f"cue lateness without sound: {summary(cue_without)}")
    print(f"SoundSink.started cost:     {summary(enqueue_cost(args.routine), 'µs')}")
    ok = pct(latency, 99) < 0.020
    print(f"goal p99 < 20 ms: {'met' if ok else 'NOT met'}")
    return 0 if ok and heard == played else 1


if __name__ == "__main__":
    raise SystemExit(main())
