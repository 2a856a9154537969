"""Check the China 2004-2020 story in the median over seeds, and print the table.

Usage (from the repository root, after `make demo` or `make test` created .venv):

    .venv/bin/python experiments/china_facts.py [--seeds 5] [--consumers N] [--set k=v ...]

Runs scenarios/china_2004_2020.yaml once per seed on the local cores, measures every fact of
o2osim.story in each run, and prints each fact's median, the target and whether it holds.
Exit code 0 if every fact holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

import o2osim
from o2osim import story

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "china_2004_2020.yaml"


def facts_of(args: tuple[int, list[str]]) -> dict[str, float]:
    """Every fact of the story measured in one run (seed, overrides)."""
    seed, overrides = args
    result = o2osim.run(SCENARIO, seed=seed, overrides=overrides, progress=False)
    return story.measure(result.years, result.ticks)


def main() -> int:
    """Run the seeds and print the facts table; 1 if any fact fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument(
        "--consumers", type=int, default=None, help="default: the scenario's own population"
    )
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    args = parser.parse_args()
    size = [] if args.consumers is None else [f"population.consumers={args.consumers}"]
    overrides = [*size, *args.overrides]
    jobs = [(seed, overrides) for seed in range(1, args.seeds + 1)]
    with ProcessPoolExecutor(2) as pool:
        rows = list(pool.map(facts_of, jobs))
    table = pd.DataFrame(rows).median()
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
