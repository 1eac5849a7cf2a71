"""The cue sounds' levels and shape (read from audio/*.wav), and the mixer's limiter and
fades (driven with arrays, no device and no real time)."""

from __future__ import annotations

import array
import importlib.util
import itertools
import math
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from yogaback.sound import engines
from yogaback.sound import mixer as mix
from yogaback.sound.engines import Options
from yogaback.sound.library import builtin_dir, load_sounds
from yogaback.sound.pcm import RATE
from yogaback.sound.worker import FADE_GRACE, AudioWorker

ROOT = Path(__file__).resolve().parents[2]
PERIOD = 441
"""Frames per mixer call: miniaudio's 10 ms period."""


def script(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


loudness = script("loudness")


@cache
def wav(name: str) -> tuple[list[float], int]:
    xs, rate = loudness.read_wav(builtin_dir() / f"{name}.wav")
    return xs, rate


@cache
def lufs(name: str) -> float:
    return float(loudness.lufs(*wav(name)))


# --- the sounds ---------------------------------------------------------------------------

BOWLS = ("pose", "switch", "end")
BREATH = ("inhale", "exhale", "inhale-tick", "exhale-tick")
STRIKES = {"pose": [0.0], "switch": [0.0, 0.28], "end": [0.0, 1.2, 2.4], "halfway": [0.0]}
"""When each bowl sound is struck (seconds): each ring is judged on its own."""


def test_the_bowls_sit_3_db_under_speech_and_alike() -> None:
    speech = script("make_sounds").SPEECH_LUFS
    for name in BOWLS:
        assert lufs(name) == pytest.approx(speech - 3.0, abs=2.0), name


def test_breath_tones_sit_10_db_under_the_bowl() -> None:
    bowl = lufs("pose")
    for name in BREATH:
        assert lufs(name) - bowl == pytest.approx(-10.0, abs=2.0), name


@pytest.mark.parametrize("name", sorted(STRIKES))
def test_a_bowl_shimmers_but_never_dips_by_more_than_3_db(name: str) -> None:
    xs, rate = wav(name)
    strikes = STRIKES[name]
    for start, stop in zip(strikes, [*strikes[1:], None], strict=True):
        depth = loudness.beating_depth(xs, rate, start=start, stop=stop)
        assert depth <= 3.0, (name, start, depth)


@pytest.mark.parametrize(("name", "seconds"), [("pose", 6.0), ("end", 10.0)])
def test_a_bowl_rings_out_and_is_quiet_before_its_file_ends(name: str, seconds: float) -> None:
    xs, rate = wav(name)
    assert len(xs) / rate == pytest.approx(seconds, abs=0.5)
    env = loudness.envelope_db(xs, rate)
    top = max(env)
    # a second before the end it has died away on its own: the fade cuts nothing loud
    assert env[round((len(xs) / rate - 1.0) / loudness.ENVELOPE_HOP)] < top - 24.0
    # and it still rings at half its length: no early cut
    assert env[len(env) // 2] > top - 30.0


def test_a_breath_swell_rises_then_falls_over_most_of_its_length() -> None:
    xs, rate = wav("inhale")
    env = loudness.envelope_db(xs, rate)
    top = max(env)
    loud = [i for i, v in enumerate(env) if v > top - 10.0]
    assert (loud[-1] - loud[0]) * loudness.ENVELOPE_HOP > 1.5  # a swell, not a blip
    assert len(xs) / rate == pytest.approx(3.5, abs=0.1)  # fits the shortest breath phase


# --- the mixer ----------------------------------------------------------------------------


def make_mixer() -> mix.Mixer:
    m = mix.Mixer(time.monotonic, None, lambda: None)
    m.idle_sent = False
    return m


def pcm(samples: Sequence[float]) -> bytes:
    return array.array("h", (round(v) for v in samples)).tobytes()


def sine(freq: float, amplitude: float, seconds: float) -> bytes:
    n = round(seconds * RATE)
    return pcm([amplitude * math.sin(2 * math.pi * freq * i / RATE) for i in range(n)])


def run(m: mix.Mixer, periods: int, between: Callable[[int], None] | None = None) -> list[int]:
    out = array.array("h")
    for k in range(periods):
        if between is not None:
            between(k)
        out.frombytes(m.fill(PERIOD))
    return list(out)


def steps(samples: Sequence[int]) -> Iterator[int]:
    return (abs(b - a) for a, b in itertools.pairwise(samples))


def test_every_sound_at_once_at_volume_100_never_reaches_full_scale() -> None:
    sounds = load_sounds(100)
    m = make_mixer()
    # A stand-in for speech, as loud as a clip can be: peaks at -1 dBFS.
    m.incoming.append((0, sine(180.0, mix.THRESHOLD, 3.0)))
    for tag, name in enumerate(("end", "pose", "switch"), 1):
        m.incoming.append((tag, sounds[name].data))
    out = run(m, 50)
    m.incoming.extend([(4, sounds["halfway"].data), (5, sounds["inhale"].data)])
    out += run(m, 400)
    assert max(out) < mix.FULL and -min(out) < mix.FULL


def test_the_limiter_turns_the_gain_down_instead_of_clipping() -> None:
    m = make_mixer()
    loud = sine(440.0, 30000, 1.0)
    m.incoming.extend([(1, loud), (2, loud)])  # twice full scale, summed
    out = run(m, 100)
    assert max(out) < mix.FULL and -min(out) < mix.FULL
    flat = sum(1 for a, b, c in zip(out, out[1:], out[2:], strict=False) if a == b == c)
    assert flat == 0  # no clipped plateaus: the sine keeps its shape
    settled = out[PERIOD:]
    assert max(map(abs, settled)) == pytest.approx(mix.THRESHOLD, rel=0.02)  # -1 dBFS
    # no step beyond the largest step of the sum that came in: no edge is added
    assert max(steps(out)) <= 2 * math.pi * 440 / RATE * 60000


def test_the_limiter_lets_the_gain_back_up_smoothly_afterwards() -> None:
    m = make_mixer()
    m.incoming.extend([(1, sine(440.0, 30000, 0.2)), (2, sine(440.0, 30000, 0.2))])
    m.incoming.append((3, sine(440.0, 10000, 1.0)))
    out = run(m, 100)
    after = out[round(0.2 * RATE) :]
    peaks = [max(map(abs, after[k : k + PERIOD])) for k in range(0, len(after), PERIOD)]
    assert peaks[-1] == pytest.approx(10000, rel=0.01)  # back to unity gain
    rises = [b / a for a, b in itertools.pairwise(peaks) if a and b]
    assert max(rises) < 1.15  # by small steps (~1 dB a period at most), not a jump


def test_a_quiet_mix_passes_through_unchanged() -> None:
    m = make_mixer()
    a, b = sine(440.0, 8000, 0.1), sine(660.0, 8000, 0.1)
    m.incoming.extend([(1, a), (2, b)])
    out = run(m, 10)
    xa, xb = array.array("h"), array.array("h")
    xa.frombytes(a)
    xb.frombytes(b)
    assert out == [p + q for p, q in zip(xa, xb, strict=True)]


@pytest.mark.parametrize("voices", [1, 2])
def test_a_stop_fades_out_in_10_to_20_ms_without_a_click(voices: int) -> None:
    m = make_mixer()
    amplitude = 30000 / voices
    for tag in range(voices):
        m.incoming.append((tag, sine(1000.0, amplitude, 2.0)))
    normal = 2 * math.pi * 1000 / RATE * 30000  # the largest step of the sine itself

    def stop_at_10(k: int) -> None:
        if k == 10:
            m.clear = True  # what MiniaudioEngine.stop does (mute, quit, Ctrl-C)

    out = run(m, 20, stop_at_10)
    assert max(steps(out)) <= normal * 1.02
    after = out[10 * PERIOD :]
    sounding = [i for i, v in enumerate(after) if v != 0]
    assert 0.010 * RATE <= sounding[-1] <= 0.020 * RATE  # faded over 10-20 ms, then silence
    assert not m.active()


def test_a_sound_pushed_out_by_a_new_one_fades_too() -> None:
    m = make_mixer()
    m.incoming.append((0, pcm([7000] * RATE)))  # the oldest: a level that must not drop at once
    for tag in range(1, mix.MAX_VOICES):
        m.incoming.append((tag, sine(500.0 + 100 * tag, 7000, 1.0)))
    first = run(m, 5)
    m.incoming.append((9, bytes(2 * RATE)))  # a silent newcomer: what changes is the fade
    out = first + run(m, 5)
    largest = sum(2 * math.pi * (500 + 100 * tag) / RATE * 7000 for tag in range(1, 4))
    assert max(steps(out)) <= largest + 7000 / (mix.FADE_SECONDS * RATE) + 1


def test_the_mixer_reports_idle_after_its_tail() -> None:
    idle: list[bool] = []
    firsts: list[int] = []
    m = mix.Mixer(time.monotonic, lambda tag, t: firsts.append(tag), lambda: idle.append(True))
    m.idle_sent = False
    m.incoming.extend([(1, sine(440.0, 1000, 0.01)), (2, sine(440.0, 1000, 0.01))])
    run(m, 2)
    assert firsts == [1, 2]
    run(m, round(mix.TAIL_SECONDS * RATE / PERIOD) + 1)
    assert idle == [True]


# --- quitting: the worker lets the fade play before closing the device ---------------------


class Busy(engines.SilentEngine):
    """An engine still playing something long: busy until stopped, then still fading."""

    name = "busy"

    def __init__(self, options: Options) -> None:
        self.calls: list[str] = []
        BUSY.append(self)

    def stop(self) -> None:
        self.calls.append("stop")

    def busy(self) -> bool:
        return True

    def close(self) -> None:
        self.calls.append("close")


BUSY: list[Busy] = []


@pytest.fixture
def busy_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AudioWorker, list[float]]]:
    BUSY.clear()
    monkeypatch.setitem(engines.ENGINES, "busy", Busy)
    waits: list[float] = []
    worker = AudioWorker(["busy"], Options(), clock=time.monotonic, settle=waits.append)
    worker.start()
    assert worker.ready.wait(2.0)
    yield worker, waits
    worker.close()
    worker.join(1.0)


