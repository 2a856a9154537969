"""How well a calibration pins its parameters down: simulated-method-of-moments standard errors.

At the fitted values ``theta`` the calibration's moments are the scaled replicate means of
the fitted targets, ``m_k(theta) = mean_r y_r[k](theta) / s_k``, and its data ``d_k =
target_k / s_k`` (:mod:`o2osim.batch.calibration`). The Jacobian ``J = dm / dtheta`` is
estimated by central differences of ``step`` times each parameter's range, on the same
seeds at every point (common random numbers). With the identity weighting of the
calibration's distance, the delta method (the sandwich of simulated method of moments:
McFadden 1989, "A method of simulated moments for estimation of discrete response models
without numerical integration", *Econometrica* 57(5); Gourieroux and Monfort 1996,
*Simulation-Based Econometric Methods*, ch. 2) gives

    V(theta) = A (Sigma_d + Omega / R) A',     A = (J'J)^-1 J'

with ``Omega`` the covariance of one replicate's moments at ``theta`` (the model's own noise,
estimated from ``replicates`` runs), ``R`` the calibration's replicates (its moments were
means of ``R`` runs) and ``Sigma_d`` the targets' own uncertainty, ``diag((sd_k / s_k)^2)``
from the targets' optional ``sd`` column (0 without it: then only the model's noise counts).
A parameter's standard error is ``sqrt(V_jj)``. The singular values of ``J`` (scaled by each
parameter's range) say how many directions the data pin down; a parameter whose column of
``J`` is nearly zero, or two parameters whose estimates correlate beyond 0.9, are not
identified apart (equifinality).

``J`` is itself estimated from runs: each seed gives its own difference quotient, and their
spread is the noise of the estimate. A parameter whose column is less than twice its noise
(``signal`` below 2) is reported *within noise*: its interval is not read until more runs
per point measure its effect.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from o2osim import plots, results
from o2osim.batch.calibration import CalibrationSpec, crn_seeds
from o2osim.batch.execution import Executor
from o2osim.batch.runs import run_all
from o2osim.scenario import Scenario

#: A parameter is pinned down when its 95% interval spans less than this share of its range,
#: loosely pinned below 1, not pinned down above.
PINNED, LOOSE = 0.25, 1.0
#: Estimates correlated beyond this trade off against each other.
TRADE_OFF = 0.9
#: A parameter's column of the Jacobian must be this many times the noise of its estimate
#: (both as norms over the targets) for its interval to be read.
SIGNAL = 2.0


@dataclass
class Uncertainty:
    """The local uncertainty of a calibration's fitted parameters.

    Attributes:
        best: Path -> fitted value.
        jacobian: d(scaled moment) / d(parameter): one row per fitted target
            (``metric@year``), one column per parameter.
        covariance: The parameters' covariance ``V`` (parameters x parameters).
        table: Per parameter: ``value``, ``se``, ``low``/``high`` (value -/+ 1.96 se),
            ``interval_share`` (the 95% interval over the search range), ``signal`` (the norm
            of its column of ``J`` over the norm of that column's standard error across the
            seeds) and ``verdict``.
        singular_values: Of ``J`` with each column times its parameter's range, largest
            first.
        trade_offs: Pairs of parameters whose estimates correlate beyond 0.9, with the
            correlation.
        replicates: Runs per point of the Jacobian.
        step: The differences' step, as a share of each parameter's range.
    """

    best: dict[str, float]
    jacobian: pd.DataFrame
    covariance: pd.DataFrame
    table: pd.DataFrame
    singular_values: list[float]
    trade_offs: list[tuple[str, str, float]]
    replicates: int
    step: float

    def save(self, out: str | Path) -> Path:
        """Write ``uncertainty.json`` and ``uncertainty.csv`` (the table) into ``out``."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        record: dict[str, Any] = {
            "best": self.best,
            "replicates": self.replicates,
            "step": self.step,
            "table": self.table.to_dict(orient="records"),
            "covariance": self.covariance.to_dict(),
            "jacobian": self.jacobian.to_dict(),
            "singular_values": self.singular_values,
            "trade_offs": [list(t) for t in self.trade_offs],
        }
        text = json.dumps(record, indent=2, allow_nan=True) + "\n"
        results.write_text(out / "uncertainty.json", text)
        csv = self.table.to_csv(index=False, float_format="%.6g")
        results.write_text(out / "uncertainty.csv", csv)
        return out


def sandwich(
    jacobian: np.ndarray, omega: np.ndarray, sigma_data: np.ndarray, replicates: int
) -> np.ndarray:
    """``V = A (Sigma_d + Omega / R) A'`` with ``A = (J'J)^+ J'`` (pseudo-inverse if singular).

    Args:
        jacobian: ``J``, moments x parameters.
        omega: Covariance of one replicate's moments, moments x moments.
        sigma_data: The targets' covariance, moments x moments.
        replicates: ``R``, the runs averaged in each of the calibration's moments.

    Returns:
        The parameters' covariance.
    """
    a = np.linalg.pinv(jacobian.T @ jacobian) @ jacobian.T
    return a @ (sigma_data + omega / replicates) @ a.T


