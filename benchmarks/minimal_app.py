"""A minimal Typer + Rich app: the floor that ``yogaback``'s start-up is measured against.

It has the same shape as yogaback's command line, and nothing else:

* the same number of commands (``cmd0`` ... ``cmdN-1``), each with a one-line help;
* a root callback with an eager ``--version`` option, like yogaback's;
* the same Typer settings that change what ``--help`` costs (``rich_markup_mode``,
  ``add_completion``, ``no_args_is_help``, ``pretty_exceptions_enable``);
* ``cmd0 PATH...`` takes a ``list[Path]`` argument like ``yogaback validate`` and prints
  one line through a Rich console imported inside the command, as yogaback does.

So the difference between the two is yogaback's own code: its modules, YAML, the routine
model and the work of checking a routine.

The shape comes from environment variables that ``benchmarks/startup.py`` sets after
probing ``yogaback.cli`` once (so this script never imports yogaback and its own start-up
stays minimal):

    YOGABACK_BENCH_COMMANDS     number of commands (yogaback's registered commands)
    YOGABACK_BENCH_MARKUP       "none", "rich" or "markdown" (yogaback's rich_markup_mode)
    YOGABACK_BENCH_COMPLETION   "1" or "0" (yogaback's add_completion)
    YOGABACK_BENCH_PRETTY       "1" or "0" (yogaback's pretty_exceptions_enable)

Run on its own (``python benchmarks/minimal_app.py --help``) without those variables, it
probes yogaback itself in a subprocess first, which is slow: only benchmark it through
``startup.py``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated

import typer

PROBE = """
import yogaback.cli as cli
app = cli.app
mode = app.rich_markup_mode
print(len(app.registered_commands) + len(app.registered_groups))
print("none" if mode is None else mode)
print(int(bool(app._add_completion)))
print(int(bool(app.pretty_exceptions_enable)))
"""


def probe_yogaback() -> dict[str, str]:
    """The shape of yogaback's Typer app, as environment variables for this script."""
    import subprocess  # here, so that the benchmarked start-up does not pay for it

    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    commands, markup, completion, pretty = result.stdout.split()
    return {
        "YOGABACK_BENCH_COMMANDS": commands,
        "YOGABACK_BENCH_MARKUP": markup,
        "YOGABACK_BENCH_COMPLETION": completion,
        "YOGABACK_BENCH_PRETTY": pretty,
    }


def _version(value: bool) -> None:
    if value:
        print("minimal 0")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    pass


def cmd0(
    paths: Annotated[list[Path], typer.Argument(help="Files to name.", metavar="PATH...")],
) -> None:
    """Print one line per path through Rich (the counterpart of 'yogaback validate')."""
    from rich.console import Console

    console = Console(highlight=False)
    for path in paths:
        console.print(f"{path}: ok", markup=False)


def _trivial(n: int) -> Callable[[], None]:
    def command() -> None:
        from rich.console import Console

        Console(highlight=False).print(f"command {n}", markup=False)

    command.__doc__ = f"Trivial command number {n}."
    return command


def build_app(shape: Mapping[str, str]) -> typer.Typer:
    """The minimal app with yogaback's shape (see the module docstring)."""
    markup = shape.get("YOGABACK_BENCH_MARKUP", "none")
    app = typer.Typer(
        name="minimal",
        help="A minimal Typer + Rich app with as many commands as yogaback.",
        no_args_is_help=True,
        add_completion=shape.get("YOGABACK_BENCH_COMPLETION", "1") == "1",
        pretty_exceptions_enable=shape.get("YOGABACK_BENCH_PRETTY", "0") == "1",
        rich_markup_mode=None if markup == "none" else markup,  # type: ignore[arg-type]
    )
    app.callback()(_root)
    app.command("cmd0")(cmd0)
    for n in range(1, int(shape["YOGABACK_BENCH_COMMANDS"])):
        app.command(f"cmd{n}")(_trivial(n))
    return app


def main() -> None:
    build_app(os.environ if "YOGABACK_BENCH_COMMANDS" in os.environ else probe_yogaback())()


if __name__ == "__main__":
    main()
