"""The sound layer without a sound card: event mapping, the worker, engines, sound files."""

from __future__ import annotations

import array
import contextlib
import math
import os
import select
import stat
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from devtools.audio import dominant_frequency, stretches

from yogaback.practice import player as P
from yogaback.practice.player import Player
from yogaback.practice.timeline import Segment, compile_timeline
from yogaback.routine.load import load_routine
from yogaback.sound import engines
from yogaback.sound.engines import Options, Unavailable, chain, device, open_chain, players
from yogaback.sound.library import EVENTS, builtin_dir, load_sounds, parse_override
from yogaback.sound.pcm import RATE, Sound, SoundFileError, load_wav, volume_gain
from yogaback.sound.sink import (
    SoundSettings,
    SoundSink,
    halfway_position,
    open_sound,
    segment_event,
)

ROOT = Path(__file__).resolve().parents[2]

ROUTINE = """\
version: 1
title: Sound test
pace: {inhale: 4s, exhale: 4s}
transition: 3s
poses:
  a:
    name: Pose A
    setup: Lie down.
  b:
    name: Pose B
    setup: Sit on your {side} hip.
steps:
  - pose: a
    reps: 2
    inhale: Up.
    exhale: Down.
  - pose: b
    duration: 70s
    sides: both
    cue: Stay.
    cues:
      - {at: 20s, say: Soften.}
  - pose: a
    duration: 30s
"""


@pytest.fixture
def routine_file(tmp_path: Path) -> Path:
    path = tmp_path / "sound-test.yaml"
    path.write_text(ROUTINE)
    return path


def timeline_of(path: Path):  # type: ignore[no-untyped-def]
    return compile_timeline(load_routine(path))


# --- which sound for which segment --------------------------------------------------------


def test_segment_events_follow_the_routine(routine_file: Path) -> None:
    tl = timeline_of(routine_file)
    events = [segment_event(tl, i) for i in range(len(tl.segments))]
    assert [e for e in events if e] == [
        "pose",
        "inhale",
        "exhale",
        "inhale",
        "exhale",
        "pose",
        "switch",
        "pose",
    ]
    # holds (and their timed cues) make no sound of their own
    assert events.count(None) == sum(1 for s in tl.segments if s.phase == "hold")


def test_halfway_only_for_long_holds(routine_file: Path) -> None:
    tl = timeline_of(routine_file)
    middles = {halfway_position(tl, i) for i, s in enumerate(tl.segments) if s.phase == "hold"} - {
        None
    }
    b_parts = [p for p in tl.parts if p.pose == "b"]
    assert middles == {p.start + 3 + 35 for p in b_parts}  # the 30 s hold gets none


# --- the sink, with a fake engine -----------------------------------------------------------


class FakeEngine(engines.SilentEngine):
    """Records what it is given; otherwise the silent engine (never busy, nothing to poll)."""

    name = "fake"
    instances: ClassVar[list[FakeEngine]] = []

    def __init__(self, options: Options, delay: float = 0.0) -> None:
        self.options = options
        self.delay = delay
        self.played: list[tuple[str, float]] = []
        self.stops = 0
        FakeEngine.instances.append(self)

    def play(self, sound: Sound, tag: int) -> None:
        time.sleep(self.delay)
        now = self.options.clock()
        self.played.append((sound.name, now))
        if self.options.on_first:
            self.options.on_first(tag, now)

    def stop(self) -> None:
        self.stops += 1


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeEngine]]:
    FakeEngine.instances = []
    monkeypatch.setitem(engines.ENGINES, "fake", FakeEngine)
    monkeypatch.setitem(engines.ENGINES, "slow", lambda o: FakeEngine(o, delay=0.3))
    yield FakeEngine


def tiny_sounds() -> dict[str, Sound]:
    return {e: Sound(e, bytes(2 * 100)) for e in EVENTS}


def make_sink(engine: str = "fake", **kw: object) -> SoundSink:
    sink = SoundSink(tiny_sounds(), engine=engine, **kw)  # type: ignore[arg-type]
    assert sink.ready(2.0) is None
    return sink


