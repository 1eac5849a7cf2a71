"""How long big type and figures take to draw (issue 12: well under 2 ms a frame).

    python benchmarks/render_figures.py

Times one figure frame at 40x20 cells (every figure, at changing phases, nothing
cached between frames), a big countdown at 200x50 and 100x30, a whole live frame at
200x50 and a step of the live screen as the session makes it (mostly redrawing only what
moved), and the import cost of the two modules on top of what `play` imports anyway.
Exits 1 if a frame takes 2 ms or more (median).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

GOAL_MS = 2.0


def per_call_ms(fn: object, rounds: int = 400) -> tuple[float, float]:
    assert callable(fn)
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def import_ms(module: str, after: str = "yogaback.cli") -> float:
    """Extra time importing ``module`` costs once ``after`` (what ``play`` loads anyway)
    is in: best of 7 fresh interpreters."""
    code = (
        f"import time, {after}\n"
        f"t = time.perf_counter()\nimport {module}\n"
        "print((time.perf_counter() - t) * 1000)"
    )
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(7)
    ]
    return min(runs)


def main() -> int:
    from yogaback import figures
    from yogaback.screen import bigtype

    names = figures.names()

    def frame(i: int) -> None:
        figures.get(names[i % len(names)]).render(40, 20, (i % 17) / 16, mirror=bool(i & 1))

    def countdown_large(i: int) -> None:
        bigtype.render(f"{i // 60 % 60}:{i % 60:02d}", 200, 50)

    def countdown_medium(i: int) -> None:
        bigtype.render(f"{i // 60 % 60}:{i % 60:02d}", 100, 30)

    def pose_name(i: int) -> None:
        # drawn afresh each time: the screen remembers what it drew, this times the drawing
        bigtype._render.__wrapped__("Downward-facing dog", 100, 5, 1)

    from pathlib import Path

    from yogaback.practice import player as P
    from yogaback.practice.player import Player
    from yogaback.practice.timeline import compile_timeline
    from yogaback.routine.load import load_routine
    from yogaback.screen import layout, view
    from yogaback.screen.writer import ScreenWriter

    routine = load_routine(Path(__file__).resolve().parents[1] / "sequences" / "upper-back.yaml")
    timeline = compile_timeline(routine)
    chosen = figures.for_routine(routine)
    reps = next(s for s in timeline.segments if s.pose == "cat-cow-wave" and s.phase == "inhale")
    started = P.start(Player(timeline), 0.0)
    writer = ScreenWriter(open(os.devnull, "w"))  # noqa: SIM115 - kept for the run

    def whole_frame(i: int) -> None:
        """A whole live-screen frame at 200x50 during reps: view, layout, diff, write."""
        now = reps.start + (i % 40) * 0.25
        p, _ = P.advance(started, now)
        drawn = layout.render(view.view(p, now, view.UiState(), 200, 50, chosen))
        assert isinstance(drawn, layout.Drawn)
        writer.draw(drawn.rows, 200, 50)

    from rich.console import Console

    from yogaback.screen.live import LiveScreen

    console = Console(file=open(os.devnull, "w"), width=200, height=50, force_terminal=True)  # noqa: SIM115
    live = LiveScreen(console, chosen)
    player, at = started, reps.start

    def live_step(i: int) -> None:
        """A step of the live screen during reps at 200x50, as the session loop makes it:
        most redraw only what moved (the pacer, the figure, the clocks) in place."""
        nonlocal player, at
        player, begun = P.advance(player, at)
        live.refresh(player, at, view.UiState(), force=bool(begun))
        nxt = live.next_change(player, at)
        at = nxt if nxt is not None else at + 1.0
        if at > reps.start + 60:
            player, at = started, reps.start

    print(f"load average {os.getloadavg()[0]:.2f}; median / p99 per call")
    failed = False
    for label, fn in (
        ("figure frame 40x20", frame),
        ("countdown 200x50", countdown_large),
        ("countdown 100x30", countdown_medium),
        ("pose name 100x5", pose_name),
        ("live frame 200x50", whole_frame),
        ("live step 200x50", live_step),
    ):
        median, p99 = per_call_ms(fn)
        ok = median < GOAL_MS
        failed |= not ok
        print(f"  {label:<20} {median:6.3f} ms  {p99:6.3f} ms  {'PASS' if ok else 'FAIL'}")
    for module in ("yogaback.screen.bigtype", "yogaback.figures"):
        print(f"  import {module:<18} {import_ms(module):6.1f} ms on top of yogaback.cli")
    try:
        extra = import_ms("pyfiglet")
        print(f"  import {'pyfiglet':<18} {extra:6.1f} ms on top of yogaback.cli (for comparison)")
    except subprocess.CalledProcessError:
        print("  pyfiglet not installed: skipped the comparison")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
