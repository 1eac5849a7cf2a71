"""Sounds as plain PCM: mono, signed 16-bit, one rate. Loading, checking, scaling.

Only the standard library is needed here; miniaudio is used, when present, to
read WAV variants the ``wave`` module cannot (float samples, extensible headers).
One job, just over 400 lines: a sound's samples, from a file to what the engines play.
"""

from __future__ import annotations

import array
import functools
import importlib
import sys
import threading
import wave
from collections.abc import Iterable
from pathlib import Path
from typing import Any

RATE = 44100
"""Samples per second of every sound the engines play (and of the device)."""
SCALE_SLICE = 4096
"""Samples scaled at a time (about 0.3 ms of work)."""
MAX_SECONDS = 15.0
"""A sound file longer than this is refused: cues must be short."""


_import_lock = threading.Lock()


def import_miniaudio() -> Any:
    """The miniaudio module (ImportError if it is not installed), imported without numpy.

    miniaudio imports numpy when it can, only to accept numpy arrays, which yogaback
    never passes; numpy and its BLAS threads cost some 12 MB of memory. While miniaudio
    loads, ``numpy`` is marked missing in ``sys.modules`` (unless numpy is already
    loaded, when it costs nothing more), then the mark is taken away again.

    Safe from any thread: a module is in ``sys.modules`` while it is still loading, so
    only a finished one is returned without the lock; otherwise ``import_module`` (under
    the lock) waits for the thread that is loading it."""
    module = sys.modules.get("miniaudio")
    if module is not None and not getattr(getattr(module, "__spec__", None), "_initializing", 0):
        return module
    with _import_lock:
        block = "numpy" not in sys.modules
        if block:
            sys.modules["numpy"] = None  # type: ignore[assignment]  # import numpy fails
        try:
            return importlib.import_module("miniaudio")
        finally:
            if block and "numpy" in sys.modules and sys.modules["numpy"] is None:
                del sys.modules["numpy"]


class SoundFileError(Exception):
    """A sound file that is missing, unreadable or not a usable WAV file."""

    def __init__(self, message: str, *, missing: bool = False, too_long: bool = False) -> None:
        super().__init__(message)
        self.missing = missing
        """True when there is no file at that path at all."""
        self.too_long = too_long
        """True when it is a good sound, only longer than allowed."""


class Sound:
    """A mono sound: native-endian signed 16-bit samples at ``RATE``.

    Made from samples and a ``gain``; the multiplication is done the first time ``data``
    is asked for, not when the sound is made. Scaling the shipped sounds takes about
    0.15 s of pure Python (1.3 million samples), which every ``play`` used to pay before
    its first screen, even with an engine that never plays a sample (``silent``). A
    session warms its sounds on a background thread instead (``warm``); once scaled,
    the unscaled samples are let go, so a sound is held once."""

    __slots__ = ("_data", "_frames", "_source", "bells", "gain", "name")

    def __init__(self, name: str, data: bytes, bells: int = 0, gain: float = 1.0) -> None:
        self.name = name
        self.bells = bells
        """How many terminal bells stand in for this sound when there is no audio device."""
        self.gain = gain
        self._frames = len(data) // 2
        self._source: bytes | None = None if gain == 1.0 else data
        self._data: bytes | None = data if gain == 1.0 else None

    @property
    def data(self) -> bytes:
        """The samples to play: the samples it was made from times ``gain``, clipped."""
        if self._data is None:
            source = self._source  # None: another thread has just finished the work
            if source is not None:
                table = _gain_table(self.gain)
                samples = memoryview(source).cast("h")  # read in place, no copy
                out = array.array("h")
                # In slices: between them other threads get the interpreter (one long map
                # would hold it for the whole sound, and a warming thread would stall the
                # first screen as much as scaling on the main thread did).
                for start in range(0, len(samples), SCALE_SLICE):
                    out.extend(map(table.__getitem__, samples[start : start + SCALE_SLICE]))
                self._data = out.tobytes()
                self._source = None  # after _data is set: a reader sees one or the other
        assert self._data is not None
        return self._data

    @property
    def frames(self) -> int:
        return self._frames

    @property
    def seconds(self) -> float:
        return self.frames / RATE

    def samples(self) -> array.array[int]:
        out = array.array("h")
        out.frombytes(self.data)
        return out

    def scaled(self, gain: float) -> Sound:
        """This sound with every sample multiplied by ``gain`` (clipped), done when its
        samples are first needed."""
        if gain == 1.0:
            return self
        if self._source is not None:  # not scaled yet: one multiplication for both gains
            return Sound(self.name, self._source, self.bells, self.gain * gain)
        return Sound(self.name, self.data, self.bells, gain)

    def __repr__(self) -> str:
        return f"Sound({self.name!r}, {self.seconds:.2f} s, gain {self.gain:g})"

    def __eq__(self, other: object) -> bool:
        """The same name, bells and samples as played (however the gain got there)."""
        if not isinstance(other, Sound):
            return NotImplemented
        return (self.name, self.bells, self.data) == (other.name, other.bells, other.data)

    def __hash__(self) -> int:
        return hash((self.name, self.bells, self._frames))


