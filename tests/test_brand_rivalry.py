"""Brands that decide: marketing budgets by channel, shares from goodwill, natives that enter.

The rules are checked on their equations; the story (online natives top the first festivals,
then the traditional brands pour money online and take the top back) runs over seeds 1-5 of
the China brands scenario on a small population.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

import o2osim
from o2osim.errors import ScenarioError
from o2osim.mechanisms import brand_budgets

BRANDS = ROOT / "scenarios" / "china_brands.yaml"
SEEDS = range(1, 6)
SMALL = ["population.consumers=3000"]

# ----------------------------------------------------------------------------- the rules


def test_goodwill_fades_and_a_steady_spend_holds_spend_over_decay():
    g = np.array([100.0, 0.0])
    after = brand_budgets.goodwill_step(g, np.array([0.0, 52.0]), decay=1.0, weeks=52)
    assert after.tolist() == pytest.approx([100 * math.exp(-1 / 52), 1.0])
    for _ in range(52 * 30):
        g = brand_budgets.goodwill_step(g, np.array([10.0, 10.0]), decay=0.5, weeks=52)
    assert g.tolist() == pytest.approx([20.0, 20.0], rel=0.01)


def test_attraction_shares_and_the_dorfman_steiner_spend():
    # four times the goodwill at elasticity one half: twice the attraction
    assert brand_budgets.attraction(0.3, 400.0, 100.0, 0.5) == pytest.approx(0.6)
    assert brand_budgets.attraction(0.3, 400.0, 0.0, 0.5) == 0.3  # no goodwill at the start
    shares = brand_budgets.channel_shares(np.array([0.6, 0.2]), others=0.2)
    assert shares.tolist() == pytest.approx([0.6, 0.2])
    assert brand_budgets.optimal_spend(0.25, 1000.0, 0.4) == pytest.approx(300.0)
    assert brand_budgets.optimal_spend(1.0, 1000.0, 0.4) == 0.0  # a monopoly does not advertise
    assert brand_budgets.optimal_spend(0.25, -50.0, 0.4) == 0.0
    assert brand_budgets.online_split(np.array([300.0, 100.0])) == 0.75
    assert brand_budgets.adjusted(0.1, 0.5, 0.25) == pytest.approx(0.2)
    assert brand_budgets.online_goodwill(10.0, 100.0, 0.02) == pytest.approx(12.0)


def test_a_native_enters_when_its_share_of_online_sales_pays_its_budget_and_team():
    # as attractive as the rest together: half of 10M of sales at a margin of 0.5 is 2.5M
    assert brand_budgets.entry_profit(1.0, 1.0, 10e6, 0.5, 1e6, 0.5e6) == pytest.approx(1e6)
    assert brand_budgets.entry_profit(1.0, 1.0, 4e6, 0.5, 1e6, 0.5e6) < 0


# ----------------------------------------------------------------------------- the checks


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        (
            ["brands.0.market_share=0.5", "brands.2.market_share=0.1"],
            "brands.2.market_share",
            "0 for an online_native",
        ),
        (["brands.2.decisions=fixed"], "brands.2.decisions", "adaptive for an online_native"),
        (
            ["brands.0.channel_strategy=product_split", "pricing.sellers_set_prices=false"],
            "brands.0.decisions",
            "fixed when brands.0.channel_strategy is on",
        ),
    ],
)
def test_brand_decisions_refuse_what_they_cannot_do(overrides, field, expected):
    with pytest.raises(ScenarioError) as err:
        o2osim.load_scenario(BRANDS, overrides)
    assert field in str(err.value) and expected in str(err.value)


# ----------------------------------------------------------------------------- the story


@cache
def _brands(seed: int, *overrides: str) -> pd.DataFrame:
    result = o2osim.run(BRANDS, seed=seed, overrides=[*SMALL, *overrides], progress=False)
    return result.years.set_index("year")


def _top_festival_brands(years: pd.DataFrame, year: int) -> set[str]:
    """The two brands that sold the most online in the year's festival weeks."""
    sales = {n: years.loc[year, f"festival_sales_{n}"] for n in ("Acme", "Bolt", "Cloud", "Dart")}
    return set(sorted(sales, key=sales.get)[-2:])


def test_natives_top_the_first_festivals_then_traditional_brands_move_online_and_take_over():
    for seed in SEEDS:
        years = _brands(seed)
        # online natives enter, on the platforms only, while the online market is small
        assert years.loc[2020, "brands_online_native"] == 2
        first = int(years.index[years["brands_online_native"] > 0][0])
        assert first <= 2009
        assert (years.loc[first:, "offline_share_Cloud"] == 0).all()
        # one is among the top two of the first Double 11 (2009), and the natives sell half
        # of the festival; the traditional brands spend little online yet
        assert _top_festival_brands(years, 2009) & {"Cloud", "Dart"}
        assert years.loc[2009, "online_budget_share_Acme"] < 0.1
        # the traditional brands then move their budgets online and top the late festivals
        assert years.loc[2020, "online_budget_share_Acme"] > 0.4
        assert years.loc[2020, "online_budget_share_Bolt"] > 0.4
        for year in (2018, 2019, 2020):
            assert _top_festival_brands(years, year) == {"Acme", "Bolt"}
        early = years.loc[2009:2010, "festival_native_share"].mean()
        late = years.loc[2018:2020, "festival_native_share"].mean()
        assert early > 0.45 and late < early - 0.1


def test_brands_that_keep_their_settings_keep_their_market_shares_and_natives_stay_out():
    fixed = o2osim.run(
        BRANDS,
        seed=1,
        overrides=[
            *SMALL,
            "time.years=8",
            "brands.1.decisions=fixed",
            "brands.2.entry_budget=1e12",
            "brands.3.entry_budget=1e12",
        ],
        progress=False,
    ).years.set_index("year")
    # an entry budget nobody's share could pay: no native enters, the traditional brands
    # share the market between themselves
    assert (fixed["brands_online_native"] == 0).all()
    assert (fixed["festival_sales_Cloud"] == 0).all()
    assert (fixed["online_share_Acme"] + fixed["online_share_Bolt"]).tolist() == pytest.approx(
        [1.0] * len(fixed)
    )
    # Bolt keeps its marketing and spends none, Acme spends and moves online as the market does
    assert (fixed["brand_marketing_Bolt"] == 0).all()
    assert fixed.loc[2011, "online_budget_share_Acme"] > fixed.loc[2006, "online_budget_share_Acme"]


def test_with_no_brand_deciding_the_brand_columns_and_the_results_do_not_move():
    base = ["time.years=6", *SMALL]
    china = ROOT / "scenarios" / "china_2004_2020.yaml"
    plain = o2osim.run(china, seed=3, overrides=base, progress=False).years
    # one brand alone in both channels: deciding changes nothing (it has no rival to spend on)
    alone = o2osim.run(
        china, seed=3, overrides=[*base, "brands.0.decisions=adaptive"], progress=False
    ).years
    assert "online_budget_share_Acme" not in plain.columns
    assert (alone["brand_marketing_Acme"] == 0).all()
    same = [c for c in plain.columns if c in alone.columns]
    pd.testing.assert_frame_equal(plain[same], alone[same])


def test_a_brand_that_loses_two_full_years_running_leaves_and_its_rival_takes_its_sales():
    years = o2osim.run(
        BRANDS,
        seed=2,
        overrides=[*SMALL, "time.years=5", "brands.1.fixed_cost=1e10"],
        progress=False,
    ).years.set_index("year")
    # Bolt's overheads exceed anything it earns: it loses 2005 and 2006 (2004 is the year
    # its books are first read) and leaves at the end of 2006
    assert years["brands_traditional"].tolist() == [2, 2, 1, 1, 1]
    assert years.loc[2007, "offline_share_Bolt"] == 0 and years.loc[2007, "online_share_Bolt"] == 0
    assert years.loc[2007, "offline_share_Acme"] == pytest.approx(1.0)
    assert years.loc[2008, "brand_marketing_Bolt"] == 0
    assert years.loc[2008, "brand_sales_offline_Bolt"] == 0


# ----------------------------------------------------------------------------- dealers choose


def test_a_dealer_carries_a_brand_while_its_margin_pays_the_brand_cost():
    model = o2osim.O2OMarket(o2osim.load_scenario(BRANDS, [*SMALL, "dealers.brand_cost=100000"]))
    dealer = model.dealers[0]
    dealer.year_margin, dealer.year_months = 12 * 300_000.0, 12
    # in the first year wages are at their start: the cost is 100,000 yuan a month
    assert dealer.brand_cost() == pytest.approx(100_000.0)
    # 300,000 a month: Acme's 60% pays, Bolt's 30% does not, a brand that left is dropped
    dropped = dealer.choose_brands([0.6, 0.3, 0.0, 0.0], [True, True, True, False])
    assert dealer.carries.tolist() == [True, False, False, False]
    assert dropped == 2  # Bolt and Cloud; Dart was not selling
    assert dealer.carried([0.6, 0.3, 0.1, 0.0]) == [0.6, 0.0, 0.0, 0.0]


@cache
def _dealers(seed: int, decisions: str) -> pd.DataFrame:
    return _brands(seed, f"dealers.decisions={decisions}", "dealers.brand_cost=150000")


def test_dealers_that_choose_their_brands_drop_the_small_one_when_wages_outrun_margins():
    dropped_on = 0
    for seed in SEEDS:
        choose, carry = _dealers(seed, "adaptive"), _dealers(seed, "fixed")
        assert "brands_carried" not in carry.columns
        # dealers that carry every brand pay for the natives' too, whose goods no store buys
        # from them: fewer survive, and those that choose earn more once margins are thin
        assert choose.loc[2020, "dealers_active"] >= carry.loc[2020, "dealers_active"]
        late = slice(2016, 2020)
        assert choose.loc[late, "dealer_profit"].sum() > carry.loc[late, "dealer_profit"].sum()
        # a traditional brand is dropped only once wages have outrun the margins
        years_dropped = choose.index[choose["dealer_brand_drops"] > 0]
        assert all(year >= 2010 for year in years_dropped)
        if len(years_dropped):
            dropped_on += 1
            bolt = "brand_sales_offline_Bolt"
            assert choose.loc[2020, bolt] < carry.loc[2020, bolt]
    assert dropped_on >= 4
