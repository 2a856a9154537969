"""Matplotlib figures shared by the command line, notebooks and the dashboard."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files, not windows: the CLI and CI have no screen

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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
