"""What drives each headline fact of China with the economics on (issue 15): a Sobol table.

Usage (from the repository root, after `make demo` or `make test` created .venv):

    .venv/bin/python experiments/what_drives_it.py [--workers N] [--docs]
        [--spec experiments/sensitivity_china.yaml] [--out out/what_drives_it]
        [--set k=v ...]

Runs the sweep of the spec (or resumes it: a finished sweep is not run again), computes the
first-order and total Sobol indices of the spec's headline facts (`facts:`, here all of
o2osim.batch.facts, the same measures as experiments/economics_bands.py) as
`o2osim sensitivity --fact` does, and writes into OUT:

- sensitivity/ (sensitivity.csv, .md, .png: every fact against every parameter);
- what_drives_it.md: each fact's three leading parameters (by total index) with S1 and ST and
  their 95% bootstrap intervals, the fact's spread over the design, and the check of issue 15:
  no fact may have S1 > 0.8 on a parameter that directly scales it (a "knob", KNOBS below);
- what_drives_it.png: S1 and ST of the three leading parameters, one panel per fact.

With --docs the table replaces the block between the `what-drives-it` markers in
docs/calibration.md and the figure goes to docs/img/what_drives_it.png. Exit code 1 if a fact
has S1 > 0.8 on one of its knobs, else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from o2osim import plots
from o2osim.batch.facts import BY_NAME
from o2osim.batch.sensitivity import CONF_LEVEL, leading, point_means, save, sensitivity
from o2osim.batch.sweep import sweep
from o2osim.batch.sweepdir import read_sweep

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "experiments" / "sensitivity_china.yaml"
DOCS = ROOT / "docs" / "calibration.md"
FIGURE = ROOT / "docs" / "img" / "what_drives_it.png"
BEGIN, END = "<!-- what-drives-it:begin -->", "<!-- what-drives-it:end -->"

#: Parameters that would set a fact directly if it leaned on them alone: visit rates for
#: conversion (the search cost sets the search sessions a need takes; the paid visit rate is
#: the click-through; the sponsored results a search shows set how many paid clicks carry a
#: need), the price elasticity for the
#: festival week, the value of a familiar shop for churn and repeat orders.
KNOBS: dict[str, tuple[str, ...]] = {
    "conversion_desktop": ("sessions.comparison_sessions", "consumers.search_cost"),
    "conversion_mobile": (
        "sessions.comparison_sessions",
        "sessions.mobile_browsing",
        "consumers.search_cost",
    ),
    "conversion_paid": ("attention.click_through", "attention.search_ads"),
    "festival_week": ("consumers.price_elasticity",),
    "churn_online": ("consumers.familiarity_value", "consumers.first_order_familiarity"),
    "repeat_order": ("consumers.familiarity_value", "consumers.first_order_familiarity"),
}

#: The issue's ceiling on a knob's first-order index.
CEILING = 0.8


def _fmt(x: float, conf: float) -> str:
    """An index with its interval, two decimals; '-' for NaN."""
    return "-" if not np.isfinite(x) else f"{x:.2f} ± {conf:.2f}"


def _spread(values: pd.Series) -> str:
    """Median and 5-95% range of a fact over the design's points."""
    lo, mid, hi = np.nanpercentile(values, [5, 50, 95])
    return f"{mid:.3g} ({lo:.3g} to {hi:.3g})"


def _is_knob(table: pd.DataFrame) -> np.ndarray:
    """Whether each row's parameter is a knob of its fact."""
    pairs = zip(table["metric"], table["parameter"], strict=True)
    return np.array([p in KNOBS.get(m, ()) for m, p in pairs], dtype=bool)


def knob_hits(table: pd.DataFrame) -> pd.DataFrame:
    """Rows where a fact's first-order index on one of its knobs exceeds the ceiling.

    Args:
        table: Sobol indices of the facts (``metric`` holds the fact's name).

    Returns:
        The rows with S1 > :data:`CEILING` on a knob of their fact, and a column ``certain``:
        whether the lower end of S1's interval is above the ceiling too.
    """
    hits = table[_is_knob(table) & (table["S1"] > CEILING)].copy()
    hits["certain"] = hits["S1"] - hits["S1_conf"] > CEILING
    return hits


