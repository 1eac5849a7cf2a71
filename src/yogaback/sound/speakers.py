"""The offline speech engines ``--voice`` can speak with, best first, each found by name.

Each engine is a program run once per sentence (under ``limits.run``) that writes a WAV
file. ``slowness`` stretches its speech: 1 is the engine's own rate, 1.5 takes half as
long again. The engines differ a lot in how fast they speak, so ``Voice`` measures the
rate of what it renders and sets ``slowness`` to reach a calm ``TARGET_WPM``.

- ``flite`` (voice ``slt``): small, fast (~55 ms for a 15-word cue), a natural voice;
- ``festival`` with the HTS ``cmu_us_slt_arctic_hts`` voice (``text2wave``): smoother,
  slower to render (~0.4 s);
- ``espeak-ng``: everywhere, but robotic;
- ``say`` on macOS and SAPI (through PowerShell) on Windows: untested here, kept small.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TARGET_WPM = 125.0
"""Words a minute a cue is spoken at, measured on the rendered audio (a calm class
speaks at about 110–130)."""

FESTIVAL_VOICE = "cmu_us_slt_arctic_hts"
FESTIVAL_DIRS = (
    Path("/usr/share/festival/voices"),
    Path("/usr/local/share/festival/voices"),
    Path("/opt/homebrew/share/festival/voices"),
)


@dataclass(frozen=True)
class Speaker:
    """One speech engine found on this machine."""

    name: str
    exe: str
    voice: str
    slowness: float
    """A first guess at the slowness that gives ``TARGET_WPM`` (measured and corrected)."""
    argv: Callable[[Speaker, str, Path, Path, float], list[str]]
    """``argv(speaker, text, text_file, wav_out, slowness)``: the command line."""
    text_file: bool = False
    """The text goes in a file (``text_file``) rather than on the command line."""


def _flite(s: Speaker, text: str, _txt: Path, out: Path, slowness: float) -> list[str]:
    return [
        s.exe,
        "-voice",
        s.voice,
        "--setf",
        f"duration_stretch={slowness:.3f}",
        "-t",
        text,
        "-o",
        str(out),
    ]


def _festival(s: Speaker, _text: str, txt: Path, out: Path, slowness: float) -> list[str]:
    # HTS voices ignore Duration_Stretch; their engine takes a speed ("-r") instead.
    setup = (
        f"(begin (voice_{s.voice}) (set! hts_engine_params (append hts_engine_params "
        f'(list (list "-r" {1 / slowness:.3f})))))'
    )
    return [s.exe, "-eval", setup, str(txt), "-o", str(out)]


def _espeak(s: Speaker, text: str, _txt: Path, out: Path, slowness: float) -> list[str]:
    return [s.exe, "-v", s.voice, "-s", str(round(175 / slowness)), "-w", str(out), "--", text]


def _say(s: Speaker, _text: str, txt: Path, out: Path, slowness: float) -> list[str]:
    argv = [s.exe, "-r", str(round(175 / slowness)), "-f", str(txt), "-o", str(out)]
    argv += ["--file-format=WAVE", "--data-format=LEI16@22050"]
    return argv + (["-v", s.voice] if s.voice else [])


def _sapi(s: Speaker, _text: str, txt: Path, out: Path, slowness: float) -> list[str]:
    rate = max(-10, min(10, round(10 * (1 - slowness))))
    script = (
        "Add-Type -AssemblyName System.Speech; "
        "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
        f"$s.Rate = {rate}; $s.SetOutputToWaveFile('{out}'); "
        f"$s.Speak([IO.File]::ReadAllText('{txt}')); $s.Dispose()"
    )
    return [s.exe, "-NoProfile", "-NonInteractive", "-Command", script]


def _festival_voice() -> bool:
    return any((d / "us" / FESTIVAL_VOICE).is_dir() for d in FESTIVAL_DIRS)


def find(name: str, voice: str | None = None) -> Speaker | str:
    """The engine ``name`` on this machine, or why it is not here (a few words)."""
    if name == "flite":
        exe = shutil.which("flite")
        if exe is None:
            return "flite is not installed"
        return Speaker("flite", exe, voice or "slt", 1.9, _flite)
    if name == "festival":
        exe = shutil.which("text2wave")
        if exe is None:
            return "festival is not installed"
        if voice is None and not _festival_voice():
            return f"festival's {FESTIVAL_VOICE} voice is not installed (festvox-us-slt-hts)"
        return Speaker("festival", exe, voice or FESTIVAL_VOICE, 1.6, _festival, text_file=True)
    if name == "espeak-ng":
        exe = shutil.which("espeak-ng") or shutil.which("espeak")
        if exe is None:
            return "espeak-ng is not installed"
        return Speaker("espeak-ng", exe, voice or "en", 1.45, _espeak)
    if name == "say":
        exe = shutil.which("say") if sys.platform == "darwin" else None
        if exe is None:
            return "macOS only"
        return Speaker("say", exe, voice or "", 1.3, _say, text_file=True)
    if name == "sapi":
        exe = shutil.which("powershell") if sys.platform == "win32" else None
        if exe is None:
            return "Windows only"
        return Speaker("sapi", exe, voice or "", 1.2, _sapi, text_file=True)
    raise ValueError(f"unknown voice engine {name!r}; choose auto, {', '.join(ORDER)}")


ORDER = ("flite", "festival", "espeak-ng", "say", "sapi")
"""Every engine, best first: ``auto`` takes the first one found."""


def choose(name: str = "auto", voice: str | None = None) -> tuple[Speaker | None, list[str]]:
    """The engine to speak with for ``--voice-engine name``, and why each one tried before
    it was not there. ValueError for an unknown name."""
    names = ORDER if name == "auto" else (name,)
    reasons: list[str] = []
    for n in names:
        found = find(n, voice)
        if isinstance(found, Speaker):
            return found, reasons
        reasons.append(found)
    return None, reasons
