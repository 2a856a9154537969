"""``o2osim compare``: several scenarios, the same seeds, replicated, side by side.

Replicate ``r`` of every scenario runs with seed ``base + r``, where ``base`` is the first
scenario's seed: common random numbers. The scenarios then differ only by their parameters,
not by luck, so each replicate gives a paired difference against the first scenario, and the
interval of the mean paired difference is much narrower than the two scenarios' own intervals
suggest.

Runs execute through :class:`o2osim.batch.execution.Executor` (Dask distributed), one task per
scenario and replicate; a task (:func:`o2osim.batch.runs.run_years`) returns the run's yearly
table and frees its model.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from o2osim import metrics, plots, results
from o2osim.batch.execution import Executor
from o2osim.batch.runs import run_all
from o2osim.errors import O2OError
from o2osim.resources import check_memory
from o2osim.run import git_commit, versions
from o2osim.scenario import Scenario, load_scenario
from o2osim.units import unit

COMPARE_FILES = ("compare.csv", "compare.md", "compare.png", "runs.parquet", "compare.json")

#: Confidence level of every interval.
LEVEL = 0.95

#: The statistics given for each outcome and group.
STATS = ("mean", "low", "high")

#: Outcomes read from the yearly table: (column, how the run is summarized). ``final``: the
#: last year's value; ``cumulative``: the sum over all years; ``mean``: the mean over years.
#: Columns a run does not have are skipped; firm-level columns follow FIRM_PREFIXES below.
OUTCOMES: list[tuple[str, str]] = [
    ("online_share", "final"),
    ("stores_open", "final"),
    ("dealers_active", "final"),
    ("dealer_exits", "cumulative"),  # derived: dealers at the start - dealers_active at the end
    ("store_closures", "cumulative"),
    ("traffic_cost", "final"),
    ("traffic_cost", "mean"),
    ("cost_per_new_customer", "final"),
    ("cost_per_new_customer", "mean"),
    ("annual_churn_online", "final"),
    ("mean_trust_online", "final"),
    ("gmv_online", "cumulative"),
    ("gmv_offline", "cumulative"),
    ("dealer_profit", "cumulative"),
    ("store_profit", "cumulative"),
]

#: Outcomes of the dealers' stock, listed when a compared scenario holds stock
#: (:func:`holds_stock`).
STOCK_OUTCOMES: list[tuple[str, str]] = [
    ("unsold_stock", "final"),
    ("stock_months", "mean"),
    ("stock_holding_cost", "cumulative"),
    ("stock_shared_online", "cumulative"),
]

#: Outcomes of the stores' formats, listed when a compared scenario lets stores decide.
FORMAT_OUTCOMES: list[tuple[str, str]] = [
    ("stores_showroom", "final"),
    ("stores_pick_up", "final"),
    ("stores_service", "final"),
    ("format_switches", "cumulative"),
]


#: Outcomes of the brands' rivalry, listed when a compared scenario has a brand that decides.
BRAND_OUTCOMES: list[tuple[str, str]] = [
    ("festival_native_share", "final"),
    ("festival_native_share", "mean"),
    ("brands_online_native", "final"),
    ("brands_traditional", "final"),
]


#: Outcomes of the dealers' choice of brands, listed when a compared scenario's dealers decide.
DEALER_OUTCOMES: list[tuple[str, str]] = [
    ("brands_carried", "final"),
    ("dealer_brand_drops", "cumulative"),
    ("dealer_takeovers", "cumulative"),
]


def brands_decide(scenario: Scenario) -> bool:
    """Whether some brand of the scenario decides its marketing."""
    return any(scenario.brand_decides(i) for i in range(len(scenario.brands)))


def holds_stock(scenario: Scenario) -> bool:
    """Whether dealers hold stock: a stock cover, or a brand that pushes its production."""
    pushed = any(b.production == "push" for b in scenario.brands)
    return scenario.dealers.stock_cover > 0 or pushed


def extra_outcomes(scenarios: Sequence[Scenario]) -> list[tuple[str, str]]:
    """The outcomes listed only when some scenario has them: stock, formats, brands, dealers."""
    extra = []
    if any(holds_stock(s) for s in scenarios):
        extra += STOCK_OUTCOMES
    if any(s.stores_decide for s in scenarios):
        extra += FORMAT_OUTCOMES
    if any(brands_decide(s) for s in scenarios):
        extra += BRAND_OUTCOMES
    if any(s.dealers_decide for s in scenarios):
        extra += DEALER_OUTCOMES
    return extra


#: Firm-level outcome columns by prefix (brands, platforms, C2B) and how each is summarized:
#: flows as final and cumulative, rates and shares as final and mean, levels as final.
FIRM_PREFIXES: dict[str, tuple[str, ...]] = {
    "brand_profit_": ("final", "cumulative"),
    "brand_sales_": ("final", "cumulative"),
    "brand_new_customers_": ("final", "cumulative"),
    "brand_traffic_cost_": ("final", "mean"),
    "brand_wallet_share_": ("final", "mean"),
    "brand_churn_": ("final", "mean"),
    "brand_awareness_": ("final", "mean"),
    "brand_members_": ("final",),
    "brand_customers_": ("final",),
    "brand_users_": ("final",),
    "brand_fans_": ("final",),
    "brand_partners_": ("final",),
    "brand_marketing_": ("final", "cumulative"),
    "online_budget_share_": ("final", "mean"),
    "festival_sales_": ("final", "cumulative"),
    "platform_profit_": ("final", "cumulative"),
    "platform_gmv_": ("final", "cumulative"),
    "commission_rate_": ("final", "mean"),
    "ad_load_": ("final", "mean"),
    "protection_spend_": ("final", "cumulative"),
    "enforcement_spend_": ("final", "cumulative"),
    "c2b_share_": ("final", "mean"),
    "c2b_mismatch_": ("final", "mean"),
    # a brand's conduct in force, as codes: the mean over replicates of the final year's
    "channel_strategy_": ("final",),
    "membership_": ("final",),
    "fan_programme_": ("final",),
}


def _firm_outcomes(columns: Sequence[str]) -> list[tuple[str, str]]:
    """The firm-level outcomes a run's yearly table has, with how each is summarized."""
    found = []
    for column in columns:
        for prefix, overs in FIRM_PREFIXES.items():
            if column.startswith(prefix):
                found += [(column, over) for over in overs]
                break
    return found


