"""The stage-3 chain on the economics scenario, cause by cause, on paired seeds (issue 15).

The chain: traffic gets expensive (a drying pool of new buyers, more bidders for the same
attention), online sellers pass traffic per order into their prices, online prices rise
relative to stores, and the online share ends lower. Each test switches one cause off on the
same seeds (common random numbers) and checks which links follow. Links the model does not
(yet) produce are strict expected failures, with the reason measured, so they turn into
failures the day the model produces them.

Measured on seeds 1-5 at the scenario's 10,000 consumers (``docs/calibration.md``, "The
stage-3 chain"), the seeds the tests pair.
"""

import numpy as np
import pytest
from conftest import ROOT

import o2osim

#: The flagship: four sponsored results a search on every platform, sold to its shops.
ECONOMICS = ROOT / "scenarios" / "china_2004_2020.yaml"
PAIRED = (1, 2, 3, 4, 5)
LATE = range(2016, 2021)

#: The years.csv column of acquisition spend per net new buyer (read through this one name).
TRAFFIC_COST = "traffic_cost"

NO_TURNING_POINT = ["demography.turning_point_year=null"]
#: Fewer bidders for the same impressions: the platforms' own marketing budgets leave the
#: auction of acquisition traffic, only the sellers bid (under ``budget_rule: return`` the
#: number of shops on a platform does not enter that auction; each platform's sellers bid as
#: one; it enters the auction of sponsored results, see FEWER_SHOPS).
FEWER_BIDDERS = [f"platforms.{i}.base_marketing=0" for i in range(3)]
#: The pool of new internet users drains more slowly: slower imitation in adoption.
SLOWER_SATURATION = ["adoption.q=0.3"]
#: Sellers count on keeping a customer for two years, not the calibrated 0.77: they buy more
#: traffic per customer, and online stays small (13% of retail in 2020).
LONG_HORIZON = ["attention.customer_horizon=2"]
#: Fewer rival shops: each needs twenty times the sales to stay in business, so fewer bid
#: for each sponsored click, whose price is the second-highest value among the bidders.
FEWER_SHOPS = [f"platforms.{i}.shop_sales=40000000" for i in range(3)]
#: The flagship before sponsored search: no sponsored results, and the search cost it had.
NO_SPONSORED = [f"platforms.{i}.ad_load=0" for i in range(3)] + ["consumers.search_cost=5"]


def economics(*overrides, seed):
    # at the scenario's own 10,000 consumers (smaller samples bend its stores)
    result = o2osim.run(ECONOMICS, seed=seed, overrides=list(overrides), progress=False)
    return result.years.set_index("year")


@pytest.fixture(scope="module")
def runs():
    cases = {
        "base": [],
        "no_turning_point": NO_TURNING_POINT,
        "fewer_bidders": FEWER_BIDDERS,
        "slower_saturation": SLOWER_SATURATION,
        "long_horizon": LONG_HORIZON,
        "long_horizon_no_turning_point": LONG_HORIZON + NO_TURNING_POINT,
        "fewer_shops": FEWER_SHOPS,
        "no_sponsored": NO_SPONSORED,
        "no_sponsored_fewer_shops": NO_SPONSORED + FEWER_SHOPS,
    }
    return {name: {s: economics(*over, seed=s) for s in PAIRED} for name, over in cases.items()}


def traffic_cost(y):
    """Mean acquisition spend per net new buyer in 2016-2020, yuan."""
    return float(y.loc[LATE, TRAFFIC_COST].mean())


def price_gap(y):
    """Online over store price per basket minus one, mean of 2016-2020."""
    return float(y.loc[LATE, "price_gap"].mean())


def buyer_growth(y):
    """Mean yearly change of the online active buyers in 2016-2020, people."""
    return float(y["active_buyers_online"].diff().loc[LATE].mean())


def sponsored_per_order(y):
    """What the shops paid for sponsored results per online order in 2016-2020, yuan."""
    return float(y.loc[LATE, "sponsored_spend"].sum() / y.loc[LATE, "online_orders"].sum())


def store_sales(y):
    """Store GMV, mean of 2016-2020, yuan."""
    return float(y.loc[LATE, "gmv_offline"].mean())


def online_share(y):
    """Online share of GMV in the last year."""
    return float(y["online_share"].iloc[-1])


def paired(runs, case, outcome, base="base"):
    """Counterfactual minus baseline on each paired seed."""
    return [outcome(runs[case][s]) - outcome(runs[base][s]) for s in PAIRED]


def lower(diffs):
    assert np.median(diffs) < 0 and sum(d < 0 for d in diffs) >= 3, diffs


def higher(diffs):
    assert np.median(diffs) > 0 and sum(d > 0 for d in diffs) >= 3, diffs


@pytest.mark.xfail(
    strict=True,
    reason="measured: +278 yuan (2 of 5 seeds lower): the extra people shop in stores, "
    "whose price per basket falls, and net new online buyers do not clearly grow; the data "
    "bound the turning point's part at about a tenth of net new buyers "
    "(docs/calibration.md, 'The stage-3 chain')",
)
def test_no_turning_point_makes_traffic_cheaper(runs):
    lower(paired(runs, "no_turning_point", traffic_cost))


