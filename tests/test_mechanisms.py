"""Behaviour tables for the single rules behind the dynamics."""

import numpy as np
import pytest
from conftest import BASELINE

from o2osim import O2OMarket, load_scenario
from o2osim.mechanisms import (
    attention,
    choice,
    churn,
    geography,
    network,
    sampling,
    word_of_mouth,
)
from o2osim.metrics import cost_per_new_customer

# (budgets, supply, reserve, expected price, expected impressions)
CLEARING = [
    ("scarce attention: price = budgets / supply", [60.0, 40.0], 1000.0, 0.01, 0.1, [600, 400]),
    ("abundant attention: the reserve price holds", [6.0, 4.0], 1e6, 0.01, 0.01, [600, 400]),
    ("no budget buys nothing", [0.0, 0.0], 1000.0, 0.01, 0.01, [0, 0]),
    ("no supply sells nothing", [5.0], 0.0, 0.01, 0.01, [0]),
]


@pytest.mark.parametrize(
    ("budgets", "supply", "reserve", "price", "bought"),
    [c[1:] for c in CLEARING],
    ids=[c[0] for c in CLEARING],
)
def test_attention_market_clears_proportionally(budgets, supply, reserve, price, bought):
    got_price, got = attention.clear(np.array(budgets), supply, reserve)
    assert got_price == pytest.approx(price)
    np.testing.assert_allclose(got, bought)


def test_only_non_customers_can_be_won():
    customer_of = np.array([1, 0, 1, 0, 2], dtype=np.uint8)
    visitors = np.arange(5).repeat(50)
    won = attention.sign_up(customer_of, visitors, np.zeros(250, dtype=np.int64))
    assert np.unique(visitors[won]).tolist() == [1, 3, 4]  # platform 0's non-customers


def test_paid_visits_that_convert_are_a_thinned_poisson_number_of_clicks():
    rng = np.random.default_rng(3)
    online = np.arange(100, 200)
    clicks = np.array([20_000.0, 0.0, 5_000.0])  # real people; 10 per consumer
    drawn = [attention.paid_visitors(online, clicks, 0.1, 10.0, rng) for _ in range(400)]
    per_platform = np.mean([np.bincount(pid, minlength=3) for _, pid in drawn], axis=0)
    np.testing.assert_allclose(per_platform, [200.0, 0.0, 50.0], rtol=0.05)
    assert all(np.isin(who, online).all() for who, _ in drawn)


def test_cost_per_new_customer_is_spend_per_customer_won_and_never_infinite():
    assert cost_per_new_customer(1000.0, 50.0, 10.0) == 20.0
    assert cost_per_new_customer(1000.0, 0.0, 10.0) == 100.0  # bounded by one consumer's worth
    assert cost_per_new_customer(0.0, 0.0, 10.0) == 0.0


# (last year's sellers, came back, lost, base)
SELLER_CHURN = [
    ("everyone came back", [3, 5, 7], [True, True, True], 0, 3),
    ("one of three lost", [3, 5, 7], [True, False, True], 1, 3),
    ("no seller last year does not count", [-1, 5, -1], [False, False, False], 1, 1),
]


@pytest.mark.parametrize(
    ("last", "back", "lost", "base"),
    [c[1:] for c in SELLER_CHURN],
    ids=[c[0] for c in SELLER_CHURN],
)
def test_seller_churn(last, back, lost, base):
    assert churn.seller_churn(np.array(last), np.array(back)) == (lost, base)


def test_platform_churn_counts_relationships():
    last = np.array([0b011, 0b001, 0b000], dtype=np.uint8)
    this = np.array([0b001, 0b000, 0b100], dtype=np.uint8)
    assert churn.platform_churn(last, this) == (2.0, 3.0)


def test_word_of_mouth_reaches_only_real_contacts():
    rng = np.random.default_rng(1)
    indptr, contacts = network.small_world(rng.permutation(500), 10, 0.2, rng)
    who = np.array([3, 17, 250])
    told, source = word_of_mouth.random_contacts(indptr, contacts, who, 40, rng)
    assert len(told) == 120 and source.tolist() == [0] * 40 + [1] * 40 + [2] * 40
    for teller, contact in zip(who[source], told, strict=True):
        assert contact in set(network.contacts_of(indptr, contacts, np.array([teller])).tolist())