def warm(sounds: Iterable[Sound]) -> threading.Thread:
    """Work out each sound's samples on a background thread, so none is computed at the
    moment it should be heard; returns the (daemon) thread."""

    def run() -> None:
        for sound in sounds:
            _ = sound.data

    thread = threading.Thread(target=run, name="yogaback-warm", daemon=True)
    thread.start()
    return thread


@functools.lru_cache(maxsize=4)
def _gain_table(gain: float) -> array.array[int]:
    """Every 16-bit sample value times ``gain``, clipped; indexed by the sample itself
    (negative samples index from the end). Mapping through it is far faster than
    multiplying sample by sample in Python. An ``array`` holds it in 128 KB, where a
    list of 65,536 int objects took about 2.5 MB."""

    def scale(v: int) -> int:
        return max(-32768, min(32767, round(v * gain)))

    table = array.array("h", map(scale, range(32768)))
    table.extend(map(scale, range(-32768, 0)))
    return table


def volume_gain(volume: int) -> float:
    """``--volume`` 0–100 to an amplitude factor. Squared, so that each step sounds about
    equally large (50 is a quarter of the amplitude, about −12 dB)."""
    v = max(0, min(100, volume)) / 100.0
    return v * v


def _to_mono16(raw: bytes, width: int, channels: int) -> array.array[int]:
    """Interleaved little-endian PCM of ``width`` bytes to mono native 16-bit."""
    return downmix(_to16(raw, width), channels)


def _to16(raw: bytes, width: int) -> array.array[int]:
    """Little-endian PCM of ``width`` bytes to native 16-bit, still interleaved.

    Samples are narrowed by moving bytes (keeping each sample's top 16 bits, the same
    as shifting it right), never through a list of Python ints: a 15 s file would make
    millions of them for a moment, and the interpreter keeps such memory afterwards."""
    if width not in (1, 2, 3, 4):
        raise SoundFileError(f"{width * 8}-bit samples are not supported")
    n = len(raw) // width
    if width == 2:
        little = raw[: 2 * n]
    else:
        buf = bytearray(2 * n)
        if width == 1:  # unsigned 8-bit: (b - 128) << 8 is the byte b ^ 0x80 on top
            buf[1::2] = raw[:n].translate(_FLIP_SIGN)
        else:
            buf[0::2] = raw[width - 2 : width * n : width]
            buf[1::2] = raw[width - 1 : width * n : width]
        little = bytes(buf)
    samples = array.array("h")
    samples.frombytes(little)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


_FLIP_SIGN = bytes(b ^ 0x80 for b in range(256))


