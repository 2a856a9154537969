"""``o2osim sweep``: many runs over a design of parameter values, streamed to a Parquet dataset.

A sweep spec (YAML) names a base scenario, the parameters to vary (by the dotted paths of
``--set``), a design (grid, random, Latin hypercube, or Sobol and Morris through SALib),
replicates per point and the yearly metrics to keep. Runs execute through
:class:`o2osim.batch.execution.Executor` (Dask), and finished runs are appended to
``DIR/results/`` in part files, each renamed into place only when complete. Rerunning the same
command after an interruption runs only what has no rows yet, so nothing is lost or
duplicated; a run that raises is recorded in ``DIR/failures/`` with its message and the
sweep goes on. See ``docs/sweeps.md`` for the layout.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from tqdm.auto import tqdm

from o2osim import metrics as metric_columns
from o2osim import results
from o2osim.batch import facts as fact_measures
from o2osim.batch.execution import Executor
from o2osim.batch.runs import run_years
from o2osim.errors import O2OError, ScenarioError
from o2osim.resources import check_memory
from o2osim.run import git_commit, versions
from o2osim.scenario import (
    FieldProblem,
    field_value,
    format_error,
    load_scenario,
    read_yaml,
    resolve_relative,
)

#: Metrics kept when a spec names none.
DEFAULT_METRICS = [
    "online_share",
    "stores_open",
    "store_closures",
    "dealers_active",
    "traffic_cost",
    "online_conversion_rate",
    "annual_churn_online",
    "mean_trust_online",
    "gmv_online",
    "gmv_offline",
]

#: Yearly columns every run has (besides per-firm ones, matched by prefix).
_KNOWN = {
    *metric_columns.YEARLY,
    "online_share",
    "traffic_cost",
    "cost_per_new_customer",
    "online_conversion_rate",
    "offline_conversion_rate",
    "annual_churn_online",
    "annual_churn_offline",
    "annual_churn_platform",
    "dealer_profit",
    "store_profit",
    "online_conversion_desktop",
    "online_conversion_mobile",
    "online_conversion_paid",
    "price_online",
    "price_store",
    "price_gap",
    "festival_week_ratio",
    "repeat_after_first_order",
    "active_buyers_online",
    "dealer_margin",
    "basket_value",
    "markup_store",
    "markup_online",
    "rent_paid",
    "wages_paid",
}
_PREFIXES = (
    "traffic_cost_",
    "cost_per_new_customer_",
    "brand_",
    "platform_",
    "c2b_",
    "active_buyers_",
    "share_",
    "store_share_",
)

#: Flush finished runs to a part file at least this often (seconds) ...
FLUSH_SECONDS = 10.0
#: ... or when this many runs are waiting.
FLUSH_RUNS = 200


class ParameterSpec(BaseModel):
    """How one parameter varies: a range ``[low, high]`` or a list of ``values`` (grid)."""

    model_config = ConfigDict(extra="forbid")

    low: float | None = Field(None, allow_inf_nan=False)
    high: float | None = Field(None, allow_inf_nan=False)
    values: list[float] | None = Field(None, min_length=1)
    levels: int | None = Field(None, ge=2, le=1000)

    @model_validator(mode="after")
    def _range_or_values(self) -> ParameterSpec:
        if self.values is not None:
            if self.low is not None or self.high is not None:
                raise FieldProblem("", self.values, "either values or low and high, not both")
            if not all(math.isfinite(v) for v in self.values):
                raise FieldProblem("", self.values, "finite numbers")
            return self
        if self.low is None or self.high is None:
            raise FieldProblem("", "(missing)", "low and high, or values")
        if not self.low < self.high:
            raise FieldProblem("", [self.low, self.high], "low below high")
        return self


class SweepSpec(BaseModel):
    """A parameter sweep: base scenario, design, parameters, replicates and metrics."""

    model_config = ConfigDict(extra="forbid")

    base: str = Field(..., min_length=1, description="Scenario file, relative to the spec.")
    overrides: list[str] = Field(default_factory=list)
    seed: int = Field(0, ge=0, le=2**63 - 1)
    design: Literal["grid", "random", "latin", "sobol", "morris"] = "grid"
    samples: int = Field(16, ge=1, le=10_000_000)
    replicates: int = Field(1, ge=1, le=100_000)
    common_random_numbers: bool = False
    parameters: dict[str, ParameterSpec] = Field(..., min_length=1)
    metrics: list[str] | None = Field(None, min_length=1)
    facts: list[str] | None = Field(None, min_length=1)
    model: Literal["o2osim", "ishigami"] = "o2osim"
    num_levels: int = Field(4, ge=2, le=100)

    @model_validator(mode="after")
    def _design_fits_parameters(self) -> SweepSpec:
        for path, p in self.parameters.items():
            if self.design == "grid" and p.values is None and p.levels is None:
                raise FieldProblem(
                    f"parameters.{path}", "(range)", "values, or low, high and levels for a grid"
                )
            if self.design != "grid" and p.values is not None:
                raise FieldProblem(
                    f"parameters.{path}", p.values, f"low and high for a {self.design} design"
                )
        if self.model == "ishigami" and len(self.parameters) != 3:
            raise FieldProblem("parameters", len(self.parameters), "three parameters for ishigami")
        return self

    @model_validator(mode="after")
    def _known_facts(self) -> SweepSpec:
        for i, name in enumerate(self.facts or []):
            if name != "all" and name not in fact_measures.BY_NAME:
                raise FieldProblem(
                    f"facts.{i}", name, f"a fact ({', '.join(fact_measures.BY_NAME)}) or all"
                )
        return self

    @property
    def metric_names(self) -> list[str]:
        """The metrics kept per run and year, then the columns the facts need."""
        if self.metrics:
            listed = list(self.metrics)
        elif self.facts:
            listed = []
        else:
            listed = ["y"] if self.model == "ishigami" else list(DEFAULT_METRICS)
        return list(dict.fromkeys([*listed, *fact_measures.columns(self.facts or [])]))

    def problem(self) -> dict[str, Any]:
        """The SALib problem: parameter names and bounds (ranges only)."""
        names = list(self.parameters)
        bounds = [[p.low, p.high] for p in self.parameters.values()]
        return {"num_vars": len(names), "names": names, "bounds": bounds}


@dataclass
class Sweep:
    """A loaded sweep, ready to run.

    Attributes:
        spec: The validated spec (with ``--set`` overrides appended to its overrides).
        source: The spec file.
        base: The base scenario with the overrides applied, as a plain mapping (what each run
            starts from).
        points: The design: ``point_id`` and one column per parameter.
        integer: Parameters whose scenario field is an integer (values are rounded).
    """

    spec: SweepSpec
    source: Path
    base: dict[str, Any]
    points: pd.DataFrame
    integer: set[str]

    @property
    def runs(self) -> int:
        """Total runs: points times replicates."""
        return len(self.points) * self.spec.replicates

    def run_seed(self, run_id: int) -> int:
        """The seed of a run, from the sweep seed and the run id.

        With common random numbers, from the sweep seed and the replicate instead. Either way
        it does not depend on the number of workers or the order in which runs finish.
        """
        key = run_id % self.spec.replicates if self.spec.common_random_numbers else run_id
        state = np.random.SeedSequence([self.spec.seed, key]).generate_state(1, np.uint64)
        return int(state[0] % (2**63))

    def describe(self) -> dict[str, Any]:
        """What sweep.json records (and what a rerun must match to resume)."""
        spec = self.spec.model_dump(mode="json")
        if spec["facts"] is None:  # sweeps from before facts existed keep their hash
            del spec["facts"]
        spec["metrics"] = self.spec.metric_names
        out: dict[str, Any] = {"spec": spec, "base_scenario": self.base, "points": len(self.points)}
        out["runs"] = self.runs
        if self.spec.design != "grid":
            out["problem"] = self.spec.problem()
        digest = hashlib.sha256(json.dumps(out, sort_keys=True).encode()).hexdigest()
        return out | {"spec_hash": digest}

    def tasks(self, run_ids: list[int]) -> dict[int, tuple[Any, ...]]:
        """One task argument per run: base, parameter overrides, seed, metrics, model."""
        names = list(self.spec.parameters)
        values = self.points[names].to_numpy()
        reps = self.spec.replicates
        out = {}
        for run_id in run_ids:
            point = run_id // reps
            params = {
                name: (int(round(v)) if name in self.integer else float(v))
                for name, v in zip(names, values[point], strict=True)
            }
            seed = self.run_seed(run_id)
            out[run_id] = (self.base, params, seed, self.spec.metric_names, self.spec.model)
        return out


# --------------------------------------------------------------------------- loading


def load_sweep(path: str | Path, overrides: list[str] | None = None) -> Sweep:
    """Read, validate and resolve a sweep spec, and draw its design.

    Args:
        path: The spec file.
        overrides: ``--set`` strings applied to the base scenario of every run.

    Returns:
        The :class:`Sweep`.

    Raises:
        ScenarioError: For the first problem, as one line naming the file and field.
    """
    path = Path(path)
    data = read_yaml(path)
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise format_error(path, exc.errors()[0], SweepSpec) from None
    spec = spec.model_copy(update={"overrides": [*spec.overrides, *(overrides or [])]})
    base_path = resolve_relative(path, "base", spec.base)
    integer: set[str] = set()
    if spec.model == "o2osim":
        base = load_scenario(base_path, spec.overrides)
        base_data = base.model_dump(mode="json")
        integer = _check_parameters(path, spec, base_data)
        _check_metrics(path, spec)
    else:
        base_data = {}
    points = design_points(spec, integer)
    if spec.model == "o2osim":  # the largest run of the design must fit in memory
        column = "population.consumers"
        largest = int(points[column].max()) if column in points else base.population.consumers
        check_memory(load_scenario(base, population__consumers=largest), "auto", path)
    return Sweep(spec=spec, source=path, base=base_data, points=points, integer=integer)


def _check_parameters(path: Path, spec: SweepSpec, base: dict[str, Any]) -> set[str]:
    """Every parameter must be a numeric scenario field that accepts its whole range."""
    integer = set()
    for name, p in spec.parameters.items():
        try:
            current = field_value(base, name)
        except KeyError:
            raise ScenarioError(
                path,
                f"parameters.{name}",
                name,
                "the dotted path of a field of the base "
                "scenario (as in --set), e.g. stores.rent_growth or platforms.0.commission",
            ) from None
        if isinstance(current, bool) or not isinstance(current, int | float | type(None)):
            raise ScenarioError(path, f"parameters.{name}", current, "a numeric field")
        if isinstance(current, int):
            integer.add(name)
        ends = p.values if p.values is not None else [p.low, p.high]
        for value in ends:
            shown = int(round(value)) if name in integer else value
            try:
                load_scenario(base, [f"{name}={shown}"])
            except ScenarioError as exc:
                raise ScenarioError(
                    path, f"parameters.{name}", value, f"a value the scenario accepts ({exc})"
                ) from None
    return integer


def _check_metrics(path: Path, spec: SweepSpec) -> None:
    for i, name in enumerate(spec.metric_names):
        if name not in _KNOWN and not name.startswith(_PREFIXES):
            raise ScenarioError(
                path,
                f"metrics.{i}",
                name,
                "a column of years.csv, e.g. online_share, "
                "stores_open, traffic_cost (see docs/model.md, Year table)",
            )


def design_points(spec: SweepSpec, integer: set[str] | None = None) -> pd.DataFrame:
    """The points of the design, in order.

    Args:
        spec: The sweep spec.
        integer: Parameters to round to whole numbers.

    Returns:
        ``point_id`` and one float64 column per parameter.
    """
    names = list(spec.parameters)
    params = list(spec.parameters.values())
    if spec.design == "grid":
        axes = [
            p.values if p.values is not None else np.linspace(p.low, p.high, p.levels).tolist()
            for p in params
        ]
        matrix = np.array(list(itertools.product(*axes)), dtype=np.float64)
    elif spec.design == "random":
        unit = np.random.default_rng(spec.seed).random((spec.samples, len(names)))
        matrix = _scale(unit, params)
    elif spec.design == "latin":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(names), seed=spec.seed).random(spec.samples)
        matrix = _scale(unit, params)
    elif spec.design == "sobol":
        from SALib.sample import sobol

        matrix = sobol.sample(spec.problem(), spec.samples, calc_second_order=False, seed=spec.seed)
    else:
        from SALib.sample import morris

        matrix = morris.sample(
            spec.problem(), spec.samples, num_levels=spec.num_levels, seed=spec.seed
        )
    frame = pd.DataFrame(matrix, columns=names)
    for name in integer or ():
        frame[name] = frame[name].round()
    frame.insert(0, "point_id", np.arange(len(frame), dtype=np.int64))
    return frame


def _scale(unit: np.ndarray, params: list[ParameterSpec]) -> np.ndarray:
    low = np.array([p.low for p in params])
    high = np.array([p.high for p in params])
    return low + unit * (high - low)


# --------------------------------------------------------------------------- one run


def run_task(task: tuple[Any, ...]) -> pd.DataFrame:
    """Run one point of a sweep with one seed and return its metrics by year (an Executor task).

    Args:
        task: ``(base scenario mapping, {path: value}, seed, metrics, model)``.

    Returns:
        ``year`` and the metric columns (NaN for a metric the run does not have).
    """
    base, params, seed, names, model = task
    if model == "ishigami":
        x1, x2, x3 = params.values()
        return pd.DataFrame({"year": [0], "y": [ishigami(x1, x2, x3)]})
    scenario = load_scenario(base, [f"{k}={v}" for k, v in params.items()], seed=seed)
    years = run_years(scenario)
    return years.reindex(columns=["year", *names])


def ishigami(x1: float, x2: float, x3: float, a: float = 7.0, b: float = 0.1) -> float:
    """The Ishigami test function, whose Sobol indices are known in closed form.

    ``sin(x1) + a sin(x2)^2 + b x3^4 sin(x1)``, inputs in [-pi, pi]: first-order indices
    0.314, 0.442, 0 and total indices 0.558, 0.442, 0.244 (for a = 7, b = 0.1).
    """
    return math.sin(x1) + a * math.sin(x2) ** 2 + b * x3**4 * math.sin(x1)


# --------------------------------------------------------------------------- the directory


def finished_runs(out: Path) -> tuple[set[int], set[int]]:
    """Run ids with rows in ``results/`` and with a record in ``failures/``."""
    found = []
    for part in ("results", "failures"):
        ids: set[int] = set()
        for file in sorted((out / part).glob("part-*.parquet")):
            ids.update(pq.read_table(file, columns=["run_id"]).column("run_id").to_pylist())
        found.append(ids)
    return found[0], found[1]


def _write_part(folder: Path, frame: pd.DataFrame) -> None:
    """Write complete runs as one part file: to a temporary name, then renamed into place."""
    folder.mkdir(exist_ok=True)
    name = f"part-{int(frame['run_id'].min()):09d}-{uuid.uuid4().hex[:8]}.parquet"
    tmp = folder / f".{name}.tmp"
    results.write_parquet(frame, tmp)
    os.replace(tmp, folder / name)


def _prepare(out: Path, sweep: Sweep) -> None:
    """Create the directory, or check that it holds this same sweep (to resume it)."""
    about = sweep.describe()
    meta = out / "sweep.json"
    if meta.exists():
        held = json.loads(meta.read_text())
        if held.get("spec_hash") != about["spec_hash"]:
            raise O2OError(
                f"--out: {out} holds a different sweep (another spec, base scenario or --set); "
                "choose another --out, or delete it to start again"
            )
        for leftover in out.glob("*/.part-*.tmp"):  # a write cut short by a crash
            leftover.unlink()
        return
    if out.exists() and any(out.iterdir()):
        raise O2OError(f"--out: {out} exists and is not a sweep directory")
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / ".points.parquet.tmp"
    results.write_parquet(sweep.points, tmp)
    os.replace(tmp, out / "points.parquet")
    record = about | {
        "versions": versions(),
        "git_commit": git_commit(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    # written last: a directory with sweep.json is a complete start
    results.write_text(meta, json.dumps(record, indent=2, sort_keys=True) + "\n")


@dataclass
class SweepReport:
    """What one invocation of a sweep did.

    Attributes:
        out: The sweep directory.
        runs: Runs in the sweep.
        earlier: Runs already finished before this invocation (done or failed).
        done: Runs that finished now with rows.
        failed: Runs that raised now (recorded in ``failures/``).
        seconds: Wall time of this invocation.
    """

    out: Path
    runs: int
    earlier: int
    done: int
    failed: int
    seconds: float


def run_sweep(
    sweep: Sweep,
    out: str | Path,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    task: Callable[[tuple[Any, ...]], pd.DataFrame] = run_task,
    retry_failed: bool = False,
) -> SweepReport:
    """Run every run of the sweep that has not finished yet, streaming results to ``out``.

    Args:
        sweep: The loaded sweep.
        out: The sweep directory (created, or resumed when it holds the same sweep).
        workers: Local worker processes (default: one per core).
        scheduler: Address of an existing Dask scheduler to run on instead.
        progress: Show a progress bar (``None``: when stderr is a terminal or notebook).
        task: The function run per task (a module-level function; :func:`run_task`).
        retry_failed: Run again the runs that raised in an earlier invocation (a run that
            raises on a cluster may have met a passing fault); by default they stay failed.

    Returns:
        A :class:`SweepReport`.

    Raises:
        O2OError: If ``out`` holds something else.
        KeyboardInterrupt: After saving every finished run, when interrupted.
    """
    out = Path(out)
    start = time.perf_counter()
    _prepare(out, sweep)
    done_ids, failed_ids = finished_runs(out)
    failed_ids = set() if retry_failed else failed_ids - done_ids
    todo = [r for r in range(sweep.runs) if r not in done_ids and r not in failed_ids]
    earlier = sweep.runs - len(todo)
    report = SweepReport(out, sweep.runs, earlier, 0, 0, 0.0)
    if not todo:
        report.seconds = time.perf_counter() - start
        return report
    names = list(sweep.spec.parameters)
    reps = sweep.spec.replicates
    tasks = sweep.tasks(todo)
    rows: list[pd.DataFrame] = []
    failures: list[dict[str, Any]] = []
    last_flush = time.monotonic()

    def flush() -> None:
        nonlocal rows, failures, last_flush
        if rows:
            _write_part(out / "results", pd.concat(rows, ignore_index=True))
        if failures:
            _write_part(out / "failures", pd.DataFrame(failures))
        rows, failures, last_flush = [], [], time.monotonic()

    bar = tqdm(
        total=sweep.runs,
        initial=earlier,
        unit="run",
        desc="sweep",
        disable=progress is False,
        dynamic_ncols=True,
    )
    try:
        with Executor(workers, scheduler) as executor:
            for run_id, outcome in executor.map_unordered(task, tasks):
                point = run_id // reps
                meta = {
                    "run_id": run_id,
                    "point_id": point,
                    "replicate": run_id % reps,
                    "seed": tasks[run_id][2],
                }
                if isinstance(outcome, BaseException):
                    failures.append(meta | {"error": f"{type(outcome).__name__}: {outcome}"})
                    report.failed += 1
                else:
                    frame = outcome.copy()
                    for key, value in reversed(meta.items()):
                        frame.insert(0, key, np.int64(value))
                    params = tasks[run_id][1]
                    for i, name in enumerate(names):
                        frame.insert(4 + i, name, np.float64(params[name]))
                    frame["year"] = frame["year"].astype(np.int64)
                    metric_names = sweep.spec.metric_names
                    frame[metric_names] = frame[metric_names].astype(np.float64)
                    rows.append(frame)
                    report.done += 1
                bar.update()
                bar.set_postfix(failed=report.failed + len(failed_ids), refresh=False)
                if len(rows) >= FLUSH_RUNS or time.monotonic() - last_flush > FLUSH_SECONDS:
                    flush()
    finally:
        flush()  # whatever finished is kept, even when interrupted
        bar.close()
    report.seconds = time.perf_counter() - start
    return report


def sweep(
    spec: str | Path,
    out: str | Path,
    overrides: list[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    retry_failed: bool = False,
) -> SweepReport:
    """Load a sweep spec and run (or resume) it into ``out``.

    Args:
        spec: The sweep spec file.
        out: The sweep directory.
        overrides: ``--set`` strings for the base scenario of every run.
        workers: Local worker processes (default: one per core).
        scheduler: Address of an existing Dask scheduler.
        progress: Show a progress bar.
        retry_failed: Run again the runs that raised in an earlier invocation.

    Returns:
        A :class:`SweepReport`; read the results with ``pd.read_parquet(out / "results")``.
    """
    return run_sweep(
        load_sweep(spec, overrides), out, workers, scheduler, progress, retry_failed=retry_failed
    )
