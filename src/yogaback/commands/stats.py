"""``yogaback stats``: practice days as a calendar heat-map, streaks, minutes per week and
how your back felt before and after, drawn in the terminal.

The numbers are computed by small pure functions (``summarise``) from journal entries, so
tests check them directly; ``render`` only draws them. Wording stays kind: a broken streak
is never a failure, and coming back is always welcome.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from yogaback.errors import BadInput
from yogaback.journal.opening import load_entries
from yogaback.journal.store import Entry, local_now

MIN_DAY_SECONDS = 60.0
"""A day counts as a practice day from this many routine seconds practised."""
LEVELS = ((0.0, "·"), (0.1, "░"), (10.0, "▒"), (20.0, "▓"), (30.0, "█"))
"""(from minutes, cell) for the heat-map; the first is 'no practice'."""
LEVEL_STYLES = ("dim", "green4", "green3", "green1", "bold green1")
LEGEND = "· none  ░ under 10 min  ▒ 10–20  ▓ 20–30  █ 30 or more"
EIGHTHS = " ▏▎▍▌▋▊▉█"
SPARKS = "▁▂▃▄▅▆▇█"
BAR_WIDTH = 30
CHART_WEEKS = 8
"""Minutes per week are drawn for this many latest weeks."""
PAIN_ROWS = 10
"""The pain chart shows this many latest check-ins as bars; all of them in the sparkline."""
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Check:
    day: date
    routine: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Stats:
    today: date
    weeks: int
    daily: dict[date, float] = field(default_factory=dict)
    """Routine minutes practised per local day (every day with any practice)."""
    sessions: int = 0
    completed: int = 0
    total_minutes: float = 0.0
    current_streak: int = 0
    longest_streak: int = 0
    practised_today: bool = False
    weekly: tuple[tuple[date, float], ...] = ()
    """(Monday, minutes) for the last ``weeks`` weeks, oldest first."""
    checks: tuple[Check, ...] = ()

    @property
    def practice_days(self) -> set[date]:
        return {d for d, m in self.daily.items() if m * 60 >= MIN_DAY_SECONDS}

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "sessions": self.sessions,
            "completed": self.completed,
            "total_minutes": round(self.total_minutes, 1),
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
            "practised_today": self.practised_today,
            "days": {d.isoformat(): round(m, 1) for d, m in sorted(self.daily.items())},
            "weeks": [{"week": w.isoformat(), "minutes": round(m, 1)} for w, m in self.weekly],
            "pain": [
                {
                    "day": c.day.isoformat(),
                    "routine": c.routine,
                    "before": c.before,
                    "after": c.after,
                }
                for c in self.checks
            ],
        }


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days. The current run may end today or
    yesterday: a day not practised *yet* does not break it."""
    ordered = sorted(set(days))
    longest = run = 0
    previous: date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    have = set(ordered)
    day = today if today in have else today - timedelta(days=1)
    while day in have:
        current += 1
        day -= timedelta(days=1)
    return current, longest


def summarise(entries: Sequence[Entry], today: date | None = None, weeks: int = 12) -> Stats:
    """Everything ``stats`` shows, from journal entries (in any order)."""
    today = local_now().date() if today is None else today
    daily: dict[date, float] = {}
    checks: list[Check] = []
    for e in sorted(entries, key=lambda e: (e.started_at, e.id)):
        day = e.started_at.date()  # the local day where and when it was practised
        daily[day] = daily.get(day, 0.0) + e.practised_seconds / 60
        if e.pain_before is not None or e.pain_after is not None:
            checks.append(Check(day, e.routine, e.pain_before, e.pain_after))
    practice = {d for d, m in daily.items() if m * 60 >= MIN_DAY_SECONDS}
    current, longest = streaks(practice, today)
    this_week = monday(today)
    weekly = tuple(
        (
            start,
            sum(m for d, m in daily.items() if start <= d < start + timedelta(days=7)),
        )
        for start in (this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1))
    )
    return Stats(
        today=today,
        weeks=weeks,
        daily=daily,
        sessions=len(entries),
        completed=sum(1 for e in entries if e.completed),
        total_minutes=sum(e.practised_seconds for e in entries) / 60,
        current_streak=current,
        longest_streak=longest,
        practised_today=today in practice,
        weekly=weekly,
        checks=tuple(checks),
    )


