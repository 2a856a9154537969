"""``o2osim sensitivity``: Sobol or Morris indices of a sweep's metrics, computed with SALib.

A sweep of design ``sobol`` (Saltelli's sample, ``N (D + 2)`` points) or ``morris`` (``r``
trajectories of ``D + 1`` points) is read back; each run's yearly rows become one number per
metric (final year, mean or sum), replicates of a point are averaged, and the point means, in
design order, go to ``SALib.analyze.sobol.analyze`` (first-order and total indices with
bootstrap confidence intervals) or ``SALib.analyze.morris.analyze`` (mu*, its confidence
interval, sigma and mu). Headline facts (:mod:`o2osim.batch.facts`) are analyzed the same way:
each run's years give the fact's value, replicates of a point are averaged.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from o2osim import plots, results
from o2osim.batch import facts as fact_measures
from o2osim.batch.sweepdir import SweepDir, read_sweep
from o2osim.errors import O2OError
from o2osim.metrics import check_over, per_run
from o2osim.units import OVER_WORDS

#: Designs whose points SALib can analyze.
DESIGNS = ("sobol", "morris")

#: Confidence level of the bootstrap intervals.
CONF_LEVEL = 0.95

#: Index columns of the table, by design: (column, its confidence-interval column or None).
INDICES = {
    "sobol": [("S1", "S1_conf"), ("ST", "ST_conf")],
    "morris": [("mu_star", "mu_star_conf"), ("sigma", None), ("mu", None)],
}

SENSITIVITY_FILES = ("sensitivity.csv", "sensitivity.md", "sensitivity.png")


def problem(sweep: SweepDir) -> dict[str, Any]:
    """The SALib problem of a sweep: from ``sweep.json``, else from the spec's ranges."""
    recorded = sweep.meta.get("problem") or {}
    names = list(recorded.get("names") or sweep.parameters)
    bounds = recorded.get("bounds")
    if bounds is None:
        spec = sweep.spec.get("parameters", {})
        bounds = [[spec[n]["low"], spec[n]["high"]] for n in names]
    if names != sweep.parameters:
        raise O2OError(
            f"{sweep.path}: sweep.json names parameters {names} but points.parquet has "
            f"{sweep.parameters}"
        )
    return {"num_vars": len(names), "names": names, "bounds": [list(b) for b in bounds]}


def point_means(
    sweep: SweepDir, metrics: list[str], over: str, facts: list[str] | None = None
) -> pd.DataFrame:
    """Each point's metrics and facts averaged over its successful replicates, in design order.

    Raises:
        O2OError: If any point has no successful run, or a metric or fact is missing (NaN or
            undefined) at a point.
    """
    facts = list(facts or [])
    columns = [*metrics, *facts]
    total = len(sweep.points)
    if sweep.results.empty:
        means = pd.DataFrame(columns=columns, dtype="float64")
    else:
        parts = []
        if metrics:
            runs = per_run(sweep.results, metrics, over)
            parts.append(runs.groupby("point_id", sort=True)[metrics].mean())
        if facts:
            runs = fact_measures.per_run(sweep.results, facts)
            parts.append(runs.groupby("point_id", sort=True)[facts].mean())
        means = pd.concat(parts, axis=1)
    missing = total - int(sweep.points["point_id"].isin(means.index).sum())
    if missing:
        failed = int(sweep.failures["point_id"].nunique()) if not sweep.failures.empty else 0
        raise O2OError(
            f"sensitivity: {missing} of {total} points of {sweep.path} have no successful run "
            f"({failed} of them with failed runs); {sweep.design} indices need every point: "
            "rerun the same o2osim sweep command to finish the sweep"
        )
    means = means.reindex(sweep.points["point_id"])
    for name in columns:
        bad = int(means[name].isna().sum())
        if bad:
            what = "fact" if name in facts else "metric"
            hint = "it is undefined there" if what == "fact" else "choose another metric or --over"
            raise O2OError(
                f"sensitivity: {what} {name} is missing (NaN) at {bad} of {total} points; {hint}"
            )
    return means


