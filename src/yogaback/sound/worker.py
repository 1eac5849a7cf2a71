"""The one audio worker thread. The timing engine only ever puts requests on its queue.

The worker opens the engine chain (each engine's probe under a time limit),
then plays requests as they come due: at once for a cue that has started, at
their time for a scheduled marker. A request more than ``stale`` seconds of real
time late is dropped, so a burst (high ``--speed``, a slow device) never builds a
backlog. If the engine fails mid-session, the worker moves down the chain.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from yogaback.sound.engines import (
    Clock,
    Engine,
    Failed,
    Options,
    SilentEngine,
    open_chain,
)
from yogaback.sound.pcm import Sound

STALE = 0.25
"""Seconds of real time after which a sound that has not started is not worth playing."""
SPEECH_GAP = 0.2
"""Real seconds of silence at least between two spoken clips."""
SPEECH_WAIT = 1.5
"""Real seconds a clip may wait for the one before it to finish; later than that, it is
left out (at a high ``--speed`` the words cannot keep up, and must not pile up)."""
FADE_GRACE = 0.06
"""Real seconds the engine is left open after a stop before it is closed: the mixer's
15 ms fade-out plus miniaudio's 40 ms of buffer, so quitting fades instead of clicking."""


@dataclass(order=True)
class Request:
    due: float
    seq: int
    sound: Sound | None = field(compare=False)
    generation: int | None = field(compare=False, default=None)
    """For a scheduled marker: valid only while the worker's generation is still this."""
    text: str | None = field(compare=False, default=None)
    """Speech: the clip is looked up when the request comes due (None: not ready, skip)."""


@dataclass
class Record:
    """What became of one request (for tests and the latency benchmark)."""

    tag: int
    sound: str
    due: float
    queued: float
    played: float | None = None
    first: float | None = None
    dropped: str | None = None
    length: float | None = None
    """Seconds of sound played (set when it plays)."""


KEEP_RECORDS = 64
"""Cue records kept (the latest): enough for tests and `sound test` to read back."""


