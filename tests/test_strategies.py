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
from o2osim.mechanisms import needs

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
    (
        "brand_split",
        "brand sales online, first five years",
        total("brand_sales_online_Acme", 5),
        -1,
    ),
    ("region_split", "stores open in the last year", last("stores_open"), +1),
    ("region_split", "brand profit online", total("brand_profit_online_Acme"), -1),
]


@pytest.mark.parametrize(
    ("lever", "outcome", "sign"),
    [(c[0], c[2], c[3]) for c in LEVERS],
    ids=[f"{c[0]}: {c[1]} {'up' if c[3] > 0 else 'down'}" for c in LEVERS],
)
def test_lever_moves_outcome_in_its_documented_direction(reference, lever, outcome, sign):
    diffs = [outcome(run(f"channel_{lever}", s)) - outcome(reference[s]) for s in SEEDS]
    assert np.median(diffs) * sign > 0, diffs
    assert sum(np.sign(d) == sign for d in diffs) >= 2, diffs


def test_transaction_link_keeps_more_dealers_alive_than_selling_online_cheaper():
    # dealers deliver the goods of pick-up orders: never fewer dealer-years, more over seeds
    seeds = (1, 2, 3, 4, 5)
    alive = total("dealers_active")
    diffs = [
        alive(run("channel_transaction_link_split", s)) - alive(run("brand_channels", s))
        for s in seeds
    ]
    assert min(diffs) >= 0 and sum(diffs) > 0, diffs


def test_default_brand_settings_draw_nothing_and_book_market_shares():
    # a brand with no strategy and no price of its own changes nothing in the market
    plain = o2osim.run(
        ROOT / "scenarios" / "baseline.yaml", seed=3, overrides=SMALL, progress=False
    )
    assert not plain.model.brands_active
    brand = plain.model.brands[0]
    assert brand.units_online == pytest.approx(float(plain.years["online_orders"].sum()))


def test_brand_split_awareness_grows_toward_everyone():
    years = run("channel_brand_split", 1)
    awareness = years["brand_awareness_Acme"].to_numpy()
    assert (np.diff(awareness) > 0).all() and awareness[0] < 0.5 < awareness[-1] <= 1.0


def test_reference_engine_refuses_channel_strategies():
    with pytest.raises(ScenarioError, match="channel_strategy"):
        o2osim.load_scenario(
            ROOT / "scenarios" / "channel_product_split.yaml",
            [
                "engine=agents",
                "consumers.large_account_share=0",
                "consumers.order_size_cv=0",
                "consumers.brand_habit=0",
            ],
        )


# (outcome, direction of reputation_investment against reputation_none)
REPUTATION = [
    ("mean trust in platforms, last year", last("mean_trust_online"), +1),
    ("Taobao's GMV", total("platform_gmv_Taobao"), +1),
    ("online share, last year", last("online_share"), +1),
]


@pytest.mark.parametrize(
    ("outcome", "sign"), [c[1:] for c in REPUTATION], ids=[c[0] for c in REPUTATION]
)
def test_reputation_investment_builds_trust_and_sales(outcome, sign):
    diffs = [
        outcome(run("reputation_investment", s)) - outcome(run("reputation_none", s)) for s in SEEDS
    ]
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


# (lever scenario, reference scenario, outcome, direction)
MORE_LEVERS = [
    (
        "membership_separate",
        "brand_channels",
        "share of wallet, last five years",
        lambda y: float(y["brand_wallet_share_Acme"].iloc[-5:].mean()),
        +1,
    ),
    (
        "membership_integrated",
        "membership_separate",
        "share of wallet, last five years",
        lambda y: float(y["brand_wallet_share_Acme"].iloc[-5:].mean()),
        +1,
    ),
    (
        "membership_integrated",
        "membership_separate",
        "brand sales",
        lambda y: float((y["brand_sales_online_Acme"] + y["brand_sales_offline_Acme"]).sum()),
        +1,
    ),
    (
        "fan_economy",
        "brand_channels",
        "brand traffic cost, last five years",
        lambda y: float(y["brand_traffic_cost_Acme"].iloc[-5:].mean()),
        -1,
    ),
    ("fan_economy", "brand_channels", "customers won", total("brand_new_customers_Acme"), +1),
]


