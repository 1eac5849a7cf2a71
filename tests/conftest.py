"""Every test gets its own empty yogaback home, so nothing touches the real user folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEQUENCES = ROOT / "sequences"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def yogaback_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("YOGABACK_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    return home