def sensitivity(
    sweep: str | Path | SweepDir,
    metrics: list[str] | None = None,
    over: str = "final",
    facts: list[str] | None = None,
) -> pd.DataFrame:
    """Sobol or Morris sensitivity indices of a sweep's metrics or facts to its parameters.

    Args:
        sweep: A sweep directory of design ``sobol`` or ``morris`` (or one already read).
        metrics: Metric columns to analyze (default: every metric of the sweep, unless facts
            are given).
        over: How a run becomes one number: ``final`` (last year), ``mean`` or ``sum`` over
            years. Replicates of a point are then averaged.
        facts: Headline facts (:data:`o2osim.batch.facts.FACTS` names, or ``all``), each
            measured on a run's years (``over`` does not apply), then averaged over
            replicates. Their rows follow the metrics' and carry the fact's name in ``metric``.

    Returns:
        One row per metric (or fact) and parameter: ``metric``, ``parameter`` and, for Sobol,
        ``S1``,
        ``S1_conf``, ``ST``, ``ST_conf`` (first-order and total indices and the half-widths of
        their 95% bootstrap intervals); for Morris ``mu_star``, ``mu_star_conf``, ``sigma``,
        ``mu`` (in the metric's units per unit of the normalized parameter). ``attrs`` hold the
        design, ``over``, the facts analyzed, points, runs and the sweep path.

    Raises:
        O2OError: If the design is not sobol or morris, a metric or fact is unknown, a fact's
            columns were not kept, or a point has no successful run.
    """
    sweep = sweep if isinstance(sweep, SweepDir) else read_sweep(sweep)
    check_over(over)
    design = sweep.design
    if design not in DESIGNS:
        raise O2OError(
            f"sensitivity: {sweep.path} is a {design or 'unknown'} sweep; Sobol and Morris "
            "indices need design: sobol or design: morris in the sweep spec"
        )
    known = sweep.metrics
    fact_names = [f.name for f in fact_measures.resolve(facts or [])]
    chosen = list(metrics) if metrics else ([] if fact_names else known)
    for name in chosen:
        if name not in known:
            raise O2OError(
                f"--metric: got {name!r}, expected a metric of the sweep ({', '.join(known)})"
            )
    prob = problem(sweep)
    d, p = prob["num_vars"], len(sweep.points)
    block = d + 2 if design == "sobol" else d + 1
    if p == 0 or p % block:
        raise O2OError(
            f"sensitivity: {sweep.path} has {p} points, expected a multiple of {block} for a "
            f"{design} design of {d} parameters"
        )
    means = point_means(sweep, chosen, over, fact_names)
    seed = int(sweep.spec.get("seed", 0))
    rows = []
    for metric in [*chosen, *fact_names]:
        y = means[metric].to_numpy(dtype=np.float64)
        indices = _analyze(design, prob, sweep, y, seed)
        for i, name in enumerate(prob["names"]):
            rows.append(
                {
                    "metric": metric,
                    "parameter": name,
                    **{k: float(v[i]) for k, v in indices.items()},
                }
            )
    columns = [c for pair in INDICES[design] for c in pair if c]
    table = pd.DataFrame(rows, columns=["metric", "parameter", *columns])
    table.attrs.update(
        design=design,
        over=over,
        facts=fact_names,
        points=p,
        runs=int(sweep.results["run_id"].nunique()),
        replicates=sweep.replicates,
        sweep=str(sweep.path),
        seed=seed,
        base_samples=p // block,
    )
    return table