def played(sink: SoundSink) -> list[str]:
    engine = sink.worker.engine
    assert isinstance(engine, FakeEngine)
    return [name for name, _ in engine.played]


def wait_for(cond, timeout: float = 2.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.005)


def test_sink_plays_the_right_sounds_in_a_real_session(
    routine_file: Path, fake: type[FakeEngine]
) -> None:
    from yogaback.practice.session import Session

    sink = make_sink()
    session = Session(Player(timeline_of(routine_file), speed=200.0), sinks=[sink])
    session.run()
    sink.close()
    assert played(sink) == [
        "pose",
        "inhale",
        "exhale",
        "inhale",
        "exhale",
        "pose",
        "halfway",
        "switch",
        "halfway",
        "pose",
        "end",
    ]
    late = [r.first - r.due for r in sink.records if r.first is not None]
    assert max(late) < 0.1


def test_sink_never_blocks_even_when_the_engine_is_slow(
    routine_file: Path, fake: type[FakeEngine]
) -> None:
    sink = make_sink("slow")
    p = P.start(Player(timeline_of(routine_file)), time.monotonic())
    t0 = time.perf_counter()
    for _ in range(20):
        p, started = P.advance(p, time.monotonic())
        sink.started(p, started, time.monotonic())
        sink.play("inhale")
    assert time.perf_counter() - t0 < 0.05
    sink.close()


def test_stale_sounds_are_dropped_not_queued(fake: type[FakeEngine]) -> None:
    sink = make_sink("slow")  # each play takes 0.3 s: a backlog would build up
    for _ in range(6):
        sink.play("inhale")
    wait_for(lambda: all(r.played or r.dropped for r in sink.records), 4.0)
    assert len(played(sink)) <= 2
    assert any((r.dropped or "").startswith("stale") for r in sink.records)
    sink.close()


def test_muted_plays_nothing_and_mute_silences(routine_file: Path, fake: type[FakeEngine]) -> None:
    sink = make_sink()
    now = time.monotonic()
    p = P.toggle_mute(P.start(Player(timeline_of(routine_file)), now))
    p, started = P.advance(p, now)
    sink.started(p, started, now)
    sink.action(p, "mute", now)
    sink.action(p, "end", now)
    wait_for(lambda: sink.worker.engine.stops >= 1)  # type: ignore[attr-defined]
    sink.close()
    assert played(sink) == []


def test_only_the_most_telling_sound_of_a_burst(routine_file: Path, fake: type[FakeEngine]) -> None:
    sink = make_sink()
    tl = timeline_of(routine_file)
    now = time.monotonic()
    p = P.start(Player(tl), now - 200)  # far behind: every segment so far is due at once
    p, started = P.advance(p, now)
    assert len(started) > 5
    sink.started(p, started, now)
    sink.close(drain=True)
    # the burst's scheduled times are long past: stale, dropped
    assert played(sink) == []
    sink = make_sink()
    p = P.start(Player(tl, speed=1000.0), now)
    p, started = P.advance(p, now + 0.0075)  # transition, inhale (3 ms), exhale (7 ms) due
    assert [s.segment.phase for s in started] == ["transition", "inhale", "exhale"]
    sink.started(p, started, time.monotonic())
    sink.close()
    assert played(sink) == ["pose"]


def test_halfway_follows_pause_and_lengthening(routine_file: Path, fake: type[FakeEngine]) -> None:
    tl = timeline_of(routine_file)
    b = next(i for i, s in enumerate(tl.segments) if s.pose == "b" and s.phase == "hold")
    sink = make_sink()
    speed = 100.0
    now = time.monotonic()
    p = P.start(Player(tl, speed=speed), now - tl.segments[b].start / speed)
    p, started = P.advance(p, now)
    sink.started(p, started[-1:], now)
    records = [r for r in sink.records if r.sound == "halfway"]
    assert len(records) == 1
    assert records[0].due == pytest.approx(now + 35 / speed, abs=0.002)
    p = P.pause(p, now)
    sink.action(p, "pause", now)  # cancelled while paused
    time.sleep(0.5)
    assert "halfway" not in played(sink)
    later = time.monotonic()
    p = P.resume(p, later)
    p, ok = P.adjust(p, later, 15.0)
    assert ok
    sink.action(p, "longer", later)
    due = [r for r in sink.records if r.sound == "halfway"][-1].due
    assert due == pytest.approx(later + (35 + 7.5) / speed, abs=0.003)
    wait_for(lambda: "halfway" in played(sink))
    sink.close()
    engine = sink.worker.engine
    assert isinstance(engine, FakeEngine)
    at = next(t for name, t in engine.played if name == "halfway")
    assert at - due < 0.03


