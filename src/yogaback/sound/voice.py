"""Spoken cues (``--voice``): an offline engine renders each cue text, sentence by sentence.

One job, over 400 lines: the ``Voice`` (render, cache, calibrate, prepare, fail once);
the engines themselves are in ``speakers`` and the process limits in ``limits``.

The engine is the best one found (``speakers.ORDER``: flite, festival's HTS voice,
espeak-ng, ``say``, SAPI) or the one asked for. Each sentence is rendered once into a
cache folder (``default_cache``, under ``$YOGABACK_HOME`` when it is set), trimmed of
the silence around it and set to ``SPEECH_LUFS``; a cue is its sentences joined by
``SENTENCE_PAUSE`` of silence, so it is said with short breaks. The engine's rate is
measured on what it renders (``calibrate``) and stretched to a calm ``TARGET_WPM``.

``play`` renders every cue before the session starts (``length`` gives each clip's
spoken length to the timeline, so a transition can last as long as its get-ready
text); rendering can also run on its own thread (``prepare``), and a clip not ready
when its cue comes is skipped, never waited for.

The engine runs in a process group of its own (``limits.run``), killed whole when it
overruns, when the voice closes and at exit. If it fails (hangs, exits with an error,
writes no usable WAV), the voice gives up for the session and says so once, in
``failure``; the chimes carry on.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import math
import os
import queue
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from yogaback.sound import limits, speakers
from yogaback.sound.loudness import SPEECH_LUFS, lufs
from yogaback.sound.pcm import RATE, Sound, SoundFileError, load_wav, wav_bytes

RENDER_TIMEOUT = 5.0
"""Seconds an engine may take for one sentence. Sentences are short: flite takes ~0.05 s
and Festival's HTS voice ~0.4 s (its first, loading the voice, ~1.5 s). A hung engine
is given up on after this, and the session goes on without a voice."""
SPEECH_SECONDS = 90.0
"""The longest speech a cue may have: cue *sounds* are kept to ``MAX_SECONDS``, but a
long cue text is still said in full (90 s at 125 words a minute is some 190 words)."""
SENTENCE_PAUSE = 0.4
"""Seconds of silence between the sentences of a cue."""
CACHE_CAP = 256 * 2**20
"""Bytes the voice cache may hold; past it, the least recently used renders go. One
session of upper-back keeps ~110 MB (a cue at 44.1 kHz, and again at the corrected rate
when it came out too fast or slow): a cap below what one routine needs evicts its own
renders as it goes, and every session renders everything again (64 MB did)."""
PEAK = round(32767 * 10 ** (-1 / 20))
"""A clip is never raised above −1 dBFS to reach its loudness."""
QUIET = 200
"""Samples under this (about −44 dBFS) at either end of a sentence are trimmed."""
CALIBRATION = (
    "Lie on your back with your knees bent. Let your arms rest by your sides. Breathe in slowly."
)
"""Measured as a cue is said (sentence by sentence, with pauses) to set the rate."""
WPM_RANGE = (115.0, 135.0)
"""A cue of ``MEASURED_WORDS`` or more that comes out faster or slower is said again at
a corrected rate."""
MEASURED_WORDS = 5


class VoiceUnavailable(Exception):
    """No speech synthesiser here; the message says why."""


def default_cache() -> Path:
    """``$YOGABACK_HOME/cache/voice`` when it is set (like every other folder), else the
    platform's user cache folder."""
    from yogaback.routine.catalog import HOME_ENV, home

    if os.environ.get(HOME_ENV):
        return home() / "cache" / "voice"
    import platformdirs

    return Path(platformdirs.user_cache_dir("yogaback", appauthor=False)) / "voice"


def sentences(text: str) -> list[str]:
    """``text`` split after each full stop, question or exclamation mark."""
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9']+", text))


