"""The headline facts of China 2004-2020 (issue 15): each one number measured on a run's years.

A fact is a function of the year table (``years.csv`` indexed by ``year``) with a band from
the data: desktop, mobile, paid and store conversion 2014-2019, online churn from 2013, repeat
orders after a first, the rise of traffic cost per net new buyer, the festival week, the price
gap, the fall of dealers' margins and of stores, and the online share in 2013 and 2020. The
bands come from ``../shared/data`` (benchmarks.csv, acquisition_cost.csv, double11_gmv.csv)
and national statistics (online share of retail).

``experiments/economics_bands.py`` measures them on the median years of a few seeds;
``o2osim sensitivity DIR --fact NAME`` computes their Sobol or Morris indices over a sweep
(each run's fact, then the mean over a point's replicates); a sweep spec's ``facts:`` keeps the
columns they need (:func:`columns`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from o2osim.errors import O2OError
from o2osim.metrics import fall_from_peak

#: The years of the conversion benchmarks.
LATE = range(2014, 2020)


@dataclass(frozen=True)
class Fact:
    """A headline fact: how a run's years are measured and the band the data give.

    Attributes:
        name: Short name, as given to ``--fact`` and in tables (e.g. ``conversion_mobile``).
        title: What is measured, in words.
        target: The band, in words.
        columns: The ``years.csv`` columns the measure reads.
        measure: The years (indexed by year) -> the fact's value.
        band: The value -> whether it lies in the band.
    """

    name: str
    title: str
    target: str
    columns: tuple[str, ...]
    measure: Callable[[pd.DataFrame], float]
    band: Callable[[float], bool]

    def value(self, years: pd.DataFrame) -> float:
        """The fact measured on one run's (or the seeds' median) years.

        Args:
            years: The year table, indexed by ``year`` or with a ``year`` column.

        Returns:
            The value (NaN when it is undefined, e.g. a ratio over a zero).
        """
        if "year" in years.columns:
            years = years.set_index("year")
        with np.errstate(divide="ignore", invalid="ignore"):
            value = float(self.measure(years))
        return value if np.isfinite(value) else float("nan")

    def holds(self, value: float) -> bool:
        """Whether a value lies in the fact's band (False for NaN)."""
        return bool(np.isfinite(value) and self.band(value))


def _late_median(column: str) -> Callable[[pd.DataFrame], float]:
    """Median of a column over 2014-2019."""
    return lambda y: y.loc[LATE.start : LATE.stop - 1, column].median()


def _peak_fall(column: str) -> Callable[[pd.DataFrame], float]:
    """Fall of a column from its peak to the last year, share of the peak (0: at its peak)."""
    return lambda y: fall_from_peak(y[column])


def _real_peak_fall(column: str) -> Callable[[pd.DataFrame], float]:
    """Fall of a yuan column in constant prices from its peak to the last year, share of the peak.

    The column is divided by the year's ``basket_value``, the price level every yuan of the
    year grows with: a margin that only keeps up with the price of a basket is not a margin
    gained.
    """
    return lambda y: fall_from_peak(y[column] / y["basket_value"])


def _rise(y: pd.DataFrame) -> float:
    """How many tenfold rises traffic cost per net new buyer made from 2004-2006 to 2016.

    ``log10(cost_2016 / mean(cost_2004..2006))``: 1 is a tenfold rise. Measured in orders of
    magnitude because the ratio is heavy-tailed over a design (a few runs reach 1,000x), which
    Sobol's variance-based indices cannot handle.
    """
    return np.log10(y.loc[2016, "traffic_cost"] / y.loc[2004:2006, "traffic_cost"].mean())


def _late_median_fact(name: str, kind: str, column: str, low: float, high: float) -> Fact:
    """A conversion fact: a column's median over 2014-2019 within the band ``[low, high]``.

    The target reads as the band, with three decimals below 0.1 and two above
    (``0.010-0.018``, ``0.20-0.40``).
    """
    digits = 3 if low < 0.1 else 2
    return Fact(
        name,
        f"{kind} conversion 2014-2019",
        f"{low:.{digits}f}-{high:.{digits}f}",
        (column,),
        _late_median(column),
        lambda v: low <= v <= high,
    )


