"""How far a scenario lands from real series: errors by series, fitted years, held out, not fitted.

Usage (from the repository root, after `make demo` or `make test` created .venv):

    .venv/bin/python experiments/validation_report.py [--scenario scenarios/china_2004_2020.yaml]
        [--targets experiments/targets_china_real.csv | none]
        [--validation experiments/validation_china.csv] [--fit-until 2015]
        [--seeds 5] [--consumers N] [--set k=v ...] [--workers N] [--scheduler ADDRESS]
        [--out out/validation]

Runs the scenario once per seed and measures, at the mean over the seeds, each series'
error against the targets, split as a calibration splits them
(:func:`o2osim.batch.calibration.fit_errors`): the targets' years up to ``--fit-until``
("fitted"), the later ones ("held_out"), and the validation series ("not_fitted"). Prints
the table, writes it as ``errors.csv`` with the seeds' mean of each series by year
(``series.csv``) and a figure of the series against the data (``validation.png``) to
``--out``. The same report a calibration writes at its fitted
values, for a scenario as it stands. ``--targets none`` reports the validation series alone,
as for the US scenario, which nothing was fitted to:

    .venv/bin/python experiments/validation_report.py --scenario scenarios/us_2000_2020.yaml \
        --targets none --validation experiments/validation_us.csv --out out/validation_us
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from _runs import add_run_options, run_seeds

from o2osim import plots
from o2osim.batch.calibration import errors_table, fit_errors, target_scales

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent / "scenarios" / "china_2004_2020.yaml"


def read(path: Path, kind: str) -> pd.DataFrame:
    """A CSV of ``year, metric, value`` (lines from ``#`` on are comments)."""
    frame = pd.read_csv(path, comment="#", skipinitialspace=True)
    return frame.assign(set=kind)[["year", "metric", "value", "set"]]


def main() -> int:
    """Run the seeds, print and save the errors by set; 0 unless a run failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    parser.add_argument(
        "--targets", default=str(HERE / "targets_china_real.csv"), help="a CSV, or none"
    )
    parser.add_argument("--validation", type=Path, default=HERE / "validation_china.csv")
    parser.add_argument("--fit-until", type=int, default=2015)
    parser.add_argument("--out", type=Path, default=Path("out") / "validation")
    add_run_options(parser)
    args = parser.parse_args()
    every = read(args.validation, "not_fitted")
    if args.targets.lower() != "none":
        targets = read(Path(args.targets), "fitted")
        targets.loc[targets["year"] > args.fit_until, "set"] = "held_out"
        every = pd.concat([targets, every], ignore_index=True)
    runs = pd.concat(run_seeds(parser, args, args.scenario).values(), ignore_index=True)
    missing = sorted(set(every["metric"]) - set(runs.columns))
    if missing:
        parser.error(f"the runs have no column {missing[0]} (targets name years.csv columns)")
    errors = fit_errors(runs, every, target_scales(every))
    args.out.mkdir(parents=True, exist_ok=True)
    errors.to_csv(args.out / "errors.csv", index=False, float_format="%.6g")
    metrics = list(dict.fromkeys(every["metric"]))
    mean = runs.groupby("year")[metrics].mean().reset_index()
    mean.to_csv(args.out / "series.csv", index=False, float_format="%.6g")
    figure = plots.calibration_fit(
        runs, every, f"{args.scenario.name}: {args.seeds} seeds against the data"
    )
    figure.savefig(args.out / "validation.png", dpi=100)
    print(errors_table(errors))
    print(f"wrote {args.out / 'errors.csv'}, series.csv and validation.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
