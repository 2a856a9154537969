"""``o2osim calibrate``: fit scenario parameters to target series (simulated method of moments).

A calibration spec (YAML) names a base scenario, the parameters to fit with their ranges, and a
CSV of target values (``year, metric, value``). A candidate ``theta`` is scored by running the
scenario at ``theta`` with ``R`` seeds, the same ``R`` seeds for every candidate (common random
numbers), and measuring

    D(theta) = sum over targets (year t, metric m) of ((mean_r sim_r[m, t](theta) - target) / s_m)^2

with ``s_m`` the mean absolute target value of metric ``m``, so metrics of different units
weigh alike. With ``fit_until: Y`` only the targets up to year ``Y`` enter ``D``; the later
ones are held out, and a ``validation`` CSV holds series that are never fitted. At the fitted
parameters every series' error is reported by set (:func:`fit_errors`): fitted, held out,
not fitted, so a fit's out-of-sample error is never mistaken for its in-sample error.
``scipy.optimize.differential_evolution`` minimizes ``D``: a global, derivative-free optimizer
that tolerates the roughness that remains in ``D`` after common random numbers. Each
generation's population is evaluated at once through :class:`o2osim.batch.execution.Executor`
(``updating="deferred"``), one Dask task per candidate and seed.
"""

from __future__ import annotations

import copy
import difflib
import gc
import inspect
import json
import os
import sys
import textwrap
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from tqdm.auto import tqdm

from o2osim import metrics, plots, results
from o2osim.batch.execution import Executor
from o2osim.batch.runs import RunsFailed, forget_model, run_years
from o2osim.errors import O2OError, ScenarioError
from o2osim.model import O2OMarket
from o2osim.resources import check_memory
from o2osim.run import git_commit, versions
from o2osim.scenario import (
    Scenario,
    field_value,
    load_scenario,
    parse_override,
    read_yaml,
    resolve_relative,
)

CALIBRATION_FILES = (
    "calibration.json",
    "calibrated.yaml",
    "calibration.png",
    "history.csv",
    "errors.csv",
)

#: The sets a target belongs to, in the order errors are reported.
TARGET_SETS = ("fitted", "held_out", "not_fitted")

#: Columns the targets CSV must have.
TARGET_COLUMNS = ("year", "metric", "value")


class _Range(BaseModel):
    """The interval a parameter is searched in."""

    model_config = ConfigDict(extra="forbid", strict=True)

    low: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> _Range:
        if not self.low < self.high:
            raise ValueError("low below high")
        return self


