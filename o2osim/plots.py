"""Matplotlib figures shared by the command line, notebooks and the dashboard."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files, not windows: the CLI and CI have no screen

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

#: Dashboard panels: (title, y label, log scale, [(column, legend label, scale)]).
PANELS = [
    ("Online share of sales", "share of GMV", False, [("online_share", "online", 1.0)]),
    (
        "Cost of a new online customer",
        "yuan per new customer (log)",
        True,
        [("traffic_cost", "traffic cost", 1.0)],
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


def dashboard(years: pd.DataFrame, title: str = "o2osim") -> Figure:
    """A 2x4 figure of the yearly indicators against year.

    Args:
        years: The yearly table of a run.
        title: Figure title.

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
            ax.plot(years["year"].loc[values.index], values, marker="o", ms=3, label=label)
        if log and ax.lines:
            ax.set_yscale("log")
        ax.set_title(panel_title)
        ax.set_xlabel("year")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        if len(series) > 1:
            ax.legend(frameon=False)
    fig.suptitle(title)
    return fig


def save_dashboard(years: pd.DataFrame, path: Path, title: str = "o2osim") -> Path:
    """Draw :func:`dashboard` into a PNG file and close the figure."""
    fig = dashboard(years, title)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


#: Comparison panels: series -> (title, y label, log scale, scale).
COMPARISON_PANELS = {
    "online_share": ("Online share of sales", "share of GMV", False, 1.0),
    "stores_open": ("Physical stores open", "stores at year end", False, 1.0),
    "dealers_active": ("Dealers active", "dealers at year end", False, 1.0),
    "traffic_cost": ("Cost of a new online customer", "yuan per new customer (log)", True, 1.0),
    "mean_trust_online": ("Trust in platforms", "mean trust (0-1)", False, 1.0),
    "brand_profit_online": ("Brands' profit online", "million yuan per year", False, 1e-6),
    "brand_profit_offline": ("Brands' profit offline", "million yuan per year", False, 1e-6),
}


def comparison(trajectories: pd.DataFrame, title: str = "o2osim compare") -> Figure:
    """Scenarios' yearly trajectories overlaid: a mean line and a band per scenario and panel.

    Args:
        trajectories: Long table with columns scenario (categorical, in order), series, year,
            mean, low, high, as made by :func:`o2osim.comparison.trajectories`.
        title: Figure title.

    Returns:
        The figure (not shown; save or display it).
    """
    present = set(trajectories["series"])
    panels = [name for name in COMPARISON_PANELS if name in present]
    ncols = 4 if len(panels) > 6 else 3
    nrows = max(1, -(-len(panels) // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.75 * ncols, 4 * nrows),
                             constrained_layout=True, squeeze=False)
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
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    axes.flat[0].legend(frameon=False)
    fig.suptitle(title)
    return fig
