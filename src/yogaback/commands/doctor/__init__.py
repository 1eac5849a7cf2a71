"""``yogaback doctor``: what yogaback finds here, for sound, speech, the terminal and files,
as one table (or ``--json``). The probes and the typed report are in ``probes.py``; this
draws it. Cells and JSON are plain ASCII (other characters escaped), whatever the
terminal's encoding; Rich draws the header rule in ASCII where the encoding needs it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from yogaback.commands.doctor.probes import collect
from yogaback.commands.doctor.report import Report


def _ascii(text: object) -> str:
    """Printable on any terminal: non-ASCII as escapes (paths may hold anything)."""
    return str(text).encode("ascii", "backslashreplace").decode("ascii")


def _yes(flag: object, yes: str = "yes", no: str = "no") -> str:
    return yes if flag else no


def rows(report: Report) -> list[tuple[str, str, str, str]]:
    """(area, item, status, detail) for the table; area only on its first row."""
    out: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()

    def add(area: str, item: str, status: str, detail: str = "") -> None:
        out.append((area if area not in seen else "", item, status, detail))
        seen.add(area)

    sound = report.sound
    if sound.error:
        add("sound", "chain", "error", sound.error)
    for e in sound.chain:
        status = e.status + (" <- used" if e.used else "")
        detail = e.detail or e.reason or ""
        if not e.in_default_chain:
            detail += " (only with --bell)"
        add("sound", e.name, status, detail)

    dev = report.devices
    if dev.status == "ok":
        add(
            "devices",
            str(dev.backend),
            f"{len(dev.playback)} playback",
            ", ".join(n or "(unnamed)" for n in dev.playback) or "none listed",
        )
    else:
        add("devices", "miniaudio", "error", str(dev.error))

    speech = report.speech
    if not speech.engines:
        add("speech", "-", "error", speech.note)
    for s in speech.engines:
        status = _yes(s.found, "found", "not found" if s.applies else "n/a")
        if speech.used == s.name:
            status += " <- --voice"
        bits = [b for b in (s.version, s.path, s.reason) if b]
        add("speech", s.name, status, ", ".join(bits))

    term = report.terminal
    if term.error:
        add("terminal", "-", "error", term.error)
    else:
        tty = {True: "terminal", False: "not a terminal"}
        add("terminal", "stdout", tty[term.stdout_isatty])
        keys = "" if term.stdin_isatty else "keys (pause, skip...) need a terminal"
        add("terminal", "stdin", tty[term.stdin_isatty], keys)
        add("terminal", "size", f"{term.columns}x{term.lines}")
        add("terminal", "TERM", term.term or "unset", f"COLORTERM={term.colorterm or 'unset'}")
        colours = term.color_system or "none"
        add("terminal", "colours", colours, "NO_COLOR is set" if term.no_color else "")
        add(
            "terminal",
            "encoding",
            term.encoding,
            "shows yogaback's symbols" if term.unicode else "cannot encode yogaback's symbols",
        )

    folders = report.folders
    if folders.error:
        add("folders", "-", "error", folders.error)
    for key, place in folders.places.items():
        if place.error:
            add("folders", key, "error", place.error)
            continue
        state = "exists" if place.exists else "missing"
        state += ", " + _yes(place.writable, "writable", "read-only")
        detail = str(place.path)
        if key == "home" and place.env:
            detail += " (YOGABACK_HOME)"
        if key == "config" and place.problem:
            detail += f" -- problem: {place.problem}"
        if key == "voice_cache" and place.cap:
            mb = 2**20
            detail += (
                f" ({place.files or 0} renders, {(place.bytes or 0) / mb:.1f} MB "
                f"of at most {place.cap / mb:.0f} MB)"
            )
        add("folders", key.replace("_", " "), state, detail)

    sounds = report.sounds
    if sounds.error:
        add("sounds", "-", "error", sounds.error)
    for event, chosen in sounds.events.items():
        where = "yogaback's own" if chosen.source == "yogaback" else f"from {chosen.source}"
        detail = where if chosen.file is None else f"{chosen.file} ({where})"
        if chosen.problem:
            detail += f" -- {chosen.problem}"
        add("sounds", event, chosen.status, detail)

    return out


def _style(status: str) -> str:
    if "<-" in status:
        return "green"
    return "red" if status.startswith(("unavailable", "error", "not found", "problem")) else ""


def _fits(table_rows: list[tuple[str, ...]], width: int) -> bool:
    """Whether the table leaves its detail column room for the longest word (or path) of
    any detail: otherwise Rich would break that word in two."""
    from rich.cells import cell_len

    fixed = [max(cell_len(row[i]) for row in [HEADER, *table_rows]) for i in range(3)]
    room = width - sum(fixed) - TABLE_PADDING
    words = (word for row in table_rows for word in row[3].split())
    return max((cell_len(word) for word in words), default=0) <= room


HEADER = ("area", "item", "status", "detail")
TABLE_PADDING = 11
"""What the table's edges and the gaps between its four columns take (box SIMPLE_HEAD,
pad_edge=False): one cell at each edge and three between columns."""


def _print_stacked(console: Any, table_rows: list[tuple[str, ...]]) -> None:
    """The report on a terminal too narrow for the table: each item and its status on a
    line, its detail below, indented and wrapped at spaces, so a path is kept whole on a
    line of its own when it fits."""
    from rich.padding import Padding
    from rich.text import Text

    for area, item, status, detail in table_rows:
        if area:
            console.print()
            console.print(Text(area, style="bold"))
        console.print(
            Padding(Text.assemble(item, "  ", (status, _style(status))), (0, 0, 0, 2), expand=False)
        )
        if detail:
            console.print(Padding(Text(detail), (0, 0, 0, 6), expand=False))


def run(*, as_json: bool = False) -> None:
    report = collect()
    if as_json:
        sys.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
        sys.stdout.flush()
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from yogaback.commands.output import out

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("area", no_wrap=True, style="bold")
    table.add_column("item", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("detail", overflow="fold")
    last = ""
    table_rows = [tuple(map(_ascii, row)) for row in rows(report)]
    for area, item, status, detail in table_rows:
        if area and last:
            table.add_section()
        last = area or last
        table.add_row(Text(area), Text(item), Text(status, style=_style(status)), Text(detail))
    console = out()
    console.print(
        Text(_ascii(f"yogaback {report.version}, Python {report.python}, {report.platform}"))
    )
    if console.is_terminal:
        if _fits(table_rows, console.width):
            console.print(table)
        else:
            _print_stacked(console, table_rows)
        return
    # Piped or redirected, no window sets the width: lay the table out as wide as its
    # longest line, so paths are never broken across lines (and trim the padding).
    import io

    from rich.console import Console

    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    raw = io.BytesIO()
    buffer = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="\n")
    Console(file=buffer, width=1000, highlight=False, color_system=None).print(table)
    buffer.flush()  # the encoding tells Rich whether to draw its lines in ASCII
    text = raw.getvalue().decode(encoding, "replace")
    sys.stdout.write("".join(line.rstrip() + "\n" for line in text.splitlines()))
    sys.stdout.flush()
