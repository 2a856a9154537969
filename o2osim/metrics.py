"""Per-tick and yearly indicators, recorded incrementally into preallocated columns.

Every tick the model records one row of model-level numbers; nothing scans per-agent histories,
so memory grows only with the number of ticks. Yearly indicators are sums or end-of-year values
of the tick columns. The yearly rows of many runs (a sweep's results) become one number per run
and metric with :func:`per_run`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from o2osim.errors import O2OError

#: How a run's yearly rows become one number (:func:`per_run`): the final year's value, the
#: mean or the sum.
OVERS = ("final", "mean", "sum")

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
    "mobile_users": "float64",
    "online_visits": "float64",
    "store_visits": "float64",
    "sessions_desktop": "float64",
    "sessions_mobile": "float64",
    "sessions_search": "float64",
    "sessions_browse": "float64",
    "sessions_paid": "float64",
    "orders_desktop": "float64",
    "orders_mobile": "float64",
    "orders_search": "float64",
    "orders_browse": "float64",
    "orders_paid": "float64",
    "online_orders": "float64",
    "offline_orders": "float64",
    "online_baskets": "float64",
    "offline_baskets": "float64",
    "gmv_online": "float64",
    "gmv_offline": "float64",
    "marketing_spend": "float64",
    "sponsored_spend": "float64",
    "new_customers": "float64",
    "paid_customers": "float64",
    "wom_customers": "float64",
    "counterfeit_incidents": "float64",
    "stores_open": "int32",
    "store_openings": "int32",
    "store_closures": "int32",
    "dealers_active": "int32",
    "mean_trust_online": "float64",
    "mean_trust_offline": "float64",
}

#: Yearly columns in output order, each the sum of its tick column over the year (a flow) or
#: its value in the year's last week (a level).
YEARLY: dict[str, str] = {
    "stores_open": "last",
    "store_openings": "sum",
    "store_closures": "sum",
    "dealers_active": "last",
    "gmv_online": "sum",
    "gmv_offline": "sum",
    "mean_trust_online": "last",
    "mean_trust_offline": "last",
    "online_users": "last",
    "mobile_users": "last",
    "online_visits": "sum",
    "store_visits": "sum",
    "online_orders": "sum",
    "offline_orders": "sum",
    "online_baskets": "sum",
    "offline_baskets": "sum",
    "marketing_spend": "sum",
    "sponsored_spend": "sum",
    "new_customers": "sum",
    "paid_customers": "sum",
    "wom_customers": "sum",
    "counterfeit_incidents": "sum",
    "consumers": "last",
    "working_age_population": "last",
    "new_consumers": "sum",
}


def _ratio(num: pd.Series, den: pd.Series) -> np.ndarray:
    """The ratio num / den, 0 where den is 0 (no NaN in outputs)."""
    return np.where(den > 0, num / den.where(den > 0, 1), 0.0)


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


def cost_per_new_customer(spend: Any, new_customers: Any, people_per_consumer: float) -> Any:
    """Marketing spend per newly won customer, yuan (numbers or arrays): the gross measure.

    What one won customer cost, ``spend / max(new_customers, w)``; customers lost in the same
    year are not netted out (``traffic_cost``, spend per *net* new buyer, does that: see
    :func:`o2osim.mechanisms.churn.cost_per_net_new_buyer`). 0 when nothing was spent; when
    money was spent but no simulated consumer was won, the cost is taken over one consumer's
    worth of people (a lower bound, never infinite).
    """
    spend = np.asarray(spend, dtype=np.float64)
    won = np.maximum(new_customers, people_per_consumer)
    cost = np.where((spend > 0) & (won > 0), spend / np.where(won > 0, won, 1.0), 0.0)
    return float(cost) if cost.ndim == 0 else cost


def fall_from_peak(series: pd.Series) -> float:
    """Fall of a yearly series from its peak to its last value, share of the peak.

    ``1 - x_last / max_t x_t``: 0 when the series ends at its peak, 1 when it ends at zero.

    Args:
        series: Values by year.

    Returns:
        The fall as a share of the peak.
    """
    return float(1 - series.iloc[-1] / series.max())


def interval(values: Any, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided t-interval of the mean at ``level``, NaN values ignored.

    Args:
        values: One value per replicate.
        level: Confidence level.

    Returns:
        ``(mean, low, high)``; the bounds are NaN with fewer than two values, and equal to the
        mean when all values are equal.
    """
    from scipy import stats  # 0.4 s to import: only when replicates are summarized

    x = np.asarray(values, dtype=np.float64)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return (np.nan, np.nan, np.nan)
    mean = float(x.mean())
    if x.size < 2:
        return (mean, np.nan, np.nan)
    half = float(stats.t.ppf(0.5 + level / 2, df=x.size - 1) * stats.sem(x))
    return (mean, mean - half, mean + half)


