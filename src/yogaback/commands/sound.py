"""``yogaback sound test``: hear each cue sound once, told what it means and what plays it.

First it says which audio output is in use (or that there is none, and why), then it
plays the events in order — pose, switch, inhale, exhale, halfway, end — waiting for
each to finish before the next, with ``--voice`` a short spoken sample after them.
Every wait is bounded: a device that stops answering never hangs the command. No
device is not an error (exit 0, the report says so); an unknown engine name is (exit 2).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence

from yogaback.errors import BadInput
from yogaback.routine.model import SoundChoice
from yogaback.sound.engines import OVERRUN, chain
from yogaback.sound.library import EVENTS, choose
from yogaback.sound.pcm import SoundFileError
from yogaback.sound.sink import SoundSettings, SoundSink, open_sound
from yogaback.sound.voice import VoiceUnavailable

READY_TIMEOUT = 12.0
"""Seconds to wait for the engine chain to open (each engine has its own 3 s limit)."""
GAP = 0.4
"""Seconds of quiet between one sound's end and the next."""
HANDOFF = 2.0
"""Seconds the audio worker may take to hand a sound to the output."""
SAMPLE = "Breathe in slowly. And breathe out."
"""What ``--voice`` says."""


def say(line: str = "") -> None:
    """One line of the report, flushed at once (it goes out while sounds play); what the
    output's encoding lacks is replaced, never raised."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    line = line.encode(encoding, "replace").decode(encoding, "replace")
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def engine_line(sink: SoundSink, requested: str) -> tuple[str, bool]:
    """The first line of the report, and whether anything can be heard."""
    name = sink.engine_name
    failures = sink.worker.failures
    why = "; ".join(f"{n}: {r}" for n, r in failures)
    if name == "silent":
        if requested == "silent":
            return "Sound: silent, as asked (--sound-engine silent): nothing will be heard.", False
        return (
            f"Sound: no audio device found ({why or 'no engine opened'}); falling back to "
            "silence: nothing will be heard.",
            False,
        )
    backend = getattr(sink.worker.engine, "backend", None)
    what = f"{name} ({backend} backend)" if backend else name
    if name == "bell":
        line = f"Sound: terminal bell (no audio device: {why}); sounds are rung as bells."
        return line, True
    if requested not in ("auto", name) and failures:
        return f"Sound: {what}; {requested} was asked for but is unavailable ({why}).", True
    return f"Sound: {what}.", True


def wait_done(sink: SoundSink, tag: int | None, seconds: float) -> str | None:
    """Wait until the sound ``tag`` has been played out (never longer than its length plus
    the overrun allowance). None when it played; else what happened instead."""
    if tag is None:
        return "no such sound"
    record = sink.worker.records[tag]
    deadline = time.monotonic() + HANDOFF
    while record.played is None and record.dropped is None:
        if time.monotonic() >= deadline:
            return f"the audio output did not take it within {HANDOFF:g} s"
        time.sleep(0.01)
    if record.dropped is not None:
        return record.dropped
    deadline = time.monotonic() + seconds + OVERRUN
    while sink.worker.engine.busy():
        if time.monotonic() >= deadline:
            return f"still playing after {seconds + OVERRUN:.1f} s; moving on"
        time.sleep(0.02)
    return None


def _whose(choice: SoundChoice | None) -> str:
    """Where an event's sound comes from, for the report ("" for yogaback's own)."""
    if choice is None:
        return ""
    what = "off" if choice.path is None else choice.path.name
    return f"{what}, from {choice.origin}"


def _events(sink: SoundSink, audible: bool, chosen: Mapping[str, SoundChoice]) -> int:
    """Play each event in turn; the number that played."""
    played = 0
    width = max(map(len, EVENTS))
    meanings = max(map(len, EVENTS.values()))
    total = len(EVENTS)
    for number, (event, meaning) in enumerate(EVENTS.items(), 1):
        sound = sink.sounds.get(event)
        notes = [_whose(chosen.get(event))]
        if sound is not None and not audible:
            notes.append("(silent)")
        line = f"  {number}/{total}  {event:<{width}}  {meaning:<{meanings}}  " + " ".join(
            n for n in notes if n
        )
        say(line.rstrip())
        if sound is None or not audible:
            continue
        problem = wait_done(sink, sink.play(event), sound.seconds)
        if problem is None:
            played += 1
        else:
            say(f"        not heard: {problem}")
        time.sleep(GAP)
    return played


def _voice(sink: SoundSink, audible: bool) -> None:
    voice = sink.voice
    if voice is None:
        notice = (sink.voice_notice or "voice: no speech engine").removesuffix(
            "; cues are not spoken"
        )
        say(f"{notice}; no sample spoken.")
        return
    if not audible or sink.engine_name == "bell":
        say(f"voice: {voice.exe} is installed, but there is no audio output to speak through.")
        return
    try:
        clip = voice.render(SAMPLE)
    except (VoiceUnavailable, SoundFileError, OSError) as exc:
        say(f"voice: {exc}; no sample spoken.")
        return
    words = len(SAMPLE.split())
    say(
        f'  voice  "{SAMPLE}"  ({voice.engine}, voice {voice.name}, '
        f"{words / clip.seconds * 60:.0f} words a minute)"
    )
    problem = wait_done(sink, sink.speak(SAMPLE), clip.seconds)
    if problem is not None:
        say(f"        not heard: {problem}")


def run(
    *,
    volume: int | None,
    engine: str,
    bell: bool,
    voice: bool,
    voice_engine: str | None = None,
    routine: str | None = None,
    overrides: Sequence[str] = (),
) -> None:
    """Raises BadInput for an unknown engine name, a broken config or routine file, or a
    sound file that cannot be played."""
    try:
        chain(engine, bell)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    from yogaback.config import load

    config = load()
    own: Mapping[str, SoundChoice] = {}
    if routine is not None:
        from yogaback.routine.catalog import resolve
        from yogaback.routine.load import load_routine

        own = load_routine(resolve(routine)).sounds
    try:
        chosen = choose(config.sounds, own, flags=overrides)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    level = config.volume if volume is None else volume
    if level <= 0:
        say(
            f"Sound: volume is 0 ({'--volume' if volume is not None else config.source('volume')})"
            "; nothing to hear. Try --volume 60."
        )
        return
    settings = SoundSettings(
        volume=level,
        engine=engine,
        bell=bell,
        overrides=chosen,
        voice="" if voice else None,
        voice_engine=voice_engine or config.voice_engine,
        breath=config.breath,
    )
    try:
        sink = open_sound(settings)
    except (SoundFileError, ValueError) as exc:
        raise BadInput(str(exc)) from None
    assert sink is not None  # enabled, volume > 0
    try:
        if not sink.worker.ready.wait(READY_TIMEOUT):
            say(
                f"Sound: no audio engine answered within {READY_TIMEOUT:g} s; giving up. "
                "Nothing will be heard."
            )
            return
        line, audible = engine_line(sink, engine)
        say(line)
        if not config.sound:
            say(
                f"(Sound is off in your settings ({config.source('sound')}), so "
                "'yogaback play' is silent unless you turn it on.)"
            )
        before = len(sink.worker.failures)
        say(f"Each cue sound in turn, at volume {level}:" if audible else "The cue sounds:")
        played = _events(sink, audible, chosen)
        if voice:
            _voice(sink, audible)
        later = sink.worker.failures[before:]
        for name, reason in later:
            say(f"sound: {name} stopped working ({reason}); now using {sink.engine_name}")
        if audible:
            say(f"Done: {played} of {len(sink.sounds)} sounds played.")
        elif engine != "silent":
            say("Run 'yogaback doctor' to see every audio output tried and why it failed.")
    finally:
        sink.close(drain=False, timeout=1.0)
