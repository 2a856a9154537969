"""Each channel strategy moves the market in its documented direction (docs/strategies.md).

Every lever scenario in ``scenarios/channel_*.yaml`` is run against its reference,
``scenarios/brand_channels.yaml`` (a brand selling everywhere, 15% cheaper online), on the
same seeds (common random numbers), at a small population.
"""

import functools

import numpy as np
import pytest
from conftest import ROOT

import o2osim
from o2osim.errors import ScenarioError

SMALL = ["population.consumers=4000"]
SEEDS = (1, 2, 3)


@functools.cache
def run(name, seed):
    path = ROOT / "scenarios" / f"{name}.yaml"
    return o2osim.run(path, seed=seed, overrides=SMALL, progress=False).years


@pytest.fixture(scope="module")
def reference():
    return {seed: run("brand_channels", seed) for seed in SEEDS}


def last(column):
    return lambda y: float(y[column].iloc[-1])


def total(column, years=None):
    return lambda y: float(y[column].iloc[:years].sum())


# (lever, outcome, direction against the reference)
LEVERS = [
    ("one_price", "stores open in the last year", last("stores_open"), +1),
    ("one_price", "online share in the last year", last("online_share"), -1),
    ("product_split", "stores open in the last year", last("stores_open"), +1),
    ("product_split", "brand profit online", total("brand_profit_online_Acme"), -1),
    ("customer_split", "online share in the last year", last("online_share"), +1),
    ("customer_split", "brand profit in stores", total("brand_profit_offline_Acme"), -1),
    ("order_size_split", "dealers' profit", total("dealer_profit"), +1),
    ("order_size_split", "brand profit online", total("brand_profit_online_Acme"), -1),
    ("transaction_link_split", "stores open in the last year", last("stores_open"), +1),
    ("transaction_link_split", "dealers' profit", total("dealer_profit"), +1),
    ("transaction_link_split", "stores' profit", total("store_profit"), +1),
    ("brand_split", "brand sales online, first five years",
     total("brand_sales_online_Acme", 5), -1),
    ("region_split", "stores open in the last year", last("stores_open"), +1),
    ("region_split", "brand profit online", total("brand_profit_online_Acme"), -1),
]


@pytest.mark.parametrize(("lever", "outcome", "sign"), [(c[0], c[2], c[3]) for c in LEVERS],
                         ids=[f"{c[0]}: {c[1]} {'up' if c[3] > 0 else 'down'}" for c in LEVERS])
def test_lever_moves_outcome_in_its_documented_direction(reference, lever, outcome, sign):
    diffs = [outcome(run(f"channel_{lever}", s)) - outcome(reference[s]) for s in SEEDS]
    assert np.median(diffs) * sign > 0, diffs
    assert sum(np.sign(d) == sign for d in diffs) >= 2, diffs


def test_default_brand_settings_draw_nothing_and_book_market_shares():
    # a brand with no strategy and no price of its own changes nothing in the market
    plain = o2osim.run(ROOT / "scenarios" / "baseline.yaml", seed=3, overrides=SMALL,
                       progress=False)
    assert not plain.model.brands_active
    brand = plain.model.brands[0]
    assert brand.units_online == pytest.approx(float(plain.years["online_orders"].sum()))


def test_brand_split_awareness_grows_toward_everyone():
    years = run("channel_brand_split", 1)
    awareness = years["brand_awareness_Acme"].to_numpy()
    assert (np.diff(awareness) > 0).all() and awareness[0] < 0.5 < awareness[-1] <= 1.0


def test_reference_engine_refuses_channel_strategies():
    with pytest.raises(ScenarioError, match="channel_strategy"):
        o2osim.load_scenario(ROOT / "scenarios" / "channel_product_split.yaml",
                             ["engine=agents", "consumers.large_account_share=0",
                              "consumers.order_size_cv=0"])


# (outcome, direction of reputation_investment against reputation_none)
REPUTATION = [
    ("mean trust in platforms, last year", last("mean_trust_online"), +1),
    ("Taobao's GMV", total("platform_gmv_Taobao"), +1),
    ("online share, last year", last("online_share"), +1),
]


@pytest.mark.parametrize(("outcome", "sign"), [c[1:] for c in REPUTATION],
                         ids=[c[0] for c in REPUTATION])
def test_reputation_investment_builds_trust_and_sales(outcome, sign):
    diffs = [outcome(run("reputation_investment", s)) - outcome(run("reputation_none", s))
             for s in SEEDS]
    assert np.median(diffs) * sign > 0, diffs
    assert sum(np.sign(d) == sign for d in diffs) >= 2, diffs


def test_reputation_investment_is_paid_for():
    # the same seed with the protections but no cost: the cost is exactly what profit loses
    priced = run("reputation_investment", 1)
    scenario = o2osim.load_scenario(
        ROOT / "scenarios" / "reputation_investment.yaml",
        [*SMALL, "platforms.0.protection_cost=0", "platforms.0.enforcement_cost=0"],
    )
    free = o2osim.run(scenario, seed=1, progress=False).years
    # costs do not change what consumers do: same sales, lower profit
    assert free["platform_gmv_Taobao"].sum() == pytest.approx(priced["platform_gmv_Taobao"].sum())
    assert free["platform_profit_Taobao"].sum() > priced["platform_profit_Taobao"].sum()
