"""Tools for the tests and benchmarks, kept out of the installed package.

- ``audio``: capture what yogaback plays through ALSA's file plugin, and measure it;
- ``soundplay``: ``python -m devtools.soundplay play|say ...`` drives the sound layer
  alone, with a real clock, for the memory, latency and capture checks.

Run from the repository root (pytest adds it to ``sys.path``; ``alsa_env`` puts it on
``PYTHONPATH`` for child processes).
"""