def festival_week_ratio(ticks: pd.DataFrame, festival: tuple[int, int] | None) -> pd.Series:
    """Each year's festival-week online GMV over its median week's (0 before the festival).

    Args:
        ticks: The tick table.
        festival: The festival's week of the year and first year, or ``None``.

    Returns:
        The ratio by year.
    """
    years = ticks["year"].unique()
    if festival is None:
        return pd.Series(0.0, index=years)
    week, start = festival
    gmv = ticks.set_index(["year", "week"])["gmv_online"]
    median = ticks.groupby("year")["gmv_online"].median()
    ratio = pd.Series(0.0, index=years)
    for year in years:
        if year >= start and median.get(year, 0.0) > 0 and (year, week) in gmv.index:
            ratio[year] = float(gmv[(year, week)]) / float(median[year])
    return ratio


def yearly(
    ticks: pd.DataFrame,
    annual: list[dict[str, float]] | None = None,
    people_per_consumer: float = 0.0,
    festival: tuple[int, int] | None = None,
    sessions: str = "fixed",
) -> pd.DataFrame:
    """Aggregate tick rows into one row per simulated year, joined with year-end indicators.

    Derived columns (each 0 when its denominator is 0):
    ``online_share = gmv_online / (gmv_online + gmv_offline)``,
    ``cost_per_new_customer = marketing_spend / new_customers`` (yuan per new online customer,
    the gross measure; ``traffic_cost``, spend per net new buyer, comes from the year-end rows
    and is 0 in a year that did not close),
    ``online_conversion_rate = online_orders / online_visits``,
    ``offline_conversion_rate = offline_orders / store_visits``,
    ``online_conversion_desktop = orders_desktop / sessions_desktop`` and
    ``online_conversion_mobile = orders_mobile / sessions_mobile`` (orders per session on each
    device), ``online_conversion_paid = orders_paid / sessions_paid`` (NaN in fixed mode, where
    no order is traced to a paid click),
    ``online_shoppers_per_working_age = online_users / working_age_population`` (people who
    shop online, of every age, per person of working age: the ratio national statistics give),
    ``price_online = gmv_online / online_baskets`` and ``price_store = gmv_offline /
    offline_baskets`` (mean price paid per basket, yuan), ``price_gap = price_online /
    price_store - 1``, and ``festival_week_ratio``, the festival week's online GMV over the
    median week's of the year (0 before the festival runs, or without one).

    Args:
        ticks: The tick table.
        annual: Year-end rows (churn, traffic cost by platform) from the model.
        people_per_consumer: Floor of the new customers in ``cost_per_new_customer`` when
            money was spent but nobody was won (one consumer's worth; never an infinite cost).
        festival: The week of the year and the first year of the headline festival (the
            scenario's first event), or ``None``.
        sessions: The scenario's ``sessions.mode``: ``fixed`` or ``behaviour``.

    Returns:
        One row per year.
    """
    grouped = ticks.groupby("year", sort=True)
    sums = [c for c, how in YEARLY.items() if how == "sum"]
    lasts = [c for c, how in YEARLY.items() if how == "last"]
    years = grouped[sums].sum().join(grouped[lasts].last())[list(YEARLY)]
    derived = {
        "online_share": _ratio(years["gmv_online"], years["gmv_online"] + years["gmv_offline"]),
        "cost_per_new_customer": cost_per_new_customer(
            years["marketing_spend"].to_numpy(),
            years["new_customers"].to_numpy(),
            people_per_consumer,
        ),
        "online_conversion_rate": _ratio(years["online_orders"], years["online_visits"]),
        "offline_conversion_rate": _ratio(years["offline_orders"], years["store_visits"]),
        **_funnel(grouped, sessions),
        "online_shoppers_per_working_age": _ratio(
            years["online_users"], years["working_age_population"]
        ),
        "price_online": _ratio(years["gmv_online"], years["online_baskets"]),
        "price_store": _ratio(years["gmv_offline"], years["offline_baskets"]),
    }
    derived["price_gap"] = np.where(
        (derived["price_online"] > 0) & (derived["price_store"] > 0),
        derived["price_online"] / np.where(derived["price_store"] > 0, derived["price_store"], 1)
        - 1,
        0.0,
    )
    derived["festival_week_ratio"] = (
        festival_week_ratio(ticks, festival).reindex(years.index, fill_value=0.0).to_numpy()
    )
    for name, values in derived.items():
        years[name] = values
    first = [
        "online_share",
        "stores_open",
        "store_closures",
        "gmv_online",
        "gmv_offline",
        "mean_trust_online",
        "mean_trust_offline",
        "traffic_cost",
        "cost_per_new_customer",
        "online_conversion_rate",
        "offline_conversion_rate",
        "online_conversion_desktop",
        "online_conversion_mobile",
        "online_conversion_paid",
    ]
    years = years.reset_index()
    if annual:
        extra = pd.DataFrame(annual).astype({"year": years["year"].dtype})
        years = years.merge(extra, on="year", how="left")
        added = [c for c in extra.columns if c != "year"]
        years[added] = years[added].fillna(0.0)
    if "traffic_cost" not in years:  # no year closed yet
        years["traffic_cost"] = 0.0
    first = ["year", *first]
    return years[first + [c for c in years.columns if c not in first]].copy()  # one block


