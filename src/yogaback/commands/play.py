"""``yogaback play``: wire the routine, the timeline, the player and the terminal together.

One job, wiring (``plan_practice`` then ``play``), with the small play-only pieces it
needs: ``--start-at`` lookup, the ``--events`` file, the sound flags, the safety screen's
countdown and Ctrl-Z. Everything it runs in comes from an ``Environment``.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import math
import os
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from yogaback.commands.output import out
from yogaback.config import Config
from yogaback.config import load as load_config
from yogaback.durations import clock, plural
from yogaback.environment import Environment, is_tty
from yogaback.errors import EXIT_INTERRUPTED, BadInput, QuietExit, YogabackError
from yogaback.practice.player import Player
from yogaback.practice.session import EventLog, Events, PlainPrinter, Session
from yogaback.practice.timeline import Timeline, compile_timeline
from yogaback.routine.catalog import resolve
from yogaback.routine.load import load_routine
from yogaback.routine.model import Routine
from yogaback.screen.terminal import (
    STOP,
    Keys,
    Terminated,
    new_bus,
    signals,
    stop_process,
    stoppable,
)
from yogaback.sound import SoundFileError, SoundSettings, SoundSink, open_sound
from yogaback.sound.library import choose

if TYPE_CHECKING:
    from yogaback.journal.store import Journal

INTRO_SECONDS = 20.0
"""The safety screen waits this long (in routine time) for a key, then starts by itself."""
CUE_SPIN = 0.002
"""Spin the last 2 ms before each cue (about 0.02 CPU-s per practice minute), when there is
sound or an events log to keep to time."""
INTRO_SECONDS_NO_KEYS = 8.0
"""How long the safety notes show when there is no keyboard to press a key on."""


def find_part(timeline: Timeline, start_at: str) -> int:
    """Part index for ``--start-at``: a 1-based part number, or a pose's key or name."""
    parts = timeline.parts
    if start_at.isdigit():
        number = int(start_at)
        if not 1 <= number <= len(parts):
            has = "only part 1" if len(parts) == 1 else f"parts 1 to {len(parts)}"
            raise BadInput(f"--start-at {start_at}: this routine has {has}")
        return number - 1
    wanted = start_at.casefold()
    for p in parts:
        if wanted in (p.pose.casefold(), p.name.casefold()):
            return p.index
    for p in parts:
        if wanted in p.name.casefold():
            return p.index
    listing = ", ".join(f"{p.index + 1} {p.name}" for p in parts[:40])
    raise BadInput(f"--start-at {start_at!r} matches no part. Parts: {listing}")


def _open_events(path: Path, stdout: IO[str]) -> IO[str]:
    if str(path) == "-":
        return stdout
    try:
        if path.is_dir():
            raise BadInput(
                f"--events {path} is a folder; give a file name in it, "
                f"e.g. --events {path / 'events.jsonl'}"
            )
        if path.is_fifo():
            return _open_fifo(path)
        if path.is_symlink() and not path.is_char_device():
            # a link to a file (or to nothing) is never written through; one to a device
            # such as /dev/stderr is how a shell names a stream, and is fine
            raise BadInput(
                f"--events {path} is a symbolic link; yogaback does not write through links "
                "to files. Give the file's own path, or another name"
            )
        # O_NOFOLLOW: a link put there since the check is refused, not followed. An
        # existing file is checked once open, so nothing it holds is truncated.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        if os.fstat(fd).st_size > 0:
            os.close(fd)
            raise BadInput(
                f"{path} already exists and is not empty; not overwriting it. "
                "Choose another --events file"
            )
        return open(fd, "w", encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"cannot write --events file {path}: {exc.strerror}") from None


