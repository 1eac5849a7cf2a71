"""``SoundSink``: the session's sink that turns cues into sounds, never blocking.

One job, over 400 lines: ``SoundSink`` schedules chimes, the halfway marker and voice
clips against the player's state; the audio thread, the engines and the mixing are in
``worker``, ``engines`` and ``mixer``.

Which sound a segment start gets (``segment_event``):

- the first segment of a part: ``switch`` when the part switches sides, else ``pose``;
- an inhale / exhale segment: ``inhale`` / ``exhale``;
- anything else (a hold's timed cue, a rest breath): nothing.

Timed holds of at least ``HALFWAY_MIN`` seconds get a ``halfway`` marker, which
the sink schedules itself from the player's state at each segment start and
each action (pause, +/−, skip…), so a paused or lengthened hold moves it. The
end of a session rings ``end``; muted, nothing plays and a mute silences what
is playing. When several segments start at once (a jump, a catch-up at high
speed) only the most telling sound of them plays.

With a ``Voice`` (``--voice``), the cue texts are spoken as ``practice.speech.plan``
places them (each once per part, one clip at a time, the lower-priority ones shortened
or left out where they would not fit). Clips are rendered before the session starts
(``prepare``); one not ready in time is skipped. Each spoken clip is reported to
``on_speech`` (the events log) once it has played, or been left out.
"""

from __future__ import annotations

import atexit
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from yogaback.practice import speech
from yogaback.practice.player import Player, Started
from yogaback.practice.timeline import Segment, Timeline
from yogaback.routine.model import SoundChoice
from yogaback.sound import speakers
from yogaback.sound.engines import Clock, Options, chain
from yogaback.sound.library import load_sounds
from yogaback.sound.pcm import Sound, volume_gain, warm
from yogaback.sound.voice import Voice, VoiceUnavailable
from yogaback.sound.worker import STALE, AudioWorker, Record

HALFWAY_MIN = 60.0
"""Routine seconds: a timed hold at least this long gets a halfway marker."""
PRIORITY = {"end": 6, "switch": 5, "pose": 4, "halfway": 3, "inhale": 2, "exhale": 1}
CLOSE_DRAIN = 11.0
"""At most this many seconds are spent letting the closing bell (10 s) ring out."""
HUSH = ("pause", "next", "back", "quit", "interrupt", "terminate", "suspend")
"""Actions after which the clips still to come are not said (a clip being said is
finished, never cut mid-word, except by quitting)."""


def _is_switch(timeline: Timeline, seg: Segment) -> bool:
    flag = getattr(seg, "switch", None)
    if isinstance(flag, bool):
        return flag
    # Without the timeline's flag: the same pose as the part before, on another side.
    if seg.part <= 0 or seg.side is None:
        return False
    before = timeline.parts[seg.part - 1]
    return before.pose == seg.pose and before.side not in (None, "alternate", seg.side)


def segment_event(timeline: Timeline, index: int) -> str | None:
    """The sound for segment ``index`` starting, or None."""
    seg = timeline.segments[index]
    if index == 0 or timeline.segments[index - 1].part != seg.part:
        return "switch" if _is_switch(timeline, seg) else "pose"
    if seg.phase in ("inhale", "exhale"):
        return seg.phase
    return None


def halfway_position(timeline: Timeline, index: int) -> float | None:
    """Routine time of the middle of the timed hold that segment ``index`` belongs to, if
    that hold lasts at least ``HALFWAY_MIN`` seconds."""
    seg = timeline.segments[index]
    if seg.phase != "hold" or seg.unit is not None:
        return None
    segments = timeline.segments
    first = last = index  # a part's hold segments are contiguous: walk out from this one
    while (
        first > 0 and segments[first - 1].part == seg.part and segments[first - 1].phase == "hold"
    ):
        first -= 1
    while (
        last + 1 < len(segments)
        and segments[last + 1].part == seg.part
        and segments[last + 1].phase == "hold"
    ):
        last += 1
    start, end = segments[first].start, segments[last].end
    if end - start < HALFWAY_MIN:
        return None
    return (start + end) / 2