class SpecFile(BaseModel):
    """The calibration spec as written in YAML (see docs/analysis.md)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    base: str = Field(min_length=1)
    overrides: list[str] = Field(default_factory=list)
    parameters: dict[str, _Range] = Field(min_length=1)
    targets: str = Field(min_length=1)
    replicates: int = Field(2, ge=1, le=10_000)
    seed: int | None = Field(None, ge=0, le=2**63 - 1)
    method: Literal["differential_evolution"] = "differential_evolution"
    maxiter: int = Field(10, ge=0, le=100_000)
    popsize: int = Field(8, ge=1, le=10_000)
    fit_until: int | None = Field(None, ge=1900, le=2200)
    validation: str | None = Field(None, min_length=1)


def _spec_error(source: Path, err: dict[str, Any]) -> ScenarioError:
    """A pydantic error on the spec as one line naming the file and the field."""
    loc = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        known = list(SpecFile.model_fields) if len(err["loc"]) == 1 else ["low", "high"]
        close = difflib.get_close_matches(str(err["loc"][-1]), known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return ScenarioError(
            source, loc, str(err["loc"][-1]), f"a known field{hint} (known: {', '.join(known)})"
        )
    if err["type"] == "missing":
        return ScenarioError(source, loc, "(missing)", "a value: this field is required")
    ctx = err.get("ctx", {})
    expected = {
        "greater_than_equal": f"at least {ctx.get('ge')}",
        "less_than_equal": f"at most {ctx.get('le')}",
        "literal_error": f"one of {ctx.get('expected')}",
        "int_type": "an integer",
        "float_type": "a number",
        "finite_number": "a finite number",
        "string_type": "a string",
        "string_too_short": "a non-empty string",
        "list_type": "a list of KEY=VALUE strings",
        "dict_type": "a mapping",
        "too_short": "at least one entry",
    }.get(err["type"])
    if expected is None:
        message = err["msg"].removeprefix("Value error, ")
        expected = message[0].lower() + message[1:]
    return ScenarioError(source, loc, err.get("input"), expected)


def crn_seeds(seed: int, replicates: int) -> list[int]:
    """The common seeds: replicate ``r`` runs with ``SeedSequence([seed, r])``, as in sweeps."""
    return [
        int(np.random.SeedSequence([seed, r]).generate_state(1, np.uint64)[0] % 2**63)
        for r in range(replicates)
    ]


@dataclass
class CalibrationSpec:
    """A validated calibration problem.

    Attributes:
        source: The spec file.
        base: The base scenario file (absolute).
        overrides: ``KEY=VALUE`` strings of the spec, then of ``--set``.
        scenario: The base scenario with the overrides applied.
        parameters: Dotted path -> (low, high), in the order of ``theta``.
        targets_file: The targets CSV (absolute).
        targets: ``year``, ``metric``, ``value``, one row per fitted target.
        scales: Metric -> ``s_m``, the mean absolute target value (1 where that is 0), for
            every metric of the three sets.
        held_out: The targets after ``fit_until`` (reported, not fitted).
        not_fitted: The validation series (reported, never fitted).
        fit_until: The last fitted year (``None``: every target year).
        seeds: The common seed of each replicate.
        method, maxiter, popsize, seed: As in the spec (``seed`` defaults to the scenario's).
    """

    source: Path
    base: Path
    overrides: list[str]
    scenario: Scenario
    parameters: dict[str, tuple[float, float]]
    targets_file: Path
    targets: pd.DataFrame
    scales: dict[str, float]
    seeds: list[int]
    method: str
    maxiter: int
    popsize: int
    seed: int
    held_out: pd.DataFrame
    not_fitted: pd.DataFrame
    fit_until: int | None = None

    @property
    def names(self) -> list[str]:
        """Parameter paths in the order of ``theta``."""
        return list(self.parameters)

    @property
    def bounds(self) -> list[tuple[float, float]]:
        """``(low, high)`` per parameter."""
        return list(self.parameters.values())

    def params(self, theta: Iterable[float]) -> dict[str, float]:
        """``theta`` as ``{path: value}``."""
        return {n: float(v) for n, v in zip(self.names, theta, strict=True)}

    def scenario_at(self, theta: Iterable[float], replicate: int) -> Scenario:
        """The scenario at ``theta`` with the common seed of ``replicate``."""
        return self.with_values(theta, self.seeds[replicate])

    def with_values(
        self, theta: Iterable[float], seed: int, base: Scenario | None = None
    ) -> Scenario:
        """The scenario (or ``base``, one that shares the parameters) at ``theta`` and ``seed``."""
        # Values go in as numbers (keyword fields), not as text to parse as YAML.
        fields = {k.replace(".", "__"): v for k, v in self.params(theta).items()}
        return load_scenario(base or self.scenario, seed=seed, **fields)

    def distance(self, runs: list[pd.DataFrame]) -> float:
        """``D``: squared scaled distance of the replicates' mean series from the targets.

        Args:
            runs: The yearly tables of the replicates at one ``theta``.

        Returns:
            ``D(theta)``; infinite when a targeted value is missing from the runs.
        """
        scale = self.targets["metric"].map(self.scales).to_numpy()
        residual = (self.simulated(runs) - self.targets["value"].to_numpy()) / scale
        total = float(np.sum(residual**2))
        return total if np.isfinite(total) else float("inf")

    def simulated(self, runs: list[pd.DataFrame]) -> np.ndarray:
        """The replicates' mean at each fitted target, in the targets' order (NaN if missing).

        Args:
            runs: Yearly tables (``year`` and the targeted metrics).
        """
        wanted = list(dict.fromkeys(self.targets["metric"]))
        mean = pd.concat([r[["year", *wanted]] for r in runs]).groupby("year").mean()
        sim = mean.stack().reindex(pd.MultiIndex.from_frame(self.targets[["year", "metric"]]))
        return sim.to_numpy(dtype=np.float64)

    def describe(self) -> dict[str, Any]:
        """The spec as resolved, for calibration.json."""
        return {
            "source": str(self.source),
            "base": str(self.base),
            "overrides": self.overrides,
            "parameters": {k: {"low": lo, "high": hi} for k, (lo, hi) in self.parameters.items()},
            "targets": str(self.targets_file),
            "scales": self.scales,
            "replicates": len(self.seeds),
            "seed": self.seed,
            "seeds": self.seeds,
            "method": self.method,
            "maxiter": self.maxiter,
            "popsize": self.popsize,
            "fit_until": self.fit_until,
            "held_out": len(self.held_out),
            "not_fitted": len(self.not_fitted),
        }

    def all_targets(self) -> pd.DataFrame:
        """Every target with its set: ``year``, ``metric``, ``value``, ``set``."""
        frames = [
            frame.assign(set=name)
            for name, frame in zip(
                TARGET_SETS, (self.targets, self.held_out, self.not_fitted), strict=True
            )
        ]
        return pd.concat(frames, ignore_index=True)


def load_spec(path: str | Path, overrides: list[str] | None = None) -> CalibrationSpec:
    """Read and check a calibration spec and its targets before anything runs.

    Args:
        path: The spec file.
        overrides: ``--set`` strings applied to the base scenario after the spec's own.

    Returns:
        The :class:`CalibrationSpec`.

    Raises:
        ScenarioError: For the first problem, as one line naming the file and field.
    """
    path = Path(path)
    data = read_yaml(path)
    try:
        spec = SpecFile.model_validate(data)
    except ValidationError as exc:
        raise _spec_error(path, exc.errors()[0]) from None
    base = resolve_relative(path, "base", spec.base)
    every = [*spec.overrides, *(overrides or [])]
    scenario = load_scenario(base, every)
    _check_parameters(path, spec, scenario, every)
    # parameters are real-valued, so no point of the search is larger than the base scenario
    check_memory(scenario, "auto", path)
    targets_file = (path.parent / spec.targets).resolve()
    known = year_columns(scenario)
    every_target = _read_targets(path, spec.targets, targets_file, scenario, known)
    if spec.validation is None:
        not_fitted = every_target.iloc[:0]
    else:
        file = (path.parent / spec.validation).resolve()
        not_fitted = _read_targets(path, spec.validation, file, scenario, known, "validation")
        shared = set(not_fitted["metric"]) & set(every_target["metric"])
        if shared:
            raise ScenarioError(
                file, "metric", sorted(shared)[0], "a series not also fitted (in targets)"
            )
    last = every_target["year"].max() if spec.fit_until is None else spec.fit_until
    later = every_target["year"] > last
    targets = every_target[~later].reset_index(drop=True)
    held_out = every_target[later].reset_index(drop=True)
    if targets.empty:
        raise ScenarioError(
            path,
            "fit_until",
            spec.fit_until,
            f"a year at or after the first target's ({every_target['year'].min()})",
        )
    scales = target_scales(pd.concat([every_target, not_fitted]))
    seed = scenario.seed if spec.seed is None else spec.seed
    return CalibrationSpec(
        source=path,
        base=base,
        overrides=every,
        scenario=scenario,
        parameters={k: (r.low, r.high) for k, r in spec.parameters.items()},
        targets_file=targets_file,
        targets=targets,
        scales=scales,
        seeds=crn_seeds(seed, spec.replicates),
        method=spec.method,
        maxiter=spec.maxiter,
        popsize=spec.popsize,
        seed=seed,
        held_out=held_out,
        not_fitted=not_fitted,
        fit_until=spec.fit_until,
    )


def target_scales(targets: pd.DataFrame) -> dict[str, float]:
    """Each metric's ``s_m``: the mean absolute value of its targets (1 where that is 0)."""
    means = targets["value"].abs().groupby(targets["metric"], sort=False).mean()
    return {m: float(v) if v > 0 else 1.0 for m, v in means.items()}


def _check_parameters(path: Path, spec: SpecFile, scenario: Scenario, overrides: list[str]) -> None:
    """Each parameter must be a real-valued field of the scenario that takes its whole range."""
    data = scenario.model_dump(mode="json")
    fixed = {".".join(parse_override(text)[0]) for text in overrides}
    for name, rng in spec.parameters.items():
        field = f"parameters.{name}"
        try:
            node = field_value(data, name)
        except KeyError:
            raise ScenarioError(
                path,
                field,
                name,
                "the dotted path of a field of the base "
                "scenario (as in --set), e.g. adoption.q or stores.rent_growth",
            ) from None
        if not isinstance(node, float):
            raise ScenarioError(
                path,
                field,
                node,
                "a real-valued field (calibration fits "
                "continuous parameters; this one is not a real number)",
            )
        if name in fixed:
            raise ScenarioError(path, field, name, "a parameter not also set by overrides or --set")
        for end in (rng.low, rng.high):
            try:
                load_scenario(scenario, **{name.replace(".", "__"): end})
            except ScenarioError as exc:
                raise ScenarioError(
                    path, field, end, f"a value the scenario accepts ({exc})"
                ) from None


def year_columns(scenario: Scenario) -> list[str]:
    """The columns of years.csv for a scenario, from a one-year run of 500 consumers."""
    # Firm columns (brands, platforms, C2B) depend on the scenario: ask the model, cheaply.
    small = load_scenario(scenario, population__consumers=min(500, scenario.population.consumers))
    model = O2OMarket(small)
    model.run(ticks=small.time.ticks_per_year)
    years = metrics.yearly(
        model.recorder.frame(), model.annual, small.population.people_per_consumer
    )
    forget_model(model)
    del model
    gc.collect()  # the model's agents form reference cycles: free them now
    return [c for c in years.columns if c != "year"]


def _read_targets(
    spec: Path,
    given: str,
    file: Path,
    scenario: Scenario,
    known: list[str],
    field: str = "targets",
) -> pd.DataFrame:
    """A targets CSV, checked: columns, known metrics, simulated years, finite values."""
    if not file.is_file():
        raise ScenarioError(spec, field, given, f"an existing CSV file ({file} not found)")
    try:
        frame = pd.read_csv(file, comment="#", skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        reason = " ".join(str(exc).split())
        raise ScenarioError(file, "", "", f"a CSV file of year, metric, value ({reason})") from None
    missing = [c for c in TARGET_COLUMNS if c not in frame.columns]
    if missing:
        raise ScenarioError(
            file,
            "",
            ", ".join(map(str, frame.columns)) or "(no columns)",
            f"columns {', '.join(TARGET_COLUMNS)} (missing: {', '.join(missing)})",
        )
    optional = ["sd"] if "sd" in frame.columns else []
    frame = frame[[*TARGET_COLUMNS, *optional]].copy()
    if frame.empty:
        raise ScenarioError(file, "", "(no rows)", "at least one target row")
    for column in ["year", "value", *optional]:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = ~np.isfinite(values)
        if column == "year":
            bad |= values.notna() & (values != values.round())
        if column == "sd":
            bad |= values < 0
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            expected = {"year": "a whole year", "value": "a finite number"}
            raise ScenarioError(
                file,
                f"row {row + 1}.{column}",
                frame[column].iloc[row],
                expected.get(column, "a finite number, 0 or more"),
            )
        frame[column] = values.astype("int64" if column == "year" else "float64")
    frame["metric"] = frame["metric"].astype(str).str.strip()
    for row, name in enumerate(frame["metric"]):
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ScenarioError(
                file,
                f"row {row + 1}.metric",
                name,
                f"a column of the scenario's years.csv ({hint}e.g. {', '.join(known[:6])}, ...)",
            )
    first = scenario.time.start_year
    last = first + scenario.time.years - 1
    outside = frame[(frame["year"] < first) | (frame["year"] > last)]
    if not outside.empty:
        row = int(outside.index[0])
        raise ScenarioError(
            file,
            f"row {row + 1}.year",
            int(outside["year"].iloc[0]),
            f"a simulated year, {first} to {last}",
        )
    repeated = frame[frame.duplicated(["year", "metric"])]
    if not repeated.empty:
        row = int(repeated.index[0])
        raise ScenarioError(
            file,
            f"row {row + 1}",
            f"{repeated['year'].iloc[0]}, {repeated['metric'].iloc[0]}",
            "each year and metric once",
        )
    return frame.reset_index(drop=True)


def fit_errors(runs: pd.DataFrame, targets: pd.DataFrame, scales: dict[str, float]) -> pd.DataFrame:
    """Each series' error at the fitted parameters, by set (fitted, held out, not fitted).

    The simulated value of a target is the mean over the replicates in its year. Per metric
    and set: ``n`` targets over ``first``-``last``; ``bias`` = mean(sim - target);
    ``rmse`` = sqrt(mean((sim - target)^2)); ``scaled_rmse`` = ``rmse / s_m``; ``mape`` =
    mean(|sim - target| / |target|) (NaN when a target is 0).

    Args:
        runs: The replicates' yearly rows (``year`` and the metric columns).
        targets: ``year``, ``metric``, ``value``, ``set``.
        scales: Metric -> ``s_m``.

    Returns:
        One row per metric and set, in the order of :data:`TARGET_SETS`.
    """
    metrics = list(dict.fromkeys(targets["metric"]))
    mean = runs.groupby("year")[metrics].mean()
    rows = []
    for name in TARGET_SETS:
        chosen = targets[targets["set"] == name]
        for metric in dict.fromkeys(chosen["metric"]):
            t = chosen[chosen["metric"] == metric]
            sim = mean[metric].reindex(t["year"]).to_numpy(dtype=np.float64)
            gap = sim - t["value"].to_numpy()
            with np.errstate(divide="ignore", invalid="ignore"):
                relative = np.abs(gap) / np.abs(t["value"].to_numpy())
            rmse = float(np.sqrt(np.mean(gap**2)))
            rows.append(
                {
                    "metric": metric,
                    "set": name,
                    "first": int(t["year"].min()),
                    "last": int(t["year"].max()),
                    "n": len(t),
                    "bias": float(np.mean(gap)),
                    "rmse": rmse,
                    "scaled_rmse": rmse / scales[metric],
                    "mape": float(np.mean(relative)) if np.isfinite(relative).all() else np.nan,
                }
            )
    return pd.DataFrame(
        rows,
        columns=["metric", "set", "first", "last", "n", "bias", "rmse", "scaled_rmse", "mape"],
    )


def errors_table(errors: pd.DataFrame) -> str:
    """:func:`fit_errors` as printed: metric, set, years (first-last), n, bias, rmse, mape."""
    years = errors["first"].astype(str) + "-" + errors["last"].astype(str)
    shown = errors.assign(years=years)[["metric", "set", "years", "n", "bias", "rmse", "mape"]]
    return shown.to_string(index=False, float_format=lambda v: f"{v:.4g}")


class _PopulationMap:
    """The ``workers=`` map of differential_evolution: candidates run together on Dask.

    scipy calls it with its objective and a generation's candidates; it ignores the objective
    (which would run in this process) and instead submits every candidate and seed to the
    Executor at once, then scores each candidate with :meth:`CalibrationSpec.distance`, the
    same function the objective computes. Every evaluation is recorded.
    """

    def __init__(self, spec: CalibrationSpec, executor: Executor, bar: Any) -> None:
        self.spec, self.executor, self.bar = spec, executor, bar
        self.history: list[dict[str, Any]] = []
        self.generation = 0
        self.best: tuple[float, dict[str, float], list[pd.DataFrame]] = (float("inf"), {}, [])

    def __call__(self, func: Callable[..., float], population: Iterable[np.ndarray]) -> list[float]:
        thetas = [np.asarray(x, dtype=np.float64) for x in population]
        reps = len(self.spec.seeds)
        tasks = {
            (i, r): self.spec.scenario_at(t, r) for i, t in enumerate(thetas) for r in range(reps)
        }
        runs: dict[tuple[int, int], pd.DataFrame] = {}
        left = dict.fromkeys(range(len(thetas)), reps)
        for key, outcome in self.executor.map_unordered(run_years, tasks):
            if isinstance(outcome, BaseException):
                i, r = key
                raise RunsFailed(
                    f"calibrate: the run at {self.spec.params(thetas[i])} with seed "
                    f"{self.spec.seeds[r]} failed: {type(outcome).__name__}: {outcome}"
                )
            runs[key] = outcome
            left[key[0]] -= 1
            if not left[key[0]]:
                self.bar.update(1)
        distances = []
        for i, theta in enumerate(thetas):
            replicates = [runs[i, r] for r in range(reps)]
            d = self.spec.distance(replicates)
            params = self.spec.params(theta)
            self.history.append(
                {
                    "evaluation": len(self.history),
                    "generation": self.generation,
                    **params,
                    "distance": d,
                }
            )
            if d < self.best[0]:
                self.best = (d, params, replicates)
            distances.append(d)
        self.generation += 1
        self.bar.set_postfix(best=f"{self.best[0]:.4g}", refresh=False)
        return distances


def _objective(spec: CalibrationSpec) -> Callable[[np.ndarray], float]:
    """``D(theta)`` run in this process (what the map replaces with parallel runs)."""

    def objective(theta: np.ndarray) -> float:
        return spec.distance(
            [run_years(spec.scenario_at(theta, r)) for r in range(len(spec.seeds))]
        )

    return objective


@dataclass
class Calibration:
    """The outcome of :func:`calibrate`.

    Attributes:
        spec: The calibration problem.
        best: Path -> fitted value.
        distance: ``D`` at the fitted values.
        history: Every evaluation: ``evaluation``, ``generation``, one column per parameter,
            ``distance``.
        runs: The yearly rows of the replicates at the fitted values (``replicate``, ``seed``,
            then the years columns).
        manifest: Optimizer outcome, versions, git commit, start and wall time, workers.
        errors: Each series' error at the fitted values by set (:func:`fit_errors`).
    """

    spec: CalibrationSpec
    best: dict[str, float]
    distance: float
    history: pd.DataFrame
    runs: pd.DataFrame
    manifest: dict[str, Any]

    @property
    def errors(self) -> pd.DataFrame:
        """Each series' error at the fitted values: fitted, held out, not fitted."""
        return fit_errors(self.runs, self.spec.all_targets(), self.spec.scales)

    def scenario(self) -> Scenario:
        """The base scenario with the overrides and the fitted values."""
        fields = {k.replace(".", "__"): v for k, v in self.best.items()}
        return load_scenario(self.spec.scenario, **fields)

    def scenario_yaml(self, out: str | Path) -> str:
        """calibrated.yaml for directory ``out``: ``extends`` the base, sets what differs.

        Only the fitted fields and those the overrides set are written; a list (platforms,
        brands) is written whole, because ``extends`` replaces lists whole.
        """
        final = self.scenario().model_dump(mode="json")
        paths = [parse_override(text)[0] for text in self.spec.overrides]
        paths += [name.split(".") for name in self.best]
        delta: dict[str, Any] = {}
        for path in paths:
            src, dst = final, delta
            for depth, key in enumerate(path):
                if depth == len(path) - 1 or isinstance(src[key], list):
                    dst[key] = copy.deepcopy(src[key])
                    break
                src, dst = src[key], dst.setdefault(key, {})
        fitted = ", ".join(f"{k}={v:.6g}" for k, v in self.best.items())
        head = {
            "extends": os.path.relpath(self.spec.base, Path(out).resolve()),
            "name": f"{self.spec.scenario.name}_calibrated",
            "description": f"{self.spec.scenario.name} with {fitted}, fitted by o2osim "
            f"calibrate {self.spec.source.name} (distance {self.distance:.6g}).",
        }
        comment = (
            f"# Calibrated by `o2osim calibrate {self.spec.source}` "
            f"({self.manifest.get('started', '')}):\n# {fitted}; distance "
            f"{self.distance:.6g}. See calibration.json for every evaluation.\n"
        )
        return comment + yaml.safe_dump(head | delta, sort_keys=False, allow_unicode=True)

    def figure(self) -> Any:
        """Simulated series at the fitted values (mean and range of replicates) vs targets."""
        fitted = ", ".join(f"{k} = {v:.4g}" for k, v in self.best.items())
        title = f"{fitted} (distance {self.distance:.4g}, {len(self.spec.seeds)} replicates)"
        return plots.calibration_fit(
            self.runs, self.spec.all_targets(), "\n".join(textwrap.wrap(title, 110))
        )

    def save(self, out: str | Path) -> Path:
        """Write calibration.json, calibrated.yaml, calibration.png, history.csv and errors.csv.

        Atomically: the directory appears whole or not at all.

        Args:
            out: The output directory (an existing one is replaced).

        Returns:
            The directory.
        """
        out = Path(out)
        if out.exists() and not out.is_dir():
            raise O2OError(f"--out: {out} exists and is not a directory")
        with results.atomic_directory(out) as tmp:
            self.history.to_csv(
                tmp / "history.csv", index=False, float_format="%.10g", lineterminator="\n"
            )
            errors = self.errors
            errors.to_csv(
                tmp / "errors.csv", index=False, float_format="%.10g", lineterminator="\n"
            )
            (tmp / "calibrated.yaml").write_text(self.scenario_yaml(out))
            # The file must give exactly the fitted scenario (tmp sits beside out, so the
            # relative extends resolves the same from both).
            written = load_scenario(tmp / "calibrated.yaml").model_dump(mode="json")
            wanted = self.scenario().model_dump(mode="json")
            for key in ("name", "description"):
                written.pop(key), wanted.pop(key)
            if written != wanted:
                raise RuntimeError("calibrated.yaml does not reproduce the fitted scenario")
            fig = self.figure()
            fig.savefig(tmp / "calibration.png", dpi=100)
            plots.plt.close(fig)
            record = {
                "best": self.best,
                "distance": self.distance,
                "spec": self.spec.describe(),
                "targets": self.spec.all_targets().to_dict(orient="records"),
                "errors": errors.to_dict(orient="records"),
                "evaluations": [
                    {
                        "evaluation": int(h["evaluation"]),
                        "generation": int(h["generation"]),
                        "params": {n: h[n] for n in self.spec.names},
                        "distance": h["distance"],
                    }
                    for h in self.history.to_dict(orient="records")
                ],
                **self.manifest,
            }
            record["files"] = {
                name: results.sha256(tmp / name)
                for name in CALIBRATION_FILES
                if name != "calibration.json"
            }
            text = json.dumps(record, indent=2, default=str, allow_nan=True)
            (tmp / "calibration.json").write_text(text + "\n")
        return out


def calibrate(
    spec: str | Path | CalibrationSpec,
    overrides: list[str] | None = None,
    workers: int | None = None,
    *,
    scheduler: str | None = None,
    progress: bool | None = None,
) -> Calibration:
    """Fit the spec's parameters to its targets with differential evolution on Dask.

    Args:
        spec: A calibration spec file (or one already loaded with :func:`load_spec`).
        overrides: ``--set`` strings for the base scenario (only with a file).
        workers: Local worker processes (default: one per core).
        scheduler: Address of an existing Dask scheduler to run on instead.
        progress: Show a progress bar of evaluations on stderr (``None``: after a second).

    Returns:
        The :class:`Calibration`.

    Raises:
        O2OError: Bad input (nothing runs), or :class:`RunsFailed` if a run raised.
    """
    from scipy.optimize import differential_evolution

    if not isinstance(spec, CalibrationSpec):
        spec = load_spec(spec, overrides)
    executor = Executor(workers, scheduler)  # checks workers before anything starts
    members = max(5, spec.popsize * len(spec.parameters))  # scipy's population size
    started = datetime.now(UTC)
    clock = time.perf_counter()
    # scipy >= 1.15 takes rng=, older versions seed=
    key = "rng" if "rng" in inspect.signature(differential_evolution).parameters else "seed"
    with (
        executor,
        tqdm(
            total=members * (spec.maxiter + 1),
            unit="eval",
            desc="calibrate",
            file=sys.stderr,
            delay=0.0 if progress else 1.0,
            disable=progress is False,
            leave=False,
        ) as bar,
    ):
        mapper = _PopulationMap(spec, executor, bar)
        outcome = differential_evolution(
            _objective(spec),
            spec.bounds,
            maxiter=spec.maxiter,
            popsize=spec.popsize,
            polish=False,
            updating="deferred",
            workers=mapper,
            init="latinhypercube",
            **{key: spec.seed},
        )
    distance, best, replicates = mapper.best
    if not replicates:
        raise O2OError(
            "calibrate: no candidate's runs had every targeted value (all distances "
            "infinite); check the targets' metrics and years"
        )
    runs = pd.concat(
        [r.assign(replicate=i, seed=spec.seeds[i]) for i, r in enumerate(replicates)],
        ignore_index=True,
    )
    runs = runs[["replicate", "seed", *[c for c in runs.columns if c not in ("replicate", "seed")]]]
    history = pd.DataFrame(
        mapper.history, columns=["evaluation", "generation", *spec.names, "distance"]
    )
    manifest = {
        "optimizer": {
            "name": "scipy.optimize.differential_evolution",
            "nit": int(outcome.nit),
            "nfev": int(outcome.nfev),
            "message": str(outcome.message),
            "converged": bool(outcome.success),
            "population": members,
        },
        "evaluations_run": len(history),
        "runs": len(history) * len(spec.seeds),
        "versions": versions() | {"scipy": _version("scipy")},
        "git_commit": git_commit(),
        "started": started.isoformat(timespec="seconds"),
        "wall_seconds": round(time.perf_counter() - clock, 3),
        "workers": None if scheduler else executor.workers,
        "scheduler": scheduler,
    }
    return Calibration(spec, best, distance, history, runs, manifest)


def _version(module: str) -> str:
    from importlib.metadata import version

    return version(module)