def test_without_the_turning_point_the_extra_people_raise_store_sales(runs):
    higher(paired(runs, "no_turning_point", store_sales))


@pytest.mark.xfail(
    strict=True,
    reason="measured: -600 buyers a year (2 of 5 seeds higher; on seeds 1-10 5 of 10): "
    "with sponsored search, where online stays small (12-16% of retail in 2020) the extra "
    "people add net new online buyers only on half of the seeds; before sponsored search "
    "they did on most",
)
def test_where_online_is_small_the_extra_people_add_net_new_online_buyers(runs):
    # sellers counting on a customer for two years: online ends near 13% of retail, stores
    # carry most of the market
    higher(paired(runs, "long_horizon_no_turning_point", buyer_growth, base="long_horizon"))


@pytest.mark.xfail(
    strict=True,
    reason="measured: dearer on 3 of 5 seeds (median +220 yuan; on seeds 6-10 4 of 5 "
    "cheaper): the sellers also spend more on the extra buyers, and the "
    "ratio of spend to a small net growth of buyers is mostly seed noise",
)
def test_where_online_is_small_no_turning_point_makes_traffic_cheaper(runs):
    lower(paired(runs, "long_horizon_no_turning_point", traffic_cost, base="long_horizon"))


@pytest.mark.xfail(
    strict=True,
    reason="measured: traffic per order does not fall, so online prices rise about as much "
    "or more (gap +0.012, 2 of 5 seeds lower)",
)
def test_no_turning_point_lets_online_prices_rise_less(runs):
    lower(paired(runs, "no_turning_point", price_gap))


@pytest.mark.xfail(
    strict=True,
    reason="measured: the online share ends lower on 4 of 5 seeds (-0.051) and online "
    "prices are not lower; not because the cohorts come of age offline (with entrants "
    "online as their contacts are it is lower on 10 of seeds 1-10): the extra people make "
    "the stores cheaper, their rent and wages spread over more baskets",
)
def test_no_turning_point_ends_with_a_higher_online_share(runs):
    higher(paired(runs, "no_turning_point", online_share))


def test_fewer_bidders_make_traffic_cheaper(runs):
    lower(paired(runs, "fewer_bidders", traffic_cost))


def test_fewer_bidders_let_online_prices_rise_less(runs):
    lower(paired(runs, "fewer_bidders", price_gap))


@pytest.mark.xfail(
    strict=True,
    reason="measured: the online share ends lower on every seed (-0.058): the platforms' own "
    "marketing also wins customers, so taking it out of the auction loses more buyers than "
    "cheaper seller traffic gains",
)
def test_fewer_bidders_end_with_a_higher_online_share(runs):
    higher(paired(runs, "fewer_bidders", online_share))


def test_slower_saturation_makes_traffic_cheaper(runs):
    lower(paired(runs, "slower_saturation", traffic_cost))


# The shops bid for each search's sponsored clicks among themselves: fewer rival shops,
# cheaper clicks, online prices that rise less and a higher online share. Measured on seeds
# 1-5 (docs/calibration.md, "The stage-3 chain").


def test_fewer_rival_shops_make_traffic_per_order_cheaper(runs):
    lower(paired(runs, "fewer_shops", sponsored_per_order))


def test_fewer_rival_shops_let_online_prices_rise_less(runs):
    lower(paired(runs, "fewer_shops", price_gap))


def test_fewer_rival_shops_end_with_a_higher_online_share(runs):
    higher(paired(runs, "fewer_shops", online_share))


def test_the_rival_shops_act_through_sponsored_search(runs):
    # the channel of the chain: fewer rival shops narrow the price gap by more where they bid
    # for sponsored results than where they do not (the flagship before sponsored search:
    # there the gap moves either way, 2 of 5 seeds lower), on the same seeds
    with_ads = paired(runs, "fewer_shops", price_gap)
    without = paired(runs, "no_sponsored_fewer_shops", price_gap, base="no_sponsored")
    lower([a - b for a, b in zip(with_ads, without, strict=True)])


def test_the_file_without_sponsored_search_is_the_flagship_but_for_ad_loads_and_search_cost():
    # scenarios/china_2004_2020_no_sponsored.yaml is the flagship before sponsored search,
    # which the real-series calibration extends; the NO_SPONSORED overrides above are the same
    flagship = o2osim.load_scenario(ECONOMICS).model_dump()
    before = o2osim.load_scenario(ROOT / "scenarios" / "china_2004_2020_no_sponsored.yaml")
    assert before == o2osim.load_scenario(ECONOMICS, overrides=NO_SPONSORED).model_copy(
        update={"name": before.name, "description": before.description}
    )
    before = before.model_dump()
    assert [p["ad_load"] for p in flagship["platforms"]] == [4, 4, 4]
    assert [p["ad_load"] for p in before["platforms"]] == [0, 0, 0]
    assert (flagship["consumers"]["search_cost"], before["consumers"]["search_cost"]) == (1.5, 5)
    for p in flagship["platforms"]:
        p["ad_load"] = 0
    for scenario in (flagship, before):
        scenario["consumers"]["search_cost"] = None
        scenario["name"] = scenario["description"] = None
    assert before == flagship
