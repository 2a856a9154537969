"""A platform's ad load: sponsored results in its own searches, sold to its shops (issue 15).

The concept: a platform that shows more sponsored results in its search sessions sells more
clicks to its shops, who bid for them what an order is worth to them, and earns more; the
shoppers who wade past the ads like the platform less, and, when they mind (``ad_cost``),
fewer of them buy there. Switched off (``ad_load: 0``), nothing is sold and nothing moves.
"""

from functools import cache

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

import o2osim
from o2osim.mechanisms import attention, choice

#: The flagship before sponsored search (no platform shows ads, a search cost of 5 yuan): the
#: tests start from no ad load (the flagship shows four a search) and were measured there.
ECONOMICS = ROOT / "scenarios" / "china_2004_2020_no_sponsored.yaml"
SEEDS = (1, 2, 3)
#: A small China: the three platforms, prices, sessions from behaviour.
SMALL = ("population.consumers=3000",)
TAOBAO = 0


@cache
def market(*overrides: str, seed: int) -> o2osim.O2OMarket:
    """The economics scenario run to its end, with the market kept to read its books."""
    scenario = o2osim.load_scenario(ECONOMICS, [*SMALL, *overrides])
    model = o2osim.O2OMarket(scenario=scenario, rng=np.random.default_rng(seed))
    while model.running:
        model.step()
    return model


@cache
def years_of(*overrides: str, seed: int) -> pd.DataFrame:
    """The economics scenario's year table, small."""
    result = o2osim.run(ECONOMICS, seed=seed, overrides=[*SMALL, *overrides], progress=False)
    return result.years.set_index("year")


def online_share_of(model: o2osim.O2OMarket, k: int) -> float:
    """Platform ``k``'s share of online GMV over the run."""
    gmv = np.array([p.gmv for p in model.platforms])
    return float(gmv[k] / gmv.sum())


# ---- the rules


def test_a_searchers_sessions_spread_evenly_over_the_platforms_it_uses():
    customer_of = np.array([0b011, 0b001, 0b110, 0b000], dtype=np.uint8)
    searchers = np.arange(4)
    sessions = np.array([4.0, 2.0, 3.0, 5.0])
    spread = attention.sessions_by_platform(customer_of, searchers, sessions, 3)
    want = [[2, 2, 0], [2, 0, 0], [0, 1.5, 1.5], [0, 0, 0]]
    np.testing.assert_array_equal(spread, want)


def test_a_sponsored_click_sells_for_the_expected_second_highest_value():
    np.testing.assert_allclose(
        attention.click_price(np.array([10.0, 10.0, 10.0]), np.array([1, 3, 9])), [0, 5, 8]
    )
    # the order statistic it stands for: N values spread evenly up to v, the second-highest
    rng = np.random.default_rng(0)
    draws = np.sort(rng.uniform(0, 10.0, size=(200_000, 4)), axis=1)[:, -2]
    assert draws.mean() == pytest.approx(attention.click_price(np.array([10.0]), 4)[0], rel=0.01)


def test_the_ads_cost_a_shopper_ad_cost_per_ad_and_nothing_when_it_does_not_mind():
    assert choice.ad_nuisance(2.0, 3.0) == 6.0
    assert choice.ad_nuisance(0.0, 8.0) == 0.0


# ---- what follows


def test_without_an_ad_load_the_shoppers_ad_cost_changes_nothing():
    plain = o2osim.run(ECONOMICS, seed=1, overrides=[*SMALL, "time.years=6"], progress=False)
    minding = o2osim.run(
        ECONOMICS, seed=1, overrides=[*SMALL, "time.years=6", "consumers.ad_cost=5"], progress=False
    )
    pd.testing.assert_frame_equal(plain.years, minding.years)
    assert (plain.years["sponsored_spend"] == 0).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_more_ads_earn_the_platform_more_from_its_shops(seed):
    few = market("platforms.0.ad_load=1", seed=seed)
    many = market("platforms.0.ad_load=4", seed=seed)
    off = market(seed=seed)
    assert off.attention.own_revenue.sum() == 0
    assert many.attention.own_revenue[TAOBAO] > 2 * few.attention.own_revenue[TAOBAO] > 0
    # the other platforms show none and sell none
    assert many.attention.own_revenue[1:].sum() == 0


@pytest.mark.parametrize("seed", SEEDS)
def test_ads_the_shoppers_mind_cost_the_platform_its_share(seed):
    indifferent = market("platforms.0.ad_load=4", seed=seed)
    minding = market("platforms.0.ad_load=4", "consumers.ad_cost=1", seed=seed)
    assert online_share_of(minding, TAOBAO) < online_share_of(indifferent, TAOBAO) - 0.02


def test_sponsored_clicks_carry_the_searchers_need_into_paid_orders():
    # a sponsored click lands in a search of a customer with a need: more of the orders come
    # through a paid click (display clicks, many more, land on anyone)
    for seed in SEEDS:
        share = []
        for overrides in [(), ("platforms.0.ad_load=4",)]:
            ticks = o2osim.run(
                ECONOMICS, seed=seed, overrides=[*SMALL, *overrides], progress=False
            ).ticks
            late = ticks[ticks["year"] >= 2013]
            share.append(late["orders_paid"].sum() / late["online_orders"].sum())
        assert share[1] > 1.25 * share[0], (seed, share)


def test_the_shops_spend_on_sponsored_results_is_the_platforms_ad_revenue():
    result = o2osim.run(
        ECONOMICS,
        seed=1,
        overrides=[*SMALL, "time.years=8", "platforms.0.ad_load=4"],
        progress=False,
        check_invariants=True,
    )
    assert result.years["sponsored_spend"].iloc[-1] > 0


def test_a_platform_whose_shoppers_mind_its_ads_chooses_fewer():
    # Taobao decides its ad load alone (one step a year from none); with shoppers who do not
    # mind the ads it settles on several on most seeds, with shoppers who mind them on none
    deciding = ("platforms.0.decisions=adaptive", "platform_rules.levers=[ad_load]")
    late = {}
    for cost in (0, 5):
        late[cost] = [
            float(
                years_of(*deciding, f"consumers.ad_cost={cost}", seed=seed)
                .loc[2016:2020, "ad_load_Taobao"]
                .mean()
            )
            for seed in (1, 2, 3, 4, 5)
        ]
    assert all(m <= i for m, i in zip(late[5], late[0], strict=True)), late
    assert np.mean(late[0]) > np.mean(late[5]) + 2, late


def test_a_platform_that_stops_showing_ads_is_no_longer_credited_with_their_clicks():
    scenario = o2osim.load_scenario(ECONOMICS, [*SMALL, "platforms.0.ad_load=4"])
    model = o2osim.O2OMarket(scenario=scenario, rng=np.random.default_rng(1))
    for _ in range(60):
        model.step()
    assert model.attention.own_rate[TAOBAO] > 0
    model.platforms[TAOBAO].ad_load = 0.0  # as a decision would set it
    revenue = model.attention.own_revenue.copy()
    model.step()
    assert not model.attention.own_rate.any()
    np.testing.assert_array_equal(model.attention.own_revenue, revenue)