def platform_after(years, **settings):
    overrides = [f"platforms.0.{k}={v}" for k, v in settings.items()]
    model = O2OMarket(load_scenario(BASELINE, overrides))
    platform = model.platforms[0]
    platform.new_year(platform.config.launch_year)  # launched, protections in force
    for _ in range(years):
        platform.update_counterfeits()
    return platform.counterfeit_rate


# (settings, years, expected counterfeit rate after them)
COUNTERFEITS = [
    ("no entry, no enforcement: unchanged", dict(counterfeit_rate=0.2), 5, 0.2),
    ("enforcement removes a share each year", dict(counterfeit_rate=0.2, enforcement=0.5), 2, 0.05),
    ("entry without enforcement piles up", dict(counterfeit_rate=0.0, fake_entry=0.1), 1, 0.1),
    (
        "a deposit at the scale halves entry",
        dict(counterfeit_rate=0.0, fake_entry=0.1, seller_deposit=50000, deposit_scale=50000),
        1,
        0.05,
    ),
]


@pytest.mark.parametrize(
    ("settings", "years", "rate"), [c[1:] for c in COUNTERFEITS], ids=[c[0] for c in COUNTERFEITS]
)
def test_counterfeit_sellers_follow_enforcement_and_deposits(settings, years, rate):
    assert platform_after(years, **settings) == pytest.approx(rate)


def test_protections_are_not_in_force_before_their_start_year():
    overrides = ["platforms.0.enforcement=0.5", "platforms.0.protection_start_year=2008"]
    platform = O2OMarket(load_scenario(BASELINE, overrides)).platforms[0]
    platform.new_year(2006)
    assert platform.launched and not platform.protected and not platform.escrow
    platform.update_counterfeits()
    assert platform.counterfeit_rate == pytest.approx(platform.config.counterfeit_rate)
    platform.new_year(2008)
    assert platform.protected and platform.escrow
    platform.update_counterfeits()
    assert platform.counterfeit_rate == pytest.approx(platform.config.counterfeit_rate * 0.5)


def test_dealers_exit_when_margins_stop_covering_costs():
    model = O2OMarket(
        load_scenario(
            BASELINE,
            [
                "population.consumers=2000",
                "time.years=6",
                "dealers.fixed_cost=1e9",
                "dealers.exit_after_loss_months=3",
            ],
        )
    )
    model.run()
    assert not any(d.active for d in model.dealers)
    assert model.recorder.frame()["dealers_active"].iloc[-1] == 0
    assert all(s.dealer is None for s in model.stores)


def test_stores_of_an_exiting_dealer_move_to_the_survivor():
    # with costs that one dealer can carry only with every store, the last one survives
    model = O2OMarket(
        load_scenario(
            BASELINE,
            [
                "population.consumers=2000",
                "time.years=6",
                "dealers.fixed_cost=2000000",
                "dealers.exit_after_loss_months=3",
            ],
        )
    )
    model.run()
    active = [d for d in model.dealers if d.active]
    assert len(active) == 1
    assert {s.dealer for s in model.stores} == {active[0]}


def test_stores_open_where_the_weakest_store_still_earns_well():
    def openings(*overrides):
        model = O2OMarket(
            load_scenario(
                BASELINE,
                ["population.consumers=3000", "time.years=5", "stores.count=20", *overrides],
            )
        )
        model.run()
        return int(model.recorder.frame()["store_openings"].sum())

    assert openings("stores.max_openings_per_year=10") > 0
    assert openings("stores.max_openings_per_year=0") == 0
    assert openings("stores.max_openings_per_year=10", "stores.entry_hurdle=100") == 0
    # judged by the typical store rather than the weakest, more newcomers see a chance
    weakest = openings("stores.max_openings_per_year=10", "stores.entry_hurdle=10")
    median = openings(
        "stores.max_openings_per_year=10", "stores.entry_hurdle=10", "stores.entry_judge=median"
    )
    assert median > weakest, (median, weakest)


