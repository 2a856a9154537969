"""Reading a sweep directory (the layout of docs/sweeps.md) for sensitivity analysis and plots.

``o2osim sweep`` writes the directory; this module only reads it: ``sweep.json``,
``points.parquet``, the ``results/`` Parquet dataset and ``failures/``. It also reduces each
run's yearly rows to one number per metric and names the units of parameters and metrics for
axis labels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from o2osim.errors import O2OError

#: How a run's yearly rows become one number: the final year's value, the mean or the sum.
OVERS = ("final", "mean", "sum")

#: Words for ``OVERS`` in tables and axis labels.
OVER_WORDS = {"final": "final-year value", "mean": "mean over years", "sum": "sum over years"}

#: Columns of every results row that are not parameters or metrics.
RUN_COLUMNS = ("run_id", "point_id", "replicate", "seed", "year")

#: Units of yearly columns that :data:`o2osim.batch.comparison.UNITS` does not name.
EXTRA_UNITS = {
    "online_conversion_rate": "orders per visit",
    "offline_conversion_rate": "orders per visit",
    "mean_trust_offline": "trust (0-1)",
    "annual_churn_offline": "share of customers",
    "annual_churn_platform": "share of customers",
    "traffic_cost_": "yuan per new customer",
    "store_openings": "stores",
    "online_users": "people",
    "mobile_users": "people",
    "consumers": "people",
    "working_age_population": "people",
    "new_consumers": "people",
    "marketing_spend": "yuan",
}


@dataclass
class SweepDir:
    """A sweep directory as read from disk.

    Attributes:
        path: The directory.
        meta: ``sweep.json``.
        points: ``points.parquet``: ``point_id`` and one column per parameter, in design order.
        results: Every finished run's yearly rows (empty when none has finished).
        failures: Runs that raised and have no rows (empty when none).
    """

    path: Path
    meta: dict[str, Any]
    points: pd.DataFrame
    results: pd.DataFrame
    failures: pd.DataFrame

    @property
    def spec(self) -> dict[str, Any]:
        """The resolved sweep spec recorded in ``sweep.json``."""
        return self.meta.get("spec", {})

    @property
    def design(self) -> str:
        """``grid``, ``random``, ``latin``, ``sobol`` or ``morris``."""
        return str(self.spec.get("design", ""))

    @property
    def parameters(self) -> list[str]:
        """Parameter names (dotted paths), in the order of the design's columns."""
        return [c for c in self.points.columns if c != "point_id"]

    @property
    def metrics(self) -> list[str]:
        """Metric columns of the results (as the spec lists them, else as found)."""
        listed = self.spec.get("metrics") or []
        if listed:
            return list(listed)
        skip = {*RUN_COLUMNS, *self.parameters}
        return [c for c in self.results.columns if c not in skip]

    @property
    def replicates(self) -> int:
        """Runs per point."""
        return int(self.spec.get("replicates", 1))


def read_sweep(path: str | Path) -> SweepDir:
    """Read a sweep directory.

    Args:
        path: The directory written by ``o2osim sweep``.

    Returns:
        The :class:`SweepDir`.

    Raises:
        O2OError: If the directory or its ``sweep.json`` or ``points.parquet`` is missing or
            unreadable.
    """
    path = Path(path)
    meta_file = path / "sweep.json"
    if not path.is_dir():
        raise O2OError(f"{path}: expected a sweep directory (written by o2osim sweep)")
    if not meta_file.exists():
        raise O2OError(f"{path}: not a sweep directory (no sweep.json; run o2osim sweep first)")
    if not (path / "points.parquet").exists():
        raise O2OError(f"{path}: not a complete sweep directory (no points.parquet)")
    try:
        meta = json.loads(meta_file.read_text())
        points = pd.read_parquet(path / "points.parquet")
    except (OSError, ValueError) as exc:
        raise O2OError(f"{path}: unreadable sweep directory ({exc})") from None
    # Part files are renamed into place when complete; hidden temporary files ('.part-*') are
    # skipped by the Parquet reader, so a sweep still running reads as its finished runs.
    frames = [_dataset(path / "results"), _dataset(path / "failures")]
    results, failures = frames
    if not results.empty:
        # A resumed sweep never repeats a run, but a duplicate must not count twice.
        results = results.drop_duplicates(["run_id", "year"], keep="last")
        results = results.sort_values(["run_id", "year"], kind="stable").reset_index(drop=True)
    if not failures.empty:
        # A run retried (--retry-failed) that failed again has two records, one that
        # succeeded has rows: either way it counts once.
        failures = failures.drop_duplicates("run_id", keep="last")
        if not results.empty:
            failures = failures[~failures["run_id"].isin(results["run_id"])]
    return SweepDir(path, meta, points, results, failures.reset_index(drop=True))


