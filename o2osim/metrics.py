"""Per-tick and yearly indicators, recorded incrementally into preallocated columns.

Every tick the model records one row of model-level numbers; nothing scans per-agent histories,
so memory grows only with the number of ticks. Yearly indicators are sums or end-of-year values
of the tick columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Tick columns and their dtypes, in output order.
TICK_COLUMNS: dict[str, str] = {
    "tick": "int32",
    "year": "int32",
    "week": "int32",
    "shoppers": "float64",
    "online_users": "float64",
    "online_orders": "float64",
    "offline_orders": "float64",
    "gmv_online": "float64",
    "gmv_offline": "float64",
    "bad_orders": "float64",
    "stores_open": "int32",
    "store_closures": "int32",
    "mean_trust_online": "float64",
    "mean_trust_offline": "float64",
}

#: How each yearly column derives from the tick columns: summed over the year or its last week.
YEARLY_SUMS = (
    "online_orders",
    "offline_orders",
    "gmv_online",
    "gmv_offline",
    "bad_orders",
    "store_closures",
)
YEARLY_LAST = ("online_users", "stores_open", "mean_trust_online", "mean_trust_offline")


class TickRecorder:
    """Preallocated columns for one row per tick.

    Args:
        ticks: Number of ticks the run will record.
    """

    def __init__(self, ticks: int) -> None:
        self.columns = {name: np.zeros(ticks, dtype=dtype) for name, dtype in TICK_COLUMNS.items()}
        self.count = 0

    def record(self, **values: float) -> None:
        """Store one tick's values; every column must be given."""
        row = self.count
        for name, column in self.columns.items():
            column[row] = values[name]
        self.count += 1

    def last(self, name: str) -> float:
        """The most recent value of a column (0 before the first tick)."""
        return float(self.columns[name][self.count - 1]) if self.count else 0.0

    def frame(self) -> pd.DataFrame:
        """The recorded ticks as a DataFrame."""
        return pd.DataFrame({k: v[: self.count] for k, v in self.columns.items()})


def yearly(ticks: pd.DataFrame) -> pd.DataFrame:
    """Aggregate tick rows into one row per simulated year.

    ``online_share`` is ``gmv_online / (gmv_online + gmv_offline)`` over the year (0 if the year
    had no sales at all).

    Args:
        ticks: The tick table.

    Returns:
        One row per year with sums of flows and end-of-year levels.
    """
    grouped = ticks.groupby("year", sort=True)
    years = grouped[list(YEARLY_SUMS)].sum()
    years = years.join(grouped[list(YEARLY_LAST)].last())
    total = years["gmv_online"] + years["gmv_offline"]
    years.insert(
        0, "online_share", np.where(total > 0, years["gmv_online"] / total.where(total > 0, 1), 0.0)
    )
    years = years.reset_index()
    order = [
        "year",
        "online_share",
        "stores_open",
        "store_closures",
        "gmv_online",
        "gmv_offline",
        "mean_trust_online",
        "mean_trust_offline",
        "online_users",
        "online_orders",
        "offline_orders",
        "bad_orders",
    ]
    return years[order]