def _open_fifo(path: Path) -> IO[str]:
    """A named pipe is opened without waiting for a reader: a plain ``open`` would block the
    start until one came. No reader is an error before anything starts (rather than playing
    on and dropping the log, which was asked for): start the reader first."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise BadInput(
                f"--events {path} is a named pipe that nobody is reading; "
                f"start its reader first (e.g. cat {path})"
            ) from None
        raise
    os.set_blocking(fd, True)  # a reader is there now: write lines whole, as to a file
    return open(fd, "w", encoding="utf-8")


def _part_at(tl: Timeline, index: int) -> tuple[int, str]:
    """Part ``index`` of ``tl`` as the whole routine numbers it, and where that is:
    "part 4 of 12: Thread the needle (left)" (said on stopping and by --start-at)."""
    part = tl.parts[index]
    number = part.index + 1 + tl.skipped
    side = f" ({part.side})" if part.side and part.side != "alternate" else ""
    return number, f"part {number} of {len(tl.parts) + tl.skipped}: {part.name}{side}"


def summary(routine: Routine, player: Player, arg: str, recorded: bool = False) -> str:
    tl = player.timeline
    practised = clock(player.played)
    count = len(tl.parts) + tl.skipped
    if player.status == "done":
        from yogaback.journal.store import SKIPPED_BELOW

        if player.speed == 1 and player.played < SKIPPED_BELOW * tl.total:
            return (
                f"Skipped through to the end: {practised} of {routine.title} practised, so "
                f"it is not counted as done. Whenever you are ready: yogaback play {arg}"
            )
        done = (
            f"Well done. {practised} of practice — {routine.title}, up to the end of part "
            f"{count} of {count}."
        )
        if player.speed != 1:  # kept in the journal as a preview, left out of stats
            return f"{done} (A preview at {player.speed:g}×: in your history, not your stats.)"
        return f"{done} Take a moment before you get up."
    seg = player.segment()
    number, where = _part_at(tl, seg.part if seg else 0)
    if recorded:
        return (
            f"Stopped at {where}, after {practised} of practice.\n"
            f"To continue from there: yogaback play {arg} --resume\n"
            f"(or, any time: yogaback play {arg} --start-at {number})"
        )
    return (
        f"Stopped at {where}, after {practised} of practice.\n"
        f"To continue from there: yogaback play {arg} --start-at {number}"
    )


def _header(routine: Routine, timeline: Timeline, stream: IO[str]) -> None:
    stream.write(
        f"{routine.title} — {clock(timeline.total)}, {plural(len(timeline.parts), 'part')}\n"
    )
    for note in routine.safety:
        stream.write(f"  • {note}\n")
    stream.flush()


def _wait_intro(
    session: Session,
    screen: object,
    routine: Routine,
    timeline: Timeline,
    speed: float,
    note: str | None = None,
    keys: bool = True,
) -> bool:
    """Show the safety notes until a key or the countdown ends. False if the user quit.

    Without a keyboard (stdin not a terminal) nobody can press a key: the notes show for a
    shorter countdown and the session starts by itself. Ctrl-Z stops the countdown too."""
    from yogaback.screen.live import LiveScreen

    assert isinstance(screen, LiveScreen)
    bus = session.bus
    end = session.clock() + (INTRO_SECONDS if keys else INTRO_SECONDS_NO_KEYS) / speed
    while True:
        left = end - session.clock()
        if left <= 0:
            return True
        screen.intro(routine, timeline.total, math.ceil(left * speed), keys=keys, note=note)
        step = min(left, 1.0 / speed)
        if bus is None:
            session.sleep(step)
            continue
        event = bus.get(step)
        if event == STOP:
            stopped = session.clock()
            session.stop_and_continue()
            end += session.clock() - stopped
        elif event and event[0] == "key" and keys:
            return event[1] not in ("q", "Q", "escape")


def _suspender(session: Session, keys: Keys) -> Callable[[], None]:
    """What Ctrl-Z does once the session has paused: give the terminal back as it was
    (main screen, cursor, echo, line editing), stop, and on ``fg`` take it again at once."""
    from yogaback.screen.live import LiveScreen

    def suspend() -> None:
        screen = session.screen
        if isinstance(screen, LiveScreen):
            screen.suspend()
        with keys.released():
            with contextlib.suppress(OSError, ValueError):
                sys.stdout.flush()
            stop_process()
        if isinstance(screen, LiveScreen):
            screen.resume()

    return suspend


@dataclass(frozen=True)
class SoundFlags:
    """The play command's sound flags as given; None means "not given: use the config"."""

    volume: int | None = None
    off: bool = False
    overrides: list[str] = field(default_factory=list)
    engine: str = "auto"
    bell: bool = False
    voice: bool | None = None
    voice_name: str | None = None
    voice_engine: str | None = None
    breath: str | None = None