#: Words for the ``over`` column of the table.
OVER = {"final": "final year", "cumulative": "cumulative", "mean": "mean over run"}

#: Yearly series drawn in compare.png, beside the summed brand profit series.
TRAJECTORIES = [
    "online_share",
    "stores_open",
    "dealers_active",
    "traffic_cost",
    "mean_trust_online",
]


#: The platforms' decisions drawn in compare.png when they move (in a year or between
#: scenarios): the GMV-weighted commission and ad load, and protection plus enforcement spend.
DECISIONS = ["commission_rate", "ad_load", "protection_spend"]


def decision_series(frame: pd.DataFrame) -> pd.DataFrame:
    """The platforms' decisions of each yearly row, summed over the platforms.

    ``commission_rate`` and ``ad_load`` are the platforms' levers weighted by their GMV that
    year (the market's take rate and the ad load a yuan of GMV met); ``protection_spend`` is
    what they all spent on protection and enforcement. Rows without platform GMV get NaN.

    Args:
        frame: Yearly rows with ``platform_gmv_<name>`` and the lever columns.

    Returns:
        The three columns, on the frame's index (empty without platforms).
    """
    names = [c.removeprefix("platform_gmv_") for c in frame if c.startswith("platform_gmv_")]
    names = [n for n in names if f"commission_rate_{n}" in frame]
    out = pd.DataFrame(index=frame.index)
    if not names:
        return out
    gmv = frame[[f"platform_gmv_{n}" for n in names]].to_numpy(float)
    total = gmv.sum(axis=1)
    for lever in ("commission_rate", "ad_load"):
        values = frame[[f"{lever}_{n}" for n in names]].to_numpy(float)
        weighted = (values * gmv).sum(axis=1)
        out[lever] = np.where(total > 0, weighted / np.where(total > 0, total, 1), np.nan)
    spend = [f"{k}_spend_{n}" for n in names for k in ("protection", "enforcement")]
    out["protection_spend"] = frame[[c for c in spend if c in frame]].sum(axis=1)
    return out


