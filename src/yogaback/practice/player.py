"""The player: a small state machine over a timeline, driven by an injected clock.

Every function here is pure: it takes the state and the clock's reading ``now``
and returns a new state (and what happened). Deadlines are absolute — segment
``i`` is due at ``origin + start_i / speed`` — so however long a session runs,
nothing drifts. Pausing, skipping and lengthening move ``origin`` or the
timeline, never accumulate rounding.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, replace
from typing import Literal

from yogaback.practice.timeline import Segment, Timeline, lengthen

Status = Literal["ready", "playing", "paused", "done", "quit"]
BACK_RESTARTS_AFTER = 3.0
"""``back`` restarts the current part if more than this many seconds of it have passed."""
ADJUST_STEP = 15.0


@dataclass(frozen=True)
class Started:
    """Segment ``index`` began; ``scheduled`` and ``actual`` are clock readings."""

    index: int
    segment: Segment
    scheduled: float
    actual: float


@dataclass(frozen=True)
class Player:
    timeline: Timeline
    speed: float = 1.0
    status: Status = "ready"
    origin: float = 0.0
    """Clock reading at which routine time 0 is (or would have been) due."""
    paused_at: float | None = None
    started_at: float = 0.0
    current: int = -1
    """Index of the segment the player is in (-1 before the first)."""
    announced: int = -1
    """Index of the last segment whose start was reported. After a jump it is one before
    ``current``, so the new segment is announced when it plays (at once, or on resume)."""
    muted: bool = False
    played: float = 0.0
    """Routine seconds practised before the current run (a run ends at a pause or a jump)."""
    run_from: float = 0.0
    """Routine position at which the current run began."""

    # --- reading the state ------------------------------------------------------------

    def position(self, now: float) -> float:
        """Routine seconds into the timeline at clock reading ``now``."""
        if self.status == "ready":
            return 0.0
        ref = self.paused_at if self.paused_at is not None else now
        return min(self.timeline.total, max(0.0, (ref - self.origin) * self.speed))

    def due(self, index: int) -> float:
        """Clock reading at which segment ``index`` is due."""
        return self.origin + self.timeline.segments[index].start / self.speed

    def next_deadline(self) -> float | None:
        """When ``advance`` next has something to do, or None while nothing is scheduled."""
        if self.status != "playing":
            return None
        nxt = self.announced + 1
        if nxt < len(self.timeline.segments):
            return self.due(nxt)
        return self.origin + self.timeline.total / self.speed

    def segment(self) -> Segment | None:
        if 0 <= self.current < len(self.timeline.segments):
            return self.timeline.segments[self.current]
        return None

    def practised(self, now: float) -> float:
        """Routine seconds actually practised (skipped parts do not count)."""
        if self.status in ("playing",):
            return self.played + max(0.0, self.position(now) - self.run_from)
        return self.played

    def part_index(self) -> int:
        seg = self.segment()
        return seg.part if seg else 0

    # --- transitions ------------------------------------------------------------------

    def _index_at(self, pos: float) -> int:
        starts = [s.start for s in self.timeline.segments]
        return max(0, bisect.bisect_right(starts, pos + 1e-9) - 1)

    def _jump(self, now: float, pos: float) -> Player:
        """Continue from routine position ``pos``. The segment there becomes current at once
        (a paused screen shows it) and is announced when it plays. At the end, nothing is
        announced again: the next ``advance`` finishes the session."""
        pos = min(max(0.0, pos), self.timeline.total)
        played = self.practised(now)
        paused_at = now if self.status == "paused" else None
        if pos >= self.timeline.total:
            index = announced = len(self.timeline.segments) - 1
        else:
            index = self._index_at(pos)
            announced = index - 1
        return replace(
            self,
            origin=now - pos / self.speed,
            paused_at=paused_at,
            current=index,
            announced=announced,
            played=played,
            run_from=pos,
        )


def start(player: Player, now: float) -> Player:
    return replace(
        player,
        status="playing",
        origin=now,
        started_at=now,
        current=-1,
        announced=-1,
        played=0.0,
        run_from=0.0,
    )


def advance(player: Player, now: float) -> tuple[Player, list[Started]]:
    """Announce every segment that has come due by ``now``; finish at the end."""
    if player.status != "playing":
        return player, []
    started: list[Started] = []
    segments = player.timeline.segments
    i = player.announced + 1
    while i < len(segments) and player.due(i) <= now:
        started.append(Started(i, segments[i], player.due(i), now))
        i += 1
    if started:
        last = started[-1].index
        player = replace(player, current=max(player.current, last), announced=last)
    if player.announced == len(segments) - 1 and now >= player.origin + (
        player.timeline.total / player.speed
    ):
        player = replace(
            player, status="done", played=player.practised(now), run_from=player.timeline.total
        )
    return player, started


def pause(player: Player, now: float) -> Player:
    if player.status != "playing":
        return player
    return replace(
        player,
        status="paused",
        paused_at=now,
        played=player.practised(now),
        run_from=player.position(now),
    )


def resume(player: Player, now: float) -> Player:
    if player.status != "paused" or player.paused_at is None:
        return player
    return replace(
        player, status="playing", origin=player.origin + (now - player.paused_at), paused_at=None
    )


def toggle_pause(player: Player, now: float) -> Player:
    return resume(player, now) if player.status == "paused" else pause(player, now)


def skip(player: Player, now: float) -> Player:
    """Go to the start of the next part (or the end, from the last part)."""
    if player.status not in ("playing", "paused"):
        return player
    parts = player.timeline.parts
    nxt = player.part_index() + 1
    target = parts[nxt].start if nxt < len(parts) else player.timeline.total
    return player._jump(now, target)


def back(player: Player, now: float) -> Player:
    """Restart the current part, or go to the previous one if it has only just begun."""
    if player.status not in ("playing", "paused"):
        return player
    parts = player.timeline.parts
    index = player.part_index()
    into = player.position(now) - parts[index].start
    if into <= BACK_RESTARTS_AFTER and index > 0:
        index -= 1
    return player._jump(now, parts[index].start)


def in_timed_hold(player: Player) -> bool:
    """Whether the player is in a hold or rest timed in seconds (one ``adjust`` can change);
    a breath-paced one cannot be stretched by 15 s."""
    seg = player.segment()
    return (
        player.status in ("playing", "paused")
        and seg is not None
        and seg.phase in ("hold", "rest")
        and seg.unit is None
    )


def hold_goes_on(player: Player) -> bool:
    """Whether the timed hold goes on after the current segment (a timed cue splits it):
    ``adjust`` shortens only up to that cue, never past it."""
    seg = player.segment()
    nxt = player.current + 1
    if not in_timed_hold(player) or seg is None or nxt >= len(player.timeline.segments):
        return False
    after = player.timeline.segments[nxt]
    return after.part == seg.part and after.phase == seg.phase and after.unit is None


def adjust(player: Player, now: float, delta: float) -> tuple[Player, bool]:
    """Lengthen (or shorten) the current timed hold. Returns False if there is none, or if
    it is as short as it goes. Shortening leaves at least a second, and takes whole
    seconds only, so the countdown drops by exactly what was taken."""
    seg = player.segment()
    if not in_timed_hold(player) or seg is None:
        return player, False
    if delta < 0:
        left = seg.end - player.position(now)
        delta = max(delta, -float(math.floor(left - 1.0 + 1e-9)))
        if delta >= 0:
            return player, False
    return replace(player, timeline=lengthen(player.timeline, player.current, delta)), True


def toggle_mute(player: Player) -> Player:
    return replace(player, muted=not player.muted)


def stop(player: Player, now: float) -> Player:
    if player.status in ("done", "quit"):
        return player
    return replace(
        player,
        status="quit",
        played=player.practised(now),
        run_from=player.position(now),
        paused_at=player.paused_at if player.paused_at is not None else now,
    )