def sound_settings(
    flags: SoundFlags, config: Config, routine: Routine | None = None
) -> SoundSettings:
    """Sound settings from flags over config (BadInput for a malformed --sound). Each
    event's sound: ``--sound``, else the routine's ``sounds:``, else the config's
    ``[sounds]``, else yogaback's own."""
    try:
        files = choose(config.sounds, routine.sounds if routine else {}, flags=flags.overrides)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    voice = flags.voice if flags.voice is not None else config.voice
    return SoundSettings(
        enabled=config.sound and not flags.off,
        volume=flags.volume if flags.volume is not None else config.volume,
        engine=flags.engine,
        bell=flags.bell,
        overrides=files,
        voice=(flags.voice_name or "") if voice else None,
        voice_engine=flags.voice_engine or config.voice_engine,
        breath=flags.breath or config.breath,
    )


def voiced(timeline: Timeline, sink: SoundSink | None, env: Environment) -> Timeline:
    """With a voice: every cue rendered now, and ``timeline`` with transitions as long as
    their get-ready words (``fit_speech``); the sink's speech planned on it. Without one,
    ``timeline`` as it is. The first time, rendering takes a while (~0.3 s a cue with
    flite): a terminal sees it count up, anything else gets one line saying why it waits."""
    if sink is None or sink.voice is None:
        return timeline
    from yogaback.practice.speech import fit_speech

    voice = sink.voice
    todo = sorted({s.text.strip() for s in timeline.segments if s.text.strip()} - set(voice.clips))
    if todo:
        say = f"Preparing {len(todo)} spoken cues with {voice.engine}"
        tty = is_tty(env.stderr)
        print(f"{say} (kept for next time)…", file=env.stderr)
        for done, text in enumerate(todo, 1):
            if voice.failure is not None:
                break
            voice.length(text)
            if tty:
                print(f"\r  {done} of {len(todo)}", end="", file=env.stderr, flush=True)
        if tty:
            print(file=env.stderr)
    timeline = fit_speech(timeline, voice.length)
    sink.prepare(timeline)
    return timeline


RING_OUT_KEYS = ("q", "Q", "escape")
MIN_WRAP_WIDTH = 30
"""Below this many columns the end summary is not wrapped: a word a line is no help."""


def ring_out(sink: SoundSink, bus: Events, speed: float, clock: Callable[[], float]) -> None:
    """After the end: wait for the closing bell to ring out (at most ``CLOSE_DRAIN`` real
    seconds, less at a higher ``--speed``); q, Esc or Ctrl-C fade it out at once."""
    from yogaback.sound.sink import CLOSE_DRAIN

    end = clock() + CLOSE_DRAIN / max(1.0, speed)
    try:
        while clock() < end and sink.busy():
            event = bus.get(0.05)
            if event and event[0] == "key" and event[1] in RING_OUT_KEYS:
                break
    except KeyboardInterrupt:
        pass
    sink.close(drain=False)


def _why_silent(flags: SoundFlags, settings: SoundSettings) -> str:
    """Why a session has no sound sink, in a few words for the ``m`` key's notice."""
    if flags.off:
        return "--no-sound"
    if not settings.enabled:
        return "sound = false in your settings"
    return "volume 0"


def _open_sound(settings: SoundSettings) -> SoundSink | None:
    """The sound sink, or None with sound off."""
    try:
        return open_sound(settings)
    except (SoundFileError, ValueError) as exc:
        raise BadInput(str(exc)) from None


@dataclass(frozen=True)
class Practice:
    """What ``play`` is about to play: the routine, its timeline from the part it starts
    at, and how the session will be recorded."""

    arg: str
    path: Path
    routine: Routine
    key: str
    timeline: Timeline
    config: Config
    minutes: float | None
    pace: float | None
    book: Journal | None
    resumed_from: int | None = None
    note: str | None = None
    """Said on the live screen too (it hides what was printed before it)."""


