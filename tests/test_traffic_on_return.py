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
