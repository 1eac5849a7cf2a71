"""Where does the memory of ``yogaback play`` go, and what is its peak?

1. Peak memory of ``yogaback play`` as a whole process, in a pseudo-terminal with the
   live display on (as ``play_timing.py`` runs it), in three set-ups, each run
   ``--runs`` times (median reported):

   - ``sound``: sound on, on this machine as it is;
   - ``sound, ALSA file``: sound on, with ALSA's default device sent to a file by a
     temporary ``.asoundrc`` (and no PulseAudio to be found): a device really opens
     and plays, as it would on a machine with a sound card;
   - ``--no-sound``.

   Two figures per run: ``ru_maxrss`` (the peak of the largest process, as
   ``play_timing.py`` reports it) and the peak of the *sum* of the resident memory of
   every process in the tree, sampled every 20 ms (so helper processes such as
   ``aplay`` or ``espeak-ng`` count too). Goal: under 60 MB with sound on.

2. A step-by-step breakdown in one fresh process: VmRSS and VmHWM (peak) from
   ``/proc/self/status`` after each step of what ``play`` does before the session
   runs (imports, loading the sounds, importing miniaudio, opening the engine chain),
   with the shared libraries each step maps. Then, for comparison, what importing
   numpy would add (miniaudio imports it when it can: yogaback keeps it from doing
   so), and what the old list-based volume table cost.

Usage: python benchmarks/memory.py [--routine upper-back] [--speed 100] [--runs 3]
       python benchmarks/memory.py --breakdown-only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is not installed
from devtools.audio import capture_env

GOAL_MB = 60.0

WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(f'{r.ru_maxrss} {rc}')\n"
    "sys.exit(rc)\n"
)


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = [int(k) for k in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            kids = []
        out.extend(kids)
        todo.extend(kids)
    return out


def alsa_file_env(folder: Path) -> dict[str, str]:
    """An environment whose ALSA default device writes to a raw file (no PulseAudio)."""
    return capture_env(folder / "home", folder)


def peak_of_play(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(ru_maxrss, peak of the sampled sum over the process tree), in MB."""
    import pexpect

    with tempfile.TemporaryDirectory() as tmp:
        usage = Path(tmp) / "usage"
        env = {**env, "TERM": "xterm-256color", "YOGABACK_HOME": tmp}
        for name in ("NO_COLOR", "COLUMNS", "LINES"):
            env.pop(name, None)
        child = pexpect.spawn(
            sys.executable,
            ["-c", WRAPPER, str(usage), sys.executable, "-m", "yogaback", "play", *args],
            env=env,
            dimensions=(30, 100),
            encoding="utf-8",
            codec_errors="replace",
        )
        tree_peak = 0
        tail = ""
        while child.isalive():
            try:
                tail = (tail + child.read_nonblocking(65536, timeout=0.02))[-2000:]
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                break
            tree_peak = max(tree_peak, sum(rss_kib(p) for p in descendants(child.pid)))
        child.close()
        maxrss, rc = usage.read_text().split()
        if rc != "0":
            raise SystemExit(f"yogaback play {' '.join(args)} failed (exit {rc}):\n{tail[-500:]}")
        return int(maxrss) / 1024, tree_peak / 1024


