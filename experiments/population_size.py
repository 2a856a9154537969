"""Does a scenario give the same market at any number of agents? Medians by population size.

Usage (from the repository root, after `make demo` or `make test` created .venv):

    .venv/bin/python experiments/population_size.py [--scenario scenarios/china_2004_2020.yaml]
        [--sizes 5000,10000,20000,40000] [--seeds 5] [--set k=v ...] [--plot population_size.png]
        [--workers N] [--scheduler ADDRESS]

Runs the scenario once per seed and size on the local cores or a Dask cluster (a progress bar
counts the runs)
and prints, per size, the medians over the seeds of the outcomes that moved with the size
when it was first measured: the online share of retail in 2013 and 2020, the stores open in
2020, and the store price over the online price in 2020. A scenario whose economics do not
depend on the number of agents gives the same figures at every size, within the spread of
the seeds (printed as the lowest and highest seed). The plot draws the online share by year,
one line per size (the median) and its seeds' range. docs/calibration.md, "Population size",
quotes it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from _runs import add_run_options, run_seeds  # noqa: E402

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "china_2004_2020.yaml"

#: (label, how one run's years give the figure); ``{last}`` is the last simulated year
OUTCOMES = [
    ("online share 2013", lambda y: y.loc[2013, "online_share"]),
    ("online share {last}", lambda y: y["online_share"].iloc[-1]),
    ("stores open {last}", lambda y: y["stores_open"].iloc[-1]),
    (
        "store / online price {last}",
        lambda y: y["price_store"].iloc[-1] / y["price_online"].iloc[-1],
    ),
]


def sizes_of(text: str) -> list[int]:
    """The ``--sizes`` list: positive whole numbers of consumers, comma-separated."""
    try:
        sizes = [int(s) for s in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"got {text!r}, expected positive whole numbers separated by commas, e.g. 5000,40000"
        )
    return sizes


def main() -> int:
    """Run every size on every seed, print the table and draw the plot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    parser.add_argument(
        "--sizes",
        type=sizes_of,
        default=[5000, 10000, 20000, 40000],
        help="numbers of consumers, comma-separated (default 5000,10000,20000,40000)",
    )
    parser.add_argument("--plot", type=Path, default=Path("population_size.png"))
    add_run_options(parser, consumers=False)
    args = parser.parse_args()
    sizes = args.sizes
    seeds = range(1, args.seeds + 1)
    # the sizes come after the --set overrides: a size is what this experiment varies
    variants = {n: [f"population.consumers={n}"] for n in sizes}
    runs = run_seeds(parser, args, args.scenario, variants)
    by_size = {n: [runs[n, s].set_index("year") for s in seeds] for n in sizes}
    last = int(by_size[sizes[0]][0].index[-1])
    labels = [label.format(last=last) for label, _ in OUTCOMES]
    print(f"{'consumers':>10}  " + "  ".join(f"{label:>30}" for label in labels))
    for n, years in by_size.items():
        cells = []
        for _, measure in OUTCOMES:
            values = pd.Series([float(measure(y)) for y in years])
            cells.append(f"{values.median():>10.4g} ({values.min():.4g}-{values.max():.4g})")
        print(f"{n:>10}  " + "  ".join(f"{c:>30}" for c in cells))
    fig, ax = plt.subplots(figsize=(7, 4))
    for n, years in by_size.items():
        share = pd.concat([y["online_share"] for y in years], axis=1)
        (line,) = ax.plot(share.index, share.median(axis=1) * 100, label=f"{n:,} consumers")
        ax.fill_between(
            share.index,
            share.min(axis=1) * 100,
            share.max(axis=1) * 100,
            alpha=0.15,
            color=line.get_color(),
        )
    ax.set_xlabel("year")
    ax.set_ylabel("online share of retail, %")
    ax.set_title(f"{args.scenario.stem}: median and range of {len(seeds)} seeds by size")
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.plot, dpi=110)
    print(f"plot: {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
