"""Spoken cues (``--voice``): espeak-ng renders each cue text once, ahead of time.

Rendering happens on its own thread, in timeline order, into a cache folder
(one WAV per voice, rate and text), so a cue's speech is ready before the cue
comes and the audio worker only ever plays finished clips. A clip that is not
ready when its cue comes is skipped, never waited for.
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

from yogaback.sound.pcm import Sound, SoundFileError, load_wav

RENDER_TIMEOUT = 10.0
"""Seconds espeak-ng may take for one phrase."""


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
    ) -> None:
        exe = shutil.which("espeak-ng") or shutil.which("espeak")
        if exe is None:
            raise VoiceUnavailable("espeak-ng is not installed")
        self.exe = exe
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
        if not path.is_file():
            self.cache.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(suffix=".wav", dir=self.cache)
            os.close(fd)
            try:
                result = subprocess.run(
                    [self.exe, "-v", self.name, "-s", str(self.wpm), "-w", tmp, "--", text],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    timeout=RENDER_TIMEOUT,
                    check=False,
                )
                if result.returncode != 0:
                    why = result.stderr.decode(errors="replace").strip().splitlines()
                    raise VoiceUnavailable(
                        f"espeak-ng failed ({why[-1] if why else result.returncode})"
                    )
                os.replace(tmp, path)
            except subprocess.TimeoutExpired:
                raise VoiceUnavailable("espeak-ng took too long") from None
            except OSError as exc:
                raise VoiceUnavailable(f"espeak-ng cannot run ({exc.strerror})") from None
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        try:
            clip = load_wav(path, "speech").scaled(self.gain)
        except SoundFileError:
            path.unlink(missing_ok=True)  # a damaged cache entry: render again next time
            raise
        with self._lock:
            self.clips[text] = clip
        return clip

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
            except (VoiceUnavailable, SoundFileError, OSError) as exc:
                self.errors.append(str(exc))

    def close(self) -> None:
        """Stop rendering (the phrase being rendered finishes; the rest is left)."""
        self._closing.set()
        self._todo.put(None)
