"""Recording a session in the journal while it plays: the row, the sink that keeps it
current, and the pain check-in after it. Playing never fails because of the journal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yogaback.journal.notice import warn
from yogaback.journal.opening import open_journal
from yogaback.journal.store import (
    Journal,
    JournalError,
    JournalReadOnly,
    file_digest,
)
from yogaback.journal.writer import JournalSink
from yogaback.practice.player import Player
from yogaback.practice.timeline import Timeline


def open_for_play(path: Path | None = None) -> Journal | None:
    """The journal, or None (with a notice) when it cannot be used: playing never fails
    because of the journal."""
    try:
        journal = open_journal(path)
    except JournalReadOnly as exc:
        warn(f"{exc}, so this session will not be recorded in your history.")
        return None
    except JournalError as exc:
        warn(f"{exc}\nThis session will not be recorded in your history.")
        return None
    if journal.notice:
        warn(journal.notice)
    return journal


@dataclass
class Recording:
    """A session being written to the journal: its row id and the sink that keeps it current."""

    journal: Journal
    session: int
    sink: JournalSink

    def finish(self, player: Player, ended_by: str | None = None) -> None:
        """After the session: write its end (flushing the writer). A session that never
        started (quit on the safety screen) is removed again. ``ended_by``: how a session
        still playing ended (``interrupt`` when its output pipe closed); without it, such
        a session stays unfinished, as after a crash."""
        self.sink.close(player, ended_by=ended_by)
        try:
            if player.status == "ready":
                self.journal.discard(self.session)
        except JournalError as exc:
            self.sink.error = self.sink.error or str(exc)
        if self.sink.error:
            warn(f"the journal could not be fully updated: {self.sink.error}")

    def pain_after(self, value: int | None) -> None:
        if value is None:
            return
        try:
            self.journal.set_pain(self.session, after=value)
        except JournalError as exc:
            warn(str(exc))


def start_recording(
    journal: Journal | None,
    *,
    key: str,
    path: Path,
    title: str,
    timeline: Timeline,
    minutes: float | None,
    pace: float | None,
    speed: float,
    pain_before: int | None = None,
    resumed_from: int | None = None,
) -> Recording | None:
    """Insert the session's row and make the sink that updates it; None without a journal."""
    if journal is None:
        return None
    try:
        session = journal.begin_session(
            key,
            title=title,
            path=str(path.resolve()),
            file_hash=file_digest(path),
            planned_seconds=timeline.total,
            parts=len(timeline.parts) + timeline.skipped,
            start_part=timeline.skipped + 1,
            minutes=minutes,
            pace=pace,
            speed=speed,
            pain_before=pain_before,
            resumed_from=resumed_from,
        )
    except JournalError as exc:
        warn(f"{exc}\nThis session will not be recorded in your history.")
        return None
    return Recording(journal, session, JournalSink(journal, session))
