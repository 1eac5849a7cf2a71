"""Print every built-in figure, breathed in and breathed out, for review.

python scripts/figure_gallery.py [WIDTH HEIGHT [COLUMNS]]    (cells; default 24 12 2)
"""

from __future__ import annotations

import sys

from yogaback.figures import gallery


def main(argv: list[str]) -> int:
    width, height = (int(argv[0]), int(argv[1])) if len(argv) >= 2 else (24, 12)
    columns = int(argv[2]) if len(argv) >= 3 else 2
    print(gallery(width, height, columns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
