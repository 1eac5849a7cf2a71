"""``yogaback doctor``: what yogaback finds here, for sound, speech, the terminal and files.

Reports, in one table (or ``--json``):

- the sound engine chain in order, each engine opened for real (that is its probe)
  and closed again, with why it is unavailable, and which one ``play`` would use;
- the playback devices miniaudio sees;
- the speech engines (espeak-ng, which ``--voice`` uses; macOS ``say``; Windows SAPI);
- the terminal: which streams are terminals, its size, TERM, Rich's colour system,
  NO_COLOR, the output encoding and whether it can show yogaback's symbols;
- yogaback's folders and files, each with whether it exists and is writable.

Every probe runs under a time limit and inside its own ``try``: a probe that fails or
hangs is reported as such, never raised, so this command always finishes, with exit 0.
Cells and JSON are plain ASCII (other characters escaped), whatever the terminal's
encoding; Rich draws the header rule in ASCII where the encoding needs it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from yogaback.sound import limits
from yogaback.sound.limits import Probe, why

T = TypeVar("T")

PROBE_LIMIT = 3.0
"""Seconds any one probe (an engine, the device list, a version query) may take."""
SECTION_LIMIT = 5.0
"""Seconds a section of probes that run beside the sound probes may take."""
SYMBOLS = "·•—…−→←●━─❚␣"
"""Characters yogaback's screens use: the terminal's encoding should have them all."""

Json = dict[str, Any]


def limited(fn: Callable[[], T], limit: float, fallback: Callable[[str], T]) -> T:
    return Probe(fn, limit).result(fallback)


# --- sound --------------------------------------------------------------------------------


def _stdout_tty_fd() -> int | None:
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    return fd if os.isatty(fd) else None


def _describe(engine: Any) -> str | None:
    backend = getattr(engine, "backend", None)
    if backend:
        return f"{backend} backend"
    argv = getattr(engine, "argv", None)
    if argv:
        return str(argv[0])
    if getattr(engine, "name", "") == "bell":
        return "rings the terminal bell"
    return None


def probe_engine(name: str, tmpdir: Path) -> Json:
    """Open one engine of the chain for real (its probe), then close it."""
    from yogaback.sound.engines import ENGINES, PROBE_TIMEOUT, Options, open_with_timeout

    entry: Json = {"name": name, "status": "unavailable", "reason": None, "detail": None}
    start = time.monotonic()
    if name == "silent":
        entry.update(status="available", detail="always works: plays nothing")
    else:
        options = Options(bell_fd=_stdout_tty_fd(), tmpdir=tmpdir)
        try:
            engine = open_with_timeout(ENGINES[name], options, PROBE_TIMEOUT)
        except Exception as exc:  # Unavailable, or anything an engine threw
            entry["reason"] = str(exc) or type(exc).__name__
        else:
            entry.update(status="available", detail=_describe(engine))
            with contextlib.suppress(Exception):
                engine.close()
    entry["seconds"] = round(time.monotonic() - start, 3)
    return entry


def probe_chain() -> Json:
    """Every engine of the default chain (with the bell, which only ``--bell`` adds)."""
    from yogaback.sound.engines import chain

    used_chain = chain("auto", bell=False)
    entries: list[Json] = []
    with tempfile.TemporaryDirectory(prefix="yogaback-doctor-", ignore_cleanup_errors=True) as tmp:
        for name in chain("auto", bell=True):
            try:
                entry = probe_engine(name, Path(tmp))
            except Exception as exc:
                entry = {"name": name, "status": "unavailable", "reason": why(exc)}
                entry.update(detail=None, seconds=None)
            entry["in_default_chain"] = name in used_chain
            entry["used"] = False
            entries.append(entry)
    used = next((e for e in entries if e["in_default_chain"] and e["status"] == "available"), None)
    if used is not None:
        used["used"] = True
    return {"chain": entries, "engine": used["name"] if used else None}


def probe_devices() -> Json:
    """The playback devices miniaudio's context sees, over the OS's backend list."""
    from yogaback.sound.alsa import quiet_alsa
    from yogaback.sound.engines import default_backends
    from yogaback.sound.pcm import import_miniaudio

    quiet_alsa()
    ma: Any = import_miniaudio()
    backends = [getattr(ma.Backend, n) for n in default_backends() if hasattr(ma.Backend, n)]
    devices = ma.Devices(backends=backends)
    names = [str(d.get("name", "?")) for d in devices.get_playbacks()]
    return {"status": "ok", "backend": str(devices.backend), "playback": names, "error": None}


def _no_devices(reason: str) -> Json:
    return {"status": "error", "backend": None, "playback": [], "error": reason}


# --- speech -------------------------------------------------------------------------------


def _version_of(exe: str) -> str | None:
    result = limits.run([exe, "--version"], PROBE_LIMIT)
    if result.returncode is None:
        raise TimeoutError  # it and all it started are killed already
    text = result.stdout.decode(errors="replace")
    match = re.search(r"\d+(?:\.\d+)+", text)
    if match:
        return match.group(0)
    lines = text.strip().splitlines()
    return lines[0][:60] if lines else None


def _espeak() -> Json:
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    entry: Json = {"name": "espeak-ng", "found": exe is not None, "path": exe, "version": None}
    entry["applies"] = True
    entry["reason"] = None if exe else "not on PATH"
    if exe:
        try:
            entry["version"] = _version_of(exe)
        except TimeoutError:
            name = Path(exe).name
            entry["reason"] = f"'{name} --version' gave no answer within {PROBE_LIMIT:g} s"
        except OSError as exc:
            entry.update(found=False, reason=f"cannot run ({exc.strerror})")
    return entry


def _say() -> Json:
    entry: Json = {"name": "say", "found": False, "path": None, "version": None, "reason": None}
    entry["applies"] = sys.platform == "darwin"
    if not entry["applies"]:
        entry["reason"] = "macOS only"
        return entry
    exe = shutil.which("say")
    entry.update(found=exe is not None, path=exe, reason=None if exe else "not on PATH")
    release = platform.mac_ver()[0]
    if exe and release:
        entry["version"] = f"macOS {release}"
    return entry


def _sapi() -> Json:
    entry: Json = {"name": "SAPI", "found": False, "path": None, "version": None, "reason": None}
    entry["applies"] = sys.platform == "win32"
    if not entry["applies"]:
        entry["reason"] = "Windows only"
        return entry
    reg: Any = importlib.import_module("winreg")
    key = r"SOFTWARE\Microsoft\Speech\Voices\Tokens"
    try:
        with reg.OpenKey(reg.HKEY_LOCAL_MACHINE, key) as handle:
            voices = int(reg.QueryInfoKey(handle)[0])
    except OSError:
        entry["reason"] = "no SAPI voices registered"
        return entry
    entry.update(found=voices > 0, path=f"HKLM\\{key}", version=f"SAPI 5, {voices} voice(s)")
    if not voices:
        entry["reason"] = "no SAPI voices registered"
    return entry


def _speaker(name: str) -> Callable[[], Json]:
    """An engine with no version to ask for (flite, festival): found, or why not."""

    def probe() -> Json:
        from yogaback.sound import speakers

        found = speakers.find(name)
        entry: Json = {"name": name, "version": None, "applies": True}
        if isinstance(found, speakers.Speaker):
            return {**entry, "found": True, "path": found.exe, "reason": f"voice {found.voice}"}
        return {**entry, "found": False, "path": None, "reason": found}

    probe.__name__ = name
    return probe


def probe_speech() -> Json:
    from yogaback.sound import speakers

    engines: list[Json] = []
    for probe in (_speaker("flite"), _speaker("festival"), _espeak, _say, _sapi):
        try:
            engines.append(probe())
        except Exception as exc:
            name = probe.__name__.lstrip("_")
            entry: Json = {"name": name, "found": False, "path": None, "version": None}
            engines.append({**entry, "reason": why(exc), "applies": True})
    try:
        from yogaback.config import load

        choice = load().voice_engine
    except Exception:  # a broken config file is reported under folders
        choice = "auto"
    used, _ = speakers.choose(choice)
    names = {"sapi": "SAPI"}
    return {
        "engines": engines,
        "used": names.get(used.name, used.name) if used else None,
        "note": f"--voice speaks with the first engine found (voice_engine = {choice})",
    }


def _no_speech(reason: str) -> Json:
    return {"engines": [], "used": None, "note": reason}


# --- terminal -----------------------------------------------------------------------------


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def probe_terminal() -> Json:
    from yogaback.commands.output import out

    console = out()
    encoding = getattr(sys.stdout, "encoding", None) or "none"
    try:
        SYMBOLS.encode(encoding)
        unicode = True
    except (LookupError, UnicodeError):
        unicode = False
    width, height = console.size
    return {
        "stdout_isatty": _isatty(sys.stdout),
        "stdin_isatty": _isatty(sys.stdin),
        "stderr_isatty": _isatty(sys.stderr),
        "columns": int(width),
        "lines": int(height),
        "term": os.environ.get("TERM"),
        "colorterm": os.environ.get("COLORTERM"),
        "color_system": console.color_system,
        "no_color": os.environ.get("NO_COLOR", "") != "",
        "encoding": encoding,
        "unicode": unicode,
    }


def _no_terminal(reason: str) -> Json:
    return {"error": reason}


# --- folders ------------------------------------------------------------------------------


def _writable(path: Path) -> bool:
    """Writable as it is, or (not there yet) creatable in its nearest existing folder."""
    target = path
    while not target.exists():
        if target.parent == target:
            return False
        target = target.parent
    if target != path and not target.is_dir():
        return False
    mode = os.W_OK | (os.X_OK if target.is_dir() else 0)
    return os.access(target, mode)


def _place(what: Callable[[], Path], kind: str) -> Json:
    try:
        path = what()
        return {
            "path": str(path),
            "kind": kind,
            "exists": path.is_dir() if kind == "folder" else path.is_file(),
            "writable": _writable(path),
            "error": None,
        }
    except Exception as exc:
        return {"path": None, "kind": kind, "exists": False, "writable": False, "error": why(exc)}


def _config_problem() -> str | None:
    from yogaback.config import load

    try:
        load()
    except Exception as exc:
        lines = str(exc).strip().splitlines()
        return lines[0] if lines else type(exc).__name__
    return None


def probe_folders() -> Json:
    from yogaback.config import config_path
    from yogaback.journal.store import journal_path
    from yogaback.routine import catalog
    from yogaback.sound.voice import default_cache

    places: Json = {
        "home": _place(catalog.home, "folder"),
        "routines": _place(catalog.user_dir, "folder"),
        "builtin_routines": _place(catalog.builtin_dir, "folder"),
        "config": _place(config_path, "file"),
        "journal": _place(journal_path, "file"),
        "voice_cache": _place(default_cache, "folder"),
    }
    places["home"]["env"] = os.environ.get(catalog.HOME_ENV) or None
    try:
        from yogaback.sound.voice import CACHE_CAP, cache_size

        files, size = cache_size(default_cache())
        places["voice_cache"].update(files=files, bytes=size, cap=CACHE_CAP)
    except Exception as exc:
        places["voice_cache"]["problem"] = why(exc)
    try:
        places["config"]["problem"] = _config_problem()
    except Exception as exc:
        places["config"]["problem"] = why(exc)
    return places


def _no_folders(reason: str) -> Json:
    return {"error": reason}


def probe_sounds() -> Json:
    """Each event's sound as 'play' would take it without a routine: yogaback's, or the
    config file's [sounds] choice, and whether the file can be played."""
    from yogaback.config import load
    from yogaback.sound.library import EVENTS, builtin_dir, check_sound_file

    try:
        chosen = load().sounds
    except Exception:  # the problem itself is shown under folders: config
        return {
            "error": "the config file has problems (see folders: config), so its "
            "[sounds] could not be read"
        }
    found: Json = {}
    for event in EVENTS:
        choice = chosen.get(event)
        path = builtin_dir() / f"{event}.wav" if choice is None else choice.path
        problem = check_sound_file(path) if path is not None else None
        found[event] = {
            "file": None if path is None else str(path),
            "from": "yogaback" if choice is None else f"config file {choice.origin}",
            "status": "off" if path is None else "problem" if problem else "ok",
            "problem": problem[0] if problem else None,
        }
    return found