def _dataset(folder: Path) -> pd.DataFrame:
    """A Parquet dataset folder as one DataFrame (empty when it has no part yet)."""
    if not any(folder.glob("part-*.parquet")):
        return pd.DataFrame()
    return pd.read_parquet(folder)


def check_over(over: str) -> str:
    """Return ``over`` if it is one of :data:`OVERS`, else raise a one-line error."""
    if over not in OVERS:
        raise O2OError(f"--over: got {over!r}, expected one of {', '.join(OVERS)}")
    return over


def per_run(results: pd.DataFrame, columns: list[str], over: str = "final") -> pd.DataFrame:
    """Reduce each run's yearly rows to one row: the final year's values, the mean or the sum.

    Args:
        results: Rows of a sweep's results (``run_id``, ``point_id``, ``year``, parameters,
            metrics).
        columns: The metric columns to reduce.
        over: ``final`` (the value in the run's last year), ``mean`` or ``sum`` over years.

    Returns:
        One row per run, indexed by ``run_id``: ``point_id``, ``replicate`` and the parameter
        columns as they are, the metric columns reduced.

    Raises:
        O2OError: If ``over`` is unknown.
    """
    check_over(over)
    ordered = results.sort_values(["run_id", "year"], kind="stable")
    keep = [c for c in ordered.columns if c not in columns and c != "year"]
    # The other columns are constant within a run: take them from its last row.
    last = ordered.groupby("run_id", sort=True).tail(1).set_index("run_id")
    if over == "final":
        return last[[c for c in keep if c != "run_id"] + columns]
    grouped = ordered.groupby("run_id", sort=True)[columns]
    reduced = grouped.mean() if over == "mean" else grouped.sum(min_count=1)
    return last[[c for c in keep if c != "run_id"]].join(reduced)


def parameter_unit(path: str) -> str:
    """The unit of a scenario field by its dotted path (as in ``--set``), '' when unknown."""
    from o2osim.scenario import Scenario

    model: Any = Scenario
    info = None
    for key in path.split("."):
        if key.isdigit():
            continue  # a list index: the item's model is already selected
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return ""
        info = model.model_fields.get(key)
        if info is None:
            return ""
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        model = args[0] if args else annotation
    extra = getattr(info, "json_schema_extra", None) or {}
    unit = extra.get("unit", "") if isinstance(extra, dict) else ""
    return "" if unit in ("-", None) else str(unit)


def metric_unit(name: str) -> str:
    """The unit of a yearly column, '' when unknown."""
    from o2osim.batch.comparison import unit  # the outcome units of compare, kept in one place

    found = unit(name)
    if found:
        return found
    for prefix, value in EXTRA_UNITS.items():
        if name == prefix or (prefix.endswith("_") and name.startswith(prefix)):
            return value
    return ""


def label(name: str, unit: str = "", over: str | None = None) -> str:
    """An axis label: ``name, over (unit)``."""
    text = name if over is None else f"{name}, {OVER_WORDS.get(over, over)}"
    return f"{text} ({unit})" if unit else text