# --- drawing ------------------------------------------------------------------------------------


def level(minutes: float) -> int:
    index = 0
    for i, (start, _) in enumerate(LEVELS):
        if minutes >= start:
            index = i
    return index


def _first_of_month(start: date) -> date | None:
    """The 1st of a month within the week from ``start``, if there is one."""
    return next((d for d in (start + timedelta(days=k) for k in range(7)) if d.day == 1), None)


def heatmap(stats: Stats) -> Text:
    """Weeks as columns (oldest on the left), Monday to Sunday as rows; month names above."""
    oldest = monday(stats.today) - timedelta(weeks=stats.weeks - 1)
    columns = [oldest + timedelta(weeks=n) for n in range(stats.weeks)]
    text = Text()
    header = [" "] * (2 * len(columns) + 3)
    free_from = 0
    for n, start in enumerate(columns):
        first = _first_of_month(start)
        if n == 0 and first is None and (len(columns) == 1 or not _first_of_month(columns[1])):
            first = start  # name the month the map starts in, unless a new one starts next
        if first is None or 2 * n < free_from:
            continue
        header[2 * n : 2 * n + 3] = list(f"{first:%b}")
        free_from = 2 * n + 4
    text.append("     " + "".join(header).rstrip() + "\n", style="dim")
    for row in range(7):
        text.append(f"{DAY_NAMES[row]}  ", style="dim")
        for start in columns:
            day = start + timedelta(days=row)
            if day > stats.today:
                text.append("  ")
                continue
            minutes = stats.daily.get(day, 0.0)
            lvl = level(minutes) if minutes * 60 >= MIN_DAY_SECONDS else 0
            text.append(LEVELS[lvl][1], style=LEVEL_STYLES[lvl])
            text.append(" ")
        text.rstrip()
        text.append("\n")
    text.append("     " + LEGEND, style="dim")
    return text


def streak_words(stats: Stats) -> str:
    current, longest = stats.current_streak, stats.longest_streak
    days = "day" if current == 1 else "days"
    if current and stats.practised_today:
        line = f"You have practised {current} {days} in a row, today included. Lovely."
    elif current:
        line = (
            f"You practised {current} {days} in a row, up to yesterday. "
            "Today is open, if it feels right."
        )
    elif longest:
        line = "Welcome back whenever you are ready: every session counts."
    else:
        return "No practice days yet."
    if longest > current:
        line += f" Your longest run so far: {longest} days."
    return line


