"""The stylised facts of Chinese retail 2004-2020 that the data's bands do not cover.

People who lived through the period tell a consistent story (see ``docs/calibration.md``):
traffic got far dearer, a third of customers were lost every year, the working-age population
turned down around 2013, stores closed in large numbers. Each :class:`Fact` measures one of
these in a run's yearly and weekly tables and says whether it holds; the tests and
``experiments/china_facts.py`` check them in the median over seeds. Where the story's round
numbers contradict the data (conversion "below 1%", a Double 11 week "five times" an ordinary
one, a customer "100 yuan" in 2015), the data's bands in :mod:`o2osim.batch.facts` are the
target instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from o2osim.metrics import fall_from_peak


@dataclass(frozen=True)
class Fact:
    """One fact of the story: a measure of a run and the test its value must pass.

    Attributes:
        name: What the story says.
        measure: Takes the yearly table (indexed by year) and the tick table, returns a number.
        holds: Whether a value (the median over seeds) agrees with the story.
        target: The test in words.
    """

    name: str
    measure: Callable[[pd.DataFrame, pd.DataFrame], float]
    holds: Callable[[float], bool]
    target: str


def first_years(years: pd.DataFrame, column: str) -> float:
    """Mean of a column in the first two years with online sales."""
    first = years.index[years["gmv_online"] > 0][:2]
    return float(years.loc[first, column].mean())


def first_cost_per_new_customer(years: pd.DataFrame, ticks: pd.DataFrame) -> float:
    """Mean cost of a won customer in the first two years with online sales, yuan.

    The practitioners' "acquiring a customer cost about 5 yuan": spend per customer won
    (``cost_per_new_customer``), not per net new buyer.
    """
    return first_years(years, "cost_per_new_customer")


def traffic_cost_rise(years: pd.DataFrame, ticks: pd.DataFrame) -> float:
    """Traffic cost (spend per net new buyer) in 2015 over its first two years with online sales."""
    return float(years.loc[2015, "traffic_cost"]) / first_years(years, "traffic_cost")


def store_fall(years: pd.DataFrame, ticks: pd.DataFrame) -> float:
    """Share of the peak number of open stores gone by the last year."""
    return fall_from_peak(years["stores_open"])


FACTS: list[Fact] = [
    Fact(
        "cost of a won customer in the first years (yuan)",
        first_cost_per_new_customer,
        lambda v: 1 <= v <= 15,
        "about 5",
    ),
    Fact(
        "net-new traffic cost rises from the first years to 2015",
        traffic_cost_rise,
        lambda v: v >= 10,
        ">= 10x",
    ),
    Fact(
        "offline conversion (lowest year)",
        lambda y, t: float(y["offline_conversion_rate"].min()),
        lambda v: v > 0.05,
        "> 5%",
    ),
    Fact(
        "online customers lost in a year from 2013 (lowest year)",
        lambda y, t: float(y.loc[2013:, "annual_churn_online"].min()),
        lambda v: v > 1 / 3,
        "> 1/3",
    ),
    Fact(
        "year the working-age population peaks",
        lambda y, t: float(y["working_age_population"].idxmax()),
        lambda v: 2012 <= v <= 2014,
        "2013 +/- 1",
    ),
    Fact(
        "working-age population in the last year over its peak",
        lambda y, t: float(
            y["working_age_population"].iloc[-1] / y["working_age_population"].max()
        ),
        lambda v: v < 0.995,
        "< 1 (falls after the peak)",
    ),
    Fact("stores gone from the peak by the last year", store_fall, lambda v: v >= 0.2, ">= 20%"),
    Fact(
        "year the number of stores peaks",
        lambda y, t: float(y["stores_open"].idxmax()),
        lambda v: v < 2018,
        "before 2018",
    ),
]


def measure(years: pd.DataFrame, ticks: pd.DataFrame) -> dict[str, float]:
    """Every fact's value in one run.

    Args:
        years: The run's yearly table (a ``year`` column or index).
        ticks: The run's tick table.

    Returns:
        Fact name to value.
    """
    if "year" in years.columns:
        years = years.set_index("year")
    return {fact.name: fact.measure(years, ticks) for fact in FACTS}
