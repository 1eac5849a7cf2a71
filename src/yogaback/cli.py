"""The command line: parse arguments, call a command module, turn errors into exit codes.

Commands import their heavy dependencies (YAML, the routine model, Rich's live
display) only when they run, so ``yogaback --help`` stays quick.
"""

import contextlib
import sys
from pathlib import Path
from typing import Annotated, TextIO, cast

import typer

from yogaback import __version__
from yogaback.cli_tools import (
    Bell,
    PlainHelp,
    SoundEngine,
    SoundFiles,
    VoiceEngine,
    Volume,
    number,
    register_tools,
)
from yogaback.errors import EXIT_FAILURE, EXIT_INTERRUPTED, YogabackError

app = typer.Typer(
    name="yogaback",
    help="A terminal-guided yoga practice for upper-back pain.\n\n"
    "Start with:  yogaback play upper-back",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

Routine = Annotated[
    str,
    typer.Argument(
        help="A routine name (see 'yogaback list') or a file path.", metavar="NAME|PATH"
    ),
]


Minutes = Annotated[
    float | None,
    typer.Option(
        "--minutes",
        parser=number(1, 600),
        metavar="N",
        help="Fit the routine to about this many minutes (1 to 600): holds and counts "
        "shorten first; if that is not enough, the parts the routine marks as optional are "
        "left out, least needed first (both sides together).",
    ),
]
Pace = Annotated[
    float | None,
    typer.Option(
        "--pace",
        parser=number(2, 60),
        metavar="S",
        help="Seconds for one breath, in + out (2 to 60). The routine's own breath becomes "
        "S seconds; a step with its own pace (or phase lengths) is scaled by the same "
        "factor, so it keeps its proportion (a step breathing 1.5 times slower than the "
        "routine stays 1.5 times slower). Timed holds keep their length.",
    ),
]
Gentle = Annotated[
    bool | None,
    typer.Option(
        "--gentle/--no-gentle",
        help="Play every pose that has a gentler form in that form (its gentler text is "
        "said with the setup). Default: your config's 'gentle'.",
    ),
]


def _version(value: bool) -> None:
    if value:
        print(f"yogaback {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    pass


@app.command("list")
def list_(
    json: Annotated[
        bool, typer.Option("--json", help="Print a JSON array instead of a table.")
    ] = False,
) -> None:
    """List every routine, built-in and your own.

    Example: yogaback list --json
    """
    from yogaback.commands import list as listing

    listing.run(as_json=json)


@app.command(cls=PlainHelp)
def show(
    routine: Routine,
    minutes: Minutes = None,
    pace: Pace = None,
    voice: Annotated[
        bool,
        typer.Option(
            "--voice", help="Preview with spoken cues: transitions as long as their words."
        ),
    ] = False,
    voice_engine: VoiceEngine = None,
    gentle: Gentle = None,
    figures: Annotated[
        bool,
        typer.Option(
            "--figures", help="Show each pose's figure (breathed in | out), labelled, instead."
        ),
    ] = False,
) -> None:
    """Preview a routine: each part with its start time, length, side, reps and cue.

    With --minutes, also lists the parts left out to fit.

    Example: yogaback show upper-back --minutes 15    ·    yogaback show upper-back --figures
    """
    from yogaback.commands import show as preview

    if figures:
        preview.run_figures(routine)
        return
    preview.run(
        routine,
        minutes=minutes,
        pace=pace,
        gentle=gentle,
        voice=voice,
        voice_engine=voice_engine,
    )


@app.command(cls=PlainHelp)
def play(
    routine: Routine,
    minutes: Minutes = None,
    pace: Pace = None,
    start_at: Annotated[
        str | None,
        typer.Option(
            "--start-at", metavar="POSE|NUMBER", help="Begin at this part (number or pose)."
        ),
    ] = None,
    speed: Annotated[
        float,
        typer.Option(
            "--speed",
            parser=number(0.1, 1000),
            metavar="X",
            help="Play this many times faster than real time (0.1 to 1000).",
        ),
    ] = 1.0,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Print one line per cue instead of "
            "the live screen (automatic when not a terminal).",
        ),
    ] = False,
    events: Annotated[
        Path | None,
        typer.Option("--events", metavar="FILE", help="Write a JSON line per cue and action."),
    ] = None,
    volume: Volume = None,
    no_sound: Annotated[bool, typer.Option("--no-sound", help="Play without sound.")] = False,
    sound: SoundFiles = None,
    sound_engine: SoundEngine = "auto",
    bell: Bell = False,
    voice: Annotated[
        bool,
        typer.Option("--voice", help="Also speak the cues (flite, festival or espeak-ng)."),
    ] = False,
    voice_engine: VoiceEngine = None,
    breath: Annotated[
        str | None,
        typer.Option(
            "--breath",
            metavar="STYLE",
            help="Breath sounds: swell, tick or off. Default: config (breath).",
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue your last unfinished session of this routine where it stopped.",
        ),
    ] = False,
    check_in: Annotated[
        bool | None,
        typer.Option(
            "--check-in/--no-check-in",
            help="Ask how your upper back feels (0–10) before and after. Default: your config.",
        ),
    ] = None,
    voice_name: Annotated[
        str | None,
        typer.Option(
            "--voice-name", metavar="NAME", help="The engine's voice, e.g. slt (flite) or en-us."
        ),
    ] = None,
    gentle: Gentle = None,
) -> None:
    """Play a routine: a live guide with breath pacing, countdowns and what comes next.

    Keys: space pause · n next · p back · +/- hold · m mute · ? help · q quit.
    Example: yogaback play upper-back --minutes 15
    """
    from yogaback.commands import play as playing

    playing.run(
        routine,
        minutes=minutes,
        pace=pace,
        start_at=start_at,
        speed=speed,
        plain=plain,
        events=events,
        resume=resume,
        check_in=check_in,
        gentle=gentle,
        sound=playing.SoundFlags(
            volume=volume,
            off=no_sound,
            overrides=sound or [],
            engine=sound_engine,
            bell=bell,
            voice=True if voice else None,
            voice_name=voice_name,
            voice_engine=voice_engine,
            breath=breath,
        ),
    )