def _no_sounds(reason: str) -> Json:
    return {"error": reason}


# --- all of it ----------------------------------------------------------------------------


def collect() -> Json:
    """Every probe, each bounded in time; never raises."""
    from yogaback import __version__

    # Speech, terminal and folders don't touch the audio device: run them meanwhile.
    speech = Probe(probe_speech, PROBE_LIMIT + 2.0)
    terminal = Probe(probe_terminal, SECTION_LIMIT)
    folders = Probe(probe_folders, SECTION_LIMIT)
    sounds = Probe(probe_sounds, SECTION_LIMIT)
    # The engines one after another (as the chain tries them); the device list after them.
    from yogaback.sound.engines import PROBE_TIMEOUT

    sound = limited(
        probe_chain,
        4 * (PROBE_TIMEOUT + 0.5),
        lambda why: {"chain": [], "engine": None, "error": why},
    )
    devices = limited(probe_devices, PROBE_LIMIT, _no_devices)
    return {
        "yogaback": {
            "version": __version__,
            "python": platform.python_version(),
            "platform": sys.platform,
        },
        "sound": sound,
        "devices": devices,
        "speech": speech.result(_no_speech),
        "terminal": terminal.result(_no_terminal),
        "folders": folders.result(_no_folders),
        "sounds": sounds.result(_no_sounds),
    }