@pytest.mark.parametrize(
    ("lever", "reference_name", "outcome", "sign"),
    [(c[0], c[1], c[3], c[4]) for c in MORE_LEVERS],
    ids=[f"{c[0]} vs {c[1]}: {c[2]} {'up' if c[4] > 0 else 'down'}" for c in MORE_LEVERS],
)
def test_more_levers_move_outcomes_in_their_documented_direction(
    lever, reference_name, outcome, sign
):
    diffs = [outcome(run(lever, s)) - outcome(run(reference_name, s)) for s in SEEDS]
    assert np.median(diffs) * sign > 0, diffs
    assert sum(np.sign(d) == sign for d in diffs) >= 2, diffs


def test_fan_programme_reports_every_link_level_and_people_climb_them():
    years = run("fan_economy", 1)
    levels = ["customers", "users", "fans", "partners"]
    last_year = {k: float(years[f"brand_{k}_Acme"].iloc[-1]) for k in levels}
    first_year = {k: float(years[f"brand_{k}_Acme"].iloc[0]) for k in levels}
    assert all(v >= 0 for v in last_year.values())
    assert last_year["fans"] > first_year["fans"] and last_year["partners"] > 0
    # nobody is counted twice: the levels add up to at most the population
    assert sum(last_year.values()) <= float(years["consumers"].iloc[-1]) + 1e-6


def c2b_years(shown, seed=1):
    scenario = o2osim.load_scenario(
        ROOT / "scenarios" / "c2b_customization.yaml",
        [*SMALL, f"platforms.1.results_shown={shown}"],
    )
    return o2osim.run(scenario, seed=seed, progress=False).years


def test_c2b_range_drifts_from_real_needs_as_far_as_the_platforms_results_hide_variants():
    # results that show every variant record what people need, and the range follows; results
    # that show the three bestsellers record bestsellers, and the range drawn from them drifts
    for seed in (1, 2):
        faithful = c2b_years("null", seed)["c2b_mismatch_JD"].iloc[-1]
        skewed = c2b_years(3, seed)["c2b_mismatch_JD"].iloc[-1]
        assert faithful < 0.08 < 0.25 < skewed
    years = c2b_years(3)
    assert (years.loc[years["year"] < 2014, "c2b_share_JD"] == 0).all()
    assert years.loc[years["year"] >= 2014, "c2b_share_JD"].between(0.1, 0.7).all()


def test_a_buyer_finds_its_variant_only_among_the_results_shown():
    sales = np.array([5.0, 50.0, 20.0, 1.0, 20.0])
    # the three bestsellers (a tie goes to the lower index) are found, the rest buy variant 1
    assert needs.results_ranking(sales, 3).tolist() == [1, 1, 2, 1, 4]
    assert needs.results_ranking(sales, 5) is None and needs.results_ranking(sales, None) is None


def online_margin(years):
    late = years[years["year"] >= 2014]
    return float(late["brand_profit_online_Acme"].sum() / late["brand_sales_online_Acme"].sum())


@pytest.mark.parametrize(
    ("outcome", "sign"),
    [
        (online_margin, -1),  # the maker's margin per online basket is squeezed
        (lambda y: float(y.loc[y["year"] >= 2014, "platform_profit_JD"].sum()), +1),
    ],
    ids=["brand margin per online basket down", "JD's profit up"],
)
def test_c2b_moves_margin_from_the_maker_to_the_platform(outcome, sign):
    diffs = [
        outcome(run("c2b_customization", s)) - outcome(run("brand_channels", s)) for s in SEEDS
    ]
    assert np.median(diffs) * sign > 0, diffs
    assert sum(np.sign(d) == sign for d in diffs) >= 2, diffs
