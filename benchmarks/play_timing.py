"""How well does ``yogaback play`` keep time, and what does it cost?

Runs the real program in a pseudo-terminal with the live display on, and
measures in the same run:

1. a whole routine at ``--speed 100``: cue lateness (p50 / p99 / max, ms) from
   the ``--events`` log, drift at the end of the session, CPU seconds, peak
   memory, and memory early vs late in the session (growth);
2. a window of real-time practice (``--speed 1``) on breath-paced parts, with
   the breath pacer running: CPU seconds per minute of practice;
3. baselines: a naive ``time.sleep``-per-cue loop over the same timeline (its
   lateness and drift), and a Rich ``Live`` refreshing at 4 Hz for the same
   real-time window (its CPU per minute).

Peak memory here is ``ru_maxrss`` of the largest process; ``memory.py`` also sums the
whole process tree and breaks the figure down step by step.

Usage: python benchmarks/play_timing.py [--routine upper-back] [--window 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[1]
WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(f'{r.ru_utime + r.ru_stime} {r.ru_maxrss}')\n"
    "sys.exit(rc)\n"
)


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_ticks(pid: int) -> float | None:
    """utime + stime of a live process, in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_in_pty(
    args: list[str],
    *,
    keys_after: float | None = None,
    size: tuple[int, int] = (30, 100),
    begin: bool = False,
    steady_from: float | None = None,
) -> tuple[float, int, list[tuple[float, int]], float | None]:
    """Run ``args`` under the rusage wrapper in a pty; return (cpu_s, maxrss_kib, rss samples)."""
    with tempfile.TemporaryDirectory() as tmp:
        usage = Path(tmp) / "usage"
        env = {**os.environ, "TERM": "xterm-256color", "YOGABACK_HOME": tmp}
        env.pop("NO_COLOR", None)
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        child = pexpect.spawn(
            sys.executable,
            ["-c", WRAPPER, str(usage), *args],
            env=env,
            dimensions=size,
            encoding="utf-8",
            codec_errors="replace",
        )
        samples: list[tuple[float, int]] = []
        start = time.monotonic()
        target_pid: int | None = None
        sent_q = False
        steady: list[tuple[float, float]] = []  # (wall, cpu) readings after start-up
        if begin:
            child.expect("Press any key", timeout=10)
            child.send("x")  # leave the safety screen at once
        while child.isalive():
            try:
                child.read_nonblocking(65536, timeout=0.2)
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                break
            if target_pid is None:
                kids = Path(f"/proc/{child.pid}/task/{child.pid}/children")
                try:
                    found = kids.read_text().split()
                    target_pid = int(found[0]) if found else None
                except OSError:
                    pass
            if target_pid is not None:
                elapsed = time.monotonic() - start
                if steady_from is not None and elapsed > steady_from and not sent_q:
                    ticks = cpu_ticks(target_pid)
                    if ticks is not None:
                        steady.append((elapsed, ticks))
                rss = rss_kib(target_pid)
                if rss:
                    samples.append((time.monotonic() - start, rss))
            if keys_after is not None and not sent_q and time.monotonic() - start > keys_after:
                child.send("q")
                sent_q = True
        child.close()
        cpu, maxrss = usage.read_text().split()
        rate = None
        if len(steady) >= 2 and steady[-1][0] > steady[0][0]:
            rate = (steady[-1][1] - steady[0][1]) / (steady[-1][0] - steady[0][0]) * 60
        return float(cpu), int(maxrss), samples, rate


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def lateness_from_events(path: Path) -> tuple[list[float], float | None]:
    late: list[float] = []
    drift = None
    for line in path.read_text().splitlines():
        rec = json.loads(line)
        if rec["kind"] == "segment":
            late.append((rec["actual"] - rec["scheduled"]) * 1000)
        elif rec["kind"] == "end":
            drift = (rec["actual"] - rec["scheduled"]) * 1000
    return late, drift


def naive_baseline(routine: str, speed: float) -> tuple[list[float], float]:
    """The obvious loop: print a cue, ``time.sleep(length)``, repeat. Errors accumulate."""
    sys.path.insert(0, str(ROOT / "src"))
    from yogaback.practice.timeline import compile_timeline
    from yogaback.routine.catalog import resolve
    from yogaback.routine.load import load_routine

    timeline = compile_timeline(load_routine(resolve(routine)))
    start = time.monotonic()
    late = []
    with open(os.devnull, "w") as sink:
        for seg in timeline.segments:
            late.append((time.monotonic() - start - seg.start / speed) * 1000)
            sink.write(f"{seg.name} {seg.phase}: {seg.text}\n")
            sink.flush()
            time.sleep(seg.length / speed)
    drift = (time.monotonic() - start - timeline.total / speed) * 1000
    return late, drift


