"""Golden outputs: small reference runs whose results every later change must reproduce.

Each case is a scenario, a seed and a few overrides. Its ``years.csv`` and its firm table are
kept under ``tests/golden/``; ``tests/test_golden.py`` fails when a run no longer reproduces
them. Regenerate with ``make golden`` (``python tests/golden_cases.py``) only for a change that
is meant to move results, and say in the commit which change moved which figure.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import o2osim

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
SCENARIOS = ROOT / "scenarios"

#: Scenarios whose levers the golden lever cases cover (one seed each, a small city).
LEVERS = sorted(
    p.stem for p in SCENARIOS.glob("*.yaml") if p.stem not in ("baseline", "china_2004_2020")
)


@dataclass(frozen=True)
class Case:
    """One golden run: a scenario file, a seed and ``--set`` overrides."""

    scenario: str
    seed: int
    overrides: tuple[str, ...]
    name: str

    def run(self) -> o2osim.Result:
        """Run the case."""
        return o2osim.run(
            SCENARIOS / f"{self.scenario}.yaml",
            seed=self.seed,
            overrides=list(self.overrides),
            progress=False,
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """The case's tables, as kept in the golden files."""
        result = self.run()
        return {"years": result.years, "firms": result.firms}

    def path(self, table: str) -> Path:
        """The golden file of one table."""
        return GOLDEN / f"{self.name}.{table}.csv"


CASES: list[Case] = [
    *(
        Case(sc, seed, ("population.consumers=5000",), f"{sc}_s{seed}")
        for sc in ("baseline", "china_2004_2020")
        for seed in (1, 2, 3)
    ),
    *(Case(sc, 1, ("population.consumers=2000",), f"{sc}_s1") for sc in LEVERS),
    Case(
        "baseline",
        1,
        ("population.consumers=400", "time.years=5", "engine=agents"),
        "baseline_agents_s1",
    ),
]


def write(case: Case) -> None:
    """Run a case and write its golden files."""
    for table, frame in case.tables().items():
        frame.to_csv(case.path(table), index=False, float_format="%.17g")


def main(names: list[str]) -> None:
    """Regenerate the golden files of the named cases (all when none is named)."""
    GOLDEN.mkdir(exist_ok=True)
    chosen = [c for c in CASES if not names or c.name in names]
    for case in chosen:
        write(case)
        print(f"wrote {case.path('years').relative_to(ROOT)} and firms")


if __name__ == "__main__":
    main(sys.argv[1:])
