"""Traffic bought on its return (``attention.budget_rule: return``).

Concept: sellers buy traffic while a new customer is worth more to them than it costs: worth
their margin over the orders the customer will place while it stays (from the platform's
orders per buyer and churn of last year), costing what their recent spend won. The attention
market clears the price of impressions; no budget is a share of sales.
"""

import math

import numpy as np
import pandas as pd
import pytest
from conftest import BASELINE, SMALL, small_model

import o2osim
from o2osim.mechanisms import attention

RUN = ["population.consumers=2000", "time.years=8", "attention.budget_rule=return"]
SEEDS = (1, 2, 3)


def run(seed: int, *overrides: str) -> o2osim.Result:
    return o2osim.run(
        BASELINE,
        seed=seed,
        overrides=[*SMALL, *RUN, *overrides],
        progress=False,
        check_invariants=True,
    )


def test_a_customer_is_worth_its_margin_over_the_orders_it_places_while_it_stays():
    assert attention.customer_value(0.2, 100.0, 4.0, 0.5, 5.0) == pytest.approx(160.0)
    assert attention.customer_value(0.2, 100.0, 4.0, 0.1, 5.0) == pytest.approx(400.0)  # horizon
    assert attention.customer_value(0.2, 100.0, 4.0, 0.0, 5.0) == pytest.approx(400.0)


@pytest.mark.parametrize(
    ("value", "cost", "expected"),
    [
        (200.0, 100.0, 110.0),  # worth twice its cost: up by the most a week
        (105.0, 100.0, 105.0),  # worth a little more: up a little
        (50.0, 100.0, 100.0 / 1.1),  # worth half: down by the most
        (50.0, math.inf, 100.0 / 1.1),  # nobody won: down
        (50.0, 0.0, 110.0),  # nothing spent: a customer came free, buy
    ],
)
def test_the_budget_moves_toward_where_a_customer_costs_what_it_is_worth(value, cost, expected):
    assert attention.adjust_budget(100.0, value, cost, 0.1, 1.0) == pytest.approx(expected)
    assert attention.adjust_budget(1.0, 0.0, math.inf, 0.1, 1.0) == 1.0  # the floor


def test_a_customer_worth_more_is_bought_at_a_higher_price():
    for seed in SEEDS:
        thin = run(seed, "platforms.0.seller_margin=0.1", "platforms.1.seller_margin=0.1").years
        fat = run(seed, "platforms.0.seller_margin=0.4", "platforms.1.seller_margin=0.4").years
        late = thin["year"] >= 2007
        assert (
            fat.loc[late, "marketing_spend"].sum() > 1.5 * thin.loc[late, "marketing_spend"].sum()
        )
        # the price of a customer won (the gross measure): what this claim is about
        gross = "cost_per_new_customer"
        assert fat.loc[late, gross].mean() > 1.5 * thin.loc[late, gross].mean()


def test_under_the_share_rule_the_margin_changes_nothing():
    share = ["attention.budget_rule=share"]
    a = run(1, *share, "platforms.0.seller_margin=0.1").years
    b = run(1, *share, "platforms.0.seller_margin=0.4").years
    np.testing.assert_array_equal(a["marketing_spend"], b["marketing_spend"])


def test_sellers_value_customers_by_last_years_orders_and_churn():
    model = small_model(*RUN[:2], "attention.budget_rule=return", ticks=2 * 52)
    taobao = model.platforms[0]
    years = pd.DataFrame(model.annual).set_index("year")
    assert taobao.buyer_churn is not None and 0 < taobao.buyer_churn < 1
    # only Taobao trades until 2008: its churn is the platform churn
    assert taobao.buyer_churn == pytest.approx(years.loc[2005, "annual_churn_platform"], rel=1e-9)
    active = years.loc[2005, "active_buyers_Taobao"]
    assert taobao.buyer_orders == pytest.approx(taobao.year_orders / active)
    att = model.config.attention
    expected = attention.customer_value(
        taobao.config.seller_margin,
        model.basket_value * taobao.config.price_index,
        taobao.buyer_orders,
        taobao.buyer_churn,
        att.customer_horizon,
    )
    assert taobao.customer_value(model.basket_value) == pytest.approx(expected)


def test_expected_sign_ups_are_the_mean_of_the_drawn_ones():
    """Sellers count the customers their clicks win in expectation: the draws average to it."""
    rng = np.random.default_rng(3)
    n = 2000
    customer_of = rng.integers(0, 4, size=n).astype(np.uint8)  # two platforms, random members
    online = np.flatnonzero(rng.random(n) < 0.8)
    clicks = np.array([40_000.0, 10_000.0])
    w, signup = 100.0, 0.05
    expected = attention.expected_sign_ups(clicks, signup, customer_of, online)
    share_new = [np.mean(((customer_of[online] >> k) & 1) == 0) for k in (0, 1)]
    np.testing.assert_allclose(expected, clicks * signup * np.array(share_new))
    draws = np.zeros(2)
    for _ in range(400):
        visitors, pid = attention.paid_visitors(online, clicks, signup, w, rng)
        won = attention.sign_up(customer_of, visitors, pid)
        draws += np.bincount(pid[won], minlength=2) * w
    np.testing.assert_allclose(draws / 400, expected, rtol=0.05)


def test_no_online_shopper_means_no_expected_customer():
    got = attention.expected_sign_ups(
        np.array([5.0]), 0.1, np.zeros(3, np.uint8), np.array([], int)
    )
    np.testing.assert_array_equal(got, [0.0])


def test_sellers_cap_their_budget_by_a_running_estimate_of_a_weeks_sales():
    model = small_model(*RUN[:2], "attention.budget_rule=return", ticks=3 * 52)
    taobao = model.platforms[0]
    a = model.config.attention.cost_memory
    sold = 0
    for _ in range(26):
        before = taobao.weekly_gmv
        model.step()
        gmv = taobao.last_week_gmv
        sold += gmv > 0
        assert taobao.weekly_gmv == pytest.approx(before + a * (gmv - before))
    assert sold > 0