def test_a_newcomer_expects_the_weakest_or_the_median_store_of_its_district():
    district = np.array([0, 0, 0, 2, 2])
    sales = np.array([5.0, 1.0, 3.0, 8.0, 6.0])
    np.testing.assert_array_equal(
        geography.district_sales(district, sales, 4, "weakest"), [1.0, 0.0, 6.0, 0.0]
    )
    np.testing.assert_array_equal(
        geography.district_sales(district, sales, 4, "median"), [3.0, 0.0, 7.0, 0.0]
    )


def test_promotion_buyers_skip_the_next_weeks():
    model = O2OMarket(
        load_scenario(
            BASELINE,
            ["population.consumers=3000", "time.years=7", "consumers.pull_forward_weeks=4"],
        )
    )
    model.run()
    ticks = model.recorder.frame()
    late = ticks[ticks["year"] == 2010].set_index("week")["online_orders"]
    assert late.loc[46:48].mean() < late.loc[38:43].mean()


def test_logit_never_picks_an_unavailable_option_even_on_an_extreme_taste_shock():
    # seed 2 draws an exact-zero exponential (an infinite Gumbel shock) for an unavailable
    # option in this shape: without the floor it would turn into NaN and win the argmax
    utility = np.zeros((1_000_000, 3), dtype=np.float32)
    utility[:, 1:] = -np.inf
    picked = choice.logit_choice(utility, 1.0, np.random.default_rng(2))
    assert (picked == 0).all()


def test_logit_choice_shares_follow_the_logit_formula():
    utility = np.tile(np.array([0.0, 1.0, -np.inf], dtype=np.float32), (200_000, 1))
    picked = choice.logit_choice(utility, 1.0, np.random.default_rng(0))
    share_second = np.mean(picked == 1)
    assert share_second == pytest.approx(np.e / (1 + np.e), abs=0.005)
    assert not (picked == 2).any()


@pytest.mark.parametrize("p", [0.001, 0.05, 0.5])
def test_bernoulli_indices_include_each_position_with_its_chance(p):
    rng = np.random.default_rng(4)
    n, runs = 2_000, 400
    hits = np.zeros(n)
    for _ in range(runs):
        drawn = sampling.bernoulli_indices(n, p, rng)
        assert (np.diff(drawn) > 0).all() and (drawn >= 0).all() and (drawn < n).all()
        hits[drawn] += 1
    # every position equally likely, and the right number overall
    assert hits.sum() / (n * runs) == pytest.approx(p, rel=0.05)
    first, last = hits[: n // 2].sum(), hits[n // 2 :].sum()
    assert first / max(last, 1) == pytest.approx(1.0, abs=0.1)


@pytest.mark.parametrize("p", [1e-12, 1e-19, 1e-300, 5e-324])
def test_a_vanishing_chance_draws_nobody_and_ends(p):
    # numpy caps geometric gaps this long at 2**63 - 1; summing them used to wrap around
    # to negative positions, and the draw never ended while it ate all memory
    rng = np.random.default_rng(6)
    for n in (1, 1_000, 10_000_000):
        drawn = sampling.bernoulli_indices(n, p, rng)
        assert drawn.size == 0 or (drawn.size == 1 and 0 <= drawn[0] < n)


def test_thinning_keeps_each_candidate_with_its_own_chance():
    rng = np.random.default_rng(5)
    n, most = 1_000, 0.2
    chance = np.linspace(0.0, most, n)
    hits = np.zeros(n)
    for _ in range(2_000):
        drawn = sampling.bernoulli_indices(n, most, rng)
        hits[sampling.thinned(drawn, chance[drawn], most, rng)] += 1
    low, high = hits[:100].mean() / 2_000, hits[-100:].mean() / 2_000
    assert low == pytest.approx(chance[:100].mean(), abs=0.01)
    assert high == pytest.approx(chance[-100:].mean(), abs=0.01)
