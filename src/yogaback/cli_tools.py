"""The commands around the practice: journal, settings, sound and diagnostics.

Kept apart from ``cli.py`` (the routine commands) so each file stays small; every
command imports what it needs only when it runs. Also the pieces both files share: the
parsers of number options and ``PlainHelp``, the help format of commands with arguments.
"""

import math
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperCommand


class PlainHelp(TyperCommand):
    """A command whose --help names its arguments in words, as its options' metavars do.

    Typer (0.2x) writes an argument's Python type after its name ('NAME|PATH <str>',
    'PATH <list[Path]>') and braces around a required one in the usage ('{NAME|PATH}'):
    machine words to a reader. Here an argument is shown by its metavar alone, in brackets
    only when it is optional, followed by '...' when it takes several (once). Only click's own
    help-formatting hooks are overridden, so the rest of Typer's help stays as it is.
    """

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _argument_name(param: Any) -> str:
    name = str(param.metavar or param.name.upper())
    return name + "..." if param.nargs != 1 and not name.endswith("...") else name


def number(low: float, high: float) -> Callable[[str], float]:
    """A float option's parser, from ``low`` to ``high``. Typer's own ``min``/``max`` let
    ``nan`` through to a wrong message (every comparison with nan is false, so it said
    "should be less than or equal to 1000"): nan and words are "not a number" here."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if math.isnan(value):
            raise typer.BadParameter(f"{text!r} is not a number")
        if not low <= value <= high:
            raise typer.BadParameter(f"{text} is not from {low:g} to {high:g}")
        return value

    return parse


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """A whole-number option's parser, from ``low`` to ``high`` (or up). Typer's own
    ``min``/``max`` would add '[0<=x<=100]' to the help and '<int range>' as its metavar;
    the help says the range in words instead."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise typer.BadParameter(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            raise typer.BadParameter(
                f"{text} is not from {low} to {high}"
                if high is not None
                else f"{text} is below {low}"
            )
        return value

    return parse


Volume = Annotated[
    int | None,
    typer.Option(
        "--volume",
        parser=whole_number(0, 100),
        metavar="N",
        help="Sound volume, 0 to 100. Default: config.",
    ),
]
SoundEngine = Annotated[
    str,
    typer.Option(
        "--sound-engine",
        metavar="NAME",
        help="auto (default), miniaudio, system, pw-play, paplay, aplay, afplay, "
        "winsound, simpleaudio, bell or silent.",
    ),
]
SoundFiles = Annotated[
    list[str] | None,
    typer.Option(
        "--sound",
        metavar="EVENT=FILE",
        help="Your own WAV file (at most 15 s; ~ works) for an event: pose, switch, inhale, "
        "exhale, halfway or end; or EVENT=off for silence. Repeatable; beats the routine's "
        "and the config's sounds.",
    ),
]
VoiceEngine = Annotated[
    str | None,
    typer.Option(
        "--voice-engine",
        metavar="NAME",
        help="Speech engine for --voice: auto (the best found), flite, festival, espeak-ng, "
        "say or sapi. Default: config (voice_engine).",
    ),
]
Bell = Annotated[
    bool, typer.Option("--bell", help="Ring the terminal bell if no audio device works.")
]


def history_(
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            parser=whole_number(0),
            metavar="N",
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


def stats_(
    weeks: Annotated[
        int,
        typer.Option(
            "--weeks",
            parser=whole_number(1, 104),
            metavar="N",
            help="How many weeks the calendar shows (1 to 104).",
        ),
    ] = 12,
    json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    include_previews: Annotated[
        bool,
        typer.Option(
            "--include-previews", help="Count sessions played at a --speed other than 1 too."
        ),
    ] = False,
) -> None:
    """Your practice at a glance: practice days, streaks, minutes per week, and how your
    back felt before and after.

    Example: yogaback stats --weeks 8
    """
    from yogaback.commands import stats

    stats.run(weeks=weeks, as_json=json, include_previews=include_previews)


config_app = typer.Typer(
    help="Your settings file: where it is and what is in effect.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@config_app.command("path")
def config_path() -> None:
    """Print where the config file is (it may not exist yet)."""
    from yogaback.commands import config as configure

    configure.run_path()


@config_app.command("show")
def config_show(
    json: Annotated[bool, typer.Option("--json", help="Print the settings as JSON.")] = False,
) -> None:
    """Show every setting in effect and where it comes from: a flag, the environment,
    the config file or the default."""
    from yogaback.commands import config as configure

    configure.run_show(as_json=json)


@config_app.command("init")
def config_init() -> None:
    """Write a commented starter config file to edit (never overwrites)."""
    from yogaback.commands import config as configure

    configure.run_init()


sound_app = typer.Typer(
    help="Sound: hear each cue sound and see which audio output plays it.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@sound_app.command("test", cls=PlainHelp)
def sound_test(
    routine: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME|PATH",
            help="Play the sounds this routine would use (its own 'sounds:', if any).",
            show_default=False,
        ),
    ] = None,
    volume: Volume = None,
    sound: SoundFiles = None,
    sound_engine: SoundEngine = "auto",
    bell: Bell = False,
    voice: Annotated[
        bool, typer.Option("--voice", help="Also speak a sample line, saying which engine.")
    ] = False,
    voice_engine: VoiceEngine = None,
) -> None:
    """Play each cue sound in turn (pose, switch, inhale, exhale, halfway, end), saying
    what it means, where it comes from and which audio output plays it. No audio device
    is not an error (exit 0); a sound file that cannot be played is (exit 2).

    Example: yogaback sound test desk-break --volume 50
    """
    from yogaback.commands import sound as soundcheck

    soundcheck.run(
        volume=volume,
        engine=sound_engine,
        bell=bell,
        voice=voice,
        voice_engine=voice_engine,
        routine=routine,
        overrides=sound or [],
    )


def doctor(
    json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check what yogaback finds here: sound engines, audio devices, speech, the terminal
    and its folders. Every check is time-limited; always exits 0.

    Example: yogaback doctor --json
    """
    from yogaback.commands import doctor as checkup

    checkup.run(as_json=json)


def register_tools(app: typer.Typer) -> None:
    """Add these commands to the main app."""
    app.command("history")(history_)
    app.command("stats")(stats_)
    app.add_typer(config_app, name="config")
    app.add_typer(sound_app, name="sound")
    app.command()(doctor)
