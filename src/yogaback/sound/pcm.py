"""Sounds as plain PCM: mono, signed 16-bit, one rate. Loading, checking, scaling.

Only the standard library is needed here; miniaudio is used, when present, to
read WAV variants the ``wave`` module cannot (float samples, extensible headers).
"""

from __future__ import annotations

import array
import functools
import importlib
import sys
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RATE = 44100
"""Samples per second of every sound the engines play (and of the device)."""
MAX_SECONDS = 15.0
"""A sound file longer than this is refused: cues must be short."""


class SoundFileError(Exception):
    """A sound file that is missing, unreadable or not a usable WAV file."""


@dataclass(frozen=True)
class Sound:
    """A mono sound: native-endian signed 16-bit samples at ``RATE``."""

    name: str
    data: bytes
    bells: int = 0
    """How many terminal bells stand in for this sound when there is no audio device."""

    @property
    def frames(self) -> int:
        return len(self.data) // 2

    @property
    def seconds(self) -> float:
        return self.frames / RATE

    def samples(self) -> array.array[int]:
        out = array.array("h")
        out.frombytes(self.data)
        return out

    def scaled(self, gain: float) -> Sound:
        """This sound with every sample multiplied by ``gain`` (clipped)."""
        if gain == 1.0:
            return self
        table = _gain_table(gain)
        out = array.array("h", map(table.__getitem__, self.samples()))
        return Sound(self.name, out.tobytes(), self.bells)


@functools.lru_cache(maxsize=4)
def _gain_table(gain: float) -> list[int]:
    """Every 16-bit sample value times ``gain``, clipped; indexed by the sample itself
    (negative samples index from the end). Mapping through it is far faster than
    multiplying sample by sample in Python."""

    def scale(v: int) -> int:
        return max(-32768, min(32767, round(v * gain)))

    return [scale(v) for v in range(32768)] + [scale(v) for v in range(-32768, 0)]


def volume_gain(volume: int) -> float:
    """``--volume`` 0–100 to an amplitude factor. Squared, so that each step sounds about
    equally large (50 is a quarter of the amplitude, about −12 dB)."""
    v = max(0, min(100, volume)) / 100.0
    return v * v


def _to_mono16(raw: bytes, width: int, channels: int) -> array.array[int]:
    """Interleaved little-endian PCM of ``width`` bytes to mono native 16-bit."""
    if width == 1:
        values = [(b - 128) << 8 for b in raw]
    elif width == 2:
        a = array.array("h")
        a.frombytes(raw[: len(raw) - len(raw) % 2])
        if sys.byteorder == "big":
            a.byteswap()
        values = a.tolist()
    elif width == 3:
        values = [
            int.from_bytes(raw[i : i + 3], "little", signed=True) >> 8
            for i in range(0, len(raw) - 2, 3)
        ]
    elif width == 4:
        a32 = array.array("i")
        a32.frombytes(raw[: len(raw) - len(raw) % 4])
        if sys.byteorder == "big":
            a32.byteswap()
        values = [v >> 16 for v in a32]
    else:
        raise SoundFileError(f"{width * 8}-bit samples are not supported")
    if channels > 1:
        n = len(values) // channels
        values = [sum(values[i * channels : (i + 1) * channels]) // channels for i in range(n)]
    return array.array("h", values)


def resample(samples: array.array[int], rate: int, to: int = RATE) -> array.array[int]:
    """Resample mono 16-bit samples: with miniaudio's converter when it is installed (fast,
    and it lets go of the GIL), else by linear interpolation."""
    if rate == to or not samples:
        return samples
    try:
        ma: Any = importlib.import_module("miniaudio")
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


def _read_with_wave(path: Path) -> tuple[array.array[int], int]:
    with wave.open(str(path), "rb") as w:
        channels, width, rate, frames = (
            w.getnchannels(),
            w.getsampwidth(),
            w.getframerate(),
            w.getnframes(),
        )
        if rate <= 0:
            raise SoundFileError("its header gives no sample rate")
        if frames / rate > MAX_SECONDS:
            raise SoundFileError(
                f"it lasts {frames / rate:.1f} s; cue sounds must be at most {MAX_SECONDS:g} s"
            )
        raw = w.readframes(frames)
    return _to_mono16(raw, width, channels), rate


def _read_with_miniaudio(path: Path) -> tuple[array.array[int], int]:
    ma: Any = importlib.import_module("miniaudio")
    info = ma.wav_get_file_info(str(path))
    if info.duration > MAX_SECONDS:
        raise SoundFileError(
            f"it lasts {info.duration:.1f} s; cue sounds must be at most {MAX_SECONDS:g} s"
        )
    decoded = ma.wav_read_file_s16(str(path))
    samples: array.array[int] = decoded.samples
    channels = int(decoded.nchannels)
    if channels > 1:
        n = len(samples) // channels
        samples = array.array(
            "h", (sum(samples[i * channels : (i + 1) * channels]) // channels for i in range(n))
        )
    return samples, int(decoded.sample_rate)


def load_wav(path: Path, name: str, bells: int = 0) -> Sound:
    """Read a WAV file as a ``Sound`` at ``RATE``. Raises SoundFileError saying what is wrong."""
    where = f"sound file {path}"
    if not path.exists():
        raise SoundFileError(f"{where} does not exist")
    if not path.is_file():
        raise SoundFileError(f"{where} is not a file")
    try:
        samples, rate = _read_with_wave(path)
    except SoundFileError as exc:
        raise SoundFileError(f"{where}: {exc}") from None
    except OSError as exc:
        raise SoundFileError(f"{where} cannot be read: {exc.strerror or exc}") from None
    except (wave.Error, EOFError, ValueError) as exc:
        # Float or WAVE_FORMAT_EXTENSIBLE files: the wave module refuses them before 3.12.
        try:
            samples, rate = _read_with_miniaudio(path)
        except SoundFileError as inner:
            raise SoundFileError(f"{where}: {inner}") from None
        except Exception:
            reason = str(exc) or type(exc).__name__
            raise SoundFileError(
                f"{where} is not a WAV file that can be played ({reason}); "
                "use an uncompressed PCM .wav"
            ) from None
    if not samples:
        raise SoundFileError(f"{where} contains no sound")
    samples = resample(samples, rate)
    return Sound(name, samples.tobytes(), bells)


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