def bar(value: float, most: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar in eighths of a character: ``value`` of ``most`` fills ``width``."""
    if most <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / most * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[rest] if rest else "")


def weekly_chart(stats: Stats) -> Text:
    text = Text()
    weeks = stats.weekly[-CHART_WEEKS:]
    most = max((m for _, m in weeks), default=0.0)
    for start, minutes in weeks:
        label = f"{start.day:>2} {start:%b}"
        text.append(f"{label}  ", style="dim")
        text.append(bar(minutes, most), style="green3")
        text.append(
            f" {round(minutes)} min\n" if minutes else " –\n", style=None if minutes else "dim"
        )
    text.rstrip()
    return text


def sparkline(values: Sequence[int | None]) -> str:
    """0–10 values as ▁…█ (a space where there is no answer)."""
    return "".join(" " if v is None else SPARKS[min(7, round(v / 10 * 7))] for v in values)


def pain_chart(stats: Stats) -> Text:
    checks = stats.checks
    text = Text()
    for c in checks[-PAIN_ROWS:]:
        text.append(f"{c.day.day:>2} {c.day:%b}  ", style="dim")
        for name, value, style in (("before", c.before, "yellow"), ("after", c.after, "cyan")):
            shown = "–" if value is None else str(value)
            text.append(f"{name} {shown:>2} ")
            cells = bar(value or 0, 10, 10)
            text.append(f"{cells:<10}", style=style)
            text.append("  ")
        text.rstrip()
        text.append("\n")
    if len(checks) > PAIN_ROWS:
        recent = checks[-60:]
        text.append(f"\nall {len(checks)} check-ins, oldest first\n", style="dim")
        text.append("before ", style="dim")
        text.append(sparkline([c.before for c in recent]) + "\n", style="yellow")
        text.append("after  ", style="dim")
        text.append(sparkline([c.after for c in recent]) + "\n", style="cyan")
    pairs = [(c.before, c.after) for c in checks if c.before is not None and c.after is not None]
    if pairs:
        change = sum(b - a for b, a in pairs) / len(pairs)
        n = len(pairs)
        sessions = "session" if n == 1 else "sessions"
        if change >= 0.05:
            text.append(
                f"\nOver {n} {sessions} with both answers, your back felt on average "
                f"{change:.1f} points easier after practice."
            )
        elif change <= -0.05:
            text.append(
                f"\nOver {n} {sessions} with both answers, your back felt on average "
                f"{-change:.1f} points more sore after practice. Gentler versions and shorter "
                "holds may suit you better; if it keeps happening, a health professional can help."
            )
        else:
            text.append(
                f"\nOver {n} {sessions} with both answers, your back felt about the same "
                "before and after."
            )
    text.rstrip()
    return text


def render(stats: Stats) -> RenderableType:
    def heading(title: str) -> Text:
        return Text("\n" + title, style="bold")

    parts: list[RenderableType] = []
    minutes = round(stats.total_minutes)
    sessions = "session" if stats.sessions == 1 else "sessions"
    parts.append(
        Text(
            f"{stats.sessions} {sessions}, {minutes} minutes of practice, "
            f"{stats.completed} to the end."
        )
    )
    parts.append(heading(f"Practice days, last {stats.weeks} weeks"))
    parts.append(heatmap(stats))
    parts.append(Text("\n" + streak_words(stats)))
    parts.append(heading("Minutes per week"))
    parts.append(weekly_chart(stats))
    parts.append(heading("How your upper back felt (0 no pain … 10 worst)"))
    if stats.checks:
        parts.append(pain_chart(stats))
    else:
        parts.append(
            Text(
                "No check-ins yet. To be asked before and after a session: "
                "yogaback play NAME --check-in (or check_in = true in your config)."
            )
        )
    return Group(*parts)


def run(
    *,
    weeks: int = 12,
    as_json: bool = False,
    today: date | None = None,
    include_previews: bool = False,
) -> None:
    """``yogaback stats``. Previews (sessions played at a ``--speed`` other than 1) are
    left out unless ``include_previews``: they were not practice."""
    from yogaback.commands.output import out

    if not 1 <= weeks <= 104:
        raise BadInput("--weeks must be from 1 to 104")
    entries = load_entries(None)
    previews = 0 if include_previews else sum(1 for e in entries if e.preview)
    if previews:
        entries = [e for e in entries if not e.preview]
    stats = summarise(entries, today, weeks)
    if as_json:
        sys.stdout.write(json.dumps(stats.to_json(), indent=2) + "\n")
        return
    console = out()
    if not entries:
        console.print(
            "No sessions recorded yet. When you are ready: yogaback play upper-back", markup=False
        )
    else:
        console.print(render(stats))
    if previews:
        console.print(
            f"\n{previews} {'preview' if previews == 1 else 'previews'} (played at a --speed "
            "other than 1) left out. To count them: yogaback stats --include-previews",
            markup=False,
            style="dim",
        )
