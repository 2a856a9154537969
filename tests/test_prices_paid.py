"""Mean prices paid per basket by channel, and the festival week against an ordinary week.

Concept: a year's ``price_store`` is what store buyers paid per basket, ``price_online`` what
online buyers paid (promotion discounts included), and ``festival_week_ratio`` the headline
festival week's online GMV over the median week's, measured in the tick table.
"""

import numpy as np
import pytest
from conftest import BASELINE, ROOT, SMALL

import o2osim

RUN = ["population.consumers=1500", "time.years=8"]


def run(path=BASELINE, *overrides: str) -> o2osim.Result:
    return o2osim.run(path, seed=4, overrides=[*SMALL, *RUN, *overrides], progress=False)


def test_store_price_is_the_list_price_grown_each_year():
    result = run()
    s = result.scenario
    years = result.years
    elapsed = years["year"] - s.time.start_year
    growth = (1 + s.consumers.spending_growth) ** elapsed
    expected = s.consumers.basket_value * s.stores.price_index * growth
    np.testing.assert_allclose(years["price_store"], expected, rtol=1e-9)


def test_online_price_lies_between_the_platforms_prices_and_falls_with_discounts():
    plain = run(BASELINE, "events=[]").years
    s = run(BASELINE, "events=[]").scenario
    indices = [p.price_index for p in s.platforms]
    grown = plain["price_store"] / s.stores.price_index  # the list price of the year
    ratio = plain["price_online"] / grown
    assert (ratio >= min(indices) - 1e-9).all() and (ratio <= max(indices) + 1e-9).all()
    festive = run().years  # the baseline's events discount online prices in their weeks
    late = festive["year"] >= 2010
    assert (festive.loc[late, "price_online"] < plain.loc[late, "price_online"]).all()
    assert (festive["price_gap"] < 0).all()  # platforms sell below the store price


def test_baskets_not_orders_set_the_price_when_orders_differ_in_size():
    years = run(ROOT / "scenarios" / "brand_channels.yaml").years
    assert (years["online_baskets"] > years["online_orders"]).all()
    np.testing.assert_allclose(
        years["price_online"] * years["online_baskets"], years["gmv_online"], rtol=1e-9
    )


def test_festival_week_ratio_counts_from_the_first_festival_year():
    result = run()
    years = result.years.set_index("year")
    start = result.scenario.events[0].start_year
    assert (years.loc[: start - 1, "festival_week_ratio"] == 0).all()
    assert (years.loc[start:, "festival_week_ratio"] > 1).all()
    ticks = result.ticks
    week = result.scenario.events[0].week
    for year in (start, start + 1):
        one = ticks[ticks["year"] == year]
        expected = one.loc[one["week"] == week, "gmv_online"].iloc[0] / one["gmv_online"].median()
        assert years.loc[year, "festival_week_ratio"] == pytest.approx(expected)


def test_no_festival_no_ratio():
    years = run(BASELINE, "events=[]").years
    assert (years["festival_week_ratio"] == 0).all()
