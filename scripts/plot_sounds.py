"""Draw each cue sound's spectrogram (sox) and level envelope (ImageMagick) as PNGs.

Writes docs/sounds/NAME-spectrogram.png and NAME-envelope.png for every audio/*.wav (kept
out of audio/, which is installed with the program).
Needs the ``sox`` and ``convert`` commands (Debian packages sox and imagemagick); the
envelope is the 20 ms RMS level in dBFS from ``loudness.py``, drawn as a polyline over a
grid of 10 dB and 1 s, so that beating, the strike and the ring-out can be seen.

Usage: python scripts/plot_sounds.py [FOLDER [OUT]]   (default: audio/ and docs/sounds/)
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loudness import ENVELOPE_HOP, envelope_db, read_wav

WIDTH, HEIGHT, MARGIN = 640, 200, 36
FLOOR = -80.0


def envelope_png(wav: Path, png: Path) -> None:
    xs, rate = read_wav(wav)
    env = envelope_db(xs, rate)
    seconds = max(1.0, len(xs) / rate)
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN

    def x(t: float) -> float:
        return MARGIN + plot_w * t / seconds

    def y(db: float) -> float:
        return MARGIN + plot_h * min(1.0, max(0.0, db / FLOOR))

    mvg = ["stroke-width 1", "fill none", "font-size 11"]
    if font := _font():
        mvg.insert(0, f"font '{font}'")
    for db in range(0, int(FLOOR) - 1, -10):
        mvg.append(f"stroke #dddddd line {MARGIN},{y(db):.1f} {WIDTH - MARGIN},{y(db):.1f}")
        mvg.append(f"stroke none fill #666666 text 2,{y(db) + 4:.1f} '{db}'")
        mvg.append("fill none")
    for s in range(int(seconds) + 1):
        mvg.append(f"stroke #dddddd line {x(s):.1f},{MARGIN} {x(s):.1f},{HEIGHT - MARGIN}")
        mvg.append(f"stroke none fill #666666 text {x(s) - 3:.1f},{HEIGHT - MARGIN + 14} '{s}'")
        mvg.append("fill none")
    points = " ".join(f"{x(i * ENVELOPE_HOP):.1f},{y(v):.1f}" for i, v in enumerate(env))
    mvg.append(f"stroke #1f5fa8 stroke-width 1.5 polyline {points}")
    title = f"{wav.name}: RMS level (dBFS, 20 ms) over time (s)"
    mvg.append(f"stroke none fill black font-size 13 text {MARGIN},22 '{title}'")
    # Given inline: ImageMagick's usual security policy refuses "-draw @file".
    draw = "\n".join(mvg)
    subprocess.run(
        ["convert", "-size", f"{WIDTH}x{HEIGHT}", "xc:white", "-draw", draw, str(png)],
        check=True,
        capture_output=True,
    )


def _font() -> str | None:
    """A font file for the labels (ImageMagick's default, Helvetica, is often missing)."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True
        )
    except OSError:
        return None
    return found.stdout.strip() or None


def spectrogram_png(wav: Path, png: Path) -> None:
    subprocess.run(
        [
            *("sox", str(wav), "-n", "rate", "16k", "spectrogram", "-x", "600", "-y", "257"),
            *("-z", "90", "-t", wav.name, "-o", str(png)),
        ],
        check=True,
    )


def main(argv: Sequence[str] = ()) -> int:
    root = Path(__file__).resolve().parents[1]
    folder = Path(argv[0]) if argv else root / "audio"
    out = Path(argv[1]) if len(argv) > 1 else root / "docs" / "sounds"
    out.mkdir(parents=True, exist_ok=True)
    for wav in sorted(folder.glob("*.wav")):
        spectrogram_png(wav, out / f"{wav.stem}-spectrogram.png")
        envelope_png(wav, out / f"{wav.stem}-envelope.png")
        print(wav.stem)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
