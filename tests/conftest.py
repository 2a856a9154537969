"""Shared paths and helpers for small, fast runs of the baseline scenario."""

from pathlib import Path

import pytest
from hypothesis import settings

import o2osim
from o2osim import O2OMarket, load_scenario

# CI draws the same examples every time (a red build must be about the change, not the dice);
# `make test` on a developer's machine draws new ones and keeps failures in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None)

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"

#: Overrides that make the baseline small enough for a unit test. Five years, to 2008: the
#: shortest baseline run in which its second platform launches (a shorter one is valid, the
#: platform simply does not open in it).
SMALL = ["population.consumers=3000", "time.years=5"]


def small_run(*overrides: str, seed: int = 1, **fields) -> o2osim.Result:
    """Run the small baseline with extra ``--set`` style overrides."""
    return o2osim.run(BASELINE, seed=seed, overrides=[*SMALL, *overrides], progress=False, **fields)


def small_model(*overrides: str, seed: int = 1, ticks: int | None = None) -> O2OMarket:
    """Build the small baseline model and run it (to the end unless ``ticks`` is given)."""
    scenario = load_scenario(BASELINE, [*SMALL, *overrides, f"seed={seed}"])
    model = O2OMarket(scenario)
    model.run(ticks)
    return model


@pytest.fixture
def baseline() -> Path:
    return BASELINE


@pytest.fixture
def write(tmp_path):
    """Write text (or bytes) into a file under ``tmp_path`` and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
