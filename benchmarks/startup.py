"""Start-up cost of ``yogaback`` against a minimal Typer + Rich app, in the same run.

Four command lines are timed as fresh processes, interleaved in a shuffled order every
round so that drift and noise from other work on the machine fall on both sides alike:

    yogaback --help                      vs  minimal --help
    yogaback validate <shipped routine>  vs  minimal cmd0 <same path>

Both sides start the same interpreter the same way, through a launcher of the same
form: yogaback's installed console script (``sys.executable SCRIPTS/yogaback``, not the
pyenv/venv shim on PATH, whose shell start-up would only add noise), and
``sys.executable -c "from minimal_app import main; main()"`` for ``minimal_app.py``, so
that neither side compiles its main module on every start. The minimal app is given
yogaback's number of commands and Typer settings by one probe of ``yogaback.cli`` made
before timing starts.

Bytecode: by default the children write and reuse .pyc files in a temporary
``PYTHONPYCACHEPREFIX``, as an installed yogaback would (pip compiles wheels; an editable
install caches on first run). ``--as-is-bytecode`` keeps the environment's setting
instead: with ``PYTHONDONTWRITEBYTECODE=1`` and no cached .pyc for ``src/``, yogaback's own
modules are then compiled from source on every start, while site-packages keep theirs.

For each command: wall-clock ms (median, p90, min) and CPU ms (user + system of the child,
median), which is less disturbed when other processes compete for the CPU.

Goals (from the issue), judged on wall-clock medians:
    --help     yogaback within 1.10x of the minimal app
    validate   yogaback adds under 75 ms over the minimal app's subcommand

Usage:  python benchmarks/startup.py [--reps 30] [--importtime] [--as-is-bytecode]
Exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINIMAL = HERE / "minimal_app.py"
SHIPPED = ROOT / "sequences" / "upper-back.yaml"
FALLBACK = ROOT / "src" / "yogaback" / "routine" / "starter.yaml"

HELP_RATIO_GOAL = 1.10
VALIDATE_DELTA_GOAL_MS = 75.0

sys.path.insert(0, str(HERE))
from minimal_app import probe_yogaback  # noqa: E402  (importing it builds no app)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Case:
    label: str
    argv: list[str]
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def run(self, env: dict[str, str]) -> tuple[float, float]:
        """Run once; return (wall ms, CPU ms)."""
        cpu = _children_cpu()
        start = time.perf_counter()
        result = subprocess.run(
            self.argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        elapsed = (time.perf_counter() - start) * 1000
        if result.returncode != 0:
            sys.exit(f"{self.label}: {' '.join(self.argv)} exited {result.returncode}")
        return elapsed, (_children_cpu() - cpu) * 1000

    def record(self, env: dict[str, str]) -> None:
        wall, cpu = self.run(env)
        self.times.append(wall)
        self.cpu.append(cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p90(self) -> float:
        return statistics.quantiles(self.times, n=10, method="inclusive")[8]


def yogaback_command() -> tuple[list[str], str]:
    """How to start yogaback with sys.executable, and a note on how it was found."""
    script = Path(sysconfig.get_path("scripts")) / "yogaback"
    try:
        first = script.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
    except OSError:
        first = ""
    if first.startswith("#!") and "python" in first:
        return [sys.executable, str(script)], f"console script {script}"
    return [sys.executable, "-m", "yogaback"], (
        f"python -m yogaback (no Python console script at {script}; it pays runpy's "
        "small extra cost that the minimal app does not)"
    )


def minimal_command() -> list[str]:
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); from minimal_app import main; main()"
    return [sys.executable, "-c", code]


def check_output(argv: list[str], env: dict[str, str], expect: str) -> None:
    """Run once, untimed: fail loudly if the command does not do what we think it does."""
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0 or expect not in result.stdout:
        sys.exit(
            f"{' '.join(argv)} exited {result.returncode}; expected {expect!r} in its output\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )


def import_times(argv: list[str], env: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Module -> (self us, cumulative us) from one ``-X importtime`` run."""
    cmd = [argv[0], "-X", "importtime", *argv[1:]]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    times: dict[str, tuple[int, int]] = {}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:") :].split("|")
        times[name.strip()] = (int(own), int(cumulative))
    return times


