"""Every test gets its own empty yogaback home, so nothing touches the real user folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEQUENCES = ROOT / "sequences"
SHARED = ROOT.parent / "shared"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Two workers per core for ``-n auto``, at most eight.

    About half of the suite's time is spent waiting, not computing: programs in
    pseudo-terminals showing a screen at real speed, speech heard at speed 1, ALSA
    captures. Measured on 2 cores: one worker per core took 120 s, two took 78 s (its
    CPU was 55% busy before, 85% after), with every timing test still passing."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(8, 2 * (cores or 1))


@pytest.fixture(autouse=True)
def yogaback_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("YOGABACK_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    return home