def test_quitting_waits_for_the_fade_before_closing_the_device(
    busy_worker: tuple[AudioWorker, list[float]],
) -> None:
    worker, waits = busy_worker
    worker.silence()  # quit, Ctrl-C: stop (the mixer fades), then close at once
    worker.close(0.0)
    assert worker.join(2.0)
    assert BUSY[0].calls[-1] == "close" and "stop" in BUSY[0].calls
    assert len(waits) == 1 and 0.0 < waits[0] <= FADE_GRACE


def test_a_closing_bell_that_outlasts_the_drain_is_faded_not_cut(
    busy_worker: tuple[AudioWorker, list[float]],
) -> None:
    worker, waits = busy_worker
    worker.close(0.05)  # the drain runs out while the bell still rings
    assert worker.join(2.0)
    assert BUSY[0].calls == ["stop", "close"]
    assert len(waits) == 1 and 0.0 < waits[0] <= FADE_GRACE


def test_the_worker_keeps_only_the_latest_cue_records() -> None:
    """A 30-minute session submits hundreds of cues: their records must not pile up."""
    from yogaback.sound.worker import KEEP_RECORDS

    worker = AudioWorker(["silent"], Options(), clock=time.monotonic)  # never started
    sound = next(iter(load_sounds(50).values()))
    tags = [worker.submit(sound, 0.0) for _ in range(KEEP_RECORDS * 5)]
    assert len(worker.records) == KEEP_RECORDS
    assert list(worker.records) == tags[-KEEP_RECORDS:]  # the latest are kept
