"""What is spoken when, with a voice on: pure, like the timeline it reads.

Two steps, both given ``speech_length(text) -> seconds`` (the rendered clip's length, or
a fake in tests) and nothing else:

- ``fit_speech`` is a post-pass on a compiled timeline: every transition lasts at least
  as long as its spoken get-ready text, after the bowl, plus a breath of margin. ``play
  --voice`` and ``show --voice`` both apply it, so the preview is what plays.
- ``plan`` says which clips are spoken, where: one clip at a time, at least ``GAP``
  apart, each within its own part. Clips are placed by priority (the next pose or a
  side switch, then the pose's setup, then timed and breath cues); one that cannot fit
  in the time left is shortened to its first sentence, or else left out, never
  overlapped.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from yogaback.practice.timeline import Timeline, lengthen

SpeechLength = Callable[[str], float]

GAP = 0.2
"""Seconds of silence at least between two clips."""
STRIKE_DELAY = 1.0
"""Seconds after a part's bowl (pose or switch) before its words: the strike has faded
by some 6 dB by then, so the words are heard over it."""
CUE_DELAY = 0.25
"""Seconds after a breath tone or a hold's start before its words."""
MARGIN = 3.0
"""A breath: how much longer than its get-ready words a transition lasts."""

NEXT, SETUP, CUE = 0, 1, 2
"""Priorities, most important first: the next pose or a side switch; the pose's setup
(the first thing said once in it); timed and breath cues."""


@dataclass(frozen=True)
class Clip:
    """One spoken clip: ``text`` said from routine second ``at`` for ``length`` seconds,
    started with segment ``segment``."""

    segment: int
    at: float
    length: float
    text: str
    priority: int
    offset: float
    """Seconds after its segment's start."""

    @property
    def end(self) -> float:
        return self.at + self.length


def short(text: str) -> str | None:
    """The shorter thing to say when ``text`` does not fit: its first sentence."""
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)
    return first[0] if len(first) > 1 else None


def _starts_part(timeline: Timeline, index: int) -> bool:
    return index == 0 or timeline.segments[index - 1].part != timeline.segments[index].part


def fit_speech(timeline: Timeline, speech_length: SpeechLength, margin: float = MARGIN) -> Timeline:
    """``timeline`` with every transition at least as long as the bowl's delay, its
    spoken text and ``margin`` (rounded up to half seconds); the rest moves later."""
    for index, seg in enumerate(timeline.segments):
        if seg.phase != "transition" or not seg.text.strip():
            continue
        spoken = speech_length(seg.text.strip())
        if spoken <= 0:
            continue
        needed = math.ceil((STRIKE_DELAY + spoken + margin) * 2) / 2
        if seg.length < needed:
            timeline = lengthen(timeline, index, needed - seg.length)
    return timeline


@dataclass(frozen=True)
class _Want:
    segment: int
    at: float
    latest: float
    """The clip starts no later than this."""
    limit: float
    """... and ends by this (its part's end)."""
    priority: int
    texts: tuple[str, ...]


def _wants(timeline: Timeline) -> list[_Want]:
    segments = timeline.segments
    part_end: dict[int, float] = {}
    for seg in segments:
        part_end[seg.part] = max(part_end.get(seg.part, 0.0), seg.end)
    wants: list[_Want] = []
    said: set[str] = set()
    for index, seg in enumerate(segments):
        first = _starts_part(timeline, index)
        if first:
            said = set()
        text = seg.text.strip()
        if not text or text in said:
            continue
        said.add(text)
        if first:
            priority = NEXT
        elif segments[index - 1].phase == "transition":
            priority = SETUP
        else:
            priority = CUE
        at = seg.start + (STRIKE_DELAY if first else CUE_DELAY)
        end = part_end[seg.part]
        latest = end if priority == NEXT else seg.end
        alternative = short(text)
        texts = (text, alternative) if alternative else (text,)
        wants.append(_Want(index, at, latest, end, priority, texts))
    return wants


def _slot(placed: list[Clip], at: float, length: float) -> float:
    """The earliest start at or after ``at`` where ``length`` seconds fit between the
    clips already placed (sorted by start), ``GAP`` apart from them."""
    start = at
    for clip in placed[max(0, bisect.bisect_left([c.at for c in placed], at) - 1) :]:
        if clip.end + GAP <= start:
            continue
        if start + length + GAP <= clip.at:
            break
        start = max(start, clip.end + GAP)
    return start


def plan(timeline: Timeline, speech_length: SpeechLength) -> tuple[Clip, ...]:
    """The clips to speak, in time order; none overlap, each at least ``GAP`` apart."""
    placed: list[Clip] = []
    for want in sorted(_wants(timeline), key=lambda w: (w.priority, w.at)):
        for text in want.texts:
            length = speech_length(text)
            if length <= 0:
                continue
            start = _slot(placed, want.at, length)
            if start <= want.latest and start + length <= want.limit + 1e-9:
                seg_start = timeline.segments[want.segment].start
                clip = Clip(want.segment, start, length, text, want.priority, start - seg_start)
                bisect.insort(placed, clip, key=lambda c: c.at)
                break
    return tuple(placed)
