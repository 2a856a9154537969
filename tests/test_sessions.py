"""Sessions from behaviour: searches behind needs, browsing by device, paid clicks that convert.

Concept: with ``sessions.mode: behaviour`` a platform customer with a need runs ``1 +
Poisson(lambda)`` search sessions (more with a dearer search, fewer with more trust), customers
browse without a need by device and never order from it, and an order comes through one of its
buyer's sessions (a search or a paid click), each equally likely. So conversion by device and
source follows from behaviour; ``fixed`` mode keeps the fixed visit rates and draws nothing new.
"""

from functools import cache

import numpy as np
import pandas as pd
import pytest
from conftest import BASELINE
from scipy import stats

import o2osim
from o2osim.errors import ScenarioError
from o2osim.mechanisms import attention, sessions

SEEDS = (1, 2, 3)
#: The baseline, small, with phones from 2006 so that both devices are in the market.
SETUP = ("population.consumers=3000", "time.years=8", "stages.mobile_year=2006")
BEHAVIOUR = "sessions.mode=behaviour"
#: Enough sponsored results, clicked often enough, for search clicks to be a good share of the
#: paid clicks beside the baseline's many display clicks (1 % click-through).
SEARCH_ADS = ("attention.search_ads=8", "attention.search_click_through=0.1")


@cache
def run(*overrides: str, seed: int) -> o2osim.Result:
    return o2osim.run(BASELINE, seed=seed, overrides=[*SETUP, *overrides], progress=False)


def totals(result: o2osim.Result, first_year: int = 2008) -> pd.Series:
    """The tick columns summed over the years from ``first_year`` (phones well in by then)."""
    ticks = result.ticks
    return ticks[ticks["year"] >= first_year].sum(numeric_only=True)


# ---- the rules


def test_comparison_sessions_rise_with_the_search_cost_and_fall_with_trust():
    rate = sessions.comparison_rate(
        np.array([10.0, 20.0, 20.0, 5.0]),
        np.array([1.0, 1.0, 0.5, 0.0]),
        base=2.0,
        reference_cost=10.0,
        elasticity=1.0,
        distrust=1.0,
    )
    np.testing.assert_allclose(rate, [2.0, 4.0, 6.0, 2.0])
    flat = sessions.comparison_rate(np.array([1.0, 40.0]), np.ones(2), 3.0, 10.0, 0.0, 5.0)
    np.testing.assert_allclose(flat, [3.0, 3.0])  # no elasticity: the cost does not matter
    root = sessions.comparison_rate(np.array([40.0]), np.ones(1), 1.0, 10.0, 0.5, 0.0)
    np.testing.assert_allclose(root, [2.0])


def test_a_shopper_runs_one_session_plus_poisson_comparisons():
    rng = np.random.default_rng(3)
    assert (sessions.search_sessions(np.zeros(1000), rng) == 1).all()
    draws = sessions.search_sessions(np.full(200_000, 2.5), rng)
    assert draws.min() >= 1
    assert draws.mean() == pytest.approx(3.5, abs=0.02)
    assert draws.var() == pytest.approx(2.5, abs=0.05)


def test_an_order_comes_through_a_paid_click_in_proportion_to_the_sessions():
    rng = np.random.default_rng(4)
    n = 200_000
    assert not sessions.paid_orders(np.full(1000, 3), np.zeros(1000), rng).any()
    paid = sessions.paid_orders(np.full(n, 3), np.full(n, 0.5), rng)
    clicks = np.arange(60)
    expected = float((stats.poisson.pmf(clicks, 0.5) * clicks / (3 + clicks)).sum())
    assert paid.mean() == pytest.approx(expected, abs=0.003)  # E[K / (S + K)], about 0.13
    many = sessions.paid_orders(np.full(n, 1), np.full(n, 50.0), rng)
    assert many.mean() > 0.97  # a buyer flooded with ads orders through one of them


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("sessions.mode=behavior", "'fixed' or 'behaviour'"),
        ("sessions.window_km=0", "greater than 0"),
        ("sessions.comparison_sessions=-1", "greater than or equal to 0"),
    ],
)
def test_bad_session_settings_are_refused_naming_the_field(setting, said):
    with pytest.raises(ScenarioError) as error:
        o2osim.load_scenario(BASELINE, [setting])
    message = str(error.value)
    assert setting.split("=")[0] in message and said in message and "\n" not in message


# ---- fixed mode: today's counts, nothing new drawn


def test_fixed_mode_ignores_the_behaviour_settings_and_draws_nothing_new():
    plain = run(seed=1)
    ignored = run(
        "sessions.comparison_sessions=9",
        "sessions.mobile_browsing=40",
        "sessions.pc_browsing=7",
        seed=1,
    )
    pd.testing.assert_frame_equal(plain.ticks, ignored.ticks)
    model = plain.model
    before = model.rng.bit_generator.state
    assert model.shopping.search(np.arange(100)) is None
    assert model.rng.bit_generator.state == before