def verdict(interval_share: float, column_norm: float, signal: float = np.inf) -> str:
    """Pinned down, loosely pinned or not pinned down, from the 95% interval over the range.

    A parameter that moves no target (``column_norm`` 0) is not pinned down. One whose
    measured effect is within the noise of its own estimate (``signal`` below
    :data:`SIGNAL`) is *within noise*: its interval cannot be trusted either way, and more
    runs per point are needed to judge it.
    """
    if column_norm < 1e-9:
        return "not pinned down"
    if not signal >= SIGNAL:
        return "within noise"
    if not np.isfinite(interval_share) or interval_share >= LOOSE:
        return "not pinned down"
    return "pinned down" if interval_share < PINNED else "loosely pinned"


def uncertainty(
    spec: CalibrationSpec,
    best: dict[str, float],
    replicates: int = 4,
    step: float = 0.05,
    workers: int | None = None,
    *,
    scheduler: str | None = None,
    progress: bool | None = None,
) -> Uncertainty:
    """Standard errors of the fitted parameters from a numerical Jacobian (delta method).

    Runs the scenario at ``best`` and at ``best -/+ step x range`` for each parameter (kept
    inside the range), ``replicates`` times each on the calibration's seeds (extended if
    more are asked for): ``(2 P + 1) x replicates`` runs.

    Args:
        spec: The calibration problem.
        best: The fitted values.
        replicates: Runs per point (at least 2, for ``Omega``).
        step: The central differences' step, as a share of each parameter's range.
        workers: Local worker processes (default: one per core).
        scheduler: Address of a running Dask scheduler to run on instead.
        progress: Show a progress bar (``None``: after a second).

    Returns:
        The :class:`Uncertainty`.
    """
    names = spec.names
    theta = np.array([best[n] for n in names], dtype=np.float64)
    low = np.array([lo for lo, _ in spec.bounds])
    high = np.array([hi for _, hi in spec.bounds])
    width = high - low
    points: dict[str, np.ndarray] = {"best": theta}
    for j, name in enumerate(names):
        for sign, label in ((-1.0, "minus"), (1.0, "plus")):
            shifted = theta.copy()
            shifted[j] = np.clip(theta[j] + sign * step * width[j], low[j], high[j])
            points[f"{name}:{label}"] = shifted
    seeds = crn_seeds(spec.seed, max(replicates, len(spec.seeds)))[:replicates]
    tasks = {
        (label, r): spec.with_values(values, seed)
        for label, values in points.items()
        for r, seed in enumerate(seeds)
    }
    runs = run_all(
        tasks, executor=Executor(workers, scheduler), desc="uncertainty", progress=progress
    )
    scale = spec.targets["metric"].map(spec.scales).to_numpy()
    m = {key: spec.simulated([run]) / scale for key, run in runs.items()}  # scaled moments
    columns, noise = [], []
    for j, name in enumerate(names):
        delta = points[f"{name}:plus"][j] - points[f"{name}:minus"][j]
        # each seed's difference (common random numbers): their spread is the estimate's noise
        each = np.array(
            [(m[f"{name}:plus", r] - m[f"{name}:minus", r]) / delta for r in range(replicates)]
        )
        columns.append(each.mean(axis=0))
        noise.append(each.std(axis=0, ddof=1) / np.sqrt(replicates))
    jac = np.column_stack(columns)
    with np.errstate(invalid="ignore", divide="ignore"):
        signal = np.linalg.norm(jac, axis=0) / np.linalg.norm(np.column_stack(noise), axis=0)
    at_best = np.array([m["best", r] for r in range(replicates)])
    omega = np.cov(at_best, rowvar=False, ddof=1)
    if "sd" in spec.targets:
        sd = spec.targets["sd"].to_numpy(dtype=np.float64)
    else:
        sd = np.zeros(len(spec.targets))
    cov = sandwich(jac, omega, np.diag((sd / scale) ** 2), len(spec.seeds))
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    share = 2 * 1.96 * se / width
    norms = np.linalg.norm(jac * width, axis=0)
    table = pd.DataFrame(
        {
            "parameter": names,
            "value": theta,
            "se": se,
            "low": theta - 1.96 * se,
            "high": theta + 1.96 * se,
            "interval_share": share,
            "signal": signal,
            "verdict": [verdict(*v) for v in zip(share, norms, signal, strict=True)],
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(se, se)
    pairs = [
        (names[i], names[j], float(corr[i, j]))
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if np.isfinite(corr[i, j]) and abs(corr[i, j]) > TRADE_OFF
    ]
    rows = [
        f"{metric}@{year}"
        for year, metric in zip(spec.targets["year"], spec.targets["metric"], strict=True)
    ]
    return Uncertainty(
        best=dict(best),
        jacobian=pd.DataFrame(jac, index=rows, columns=names),
        covariance=pd.DataFrame(cov, index=names, columns=names),
        table=table,
        singular_values=[float(v) for v in np.linalg.svd(jac * width, compute_uv=False)],
        trade_offs=pairs,
        replicates=replicates,
        step=step,
    )


@dataclass
class PredictionBands:
    """What the fitted scenario predicts, with its parameters' uncertainty and its own noise.

    Attributes:
        bands: Long table of ``series`` (the dashboard's indicators), ``year``, ``median``,
            ``low`` and ``high`` (the ``level`` band over the draws).
        median: The draws' median of each indicator by year, as a yearly table (``year``
            and one column per indicator), for :func:`o2osim.plots.dashboard`.
        draws: Parameter values of each draw (one row per draw, one column per parameter,
            and its ``seed``).
        level: The band's coverage, e.g. 0.9 for the 5th to 95th percentile.
    """

    bands: pd.DataFrame
    median: pd.DataFrame
    draws: pd.DataFrame
    level: float

    def save(self, out: str | Path, title: str = "prediction bands") -> Path:
        """Write ``bands.csv``, ``band_draws.csv`` and the dashboard ``bands.png`` into ``out``."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        results.write_text(out / "bands.csv", self.bands.to_csv(index=False, float_format="%.6g"))
        draws = self.draws.to_csv(index=False, float_format="%.6g")
        results.write_text(out / "band_draws.csv", draws)
        figure = plots.png(plots.dashboard(self.median, title, self.bands))
        results.write_bytes(out / "bands.png", figure)
        return out


def prediction_bands(
    spec: CalibrationSpec,
    found: Uncertainty,
    draws: int = 20,
    level: float = 0.9,
    workers: int | None = None,
    *,
    scenario: Scenario | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
) -> PredictionBands:
    """Prediction bands of the dashboard's indicators at the fit, from its uncertainty.

    Each draw takes the fitted parameters from the normal approximation of their estimate,
    ``theta_i ~ N(best, V)`` (``V`` from :func:`uncertainty`), kept inside the search range,
    and runs once on its own seed, so the band holds both what the data leave open about the
    parameters and the model's own noise. The band of each indicator and year is the
    ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles over the draws; ``draws`` runs.

    Args:
        spec: The calibration problem.
        found: The uncertainty at the fit.
        draws: Number of parameter draws (one run each; at least 2).
        level: The band's coverage, in (0, 1).
        workers: Local worker processes (default: one per core).
        scenario: Run the draws in this scenario instead of the calibration's (a scenario
            that shares the fitted parameters, e.g. the US file that extends the calibrated
            China one): what the fit's uncertainty means elsewhere.
        scheduler: Address of a running Dask scheduler to run on instead.
        progress: Show a progress bar (``None``: after a second).

    Returns:
        The :class:`PredictionBands`.
    """
    if draws < 2 or not 0.0 < level < 1.0:
        raise ValueError(f"draws {draws} (at least 2) and level {level} (between 0 and 1)")
    names = spec.names
    theta = np.array([found.best[n] for n in names], dtype=np.float64)
    cov = found.covariance.loc[names, names].to_numpy(dtype=np.float64)
    low = np.array([lo for lo, _ in spec.bounds])
    high = np.array([hi for _, hi in spec.bounds])
    rng = np.random.default_rng(np.random.SeedSequence([spec.seed, 1]))
    sample = np.clip(rng.multivariate_normal(theta, cov, size=draws, method="eigh"), low, high)
    seeds = crn_seeds(spec.seed + 1, draws)
    tasks = {
        i: spec.with_values(values, seed, scenario)
        for i, (values, seed) in enumerate(zip(sample, seeds, strict=True))
    }
    runs = run_all(
        tasks, executor=Executor(workers, scheduler), desc="prediction bands", progress=progress
    )
    frame = pd.concat(runs.values(), ignore_index=True)
    columns = [c for c in dict.fromkeys(plots.dashboard_columns()) if c in frame]
    grouped = frame.groupby("year")[columns]
    quantiles = {
        "median": grouped.median(),
        "low": grouped.quantile((1.0 - level) / 2.0),
        "high": grouped.quantile((1.0 + level) / 2.0),
    }
    long = [
        table.reset_index().melt(id_vars="year", var_name="series", value_name=name)
        for name, table in quantiles.items()
    ]
    bands = long[0].merge(long[1], on=["year", "series"]).merge(long[2], on=["year", "series"])
    bands = bands[["series", "year", "median", "low", "high"]].sort_values(
        ["series", "year"], kind="stable", ignore_index=True
    )
    median = quantiles["median"].reset_index()
    table = pd.DataFrame(sample, columns=names).assign(seed=seeds)
    return PredictionBands(bands=bands, median=median, draws=table, level=level)
