"""Audio engines behind one small interface, found by name, tried in a chain.

Every engine is driven from the single audio worker thread (``worker.py``):
``play`` starts a sound and returns at once, ``poll`` does housekeeping (reaping
or killing overrunning player processes), ``stop`` silences everything, and
``close`` releases the device. Opening an engine *is* its probe: a constructor
that returns has a working output, one that raises ``Unavailable`` says why.

The default chain is miniaudio (with an explicit OS backend list) → a system
player on PATH → the terminal bell (only if asked for) → silence.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from yogaback.sound import limits
from yogaback.sound.alsa import quiet_alsa
from yogaback.sound.mixer import Mixer
from yogaback.sound.pcm import RATE, Sound, import_miniaudio, wav_bytes

Clock = Callable[[], float]
FirstSamples = Callable[[int, float], None]
"""Called with a play request's tag and the clock reading at which its first samples
were handed to the output (from the audio thread, for miniaudio)."""

PROBE_TIMEOUT = 3.0
"""Seconds an engine may take to open before it is given up as hung."""
OVERRUN = 2.0
"""A player process still running this long after its sound should have ended is killed."""
PERIOD_MS = 10
"""miniaudio period: the granularity at which a new sound can join a running device."""
PERIODS = 4


class Unavailable(Exception):
    """This engine cannot play here; the message says why, in a few words."""


class Failed(Exception):
    """A working engine stopped working (a device vanished)."""


class Engine(Protocol):
    name: str

    def play(self, sound: Sound, tag: int) -> None: ...

    def stop(self) -> None: ...

    def poll(self) -> float | None:
        """Do housekeeping; return seconds until this wants to be polled again, or None."""
        ...

    def busy(self) -> bool: ...

    def close(self) -> None: ...


@dataclass
class Options:
    """What an engine needs to open."""

    clock: Clock = time.monotonic
    wake: Callable[[], None] = lambda: None
    """Wakes the worker (an engine calls it from another thread when it wants a poll)."""
    on_first: FirstSamples | None = None
    bell_fd: int | None = None
    """File descriptor for the terminal bell; None: the bell engine is unavailable."""
    tmpdir: Path | None = None
    backends: Sequence[str] | None = None
    """miniaudio backend names, overriding the per-OS list (for tests)."""
    notes: list[str] = field(default_factory=list)


BACKEND_NAMES = {
    "PULSEAUDIO": "PulseAudio",
    "COREAUDIO": "Core Audio",
    "DSOUND": "DirectSound",
    "WINMM": "WinMM",
}


def _reason(exc: BaseException) -> str:
    """miniaudio's errors carry (message, code): say them as words."""
    if len(exc.args) == 2 and isinstance(exc.args[1], int):
        return f"{exc.args[0]}, error {exc.args[1]}"
    return str(exc) or type(exc).__name__


SYSTEM_PULSE_DIRS = (Path("/run/pulse"), Path("/var/run/pulse"))
"""Where a system-wide PulseAudio server has its ``native`` socket."""
SYSTEM_PULSE_CONFS = (Path("/etc/pulse/client.conf"), Path("/etc/pulse/client.conf.d"))
"""libpulse's system-wide client settings: a file, and a folder of ``*.conf`` files."""
_DEFAULT_SERVER = re.compile(r"^[ \t]*default-server[ \t]*=[ \t]*[^\s;#]", re.MULTILINE)


def pulse_server_found() -> bool:
    """Whether a PulseAudio server (or PipeWire's stand-in) is there for libpulse to find:
    ``PULSE_SERVER``, a ``default-server`` in a client.conf, or a ``native`` socket where
    libpulse looks for one (the user's runtime folder, the system-wide server's)."""
    env = os.environ
    if env.get("PULSE_SERVER", "").strip():
        return True
    home = Path(env.get("HOME") or "~").expanduser()
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "pulse"
    folders = [Path(p) for p in (env.get("PULSE_RUNTIME_PATH"),) if p]
    if env.get("XDG_RUNTIME_DIR"):
        folders.append(Path(env["XDG_RUNTIME_DIR"]) / "pulse")
    else:  # libpulse's fallback: a link under the config folder
        with contextlib.suppress(OSError):
            folders.extend(config.glob("*-runtime"))
    folders += SYSTEM_PULSE_DIRS
    if any(_exists(folder / "native") for folder in folders):
        return True
    confs = [config / "client.conf"]
    for path in SYSTEM_PULSE_CONFS:
        with contextlib.suppress(OSError):
            confs.extend(sorted(path.glob("*.conf")) if path.is_dir() else [path])
    for conf in confs:
        try:
            text = conf.read_text(errors="replace")
        except OSError:
            continue
        if _DEFAULT_SERVER.search(text):
            return True
    return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a folder we may not look into
        return False