def test_fixed_mode_counts_the_fixed_visit_rates_by_device():
    result = run(seed=2)
    t = totals(result)
    c = result.scenario.consumers
    # every non-paid session is a fixed-rate visit, none is a search, no order is traced to a click
    assert t["sessions_search"] == 0 and t["orders_paid"] == 0 and t["orders_search"] == 0
    assert t["sessions_browse"] + t["sessions_paid"] == pytest.approx(t["online_visits"])
    assert t["orders_browse"] == pytest.approx(t["online_orders"])
    ticks = result.ticks[result.ticks["year"] >= 2008]
    phone_weeks = ticks["mobile_users"].sum()
    pc_weeks = (ticks["online_users"] - ticks["mobile_users"]).sum()
    expected = pc_weeks * c.pc_visits + phone_weeks * c.mobile_visits
    browse = t["sessions_desktop"] + t["sessions_mobile"] - t["sessions_paid"]
    assert browse == pytest.approx(expected, rel=0.02)
    paid_on_phones = (ticks["sessions_paid"] * ticks["mobile_users"] / ticks["online_users"]).sum()
    assert t["sessions_mobile"] - paid_on_phones == pytest.approx(
        phone_weeks * c.mobile_visits, rel=0.02
    )
    years = result.years
    assert years["online_conversion_paid"].isna().all()  # undefined, not 0
    assert (years["online_conversion_mobile"] < years["online_conversion_desktop"])[
        years["year"] >= 2008
    ].all()  # 20 visits a week against 3, whatever phone shoppers need


# ---- behaviour mode


@pytest.mark.parametrize("ads", [(), SEARCH_ADS], ids=["display", "with search ads"])
def test_sessions_add_up_by_device_and_by_source(ads):
    result = o2osim.run(
        BASELINE,
        seed=1,
        overrides=[*SETUP, BEHAVIOUR, *ads, "time.years=4"],
        progress=False,
        check_invariants=True,
    )
    ticks = result.ticks
    visits = ticks["online_visits"]
    np.testing.assert_allclose(ticks["sessions_desktop"] + ticks["sessions_mobile"], visits)
    np.testing.assert_allclose(
        ticks["sessions_search"] + ticks["sessions_browse"] + ticks["sessions_paid"], visits
    )
    orders = ticks["online_orders"]
    np.testing.assert_allclose(ticks["orders_desktop"] + ticks["orders_mobile"], orders)
    np.testing.assert_allclose(ticks["orders_search"] + ticks["orders_paid"], orders)
    assert (ticks["orders_browse"] == 0).all()  # browsing never ends in an order
    assert (ticks["orders_search"] <= ticks["sessions_search"]).all()
    assert ticks["orders_paid"].sum() > 0
    assert (result.model.attention.search_clicks.sum() > 0) == bool(ads)


def test_phones_convert_less_than_computers_and_paid_clicks_less_than_both():
    for seed in SEEDS:
        years = run(BEHAVIOUR, seed=seed).years
        late = years[years["year"] >= 2008]
        desktop = late["online_conversion_desktop"].mean()
        mobile = late["online_conversion_mobile"].mean()
        paid = late["online_conversion_paid"].mean()
        assert mobile < 0.8 * desktop, (seed, desktop, mobile)
        assert 0 < paid < 0.8 * mobile, (seed, mobile, paid)


def test_more_browsing_on_phones_adds_sessions_not_orders():
    orders = []
    for seed in SEEDS:
        base = totals(run(BEHAVIOUR, seed=seed))
        feeds = totals(run(BEHAVIOUR, "sessions.mobile_browsing=12", seed=seed))
        assert feeds["sessions_mobile"] > 2 * base["sessions_mobile"], seed
        conversion = feeds["orders_mobile"] / feeds["sessions_mobile"]
        assert conversion < 0.6 * base["orders_mobile"] / base["sessions_mobile"], seed
        orders.append(feeds["orders_mobile"] / base["orders_mobile"])
    # the orders move only by chance (the random stream differs), by far less than sessions
    assert np.mean(orders) == pytest.approx(1.0, abs=0.1), orders


def test_a_dearer_search_means_more_sessions_per_order():
    for seed in SEEDS:
        cheap = totals(run(BEHAVIOUR, "consumers.search_cost=2", seed=seed))
        dear = totals(run(BEHAVIOUR, "consumers.search_cost=20", seed=seed))
        per_order = [t["sessions_search"] / t["orders_search"] for t in (cheap, dear)]
        assert per_order[1] > 1.5 * per_order[0], (seed, per_order)