def plan_practice(
    arg: str,
    env: Environment,
    *,
    minutes: float | None,
    pace: float | None,
    start_at: str | None,
    resume: bool = False,
    check_in: bool | None = None,
    sound: SoundFlags | None = None,
    gentle: bool | None = None,
) -> Practice:
    """Resolve and load the routine, open the journal, find where ``--resume`` picks up,
    and compile the timeline from the part it starts at."""
    from yogaback.journal import recording as journal
    from yogaback.journal.resume import plan_resume
    from yogaback.journal.store import FILE_NAME, routine_key
    from yogaback.screen import prompts

    if resume and start_at:
        raise BadInput("use either --resume or --start-at, not both")
    flags = sound or SoundFlags()
    config = load_config(
        {
            "pace": pace,
            "check_in": check_in,
            "gentle": gentle,
            "breath": flags.breath,
            "voice_engine": flags.voice_engine,
        }
    )
    path = resolve(arg)
    routine = load_routine(path)
    key = routine_key(arg, path)
    book = journal.open_for_play(env.home / FILE_NAME if env.home else None)
    resumed_from: int | None = None
    note: str | None = None
    if resume:
        if book is None:
            raise BadInput("cannot resume: the journal is not available (see above)")
        ask = functools.partial(prompts.ask_choice, stdin=env.stdin, out=env.stdout)
        plan = plan_resume(book, key, arg, path, choose=ask)
        if plan.part is not None:
            start_at = str(plan.part)
            resumed_from = plan.resumed_from
            # The resumed session's own --minutes/--pace, unless given again now.
            minutes = plan.minutes if minutes is None else minutes
            pace = plan.pace if pace is None else pace
        out().print(plan.message, markup=False, soft_wrap=True)
        note = plan.message  # the live screen hides what was printed: say it there too
    if pace is None and resumed_from is None:
        pace = config.pace
    timeline = compile_timeline(routine, minutes=minutes, pace=pace, gentle=config.gentle)
    if start_at:
        timeline = timeline.from_part(find_part(timeline, start_at))
        if note is None:  # --resume's note says where it picks up; --start-at's says so too
            note = f"Starting at {_part_at(timeline, 0)[1]}."
    return Practice(
        arg, path, routine, key, timeline, config, minutes, pace, book, resumed_from, note
    )


def run(
    arg: str,
    *,
    minutes: float | None,
    pace: float | None,
    start_at: str | None,
    speed: float,
    plain: bool,
    events: Path | None,
    resume: bool = False,
    check_in: bool | None = None,
    sound: SoundFlags | None = None,
    gentle: bool | None = None,
    env: Environment | None = None,
) -> None:
    """``yogaback play``: plan the practice, then play it (``env``: the process's own
    streams, clock and folders unless given)."""
    env = Environment.real() if env is None else env
    practice = plan_practice(
        arg,
        env,
        minutes=minutes,
        pace=pace,
        start_at=start_at,
        resume=resume,
        check_in=check_in,
        sound=sound,
        gentle=gentle,
    )
    play(practice, env, speed=speed, plain=plain, events=events, sound=sound)