@dataclass
class SoundSettings:
    """Everything the command line says about sound."""

    enabled: bool = True
    """False for ``--no-sound``."""
    volume: int = 80
    engine: str = "auto"
    bell: bool = False
    overrides: Mapping[str, SoundChoice | Path] = field(default_factory=dict)
    """Sounds chosen for events (a bare Path counts as chosen by ``--sound``)."""
    backends: Sequence[str] | None = None
    """miniaudio backend names instead of the OS's list (tests)."""
    voice: str | None = None
    """``--voice``: the engine's voice to speak the cues with ("" for the engine's own:
    ``slt`` for flite, ``en`` for espeak-ng)."""
    voice_engine: str = "auto"
    """``--voice-engine``: a name from ``speakers.ORDER``, or auto for the best found."""
    voice_cache: Path | None = None
    breath: str = "swell"
    """``breath``: our in/out-breath sounds as swells, ticks, or off."""


class SoundSink:
    """A session sink: enqueues sounds on the audio worker and returns at once."""

    def __init__(
        self,
        sounds: Mapping[str, Sound],
        *,
        engine: str = "auto",
        bell: bool = False,
        clock: Clock = time.monotonic,
        stale: float = STALE,
        bell_fd: int | None = None,
        backends: Sequence[str] | None = None,
        probe_timeout: float | None = None,
        voice: Voice | None = None,
    ) -> None:
        self.sounds = dict(sounds)
        self.clock = clock
        self.voice = voice
        if bell and bell_fd is None:
            try:
                bell_fd = sys.stdout.fileno()
            except (AttributeError, OSError, ValueError):
                bell_fd = None
        options = Options(bell_fd=bell_fd, backends=backends)
        self.worker = AudioWorker(
            chain(engine, bell),
            options,
            clock=clock,
            stale=stale,
            probe_timeout=probe_timeout,
            resolve=voice.ready if voice is not None else None,
        )
        self.requested = engine
        self._halfway: tuple[int, float, int] | None = None
        """(part, due, request tag) of the latest halfway marker scheduled."""
        self._ended = False
        self._closed = False
        self._prepared: Timeline | None = None
        self.plan: dict[int, list[speech.Clip]] = {}
        """The clips to say at each segment's start (by segment index), from ``prepare``."""
        self.on_speech: Callable[[dict[str, object]], None] | None = None
        """Told of each clip said (or left out), as an events-log line."""
        self._said: dict[int, tuple[speech.Clip, float, float]] = {}
        """Request tag -> (clip, its routine time, the session's start clock reading)."""
        self._speech_generation = 0
        self.errors: list[str] = []
        """Anything that went wrong in a sink call (kept, never raised into the session)."""
        self.voice_notice: str | None = None
        """Why ``--voice`` could not be honoured, if it could not."""
        self._told_failure = False
        self.worker.on_speech = self._speech_done
        self.worker.start()
        atexit.register(self._at_exit)

    def _at_exit(self) -> None:
        """Make sure no audio callback runs while the interpreter shuts down."""
        if not self._closed:
            self.close(drain=False, timeout=1.0)

    # --- the Sink protocol ----------------------------------------------------------------

    def started(self, player: Player, items: Sequence[Started], now: float) -> None:
        try:
            self._started(player, items, now)
        except Exception as exc:  # sound must never stop the practice
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def action(self, player: Player, name: str, now: float) -> None:
        try:
            self._action(player, name, now)
        except Exception as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def _started(self, player: Player, items: Sequence[Started], now: float) -> None:
        if not items:
            return
        if any(
            i.index == 0 or player.timeline.segments[i.index - 1].part != i.segment.part
            for i in items
        ):
            self._halfway = None  # a new part (or the same one again, after 'back')
        if not player.muted:
            best: tuple[int, str, float] | None = None
            for item in items:
                event = segment_event(player.timeline, item.index)
                if event and (best is None or PRIORITY[event] >= best[0]):
                    best = (PRIORITY[event], event, item.scheduled)
            if best is not None:
                self.play(best[1], best[2])
            if self.voice is not None:
                for item in items:
                    self._say(player, item)
        self._schedule_halfway(player, now)

    def _say(self, player: Player, item: Started) -> None:
        """Queue the clips planned for this segment, each at its place in it."""
        if self._prepared is None:
            self.prepare(player.timeline)
        for clip in self.plan.get(item.index, ()):
            if clip.offset > item.segment.length:
                continue  # the segment was shortened (−): its later words go
            due = item.scheduled + clip.offset / player.speed
            tag = self.worker.submit_speech(clip.text, due, self._speech_generation)
            self._said[tag] = (clip, item.segment.start + clip.offset, player.started_at)

    def prepare(self, timeline: Timeline) -> None:
        """For ``--voice``: render every cue text of ``timeline`` now (from the cache when
        it can) and plan what is said when. Call it with the timeline that will play
        (``speech.fit_speech`` of it, so that the get-ready words fit)."""
        if self.voice is not None and self._prepared is not timeline:
            self._prepared = timeline
            plan = speech.plan(timeline, self.voice.length)
            self.plan = {}
            for clip in plan:
                self.plan.setdefault(clip.segment, []).append(clip)
            self.voice.first.set()

    def _speech_done(self, rec: Record) -> None:
        """From the worker: a clip was said, or left out; tell the events log."""
        said = self._said.pop(rec.tag, None)
        if said is None or self.on_speech is None:
            return
        clip, at, started_at = said
        line: dict[str, object] = {
            "kind": "speech",
            "at": round(at, 3),
            "length": round(rec.length if rec.length is not None else clip.length, 3),
            "text": clip.text,
            "engine": self.voice.engine if self.voice is not None else None,
            "scheduled": round(rec.due - started_at, 6),
            "actual": None if rec.played is None else round(rec.played - started_at, 6),
        }
        if rec.dropped:
            line["dropped"] = rec.dropped
        self.on_speech(line)

    def _action(self, player: Player, name: str, now: float) -> None:
        if name in HUSH or (name == "mute" and player.muted):
            self._speech_generation = self.worker.cancel_speech()
        if name == "mute":
            if player.muted:
                self.worker.silence()
            self._schedule_halfway(player, now)
            return
        if name == "end":
            self._ended = True
            self.worker.cancel_scheduled()
            if not player.muted:
                self.play("end", player.origin + player.timeline.total / player.speed)
            return
        if name in ("quit", "interrupt", "terminate"):
            self.worker.silence()
            return
        self._schedule_halfway(player, now)

    # --- the small interface --------------------------------------------------------------

    def play(
        self, event: str, due: float | None = None, generation: int | None = None
    ) -> int | None:
        """Play ``event``'s sound, due at clock reading ``due`` (default: now)."""
        sound = self.sounds.get(event)
        if sound is None:
            return None
        return self.worker.submit(sound, self.clock() if due is None else due, generation)

    def speak(self, text: str, due: float | None = None) -> int | None:
        """Say ``text`` (if its clip is rendered by the time it is due: see ``prepare``)."""
        if self.voice is None:
            return None
        self.voice.prepare([text])
        return self.worker.submit_speech(text, self.clock() if due is None else due)

    def ready(self, timeout: float = 5.0, brief: bool = False) -> str | None:
        """Wait (at most ``timeout`` s) for the engine to open; the one-line notice to show,
        or None when all is as asked. ``brief``: short enough for the live screen."""
        start = time.monotonic()
        if not self.worker.ready.wait(timeout):
            return "sound: still looking for an audio device…"
        if self.voice is not None and self._prepared is not None:  # the first cue's outcome
            self.voice.first.wait(max(0.0, timeout - (time.monotonic() - start)))
        return self.notice(brief)

    def notice(self, brief: bool = False) -> str | None:
        sound = self._sound_notice(brief)
        voice = self.voice_notice or self._voice_failure()
        if voice:
            return f"{sound}; {voice}" if sound else voice
        return sound

    def _voice_failure(self) -> str | None:
        """Why the voice gave up, once it has (and the notices have now told of it)."""
        failure = self.voice.failure if self.voice is not None else None
        if failure:
            self._told_failure = True
        return failure

    def late_notice(self) -> str | None:
        """Why the voice gave up, if it did after ``notice`` was last asked (to say after
        the session); then None, so that it is said once."""
        if self._told_failure:
            return None
        return self._voice_failure()

    def silent(self) -> str | None:
        """Why nothing can be heard: no engine could open an audio device, and the silent
        one stands in. None otherwise (a silent engine asked for by name still mutes and
        unmutes, for tests)."""
        if self.worker.engine_name == "silent" and self.worker.failures:
            return "no audio device"
        return None

    def _sound_notice(self, brief: bool) -> str | None:
        name = self.worker.engine_name
        failures = self.worker.failures
        why = "" if brief else " (" + "; ".join(f"{n}: {r}" for n, r in failures) + ")"
        if name == "silent":
            return f"sound: no audio device found{why}; playing without sound" if failures else None
        if name == "bell":
            return f"sound: no audio device found{why}; using the terminal bell"
        if self.requested not in ("auto", name) and failures:
            why = "" if brief else f" ({failures[0][1]})"
            return f"sound: {self.requested} unavailable{why}; using {name}"
        return None

    @property
    def engine_name(self) -> str:
        return self.worker.engine_name

    @property
    def records(self) -> list[Record]:
        return list(self.worker.records.values())

    def busy(self) -> bool:
        """Something is playing, or about to."""
        return self.worker.busy()

    def close(self, drain: bool | None = None, timeout: float = CLOSE_DRAIN) -> None:
        """Stop the worker. By default a closing bell rings out (at most ``timeout`` s) and
        anything else is cut short. Never waits longer than that."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self._at_exit)
        if self.voice is not None:
            self.voice.close()
        if drain is None:
            drain = self._ended
        start = time.monotonic()
        if drain:
            self.worker.close(timeout)
        else:
            self.worker.silence()
            self.worker.close(0.0)
        self.worker.join(max(0.1, timeout - (time.monotonic() - start)) + 0.5)

    # --- the halfway marker -------------------------------------------------------------

    def _schedule_halfway(self, player: Player, now: float) -> None:
        """Keep the current hold's halfway marker in step with the player's state: schedule
        it, move it (+/−, pause and resume), or cancel it (a new part, mute, pause)."""
        target: tuple[int, float, float] | None = None  # part, due, middle
        index = player.current
        playing = player.status == "playing" and not player.muted
        if playing and 0 <= index < len(player.timeline.segments):
            middle = halfway_position(player.timeline, index)
            if middle is not None:
                part = player.timeline.segments[index].part
                target = (part, player.origin + middle / player.speed, middle)
        pending = self._halfway
        if pending is not None and target is not None and pending[0] == target[0]:
            rec = self.worker.records.get(pending[2])
            if rec is not None and rec.played is not None:
                return  # it already rang for this hold
            if abs(pending[1] - target[1]) < 1e-4 and (rec is None or rec.dropped is None):
                return  # unchanged and still to come (or coming right now): leave it be
        generation = self.worker.cancel_scheduled()
        self._halfway = None
        if target is None or player.position(now) >= target[2]:
            return
        tag = self.play("halfway", target[1], generation)
        if tag is not None:
            self._halfway = (target[0], target[1], tag)


def open_sound(settings: SoundSettings, *, clock: Clock = time.monotonic) -> SoundSink | None:
    """The sound sink for these settings, or None for ``--no-sound`` / volume 0.
    Raises ``SoundFileError`` for a missing or unreadable sound file, ValueError for an
    unknown engine name."""
    if not settings.enabled or settings.volume <= 0:
        return None
    chain(settings.engine, settings.bell)  # an unknown name fails here, before anything starts
    if settings.voice_engine != "auto":
        speakers.find(settings.voice_engine)  # likewise
    sounds = load_sounds(settings.volume, settings.overrides, settings.breath)
    if settings.engine != "silent":  # the first bowl rings as a session starts: pose first
        warm(sorted(sounds.values(), key=lambda s: s.name != "pose"))
    voice = None
    voice_notice = None
    if settings.voice is not None:
        try:
            voice = Voice(
                engine=settings.voice_engine,
                name=settings.voice or None,
                gain=volume_gain(settings.volume),
                cache=settings.voice_cache,
            )
        except VoiceUnavailable as exc:
            voice_notice = f"voice: {exc}; cues are not spoken"
    sink = SoundSink(
        sounds,
        engine=settings.engine,
        bell=settings.bell,
        clock=clock,
        backends=settings.backends,
        voice=voice,
    )
    sink.voice_notice = voice_notice
    return sink
