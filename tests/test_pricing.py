"""Sellers set prices: stores and platforms' sellers price at unit cost plus a markup.

Concept: each month a store charges ``min(cap, (W + O) * (1 + m))`` (wholesale plus rent and
wages per basket, capped by the cheapest online price plus the store premium) and an online
seller ``(W0 + T) * (1 + m) / (1 - c)`` (wholesale plus traffic per order, grossed up for the
commission). Dearer traffic raises online prices and narrows the gap to stores; a tight cap
squeezes what dealers keep. Off by default: list prices times fixed price indices.
"""

import numpy as np
import pytest
from conftest import ROOT

import o2osim
from o2osim import ScenarioError, load_scenario
from o2osim.mechanisms import pricing

#: China before its economics were switched on: each test switches prices on against it
CHINA = ROOT / "tests" / "data" / "china_fixed_rules.yaml"
SEEDS = (1, 2, 3)
ON = "pricing.sellers_set_prices=true"
OFF = "pricing.sellers_set_prices=false"
#: Many rival shops bid for attention (each pays a larger share of its sales for traffic) ...
DEAR = [f"platforms.{k}.rivals_half=2" for k in range(3)]
#: ... or few do, and traffic is cheap.
CHEAP = [f"platforms.{k}.rivals_half=200" for k in range(3)]


def china(*overrides: str, seed: int, years: int = 8, **kwargs) -> o2osim.Result:
    return o2osim.run(
        CHINA,
        seed=seed,
        overrides=["population.consumers=2000", f"time.years={years}", *overrides],
        progress=False,
        notice=False,
        **kwargs,
    )


# ---- the rules, exact small cases


def test_a_store_spreads_rent_and_wages_over_its_baskets():
    volume = pricing.smoothed_volume(np.array([np.nan, 100.0]), np.array([40.0, 200.0]), 0.25)
    np.testing.assert_allclose(volume, [40.0, 125.0])  # no history: last month; else smoothed
    overhead = pricing.overhead_per_basket(600.0, 400.0, np.array([0.0, 0.5, 100.0]))
    np.testing.assert_allclose(overhead, [1000.0, 1000.0, 10.0])  # at least one basket


def test_the_cheapest_online_price_caps_stores_and_squeezes_the_dealer_first():
    assert pricing.price_cap(np.array([100.0, 80.0]), 0.25) == pytest.approx(100.0)
    assert pricing.price_cap(np.array([]), 0.25) == np.inf
    overhead = np.array([5.0, 30.0, 200.0])
    wholesale = pricing.store_wholesale(70.0, 100.0, overhead, 0.0)
    np.testing.assert_allclose(wholesale, [70.0, 70.0, 0.0])  # list, capped, nothing left
    wholesale = pricing.store_wholesale(70.0, 90.0, np.array([5.0, 30.0]), 0.0)
    np.testing.assert_allclose(wholesale, [70.0, 60.0])
    # the brand asks 63 ex-factory: the dealer keeps 7, then 0 when the store can pay only 60
    np.testing.assert_allclose(pricing.factory_price(63.0, np.array([70.0, 60.0])), [63.0, 60.0])
    price = pricing.store_price(np.array([80.0, 90.0]), np.array([0.25, 0.25]), 100.0)
    np.testing.assert_allclose(price, [100.0, 100.0])
    np.testing.assert_allclose(pricing.store_price(np.array([60.0]), np.array([0.5]), 100), [90])


def test_markups_follow_demand_and_rivals():
    markup = np.array([0.2, 0.2, 0.2, 0.2])
    moved = pricing.follow_demand(
        markup, np.array([200.0, 50.0, 0.0, 1e6]), np.array([100.0, 100.0, 10.0, 1.0]), 0.1
    )
    np.testing.assert_allclose(moved, [0.2 + 0.1 * np.log(2), 0.2 - 0.1 * np.log(2), 0.2, 0.3])
    # a store with unit cost 80 and a cap of 88 matches it at m* = 0.1: half way from 0.2
    store = pricing.follow_rivals(np.array([0.2, 0.05]), np.array([80.0, 80.0]), 88.0, 0.5)
    np.testing.assert_allclose(store, [0.15, 0.05])  # a cheaper store keeps its markup
    # an online seller (commission 0.2) matches a rival at 120: m* = 120 * 0.8 / 80 - 1 = 0.2
    online = pricing.follow_rivals(
        np.array([0.0, 0.4]), np.array([80.0, 80.0]), 120.0, 0.5, 0.2, only_down=False
    )
    np.testing.assert_allclose(online, [0.1, 0.3])
    alone = pricing.follow_rivals(np.array([0.3]), np.array([80.0]), np.inf, 0.5, 0.2, False)
    np.testing.assert_allclose(alone, [0.3])  # no rival: no move


