"""The typed report of ``yogaback doctor``: one dataclass per section, each written to
``--json`` as before the report was typed (optional keys only where they hold something)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Json = dict[str, Any]


def _json(report: Any, *optional: str) -> Json:
    """A report as JSON; the ``optional`` keys only where they hold something."""
    data: Json = asdict(report)
    for key in optional:
        if data.get(key) is None:
            data.pop(key, None)
    return data


@dataclass
class EngineProbe:
    """One engine of the sound chain, opened for real and closed again."""

    name: str
    status: str = "unavailable"
    reason: str | None = None
    detail: str | None = None
    seconds: float | None = None
    in_default_chain: bool = True
    used: bool = False


@dataclass
class SoundReport:
    chain: list[EngineProbe] = field(default_factory=list)
    engine: str | None = None
    """The engine ``play`` would use."""
    error: str | None = None

    def to_json(self) -> Json:
        return _json(self, "error")


@dataclass
class DevicesReport:
    status: str
    backend: str | None = None
    playback: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class SpeechEngine:
    name: str
    found: bool = False
    path: str | None = None
    version: str | None = None
    reason: str | None = None
    applies: bool = True
    """Whether it could exist on this platform at all."""


@dataclass
class SpeechReport:
    engines: list[SpeechEngine] = field(default_factory=list)
    used: str | None = None
    note: str = "--voice speaks with the first engine found"


@dataclass
class TerminalReport:
    stdout_isatty: bool = False
    stdin_isatty: bool = False
    stderr_isatty: bool = False
    columns: int = 0
    lines: int = 0
    term: str | None = None
    colorterm: str | None = None
    color_system: str | None = None
    no_color: bool = False
    encoding: str = "none"
    unicode: bool = False
    error: str | None = None

    def to_json(self) -> Json:
        return {"error": self.error} if self.error else _json(self, "error")


@dataclass
class Place:
    """A folder or file of yogaback's: where, whether it is there and can be written."""

    path: str | None
    kind: str
    exists: bool = False
    writable: bool = False
    error: str | None = None
    env: str | None = None
    """(home) The environment variable that set it."""
    problem: str | None = None
    """(config) The first problem of the config file."""
    files: int | None = None
    """(voice_cache) Spoken cues kept, their total size, and the size the cache is held to."""
    bytes: int | None = None
    cap: int | None = None


@dataclass
class FoldersReport:
    places: dict[str, Place] = field(default_factory=dict)
    error: str | None = None

    def to_json(self) -> Json:
        if self.error:
            return {"error": self.error}
        out: Json = {}
        for key, place in self.places.items():
            optional = [
                k
                for k, only in (
                    ("env", "home"),
                    ("problem", "config"),
                    ("files", "voice_cache"),
                    ("bytes", "voice_cache"),
                    ("cap", "voice_cache"),
                )
                if key != only
            ]
            out[key] = _json(place, *optional)
        return out


@dataclass
class EventSound:
    file: str | None
    source: str
    """``yogaback`` or ``config file FILE:LINE:COL``."""
    status: str
    problem: str | None = None

    def to_json(self) -> Json:
        return {
            "file": self.file,
            "from": self.source,
            "status": self.status,
            "problem": self.problem,
        }


@dataclass
class SoundsReport:
    events: dict[str, EventSound] = field(default_factory=dict)
    error: str | None = None

    def to_json(self) -> Json:
        if self.error:
            return {"error": self.error}
        return {event: sound.to_json() for event, sound in self.events.items()}


@dataclass
class Report:
    version: str
    python: str
    platform: str
    sound: SoundReport
    devices: DevicesReport
    speech: SpeechReport
    terminal: TerminalReport
    folders: FoldersReport
    sounds: SoundsReport

    def to_json(self) -> Json:
        return {
            "yogaback": {"version": self.version, "python": self.python, "platform": self.platform},
            "sound": self.sound.to_json(),
            "devices": asdict(self.devices),
            "speech": asdict(self.speech),
            "terminal": self.terminal.to_json(),
            "folders": self.folders.to_json(),
            "sounds": self.sounds.to_json(),
        }
