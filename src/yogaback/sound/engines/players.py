"""Player programs on PATH (pw-play, paplay, aplay; afplay), one process per sound."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from yogaback.sound import limits
from yogaback.sound.engines.base import (
    OVERRUN,
    PROBE_TIMEOUT,
    Engine,
    Factory,
    Failed,
    Options,
    Unavailable,
)
from yogaback.sound.pcm import RATE, Sound, wav_bytes


def silent_wav(tmpdir: Path) -> Path:
    path = tmpdir / "probe.wav"
    if not path.exists():
        path.write_bytes(wav_bytes(Sound("probe", bytes(2 * round(0.02 * RATE)))))
    return path


class FileCache:
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
        self.files = FileCache(options.tmpdir)
        self.procs: list[tuple[subprocess.Popen[bytes], float]] = []
        try:
            probe = limits.run([*self.argv, str(silent_wav(self.files.tmpdir))], PROBE_TIMEOUT)
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


def system_players() -> list[list[str]]:
    if sys.platform == "darwin":
        return [["afplay"]]
    if sys.platform == "win32":
        return []
    return [["pw-play"], ["paplay"], ["aplay", "-q"]]


def system_engine(options: Options) -> Engine:
    """The first system player that works: pw-play, paplay, aplay; afplay; winsound."""
    if sys.platform == "win32":
        from yogaback.sound.engines.windows import WinsoundEngine

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


def command(argv: Sequence[str]) -> Factory:
    return lambda options: CommandEngine(argv, options)
