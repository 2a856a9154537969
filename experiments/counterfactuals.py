"""Switch each cause of the China story off and measure what it changes, on the same seeds.

Usage (from the repository root, after `make demo` or `make test` created .venv):

    .venv/bin/python experiments/counterfactuals.py [--seeds 5] [--consumers 5000]

Runs scenarios/china_2004_2020.yaml with and without each cause on the same seeds (common
random numbers) on the local cores and prints, per cause, the median outcome with the cause
and without it: the table in docs/calibration.md.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

import o2osim

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "china_2004_2020.yaml"
PLATFORMS = range(3)

#: (cause switched off, overrides, outcome column, how the outcome sums the years)
CAUSES = [
    (
        "the demographic turning point",
        ["demography.turning_point_year=null"],
        "traffic_cost",
        "last",
    ),
    (
        "the demographic turning point",
        ["demography.turning_point_year=null"],
        "cost_per_new_customer",
        "last",
    ),
    (
        "rent and wage growth",
        ["stores.rent_growth=0", "stores.wage_growth=0"],
        "store_closures",
        "total",
    ),
    (
        "counterfeits",
        [f"platforms.{i}.{f}=0" for i in PLATFORMS for f in ("counterfeit_rate", "fake_entry")],
        "online_share",
        "last",
    ),
    (
        "counterfeits",
        [f"platforms.{i}.{f}=0" for i in PLATFORMS for f in ("counterfeit_rate", "fake_entry")],
        "mean_trust_online",
        "last",
    ),
    (
        "escrow and returns",
        [f"platforms.{i}.{f}" for i in PLATFORMS for f in ("escrow=false", "return_window_days=0")],
        "online_share",
        "last",
    ),
    ("the mobile stage", ["stages.mobile_year=null"], "wom_customers", "total"),
]


def outcomes(args: tuple[int, list[str]]) -> dict[str, float]:
    """Every outcome column's last value and total over the years, for one seed."""
    seed, overrides = args
    years = o2osim.run(SCENARIO, seed=seed, overrides=overrides, progress=False).years
    columns = {column for _, _, column, _ in CAUSES}
    return {
        **{f"{c}:last": float(years[c].iloc[-1]) for c in columns},
        **{f"{c}:total": float(years[c].sum()) for c in columns},
    }


def main() -> int:
    """Run every variant on every seed and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--consumers", type=int, default=5000)
    args = parser.parse_args()
    size = [f"population.consumers={args.consumers}"]
    seeds = range(1, args.seeds + 1)
    variants = [[]] + [overrides for _, overrides, _, _ in CAUSES]
    jobs = [(seed, size + v) for v in variants for seed in seeds]
    with ProcessPoolExecutor(2) as pool:
        runs = list(pool.map(outcomes, jobs))
    per_variant = [runs[i * len(seeds) : (i + 1) * len(seeds)] for i in range(len(variants))]
    print(f"{'switched off':<32} {'outcome':<26} {'with the cause':>15} {'without':>12}")
    for k, (cause, _, column, how) in enumerate(CAUSES):
        key = f"{column}:{how}"
        with_cause = np.median([r[key] for r in per_variant[0]])
        without = np.median([r[key] for r in per_variant[k + 1]])
        print(f"{cause:<32} {how + ' ' + column:<26} {with_cause:>15.4g} {without:>12.4g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
