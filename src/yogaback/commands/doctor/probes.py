"""The probes of ``yogaback doctor`` and the typed report they fill in.

One job, over 400 lines: one short probe per thing doctor reports, each with its
time limit and its fallback report; the report types are in ``report``.

The report covers:

- the sound engine chain in order, each engine opened for real (that is its probe)
  and closed again, with why it is unavailable, and which one ``play`` would use;
- the playback devices miniaudio sees;
- the speech engines (espeak-ng, which ``--voice`` uses; macOS ``say``; Windows SAPI);
- the terminal: which streams are terminals, its size, TERM, Rich's colour system,
  NO_COLOR, the output encoding and whether it can show yogaback's symbols;
- yogaback's folders and files, each with whether it exists and is writable.

Every probe runs under a time limit and inside its own ``try``: a probe that fails or
hangs is reported as such, never raised, so the command always finishes, with exit 0.
"""

from __future__ import annotations

import contextlib
import importlib
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

from yogaback.commands.doctor.report import (
    DevicesReport,
    EngineProbe,
    EventSound,
    FoldersReport,
    Place,
    Report,
    SoundReport,
    SoundsReport,
    SpeechEngine,
    SpeechReport,
    TerminalReport,
)
from yogaback.environment import is_tty
from yogaback.sound import limits
from yogaback.sound.limits import Probe, why

T = TypeVar("T")

PROBE_LIMIT = 3.0
"""Seconds any one probe (an engine, the device list, a version query) may take."""
SECTION_LIMIT = 5.0
"""Seconds a section of probes that run beside the sound probes may take."""
SYMBOLS = "·•—…−→←●━─❚␣"
"""Characters yogaback's screens use: the terminal's encoding should have them all."""


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


def probe_engine(name: str, tmpdir: Path) -> EngineProbe:
    """Open one engine of the chain for real (its probe), then close it."""
    from yogaback.sound.engines import ENGINES, PROBE_TIMEOUT, Options, open_with_timeout

    entry = EngineProbe(name)
    start = time.monotonic()
    if name == "silent":
        entry.status, entry.detail = "available", "always works: plays nothing"
    else:
        options = Options(bell_fd=_stdout_tty_fd(), tmpdir=tmpdir)
        try:
            engine = open_with_timeout(ENGINES[name], options, PROBE_TIMEOUT)
        except Exception as exc:  # Unavailable, or anything an engine threw
            entry.reason = str(exc) or type(exc).__name__
        else:
            entry.status, entry.detail = "available", _describe(engine)
            with contextlib.suppress(Exception):
                engine.close()
    entry.seconds = round(time.monotonic() - start, 3)
    return entry


def probe_chain() -> SoundReport:
    """Every engine of the default chain (with the bell, which only ``--bell`` adds)."""
    from yogaback.sound.engines import chain

    used_chain = chain("auto", bell=False)
    entries: list[EngineProbe] = []
    with tempfile.TemporaryDirectory(prefix="yogaback-doctor-", ignore_cleanup_errors=True) as tmp:
        for name in chain("auto", bell=True):
            try:
                entry = probe_engine(name, Path(tmp))
            except Exception as exc:
                entry = EngineProbe(name, reason=why(exc))
            entry.in_default_chain = name in used_chain
            entries.append(entry)
    used = next((e for e in entries if e.in_default_chain and e.status == "available"), None)
    if used is not None:
        used.used = True
    return SoundReport(entries, used.name if used else None)


def probe_devices() -> DevicesReport:
    """The playback devices miniaudio's context sees, over the OS's backend list."""
    from yogaback.sound.alsa import quiet_alsa
    from yogaback.sound.engines import default_backends
    from yogaback.sound.pcm import import_miniaudio

    quiet_alsa()
    ma: Any = import_miniaudio()
    backends = [getattr(ma.Backend, n) for n in default_backends() if hasattr(ma.Backend, n)]
    devices = ma.Devices(backends=backends)
    names = [str(d.get("name", "?")) for d in devices.get_playbacks()]
    return DevicesReport("ok", str(devices.backend), names)


def _no_devices(reason: str) -> DevicesReport:
    return DevicesReport("error", error=reason)


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


def _espeak() -> SpeechEngine:
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    entry = SpeechEngine("espeak-ng", exe is not None, exe, reason=None if exe else "not on PATH")
    if exe:
        try:
            entry.version = _version_of(exe)
        except TimeoutError:
            name = Path(exe).name
            entry.reason = f"'{name} --version' gave no answer within {PROBE_LIMIT:g} s"
        except OSError as exc:
            entry.found, entry.reason = False, f"cannot run ({exc.strerror})"
    return entry


def _say() -> SpeechEngine:
    entry = SpeechEngine("say", applies=sys.platform == "darwin")
    if not entry.applies:
        entry.reason = "macOS only"
        return entry
    exe = shutil.which("say")
    entry.found, entry.path, entry.reason = exe is not None, exe, None if exe else "not on PATH"
    release = platform.mac_ver()[0]
    if exe and release:
        entry.version = f"macOS {release}"
    return entry


def _sapi() -> SpeechEngine:
    entry = SpeechEngine("SAPI", applies=sys.platform == "win32")
    if not entry.applies:
        entry.reason = "Windows only"
        return entry
    reg: Any = importlib.import_module("winreg")
    key = r"SOFTWARE\Microsoft\Speech\Voices\Tokens"
    try:
        with reg.OpenKey(reg.HKEY_LOCAL_MACHINE, key) as handle:
            voices = int(reg.QueryInfoKey(handle)[0])
    except OSError:
        entry.reason = "no SAPI voices registered"
        return entry
    entry.found, entry.path = voices > 0, f"HKLM\\{key}"
    entry.version = f"SAPI 5, {voices} voice(s)"
    if not voices:
        entry.reason = "no SAPI voices registered"
    return entry