def pulse_may_appear() -> bool:
    """Whether libpulse might still reach a server that ``pulse_server_found`` does not
    see: one it would start itself (``pulseaudio`` installed), or one an X display names
    in a property of its root window."""
    return bool(os.environ.get("DISPLAY")) or shutil.which("pulseaudio") is not None


def default_backends() -> list[str]:
    if sys.platform.startswith("linux"):
        # libpulse loads some 25 libraries (about 3 MB, kept for the life of the process)
        # even to learn that there is no server. So PulseAudio goes first only when a
        # server is there, comes after ALSA when one might still be found, and is left
        # out when there is nothing it could connect to.
        if pulse_server_found():
            return ["PULSEAUDIO", "ALSA"]
        return ["ALSA", "PULSEAUDIO"] if pulse_may_appear() else ["ALSA"]
    if sys.platform == "darwin":
        return ["COREAUDIO"]
    if sys.platform == "win32":
        return ["WASAPI", "DSOUND", "WINMM"]
    return ["PULSEAUDIO", "ALSA", "SNDIO", "AUDIO4", "OSS"]


# --- miniaudio -------------------------------------------------------------------------


class MiniaudioEngine:
    name = "miniaudio"

    def __init__(self, options: Options) -> None:
        try:
            ma: Any = import_miniaudio()
            backends = ma.Backend
        except ImportError:
            raise Unavailable("the miniaudio package is not installed") from None
        except Exception as exc:  # a broken native library
            raise Unavailable(f"miniaudio cannot load ({exc})") from None
        quiet_alsa()
        names = [n for n in options.backends or default_backends() if hasattr(backends, n)]
        self.ma = ma
        self.wake = options.wake
        self.mixer = Mixer(options.clock, options.on_first, self._idle)
        self.device = self._open_device(ma, names)
        self.backend = str(self.device.backend)
        self.generator = self.mixer.generator()
        next(self.generator)
        self.running = False
        self.idle_pending = threading.Event()

    @staticmethod
    def _open_device(ma: Any, names: Sequence[str]) -> Any:
        """A playback device on the first backend of ``names`` that gives one. Each
        backend is tried on its own: miniaudio given a list settles on the first backend
        whose context opens (ALSA's always does), and would never try the next one."""
        reasons: list[tuple[str, str]] = []
        for name in names:
            try:
                device = ma.PlaybackDevice(
                    output_format=ma.SampleFormat.SIGNED16,
                    nchannels=1,
                    sample_rate=RATE,
                    buffersize_msec=PERIOD_MS,
                    callback_periods=PERIODS,
                    backends=[getattr(ma.Backend, name)],
                    app_name="yogaback",
                )
            except Exception as exc:
                reasons.append((BACKEND_NAMES.get(name, name), _reason(exc)))
                continue
            if str(device.backend).lower() == "null":  # miniaudio's silent stand-in
                device.close()
                reasons.append((BACKEND_NAMES.get(name, name), "only the Null backend"))
                continue
            return device
        if not reasons:
            raise Unavailable("no audio backend to try")
        tried = " or ".join(n for n, _ in reasons)
        if len({r for _, r in reasons}) == 1:
            why = reasons[0][1]
        else:
            why = "; ".join(f"{n}: {r}" for n, r in reasons)
        raise Unavailable(f"no {tried} output device ({why})")

    def _idle(self) -> None:
        self.idle_pending.set()
        self.wake()

    def play(self, sound: Sound, tag: int) -> None:
        self.mixer.incoming.append((tag, sound.data))
        if not self.running:
            self.mixer.idle_sent = False
            self.mixer.silent_frames = 0
            try:
                self.device.start(self.generator)
            except Exception as exc:
                raise Failed(f"miniaudio could not start the device ({exc})") from None
            self.running = True

    def stop(self) -> None:
        self.mixer.incoming.clear()
        self.mixer.clear = True

    def busy(self) -> bool:
        return self.running and (self.mixer.active() or not self.mixer.idle_sent)

    def poll(self) -> float | None:
        if self.idle_pending.is_set():
            self.idle_pending.clear()
            if self.running and not self.mixer.active() and self.mixer.idle_sent:
                self.device.stop()
                self.running = False
        return None

    def close(self) -> None:
        self.running = False
        with contextlib.suppress(Exception):
            self.device.close()


# --- system players ----------------------------------------------------------------------


def _silent_wav(tmpdir: Path) -> Path:
    path = tmpdir / "probe.wav"
    if not path.exists():
        path.write_bytes(wav_bytes(Sound("probe", bytes(2 * round(0.02 * RATE)))))
    return path