def test_online_sellers_pass_traffic_and_commission_on():
    traffic = pricing.traffic_per_order(
        np.array([500.0, 300.0]), np.array([100.0, 0.0]), np.array([1.0, 4.0])
    )
    np.testing.assert_allclose(traffic, [5.0, 4.0])  # no orders: last month's figure
    price = pricing.online_price(np.array([70.0 + 5.0]), np.array([0.2]), np.array([0.1]))
    np.testing.assert_allclose(price, [75.0 * 1.2 / 0.9])
    opening = pricing.opening_online_markup(np.array([0.84]), np.array([0.0]), 0.7)
    np.testing.assert_allclose(opening, [0.2])
    np.testing.assert_allclose(pricing.online_price(70.0, opening, 0.0), [84.0])


# ---- the scenario


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ("engine=agents", "engine"),
        ("brands.0.fan_programme=true", "brands.0.fan_programme"),
        ("pricing.markup_max=-1", "pricing.markup_max"),
        ("pricing.markup_min=0.5", "pricing.store_markup"),
        ("platforms.0.marketing_share=0.6", "platforms.0.marketing_share"),
    ],
)
def test_settings_that_cannot_price_are_refused_in_one_line(override, field):
    with pytest.raises(ScenarioError) as err:
        load_scenario(CHINA, [ON, override])
    message = str(err.value)
    assert "\n" not in message and field in message


def test_off_by_default_and_off_settings_change_nothing():
    assert load_scenario(CHINA).pricing.sellers_set_prices is False
    plain = china(seed=1, years=5).years
    tuned = china("pricing.store_premium=0", "pricing.wholesale_index=0.5", seed=1, years=5).years
    assert plain.equals(tuned)
    assert "markup_store" not in plain.columns


# ---- the market


def test_stores_charge_their_own_prices_and_the_books_balance():
    result = china(ON, seed=2, years=6, check_invariants=True)  # money booked at set prices
    years = result.years
    s = result.scenario
    listed = s.consumers.basket_value * (1 + s.consumers.spending_growth) ** (years["year"] - 2004)
    assert (abs(years["price_store"] / listed - 1) > 0.01).all()  # not the list price any more
    prices = np.array([store.price for store in result.model.stores if store.is_open])
    assert prices.std() > 0  # each store its own price
    assert (prices <= result.model.network.price_cap + 1e-9).all()
    assert {"markup_store", "markup_online"} <= set(years.columns)
    assert (years["markup_online"] >= s.pricing.markup_min).all()


def test_dearer_traffic_raises_online_prices_and_narrows_the_gap_only_when_sellers_set_prices():
    rise, narrow, share, rise_off = [], [], [], []
    for seed in SEEDS:
        dear = china(ON, *DEAR, seed=seed).years.iloc[-1]
        cheap = china(ON, *CHEAP, seed=seed).years.iloc[-1]
        rise.append(dear["price_online"] / cheap["price_online"] - 1)
        narrow.append(dear["price_gap"] - cheap["price_gap"])
        share.append(cheap["online_share"] - dear["online_share"])
        dear_off = china(OFF, *DEAR, seed=seed).years.iloc[-1]
        cheap_off = china(OFF, *CHEAP, seed=seed).years.iloc[-1]
        rise_off.append(dear_off["price_online"] / cheap_off["price_online"] - 1)
    assert min(rise) > 0.02, rise  # online prices rise with traffic cost
    assert min(narrow) > 0.02, narrow  # and the gap to stores narrows by itself
    assert np.median(share) > 0, share  # cheaper traffic: online share ends higher
    assert max(abs(r) for r in rise_off) < min(rise) / 2, (rise_off, rise)  # off: no response


def test_a_tight_online_cap_squeezes_dealers_margins():
    squeeze = []
    for seed in SEEDS:
        loose = china(ON, "pricing.store_premium=0.3", seed=seed).years.iloc[-1]
        tight = china(ON, "pricing.store_premium=0.05", seed=seed).years.iloc[-1]
        squeeze.append(1 - tight["dealer_margin"] / loose["dealer_margin"])
    assert min(squeeze) > 0.1, squeeze
