"""Load + validate (and compile) a generated 10,000-step routine, against a 1 s goal.

The routine is realistic in shape: a library of 50 poses (setup, cues, gentler
variation, props, safety notes) and steps mixing timed holds, breath-counted holds and
repetitions, with inhale/exhale cues, breath cycles with pauses, timed cues inside holds,
``sides: both`` / ``alternate`` with ``{side}`` placeholders, per-step paces, titles,
rests and transitions. About 20% of steps are ``sides: both`` and 5% ``alternate``, so
10,000 steps make about 12,100 parts, well under ``MAX_PARTS`` (20,000).

It is *not* realistic in length, and cannot be: the loader also rejects routines with
more than ``MAX_TOTAL_SECONDS`` (12 h) of holds, so 10,000 steps must average under
about 4 s each. Holds here are 2-4 s at a 1 s + 1 s breath pace (10.8 h in all); the
script prints parts and hours against both limits. The cost of loading depends on the
number of keys and values, not on the lengths they hold, so this flatters nothing.

Each measurement runs in a fresh child process (imports done, then timed), the stages
interleaved in a shuffled order every round, like one ``yogaback`` command loading one
file. Stages (median and best of several runs, wall and CPU ms, and ms spent in the
cyclic garbage collector):

    baseline   yaml.load(text, Loader=yaml.CSafeLoader) of the same text
    compose    yogaback.routine.nodes.load(path): read + libyaml events -> located node tree
    load       yogaback.routine.load.load_routine(path): compose + check + build + meaning
    compile    yogaback.practice.timeline.compile_timeline(routine), the routine loaded untimed
    load+compile, and a what-if: load with the garbage collector disabled

Then, in this process: three loads in a row (a check that repeated loads neither leak nor
slow down), and ``yogaback validate FILE`` timed as a whole process.

Goal (from the issue): load (= load + validate) under 1 s, judged on the median.
load + compile is reported against the same second.

Usage:  python benchmarks/large_routine.py [--steps 10000] [--runs 5] [--no-cli]
                                           [--keep FILE] [--profile]
Exits 1 when the goal is missed.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from yogaback.practice.timeline import compile_timeline
from yogaback.routine import nodes as yamlnodes
from yogaback.routine.format import MAX_PARTS
from yogaback.routine.load import MAX_TOTAL_SECONDS, load_routine, step_seconds
from yogaback.routine.model import Step

GOAL_MS = 1000.0
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

POSES = [
    ("childs-pose", "Child's pose", "Ease your hips back onto your heels and rest your forehead."),
    ("cat-cow", "Cat–cow", "Come onto hands and knees, wrists under shoulders."),
    ("thread-the-needle", "Thread the needle", "From all fours, slide your {side} arm under."),
    ("downward-dog", "Downward-facing dog", "Tuck your toes and send your hips high and back."),
    ("low-lunge", "Low lunge", "Step your {side} foot forward and lower the back knee."),
    ("sphinx", "Sphinx", "Lie on your belly and prop yourself up on your forearms."),
    ("cobra", "Cobra", "Hands under your shoulders, peel your chest off the mat."),
    ("locust", "Locust", "Lie face down and lift your chest, arms and legs together."),
    ("bridge", "Bridge", "Lie on your back, feet hip-width apart, and lift your hips."),
    ("supine-twist", "Supine twist", "Let both knees fall over to the {side}."),
    ("knees-to-chest", "Knees to chest", "Draw your knees toward you, hands behind them."),
    ("happy-baby", "Happy baby", "Hold the outer edges of your feet, knees wide."),
    ("seated-twist", "Seated twist", "Sit tall and turn toward your {side} side."),
    ("side-bend", "Seated side bend", "Plant your {side} hand and sweep your {other_side} arm up."),
    ("forward-fold", "Seated forward fold", "Stretch your legs out and fold from the hips."),
    ("butterfly", "Butterfly", "Bring the soles of your feet together and let the knees fall."),
    ("pigeon", "Pigeon", "Bring your {side} knee behind your {side} wrist."),
    ("puppy", "Puppy pose", "From all fours, walk your hands forward and melt your chest."),
    ("eagle-arms", "Eagle arms", "Cross your {side} arm under the other and lift the elbows."),
    ("cow-face-arms", "Cow-face arms", "Reach your {side} hand down your back."),
    ("wall-angels", "Wall angels", "Stand with your back to a wall, arms in a goalpost shape."),
    ("doorway-stretch", "Doorway stretch", "Rest your forearms on a door frame and lean in."),
    ("mountain", "Mountain", "Stand tall, feet hip-width apart, arms by your sides."),
    ("chair", "Chair", "Bend your knees and sit back as if into a chair."),
    ("warrior-1", "Warrior I", "Step your {side} foot forward and raise your arms."),
    ("warrior-2", "Warrior II", "Open your hips to the side with your {side} knee bent."),
    ("triangle", "Triangle", "Straighten your {side} leg and reach forward, then down."),
    ("extended-side-angle", "Extended side angle", "Rest your {side} forearm on your thigh."),
    ("half-moon", "Half moon", "Balance on your {side} leg with the other leg lifted."),
    ("tree", "Tree", "Place your {other_side} foot on your {side} calf or thigh."),
    ("plank", "Plank", "Hands under shoulders, body in one long line."),
    ("side-plank", "Side plank", "Stack your feet and lift through your {side} hand."),
    ("superman", "Superhero", "Lie face down, arms stretched past your head."),
    ("bird-dog", "Bird dog", "Reach your {side} arm forward and your {other_side} leg back."),
    ("dead-bug", "Dead bug", "Lie on your back with arms and knees up toward the ceiling."),
    ("windshield-wipers", "Windshield wipers", "Feet wide, let the knees sway side to side."),
    ("neck-release", "Neck release", "Let your {side} ear drift toward your {side} shoulder."),
    ("shoulder-rolls", "Shoulder rolls", "Sit tall and roll your shoulders slowly."),
    ("chest-opener", "Chest opener", "Clasp your hands behind your back and lift the chest."),
    ("fish", "Supported fish", "Lie back over a block under your shoulder blades."),
    ("legs-up-wall", "Legs up the wall", "Lie near a wall and rest your legs up against it."),
    ("reclined-butterfly", "Reclined butterfly", "Lie back with the soles of the feet together."),
    ("easy-seat", "Easy seat", "Sit cross-legged with a tall, easy spine."),
    ("hero", "Hero", "Kneel and sit back between or on your heels."),
    ("garland", "Garland", "Squat with your feet wide and your heels down."),
    ("gate", "Gate", "Kneel and stretch your {side} leg out to the side."),
    ("camel", "Camel", "Kneel upright and lift your chest toward the ceiling."),
    ("wide-child", "Wide child's pose", "Knees wide, big toes together, arms long."),
    ("savasana", "Savasana", "Lie on your back and let everything be heavy."),
    ("closing-seat", "Closing seat", "Roll to one side and take your time coming up to sit."),
]
PLAIN_CUES = [
    "Let your shoulders drop away from your ears.",
    "Keep the back of your neck long.",
    "Soften your jaw and the space between your eyebrows.",
    "Let the breath move your ribs in every direction.",
    "Stay in a range that feels kind to your back.",
    "Notice where you hold tension, and let a little go.",
    "Press evenly through both hands.",
    "Keep a gentle bend in your knees.",
    "Draw your shoulder blades softly toward each other.",
    "Let your belly be soft.",
]
SIDED_CUES = [
    "Feel the stretch along your {side} side.",
    "Reach long through your {side} arm.",
    "Keep your {other_side} hip heavy.",
    "Turn your gaze toward your {other_side} shoulder.",
    "Let your {side} shoulder melt toward the floor.",
]
INHALES = [
    "Lift your chest.",
    "Reach your arms up.",
    "Lengthen through the crown of your head.",
    "Open across the collarbones.",
]
EXHALES = [
    "Round your back.",
    "Lower your arms.",
    "Fold a little deeper.",
    "Let everything settle.",
]
SIDED_INHALES = ["Reach your {side} arm up.", "Open toward the {side}."]
SIDED_EXHALES = ["Bring your {side} arm down.", "Return to the centre from the {side}."]
TIMED = [
    "Soften your face.",
    "Check your shoulders are away from your ears.",
    "Let the breath slow down.",
    "Notice the breath in your back ribs.",
]


def header(steps: int) -> str:
    lines = [
        "# Generated by benchmarks/large_routine.py: a very long (but valid) routine.",
        "version: 1",
        "id: large-benchmark",
        f"title: Benchmark flow with {steps:,} steps",
        "summary: >-",
        "  A generated routine that exercises every part of the format,",
        "  for timing the loader.",
        "style: flow",
        "level: all",
        "props: [mat, block, blanket, strap]",
        "tags: [benchmark, generated, upper back]",
        "safety:",
        "  - Move in a range that feels kind, and ease off at any sharp pain.",
        "  - Rest whenever you need to.",
        "pace:",
        "  inhale: 1s",
        "  exhale: 1s",
        "transition: 2s",
        "",
        "poses:",
    ]
    for n, (key, name, setup) in enumerate(POSES):
        lines += [f"  {key}:", f"    name: {name}", f"    setup: {setup}"]
        if n % 2 == 0:
            lines += ["    cues:", f"      - {PLAIN_CUES[n % len(PLAIN_CUES)]}"]
        if n % 3 == 0:
            lines.append("    props: [mat, block]")
        lines.append("    gentler: Make the movement smaller, and use a blanket for support.")
        if n % 5 == 0:
            lines += ["    safety:", "      - Keep the weight off your neck."]
    lines += ["", "steps:"]
    return "\n".join(lines) + "\n"


def step_lines(rng: random.Random, n: int) -> list[str]:
    """One step as YAML lines. About 20% 'sides: both' and 5% 'sides: alternate'."""
    roll = rng.random()
    sides = "both" if roll < 0.20 else ("alternate" if roll < 0.25 else None)
    # a pose whose setup names a side needs a step with sides (the loader checks this)
    usable = [p for p in POSES if sides or "{" not in p[2]]
    key = usable[rng.randrange(len(usable))][0]
    kind = "reps" if sides == "alternate" else rng.choice(("duration", "breaths", "reps"))
    sided = sides is not None
    lines = [f"  # {n + 1}", f"  - pose: {key}"]
    if n % 17 == 0:
        lines.append(f"    title: Round {n // 17 + 1}" + (" on the {side}" if sided else ""))
    if sides:
        lines.append(f"    sides: {sides}")
    cue = rng.choice(SIDED_CUES if sided else PLAIN_CUES)
    if kind == "duration":
        length = rng.choice((2, 3, 4))
        lines += [f"    duration: {length}s", f"    cue: {cue}"]
        if n % 11 == 0:
            lines.append("    rest: true")
        if length >= 3 and rng.random() < 0.5:
            lines += ["    cues:", "      - at: 1s", f"        say: {rng.choice(TIMED)}"]
            if length == 4:
                lines += ["      - at: 2.5s", f"        say: {rng.choice(TIMED)}"]
    elif kind == "breaths":
        lines += [f"    breaths: {rng.choice((1, 2))}", f"    cue: {cue}"]
        if rng.random() < 0.5:
            inhale = rng.choice(SIDED_INHALES if sided else INHALES)
            exhale = rng.choice(SIDED_EXHALES if sided else EXHALES)
            lines += [f"    inhale: {inhale}", f"    exhale: {exhale}"]
    else:
        lines.append("    reps: 1" if sides == "alternate" else f"    reps: {rng.choice((1, 2))}")
        if rng.random() < 0.3:
            lines += [
                "    cycle:",
                f"      - inhale: {rng.choice(INHALES)}",
                "      - hold: Pause at the top.",
                "        length: 0.5s",
                f"      - exhale: {rng.choice(EXHALES)}",
            ]
        else:
            inhale = rng.choice(SIDED_INHALES if sided else INHALES)
            exhale = rng.choice(SIDED_EXHALES if sided else EXHALES)
            lines += [f"    cue: {cue}", f"    inhale: {inhale}", f"    exhale: {exhale}"]
    if n % 7 == 0:
        lines.append("    pace: {inhale: 1s, exhale: 1.5s}")
    if n % 13 == 0:
        lines.append("    transition: 3s")
    return lines


def generate(steps: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    body: list[str] = []
    for n in range(steps):
        body += step_lines(rng, n)
    return header(steps) + "\n".join(body) + "\n"


def size_of(routine: Any) -> tuple[int, float]:
    """Parts and seconds as the loader counts them against MAX_PARTS and MAX_TOTAL_SECONDS."""
    parts, total = 0, 0.0
    for step in routine.steps:
        per_side = 1 if step.alternate else max(1, len(step.sides))
        parts += per_side
        total += step_seconds(step, routine.pace) * per_side
    return parts, total


# --- timing, one stage per child process ----------------------------------------------

STAGES: dict[str, str] = {
    "baseline": "baseline: yaml.load(CSafeLoader)",
    "compose": "compose: yamlnodes.load",
    "load": "load_routine (load + validate)",
    "compile": "compile_timeline",
    "load+compile": "load_routine + compile_timeline",
    "load-nogc": "what-if: load_routine, gc disabled",
}


class GcClock:
    """Time spent in the cyclic garbage collector, from gc.callbacks."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.collections[info["generation"]] += 1


def child(stage: str, path: Path) -> None:
    """Run one stage once, after the imports; print wall, CPU and GC ms as JSON."""
    text = path.read_text(encoding="utf-8")
    fns: dict[str, Callable[[Any], Any]] = {
        "baseline": lambda _: yaml.load(text, Loader=Loader),
        "compose": lambda _: yamlnodes.load(path),
        "load": lambda _: load_routine(path),
        "compile": compile_timeline,
        "load+compile": lambda _: compile_timeline(load_routine(path)),
        "load-nogc": lambda _: load_routine(path),
    }
    arg = load_routine(path) if stage == "compile" else None
    gc.collect()
    if stage == "load-nogc":
        gc.disable()
    clock = GcClock()
    cpu = time.process_time()
    start = time.perf_counter()
    fns[stage](arg)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(json.dumps({"wall": wall * 1000, "cpu": cpu * 1000, "gc": clock.seconds * 1000}))


@dataclass
class Stage:
    key: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    gc: list[float] = field(default_factory=list)

    def run(self, path: Path) -> None:
        result = subprocess.run(
            [sys.executable, __file__, "--child", self.key, str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            sys.exit(f"stage {self.key} failed:\n{result.stderr}")
        sample = json.loads(result.stdout)
        self.wall.append(sample["wall"])
        self.cpu.append(sample["cpu"])
        self.gc.append(sample["gc"])

    def row(self) -> str:
        med = statistics.median
        return (
            f"{STAGES[self.key]:<38}{med(self.wall):8.0f}{min(self.wall):8.0f}"
            f"{med(self.cpu):8.0f}{med(self.gc):8.0f}"
        )


def repeated_loads(path: Path, times: int = 3) -> list[tuple[float, float, int]]:
    """Load ``times`` times in this process: (CPU ms, GC ms, objects alive after) each."""
    clock = GcClock()
    out = []
    for _ in range(times):
        gc.collect()
        in_gc = clock.seconds
        cpu = time.process_time()
        routine = load_routine(path)
        cpu = time.process_time() - cpu
        del routine
        gc.collect()
        out.append(((cpu) * 1000, (clock.seconds - in_gc) * 1000, len(gc.get_objects())))
    gc.callbacks.remove(clock._callback)
    return out


def profile(path: Path) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    compile_timeline(load_routine(path))
    profiler.disable()
    for order in ("tottime", "cumulative"):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats(order).print_stats(22)
        text = buffer.getvalue()
        print(f"\ncProfile of load_routine + compile_timeline, by {order} (GC pauses are")
        print("counted in whichever function was allocating when they struck):")
        print(text[text.index("   ncalls") :].rstrip())


def cli_validate(path: Path, runs: int) -> list[float]:
    script = Path(sysconfig.get_path("scripts")) / "yogaback"
    argv = [sys.executable, str(script)] if script.is_file() else [sys.executable, "-m", "yogaback"]
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        result = subprocess.run([*argv, "validate", str(path)], capture_output=True, check=False)
        times.append((time.perf_counter() - start) * 1000)
        if result.returncode != 0:
            sys.exit(f"yogaback validate failed:\n{result.stderr.decode()}")
    return times[1:]  # the first warms the caches


def describe(text: str, path: Path) -> None:
    routine = load_routine(path)  # raises RoutineError if the generated routine is invalid
    parts, seconds = size_of(routine)
    timeline = compile_timeline(routine)
    print(
        f"Python {sys.version.split()[0]}, PyYAML {yaml.__version__} "
        f"(libyaml: {Loader is not yaml.SafeLoader})"
    )
    print(
        f"routine: {len(routine.steps):,} steps, {len(routine.poses)} poses, "
        f"{text.count(chr(10)):,} lines, {len(text.encode()):,} bytes "
        f"(file limit {yamlnodes.MAX_BYTES:,})"
    )
    print(
        f"  {parts:,} parts after side expansion (limit {MAX_PARTS:,}); "
        f"{seconds / 3600:.2f} h of holds (limit {MAX_TOTAL_SECONDS / 3600:g} h); "
        f"timeline: {len(timeline.segments):,} segments, {timeline.total / 3600:.2f} h "
        "with transitions"
    )
    steps = [s for s in routine.steps if isinstance(s, Step)]  # this file makes no groups
    mix = {
        "duration": sum(s.duration is not None for s in steps),
        "breaths": sum(s.breaths is not None for s in steps),
        "reps": sum(s.reps is not None for s in steps),
        "sides both": sum(bool(s.sides) and not s.alternate for s in steps),
        "alternate": sum(s.alternate for s in steps),
        "timed cues": sum(bool(s.cues) for s in steps),
        "inhale/exhale cues": sum(bool(s.inhale) for s in steps),
        "cycle": sum(bool(s.cycle) for s in steps),
    }
    print("  steps with: " + ", ".join(f"{k} {v:,}" for k, v in mix.items()))
    print("  holds are 2-4 s at a 1 s + 1 s pace (the 12 h limit allows no more; see --help)")
    if parts > MAX_PARTS or seconds > MAX_TOTAL_SECONDS:
        sys.exit("the generated routine is over the loader's limits; adjust the mix")


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each stage")
    parser.add_argument("--seed", type=int, default=1, help="seed for the run order")
    parser.add_argument("--keep", type=Path, help="also write the generated routine here")
    parser.add_argument(
        "--no-cli", action="store_true", help="skip timing 'yogaback validate FILE' as a process"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile one load + compile")
    args = parser.parse_args()

    text = generate(args.steps)
    if args.keep:
        args.keep.write_text(text, encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large-benchmark.yaml"
        path.write_text(text, encoding="utf-8")
        describe(text, path)

        stages = [Stage(key) for key in STAGES]
        rng = random.Random(args.seed)
        load_before = os.getloadavg()[0]
        for _ in range(args.runs):
            order = stages[:]
            rng.shuffle(order)
            for stage in order:
                stage.run(path)
        print(
            f"\n{args.runs} interleaved runs of each stage, each in a fresh process after its "
            f"imports; load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after, "
            f"{os.cpu_count()} CPUs\n"
        )
        if max(load_before, os.getloadavg()[0]) > 0.75 * (os.cpu_count() or 1):
            print(
                "WARNING: the machine is busy (load average near or above the CPU count): "
                "wall-clock\nfigures carry other processes' noise; the CPU column much less so.\n"
            )
        print(f"{'ms':<38}{'median':>8}{'best':>8}{'CPU':>8}{'in GC':>8}")
        for stage in stages:
            print(stage.row())
        by = {stage.key: statistics.median(stage.wall) for stage in stages}
        base, load, both = by["baseline"], by["load"], by["load+compile"]
        print(
            f"\nload_routine vs plain CSafeLoader parsing: {load / base:.2f}x "
            f"({load - base:+.0f} ms)"
        )
        print(
            f"{'goal: load + validate < 1 s':<38}{load:8.0f} ms   "
            f"{'PASS' if load < GOAL_MS else 'FAIL'}"
        )
        print(
            f"{'also: load + validate + compile':<38}{both:8.0f} ms   "
            f"{'PASS' if both < GOAL_MS else 'FAIL'} (against the same 1 s; informative)"
        )

        loads = repeated_loads(path)
        growth = loads[-1][2] - loads[0][2]
        print(
            "\nthree loads in one process: CPU "
            + ", ".join(f"{c:.0f}" for c, _, _ in loads)
            + " ms; in GC "
            + ", ".join(f"{g:.0f}" for _, g, _ in loads)
            + f" ms; objects alive after each: {loads[0][2]:,} then "
            + (f"{growth / (len(loads) - 1):+,.0f} per load" if growth else "steady")
        )
        if growth:
            print(
                "  (objects kept alive by every load: a leak; the GC then works harder on "
                "each later load)"
            )

        if not args.no_cli:
            cli = cli_validate(path, 3)
            print(
                f"{'yogaback validate FILE, as a process':<38}{statistics.median(cli):8.0f} ms   "
                f"(median of {len(cli)}, best {min(cli):.0f}; includes interpreter start-up)"
            )
        if args.profile:
            profile(path)
    return 0 if load < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
