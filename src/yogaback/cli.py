"""The command line: parse arguments, call a command module, turn errors into exit codes.

Commands import their heavy dependencies (YAML, the routine model, Rich's live
display) only when they run, so ``yogaback --help`` stays quick.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from yogaback import __version__
from yogaback.errors import EXIT_INTERRUPTED, YogabackError

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
    typer.Option("--minutes", min=1, max=600, help="Fit the routine to about this many minutes."),
]
Pace = Annotated[
    float | None, typer.Option("--pace", min=2, max=60, help="Seconds for one breath (in + out).")
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
    from yogaback.commands import listing

    listing.run(as_json=json)


@app.command()
def show(routine: Routine, minutes: Minutes = None, pace: Pace = None) -> None:
    """Preview a routine: each part with its start time, length, side, reps and cue.

    Example: yogaback show upper-back --minutes 15
    """
    from yogaback.commands import preview

    preview.run(routine, minutes=minutes, pace=pace)


@app.command()
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
            "--speed", min=0.1, max=1000, help="Play this many times faster than real time."
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
    volume: Annotated[
        int | None,
        typer.Option("--volume", min=0, max=100, help="Sound volume, 0 to 100. Default: config."),
    ] = None,
    no_sound: Annotated[bool, typer.Option("--no-sound", help="Play without sound.")] = False,
    sound: Annotated[
        list[str] | None,
        typer.Option(
            "--sound",
            metavar="EVENT=FILE",
            help="Your own WAV file for an event: pose, switch, inhale, exhale, halfway or "
            "end (repeatable).",
        ),
    ] = None,
    sound_engine: Annotated[
        str,
        typer.Option(
            "--sound-engine",
            metavar="NAME",
            help="auto (default), miniaudio, system, pw-play, paplay, aplay, afplay, "
            "winsound, simpleaudio, bell or silent.",
        ),
    ] = "auto",
    bell: Annotated[
        bool, typer.Option("--bell", help="Ring the terminal bell if no audio device works.")
    ] = False,
    voice: Annotated[
        bool, typer.Option("--voice", help="Also speak the cues (needs espeak-ng).")
    ] = False,
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
        str, typer.Option("--voice-name", metavar="NAME", help="espeak-ng voice, e.g. en-us.")
    ] = "en",
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
        sound=playing.SoundFlags(
            volume=volume,
            off=no_sound,
            overrides=sound or [],
            engine=sound_engine,
            bell=bell,
            voice=True if voice else None,
            voice_name=voice_name,
        ),
    )


@app.command()
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
    from yogaback.commands import checking

    raise typer.Exit(checking.run(paths))


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="Name of the new routine, e.g. desk-break.")],
    path: Annotated[
        Path | None,
        typer.Option(
            "--path", help="Write here (a file or a folder) instead of your routines folder."
        ),
    ] = None,
) -> None:
    """Write a commented starter routine to edit. Never overwrites a file.

    Example: yogaback new desk-break
    """
    from yogaback.commands import starter

    starter.run(name, path)


@app.command("history")
def history_(
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=0,
            help="How many sessions (0: all). Default: 20 in the table, all with --json/--csv.",
        ),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print a JSON array of sessions.")] = False,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV, one session per row.")] = False,
    routine: Annotated[
        str | None, typer.Option("--routine", metavar="NAME|PATH", help="Only this routine.")
    ] = None,
) -> None:
    """Your recent sessions: when, how long, how far, and how your back felt.

    Example: yogaback history --json
    """
    from yogaback.commands import history

    history.run(limit=limit, as_json=json, as_csv=csv, routine=routine)


@app.command("stats")
def stats_(
    weeks: Annotated[
        int, typer.Option("--weeks", min=1, max=104, help="How many weeks the calendar shows.")
    ] = 12,
    json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Your practice at a glance: practice days, streaks, minutes per week, and how your
    back felt before and after.

    Example: yogaback stats --weeks 8
    """
    from yogaback.commands import stats

    stats.run(weeks=weeks, as_json=json)


config_app = typer.Typer(
    help="Your settings file: where it is and what is in effect.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(config_app, name="config")


@config_app.command("path")
def config_path() -> None:
    """Print where the config file is (it may not exist yet)."""
    from yogaback.commands import configure

    configure.run_path()


@config_app.command("show")
def config_show(
    json: Annotated[bool, typer.Option("--json", help="Print the settings as JSON.")] = False,
) -> None:
    """Show every setting in effect and where it comes from: a flag, the environment,
    the config file or the default."""
    from yogaback.commands import configure

    configure.run_show(as_json=json)


@config_app.command("init")
def config_init() -> None:
    """Write a commented starter config file to edit (never overwrites)."""
    from yogaback.commands import configure

    configure.run_init()


@app.command()
def schema() -> None:
    """Print the JSON Schema of routine files (for editor completion and checks).

    Example: yogaback schema > routine.schema.json
    """
    import json

    from yogaback.routine_format import schema as make_schema

    print(json.dumps(make_schema(), indent=2))


sound_app = typer.Typer(
    help="Sound: hear each cue sound and see which audio output plays it.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(sound_app, name="sound")


@sound_app.command("test")
def sound_test(
    volume: Annotated[
        int | None,
        typer.Option("--volume", min=0, max=100, help="Sound volume, 0 to 100. Default: config."),
    ] = None,
    sound_engine: Annotated[
        str,
        typer.Option(
            "--sound-engine",
            metavar="NAME",
            help="auto (default), miniaudio, system, pw-play, paplay, aplay, afplay, "
            "winsound, simpleaudio, bell or silent.",
        ),
    ] = "auto",
    bell: Annotated[
        bool, typer.Option("--bell", help="Ring the terminal bell if no audio device works.")
    ] = False,
    voice: Annotated[
        bool, typer.Option("--voice", help="Also speak a sample line (needs espeak-ng).")
    ] = False,
) -> None:
    """Play each cue sound in turn (pose, switch, inhale, exhale, halfway, end), saying
    what it means and which audio output plays it. Exits 0 even without a device.

    Example: yogaback sound test --volume 50
    """
    from yogaback.commands import soundcheck

    soundcheck.run(volume=volume, engine=sound_engine, bell=bell, voice=voice)


@app.command()
def doctor(
    json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check what yogaback finds here: sound engines, audio devices, speech, the terminal
    and its folders. Every check is time-limited; always exits 0.

    Example: yogaback doctor --json
    """
    from yogaback.commands import doctor as checkup

    checkup.run(as_json=json)


def main() -> None:
    try:
        app()
    except YogabackError as exc:
        from yogaback.commands.output import error

        if str(exc):
            error(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
