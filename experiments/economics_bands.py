"""Where a China scenario lands against the data's bands (issue 15), medians over seeds.

Usage (from the repository root, after `make demo` or `make test` created .venv):

    .venv/bin/python experiments/economics_bands.py [--scenario scenarios/china_2004_2020.yaml]
        [--seeds 5] [--consumers N] [--set k=v ...] [--workers N] [--scheduler ADDRESS]

Runs the scenario once per seed on the local cores (or a Dask cluster), takes each year's
median over the seeds, and prints every band of the economics issue: the measure, the target,
the value and whether it holds. The facts and their bands are o2osim.batch.facts.FACTS (the
same measures that `o2osim sensitivity --fact` analyzes); they come from ../shared/data
(benchmarks.csv, acquisition_cost.csv, double11_gmv.csv) and national statistics (online share
of retail). Exit code 0 if every band holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from _runs import add_run_options, run_seeds

from o2osim.batch.facts import FACTS

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "china_2004_2020.yaml"


def main() -> int:
    """Run the seeds and print the bands table; 1 if any band fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    add_run_options(parser)
    args = parser.parse_args()
    runs = run_seeds(parser, args, args.scenario)
    years = pd.concat(y.set_index("year") for y in runs.values()).groupby(level=0).median()
    ok = True
    print(f"{'band':<54} {'value':>9}  target")
    for fact in FACTS:
        value = fact.value(years)
        holds = fact.holds(value)
        ok &= holds
        print(f"{fact.title:<54} {value:>9.4g}  {fact.target:<44} {'holds' if holds else 'FAILS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