def report_imports(label: str, ours: list[str], theirs: list[str], env: dict[str, str]) -> None:
    """Modules only yogaback's command imports, by self time (median of 5 runs)."""
    runs = [import_times(ours, env) for _ in range(5)]
    base = set().union(*(import_times(theirs, env) for _ in range(3)))
    extra = {
        name: statistics.median(r[name][0] for r in runs if name in r)
        for name in runs[0]
        if name not in base
    }
    top = sorted(extra.items(), key=lambda kv: -kv[1])
    total = sum(extra.values()) / 1000
    print(
        f"\n{label}: {len(extra)} modules the minimal app does not import, "
        f"{total:.1f} ms of import self-time (-X importtime; it inflates times somewhat)"
    )
    for name, us in top[:15]:
        print(f"  {us / 1000:7.2f} ms  {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=30, help="timed runs of each command")
    parser.add_argument("--seed", type=int, default=1, help="seed for the run order")
    parser.add_argument(
        "--importtime",
        action="store_true",
        help="also list the modules yogaback imports beyond the minimal app (-X importtime)",
    )
    parser.add_argument(
        "--as-is-bytecode",
        action="store_true",
        help="keep the environment's .pyc setting instead of a temporary pycache",
    )
    args = parser.parse_args()

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPROFILEIMPORTTIME", "PYTHONDEVMODE", "PYTHONTRACEMALLOC")
    }
    env.update(COLUMNS="100", LINES="40", NO_COLOR="1", TERM="dumb")
    env.update(probe_yogaback())
    pycache = tempfile.TemporaryDirectory(prefix="yogaback-bench-pyc-")
    if args.as_is_bytecode:
        bytecode = "as in the environment"
        if env.get("PYTHONDONTWRITEBYTECODE"):
            bytecode += " (PYTHONDONTWRITEBYTECODE is set: uncached modules compile every start)"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache.name
        bytecode = "cached (.pyc in a temporary PYTHONPYCACHEPREFIX, like an installed app)"
    commands = int(env["YOGABACK_BENCH_COMMANDS"])

    ours, how = yogaback_command()
    theirs = minimal_command()
    routine, routine_note = SHIPPED, "shipped routine"
    if not routine.is_file():
        routine = FALLBACK
        routine_note = f"FALLBACK: {SHIPPED.relative_to(ROOT)} does not exist yet"
    rel = os.path.relpath(routine, ROOT)

    cases = {
        "yb-help": Case("yogaback --help", [*ours, "--help"]),
        "min-help": Case("minimal --help", [*theirs, "--help"]),
        "yb-validate": Case("yogaback validate ROUTINE", [*ours, "validate", rel]),
        "min-cmd0": Case("minimal cmd0 ROUTINE", [*theirs, "cmd0", rel]),
    }

    from importlib.metadata import version

    versions = f"typer {version('typer')}, rich {version('rich')}, PyYAML {version('PyYAML')}"
    print(f"Python {platform.python_version()} ({sys.executable}), {versions}")
    print(f"yogaback: {how}")
    print(
        f"minimal:  {MINIMAL.relative_to(ROOT)} with {commands} commands "
        f"(yogaback registers {commands}), rich_markup_mode={env['YOGABACK_BENCH_MARKUP']}"
    )
    print(f"routine:  {rel} ({routine_note})")
    print(f"bytecode: {bytecode}")

    os.chdir(ROOT)
    check_output(cases["yb-help"].argv, env, "validate")
    check_output(cases["min-help"].argv, env, "cmd0")
    check_output(cases["yb-validate"].argv, env, ": ok")
    check_output(cases["min-cmd0"].argv, env, ": ok")
    for case in cases.values():  # warm the page cache and the .pyc files
        for _ in range(2):
            case.run(env)

    order = list(cases.values())
    rng = random.Random(args.seed)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    for _ in range(args.reps):
        rng.shuffle(order)
        for case in order:
            case.record(env)
    wall = time.perf_counter() - started
    print(
        f"{args.reps} interleaved runs of each in {wall:.1f} s; {os.cpu_count()} CPUs, "
        f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after\n"
    )

    busy = max(load_before, os.getloadavg()[0]) > 0.75 * (os.cpu_count() or 1)
    if busy:
        print(
            "WARNING: the machine is busy (load average near or above the CPU count): the\n"
            "wall-clock figures carry other processes' noise; the CPU columns much less so.\n"
        )
    print(f"{'ms per process':<28}{'median':>8}{'p90':>8}{'min':>8}{'CPU med':>10}")
    for case in cases.values():
        print(
            f"{case.label:<28}{case.median:8.1f}{case.p90:8.1f}{min(case.times):8.1f}"
            f"{statistics.median(case.cpu):10.1f}"
        )

    def compare(ours: Case, theirs: Case) -> tuple[float, float, float]:
        cpu = statistics.median(ours.cpu) - statistics.median(theirs.cpu)
        return ours.median / theirs.median, ours.median - theirs.median, cpu

    help_ratio, help_delta, help_cpu = compare(cases["yb-help"], cases["min-help"])
    val_ratio, val_delta, val_cpu = compare(cases["yb-validate"], cases["min-cmd0"])
    help_ok = help_ratio <= HELP_RATIO_GOAL
    val_ok = val_delta < VALIDATE_DELTA_GOAL_MS
    print()
    print(f"{'comparison (wall medians)':<28}{'ratio':>8}{'delta':>10}{'CPU delta':>11}  goal")
    print(
        f"{'--help':<28}{help_ratio:7.2f}x{help_delta:+8.1f}ms{help_cpu:+9.1f}ms  "
        f"<= {HELP_RATIO_GOAL:.2f}x      {'PASS' if help_ok else 'FAIL'}"
    )
    print(
        f"{'validate vs cmd0':<28}{val_ratio:7.2f}x{val_delta:+8.1f}ms{val_cpu:+9.1f}ms  "
        f"< +{VALIDATE_DELTA_GOAL_MS:.0f} ms     {'PASS' if val_ok else 'FAIL'}"
    )

    if args.importtime:
        report_imports("yogaback --help", cases["yb-help"].argv, cases["min-help"].argv, env)
        report_imports(
            f"yogaback validate {rel}", cases["yb-validate"].argv, cases["min-cmd0"].argv, env
        )
    pycache.cleanup()
    return 0 if help_ok and val_ok else 1


if __name__ == "__main__":
    sys.exit(main())