def downmix(samples: array.array[int], channels: int) -> array.array[int]:
    """Interleaved samples of ``channels`` channels to mono: each frame's mean, rounded
    down (an incomplete last frame is dropped)."""
    if channels <= 1:
        return samples
    n = len(samples) // channels
    lanes = [samples[k : n * channels : channels] for k in range(channels)]
    if channels == 2:
        return array.array("h", map(_mean2, *lanes))
    return array.array("h", map(lambda *frame: sum(frame) // channels, *lanes))


def _mean2(a: int, b: int) -> int:
    return (a + b) >> 1


def to_device(samples: array.array[int], channels: int, rate: int) -> array.array[int]:
    """Interleaved 16-bit samples to mono at ``RATE``: one pass of miniaudio's converter
    (C; channels averaged, then resampled) when it is installed, else ``downmix`` and
    ``resample`` in Python.

    Measured loading a 14.9 s 44.1 kHz stereo file (CPython 3.11): 1040 ms with the
    Python downmix, 4 ms with this (miniaudio's own ``decode_file``: 2 ms, 1.3 MiB at peak
    against 8 MiB). So miniaudio does the converting, but the reading stays ours (``wave``
    first, miniaudio for the variants it cannot read), because it enforces what
    ``decode_file`` lets pass: a file cut short is decoded as far as it goes, silently
    (a file cut in half played as 7.4 s of 14.9), and a file over ``MAX_SECONDS`` or
    ``MAX_BYTES`` is refused before its samples are read."""
    if channels <= 1 or not samples:
        return resample(samples, rate)
    try:
        ma: Any = import_miniaudio()
        fmt = ma.SampleFormat.SIGNED16
        converted = ma.convert_frames(fmt, channels, rate, samples.tobytes(), fmt, 1, RATE)
    except Exception:
        return resample(downmix(samples, channels), rate)
    out = array.array("h")
    out.frombytes(bytes(converted))
    return out


def resample(samples: array.array[int], rate: int, to: int = RATE) -> array.array[int]:
    """Resample mono 16-bit samples: with miniaudio's converter when it is installed (fast,
    and it lets go of the GIL), else by linear interpolation."""
    if rate == to or not samples:
        return samples
    try:
        ma: Any = import_miniaudio()
        fmt = ma.SampleFormat.SIGNED16
        converted = ma.convert_frames(fmt, 1, rate, samples.tobytes(), fmt, 1, to)
    except Exception:
        return resample_linear(samples, rate, to)
    out = array.array("h")
    out.frombytes(bytes(converted))
    return out


def resample_linear(samples: array.array[int], rate: int, to: int = RATE) -> array.array[int]:
    """Linear-interpolation resampling; good enough for short cue sounds."""
    if rate == to or not samples:
        return samples
    n = max(1, round(len(samples) * to / rate))
    step = rate / to
    last = len(samples) - 1
    out = array.array("h", bytes(2 * n))
    for i in range(n):
        x = i * step
        j = int(x)
        if j >= last:
            out[i] = samples[last]
            continue
        f = x - j
        out[i] = round(samples[j] * (1.0 - f) + samples[j + 1] * f)
    return out


def _read_with_wave(path: Path, most: float) -> tuple[array.array[int], int, int]:
    with wave.open(str(path), "rb") as w:
        channels, width, rate, frames = (
            w.getnchannels(),
            w.getsampwidth(),
            w.getframerate(),
            w.getnframes(),
        )
        if rate <= 0:
            raise SoundFileError("its header gives no sample rate")
        if frames / rate > most:
            raise SoundFileError(f"it lasts {frames / rate:.1f} s; {_most(most)}", too_long=True)
        raw = w.readframes(frames)
    promised = frames * width * channels
    if len(raw) < 0.95 * promised:  # a little short is common (padding); much is damage
        raise SoundFileError(
            f"it is cut short: its header promises {frames / rate:.2f} s but it holds "
            f"{len(raw) / (width * channels * rate):.2f} s (damaged, or not fully copied?)"
        )
    return _to16(raw, width), channels, rate


def _read_with_miniaudio(path: Path, most: float) -> tuple[array.array[int], int, int]:
    ma: Any = import_miniaudio()
    info = ma.wav_get_file_info(str(path))
    if info.duration > most:
        raise SoundFileError(f"it lasts {info.duration:.1f} s; {_most(most)}", too_long=True)
    decoded = ma.wav_read_file_s16(str(path))
    samples: array.array[int] = decoded.samples
    return samples, int(decoded.nchannels), int(decoded.sample_rate)


MAX_BYTES = 64 * 1024 * 1024
"""A sound file bigger than this is refused unread (15 s of CD-quality stereo is 2.6 MB)."""


def _most(seconds: float) -> str:
    return f"cue sounds must be at most {seconds:g} s"


def load_wav(
    path: Path,
    name: str,
    bells: int = 0,
    shown: str | None = None,
    most: float = MAX_SECONDS,
) -> Sound:
    """Read a WAV file as a ``Sound`` at ``RATE``. Raises SoundFileError saying what is wrong,
    naming the file as ``shown`` (e.g. the relative path the user wrote) or its path.
    A sound longer than ``most`` seconds is refused."""
    where = f"sound file {shown or path}"
    try:
        if not path.exists():
            raise SoundFileError(f"{where} does not exist", missing=True)
        if not path.is_file():
            raise SoundFileError(f"{where} is not a file")
        size = path.stat().st_size
    except OSError as exc:  # e.g. a name too long, or a folder we may not look into
        raise SoundFileError(f"{where} cannot be read: {exc.strerror or exc}") from None
    if size == 0:
        raise SoundFileError(f"{where} is empty")
    if size > MAX_BYTES:
        raise SoundFileError(
            f"{where} is {size / 2**20:.0f} MB, too big for a cue sound (the most is "
            f"{MAX_BYTES // 2**20} MB; a short mono or stereo file is a few MB at most)"
        )
    try:
        samples, channels, rate = _read_with_wave(path, most)
    except SoundFileError as exc:
        raise SoundFileError(f"{where}: {exc}", too_long=exc.too_long) from None
    except OSError as exc:
        raise SoundFileError(f"{where} cannot be read: {exc.strerror or exc}") from None
    except (wave.Error, EOFError, ValueError) as exc:
        # Float or WAVE_FORMAT_EXTENSIBLE files: the wave module refuses them before 3.12.
        try:
            samples, channels, rate = _read_with_miniaudio(path, most)
        except SoundFileError as inner:
            raise SoundFileError(f"{where}: {inner}", too_long=inner.too_long) from None
        except Exception:
            raise SoundFileError(f"{where} {_unreadable(path, exc)}") from None
    if len(samples) < max(1, channels):
        raise SoundFileError(f"{where} contains no sound")
    samples = to_device(samples, channels, rate)
    return Sound(name, samples.tobytes(), bells)


def _unreadable(path: Path, exc: BaseException) -> str:
    """Why a file neither reader could decode is not usable, in plain words."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
    except OSError as err:
        return f"cannot be read: {err.strerror or err}"
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return "is not a WAV file (it lacks the RIFF/WAVE header: another format renamed .wav?)"
    if isinstance(exc, EOFError):
        return "is cut short before its sound starts (damaged, or not fully copied?)"
    reason = str(exc) or type(exc).__name__
    if reason.startswith("unknown format"):
        reason = f"its sample format, code {reason.rsplit(':', 1)[-1].strip()}, is not supported"
    return f"is not a WAV file that can be played ({reason})"


def wav_bytes(sound: Sound) -> bytes:
    """The sound as a complete little-endian WAV file (for players that take files)."""
    import io

    data = sound.samples()
    if sys.byteorder == "big":
        data.byteswap()
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data.tobytes())
    return buf.getvalue()
