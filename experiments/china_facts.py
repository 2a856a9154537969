"""Check the China 2004-2020 story in the median over seeds, and print the table.

Usage (from the repository root, after `make demo` or `make test` created .venv):

    .venv/bin/python experiments/china_facts.py [--scenario FILE] [--seeds 5] [--consumers N]
        [--set k=v ...] [--workers N] [--scheduler ADDRESS]

Runs scenarios/china_2004_2020.yaml (or ``--scenario``) once per seed on the local cores (or a
Dask cluster), measures every fact of o2osim.story in each run, and prints each fact's median,
the target and whether it holds. Exit code 0 if every fact holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from _runs import add_run_options, run_seeds

import o2osim
from o2osim import story

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "china_2004_2020.yaml"


def facts_of(scenario: o2osim.Scenario) -> dict[str, float]:
    """Every fact of the story measured in one run of a resolved scenario."""
    result = o2osim.run(scenario, progress=False, notice=False)
    return story.measure(result.years, result.ticks)


def main() -> int:
    """Run the seeds and print the facts table; 1 if any fact fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    add_run_options(parser)
    args = parser.parse_args()
    rows = run_seeds(parser, args, args.scenario, fn=facts_of)
    table = pd.DataFrame(list(rows.values())).median()
    ok = True
    print(f"{'fact':<60} {'median':>10}  target")
    for fact in story.FACTS:
        holds = fact.holds(float(table[fact.name]))
        ok &= holds
        print(
            f"{fact.name:<60} {table[fact.name]:>10.4g}  {fact.target:<26} "
            f"{'holds' if holds else 'FAILS'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
