"""The commands around the practice: journal, settings, sound and diagnostics.

Kept apart from ``cli.py`` (the routine commands) so each file stays small; every
command imports what it needs only when it runs.
"""

from typing import Annotated

import typer

Volume = Annotated[
    int | None,
    typer.Option("--volume", min=0, max=100, help="Sound volume, 0 to 100. Default: config."),
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


def stats_(
    weeks: Annotated[
        int, typer.Option("--weeks", min=1, max=104, help="How many weeks the calendar shows.")
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


@sound_app.command("test")
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