class AudioWorker:
    def __init__(
        self,
        names: Sequence[str],
        options: Options,
        *,
        clock: Clock,
        stale: float = STALE,
        probe_timeout: float | None = None,
        resolve: Callable[[str], Sound | None] | None = None,
        settle: Callable[[float], None] = time.sleep,
    ) -> None:
        self.names = list(names)
        self.settle = settle
        """Waits real seconds (for a fade to play out before closing); injectable for tests."""
        self._stopped: float | None = None
        """``time.monotonic()`` of the last stop, while its fade may still be playing."""
        self.resolve = resolve
        self.clock = clock
        self.stale = stale
        self.probe_timeout = probe_timeout
        self.options = options
        options.clock = clock
        options.wake = self._wake
        options.on_first = self._first
        self.queue: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self.generation = 0
        self.engine: Engine = SilentEngine(options)
        self.failures: list[tuple[str, str]] = []
        self.ready = threading.Event()
        self.records: dict[int, Record] = {}
        self._seq = itertools.count()
        self._timers: list[Request] = []
        self.on_speech: Callable[[Record], None] | None = None
        """Told (on this worker's thread) of each spoken clip once it plays or is left out."""
        self.speech_generation = 0
        """Speech submitted under an older generation is left out (pause, skip, mute…)."""
        self._speech_until = -1.0
        """Clock reading at which the clip being spoken ends: one clip at a time."""
        self.thread = threading.Thread(target=self._run, name="yogaback-sound", daemon=True)

    # --- called from the timing thread: never blocks ------------------------------------

    def start(self) -> None:
        self.thread.start()

    def submit(self, sound: Sound, due: float, generation: int | None = None) -> int:
        tag = next(self._seq)
        self._remember(Record(tag, sound.name, due, self.clock()))
        self.queue.put(("play", Request(due, tag, sound, generation)))
        return tag

    def _remember(self, record: Record) -> None:
        """Keep the record of a cue while it may still matter, and only the latest
        ``KEEP_RECORDS``: a 30-minute session submits hundreds, which must not pile up."""
        self.records[record.tag] = record
        while len(self.records) > KEEP_RECORDS:
            del self.records[next(iter(self.records))]  # the oldest: long done

    def submit_speech(self, text: str, due: float, generation: int | None = None) -> int:
        """Say ``text`` at ``due``: after the clip before it and ``SPEECH_GAP``, never over
        it. ``generation``: left out if ``speech_generation`` has moved on by then."""
        tag = next(self._seq)
        self._remember(Record(tag, "speech", due, self.clock()))
        self.queue.put(("play", Request(due, tag, None, generation, text)))
        return tag

    def cancel_speech(self) -> int:
        """Leave out every clip still to come; returns the generation for new ones."""
        self.speech_generation += 1
        return self.speech_generation

    def cancel_scheduled(self) -> int:
        """Forget every scheduled marker; returns the new generation for new ones."""
        self.generation += 1
        return self.generation

    def silence(self) -> None:
        self.generation += 1
        self.queue.put(("stop", None))

    def close(self, drain: float = 0.0) -> None:
        """Stop the worker; first let what is playing finish, for at most ``drain`` seconds."""
        self.queue.put(("close", drain))

    def busy(self) -> bool:
        """Something is playing or due within half a second (from any thread: a glance)."""
        soon = self.clock() + 0.5
        with contextlib.suppress(Exception):
            if self.engine.busy():
                return True
        return not self.queue.empty() or any(t.due <= soon for t in list(self._timers))

    def join(self, timeout: float) -> bool:
        if self.thread.is_alive():
            self.thread.join(timeout)
        return not self.thread.is_alive()

    @property
    def engine_name(self) -> str:
        return self.engine.name

    # --- the thread ---------------------------------------------------------------------

    def _wake(self) -> None:
        self.queue.put(("wake", None))

    def _first(self, tag: int, when: float) -> None:
        rec = self.records.get(tag)
        if rec is not None and rec.first is None:
            rec.first = when

    def _open(self, names: Sequence[str]) -> None:
        kwargs = {} if self.probe_timeout is None else {"timeout": self.probe_timeout}
        self.engine, failures = open_chain(names, self.options, **kwargs)
        self.failures.extend(failures)

    def _speech_done(self, rec: Record | None) -> None:
        if rec is not None and self.on_speech is not None:
            with contextlib.suppress(Exception):
                self.on_speech(rec)

    def _play_speech(self, req: Request) -> None:
        rec = self.records.get(req.seq)
        now = self.clock()
        if req.generation is not None and req.generation != self.speech_generation:
            if rec:
                rec.dropped = "cancelled"
            self._speech_done(rec)
            return
        free = self._speech_until + SPEECH_GAP
        if now < free:  # the clip before is still being said: this one waits its turn
            original = rec.due if rec else req.due
            if free - original > SPEECH_WAIT:
                if rec:
                    rec.dropped = "no room after the clip before"
                self._speech_done(rec)
                return
            heapq.heappush(self._timers, Request(free, req.seq, None, req.generation, req.text))
            return
        if rec is not None and now - rec.due > self.stale + SPEECH_WAIT:
            rec.dropped = f"stale ({(now - rec.due) * 1000:.0f} ms late)"
            self._speech_done(rec)
            return
        sound = self.resolve(req.text) if (self.resolve and req.text is not None) else None
        if sound is None:
            if rec:
                rec.dropped = "not rendered in time"
            self._speech_done(rec)
            return
        self._start(sound, req)
        self._speech_until = now + sound.seconds
        if rec:
            rec.played = now
            rec.length = sound.seconds
        self._speech_done(rec)

    def _play(self, req: Request) -> None:
        if req.text is not None:
            self._play_speech(req)
            return
        rec = self.records.get(req.seq)
        now = self.clock()
        if req.generation is not None and req.generation != self.generation:
            if rec:
                rec.dropped = "cancelled"
            return
        if now - req.due > self.stale:
            if rec:
                rec.dropped = f"stale ({(now - req.due) * 1000:.0f} ms late)"
            return
        if req.sound is None:
            return
        self._start(req.sound, req)
        if rec:
            rec.played = now
            rec.length = req.sound.seconds

    def _start(self, sound: Sound, req: Request) -> None:
        try:
            self.engine.play(sound, req.seq)
        except Failed as exc:
            self.failures.append((self.engine.name, str(exc)))
            rest = (
                self.names[self.names.index(self.engine.name) + 1 :]
                if (self.engine.name in self.names)
                else ["silent"]
            )
            self._close_engine()
            self._open(rest)
            try:
                self.engine.play(sound, req.seq)
            except Failed:
                self.engine = SilentEngine(self.options)

    def _close_engine(self) -> None:
        with contextlib.suppress(Exception):
            self.engine.close()

    def _run(self) -> None:
        try:
            self._open(self.names)
        finally:
            self.ready.set()
        while True:
            now = self.clock()
            while self._timers and self._timers[0].due <= now:
                try:
                    self._play(heapq.heappop(self._timers))
                except Exception as exc:
                    self.failures.append((self.engine.name, f"{type(exc).__name__}: {exc}"))
            try:
                wait = self.engine.poll()
            except Exception:
                wait = None
            if self._timers:
                until = max(0.0, self._timers[0].due - self.clock())
                wait = until if wait is None else min(wait, until)
            try:
                kind, value = self.queue.get(timeout=wait)
            except queue.Empty:
                continue
            if kind == "close":
                self._drain(float(value))
                self._fade_out()
                self._close_engine()
                return
            try:
                self._handle(kind, value)
            except Exception as exc:  # keep the worker alive whatever an engine does
                self.failures.append((self.engine.name, f"{type(exc).__name__}: {exc}"))

    def _handle(self, kind: str, value: Any) -> None:
        if kind == "play":
            req: Request = value
            if req.due > self.clock() + 0.001:
                heapq.heappush(self._timers, req)
            else:
                self._play(req)
        elif kind == "stop":
            self._timers = [t for t in self._timers if t.generation is None and t.text is None]
            self._speech_until = -1.0
            heapq.heapify(self._timers)
            self.engine.stop()
            self._stopped = time.monotonic()

    def _fade_out(self) -> None:
        """Before closing: fade out what still plays (the drain ran out) and give the last
        stop's fade time to reach the device."""
        with contextlib.suppress(Exception):
            if self.engine.busy():
                self.engine.stop()
                self._stopped = time.monotonic()
        if self._stopped is not None:
            left = self._stopped + FADE_GRACE - time.monotonic()
            if left > 0:
                self.settle(left)

    def _drain(self, seconds: float) -> None:
        end = self.clock() + seconds
        while self.clock() < end:
            try:
                wait = self.engine.poll()
                if not self.engine.busy():
                    return
            except Exception:
                return
            with contextlib.suppress(queue.Empty):
                self.queue.get(timeout=min(0.05, wait or 0.05))
