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
    "consumers": "float64",
    "working_age_population": "float64",
    "new_consumers": "float64",
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

#: Yearly columns in output order, each the sum of its tick column over the year (a flow) or
#: its value in the year's last week (a level).
YEARLY: dict[str, str] = {
    "stores_open": "last",
    "store_closures": "sum",
    "gmv_online": "sum",
    "gmv_offline": "sum",
    "mean_trust_online": "last",
    "mean_trust_offline": "last",
    "online_users": "last",
    "online_orders": "sum",
    "offline_orders": "sum",
    "bad_orders": "sum",
    "consumers": "last",
    "working_age_population": "last",
    "new_consumers": "sum",
}


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
    sums = [c for c, how in YEARLY.items() if how == "sum"]
    lasts = [c for c, how in YEARLY.items() if how == "last"]
    years = grouped[sums].sum().join(grouped[lasts].last())
    total = years["gmv_online"] + years["gmv_offline"]
    share = np.where(total > 0, years["gmv_online"] / total.where(total > 0, 1), 0.0)
    years = years[list(YEARLY)]
    years.insert(0, "online_share", share)
    return years.reset_index()