def play(
    practice: Practice,
    env: Environment,
    *,
    speed: float,
    plain: bool,
    events: Path | None,
    sound: SoundFlags | None = None,
) -> None:
    """Play a planned practice: screen or plain lines, sound, events log, journal, the
    check-ins, and the summary at the end."""
    from yogaback.journal import recording as journal
    from yogaback.screen import prompts

    arg, path, routine, key = practice.arg, practice.path, practice.routine, practice.key
    timeline, config, book = practice.timeline, practice.config, practice.book
    minutes, pace = practice.minutes, practice.pace
    resumed_from, note = practice.resumed_from, practice.note
    from rich.console import Console

    # Its own console: NO_COLOR drops colour here but keeps bold, which the pose name needs
    # to read from across the room. A terminal Rich cannot drive (TERM=dumb, as in an Emacs
    # shell buffer) would show a blank screen: it gets the plain lines instead.
    console = Console(highlight=False, no_color=config.theme == "mono" or None)
    live = not plain and env.stdout_isatty and not console.is_dumb_terminal
    settings = sound_settings(sound or SoundFlags(), config, routine)
    sink = _open_sound(settings)
    timeline = voiced(timeline, sink, env)
    # After sound: a bad WAV leaves no empty log.
    log = _open_events(events, env.stdout) if events else None
    bus = new_bus()
    # Spinning up to a cue keeps sound and the events log to the millisecond; a screen alone
    # cannot show the difference, and the spin is a tenth of a quiet session's CPU.
    spin = CUE_SPIN if sink is not None or log is not None else 0.0
    session = Session(Player(timeline, speed=speed), clock=env.clock, bus=bus, spin=spin)
    if sink is None:  # m has nothing to mute: it says why instead
        session.ui = replace(session.ui, sound=_why_silent(sound or SoundFlags(), settings))
    event_log = EventLog(log) if log is not None else None
    if event_log is not None:
        session.sinks.append(event_log)
        if sink is not None:
            sink.on_speech = event_log.speech
    if not live:
        printer = PlainPrinter(env.stdout)
        session.sinks.append(printer)
        session.show_keys = printer.keys
    notice = None
    if sink is not None:
        session.sinks.append(sink)
        notice = sink.ready(timeout=2.0)
        silent = sink.silent()
        if silent:  # m has nothing to mute here either
            session.ui = replace(session.ui, sound=silent)
        if notice and not live:
            print(notice, file=env.stderr)
    stopped_by: int | None = None
    ended_by: str | None = None
    recording: journal.Recording | None = None
    try:
        with signals(bus), Keys(bus, env.stdin) as keys:
            pain_before = None
            if config.check_in and keys.active:
                with stoppable(bus):  # Ctrl-Z during the question stops cleanly too
                    pain_before = prompts.ask_pain(prompts.BEFORE_QUESTION, bus=bus, keys=keys)
            recording = journal.start_recording(
                book,
                key=key,
                path=path,
                title=routine.title,
                timeline=timeline,
                minutes=minutes,
                pace=pace,
                speed=speed,
                pain_before=pain_before,
                resumed_from=resumed_from,
            )
            if recording is not None:
                session.sinks.append(recording.sink)
            # Ctrl-Z arrives on the bus (keys or none) from here on; the question above
            # handled its own.
            session.suspend = _suspender(session, keys)
            if live:
                from yogaback.figures import for_routine
                from yogaback.screen.live import LiveScreen

                figures = for_routine(routine)
                with stoppable(bus), LiveScreen(console, figures) as screen:
                    session.screen = screen
                    session.ui = replace(session.ui, theme=config.theme)
                    if _wait_intro(
                        session, screen, routine, timeline, speed, note, keys=keys.active
                    ):
                        if notice and sink is not None:
                            brief = sink.notice(brief=True) or notice
                            session.ui = replace(
                                session.ui, notice=brief, notice_until=env.clock() + 8.0
                            )
                        session.run()
                        if sink is not None and session.player.status == "done":
                            ring_out(sink, bus, speed, env.clock)
            else:
                with stoppable(bus):
                    _header(routine, timeline, env.stdout)
                    session.run()
                    if sink is not None and session.player.status == "done":
                        ring_out(sink, bus, speed, env.clock)
    except KeyboardInterrupt:
        session.interrupt("interrupt")
        stopped_by = EXIT_INTERRUPTED
    except Terminated as exc:
        session.interrupt("terminate")
        stopped_by = 128 + exc.signum
    except BrokenPipeError:  # the output pipe closed (| head): interrupted, not a crash
        ended_by = "interrupt"
        raise
    finally:
        if log is not None and log is not env.stdout:
            with contextlib.suppress(OSError):  # already reported by the event log
                log.close()
        if sink is not None and session.player.status != "done":
            sink.close()  # quit, a signal or an error: stop at once
        if recording is not None:
            # Flushes the journal; closes the session's row.
            recording.finish(session.player, ended_by)
    if session.player.status != "ready":
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
            # Whole lines to a pipe or a log; wrapped at spaces on a terminal, which
            # would otherwise break the words at its edge. A word longer than a line (a
            # path in the command to continue) is never cut with a line break, so it can
            # be copied whole (Rich's wrapping folds such words; textwrap can leave them).
            text = summary(routine, session.player, arg, recorded=recording is not None)
            console = out()
            if console.is_terminal and console.width >= MIN_WRAP_WIDTH:
                text = "\n".join(
                    textwrap.fill(
                        line, console.width, break_long_words=False, break_on_hyphens=False
                    )
                    for line in text.splitlines()
                )
            console.print(text, markup=False, soft_wrap=True)
    elif stopped_by is None:  # q on the start screen: say so, after what was said before it
        with contextlib.suppress(OSError):
            print("Not started.", file=env.stdout, flush=True)
        return
    if sink is not None:
        sink.close()  # rung out already (ring_out), or cut short
        late = sink.late_notice()  # the voice failed during the session
        if late:
            print(late, file=env.stderr)
    if stopped_by is not None:
        raise QuietExit(stopped_by)
    if event_log is not None and event_log.error:
        raise YogabackError(f"could not write the --events file {events}: {event_log.error}")
    if recording is not None and config.check_in and session.player.status in ("done", "quit"):
        recording.pain_after(
            prompts.ask_pain(prompts.AFTER_QUESTION, stdin=env.stdin, out=env.stdout)
        )