def markdown(
    table: pd.DataFrame, values: pd.DataFrame, timing: dict[str, float], spec: Path
) -> str:
    """The what-drives-it table and the knob check, as markdown."""
    a = table.attrs
    top = leading(table, 3)
    shown = spec.resolve().relative_to(ROOT) if spec.resolve().is_relative_to(ROOT) else spec
    lines = [
        f"Sobol indices of each headline fact over the {table['parameter'].nunique()} "
        f"parameters of `{shown}`: {a['points']} points "
        f"(N = {a['base_samples']}), one run of each. S1: share of the fact's variance over the "
        "design due to the parameter alone; ST: with all its interactions; ± the half-width "
        f"of the {CONF_LEVEL:.0%} bootstrap interval. The three leading parameters by ST; "
        "*knob*: a parameter that directly scales that fact.",
        "",
        "| fact | band | over the design: median (5-95%) | # | parameter | S1 | ST |",
        "|:--|:--|:--|--:|:--|--:|--:|",
    ]
    for _, row in top.iterrows():
        fact = BY_NAME[row["metric"]]
        first = row["rank"] == 1
        name = f"`{row['parameter']}`"
        if row["parameter"] in KNOBS.get(fact.name, ()):
            name += " *knob*"
        lines.append(
            "| "
            + " | ".join(
                [
                    f"{fact.title}" if first else "",
                    fact.target if first else "",
                    _spread(values[fact.name]) if first else "",
                    str(row["rank"]),
                    name,
                    _fmt(row["S1"], row["S1_conf"]),
                    _fmt(row["ST"], row["ST_conf"]),
                ]
            )
            + " |"
        )
    hits = knob_hits(table)
    lines.append("")
    if hits.empty:
        worst = table[_is_knob(table)]
        w = worst.loc[worst["S1"].idxmax()]
        lines.append(
            f"Knob check (issue 15): no fact has S1 > {CEILING} on a parameter that directly "
            f"scales it; the largest is {w['S1']:.2f} ± {w['S1_conf']:.2f} "
            f"(`{w['parameter']}` for {w['metric']})."
        )
    else:
        for _, h in hits.iterrows():
            lines.append(
                f"Knob check (issue 15): **{h['metric']} has S1 {h['S1']:.2f} ± "
                f"{h['S1_conf']:.2f} on `{h['parameter']}`**, above {CEILING}"
                + (" (even at the lower end of its interval)." if h["certain"] else ".")
            )
    if timing.get("sweep_seconds") is None:
        ran = f"{timing['runs']} runs (run earlier by o2osim sweep, which printed its time)"
    else:
        ran = (
            f"{timing['runs']} runs in {timing['sweep_seconds']:.0f} s on "
            f"{timing['workers']} worker processes"
        )
        if timing.get("resumed_from"):
            ran += f" ({timing['resumed_from']} of them done before, not timed)"
    lines += ["", f"Sweep: {ran}; analysis {timing['analysis_seconds']:.0f} s."]
    return "\n".join(lines) + "\n"


def point_values(sweep_dir: Path, names: list[str]) -> pd.DataFrame:
    """Each point's facts (mean over replicates), for the spread column."""
    return point_means(read_sweep(sweep_dir), [], "final", names)


def main() -> int:
    """Sweep, analyse, write the table and the figure; 1 if a knob check fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "what_drives_it")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--docs", action="store_true", help="update docs/calibration.md")
    args = parser.parse_args()

    timing_file = args.out / "timing.json"
    report = sweep(args.spec, args.out, args.overrides, workers=args.workers, progress=True)
    if report.done or report.failed:
        timing = {
            "runs": report.runs,
            "sweep_seconds": report.seconds,
            "workers": args.workers or os.cpu_count(),
            "resumed_from": report.earlier,
        }
    elif timing_file.exists():  # a finished sweep read again: keep the time it took
        timing = json.loads(timing_file.read_text())
    else:  # finished by an earlier o2osim sweep command: its time is in that command's output
        timing = {"runs": report.runs, "sweep_seconds": None}
    started = time.perf_counter()
    facts = read_sweep(args.out).spec.get("facts") or ["all"]
    table = sensitivity(args.out, facts=facts)
    save(table, args.out / "sensitivity")
    values = point_values(args.out, table.attrs["facts"])
    timing["analysis_seconds"] = time.perf_counter() - started
    timing_file.write_text(json.dumps(timing, indent=1))

    text = markdown(table, values, timing, args.spec)
    (args.out / "what_drives_it.md").write_text(text)
    fig = plots.sensitivity_bars(
        leading(table, 3),
        title="What drives each fact: its three leading parameters (95% bootstrap intervals)",
    )
    fig.savefig(args.out / "what_drives_it.png", dpi=80)
    plots.plt.close(fig)
    print(text)
    print(f"written: {args.out / 'what_drives_it.md'}, {args.out / 'what_drives_it.png'}")
    if args.docs:
        doc = DOCS.read_text()
        if BEGIN not in doc or END not in doc:
            print(f"{DOCS}: no {BEGIN} ... {END} block", file=sys.stderr)
            return 2
        head, rest = doc.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        DOCS.write_text(f"{head}{BEGIN}\n{text}{END}{tail}")
        shutil.copyfile(args.out / "what_drives_it.png", FIGURE)
        print(f"updated: {DOCS}, {FIGURE}")
    return 1 if len(knob_hits(table)) else 0


if __name__ == "__main__":
    sys.exit(main())