def _funnel(grouped: Any, sessions: str) -> dict[str, np.ndarray]:
    """Each year's conversion by device and of paid clicks (orders per session).

    Args:
        grouped: The tick table grouped by year.
        sessions: The scenario's ``sessions.mode``; in ``fixed`` mode no order is traced to a
            paid click, so the paid conversion is NaN (undefined), not 0.

    Returns:
        ``online_conversion_desktop``, ``online_conversion_mobile`` and
        ``online_conversion_paid`` by year.
    """
    sums = grouped[[f"{k}_{s}" for k in ("orders", "sessions") for s in SOURCES]].sum()
    paid = _ratio(sums["orders_paid"], sums["sessions_paid"])
    return {
        "online_conversion_desktop": _ratio(sums["orders_desktop"], sums["sessions_desktop"]),
        "online_conversion_mobile": _ratio(sums["orders_mobile"], sums["sessions_mobile"]),
        "online_conversion_paid": np.full(paid.shape, np.nan) if sessions == "fixed" else paid,
    }


#: The devices and sources of online sessions and orders (tick columns ``sessions_<x>`` and
#: ``orders_<x>``).
SOURCES = ("desktop", "mobile", "search", "browse", "paid")


#: Weeks over which the model's live indicators are taken, so a week's noise does not hide
#: the trend (a quarter).
INDICATOR_WINDOW = 13


def _window(recorder: TickRecorder, column: str) -> float:
    """Sum of a tick column over the last :data:`INDICATOR_WINDOW` recorded weeks."""
    start = max(0, recorder.count - INDICATOR_WINDOW)
    return float(recorder.columns[column][start : recorder.count].sum())


def _share(top: float, bottom: float) -> float:
    return top / bottom if bottom > 0 else float("nan")


def _online_share(m: Any) -> float:
    online = _window(m.recorder, "gmv_online")
    return _share(online, online + _window(m.recorder, "gmv_offline"))


#: The market's model-level indicators, as Mesa ``DataCollector`` reporters (each takes the
#: model). Flows are taken over the last :data:`INDICATOR_WINDOW` weeks, levels at the last
#: week; shares and rates are fractions (NaN before anything happened). ``traffic_cost`` is the
#: last closed year's acquisition spend per net new buyer (NaN before the first year closes);
#: ``cost_per_new_customer`` the last weeks' spend per customer won.
MODEL_REPORTERS: dict[str, Any] = {
    "time": lambda m: m.config.time.start_year + m.recorder.count / m.config.time.ticks_per_year,
    "online_share": _online_share,
    "traffic_cost": lambda m: m.annual[-1]["traffic_cost"] if m.annual else float("nan"),
    "cost_per_new_customer": lambda m: cost_per_new_customer(
        _window(m.recorder, "marketing_spend"),
        _window(m.recorder, "new_customers"),
        m.people_per_consumer,
    ),
    "online_conversion": lambda m: _share(
        _window(m.recorder, "online_orders"), _window(m.recorder, "online_visits")
    ),
    "offline_conversion": lambda m: _share(
        _window(m.recorder, "offline_orders"), _window(m.recorder, "store_visits")
    ),
    "stores_open": lambda m: int(m.store_open.sum()),
    "dealers_active": lambda m: sum(d.active for d in m.dealers),
    "online_users": lambda m: m.recorder.last("online_users"),
    "mobile_users": lambda m: m.recorder.last("mobile_users"),
    "mean_trust_online": lambda m: m.recorder.last("mean_trust_online"),
    "mean_trust_offline": lambda m: m.recorder.last("mean_trust_offline"),
}


def check_over(over: str) -> str:
    """Return ``over`` if it is one of :data:`OVERS`, else raise a one-line error."""
    if over not in OVERS:
        raise O2OError(f"--over: got {over!r}, expected one of {', '.join(OVERS)}")
    return over


def per_run(results: pd.DataFrame, columns: list[str], over: str = "final") -> pd.DataFrame:
    """Reduce each run's yearly rows to one row: the final year's values, the mean or the sum.

    Args:
        results: Rows of a sweep's results (``run_id``, ``point_id``, ``year``, parameters,
            metrics).
        columns: The metric columns to reduce.
        over: ``final`` (the value in the run's last year), ``mean`` or ``sum`` over years.

    Returns:
        One row per run, indexed by ``run_id``: ``point_id``, ``replicate`` and the parameter
        columns as they are, the metric columns reduced.

    Raises:
        O2OError: If ``over`` is unknown.
    """
    check_over(over)
    ordered = results.sort_values(["run_id", "year"], kind="stable")
    keep = [c for c in ordered.columns if c not in columns and c != "year"]
    # The other columns are constant within a run: take them from its last row.
    last = ordered.groupby("run_id", sort=True).tail(1).set_index("run_id")
    if over == "final":
        return last[[c for c in keep if c != "run_id"] + columns]
    grouped = ordered.groupby("run_id", sort=True)[columns]
    reduced = grouped.mean() if over == "mean" else grouped.sum(min_count=1)
    return last[[c for c in keep if c != "run_id"]].join(reduced)