def interval(values: Sequence[float] | np.ndarray) -> tuple[float, float, float]:
    """Mean and two-sided t-interval of the mean at :data:`LEVEL`.

    See :func:`o2osim.metrics.interval`: bounds NaN with fewer than two values.
    """
    return metrics.interval(values, LEVEL)


def outcomes(
    years: pd.DataFrame,
    scenario: Scenario,
    extra: Sequence[tuple[str, str]] | None = None,
) -> dict[tuple[str, str], float]:
    """The key outcomes of one run.

    Args:
        years: The run's yearly table.
        scenario: The run's scenario (for the initial number of dealers).
        extra: The outcomes given besides :data:`OUTCOMES` (stock, formats); ``None``: the
            scenario's own (:func:`extra_outcomes`).

    Returns:
        ``(outcome, over) -> value`` for every outcome whose column the run has.
    """
    out: dict[tuple[str, str], float] = {}
    brands = _firm_outcomes(list(years.columns))
    extra = extra_outcomes([scenario]) if extra is None else extra
    for column, over in [*OUTCOMES, *extra, *brands]:
        if column == "dealer_exits":
            if "dealers_active" in years:
                out[column, over] = scenario.dealers.count - float(years["dealers_active"].iloc[-1])
            continue
        if column not in years:
            continue
        values = years[column].astype("float64")
        if column.startswith("annual_churn"):
            values = values.iloc[1:]  # no customers of a year before the first
        if values.empty:
            continue
        out[column, over] = float(
            {"final": values.iloc[-1], "cumulative": values.sum(), "mean": values.mean()}[over]
        )
    return out


