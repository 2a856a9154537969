"""Matplotlib figures shared by the command line, notebooks and the dashboard."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files, not windows: the CLI and CI have no screen

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

#: Dashboard panels: (title, y label, [(column, legend label, scale)]).
PANELS = [
    ("Online share of sales", "share of GMV", [("online_share", "online", 1.0)]),
    (
        "Sales by channel",
        "GMV, billion yuan",
        [("gmv_online", "online", 1e-9), ("gmv_offline", "stores", 1e-9)],
    ),
    (
        "Physical stores",
        "stores",
        [("stores_open", "open at year end", 1.0), ("store_closures", "closed in year", 1.0)],
    ),
    (
        "Trust",
        "mean trust (0-1)",
        [("mean_trust_online", "platforms", 1.0), ("mean_trust_offline", "stores", 1.0)],
    ),
    ("Online shoppers", "million people", [("online_users", "shopping online", 1e-6)]),
    (
        "Orders by channel",
        "million orders",
        [("online_orders", "online", 1e-6), ("offline_orders", "stores", 1e-6)],
    ),
]


def dashboard(years: pd.DataFrame, title: str = "o2osim") -> Figure:
    """A 2x3 figure of the yearly indicators against year.

    Args:
        years: The yearly table of a run.
        title: Figure title.

    Returns:
        The figure (not shown; save or display it).
    """
    fig, axes = plt.subplots(2, 3, figsize=(15, 8), constrained_layout=True)
    for ax, (panel_title, ylabel, series) in zip(axes.flat, PANELS, strict=True):
        for column, label, scale in series:
            if column in years:
                ax.plot(years["year"], years[column] * scale, marker="o", ms=3, label=label)
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
