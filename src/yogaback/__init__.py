"""yogaback — a terminal-guided yoga practice player for upper-back pain."""

__version__ = "0.1.0"