@pytest.mark.parametrize("elasticity", [0.0, 0.5, 1.0])
def test_the_search_cost_moves_a_searchers_sessions_by_its_elasticity(elasticity):
    # the same shoppers, the same trust, only the search cost changes: 2 -> 20 yuan
    model = run(BEHAVIOUR, f"sessions.search_cost_elasticity={elasticity}", seed=1).model
    pop = model.population
    shoppers = np.flatnonzero(pop.online & (pop.customer_of != 0) & ~pop.mobile)
    shoppers = np.repeat(shoppers, max(1, 200_000 // shoppers.size))
    extra = []
    for cost in (2.0, 20.0):
        model.config.consumers.search_cost = cost
        extra.append(model.shopping.search(shoppers).mean() - 1)
    assert extra[1] / extra[0] == pytest.approx(10**elasticity, rel=0.03)


def test_no_paid_traffic_no_paid_orders():
    result = run(BEHAVIOUR, "attention.click_through=0", seed=1)
    t = totals(result, first_year=2004)
    assert t["sessions_paid"] == 0 and t["orders_paid"] == 0
    assert (result.years["online_conversion_paid"] == 0).all()


# ---- search ads


def test_search_slots_count_as_the_display_impressions_that_get_as_many_clicks():
    assert attention.search_supply(1000.0, 4, 0.02, 0.001) == pytest.approx(80_000)
    assert attention.search_supply(1000.0, 0, 0.02, 0.001) == 0.0  # no slots
    assert attention.search_supply(0.0, 4, 0.02, 0.001) == 0.0  # nobody searched
    assert attention.search_supply(1000.0, 4, 0.02, 0.0) == 0.0  # no display click to count in


def test_a_search_click_lands_on_a_searcher_in_proportion_to_its_sessions():
    rng = np.random.default_rng(5)
    searchers = np.array([10, 20, 30])
    visitors, pid = attention.searchers_visiting(
        searchers, np.array([1, 3, 6]), np.array([60_000.0, 0.0]), 1.0, 1.0, rng
    )
    assert (pid == 0).all() and visitors.size == pytest.approx(60_000, rel=0.02)
    share = np.array([np.mean(visitors == s) for s in searchers])
    np.testing.assert_allclose(share, [0.1, 0.3, 0.6], atol=0.01)
    none = attention.searchers_visiting(searchers, np.array([1, 3, 6]), np.zeros(2), 1, 1, rng)
    assert none[0].size == 0


def test_the_open_share_weighs_searchers_by_their_sessions():
    customer_of = np.array([0b01, 0b11, 0b00], dtype=np.uint8)  # of 0; of 0 and 1; of none
    share = attention.open_share(customer_of, np.arange(3), 2, np.array([1.0, 2.0, 1.0]))
    np.testing.assert_allclose(share, [1 / 4, 2 / 4])
    assert (attention.open_share(customer_of, np.arange(0), 2, np.zeros(0)) == 1).all()


def test_search_ads_carry_the_searchers_need_into_paid_conversion():
    # switched off (0 slots) every paid click is a display click on a random online shopper
    for seed in SEEDS:
        display = run(BEHAVIOUR, seed=seed).years
        both = run(BEHAVIOUR, *SEARCH_ADS, seed=seed).years
        late = [y.loc[y["year"] >= 2008, "online_conversion_paid"].mean() for y in (display, both)]
        assert late[1] > 1.5 * late[0], (seed, late)


def test_fixed_mode_shows_no_search_ads():
    fixed = run("attention.search_ads=4", seed=1).years
    plain = run(seed=1).years
    pd.testing.assert_frame_equal(fixed, plain)


def test_the_reference_engine_counts_sessions_from_behaviour_too():
    result = o2osim.run(
        BASELINE,
        seed=1,
        overrides=[
            "population.consumers=400",
            "time.years=3",
            "engine=agents",
            BEHAVIOUR,
            "sessions.window_km=3",
        ],
        check_invariants=True,
        progress=False,
    )
    t = totals(result, first_year=2004)
    assert t["sessions_search"] >= t["orders_search"] > 0
    assert t["sessions_search"] + t["sessions_browse"] + t["sessions_paid"] == pytest.approx(
        t["online_visits"]
    )


# ---- window shopping by distance to the nearest store


def test_window_shopping_falls_with_the_distance_to_the_nearest_store():
    rates = sessions.window_shopping(np.array([0.0, 3.0, 6.0, np.inf]), 0.2, 3.0)
    np.testing.assert_allclose(rates, [0.2, 0.2 / np.e, 0.2 / np.e**2, 0.0])


def test_window_shopping_by_distance_raises_store_conversion_and_follows_the_stores():
    for seed in SEEDS:
        flat = run(seed=seed).years
        near = run("sessions.window_km=2", seed=seed).years
        few = run("sessions.window_km=2", "stores.count=15", seed=seed).years
        # fewer look in when stores are farther away: more of the visits are purchases
        assert (near["offline_conversion_rate"] > flat["offline_conversion_rate"] + 0.02).all()
        # with few stores the nearest is far: visits without a purchase (window shopping and
        # showrooming) fall, though more buy online and showroom
        looking = [y["store_visits"] - y["offline_orders"] for y in (near, few)]
        assert (looking[1] < 0.7 * looking[0]).all(), seed
