"""Matplotlib figures shared by the command line, notebooks and the dashboard.

The backend is left to the caller: Jupyter shows the figures inline, the command line draws
into files (``o2osim.cli`` selects Agg).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from o2osim.errors import O2OError
from o2osim.metrics import interval, per_run
from o2osim.units import NO_CHANNEL, OVER_WORDS, STORE_CHANNEL, channel_label, parameter_unit, unit
from o2osim.units import label as axis_label

#: Dashboard panels: (title, y label, log scale, [(column, legend label, scale)]).
PANELS = [
    ("Online share of sales", "share of GMV", False, [("online_share", "online", 1.0)]),
    (
        "Traffic cost",
        "yuan (log)",
        True,
        [
            ("traffic_cost", "per net new buyer", 1.0),
            ("cost_per_new_customer", "per customer won", 1.0),
        ],
    ),
    (
        "Conversion",
        "orders per visit (log)",
        True,
        [("online_conversion_rate", "online", 1.0), ("offline_conversion_rate", "stores", 1.0)],
    ),
    (
        "Physical stores",
        "stores",
        False,
        [
            ("stores_open", "open at year end", 1.0),
            ("store_openings", "opened in year", 1.0),
            ("store_closures", "closed in year", 1.0),
        ],
    ),
    (
        "Working-age population",
        "million people",
        False,
        [("working_age_population", "aged entry_age to working_age_max", 1e-6)],
    ),
    (
        "Customers lost in a year",
        "share of last year's customers",
        False,
        [("annual_churn_online", "online shops", 1.0), ("annual_churn_offline", "stores", 1.0)],
    ),
    (
        "Trust",
        "mean trust (0-1)",
        False,
        [("mean_trust_online", "platforms", 1.0), ("mean_trust_offline", "stores", 1.0)],
    ),
    (
        "Sales by channel",
        "GMV, billion yuan",
        False,
        [("gmv_online", "online", 1e-9), ("gmv_offline", "stores", 1e-9)],
    ),
]


def dashboard_columns() -> list[str]:
    """The year columns the dashboard draws, panel by panel."""
    return [column for _, _, _, series in PANELS for column, _, _ in series]


def dashboard(
    years: pd.DataFrame, title: str = "o2osim", bands: pd.DataFrame | None = None
) -> Figure:
    """A 2x4 figure of the yearly indicators against year.

    Args:
        years: The yearly table of a run (with ``bands``: the median of the runs).
        title: Figure title.
        bands: Optional prediction bands, a long table of ``series``, ``year``, ``low`` and
            ``high`` (as made by :func:`o2osim.batch.uncertainty.prediction_bands`), shaded
            behind each indicator's line.

    Returns:
        The figure (not shown; save or display it).
    """
    fig, axes = plt.subplots(2, 4, figsize=(19, 8), constrained_layout=True)
    for ax, (panel_title, ylabel, log, series) in zip(axes.flat, PANELS, strict=True):
        for column, label, scale in series:
            if column not in years:
                continue
            values = years[column] * scale
            if column.startswith("annual_churn"):
                values = values.iloc[1:]  # no customers of a year before the first
            if log:
                values = values.where(values > 0)  # nothing to show on a log axis
            (line,) = ax.plot(
                years["year"].loc[values.index], values, marker="o", ms=3, label=label
            )
            band = None if bands is None else bands[bands["series"] == column]
            if band is not None and not band.empty:
                band = band[band["year"].isin(years["year"].loc[values.index])]
                low, high = band["low"] * scale, band["high"] * scale
                if log:
                    low, high = low.where(low > 0), high.where(high > 0)
                ax.fill_between(
                    band["year"], low, high, color=line.get_color(), alpha=0.2, linewidth=0
                )
        if log and ax.lines:
            ax.set_yscale("log")
        ax.set_title(panel_title)
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # no 2002.5
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        if len(series) > 1:
            ax.legend(frameon=False)
    fig.suptitle(title)
    return fig


def save_dashboard(
    years: pd.DataFrame, path: Path, title: str = "o2osim", bands: pd.DataFrame | None = None
) -> Path:
    """Draw :func:`dashboard` into a PNG file and close the figure."""
    Path(path).write_bytes(png(dashboard(years, title, bands)))
    return path


def png(fig: Figure, dpi: int = 100) -> bytes:
    """A figure as PNG bytes (as ``fig.savefig(path, dpi=dpi)`` writes them); closes the figure.

    Args:
        fig: The figure.
        dpi: Resolution.

    Returns:
        The PNG file's bytes.
    """
    return encoded(fig, "png", dpi)


def encoded(fig: Figure, fmt: str, dpi: int = 100) -> bytes:
    """A figure as the bytes of a ``fmt`` file (``png``, ``pdf``, ``svg``); closes the figure.

    Args:
        fig: The figure.
        fmt: File format, as matplotlib names it.
        dpi: Resolution.

    Returns:
        The file's bytes.
    """
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format=fmt, dpi=dpi)
    finally:
        plt.close(fig)
    return buffer.getvalue()


#: Comparison panels: series -> (title, y label, log scale, scale).
COMPARISON_PANELS = {
    "online_share": ("Online share of sales", "share of GMV", False, 1.0),
    "stores_open": ("Physical stores open", "stores at year end", False, 1.0),
    "dealers_active": ("Dealers active", "dealers at year end", False, 1.0),
    "traffic_cost": ("Traffic cost", "yuan per net new buyer (log)", True, 1.0),
    "mean_trust_online": ("Trust in platforms", "mean trust (0-1)", False, 1.0),
    "brand_profit_online": ("Brands' profit online", "million yuan per year", False, 1e-6),
    "brand_profit_offline": ("Brands' profit offline", "million yuan per year", False, 1e-6),
    "commission_rate": ("Platforms' commission", "share of GMV (GMV-weighted)", False, 1.0),
    "ad_load": ("Platforms' ad load", "ads per search session (GMV-weighted)", False, 1.0),
    "protection_spend": (
        "Platforms' protection",
        "protection and enforcement, million yuan per year",
        False,
        1e-6,
    ),
    "unsold_stock": ("Unsold stock at dealers", "million yuan at year end", False, 1e-6),
    "stores_reformed": (
        "Stores changed format",
        "showrooms, pick-up and service points open",
        False,
        1.0,
    ),
    "online_budget_share": (
        "Traditional brands' budget online",
        "share of marketing budget (mean over brands)",
        False,
        1.0,
    ),
    "festival_native_share": (
        "Online natives at the festivals",
        "share of the brands' festival sales",
        False,
        1.0,
    ),
}


def comparison(trajectories: pd.DataFrame, title: str = "o2osim compare") -> Figure:
    """Scenarios' yearly trajectories overlaid: a mean line and a band per scenario and panel.

    Args:
        trajectories: Long table with columns scenario (categorical, in order), series, year,
            mean, low, high, as made by :func:`o2osim.batch.comparison.trajectories`.
        title: Figure title.

    Returns:
        The figure (not shown; save or display it).
    """
    present = set(trajectories["series"])
    panels = [name for name in COMPARISON_PANELS if name in present]
    ncols = 4 if len(panels) > 6 else 3
    nrows = max(1, -(-len(panels) // ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(4.75 * ncols, 4 * nrows), constrained_layout=True, squeeze=False
    )
    scenarios = list(trajectories["scenario"].cat.categories)
    for ax, name in zip(axes.flat, panels, strict=False):
        panel_title, ylabel, log, scale = COMPARISON_PANELS[name]
        rows = trajectories[trajectories["series"] == name]
        for i, label in enumerate(scenarios):
            line = rows[rows["scenario"] == label]
            mean, low, high = (line[c] * scale for c in ("mean", "low", "high"))
            if log:  # nothing to show on a log axis at or below 0
                mean, low, high = (s.where(s > 0) for s in (mean, low, high))
            color = f"C{i % 10}"
            ax.plot(line["year"], mean, marker="o", ms=3, color=color, label=label)
            ax.fill_between(line["year"], low, high, color=color, alpha=0.2, linewidth=0)
        if log and ax.lines:
            ax.set_yscale("log")
        ax.set_title(panel_title)
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # no 2004.5 on short runs
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    axes.flat[0].legend(frameon=False)
    fig.suptitle(title)
    return fig


# ----------------------------------------------------------------- sweeps and calibration


def _values(results: pd.DataFrame, columns: list[str], metric: str, over: str) -> pd.DataFrame:
    """One row per run with a value of ``metric``: the given columns."""
    runs = per_run(results, [metric], over)[columns].dropna()
    if runs.empty:
        raise O2OError(f"no run of the sweep has a value of {metric}")
    return runs


def _short(value: float) -> str:
    return f"{value:.4g}"


def sweep_line(
    results: pd.DataFrame,
    x: str,
    y: str,
    over: str = "final",
    *,
    bins: int = 12,
    exact: bool | None = None,
    title: str | None = None,
) -> Figure:
    """A metric against a parameter: every run, and the mean with a 95% band.

    Runs are grouped by their exact value of ``x`` (grid designs) or, for continuous designs,
    by ``bins`` equal-width bins of ``x``; each group gives the mean over its runs (replicates,
    and the other parameters' values) and the 95% t-interval of that mean.

    Args:
        results: A sweep's rows, ``pd.read_parquet(DIR / "results")``.
        x: A parameter column (dotted path).
        y: A metric column.
        over: How a run becomes one number: ``final``, ``mean`` or ``sum`` over years.
        bins: Number of bins of ``x`` for continuous designs.
        exact: Group by exact ``x`` values (``None``: when there are at most ``bins`` of them).
        title: Figure title (default: ``y`` against ``x``).

    Returns:
        The figure (not shown; save or display it).
    """
    runs = _values(results, [x, y], y, over)
    exact = runs[x].nunique() <= bins if exact is None else exact
    if exact:
        keys, centres = runs[x], None
    else:
        edges = np.linspace(runs[x].min(), runs[x].max(), bins + 1)
        keys = pd.cut(runs[x], edges, include_lowest=True, labels=False)
        centres = (edges[:-1] + edges[1:]) / 2
    # groupby sorts its keys: the line runs along increasing x
    line = [
        (key if centres is None else centres[int(key)], *interval(values))
        for key, values in runs.groupby(keys, sort=True)[y]
    ]
    where, mean, low, high = (np.array(c, dtype=np.float64) for c in zip(*line, strict=True))
    fig, ax = plt.subplots(figsize=(7, 4.5), constrained_layout=True)
    ax.scatter(runs[x], runs[y], s=10, color="0.6", alpha=0.5, linewidth=0, label="runs")
    ax.plot(
        where,
        mean,
        marker="o",
        ms=4,
        color="C0",
        label="mean" if exact else f"mean per bin ({bins} bins)",
    )
    ax.fill_between(
        where, low, high, color="C0", alpha=0.25, linewidth=0, label="95% interval of the mean"
    )
    ax.set_xlabel(axis_label(x, parameter_unit(x)))
    ax.set_ylabel(axis_label(y, unit(y), over))
    ax.set_title(title or f"{y} against {x} ({len(runs)} runs)")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    return fig


def sweep_heatmap(
    results: pd.DataFrame,
    x: str,
    y: str,
    z: str,
    over: str = "final",
    *,
    bins: int = 12,
    exact: bool | None = None,
    title: str | None = None,
) -> Figure:
    """A metric over two parameters: the mean over the runs of each cell.

    Cells are the exact value pairs of a grid design, or ``bins`` x ``bins`` equal-width bins
    for continuous designs (empty bins blank).

    Args:
        results: A sweep's rows, ``pd.read_parquet(DIR / "results")``.
        x: Parameter on the horizontal axis.
        y: Parameter on the vertical axis.
        z: The metric (colour).
        over: How a run becomes one number: ``final``, ``mean`` or ``sum`` over years.
        bins: Bins per axis for continuous designs.
        exact: Exact cells (``None``: when both parameters have at most ``bins`` values).
        title: Figure title.

    Returns:
        The figure.
    """
    runs = _values(results, [x, y, z], z, over)
    if exact is None:
        exact = runs[x].nunique() <= bins and runs[y].nunique() <= bins
    fig, ax = plt.subplots(figsize=(7, 5.5), constrained_layout=True)
    if exact:
        grid = runs.pivot_table(index=y, columns=x, values=z, aggfunc="mean").sort_index()
        grid = grid.sort_index(axis=1)
        mesh = ax.pcolormesh(
            np.arange(grid.shape[1] + 1),
            np.arange(grid.shape[0] + 1),
            grid.to_numpy(),
            shading="flat",
            cmap="viridis",
        )
        ax.set_xticks(np.arange(grid.shape[1]) + 0.5, [_short(v) for v in grid.columns])
        ax.set_yticks(np.arange(grid.shape[0]) + 0.5, [_short(v) for v in grid.index])
        if grid.size <= 144:  # small grids: print each cell's mean
            for (i, j), value in np.ndenumerate(grid.to_numpy()):
                if np.isfinite(value):
                    ax.text(
                        j + 0.5,
                        i + 0.5,
                        _short(value),
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white",
                    )
    else:
        xe = np.linspace(runs[x].min(), runs[x].max(), bins + 1)
        ye = np.linspace(runs[y].min(), runs[y].max(), bins + 1)
        cells = (
            runs.assign(
                bx=pd.cut(runs[x], xe, include_lowest=True, labels=False),
                by=pd.cut(runs[y], ye, include_lowest=True, labels=False),
            )
            .groupby(["by", "bx"])[z]
            .mean()
        )
        grid = np.full((bins, bins), np.nan)
        for (i, j), value in cells.items():
            grid[int(i), int(j)] = value
        mesh = ax.pcolormesh(xe, ye, np.ma.masked_invalid(grid), shading="flat", cmap="viridis")
    fig.colorbar(mesh, ax=ax, label=axis_label(z, unit(z), over))
    ax.set_xlabel(axis_label(x, parameter_unit(x)))
    ax.set_ylabel(axis_label(y, parameter_unit(y)))
    cell = "cell" if exact else f"bin ({bins} x {bins})"
    ax.set_title(title or f"{z}: mean of the runs in each {cell}")
    return fig


def sensitivity_bars(table: pd.DataFrame, title: str | None = None) -> Figure:
    """Sensitivity indices as bars with their confidence intervals, one panel per metric.

    Args:
        table: From :func:`o2osim.batch.sensitivity.sensitivity` (Sobol: S1, ST with ``*_conf``;
            Morris: mu_star with mu_star_conf, and sigma).
        title: Figure title.

    Returns:
        The figure.
    """
    design = table.attrs.get("design", "sobol" if "S1" in table else "morris")
    bars = (
        [("S1", "S1_conf", "first order S1"), ("ST", "ST_conf", "total ST")]
        if design == "sobol"
        else [("mu_star", "mu_star_conf", "mu* (mean absolute effect)"), ("sigma", None, "sigma")]
    )
    metrics = list(dict.fromkeys(table["metric"]))
    ncols = min(3, len(metrics))
    nrows = -(-len(metrics) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(5.5 * ncols, 4.2 * nrows), constrained_layout=True, squeeze=False
    )
    width = 0.8 / len(bars)
    for ax, metric in zip(axes.flat, metrics, strict=False):
        rows = table[table["metric"] == metric]
        at = np.arange(len(rows))
        for k, (column, conf, name) in enumerate(bars):
            err = rows[conf].to_numpy() if conf else None
            ax.bar(
                at + (k - (len(bars) - 1) / 2) * width,
                rows[column].to_numpy(),
                width,
                yerr=err,
                capsize=3,
                color=f"C{k}",
                label=name,
            )
        ax.set_xticks(at, rows["parameter"], rotation=20, ha="right")
        ax.axhline(0, color="0.3", linewidth=0.8)
        ax.set_title(metric)
        ax.set_xlabel("parameter")
        ax.set_ylabel(
            "Sobol index (share of variance)"
            if design == "sobol"
            else axis_label("effect per normalized step", unit(metric))
        )
        ax.grid(alpha=0.3, axis="y")
    for ax in axes.flat[len(metrics) :]:
        ax.set_visible(False)
    axes.flat[0].legend(frameon=False)
    over = OVER_WORDS.get(table.attrs.get("over", "final"), "")
    fig.suptitle(
        title or f"{design.capitalize()} indices ({over}; error bars: 95% bootstrap intervals)"
    )
    return fig


#: How calibration_fit labels each set of targets.
SET_LABELS = {
    "fitted": "target (fitted)",
    "held_out": "target (held out)",
    "not_fitted": "not fitted",
}


def calibration_fit(
    runs: pd.DataFrame, targets: pd.DataFrame, title: str = "calibration"
) -> Figure:
    """Simulated series at the fitted parameters against the targets, one panel per metric.

    Args:
        runs: Yearly rows of the replicates at the best parameters (``replicate``, ``year`` and
            the metric columns).
        targets: ``year``, ``metric``, ``value`` and, optionally, ``set`` (``fitted``,
            ``held_out``, ``not_fitted``; all fitted without it).
        title: Figure title.

    Returns:
        The figure: the mean over replicates as a line, their range as a band, fitted targets
        as dots, held-out targets as red rings, series never fitted as green squares.
    """
    metrics = list(dict.fromkeys(targets["metric"]))
    ncols = min(3, len(metrics))
    nrows = -(-len(metrics) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(5.5 * ncols, 4.2 * nrows), constrained_layout=True, squeeze=False
    )
    for ax, metric in zip(axes.flat, metrics, strict=False):
        by_year = runs.groupby("year")[metric]
        mean, low, high = by_year.mean(), by_year.min(), by_year.max()
        ax.plot(mean.index, mean, color="C0", marker="o", ms=3, label="simulated (mean)")
        ax.fill_between(
            mean.index, low, high, color="C0", alpha=0.25, linewidth=0, label="range of replicates"
        )
        target = targets[targets["metric"] == metric]
        kinds = target["set"] if "set" in target else pd.Series("fitted", index=target.index)
        for kind, label in SET_LABELS.items():
            chosen = target[kinds == kind]
            if chosen.empty:
                continue
            filled = kind == "fitted"
            ax.scatter(
                chosen["year"],
                chosen["value"],
                s=22,
                zorder=3,
                label=label,
                facecolors="k" if filled else "none",
                edgecolors="k" if filled else ("C3" if kind == "held_out" else "C2"),
                marker="o" if kind != "not_fitted" else "s",
            )
        ax.set_title(metric)
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(axis_label(metric, unit(metric)))
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(metrics) :]:
        ax.set_visible(False)
    shown: dict[str, Any] = {}  # every panel's kinds of targets, in the first panel's legend
    for ax in axes.flat[: len(metrics)]:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            shown.setdefault(label, handle)
    axes.flat[0].legend(list(shown.values()), list(shown), frameon=False)
    fig.suptitle(title)
    return fig


# ---------------------------------------------------------------- plots a teacher wants


def funnel(ticks: pd.DataFrame, year: int | None = None) -> Figure:
    """The week-by-week conversion funnel: visits and orders online and in stores.

    Args:
        ticks: The per-tick table of a run (``Result.ticks`` or ``ticks.parquet``).
        year: Draw this year's weeks only (default: the whole run).

    Returns:
        Two panels: visits and orders per week by channel, and conversion per week.
    """
    frame = ticks if year is None else ticks[ticks["year"] == year]
    x = frame["tick"].to_numpy()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6.5), sharex=True, layout="constrained")
    for column, label, style in [
        ("online_visits", "online visits", "-"),
        ("online_orders", "online orders", "--"),
        ("store_visits", "store visits", "-"),
        ("offline_orders", "store orders", "--"),
    ]:
        color = "tab:blue" if column.startswith("online") else "tab:orange"
        top.plot(x, frame[column] / 1e6, style, color=color, label=label)
    top.set_ylabel("million per week")
    top.set_yscale("log")
    top.set_title("Visits and orders per week")
    top.legend(ncol=2, fontsize=8)
    online = frame["online_orders"] / frame["online_visits"].where(frame["online_visits"] > 0)
    stores = frame["offline_orders"] / frame["store_visits"].where(frame["store_visits"] > 0)
    bottom.plot(x, 100 * online, color="tab:blue", label="online")
    bottom.plot(x, 100 * stores, color="tab:orange", label="stores")
    bottom.set_ylabel("orders per 100 visits (log)")
    bottom.set_yscale("log")
    bottom.set_xlabel("week of the run (tick)")
    bottom.set_title("Conversion")
    bottom.legend(fontsize=8)
    for ax in (top, bottom):
        ax.grid(alpha=0.3)
    return fig


def cohorts(model: Any) -> Figure:
    """The demographic dividend: people in the market by age now, working ages shaded.

    Args:
        model: A market (:class:`o2osim.model.O2OMarket`), at any point of its run.

    Returns:
        A bar chart of people by year of age.
    """
    pop = model.population
    ages = model.year - pop.birth_year[pop.alive].astype(np.int64)
    d = model.config.demography
    counts = np.bincount(ages - d.entry_age, minlength=d.exit_age - d.entry_age)
    age = np.arange(d.entry_age, d.entry_age + counts.size)
    people = counts * model.people_per_consumer / 1e3
    working = age <= d.working_age_max
    fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
    ax.bar(age[working], people[working], width=1.0, color="tab:green", label="working age")
    ax.bar(age[~working], people[~working], width=1.0, color="tab:gray", label="older")
    ax.set_xlabel("age (years)")
    ax.set_ylabel("thousand people")
    ax.set_title(f"People in the market by age, {model.year}")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, axis="y")
    return fig


def store_map(model: Any, sample: int = 5000, seed: int = 0) -> Figure:
    """Stores on the map, open (by format) and closed, over consumers coloured by their channel.

    Args:
        model: A market.
        sample: Consumers drawn (at most), so large markets stay readable.
        seed: Seed of the sample of consumers shown.

    Returns:
        The map, in km.
    """
    pop = model.population
    alive = np.flatnonzero(pop.alive)
    shown = np.random.default_rng(seed).choice(alive, size=min(sample, alive.size), replace=False)
    channel = pop.preferred_channel[shown]
    fig, ax = plt.subplots(figsize=(7, 6.5), layout="constrained")
    groups = [
        (channel == NO_CHANNEL, channel_label(NO_CHANNEL), "lightgray"),
        (channel == STORE_CHANNEL, channel_label(STORE_CHANNEL), "tab:orange"),
        (channel > STORE_CHANNEL, channel_label(STORE_CHANNEL + 1), "tab:blue"),
    ]
    for mask, label, color in groups:
        ax.scatter(
            pop.x[shown][mask],
            pop.y[shown][mask],
            s=3,
            color=color,
            alpha=0.5,
            label=label,
            linewidths=0,
        )
    xy = model.store_xy
    is_open = model.store_open
    kind = model.store_books.format
    for code, marker, color, label in [
        (0, "s", "black", "store open"),
        (1, "D", "tab:purple", "showroom"),
        (2, "^", "tab:green", "pick-up point"),
        (3, "P", "tab:brown", "service point"),
    ]:
        mask = is_open & (kind == code)
        if code and not mask.any():
            continue
        ax.scatter(
            xy[mask, 0],
            xy[mask, 1],
            marker=marker,
            s=30,
            color=color,
            label=f"{label} ({int(mask.sum())})",
        )
    ax.scatter(
        xy[~is_open, 0],
        xy[~is_open, 1],
        marker="x",
        s=30,
        color="tab:red",
        label=f"store closed ({int((~is_open).sum())})",
    )
    side = model.config.population.area_km
    ax.set_xlim(0, side)
    ax.set_ylim(0, side)
    ax.set_aspect("equal")
    ax.set_xlabel("east (km)")
    ax.set_ylabel("north (km)")
    ax.set_title(f"Stores and consumers, {model.year} week {model.week}")
    ax.legend(fontsize=8, loc="upper right", markerscale=2)
    return fig


def trust_distributions(model: Any) -> Figure:
    """How much consumers trust stores and each launched platform: histograms.

    Args:
        model: A market.

    Returns:
        One histogram per channel, trust from 0 to 1.
    """
    pop = model.population
    alive = pop.alive
    series = [("stores", pop.trust_offline[alive])]
    series += [(p.name, pop.trust_online[alive, p.index]) for p in model.platforms if p.launched]
    fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    bins = np.linspace(0.0, 1.0, 41)
    for name, values in series:
        ax.hist(
            values,
            bins=bins,
            histtype="step",
            linewidth=1.5,
            label=f"{name} (mean {float(np.mean(values)):.2f})",
        )
    ax.set_xlabel("trust (0 = none, 1 = full)")
    ax.set_ylabel("consumers (agents)")
    ax.set_title(f"Trust by channel, {model.year}")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig
