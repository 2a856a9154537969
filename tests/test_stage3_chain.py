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
import pandas as pd
import pytest
from conftest import ROOT

import o2osim
from o2osim.batch.facts import FACTS

ECONOMICS = ROOT / "scenarios" / "china_2004_2020.yaml"
#: The flagship with four sponsored results a search on every platform (all 13 bands hold).
SPONSORED_FILE = ROOT / "scenarios" / "china_2004_2020_sponsored.yaml"
PAIRED = (1, 2, 3, 4, 5)
LATE = range(2016, 2021)

#: The years.csv column of acquisition spend per net new buyer (read through this one name).
TRAFFIC_COST = "traffic_cost"

NO_TURNING_POINT = ["demography.turning_point_year=null"]
#: Fewer bidders for the same impressions: the platforms' own marketing budgets leave the
#: auction, only the sellers bid (under ``budget_rule: return`` the number of shops on a
#: platform does not enter the auction; each platform's sellers bid as one).
FEWER_BIDDERS = [f"platforms.{i}.base_marketing=0" for i in range(3)]
#: The pool of new internet users drains more slowly: slower imitation in adoption.
SLOWER_SATURATION = ["adoption.q=0.3"]
#: Sellers count on keeping a customer for two years, not the calibrated 0.77: they buy more
#: traffic per customer, and online stays small (13% of retail in 2020).
LONG_HORIZON = ["attention.customer_horizon=2"]
#: The platforms sell sponsored results in their own searches to their shops (eight a search
#: session), whose price is the second-highest value among the shops bidding for a click.
SPONSORED = [f"platforms.{i}.ad_load=8" for i in range(3)]
#: Fewer rival shops: each needs twenty times the sales to stay in business.
FEWER_SHOPS = [f"platforms.{i}.shop_sales=40000000" for i in range(3)]


def economics(*overrides, seed, scenario=ECONOMICS):
    # at the scenario's own 10,000 consumers (smaller samples bend its stores)
    result = o2osim.run(scenario, seed=seed, overrides=list(overrides), progress=False)
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
        "sponsored": SPONSORED,
        "sponsored_fewer_shops": SPONSORED + FEWER_SHOPS,
    }
    out = {name: {s: economics(*over, seed=s) for s in PAIRED} for name, over in cases.items()}
    for name, over in {"sponsored_file": [], "sponsored_file_fewer_shops": FEWER_SHOPS}.items():
        out[name] = {s: economics(*over, seed=s, scenario=SPONSORED_FILE) for s in PAIRED}
    return out


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
    reason="measured: +264 yuan (2 of 5 seeds lower; over seeds 1-20 the median is -66, 11 "
    "of 20 lower): the extra people shop in stores, whose price per basket falls, and net "
    "new online buyers do not clearly grow; with the stores' costs per resident held they "
    "grow by 8% (13 of 20), a tenth as the data bound it, and the ratio stays a coin flip "
    "(docs/calibration.md, 'The stage-3 chain')",
)
def test_no_turning_point_makes_traffic_cheaper(runs):
    lower(paired(runs, "no_turning_point", traffic_cost))


def test_without_the_turning_point_the_extra_people_raise_store_sales(runs):
    higher(paired(runs, "no_turning_point", store_sales))


def test_where_online_is_small_the_extra_people_add_net_new_online_buyers(runs):
    # sellers counting on a customer for two years: online ends near 13% of retail, stores
    # carry most of the market, and the extra people add net new online buyers
    higher(paired(runs, "long_horizon_no_turning_point", buyer_growth, base="long_horizon"))


@pytest.mark.xfail(
    strict=True,
    reason="measured: dearer on 4 of 5 seeds (median +298 yuan; over seeds 1-10 the median "
    "is -105, 5 of 10 cheaper): the sellers also spend more on the extra buyers, and the "
    "ratio of spend to a small net growth of buyers is mostly seed noise",
)
def test_where_online_is_small_no_turning_point_makes_traffic_cheaper(runs):
    lower(paired(runs, "long_horizon_no_turning_point", traffic_cost, base="long_horizon"))


@pytest.mark.xfail(
    strict=True,
    reason="measured: traffic per order does not fall, so online prices rise about as much "
    "or more (gap +0.029, 1 of 5 seeds lower)",
)
def test_no_turning_point_lets_online_prices_rise_less(runs):
    lower(paired(runs, "no_turning_point", price_gap))


@pytest.mark.xfail(
    strict=True,
    reason="measured: the online share ends lower on every seed (-0.075) and online "
    "prices are not lower; not because the cohorts come of age offline (with entrants "
    "online as their contacts are it is lower on 10 of seeds 1-10): the extra people make "
    "the stores cheaper, their rent and wages spread over more baskets",
)
def test_no_turning_point_ends_with_a_higher_online_share(runs):
    higher(paired(runs, "no_turning_point", online_share))


def test_fewer_bidders_make_traffic_cheaper(runs):
    lower(paired(runs, "fewer_bidders", traffic_cost))


@pytest.mark.xfail(
    strict=True,
    reason="measured: the price gap rises more (+0.047, no seed lower): online prices do "
    "fall (-1.5 yuan a basket, every seed), but store prices fall far more (-19 yuan), as "
    "the stores take the buyers online loses (online GMV halves) and spread their rent and "
    "wages over them (docs/calibration.md, 'The stage-3 chain')",
)
def test_fewer_bidders_let_online_prices_rise_less(runs):
    lower(paired(runs, "fewer_bidders", price_gap))


@pytest.mark.xfail(
    strict=True,
    reason="measured: the online share ends lower on every seed (-0.16): the platforms' own "
    "marketing also wins customers, so taking it out of the auction loses more buyers than "
    "cheaper seller traffic gains",
)
def test_fewer_bidders_end_with_a_higher_online_share(runs):
    higher(paired(runs, "fewer_bidders", online_share))


def test_slower_saturation_makes_traffic_cheaper(runs):
    lower(paired(runs, "slower_saturation", traffic_cost))


# With sponsored search on the platforms, the shops bid for each search's clicks among
# themselves: fewer rival shops, cheaper clicks. Measured on seeds 1-5 (docs/calibration.md,
# "The stage-3 chain"): per order -1.8 to -3.0 yuan, the price gap -0.016 to -0.064, the 2020
# online share +0.04 to +0.17; fewer shops without sponsored search move the gap and the
# share either way (each the expected way on 2 of 5 seeds).


def test_with_sponsored_search_fewer_rival_shops_make_traffic_per_order_cheaper(runs):
    lower(paired(runs, "sponsored_fewer_shops", sponsored_per_order, base="sponsored"))


def test_with_sponsored_search_fewer_rival_shops_let_online_prices_rise_less(runs):
    lower(paired(runs, "sponsored_fewer_shops", price_gap, base="sponsored"))


def test_with_sponsored_search_fewer_rival_shops_end_with_a_higher_online_share(runs):
    higher(paired(runs, "sponsored_fewer_shops", online_share, base="sponsored"))


# The same chain in a scenario that has sponsored search throughout and keeps every one of the
# data's bands (scenarios/china_2004_2020_sponsored.yaml; docs/calibration.md, "Sponsored
# search in the scenario"). Measured on seeds 1-5: sponsored spend -1.2M yuan a year, the
# price gap -0.029, the 2020 online share +3.5 points, each on 4 of 5 seeds.


@pytest.mark.parametrize("fact", FACTS, ids=[f.name for f in FACTS])
def test_the_sponsored_search_scenario_lands_in_every_data_band(runs, fact):
    years = pd.concat(runs["sponsored_file"].values()).groupby(level=0).median()
    assert fact.holds(fact.value(years)), (fact.target, fact.value(years))


def test_in_the_sponsored_search_scenario_fewer_rival_shops_make_traffic_per_order_cheaper(runs):
    lower(paired(runs, "sponsored_file_fewer_shops", sponsored_per_order, base="sponsored_file"))


def test_in_the_sponsored_search_scenario_fewer_rival_shops_let_online_prices_rise_less(runs):
    lower(paired(runs, "sponsored_file_fewer_shops", price_gap, base="sponsored_file"))


def test_in_the_sponsored_search_scenario_fewer_rival_shops_end_with_a_higher_online_share(
    runs,
):
    higher(paired(runs, "sponsored_file_fewer_shops", online_share, base="sponsored_file"))


def test_the_sponsored_search_scenario_is_the_flagship_but_for_ad_loads_and_search_cost():
    flagship = o2osim.load_scenario(ECONOMICS).model_dump()
    sponsored = o2osim.load_scenario(SPONSORED_FILE).model_dump()
    assert [p["ad_load"] for p in sponsored["platforms"]] == [4, 4, 4]
    assert sponsored["consumers"]["search_cost"] == 1.5
    for p in sponsored["platforms"]:
        p["ad_load"] = 0
    for scenario in (flagship, sponsored):
        scenario["consumers"]["search_cost"] = None
        scenario["name"] = scenario["description"] = None
    assert sponsored == flagship