class _FileCache:
    def __init__(self, tmpdir: Path | None) -> None:
        self.tmpdir = tmpdir or Path(tempfile.mkdtemp(prefix="yogaback-sound-"))
        self.files: dict[int, Path] = {}

    def path(self, sound: Sound) -> Path:
        key = id(sound.data)
        if key not in self.files:
            path = self.tmpdir / f"{sound.name}-{len(self.files)}.wav"
            path.write_bytes(wav_bytes(sound))
            self.files[key] = path
        return self.files[key]


class CommandEngine:
    """A player program on PATH, one process per sound, killed if it overruns."""

    def __init__(self, argv: Sequence[str], options: Options) -> None:
        self.name = argv[0]
        exe = shutil.which(argv[0])
        if exe is None:
            raise Unavailable(f"{argv[0]} is not on PATH")
        self.argv = [exe, *argv[1:]]
        self.clock = options.clock
        self.on_first = options.on_first
        self.files = _FileCache(options.tmpdir)
        self.procs: list[tuple[subprocess.Popen[bytes], float]] = []
        try:
            probe = limits.run([*self.argv, str(_silent_wav(self.files.tmpdir))], PROBE_TIMEOUT)
        except OSError as exc:
            raise Unavailable(f"{self.name} cannot run ({exc.strerror})") from None
        if probe.returncode is None:
            raise Unavailable(f"{self.name} hung")
        if probe.returncode != 0:
            lines = probe.stderr.decode(errors="replace").strip().splitlines()
            why = lines[-1][:80] if lines else f"exit code {probe.returncode}"
            raise Unavailable(f"{self.name} failed ({why})")

    def play(self, sound: Sound, tag: int) -> None:
        try:
            proc = limits.spawn(
                [*self.argv, str(self.files.path(sound))],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise Failed(f"{self.name} cannot run ({exc.strerror})") from None
        now = self.clock()
        if self.on_first is not None:
            self.on_first(tag, now)
        self.procs.append((proc, now + sound.seconds + OVERRUN))

    def poll(self) -> float | None:
        now = self.clock()
        keep = []
        for proc, deadline in self.procs:
            if limits.ended(proc, 0) or now >= deadline:
                limits.kill(proc)  # with anything it started
                continue
            keep.append((proc, deadline))
        self.procs = keep
        if not keep:
            return None
        return max(0.02, min(0.25, min(d for _, d in keep) - now))

    def busy(self) -> bool:
        return any(not limits.ended(p, 0) for p, _ in self.procs)

    def stop(self) -> None:
        for proc, _ in self.procs:
            limits.kill(proc)
        self.procs = []

    def close(self) -> None:
        self.stop()


class WinsoundEngine:
    """Windows' own ``winsound`` (one sound at a time)."""

    name = "winsound"

    def __init__(self, options: Options) -> None:
        try:
            self.ws: Any = importlib.import_module("winsound")
        except ImportError:
            raise Unavailable("winsound exists only on Windows") from None
        self.on_first = options.on_first
        self.clock = options.clock
        self.files = _FileCache(options.tmpdir)
        try:
            self.ws.PlaySound(str(_silent_wav(self.files.tmpdir)), self._flags(sync=True))
        except RuntimeError as exc:
            raise Unavailable(f"winsound failed ({exc})") from None

    def _flags(self, sync: bool = False) -> int:
        flags = int(self.ws.SND_FILENAME | self.ws.SND_NODEFAULT)
        return flags if sync else flags | int(self.ws.SND_ASYNC)

    def play(self, sound: Sound, tag: int) -> None:
        try:
            self.ws.PlaySound(str(self.files.path(sound)), self._flags())
        except RuntimeError as exc:
            raise Failed(f"winsound failed ({exc})") from None
        if self.on_first is not None:
            self.on_first(tag, self.clock())

    def poll(self) -> float | None:
        return None

    def busy(self) -> bool:
        return False

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.ws.PlaySound(None, int(self.ws.SND_PURGE))

    def close(self) -> None:
        self.stop()


class SimpleaudioEngine:
    """simpleaudio: only when asked for by name (it crashes on some Python versions)."""

    name = "simpleaudio"

    def __init__(self, options: Options) -> None:
        try:
            self.sa: Any = importlib.import_module("simpleaudio")
        except ImportError:
            raise Unavailable("simpleaudio is not installed") from None
        self.on_first = options.on_first
        self.clock = options.clock
        self.playing: list[Any] = []
        try:
            self.sa.play_buffer(bytes(2 * 441), 1, 2, RATE).wait_done()
        except Exception as exc:
            raise Unavailable(f"simpleaudio found no device ({exc})") from None

    def play(self, sound: Sound, tag: int) -> None:
        try:
            self.playing.append(self.sa.play_buffer(sound.data, 1, 2, RATE))
        except Exception as exc:
            raise Failed(f"simpleaudio failed ({exc})") from None
        if self.on_first is not None:
            self.on_first(tag, self.clock())

    def poll(self) -> float | None:
        self.playing = [p for p in self.playing if p.is_playing()]
        return 0.25 if self.playing else None

    def busy(self) -> bool:
        return any(p.is_playing() for p in self.playing)

    def stop(self) -> None:
        for p in self.playing:
            p.stop()
        self.playing = []

    def close(self) -> None:
        self.stop()


class BellEngine:
    """The terminal bell: one ring for a new pose, two for a side switch, three at the end."""

    name = "bell"
    GAP = 0.3

    def __init__(self, options: Options) -> None:
        if options.bell_fd is None or not os.isatty(options.bell_fd):
            raise Unavailable("no terminal for the bell")
        self.fd = options.bell_fd
        self.clock = options.clock
        self.on_first = options.on_first
        self.pending: list[float] = []

    def _ring(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self.fd, b"\a")

    def play(self, sound: Sound, tag: int) -> None:
        if sound.bells <= 0:
            return
        now = self.clock()
        self._ring()
        if self.on_first is not None:
            self.on_first(tag, now)
        self.pending.extend(now + self.GAP * k for k in range(1, sound.bells))

    def poll(self) -> float | None:
        now = self.clock()
        due = [t for t in self.pending if t <= now]
        if due:
            self._ring()
        self.pending = [t for t in self.pending if t > now]
        return max(0.0, min(self.pending) - now) if self.pending else None

    def busy(self) -> bool:
        return bool(self.pending)

    def stop(self) -> None:
        self.pending = []

    def close(self) -> None:
        self.pending = []


class SilentEngine:
    name = "silent"

    def __init__(self, options: Options) -> None:
        pass

    def play(self, sound: Sound, tag: int) -> None:
        pass

    def poll(self) -> float | None:
        return None

    def busy(self) -> bool:
        return False

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


# --- lookup by name, and the chain --------------------------------------------------------


def system_players() -> list[list[str]]:
    if sys.platform == "darwin":
        return [["afplay"]]
    if sys.platform == "win32":
        return []
    return [["pw-play"], ["paplay"], ["aplay", "-q"]]


def system_engine(options: Options) -> Engine:
    """The first system player that works: pw-play, paplay, aplay; afplay; winsound."""
    if sys.platform == "win32":
        return WinsoundEngine(options)
    missing, reasons = [], []
    for argv in system_players():
        if shutil.which(argv[0]) is None:
            missing.append(argv[0])
            continue
        try:
            return CommandEngine(argv, options)
        except Unavailable as exc:
            reasons.append(str(exc))
    if missing:
        names = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
        reasons.append(f"no {names} on PATH")
    raise Unavailable("; ".join(reasons) or "no system player")


Factory = Callable[[Options], Engine]


def _command(argv: Sequence[str]) -> Factory:
    return lambda options: CommandEngine(argv, options)


ENGINES: dict[str, Factory] = {
    "miniaudio": MiniaudioEngine,
    "simpleaudio": SimpleaudioEngine,
    "system": system_engine,
    "pw-play": _command(["pw-play"]),
    "paplay": _command(["paplay"]),
    "aplay": _command(["aplay", "-q"]),
    "afplay": _command(["afplay"]),
    "winsound": WinsoundEngine,
    "bell": BellEngine,
    "silent": SilentEngine,
}
"""Every engine by the name a user can ask for (``auto`` is the default chain)."""


def chain(choice: str = "auto", bell: bool = False) -> list[str]:
    """Engine names to try, in order, for ``--sound-engine choice`` (always ends silent)."""
    auto = ["miniaudio", "system"] + (["bell"] if bell else []) + ["silent"]
    if choice == "auto":
        return auto
    if choice not in ENGINES:
        raise ValueError(f"unknown sound engine {choice!r}; choose auto, {', '.join(ENGINES)}")
    return [choice] + [n for n in auto if n != choice]


def open_with_timeout(factory: Factory, options: Options, timeout: float) -> Engine:
    """Open one engine in a helper thread; give up on it after ``timeout`` seconds. An
    engine that opens after it was given up on is closed again."""
    probe: limits.Probe[Engine] = limits.Probe(
        lambda: factory(options),
        timeout,
        late=lambda engine: engine.close(),
        name="yogaback-sound-probe",
    )

    def unavailable(reason: str) -> Engine:
        if isinstance(probe.error, Unavailable):
            raise probe.error
        raise Unavailable(reason)

    return probe.result(unavailable)


def open_chain(
    names: Sequence[str], options: Options, timeout: float = PROBE_TIMEOUT
) -> tuple[Engine, list[tuple[str, str]]]:
    """The first engine of ``names`` that opens, and why each one before it did not."""
    failures: list[tuple[str, str]] = []
    for name in names:
        try:
            return open_with_timeout(ENGINES[name], options, timeout), failures
        except Unavailable as exc:
            failures.append((name, str(exc)))
    return SilentEngine(options), failures
