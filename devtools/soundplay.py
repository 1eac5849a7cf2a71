"""``python -m devtools.soundplay``: hear the cue sounds, or play a routine by ear only.

python -m devtools.soundplay check [--volume N] [--engine NAME]
    plays each event's sound once, saying what it means
python -m devtools.soundplay play ROUTINE [--speed X] [--report FILE] [...]
    plays a routine with sound and nothing on screen (real clock); with
    --report, writes a JSON report of what played when (tests, benchmarks)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from yogaback.practice.player import Player, Started
from yogaback.sound.engines import ENGINES
from yogaback.sound.library import EVENTS, parse_override
from yogaback.sound.pcm import SoundFileError
from yogaback.sound.sink import SoundSettings, SoundSink, open_sound


class CueTimes:
    """A sink that only records when each cue was due and when it was announced."""

    def __init__(self) -> None:
        self.cues: list[dict[str, object]] = []

    def started(self, player: Player, items: Sequence[Started], now: float) -> None:
        for item in items:
            self.cues.append(
                {"index": item.index, "scheduled": item.scheduled, "actual": item.actual}
            )

    def action(self, player: Player, name: str, now: float) -> None:
        pass


def _settings(args: argparse.Namespace) -> SoundSettings:
    overrides = dict(parse_override(text) for text in args.sound)
    return SoundSettings(
        enabled=not args.no_sound,
        volume=args.volume,
        engine=args.engine,
        bell=args.bell,
        overrides=overrides,
        backends=args.backend or None,
        voice=args.voice,
        voice_cache=args.voice_cache,
    )


def check(sink: SoundSink) -> None:
    for event, meaning in EVENTS.items():
        sound = sink.sounds.get(event)
        print(f"{event:8} {meaning}" + ("" if sound else "  (off)"))
        if sound is None:
            continue
        sink.play(event)
        time.sleep(sound.seconds + 0.6)


def play(args: argparse.Namespace, sink: SoundSink | None) -> dict[str, object]:
    from yogaback.practice.session import Session, Sink
    from yogaback.practice.timeline import compile_timeline
    from yogaback.routine.catalog import resolve
    from yogaback.routine.load import load_routine

    timeline = compile_timeline(load_routine(resolve(args.routine)))
    cues = CueTimes()
    sinks: list[Sink] = [cues]
    if sink is not None:
        sinks.append(sink)
    session = Session(Player(timeline, speed=args.speed), clock=time.monotonic, sinks=sinks)
    t0 = time.monotonic()
    session.run()
    wall = time.monotonic() - t0
    if sink is not None:
        sink.close()
    return {
        "wall": wall,
        "total": timeline.total,
        "speed": args.speed,
        "cues": cues.cues,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.soundplay", description=__doc__)
    parser.add_argument("what", choices=["check", "play", "say"])
    parser.add_argument("routine", nargs="?", default="upper-back", help="routine, or text to say")
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--volume", type=int, default=80)
    parser.add_argument("--engine", default="auto", choices=["auto", *ENGINES])
    parser.add_argument("--bell", action="store_true")
    parser.add_argument("--no-sound", action="store_true")
    parser.add_argument("--sound", action="append", default=[], metavar="EVENT=FILE")
    parser.add_argument("--backend", action="append", default=[], help="miniaudio backend")
    parser.add_argument("--report", type=Path)
    parser.add_argument("--voice", metavar="NAME", help="speak cues with this espeak-ng voice")
    parser.add_argument("--voice-cache", type=Path, metavar="DIR")
    args = parser.parse_args(argv)
    try:
        sink = open_sound(_settings(args))
    except (SoundFileError, ValueError) as exc:
        print(f"yogaback: {exc}", file=sys.stderr)
        return 2
    notice = sink.ready() if sink is not None else None
    if notice:
        print(notice, file=sys.stderr)
    report: dict[str, object] = {}
    if args.what == "check":
        if sink is not None:
            check(sink)
            sink.close(drain=True)
    elif args.what == "say":
        if sink is not None and sink.voice is not None:
            sink.voice.render(args.routine)
            sink.speak(args.routine)
            sink.close(drain=True)
    else:
        report = play(args, sink)
    if args.report:
        report["engine"] = sink.engine_name if sink is not None else None
        report["notice"] = notice
        report["sounds"] = (
            [
                {
                    "sound": r.sound,
                    "due": r.due,
                    "queued": r.queued,
                    "played": r.played,
                    "first": r.first,
                    "dropped": r.dropped,
                }
                for r in sink.records
            ]
            if sink is not None
            else []
        )
        args.report.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