RICH_LIVE_4HZ = (
    "import time, sys\n"
    "from rich.live import Live\n"
    "from rich.text import Text\n"
    "end = time.monotonic() + float(sys.argv[1])\n"
    "with Live(Text(''), refresh_per_second=4, screen=True) as live:\n"
    "    while time.monotonic() < end:\n"
    "        left = end - time.monotonic()\n"
    "        live.update(Text(f'{int(left // 60)}:{int(left % 60):02d}', justify='center'))\n"
    "        time.sleep(0.25)\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routine", default="upper-back")
    parser.add_argument("--speed", type=float, default=100.0)
    parser.add_argument(
        "--window",
        type=float,
        default=30.0,
        help="seconds of real-time practice to measure CPU over",
    )
    parser.add_argument(
        "--start-at", default="10", help="part where the real-time window starts (breath-paced)"
    )
    args = parser.parse_args()
    yogaback = [sys.executable, "-m", "yogaback"]

    print(f"1. whole routine '{args.routine}' at --speed {args.speed:g}, live display, pty 100x30")
    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "events.jsonl"
        wall = time.monotonic()
        cpu, maxrss, samples, _ = run_in_pty(
            [*yogaback, "play", args.routine, "--speed", str(args.speed), "--events", str(events)]
        )
        wall = time.monotonic() - wall
        late, drift = lateness_from_events(events)
    practice_min = wall * args.speed / 60
    third = max(1, len(samples) // 3)
    early = statistics.median(r for _, r in samples[:third]) if samples else 0
    latest = statistics.median(r for _, r in samples[-third:]) if samples else 0

    print("2. naive time.sleep-per-cue loop, same timeline, same speed")
    naive_late, naive_drift = naive_baseline(args.routine, args.speed)

    print(f"3. {args.window:g} s of real-time practice from '{args.start_at}' (pacer running)")
    cpu_rt, _, _, steady_rt = run_in_pty(
        [*yogaback, "play", args.routine, "--speed", "1", "--start-at", args.start_at],
        keys_after=args.window + 3,
        begin=True,
        steady_from=3.0,
    )
    print(f"4. baseline: Rich Live at 4 Hz for {args.window:g} s")
    cpu_live, _, _, steady_live = run_in_pty(
        [sys.executable, "-c", RICH_LIVE_4HZ, str(args.window + 3)], steady_from=3.0
    )

    rows = [
        ("cue lateness p50 (ms)", percentile(late, 50), percentile(naive_late, 50), "< 2 (p99)"),
        ("cue lateness p99 (ms)", percentile(late, 99), percentile(naive_late, 99), "< 2"),
        ("cue lateness max (ms)", max(late), max(naive_late), "< 10"),
        ("drift at end (ms)", drift if drift is not None else float("nan"), naive_drift, "< 5"),
    ]
    print()
    print(f"{'measure':32} {'yogaback':>10} {'naive':>10}  goal")
    for name, ours, naive, goal in rows:
        print(f"{name:32} {ours:10.3f} {naive:10.3f}  {goal}")
    print()
    print(f"segments timed: {len(late)}; practice {practice_min:.1f} min in {wall:.1f} s")
    print(
        f"CPU, whole routine at speed {args.speed:g}: {cpu:.2f} s "
        f"({cpu / practice_min:.3f} s per practice minute at that speed)"
    )
    window_min = (args.window + 3) / 60
    print(
        f"CPU per minute of real-time practice, steady state (after start-up): yogaback "
        f"{steady_rt or float('nan'):.3f} s, Rich Live at 4 Hz {steady_live or float('nan'):.3f}"
        f" s; goal <= 0.5"
    )
    print(
        f"  including start-up over the {args.window + 3:g} s window: yogaback "
        f"{cpu_rt / window_min:.3f} s/min, Rich Live {cpu_live / window_min:.3f} s/min"
    )
    print(
        f"peak memory: {maxrss / 1024:.1f} MB (goal < 60); RSS early {early / 1024:.1f} MB, "
        f"late {latest / 1024:.1f} MB (growth {(latest - early) / 1024:+.2f} MB)"
    )


if __name__ == "__main__":
    main()
