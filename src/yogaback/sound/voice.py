"""Spoken cues (``--voice``): espeak-ng renders each cue text once, ahead of time.

Rendering happens on its own thread, in timeline order, into a cache folder
(one WAV per voice, rate and text), so a cue's speech is ready before the cue
comes and the audio worker only ever plays finished clips. A clip that is not
ready when its cue comes is skipped, never waited for.

espeak-ng runs in a process group of its own (``limits.run``), killed whole when it
overruns, when the voice closes and at exit. If it fails (hangs, exits with an error,
writes no usable WAV), the voice gives up for the session and says so once, in
``failure``; the chimes carry on.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from yogaback.sound import limits
from yogaback.sound.pcm import Sound, SoundFileError, load_wav

RENDER_TIMEOUT = 10.0
"""Seconds espeak-ng may take for one phrase."""
SPEECH_SECONDS = 90.0
"""The longest speech a cue may have: cue *sounds* are kept to ``MAX_SECONDS``, but a
long cue text is still said in full (90 s at 150 words a minute is some 225 words)."""


class VoiceUnavailable(Exception):
    """No speech synthesiser here; the message says why."""


def default_cache() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("yogaback")) / "voice"


class Voice:
    """Renders text to a ``Sound`` with espeak-ng, through a cache on disk and in memory."""

    def __init__(
        self,
        *,
        name: str = "en",
        wpm: int = 150,
        gain: float = 1.0,
        cache: Path | None = None,
        timeout: float = RENDER_TIMEOUT,
    ) -> None:
        exe = shutil.which("espeak-ng") or shutil.which("espeak")
        if exe is None:
            raise VoiceUnavailable("espeak-ng is not installed")
        self.exe = exe
        self.engine = Path(exe).name
        self.timeout = timeout
        self.name = name
        self.wpm = wpm
        self.gain = gain
        self.cache = cache or default_cache()
        self.clips: dict[str, Sound] = {}
        self._lock = threading.Lock()
        self._todo: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()
        self.errors: list[str] = []
        """What went wrong with single texts (a cue too long to say)."""
        self.failure: str | None = None
        """Why the voice gave up for this session, once, in plain words."""
        self.first = threading.Event()
        """Set once the first text queued is rendered, or the voice has failed."""
        self._proc: subprocess.Popen[bytes] | None = None

    def path(self, text: str) -> Path:
        key = hashlib.sha256(f"{self.exe}|{self.name}|{self.wpm}|{text}".encode()).hexdigest()
        return self.cache / f"{key[:32]}.wav"

    def ready(self, text: str) -> Sound | None:
        """The clip for ``text`` if it has been rendered; never blocks on rendering."""
        return self.clips.get(text)

    def render(self, text: str) -> Sound:
        """The clip for ``text``, rendering it now if needed (call off the timing thread)."""
        clip = self.clips.get(text)
        if clip is not None:
            return clip
        path = self.path(text)
        fresh = not path.is_file()
        if fresh:
            self._render_to(path, text)
        try:
            clip = load_wav(path, "speech", most=SPEECH_SECONDS).scaled(self.gain)
        except SoundFileError as exc:
            path.unlink(missing_ok=True)  # a damaged cache entry: render again next time
            if not fresh:
                raise
            if exc.too_long:  # this text, not the engine
                raise SoundFileError(
                    f"voice: a cue is too long to say (over {SPEECH_SECONDS:g} s of speech), "
                    f"so it is shown but not spoken: {text[:40]}…"
                ) from None
            raise VoiceUnavailable(f"{self.engine} wrote no usable speech") from None
        with self._lock:
            self.clips[text] = clip
        return clip

    def _render_to(self, path: Path, text: str) -> None:
        """Run espeak-ng for ``text`` and keep its WAV at ``path``; VoiceUnavailable if it
        fails, saying how in a few words."""
        if self._closing.is_set():
            raise VoiceUnavailable(f"{self.engine} was stopped")
        self.cache.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".wav", dir=self.cache)
        os.close(fd)
        argv = [self.exe, "-v", self.name, "-s", str(self.wpm), "-w", tmp, "--", text]
        try:
            result = limits.run(argv, self.timeout, started=self._started)
            if self._closing.is_set():
                raise VoiceUnavailable(f"{self.engine} was stopped")
            if result.returncode is None:
                raise VoiceUnavailable(f"{self.engine} gave no answer within {self.timeout:g} s")
            if result.returncode != 0:
                lines = result.stderr.decode(errors="replace").strip().splitlines()
                last = (
                    "".join(c if c.isprintable() else "?" for c in lines[-1][:80]) if lines else ""
                )
                raise VoiceUnavailable(
                    f"{self.engine} failed ({last or f'exit code {result.returncode}'})"
                )
            os.replace(tmp, path)
        except OSError as exc:
            raise VoiceUnavailable(f"{self.engine} cannot run ({exc.strerror or exc})") from None
        finally:
            self._proc = None
            if os.path.exists(tmp):
                os.unlink(tmp)

    def _started(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc
        if self._closing.is_set():  # closed while it was starting
            limits.kill(proc)

    def prepare(self, texts: Iterable[str]) -> None:
        """Render these texts in the background, in order (duplicates once)."""
        for text in dict.fromkeys(t for t in texts if t.strip()):
            self._todo.put(text)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="yogaback-voice", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._closing.is_set():
            text = self._todo.get()
            if text is None:
                return
            try:
                self.render(text)
            except SoundFileError as exc:  # this text only (too long to say)
                self.errors.append(str(exc))
            except (VoiceUnavailable, OSError) as exc:
                if not self._closing.is_set():
                    self.failure = f"voice: {exc}; the session goes on without spoken cues"
                self.first.set()
                return  # one failure is enough: no new process per cue
            self.first.set()

    def close(self) -> None:
        """Stop rendering: what is being rendered is killed (with anything it started),
        and the rest is left."""
        self._closing.set()
        self._todo.put(None)
        proc = self._proc
        if proc is not None:
            limits.kill(proc)
