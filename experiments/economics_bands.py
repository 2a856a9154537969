"""Where a China scenario lands against the data's bands (issue 15), medians over seeds.

Usage (from the repository root, after `make demo` or `make test` created .venv):

    .venv/bin/python experiments/economics_bands.py [--scenario scenarios/china_economics.yaml]
        [--seeds 5] [--consumers 5000] [--set k=v ...]

Runs the scenario once per seed on the local cores, takes each year's median over the seeds,
and prints every band of the economics issue: the measure, the target, the value and whether
it holds. Bands come from ../shared/data (benchmarks.csv, acquisition_cost.csv,
double11_gmv.csv) and national statistics (online share of retail). Exit code 0 if every band
holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import o2osim

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "china_economics.yaml"
LATE = range(2014, 2020)  # the years of the conversion benchmarks


@dataclass(frozen=True)
class Band:
    """A target band and how a run's median years are measured against it."""

    name: str
    target: str
    measure: Callable[[pd.DataFrame], float]
    holds: Callable[[float], bool]


def _peak_fall(column: str) -> Callable[[pd.DataFrame], float]:
    """Fall of a column from its peak to 2020, share of the peak (0: still at its peak)."""
    return lambda y: float(1 - y[column].iloc[-1] / y[column].max())


BANDS = [
    Band(
        "desktop conversion 2014-2019",
        "0.038-0.044",
        lambda y: y.loc[LATE, "online_conversion_desktop"].median(),
        lambda v: 0.038 <= v <= 0.044,
    ),
    Band(
        "mobile conversion 2014-2019",
        "0.010-0.018",
        lambda y: y.loc[LATE, "online_conversion_mobile"].median(),
        lambda v: 0.010 <= v <= 0.018,
    ),
    Band(
        "paid-traffic conversion 2014-2019",
        "0.003-0.015",
        lambda y: y.loc[LATE, "online_conversion_paid"].median(),
        lambda v: 0.003 <= v <= 0.015,
    ),
    Band(
        "store visit conversion 2014-2019",
        "0.20-0.40",
        lambda y: y.loc[LATE, "offline_conversion_rate"].median(),
        lambda v: 0.20 <= v <= 0.40,
    ),
    Band(
        "online shop churn from 2013 (highest)",
        "0.30-0.45",
        lambda y: y.loc[2013:, "annual_churn_online"].max(),
        lambda v: 0.30 <= v <= 0.45,
    ),
    Band(
        "repeat order after a first, from 2013",
        "near 0.27 (0.20-0.35)",
        lambda y: y.loc[2013:, "repeat_after_first_order"].median(),
        lambda v: 0.20 <= v <= 0.35,
    ),
    Band(
        "traffic cost per net new buyer 2016 over 2004-2006",
        ">= 10x",
        lambda y: y.loc[2016, "traffic_cost"] / y.loc[2004:2006, "traffic_cost"].mean(),
        lambda v: v >= 10,
    ),
    Band(
        "festival week over median week, 2010-2020 (highest)",
        "2-4",
        lambda y: y.loc[2010:, "festival_week_ratio"].max(),
        lambda v: 2 <= v <= 4,
    ),
    Band(
        "price gap 2020 minus its lowest after 2008",
        "> 0 (online prices rise relative to stores)",
        lambda y: y.loc[2020, "price_gap"] - y.loc[2008:, "price_gap"].min(),
        lambda v: v > 0.02,
    ),
    Band(
        "dealers' margin: fall from its peak by 2020",
        "> 0",
        _peak_fall("dealer_margin"),
        lambda v: v > 0.02,
    ),
    Band(
        "stores: fall from their peak by 2020", "> 0", _peak_fall("stores_open"), lambda v: v > 0.1
    ),
    Band(
        "online share of retail 2013",
        "about 0.08 (0.06-0.10)",
        lambda y: y.loc[2013, "online_share"],
        lambda v: 0.06 <= v <= 0.10,
    ),
    Band(
        "online share of retail 2020",
        "about 0.25 (0.20-0.30)",
        lambda y: y.loc[2020, "online_share"],
        lambda v: 0.20 <= v <= 0.30,
    ),
]


def years_of(args: tuple[Path, int, list[str]]) -> pd.DataFrame:
    """One run's years (scenario, seed, overrides)."""
    path, seed, overrides = args
    result = o2osim.run(path, seed=seed, overrides=overrides, progress=False)
    return result.years.set_index("year")


def main() -> int:
    """Run the seeds and print the bands table; 1 if any band fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--consumers", type=int, default=5000)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    args = parser.parse_args()
    overrides = [f"population.consumers={args.consumers}", *args.overrides]
    jobs = [(args.scenario, seed, overrides) for seed in range(1, args.seeds + 1)]
    with ProcessPoolExecutor(2) as pool:
        runs = list(pool.map(years_of, jobs))
    years = pd.concat(runs).groupby(level=0).median()
    ok = True
    print(f"{'band':<54} {'value':>9}  target")
    for band in BANDS:
        value = float(band.measure(years))
        holds = band.holds(value)
        ok &= holds
        print(f"{band.name:<54} {value:>9.4g}  {band.target:<44} {'holds' if holds else 'FAILS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