def _speaker(name: str) -> Callable[[], SpeechEngine]:
    """An engine with no version to ask for (flite, festival): found, or why not."""

    def probe() -> SpeechEngine:
        from yogaback.sound import speakers

        found = speakers.find(name)
        if isinstance(found, speakers.Speaker):
            return SpeechEngine(name, True, found.exe, reason=f"voice {found.voice}")
        return SpeechEngine(name, reason=found)

    probe.__name__ = name
    return probe


def probe_speech() -> SpeechReport:
    from yogaback.sound import speakers

    engines: list[SpeechEngine] = []
    for probe in (_speaker("flite"), _speaker("festival"), _espeak, _say, _sapi):
        try:
            engines.append(probe())
        except Exception as exc:
            engines.append(SpeechEngine(probe.__name__.lstrip("_"), reason=why(exc)))
    try:
        from yogaback.config import load

        choice = load().voice_engine
    except Exception:  # a broken config file is reported under folders
        choice = "auto"
    used, _ = speakers.choose(choice)
    names = {"sapi": "SAPI"}
    return SpeechReport(
        engines,
        names.get(used.name, used.name) if used else None,
        f"--voice speaks with the first engine found (voice_engine = {choice})",
    )


def _no_speech(reason: str) -> SpeechReport:
    return SpeechReport(note=reason)


# --- terminal -----------------------------------------------------------------------------


def probe_terminal() -> TerminalReport:
    from yogaback.commands.output import out

    console = out()
    encoding = getattr(sys.stdout, "encoding", None) or "none"
    try:
        SYMBOLS.encode(encoding)
        unicode = True
    except (LookupError, UnicodeError):
        unicode = False
    width, height = console.size
    return TerminalReport(
        stdout_isatty=is_tty(sys.stdout),
        stdin_isatty=is_tty(sys.stdin),
        stderr_isatty=is_tty(sys.stderr),
        columns=int(width),
        lines=int(height),
        term=os.environ.get("TERM"),
        colorterm=os.environ.get("COLORTERM"),
        color_system=console.color_system,
        no_color=os.environ.get("NO_COLOR", "") != "",
        encoding=encoding,
        unicode=unicode,
    )


def _no_terminal(reason: str) -> TerminalReport:
    return TerminalReport(error=reason)


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


def _place(what: Callable[[], Path], kind: str) -> Place:
    try:
        path = what()
        exists = path.is_dir() if kind == "folder" else path.is_file()
        return Place(str(path), kind, exists, _writable(path))
    except Exception as exc:
        return Place(None, kind, error=why(exc))


def _config_problem() -> str | None:
    from yogaback.config import load

    try:
        load()
    except Exception as exc:
        lines = str(exc).strip().splitlines()
        return lines[0] if lines else type(exc).__name__
    return None


def probe_folders() -> FoldersReport:
    from yogaback.config import config_path
    from yogaback.journal.store import journal_path
    from yogaback.routine import catalog
    from yogaback.sound.voice import default_cache

    places = {
        "home": _place(catalog.home, "folder"),
        "routines": _place(catalog.user_dir, "folder"),
        "builtin_routines": _place(catalog.builtin_dir, "folder"),
        "config": _place(config_path, "file"),
        "journal": _place(journal_path, "file"),
        "voice_cache": _place(default_cache, "folder"),
    }
    places["home"].env = os.environ.get(catalog.HOME_ENV) or None
    try:
        from yogaback.sound.voice import CACHE_CAP, cache_size

        cache = places["voice_cache"]
        cache.files, cache.bytes = cache_size(default_cache())
        cache.cap = CACHE_CAP
    except Exception as exc:
        places["voice_cache"].problem = why(exc)
    try:
        places["config"].problem = _config_problem()
    except Exception as exc:
        places["config"].problem = why(exc)
    return FoldersReport(places)


def _no_folders(reason: str) -> FoldersReport:
    return FoldersReport(error=reason)


def probe_sounds() -> SoundsReport:
    """Each event's sound as 'play' would take it without a routine: yogaback's, or the
    config file's [sounds] choice, and whether the file can be played."""
    from yogaback.config import load
    from yogaback.sound.library import EVENTS, builtin_dir, check_sound_file

    try:
        chosen = load().sounds
    except Exception:  # the problem itself is shown under folders: config
        return SoundsReport(
            error="the config file has problems (see folders: config), so its "
            "[sounds] could not be read"
        )
    found: dict[str, EventSound] = {}
    for event in EVENTS:
        choice = chosen.get(event)
        path = builtin_dir() / f"{event}.wav" if choice is None else choice.path
        problem = check_sound_file(path) if path is not None else None
        found[event] = EventSound(
            None if path is None else str(path),
            "yogaback" if choice is None else f"config file {choice.origin}",
            "off" if path is None else "problem" if problem else "ok",
            problem[0] if problem else None,
        )
    return SoundsReport(found)


def _no_sounds(reason: str) -> SoundsReport:
    return SoundsReport(error=reason)


# --- all of it ----------------------------------------------------------------------------


def collect() -> Report:
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
        lambda why: SoundReport(error=why),
    )
    devices = limited(probe_devices, PROBE_LIMIT, _no_devices)
    return Report(
        version=__version__,
        python=platform.python_version(),
        platform=sys.platform,
        sound=sound,
        devices=devices,
        speech=speech.result(_no_speech),
        terminal=terminal.result(_no_terminal),
        folders=folders.result(_no_folders),
        sounds=sounds.result(_no_sounds),
    )