def _analyze(
    design: str, prob: dict[str, Any], sweep: SweepDir, y: np.ndarray, seed: int
) -> dict[str, np.ndarray]:
    """Run SALib's analysis for one metric; returns index name -> one value per parameter."""
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        # A metric that does not vary has no variance to share out: indices are NaN, not noise.
        warnings.simplefilter("ignore", RuntimeWarning)
        if np.nanstd(y) == 0:
            names = [c for pair in INDICES[design] for c in pair if c]
            return {k: np.full(prob["num_vars"], np.nan) for k in names}
        if design == "sobol":
            from SALib.analyze import sobol

            si = sobol.analyze(prob, y, calc_second_order=False, conf_level=CONF_LEVEL, seed=seed)
            return {k: np.asarray(si[k]) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        from SALib.analyze import morris

        x = sweep.points[prob["names"]].to_numpy(dtype=np.float64)
        # The grid of the Morris sample; o2osim sweep uses SALib's default of 4 levels.
        levels = int(sweep.spec.get("num_levels", 4))
        si = morris.analyze(prob, x, y, conf_level=CONF_LEVEL, num_levels=levels, seed=seed)
        return {
            k: np.asarray(si[k], dtype=np.float64)
            for k in ("mu_star", "mu_star_conf", "sigma", "mu")
        }


def markdown(table: pd.DataFrame) -> str:
    """sensitivity.md: one row per metric and parameter, each index with its interval."""
    a = table.attrs
    design = a.get("design", "sobol")
    over = OVER_WORDS.get(a.get("over", "final"), a.get("over"))
    if design == "sobol":
        head = ["metric", "parameter", "S1 (first order)", "ST (total)"]
        legend = (
            f"Sobol indices (Saltelli's estimator, SALib) from {a.get('points')} points "
            f"(N = {a.get('base_samples')}); each point's value is the mean over its replicates of "
            f"the metric's {over}. S1: share "
            "of the metric's variance due to the parameter alone; ST: due to it with all its "
            f"interactions. ± the half-width of the {CONF_LEVEL:.0%} bootstrap interval."
        )
        if a.get("facts"):
            legend += (
                " Facts (" + ", ".join(a["facts"]) + ") are measured on each run's years "
                "(o2osim.batch.facts), then averaged over replicates."
            )
    else:
        head = ["metric", "parameter", "mu* (mean absolute effect)", "sigma", "mu"]
        legend = (
            f"Morris elementary effects (SALib) from {a.get('points')} points "
            f"({a.get('base_samples')} trajectories); each point's value is the mean over its "
            f"replicates of the metric's {over}. "
            "mu*: mean absolute change of the metric when the parameter moves across its "
            "range's normalized grid step; sigma: their spread (interactions, nonlinearity). "
            f"± the half-width of the {CONF_LEVEL:.0%} bootstrap interval of mu*."
        )
    lines = [
        f"# Sensitivity: {a.get('sweep', '')}",
        "",
        legend,
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join([":--", ":--", *["--:"] * (len(head) - 2)]) + "|",
    ]
    for _, row in table.iterrows():
        cells = [row["metric"], row["parameter"]]
        for name, conf in INDICES[design]:
            cell = _fmt(row[name])
            if conf:
                cell += f" ± {_fmt(row[conf])}"
            cells.append(cell)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def leading(table: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    """Each metric's (or fact's) ``k`` leading parameters of a Sobol table, by total index.

    Args:
        table: From :func:`sensitivity` of a Sobol sweep.
        k: Parameters kept per metric.

    Returns:
        The table's rows of those parameters, metrics in their order, each metric's rows from
        the largest total index ``ST`` down (NaN indices last), with a ``rank`` column (1..k).

    Raises:
        O2OError: If the table has no Sobol indices.
    """
    if "ST" not in table.columns:
        raise O2OError("leading parameters need Sobol indices (S1, ST): a sobol sweep")
    order = list(dict.fromkeys(table["metric"]))
    parts = []
    for metric in order:
        rows = table[table["metric"] == metric].sort_values(
            "ST", ascending=False, na_position="last", kind="stable"
        )
        rows = rows.head(k).copy()
        rows.insert(1, "rank", range(1, len(rows) + 1))
        parts.append(rows)
    out = pd.concat(parts, ignore_index=True)
    out.attrs.update(table.attrs)
    return out


def _fmt(x: float) -> str:
    """Four significant digits; '-' for NaN."""
    return "-" if not np.isfinite(x) else f"{x:.4g}"


def save(table: pd.DataFrame, out: str | Path) -> Path:
    """Write sensitivity.csv, sensitivity.md and sensitivity.png into ``out``, atomically.

    Args:
        table: The result of :func:`sensitivity`.
        out: The output directory (an existing one is replaced).

    Returns:
        The directory.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise O2OError(f"--out: {out} exists and is not a directory")
    with results.atomic_directory(out) as tmp:
        table.to_csv(
            tmp / "sensitivity.csv", index=False, float_format="%.10g", lineterminator="\n"
        )
        (tmp / "sensitivity.md").write_text(markdown(table))
        fig = plots.sensitivity_bars(table)
        fig.savefig(tmp / "sensitivity.png", dpi=100)
        plots.plt.close(fig)
    return out