# --- showing it ---------------------------------------------------------------------------


def _ascii(text: object) -> str:
    """Printable on any terminal: non-ASCII as escapes (paths may hold anything)."""
    return str(text).encode("ascii", "backslashreplace").decode("ascii")


def _yes(flag: object, yes: str = "yes", no: str = "no") -> str:
    return yes if flag else no


def rows(report: Json) -> list[tuple[str, str, str, str]]:
    """(area, item, status, detail) for the table; area only on its first row."""
    out: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()

    def add(area: str, item: str, status: str, detail: str = "") -> None:
        out.append((area if area not in seen else "", item, status, detail))
        seen.add(area)

    sound = report.get("sound", {})
    if sound.get("error"):
        add("sound", "chain", "error", sound["error"])
    for e in sound.get("chain", []):
        status = str(e.get("status"))
        detail = e.get("detail") or e.get("reason") or ""
        if e.get("used"):
            status += " <- used"
        if not e.get("in_default_chain", True):
            detail += " (only with --bell)"
        add("sound", str(e.get("name")), status, str(detail))

    dev = report.get("devices", {})
    if dev.get("status") == "ok":
        names = dev.get("playback") or []
        add(
            "devices",
            str(dev.get("backend")),
            f"{len(names)} playback",
            ", ".join(str(n) or "(unnamed)" for n in names) or "none listed",
        )
    else:
        add("devices", "miniaudio", "error", str(dev.get("error")))

    speech = report.get("speech", {})
    if not speech.get("engines"):
        add("speech", "-", "error", str(speech.get("note")))
    for s in speech.get("engines", []):
        status = _yes(s.get("found"), "found", "not found" if s.get("applies", True) else "n/a")
        if speech.get("used") == s.get("name"):
            status += " <- --voice"
        bits = [str(b) for b in (s.get("version"), s.get("path"), s.get("reason")) if b]
        add("speech", str(s.get("name")), status, ", ".join(bits))

    term = report.get("terminal", {})
    if "error" in term:
        add("terminal", "-", "error", str(term["error"]))
    else:
        tty = {True: "terminal", False: "not a terminal"}
        add("terminal", "stdout", tty[bool(term["stdout_isatty"])])
        keys = "" if term["stdin_isatty"] else "keys (pause, skip...) need a terminal"
        add("terminal", "stdin", tty[bool(term["stdin_isatty"])], keys)
        add("terminal", "size", f"{term['columns']}x{term['lines']}")
        add(
            "terminal",
            "TERM",
            str(term.get("term") or "unset"),
            f"COLORTERM={term.get('colorterm') or 'unset'}",
        )
        colours = str(term.get("color_system") or "none")
        add("terminal", "colours", colours, "NO_COLOR is set" if term["no_color"] else "")
        add(
            "terminal",
            "encoding",
            str(term["encoding"]),
            "shows yogaback's symbols" if term["unicode"] else "cannot encode yogaback's symbols",
        )

    folders = report.get("folders", {})
    if "error" in folders:
        add("folders", "-", "error", str(folders["error"]))
    for key, place in folders.items():
        if not isinstance(place, dict):
            continue
        if place.get("error"):
            add("folders", key, "error", str(place["error"]))
            continue
        state = "exists" if place["exists"] else "missing"
        state += ", " + _yes(place["writable"], "writable", "read-only")
        detail = str(place["path"])
        if key == "home" and place.get("env"):
            detail += " (YOGABACK_HOME)"
        if key == "config" and place.get("problem"):
            detail += f" -- problem: {place['problem']}"
        if key == "voice_cache" and place.get("cap"):
            mb = 2**20
            detail += (
                f" ({place.get('files', 0)} renders, {int(place.get('bytes', 0)) / mb:.1f} MB "
                f"of at most {int(place['cap']) / mb:.0f} MB)"
            )
        add("folders", key.replace("_", " "), state, detail)

    sounds = report.get("sounds", {})
    if "error" in sounds:
        add("sounds", "-", "error", str(sounds["error"]))
    for event, sound in sounds.items():
        if not isinstance(sound, dict):
            continue
        where = "yogaback's own" if sound["from"] == "yogaback" else f"from {sound['from']}"
        detail = where if sound["file"] is None else f"{sound['file']} ({where})"
        if sound.get("problem"):
            detail += f" -- {sound['problem']}"
        add("sounds", event, str(sound["status"]), detail)

    return out


def run(*, as_json: bool = False) -> None:
    report = collect()
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
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
    for area, item, status, detail in rows(report):
        if area and last:
            table.add_section()
        last = area or last
        style = (
            "red" if status.startswith(("unavailable", "error", "not found", "problem")) else None
        )
        style = "green" if "<-" in status else style
        table.add_row(
            Text(_ascii(area)),
            Text(_ascii(item)),
            Text(_ascii(status), style=style or ""),
            Text(_ascii(detail)),
        )
    version = report["yogaback"]
    console = out()
    console.print(
        Text(
            _ascii(
                f"yogaback {version['version']}, Python {version['python']}, {version['platform']}"
            )
        )
    )
    if console.is_terminal:
        console.print(table)
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
