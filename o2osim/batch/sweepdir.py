"""Reading a sweep directory (the layout of docs/sweeps.md) for sensitivity analysis and plots.

``o2osim sweep`` writes the directory; this module only reads it: ``sweep.json``,
``points.parquet``, the ``results/`` Parquet dataset and ``failures/``. Reducing each run's
yearly rows to one number is :func:`o2osim.metrics.per_run`; units and axis labels are in
:mod:`o2osim.units`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from o2osim.errors import O2OError

#: Columns of every results row that are not parameters or metrics.
RUN_COLUMNS = ("run_id", "point_id", "replicate", "seed", "year")


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
