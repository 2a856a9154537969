from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"

#: Overrides that make the baseline small enough for a unit test.
SMALL = ["population.consumers=3000", "time.years=5"]


@pytest.fixture
def baseline() -> Path:
    return BASELINE