#: The headline facts, in the order of issue 15.
FACTS: tuple[Fact, ...] = (
    _late_median_fact("conversion_desktop", "desktop", "online_conversion_desktop", 0.038, 0.044),
    _late_median_fact("conversion_mobile", "mobile", "online_conversion_mobile", 0.010, 0.018),
    _late_median_fact("conversion_paid", "paid-traffic", "online_conversion_paid", 0.003, 0.015),
    _late_median_fact("conversion_store", "store visit", "offline_conversion_rate", 0.20, 0.40),
    Fact(
        "churn_online",
        "online shop churn from 2013 (highest)",
        "0.30-0.45",
        ("annual_churn_online",),
        lambda y: y.loc[2013:, "annual_churn_online"].max(),
        lambda v: 0.30 <= v <= 0.45,
    ),
    Fact(
        "repeat_order",
        "repeat order after a first, from 2013",
        "near 0.27 (0.20-0.35)",
        ("repeat_after_first_order",),
        lambda y: y.loc[2013:, "repeat_after_first_order"].median(),
        lambda v: 0.20 <= v <= 0.35,
    ),
    Fact(
        "traffic_cost_rise",
        "traffic cost per net new buyer, 2016 over 2004-2006 (log10)",
        ">= 1 (tenfold)",
        ("traffic_cost",),
        _rise,
        lambda v: v >= 1,
    ),
    Fact(
        "festival_week",
        "festival week over median week, 2010-2020 (highest)",
        "2-4",
        ("festival_week_ratio",),
        lambda y: y.loc[2010:, "festival_week_ratio"].max(),
        lambda v: 2 <= v <= 4,
    ),
    Fact(
        "price_gap_rise",
        "price gap 2020 minus its lowest after 2008",
        "> 0 (online prices rise relative to stores)",
        ("price_gap",),
        lambda y: y.loc[2020, "price_gap"] - y.loc[2008:, "price_gap"].min(),
        lambda v: v > 0.02,
    ),
    Fact(
        "dealer_margin_fall",
        "dealers' margin in constant prices: fall from its peak by 2020",
        "> 0",
        ("dealer_margin", "basket_value"),
        _real_peak_fall("dealer_margin"),
        lambda v: v > 0.02,
    ),
    Fact(
        "stores_fall",
        "stores: fall from their peak by 2020",
        "> 0",
        ("stores_open",),
        _peak_fall("stores_open"),
        lambda v: v > 0.1,
    ),
    Fact(
        "online_share_2013",
        "online share of retail 2013",
        "about 0.08 (0.06-0.10)",
        ("online_share",),
        lambda y: y.loc[2013, "online_share"],
        lambda v: 0.06 <= v <= 0.10,
    ),
    Fact(
        "online_share_2020",
        "online share of retail 2020",
        "about 0.25 (0.20-0.30)",
        ("online_share",),
        lambda y: y.loc[2020, "online_share"],
        lambda v: 0.20 <= v <= 0.30,
    ),
)

#: The facts by name.
BY_NAME: dict[str, Fact] = {f.name: f for f in FACTS}


def resolve(names: Iterable[str], flag: str = "--fact") -> list[Fact]:
    """The facts of some names; ``all`` stands for every fact.

    Args:
        names: Fact names (or ``all``).
        flag: What to name in the error (the option or the spec field).

    Returns:
        The facts, in the order given, each once.

    Raises:
        O2OError: For an unknown name, listing the known ones.
    """
    out: dict[str, Fact] = {}
    for name in names:
        if name == "all":
            out.update(BY_NAME)
        elif name in BY_NAME:
            out[name] = BY_NAME[name]
        else:
            raise O2OError(f"{flag}: got {name!r}, expected a fact ({', '.join(BY_NAME)}) or all")
    return list(out.values())


def columns(names: Iterable[str]) -> list[str]:
    """The ``years.csv`` columns some facts read, each once, in order."""
    return list(dict.fromkeys(c for f in resolve(names, "facts") for c in f.columns))


def per_run(results: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """Each run's facts, from a sweep's results (one row per run and year).

    Args:
        results: ``run_id``, ``point_id``, ``year`` and the facts' columns.
        names: The facts.

    Returns:
        One row per run, indexed by ``run_id``: ``point_id`` and one column per fact.

    Raises:
        O2OError: If a fact's column is not among the results.
    """
    facts = resolve(names)
    for fact in facts:
        missing = [c for c in fact.columns if c not in results.columns]
        if missing:
            raise O2OError(
                f"--fact: {fact.name} needs the column(s) {', '.join(missing)}, which the sweep "
                f"did not keep; list the fact under facts: (or the columns under metrics:) in "
                "the sweep spec"
            )
    needed = list(dict.fromkeys(c for f in facts for c in f.columns))
    # plain NumPy columns (a sweep's Parquet may come back Arrow-backed, slow to index by row)
    table = results[["run_id", "point_id", "year", *needed]].astype(
        {
            "run_id": "int64",
            "point_id": "int64",
            "year": "int64",
            **dict.fromkeys(needed, "float64"),
        }
    )
    table = table.sort_values(["run_id", "year"], kind="stable").set_index("year")
    rows = {}
    for run_id, run in table.groupby("run_id", sort=True):
        rows[run_id] = {"point_id": run["point_id"].iloc[0]} | {f.name: f.value(run) for f in facts}
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["point_id", *BY_NAME])
    frame = frame[["point_id", *(f.name for f in facts)]]
    frame.index.name = "run_id"
    return frame