def cache_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) of the renders in ``folder``."""
    count = size = 0
    try:
        for entry in os.scandir(folder):
            if entry.name.endswith(".wav") and entry.is_file(follow_symlinks=False):
                count += 1
                size += entry.stat(follow_symlinks=False).st_size
    except OSError:
        pass
    return count, size


def prune(folder: Path, cap: int) -> int:
    """Delete the least recently used renders until ``folder`` holds at most ``cap``
    bytes (down to three quarters of it, so this does not run on every render).
    Returns the number deleted."""
    try:
        entries = [
            (e.stat(follow_symlinks=False), e.path)
            for e in os.scandir(folder)
            if e.name.endswith(".wav") and e.is_file(follow_symlinks=False)
        ]
    except OSError:
        return 0
    total = sum(st.st_size for st, _ in entries)
    if total <= cap:
        return 0
    gone = 0
    for st, path in sorted(entries, key=lambda e: e[0].st_mtime):
        if total <= cap * 3 // 4:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total -= st.st_size
        gone += 1
    return gone


def _trim(samples: array.array[int]) -> array.array[int]:
    pad = round(0.03 * RATE)
    loud = [i for i in range(0, len(samples), 64) if abs(samples[i]) > QUIET] or [0]
    first = next(
        (i for i in range(max(0, loud[0] - 64), len(samples)) if abs(samples[i]) > QUIET), 0
    )
    last = next(
        (i for i in range(min(len(samples) - 1, loud[-1] + 64), -1, -1) if abs(samples[i]) > QUIET),
        len(samples) - 1,
    )
    return samples[max(0, first - pad) : last + pad + 1]


def _normalised(samples: array.array[int]) -> array.array[int]:
    """``samples`` at ``SPEECH_LUFS``, or as close as a −1 dBFS peak allows."""
    level = lufs(samples, RATE)
    top = max(map(abs, samples), default=0)
    if not math.isfinite(level) or top == 0:
        return samples
    gain = min(10 ** ((SPEECH_LUFS - level) / 20), PEAK / top)
    return array.array("h", (max(-32768, min(32767, round(v * gain))) for v in samples))


class Voice:
    """Renders text to a ``Sound`` with a speech engine, through a cache on disk and in
    memory."""

    def __init__(
        self,
        *,
        engine: str = "auto",
        name: str | None = None,
        gain: float = 1.0,
        cache: Path | None = None,
        timeout: float = RENDER_TIMEOUT,
        cap: int = CACHE_CAP,
        wpm: float = speakers.TARGET_WPM,
    ) -> None:
        speaker, reasons = speakers.choose(engine, name)
        if speaker is None:
            if engine == "auto":
                raise VoiceUnavailable(
                    "no speech engine is installed (flite, festival or espeak-ng)"
                )
            raise VoiceUnavailable(reasons[-1])
        self.speaker = speaker
        self.exe = speaker.exe
        self.engine = speaker.name
        self.name = speaker.voice
        self.target = wpm
        self.slowness = speaker.slowness
        self.wpm: float | None = None
        """Words a minute measured on the calibration sentence (after ``calibrate``)."""
        self.timeout = timeout
        self.gain = gain
        self.cap = cap
        self.cache = cache or default_cache()
        self.clips: dict[str, Sound] = {}
        self._lock = threading.Lock()
        self._render_lock = threading.Lock()
        self._todo: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()
        self._calibrated = False
        self._written = 0
        self.errors: list[str] = []
        """What went wrong with single texts (a cue too long to say)."""
        self.failure: str | None = None
        """Why the voice gave up for this session, once, in plain words."""
        self.first = threading.Event()
        """Set once the first text queued is rendered, or the voice has failed."""
        self._proc: subprocess.Popen[bytes] | None = None

    # --- the rate ---------------------------------------------------------------------

    def _calibration_file(self) -> Path:
        key = hashlib.sha256(f"{self.engine}|{self.exe}|{self.name}".encode()).hexdigest()
        return self.cache / f"rate-{key[:16]}.json"

    def calibrate(self) -> None:
        """Measure the engine's rate on a sample sentence and set ``slowness`` so that it
        speaks at ``target`` words a minute (kept in the cache for next time)."""
        if self._calibrated:
            return
        self._calibrated = True
        path = self._calibration_file()
        try:
            saved = json.loads(path.read_text())
            self.slowness, self.wpm = float(saved["slowness"]), float(saved["wpm"])
            if 0.3 < self.slowness < 5 and self.wpm > 0:
                return
        except (OSError, ValueError, KeyError, TypeError):
            pass
        self.slowness = self.speaker.slowness
        for _ in range(3):  # rates are not quite proportional: close in a few steps
            said = [self._sentence(s, keep=False) for s in sentences(CALIBRATION)]
            seconds = sum(len(c) for c in said) / RATE + SENTENCE_PAUSE * (len(said) - 1)
            self.wpm = words(CALIBRATION) / seconds * 60
            if abs(self.wpm / self.target - 1) < 0.03:
                break
            self.slowness *= self.wpm / self.target
        with_wpm = {"slowness": round(self.slowness, 4), "wpm": round(self.wpm or 0, 1)}
        with contextlib.suppress(OSError):
            path.write_text(json.dumps(with_wpm))

    # --- rendering --------------------------------------------------------------------

    def path(self, sentence: str, slowness: float | None = None) -> Path:
        slowness = self.slowness if slowness is None else slowness
        key = f"{self.engine}|{self.exe}|{self.name}|{slowness:.4f}|{sentence}"
        return self.cache / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.wav"

    def ready(self, text: str) -> Sound | None:
        """The clip for ``text`` if it has been rendered; never blocks on rendering."""
        return self.clips.get(text)

    def length(self, text: str) -> float:
        """Seconds ``text`` takes to say (rendering it now if needed); 0 if it cannot be
        said (too long, or the voice has failed)."""
        if not text.strip() or self.failure is not None:
            return 0.0
        try:
            return self.render(text).seconds
        except SoundFileError as exc:
            self.errors.append(str(exc))
        except (VoiceUnavailable, OSError) as exc:
            self._fail(exc)
        return 0.0

    def render(self, text: str) -> Sound:
        """The clip for ``text``, rendering it now if needed (call off the timing thread)."""
        clip = self.clips.get(text)
        if clip is not None:
            return clip
        with self._render_lock:
            self.calibrate()
            out = self._join(text, self.slowness)
            count = words(text)
            wpm = count / (len(out) / RATE) * 60 if out else 0.0
            if count >= MEASURED_WORDS and not WPM_RANGE[0] <= wpm <= WPM_RANGE[1]:
                # short sentences come out faster, long ones slower: this cue once more, at
                # the rate that brings it to the target
                out = self._join(text, self.slowness * wpm / self.target)
        clip = Sound("speech", out.tobytes()).scaled(self.gain)
        _ = clip.data  # scaled now, while cues are prepared, not when it is to be heard
        with self._lock:
            self.clips[text] = clip
        return clip

    def _join(self, text: str, slowness: float) -> array.array[int]:
        """``text``'s sentences at ``slowness``, ``SENTENCE_PAUSE`` apart."""
        out = array.array("h")
        pause = array.array("h", bytes(2 * round(SENTENCE_PAUSE * RATE)))
        for n, sentence in enumerate(sentences(text)):
            if n:
                out.extend(pause)
            out.extend(self._sentence(sentence, slowness=slowness))
            if len(out) > SPEECH_SECONDS * RATE:
                raise SoundFileError(
                    f"voice: a cue is too long to say (over {SPEECH_SECONDS:g} s of "
                    f"speech), so it is shown but not spoken: {text[:40]}…"
                )
        return out

    def _sentence(
        self, sentence: str, keep: bool = True, slowness: float | None = None
    ) -> array.array[int]:
        """One sentence, trimmed and at speech loudness: from the cache, or rendered."""
        slowness = self.slowness if slowness is None else slowness
        path = self.path(sentence, slowness)
        if path.is_file():
            try:
                samples = load_wav(path, "speech", most=SPEECH_SECONDS).samples()
            except SoundFileError:
                path.unlink(missing_ok=True)  # a damaged cache entry: render it again
            else:
                with contextlib.suppress(OSError):
                    os.utime(path)  # recently used: pruned last
                return samples
        raw = self._render_to(sentence, slowness)
        samples = _normalised(_trim(raw))
        if keep:
            self._store(path, samples)
        return samples

    def _store(self, path: Path, samples: array.array[int]) -> None:
        fd, tmp = tempfile.mkstemp(suffix=".part", dir=self.cache)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(wav_bytes(Sound("speech", samples.tobytes())))
            os.replace(tmp, path)
        except OSError:
            return  # a full disk: speak it anyway, uncached
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self._written += 1
        if self._written % 25 == 1:
            prune(self.cache, self.cap)

    def _render_to(self, sentence: str, slowness: float) -> array.array[int]:
        """Run the engine for ``sentence``; its samples at ``RATE``. VoiceUnavailable if it
        fails, saying how in a few words."""
        if self._closing.is_set():
            raise VoiceUnavailable(f"{self.engine} was stopped")
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix="render-", dir=self.cache))
        except OSError as exc:
            raise VoiceUnavailable(
                f"cannot write its cache {self.cache} ({exc.strerror or exc})"
            ) from None
        wav, txt = work / "out.wav", work / "text.txt"
        try:
            if self.speaker.text_file:
                txt.write_text(sentence + "\n", encoding="utf-8")
            argv = self.speaker.argv(self.speaker, sentence, txt, wav, slowness)
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
            try:
                return load_wav(wav, "speech", most=SPEECH_SECONDS).samples()
            except SoundFileError as exc:
                if exc.too_long:
                    raise SoundFileError(
                        f"voice: a cue is too long to say (over {SPEECH_SECONDS:g} s of "
                        f"speech), so it is shown but not spoken: {sentence[:40]}…"
                    ) from None
                raise VoiceUnavailable(f"{self.engine} wrote no usable speech") from None
        except OSError as exc:
            raise VoiceUnavailable(f"{self.engine} cannot run ({exc.strerror or exc})") from None
        finally:
            self._proc = None
            for f in (wav, txt):
                f.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                work.rmdir()

    def _started(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc
        if self._closing.is_set():  # closed while it was starting
            limits.kill(proc)

    def _fail(self, exc: BaseException) -> None:
        if not self._closing.is_set() and self.failure is None:
            self.failure = f"voice: {exc}; the session goes on without spoken cues"

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
                self._fail(exc)
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