def summary_table(per_run: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Means and intervals per scenario, and paired differences against the first.

    Args:
        per_run: One row per (scenario, replicate), one column per ``(outcome, over)``.
        labels: Scenario labels in order; the first is the reference.

    Returns:
        Index ``(outcome, over)``; columns ``(group, stat)`` with group a label or
        ``"<label> - <first>"`` and stat ``mean``, ``low``, ``high``.
    """

    def columns(frame: pd.DataFrame, group: str) -> dict[tuple[str, str], list[float]]:
        rows = [interval(frame[c]) for c in per_run.columns]
        return {(group, stat): [r[i] for r in rows] for i, stat in enumerate(STATS)}

    first = labels[0]
    ref = per_run.xs(first, level="scenario")
    cols: dict[tuple[str, str], list[float]] = {}
    for label in labels:
        cols |= columns(per_run.xs(label, level="scenario"), label)
    for label in labels[1:]:
        # Paired by replicate: replicate r of both scenarios ran with the same seed.
        diff = per_run.xs(label, level="scenario").sub(ref)
        cols |= columns(diff, f"{label} - {first}")
    table = pd.DataFrame(cols, index=per_run.columns)
    table.index = table.index.set_names(["outcome", "over"])
    table.columns = pd.MultiIndex.from_tuples(table.columns, names=["group", "stat"])
    return table


def trajectories(runs: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Yearly mean and interval over replicates of the series drawn in compare.png.

    Brand profit is summed over brands per channel (``brand_profit_online``,
    ``brand_profit_offline``) from the ``brand_profit_<channel>_<brand>`` columns; the
    platforms' decisions (:func:`decision_series`) are drawn when any of them moves, the
    dealers' ``unsold_stock`` when any run holds stock, and ``stores_reformed`` (showrooms,
    pick-up and service points) when any store changed format, and, when brands decide,
    ``online_budget_share`` (the mean over the brands that sell in stores of the online
    share of their budgets) and ``festival_native_share``.

    Args:
        runs: All replicate yearly rows (columns scenario, replicate, year, ...).
        labels: Scenario labels in order.

    Returns:
        Long table: scenario, series, year, mean, low, high.
    """
    frame = runs.copy()
    series = [c for c in TRAJECTORIES if c in frame]
    for channel in ("online", "offline"):
        parts = [c for c in frame if c.startswith(f"brand_profit_{channel}_")]
        if parts:
            frame[f"brand_profit_{channel}"] = frame[parts].sum(axis=1, min_count=1)
            series.append(f"brand_profit_{channel}")
    decided = decision_series(frame)
    for name in DECISIONS:
        if name in decided and decided[name].dropna().nunique() > 1:
            frame[name] = decided[name]
            series.append(name)
    if "unsold_stock" in frame and frame["unsold_stock"].any():
        series.append("unsold_stock")
    reformed = [c for c in ("stores_showroom", "stores_pick_up", "stores_service") if c in frame]
    if reformed and frame[reformed].to_numpy().any():
        frame["stores_reformed"] = frame[reformed].sum(axis=1)
        series.append("stores_reformed")
    in_stores = [
        c.removeprefix("offline_share_")
        for c in frame
        if c.startswith("offline_share_") and frame[c].any()
    ]
    if in_stores:
        frame["online_budget_share"] = frame[[f"online_budget_share_{n}" for n in in_stores]].mean(
            axis=1
        )
        series += ["online_budget_share", "festival_native_share"]
    rows = []
    for (label, year), group in frame.groupby(["scenario", "year"], sort=False):
        for name in series:
            mean, low, high = interval(group[name])
            rows.append((label, name, year, mean, low, high))
    long = pd.DataFrame(rows, columns=["scenario", "series", "year", "mean", "low", "high"])
    long["scenario"] = pd.Categorical(long["scenario"], categories=labels, ordered=True)
    return long.sort_values(["scenario", "series", "year"], kind="stable").reset_index(drop=True)


def _number(x: float) -> str:
    """About 4 significant digits with thousands separators; millions as M (e.g. 18,551M)."""
    if not np.isfinite(x):
        return "-"
    if x == 0:
        return "0"
    value, suffix = (x / 1e6, "M") if abs(x) >= 1e6 else (x, "")
    digits = max(0, 3 - int(np.floor(np.log10(abs(value)))))
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + suffix


@dataclass
class Comparison:
    """The outcome of :func:`compare`.

    Attributes:
        labels: Scenario labels, the first being the reference of the differences.
        scenarios: Label -> resolved scenario (with the seed of replicate 0).
        seeds: The seed of each replicate, common to all scenarios.
        runs: Every replicate's yearly rows: scenario, replicate, seed, then the years columns.
        table: Key outcomes (rows) by scenario and difference (column groups): mean, low, high
            of the 95% t-interval over replicates.
        manifest: Scenarios, seeds, versions, git commit, start time and wall seconds.
    """

    labels: list[str]
    scenarios: dict[str, Scenario]
    seeds: list[int]
    runs: pd.DataFrame
    table: pd.DataFrame
    manifest: dict[str, Any]

    def flat_table(self) -> pd.DataFrame:
        """The table with one header row, as written to compare.csv."""
        flat = self.table.copy()
        flat.columns = [f"{group}: {stat}" for group, stat in flat.columns]
        flat = flat.reset_index()
        flat["over"] = flat["over"].map(OVER)
        flat.insert(2, "unit", flat["outcome"].map(unit))
        return flat

    def markdown(self) -> str:
        """compare.md: the table with ``mean [low, high]`` cells and a short legend."""
        groups = list(dict.fromkeys(self.table.columns.get_level_values("group")))
        head = ["outcome", "unit", *groups]
        n = len(self.seeds)
        seeds = f"seed {self.seeds[0]}" if n == 1 else f"seeds {self.seeds[0]}..{self.seeds[-1]}"
        lines = [
            f"# Comparison: {', '.join(self.labels)}",
            "",
            f"{n} replicate{'s' if n > 1 else ''} per scenario with the same {seeds}. Each "
            f"cell is the mean over replicates and its {LEVEL:.0%} t-interval [low, high] (none "
            "with one replicate); the columns '<B> - <A>' give the mean paired difference "
            "(replicate by replicate, same seed) and its interval. M = million; '-' = the "
            "scenario's runs have no such column.",
            "",
            "| " + " | ".join(head) + " |",
            "|" + "|".join([":--", ":--", *["--:"] * len(groups)]) + "|",
        ]
        for (outcome, over), row in self.table.iterrows():
            cells = [f"{outcome}, {OVER[over]}", unit(outcome)]
            for group in groups:
                mean, low, high = (row[group, s] for s in STATS)
                cell = _number(mean)
                if np.isfinite(low):
                    cell += f" [{_number(low)}, {_number(high)}]"
                cells.append(cell)
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def figure(self) -> Figure:
        """The scenarios' yearly trajectories: mean lines and 95% bands over replicates."""
        title = f"{' vs '.join(self.labels)} ({len(self.seeds)} replicates, mean and 95% band)"
        return plots.comparison(trajectories(self.runs, self.labels), title)

    def save(self, out: str | Path) -> Path:
        """Write compare.csv, compare.md, compare.png, runs.parquet and compare.json.

        Args:
            out: The output directory (written atomically; an existing one is replaced).

        Returns:
            The directory.

        Raises:
            O2OError: If ``out`` exists and is not a directory.
        """
        out = Path(out)
        if out.exists() and not out.is_dir():
            raise O2OError(f"--out: {out} exists and is not a directory")
        with results.atomic_directory(out) as tmp:
            self.flat_table().to_csv(
                tmp / "compare.csv", index=False, float_format="%.10g", lineterminator="\n"
            )
            (tmp / "compare.md").write_text(self.markdown())
            fig = self.figure()
            fig.savefig(tmp / "compare.png", dpi=100)
            plots.plt.close(fig)
            results.write_parquet(self.runs, tmp / "runs.parquet")
            manifest = dict(self.manifest)
            manifest["files"] = {
                name: results.sha256(tmp / name) for name in COMPARE_FILES if name != "compare.json"
            }
            (tmp / "compare.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        return out


def _labels(names: list[str]) -> list[str]:
    """Unique labels: a repeated name gets ``-2``, ``-3``, ... (comparing a file with itself)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return out


def resolve(
    scenarios: Sequence[str | Path | dict[str, Any] | Scenario]
    | Mapping[str, str | Path | dict[str, Any] | Scenario],
    replicates: int = 5,
    overrides: list[str] | None = None,
) -> tuple[list[str], dict[str, Scenario], list[int]]:
    """Validate every scenario and the replicate count before anything runs.

    Args:
        scenarios: Scenario files, mappings or scenarios; or label -> one of those.
        replicates: Runs per scenario.
        overrides: ``KEY=VALUE`` strings applied to every scenario, as ``--set``.

    Returns:
        Labels, label -> scenario (seed of replicate 0), and the seeds.

    Raises:
        O2OError: If fewer than two scenarios, fewer than one replicate, or any scenario or
            override is invalid (a :class:`ScenarioError`).
    """
    if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 1:
        raise O2OError(f"--replicates: got {replicates!r}, expected an integer of at least 1")
    if isinstance(scenarios, Mapping):
        names, sources = [str(k) for k in scenarios], list(scenarios.values())
    else:
        sources = list(scenarios)
        names = [Path(s).stem if isinstance(s, str | Path) else None for s in sources]
    if len(sources) < 2:
        raise O2OError(f"compare: got {len(sources)} scenario, expected at least 2")
    loaded = [load_scenario(s, overrides) for s in sources]
    for source, scenario in zip(sources, loaded, strict=True):  # each run must fit in memory
        check_memory(scenario, "auto", source if isinstance(source, str | Path) else None)
    labels = _labels([n or sc.name for n, sc in zip(names, loaded, strict=True)])
    seeds = [loaded[0].seed + r for r in range(replicates)]
    # The last seed must be a valid seed too: check it here, not in a worker.
    resolved = {
        label: load_scenario(sc, seed=seeds[0]) for label, sc in zip(labels, loaded, strict=True)
    }
    load_scenario(loaded[0], seed=seeds[-1])
    return labels, resolved, seeds


def compare(
    scenarios: Sequence[str | Path | dict[str, Any] | Scenario]
    | Mapping[str, str | Path | dict[str, Any] | Scenario],
    replicates: int = 5,
    overrides: list[str] | None = None,
    workers: int | None = None,
    *,
    scheduler: str | None = None,
    progress: bool | None = None,
) -> Comparison:
    """Run scenarios side by side with common seeds and summarize their key outcomes.

    Replicate ``r`` of every scenario uses seed ``s + r``, ``s`` being the first scenario's
    seed (after overrides), so differences are paired.

    Args:
        scenarios: At least two scenario files, mappings or scenarios (labelled by file stem or
            scenario name), or a mapping label -> scenario.
        replicates: Runs per scenario (at least 1; intervals need 2).
        overrides: ``KEY=VALUE`` strings applied to every scenario, as ``--set``.
        workers: Local worker processes (default: one per core).
        scheduler: Address of an existing Dask scheduler to run on instead.
        progress: Show a progress bar of runs done on stderr (``None``: if it takes over a
            second).

    Returns:
        The :class:`Comparison`.

    Raises:
        O2OError: Bad input (nothing runs), or :class:`RunsFailed` if any run raised.
    """
    labels, resolved, seeds = resolve(scenarios, replicates, overrides)
    executor = Executor(workers, scheduler)  # checks workers before anything starts
    # label by label: a failure message names the first failed run in this order
    tasks = {
        (label, r): load_scenario(resolved[label], seed=seed)
        for label in labels
        for r, seed in enumerate(seeds)
    }
    started = datetime.now(UTC)
    clock = time.perf_counter()
    done = run_all(
        tasks,
        executor=executor,
        desc="compare",
        progress=progress,
        name=lambda key: f"{key[0]} replicate {key[1]} (seed {seeds[key[1]]})",
    )
    frames = []
    for label in labels:
        for r, seed in enumerate(seeds):
            years = done[label, r]
            frames.append(years.assign(scenario=label, replicate=r, seed=seed))
    runs = pd.concat(frames, ignore_index=True)
    front = ["scenario", "replicate", "seed"]
    runs = runs[front + [c for c in runs.columns if c not in front]]
    extra = extra_outcomes([resolved[label] for label in labels])
    per_run = pd.DataFrame.from_dict(
        {
            (label, r): outcomes(done[label, r], resolved[label], extra)
            for label in labels
            for r in range(len(seeds))
        },
        orient="index",
    )
    per_run.index = per_run.index.set_names(["scenario", "replicate"])
    per_run.columns = pd.MultiIndex.from_tuples(per_run.columns)
    manifest = {
        "scenarios": {label: resolved[label].model_dump(mode="json") for label in labels},
        "seeds": seeds,
        "replicates": len(seeds),
        "overrides": list(overrides or []),
        "versions": versions(),
        "git_commit": git_commit(),
        "started": started.isoformat(),
        "wall_seconds": round(time.perf_counter() - clock, 3),
        "workers": None if scheduler else executor.workers,
        "scheduler": scheduler,
    }
    return Comparison(labels, resolved, seeds, runs, summary_table(per_run, labels), manifest)