@app.command(cls=PlainHelp)
def validate(
    paths: Annotated[
        list[Path],
        # readable=False: we report unreadable files ourselves, located, and go on to the next
        typer.Argument(help="Routine files to check.", metavar="PATH...", readable=False),
    ],
) -> None:
    """Check routine files; print every problem as FILE:LINE:COL: message.

    Exits 0 when all are valid, 2 otherwise.

    Example: yogaback validate my-flow.yaml
    """
    from yogaback.commands import validate as checking

    raise typer.Exit(checking.run(paths))


@app.command(cls=PlainHelp)
def new(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Name of the new routine, e.g. my-break.")
    ],
    path: Annotated[
        Path | None,
        typer.Option(
            "--path",
            metavar="PATH",
            help="Write here (a file or a folder) instead of your routines folder.",
        ),
    ] = None,
) -> None:
    """Write a commented starter routine to edit. Never overwrites a file.

    Example: yogaback new my-break
    """
    from yogaback.commands import new as starter

    starter.run(name, path)


@app.command("figures")
def figures_() -> None:
    """Show every built-in figure, by the name a pose's 'figure:' gives it.

    Example: yogaback figures    ·    a routine's own: yogaback show upper-back --figures
    """
    from yogaback.commands import figures as gallery

    gallery.run()


@app.command()
def schema() -> None:
    """Print the JSON Schema of routine files (for editor completion and checks).

    Example: yogaback schema > routine.schema.json
    """
    import json

    from yogaback.routine.format import schema as make_schema

    print(json.dumps(make_schema(), indent=2))


register_tools(app)


def main() -> None:
    from yogaback.commands import output

    if output.stdout_closed():
        # Before anything runs: nothing done that its output could not report, and no
        # file opened now can take the closed descriptor and receive what was meant for it.
        _error("standard output is closed; send it somewhere, e.g. > /dev/null")
        sys.exit(EXIT_FAILURE)
    plain = sys.stdout
    sys.stdout = cast(TextIO, output.GuardedStdout(plain))
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # written to a file, a full disk shows only here
    except YogabackError as exc:
        if isinstance(exc, output.OutputError):
            output.discard_stdout()
        if str(exc):
            _error(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    finally:
        sys.stdout = plain


def _error(text: str) -> None:
    """The one-line error, if standard error can take it (it may be closed or full too)."""
    from yogaback.commands.output import error

    with contextlib.suppress(OSError, ValueError, AttributeError):
        error(text)