BREAKDOWN = r"""
import json, os, sys, time
steps = []
def status():
    d = {}
    for line in open('/proc/self/status'):
        k, _, v = line.partition(':')
        if k in ('VmRSS', 'VmHWM', 'RssAnon', 'RssFile', 'Threads'):
            d[k] = int(v.split()[0])
    return d
def libs():
    out = set()
    for line in open('/proc/self/maps'):
        p = line.split()
        if len(p) > 5 and '.so' in p[5]:
            out.add(os.path.basename(p[5]))
    return out
seen = libs()
def step(name):
    global seen
    now = libs()
    steps.append({'step': name, **status(), 'libs': sorted(now - seen)})
    seen = now
step('interpreter')
import yogaback.commands.play
step('import the play command')
from yogaback.sound.library import load_sounds
sounds = load_sounds(80)
step('load the six sounds at volume 80')
try:
    from yogaback.sound.pcm import import_miniaudio
except ImportError:  # an older yogaback
    import miniaudio
    step('import miniaudio')
else:
    import_miniaudio()
    step('import miniaudio (without numpy)')
from yogaback.sound.engines import Options, chain, default_backends, open_chain
engine, failures = open_chain(chain(), Options())
step('open the engine chain: ' + engine.name + ' ' + str(getattr(engine, 'backend', ''))
     + ' (' + ', '.join(default_backends()) + ')')
engine.close()
what_if = {}
r0 = status()['VmRSS']
try:
    import numpy
    what_if['numpy'] = status()['VmRSS'] - r0
except ImportError:
    what_if['numpy'] = None
from array import array
r0 = status()['VmRSS']
gain = 0.64
table = [max(-32768, min(32767, round(v * gain))) for v in range(32768)]
table += [max(-32768, min(32767, round(v * gain))) for v in range(-32768, 0)]
what_if['list gain table'] = status()['VmRSS'] - r0
what_if['sound data'] = sum(len(s.data) for s in sounds.values()) // 1024
print(json.dumps({'steps': steps, 'what_if': what_if}))
"""


def breakdown(env: dict[str, str], label: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", BREAKDOWN], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"the breakdown failed:\n{out.stderr}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"\n{label}")
    print(f"  {'step':58} {'RSS':>6} {'+':>6} {'peak':>6} {'anon':>6} {'file':>6} thr")
    before = 0
    for s in data["steps"]:
        mb = {k: s[k] / 1024 for k in ("VmRSS", "VmHWM", "RssAnon", "RssFile")}
        grow = mb["VmRSS"] - before if before else 0.0
        print(
            f"  {s['step'][:58]:58} {mb['VmRSS']:6.1f} {grow:+6.1f} {mb['VmHWM']:6.1f} "
            f"{mb['RssAnon']:6.1f} {mb['RssFile']:6.1f} {s['Threads']:3d}"
        )
        if s["libs"] and before:
            names = [n.split(".so")[0] for n in s["libs"]]
            print(f"  {'':4}maps {len(names)} libraries: {', '.join(names)}"[:200])
        before = mb["VmRSS"]
    w = data["what_if"]
    numpy = "not installed" if w["numpy"] is None else f"{w['numpy'] / 1024:+.1f} MB"
    print(
        f"  for comparison: importing numpy here {numpy}; a list-based volume table "
        f"{w['list gain table'] / 1024:+.1f} MB; the sounds' samples {w['sound data']} KB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routine", default="upper-back")
    parser.add_argument("--speed", type=float, default=100.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--breakdown-only", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="yogaback-mem-") as tmp:
        alsa = alsa_file_env(Path(tmp))
        breakdown(dict(os.environ), "breakdown, this machine as it is")
        breakdown(alsa, "breakdown, ALSA default device to a file")
        if args.breakdown_only:
            return 0
        setups = [
            ("sound", dict(os.environ), []),
            ("sound, ALSA file", alsa, []),
            ("--no-sound", dict(os.environ), ["--no-sound"]),
        ]
        play = [args.routine, "--speed", f"{args.speed:g}"]
        results: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in setups}
        for _ in range(args.runs):
            for name, env, extra in setups:
                results[name].append(peak_of_play([*play, *extra], env))
                time.sleep(0.2)
    print(f"\npeak memory of 'yogaback play {' '.join(play)}' in a pty, median of {args.runs}")
    print(f"  {'set-up':20} {'ru_maxrss':>10} {'tree sum':>10}  (MB; tree sum sampled every 20 ms)")
    ok = True
    for name, runs in results.items():
        maxrss = statistics.median(r for r, _ in runs)
        tree = statistics.median(t for _, t in runs)
        print(f"  {name:20} {maxrss:10.1f} {tree:10.1f}")
        ok = ok and max(maxrss, tree) < GOAL_MB
    print(f"goal: under {GOAL_MB:g} MB in every set-up: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