def test_close_never_hangs(fake: type[FakeEngine]) -> None:
    sink = make_sink("slow")
    for _ in range(3):
        sink.play("end")
    t0 = time.monotonic()
    sink.close(drain=True, timeout=0.5)
    assert time.monotonic() - t0 < 1.5


# --- the chain ---------------------------------------------------------------------------


def test_chain_by_name() -> None:
    assert chain() == ["miniaudio", "system", "silent"]
    assert chain(bell=True) == ["miniaudio", "system", "bell", "silent"]
    assert chain("simpleaudio")[:2] == ["simpleaudio", "miniaudio"]
    with pytest.raises(ValueError, match="unknown sound engine 'nosuch'; choose auto, miniaudio"):
        chain("nosuch")


def test_a_hung_probe_is_given_up(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def hangs(options: Options) -> engines.Engine:
        release.wait(10)
        raise Unavailable("late")

    monkeypatch.setitem(engines.ENGINES, "hangs", hangs)
    t0 = time.monotonic()
    engine, failures = open_chain(["hangs", "silent"], Options(), timeout=0.2)
    release.set()
    assert time.monotonic() - t0 < 1.0
    assert engine.name == "silent"
    assert failures == [("hangs", "gave no answer within 0.2 s")]


def test_no_device_means_a_notice_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(options: Options) -> engines.Engine:
        raise Unavailable("no device")

    monkeypatch.setitem(engines.ENGINES, "miniaudio", broken)
    monkeypatch.setitem(engines.ENGINES, "system", broken)
    sink = SoundSink(tiny_sounds())
    notice = sink.ready(2.0)
    assert notice == (
        "sound: no audio device found (miniaudio: no device; system: no device); "
        "playing without sound"
    )
    assert sink.notice(brief=True) == "sound: no audio device found; playing without sound"
    assert sink.silent() == "no audio device"  # so m says there is nothing to mute
    sink.play("pose")
    sink.close()
    chosen = SoundSink(tiny_sounds(), engine="silent")  # asked for by name: m still mutes
    chosen.ready(2.0)
    assert chosen.silent() is None
    chosen.close()


def test_a_failing_engine_falls_down_the_chain(
    monkeypatch: pytest.MonkeyPatch, fake: type[FakeEngine]
) -> None:
    class Breaks(FakeEngine):
        name = "breaks"

        def play(self, sound: Sound, tag: int) -> None:
            raise engines.Failed("unplugged")

    monkeypatch.setitem(engines.ENGINES, "breaks", Breaks)
    monkeypatch.setitem(engines.ENGINES, "miniaudio", FakeEngine)
    sink = SoundSink(tiny_sounds(), engine="breaks")
    sink.ready(2.0)
    sink.play("pose")
    wait_for(lambda: sink.engine_name == "fake")
    sink.close()
    assert played(sink) == ["pose"]


def fake_player(folder: Path, sleep: float) -> None:
    """A 'player' on PATH that exits at once for the probe and otherwise hangs."""
    script = folder / "aplay"
    script.write_text(f'#!/bin/sh\ncase "$2" in *probe.wav) exit 0;; esac\nexec sleep {sleep}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell script")
def test_a_player_process_that_overruns_is_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_player(tmp_path, 30)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(players, "OVERRUN", 0.2)
    engine = engines.CommandEngine(["aplay", "-q"], Options(tmpdir=tmp_path))
    engine.play(Sound("tick", bytes(2 * RATE // 10)), 0)
    proc = engine.procs[0][0]
    t0 = time.monotonic()
    while engine.poll() is not None:
        time.sleep(0.02)
        assert time.monotonic() - t0 < 3
    assert proc.returncode is not None and proc.returncode < 0  # killed
    assert 0.2 < time.monotonic() - t0 < 1.5


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_player_and_what_it_started_are_killed_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = f"yogaback-test-player-{os.getpid()}-{time.monotonic_ns()}"
    script = tmp_path / "aplay"
    script.write_text(
        f"#!/bin/sh\nexport YOGABACK_TEST_MARK={marker}\n"
        'case "$2" in *probe.wav) exit 0;; esac\nsleep 1000 &\nexec sleep 1000\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    engine = engines.CommandEngine(["aplay", "-q"], Options(tmpdir=tmp_path))
    engine.play(Sound("tick", bytes(2 * RATE // 10)), 0)

    def left() -> int:
        mark = f"YOGABACK_TEST_MARK={marker}".encode()
        count = 0
        for entry in Path("/proc").iterdir():
            with contextlib.suppress(OSError, IndexError):
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                count += state != "Z" and mark in (entry / "environ").read_bytes().split(b"\0")
        return count

    wait_for(lambda: left() == 2)
    engine.stop()
    wait_for(lambda: left() == 0)
    assert left() == 0


def test_a_broken_player_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "paplay"
    script.write_text("#!/bin/sh\necho 'Connection failure: Connection refused' >&2\nexit 1\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(Unavailable, match="Connection refused"):
        engines.CommandEngine(["paplay"], Options(tmpdir=tmp_path))
    with pytest.raises(Unavailable, match="not on PATH"):
        engines.CommandEngine(["pw-play"], Options(tmpdir=tmp_path))


# --- sound files --------------------------------------------------------------------------


def write_wav(path: Path, rate: int, channels: int, width: int, seconds: float) -> None:
    n = round(rate * seconds)
    frames = bytearray()
    for i in range(n):
        v = math.sin(2 * math.pi * 440 * i / rate) * 0.5
        for _ in range(channels):
            if width == 1:
                frames.append(int(128 + v * 127))
            else:
                frames += int(v * (2 ** (8 * width - 1) - 1)).to_bytes(width, "little", signed=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


@pytest.mark.parametrize("rate,channels,width", [(48000, 2, 3), (22050, 1, 1), (44100, 2, 4)])
def test_user_wavs_of_any_pcm_kind_load(
    tmp_path: Path, rate: int, channels: int, width: int
) -> None:
    path = tmp_path / "mine.wav"
    write_wav(path, rate, channels, width, 0.5)
    sound = load_wav(path, "pose")
    assert sound.seconds == pytest.approx(0.5, abs=0.001)
    assert dominant_frequency(sound.samples()) == pytest.approx(440, rel=0.02)


def test_missing_or_corrupt_wavs_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(SoundFileError, match=r"nope\.wav does not exist"):
        load_wav(tmp_path / "nope.wav", "pose")
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"this is not a wav file at all" * 10)
    with pytest.raises(SoundFileError, match=r"bad\.wav is not a WAV file \(it lacks the RIFF"):
        load_wav(bad, "pose")
    good = tmp_path / "good.wav"
    write_wav(good, 44100, 1, 2, 0.2)
    cut = tmp_path / "cut.wav"
    cut.write_bytes(good.read_bytes()[:30])
    with pytest.raises(SoundFileError, match=r"cut\.wav is cut short before its sound starts"):
        load_wav(cut, "pose")
    half = tmp_path / "half.wav"
    half.write_bytes(good.read_bytes()[: 44 + 8820])  # the header, then 0.1 s of 0.2
    with pytest.raises(SoundFileError, match=r"promises 0\.20 s but it holds 0\.10 s"):
        load_wav(half, "pose")
    nothing = tmp_path / "nothing.wav"
    nothing.write_bytes(b"")
    with pytest.raises(SoundFileError, match=r"nothing\.wav is empty$"):
        load_wav(nothing, "pose")
    with pytest.raises(SoundFileError, match="cannot be read: File name too long"):
        load_wav(tmp_path / ("a" * 300 + ".wav"), "pose")
    empty = tmp_path / "empty.wav"
    write_wav(empty, 44100, 1, 2, 0.0)
    with pytest.raises(SoundFileError, match="contains no sound"):
        load_wav(empty, "pose")
    long = tmp_path / "long.wav"
    write_wav(long, 8000, 1, 1, 16.0)
    with pytest.raises(SoundFileError, match="at most 15 s"):
        load_wav(long, "pose")


def test_open_sound_reports_a_bad_override_before_playing(tmp_path: Path) -> None:
    with pytest.raises(SoundFileError, match="does not exist"):
        open_sound(SoundSettings(overrides={"end": tmp_path / "gong.wav"}))
    assert open_sound(SoundSettings(enabled=False)) is None
    assert open_sound(SoundSettings(volume=0)) is None


def test_parse_override() -> None:
    event, choice = parse_override("end=~/gong.wav")
    assert (event, choice.path) == ("end", Path("~/gong.wav").expanduser())
    with pytest.raises(ValueError, match="unknown event 'start'"):
        parse_override("start=x.wav")
    with pytest.raises(ValueError, match="EVENT=FILE"):
        parse_override("x.wav")


def test_volume_scales_amplitude() -> None:
    assert volume_gain(100) == 1.0 and volume_gain(0) == 0.0
    assert volume_gain(50) == pytest.approx(0.25)
    full, half = load_sounds(100)["pose"], load_sounds(50)["pose"]
    assert max(half.samples()) == pytest.approx(max(full.samples()) * 0.25, abs=1)


# --- the shipped sounds ----------------------------------------------------------------------


def test_shipped_sounds_are_small_distinct_and_up_to_date(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_sounds.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    pitches = {}
    for event in EVENTS:
        path = builtin_dir() / f"{event}.wav"
        with wave.open(str(path)) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
            assert w.getnframes() <= 10.0 * RATE  # the closing bowl rings out over 10 s
        shipped, fresh = load_wav(path, event).samples(), load_wav(tmp_path / path.name, event)
        assert max(abs(a - b) for a, b in zip(shipped, fresh.samples(), strict=True)) <= 1
        assert len(stretches(shipped)) == 1
        pitches[event] = dominant_frequency(shipped)
    assert pitches["end"] < pitches["pose"] < pitches["switch"] < pitches["halfway"]
    assert pitches["inhale"] > pitches["exhale"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_the_terminal_bell_rings_once_twice_or_thrice() -> None:
    master, slave = os.openpty()
    try:
        bell = engines.BellEngine(Options(bell_fd=slave))
        sounds = load_sounds(100)
        bell.play(sounds["switch"], 0)
        bell.play(sounds["inhale"], 1)  # breath tones have no bell
        t0 = time.monotonic()
        while (wait := bell.poll()) is not None:
            time.sleep(wait)
        assert 0.25 < time.monotonic() - t0 < 1.0
        rung = b""
        while select.select([master], [], [], 0.2)[0]:
            rung += os.read(master, 100)
        assert rung == b"\a\a"
    finally:
        os.close(master)
        os.close(slave)
    with pytest.raises(Unavailable):
        engines.BellEngine(Options(bell_fd=None))


def test_without_libasound_nothing_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes

    from yogaback.sound import alsa

    def no_lib(name: str, *args: object, **kw: object) -> object:
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(alsa, "_installed", [])
    monkeypatch.setattr(ctypes, "CDLL", no_lib)
    if sys.platform.startswith("linux"):
        assert alsa.quiet_alsa() is False


GROUP_ROUTINE = """\
version: 1
title: Group test
pace: {inhale: 4s, exhale: 4s}
transition: 3s
poses:
  a:
    name: Pose A
    setup: Reach your {side} arm.
  b:
    name: Pose B
    setup: Twist to the {side}.
steps:
  - group: Both
    sides: both
    steps:
      - pose: a
        duration: 20s
      - pose: b
        duration: 20s
"""


@pytest.mark.skipif(
    "switch" not in getattr(Segment, "__dataclass_fields__", {}),
    reason="needs the timeline's Segment.switch flag",
)
def test_a_group_switching_sides_gets_the_switch_sound(tmp_path: Path) -> None:
    path = tmp_path / "group.yaml"
    path.write_text(GROUP_ROUTINE)
    tl = timeline_of(path)
    events = [segment_event(tl, i) for i in range(len(tl.segments))]
    assert [e for e in events if e] == ["pose", "pose", "switch", "pose"]


def test_a_cue_at_the_middle_of_a_hold_does_not_lose_the_halfway_marker(
    tmp_path: Path, fake: type[FakeEngine]
) -> None:
    from yogaback.practice.session import Session

    path = tmp_path / "middle.yaml"
    path.write_text(
        "version: 1\ntitle: Middle\ntransition: 0s\nposes:\n  a: {name: A}\n"
        "steps:\n  - pose: a\n    duration: 80s\n    cues:\n"
        "      - {at: 40s, say: Halfway there.}\n      - {at: 60s, say: Soften.}\n"
    )
    for _ in range(3):
        sink = make_sink()
        Session(Player(timeline_of(path), speed=200.0), sinks=[sink]).run()
        sink.close()
        assert played(sink) == ["pose", "halfway", "end"]


def test_both_resamplers_keep_length_and_pitch() -> None:
    from yogaback.sound.pcm import resample, resample_linear

    rate = 22050
    tone = array.array(
        "h", (round(12000 * math.sin(2 * math.pi * 523.25 * i / rate)) for i in range(rate // 2))
    )
    for convert in (resample, resample_linear):
        out = convert(tone, rate)
        assert len(out) == pytest.approx(RATE // 2, abs=2)
        assert dominant_frequency(out) == pytest.approx(523.25, rel=0.01)


# --- memory: conversions without int lists, the volume table, backend order ---------------


def reference_mono16(raw: bytes, width: int, channels: int) -> list[int]:
    """The conversion spelled out sample by sample: each sample's top 16 bits (8-bit
    samples are unsigned), then each frame's mean rounded down."""
    n = len(raw) // width
    values = []
    for i in range(n):
        chunk = raw[i * width : (i + 1) * width]
        if width == 1:
            values.append((chunk[0] - 128) << 8)
        else:
            values.append(int.from_bytes(chunk, "little", signed=True) >> (8 * width - 16))
    frames = len(values) // channels
    return [sum(values[f * channels : (f + 1) * channels]) // channels for f in range(frames)]


@pytest.mark.parametrize("width", [1, 2, 3, 4])
@pytest.mark.parametrize("channels", [1, 2, 3])
def test_pcm_of_any_width_and_channels_converts_exactly(width: int, channels: int) -> None:
    from yogaback.sound.pcm import _to_mono16

    edge = [bytes([0] * width), bytes([0xFF] * width), bytes([0x80] + [0] * (width - 1))]
    edge += [bytes([0] * (width - 1) + [0x80]), bytes([0xFF] * (width - 1) + [0x7F])]
    raw = b"".join(edge) + os.urandom(width * channels * 301 + 1)  # and a partial frame
    assert list(_to_mono16(raw, width, channels)) == reference_mono16(raw, width, channels)


def test_unsupported_sample_widths_are_refused() -> None:
    from yogaback.sound.pcm import _to_mono16

    with pytest.raises(SoundFileError, match="40-bit samples are not supported"):
        _to_mono16(bytes(10), 5, 1)


@pytest.mark.parametrize("gain", [0.0, 0.01, 0.25, 0.64, 1.7, 3.0])
def test_scaling_multiplies_rounds_and_clips_every_sample_value(gain: float) -> None:
    every = array.array("h", range(-32768, 32768))
    scaled = Sound("all", every.tobytes()).scaled(gain).samples()
    assert list(scaled) == [max(-32768, min(32767, round(v * gain))) for v in every]


def test_a_sound_is_scaled_when_first_needed_and_then_holds_only_the_result() -> None:
    from yogaback.sound.pcm import warm

    every = array.array("h", range(-32768, 32768, 7)).tobytes()
    want = [max(-32768, min(32767, round(v * 0.3))) for v in array.array("h", every)]
    made = [Sound(str(n), every).scaled(0.5).scaled(0.6) for n in range(4)]
    assert [s.frames for s in made] == [len(every) // 2] * 4  # known without scaling
    assert all(s._data is None for s in made)  # nothing scaled yet (a silent engine's case)
    warm(made[:2]).join()  # a session's background thread, racing the player for one
    racing = [threading.Thread(target=lambda s=s: s.data) for s in made[2:] * 3]
    for t in racing:
        t.start()
    for t in racing:
        t.join()
    for s in made:
        assert list(s.samples()) == want  # one multiplication by 0.3, not two roundings
        assert s._source is None  # the unscaled samples are let go


def test_the_volume_table_is_small() -> None:
    """The table is built once per volume and kept: 65,536 values as an array (128 KB),
    not as a list of int objects (about 2.5 MB)."""
    import tracemalloc

    from yogaback.sound.pcm import _gain_table

    _gain_table.cache_clear()
    tracemalloc.start()
    try:
        _ = Sound("x", bytes(2000)).scaled(0.37).data
        kept, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        _gain_table.cache_clear()
    assert kept < 300_000


def test_miniaudio_is_imported_without_numpy() -> None:
    """miniaudio would import numpy (some 12 MB) if it could; yogaback never needs it,
    and numpy stays importable afterwards."""
    code = (
        "import importlib.util, sys\n"
        "from yogaback.sound.pcm import import_miniaudio\n"
        "ma = import_miniaudio()\n"
        "assert ma is sys.modules['miniaudio'] and import_miniaudio() is ma\n"
        "assert 'numpy' not in sys.modules, 'numpy was imported'\n"
        "if importlib.util.find_spec('numpy') is not None:\n"
        "    import numpy\n"
        "    assert numpy.zeros(2).sum() == 0\n"
        "print('ok')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.stdout.strip() == "ok", proc.stderr


@pytest.fixture
def no_pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Linux host with no trace of PulseAudio: no variables, sockets, settings or binary."""
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("PULSE_SERVER", "PULSE_RUNTIME_PATH", "XDG_RUNTIME_DIR", "DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(device, "SYSTEM_PULSE_DIRS", (tmp_path / "run-pulse",))
    monkeypatch.setattr(device, "SYSTEM_PULSE_CONFS", (tmp_path / "etc" / "client.conf",))
    return tmp_path


def test_alsa_alone_when_there_is_no_pulseaudio_to_reach(no_pulse: Path) -> None:
    assert engines.default_backends() == ["ALSA"]


def test_pulseaudio_first_when_a_server_is_there(
    no_pulse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = no_pulse / "runtime"
    (runtime / "pulse").mkdir(parents=True)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert engines.default_backends() == ["ALSA"]  # the folder alone is not a server
    (runtime / "pulse" / "native").touch()
    assert engines.default_backends() == ["PULSEAUDIO", "ALSA"]
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert engines.default_backends() == ["ALSA"]
    monkeypatch.setenv("PULSE_SERVER", "tcp:speakers.local")
    assert engines.default_backends() == ["PULSEAUDIO", "ALSA"]


def test_pulseaudio_first_for_a_system_wide_server_or_a_configured_one(
    no_pulse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (no_pulse / "run-pulse").mkdir()
    (no_pulse / "run-pulse" / "native").touch()
    assert engines.default_backends() == ["PULSEAUDIO", "ALSA"]
    (no_pulse / "run-pulse" / "native").unlink()
    conf = no_pulse / "config" / "pulse" / "client.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text("; default-server =\nautospawn = no\n")
    assert engines.default_backends() == ["ALSA"]  # commented out
    conf.write_text("autospawn = no\n  default-server = tcp:speakers.local\n")
    assert engines.default_backends() == ["PULSEAUDIO", "ALSA"]


def test_pulseaudio_after_alsa_when_a_server_might_still_be_reached(
    no_pulse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")  # an X display may name a server
    assert engines.default_backends() == ["ALSA", "PULSEAUDIO"]
    monkeypatch.delenv("DISPLAY")
    (no_pulse / "bin").mkdir()
    daemon = no_pulse / "bin" / "pulseaudio"  # libpulse may start one itself
    daemon.write_text("#!/bin/sh\n")
    daemon.chmod(0o755)
    assert engines.default_backends() == ["ALSA", "PULSEAUDIO"]


class FakeMiniaudio:
    """Just enough of the miniaudio module for ``MiniaudioEngine._open_device``."""

    class Backend:
        ALSA = "ALSA"
        PULSEAUDIO = "PULSEAUDIO"

    class SampleFormat:
        SIGNED16 = "s16"

    def __init__(self, works: set[str], null: bool = False) -> None:
        self.works = works
        self.null = null
        self.tried: list[list[str]] = []
        self.closed = 0
        outer = self

        class PlaybackDevice:
            def __init__(self, *, backends: list[str], **kwargs: object) -> None:
                outer.tried.append(list(backends))
                if backends[0] not in outer.works:
                    raise RuntimeError("failed to init device", -401)
                self.backend = "Null" if outer.null else backends[0].lower()

            def close(self) -> None:
                outer.closed += 1

        self.PlaybackDevice = PlaybackDevice


def test_each_miniaudio_backend_is_tried_on_its_own() -> None:
    """Given a list, miniaudio keeps to the first backend whose context opens (ALSA's
    always does), so a failing ALSA device would never fall back to PulseAudio."""
    ma = FakeMiniaudio(works={"PULSEAUDIO"})
    device = engines.MiniaudioEngine._open_device(ma, ["ALSA", "PULSEAUDIO"])
    assert device.backend == "pulseaudio"
    assert ma.tried == [["ALSA"], ["PULSEAUDIO"]]
    ma = FakeMiniaudio(works={"ALSA", "PULSEAUDIO"})
    assert engines.MiniaudioEngine._open_device(ma, ["ALSA", "PULSEAUDIO"]).backend == "alsa"
    assert ma.tried == [["ALSA"]]  # PulseAudio is never touched


def test_no_miniaudio_backend_says_what_each_one_said() -> None:
    with pytest.raises(Unavailable) as info:
        engines.MiniaudioEngine._open_device(FakeMiniaudio(works=set()), ["ALSA"])
    assert str(info.value) == "no ALSA output device (failed to init device, error -401)"
    with pytest.raises(Unavailable) as info:
        engines.MiniaudioEngine._open_device(FakeMiniaudio(works=set()), ["PULSEAUDIO", "ALSA"])
    assert str(info.value) == (
        "no PulseAudio or ALSA output device (failed to init device, error -401)"
    )
    ma = FakeMiniaudio(works={"ALSA"}, null=True)
    with pytest.raises(Unavailable, match=r"no ALSA output device \(only the Null backend\)"):
        engines.MiniaudioEngine._open_device(ma, ["ALSA"])
    assert ma.closed == 1


def test_miniaudio_imported_from_several_threads_at_once_is_whole_in_each() -> None:
    """A module sits in sys.modules while it loads: a thread must never get it half-made."""
    script = (
        "import sys, threading\n"
        "from yogaback.sound.pcm import import_miniaudio\n"
        "bad = []\n"
        "def go():\n"
        "    m = import_miniaudio()\n"
        "    if not (hasattr(m, 'Backend') and hasattr(m, 'PlaybackDevice')): bad.append(1)\n"
        "ts = [threading.Thread(target=go) for _ in range(6)]\n"
        "[t.start() for t in ts]\n"
        "[t.join() for t in ts]\n"
        "print(len(bad))\n"
    )
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
        )
        assert (done.returncode, done.stdout.strip()) == (0, "0"), done.stderr
