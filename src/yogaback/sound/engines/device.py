"""miniaudio: a real output device (PulseAudio or ALSA on Linux, Core Audio, WASAPI), with
the mixer running in its audio thread."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from yogaback.sound.alsa import quiet_alsa
from yogaback.sound.engines.base import Failed, Options, Unavailable
from yogaback.sound.mixer import Mixer
from yogaback.sound.pcm import RATE, Sound, import_miniaudio

PERIOD_MS = 10
"""miniaudio period: the granularity at which a new sound can join a running device."""
PERIODS = 4


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
