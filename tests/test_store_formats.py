"""Store formats: full stores that turn into showrooms, pick-up points or service points.

Concept tests state a rule and check it on exact numbers; a small market shows what a point
does (it sells nothing, earns fees, pays less rent); the claim that stores that turn into
service points outlive themselves left full runs over paired seeds on a small population.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from conftest import ROOT

import o2osim
from o2osim.mechanisms import formats
from o2osim.model import O2OMarket

CHINA = ROOT / "scenarios" / "china_2004_2020.yaml"
#: The flagship before sponsored search, where the stores' turn to service points was measured
#: (on the flagship one store of seeds 1-5 turns in 2012, a year before the others).
NO_SPONSORED = ROOT / "scenarios" / "china_2004_2020_no_sponsored.yaml"

# ----------------------------------------------------------------------------- the rules


def test_a_showroom_keeps_the_buyers_whose_loss_is_small_next_to_the_choice_scale():
    sold = np.array([[60.0, 40.0], [0.0, 0.0]])  # purchases by need kind: plain, take-home
    lost = np.array([[0.0, 10.0], [0.0, 10.0]])  # take-home buyers lose 10 yuan in a showroom
    kept = formats.showroom_kept(sold, lost, wait=5.0, scale=10.0)
    assert kept[0] == pytest.approx((60 * np.exp(-0.5) + 40 * np.exp(-1.5)) / 100)
    assert kept[1] == 0.0  # no sales, nothing kept
    assert formats.showroom_kept(sold[:1], lost[:1] * 0, wait=0.0, scale=10.0)[0] == 1.0


def test_a_point_shares_the_demand_within_its_reach_with_the_points_already_there():
    demand, rivals = np.array([1000.0, 1000.0]), np.array([0.0, 3.0])
    assert formats.point_income(demand, rivals, fee=2.0).tolist() == [2000.0, 500.0]


def test_a_store_changes_format_only_for_a_profit_that_beats_staying_by_the_refit():
    current = np.array([100.0, 100.0, -500.0, -500.0])
    alternatives = np.array(
        [
            [150.0, 400.0, -np.inf],  # the pick-up point beats staying by 300 > refit 200
            [250.0, 290.0, -np.inf],  # beats staying by 190 < 200: it stays
            [-100.0, -50.0, -np.inf],  # loses less, but loses: it keeps its format
            [10.0, -np.inf, -np.inf],  # a small profit beats a large loss: showroom
        ]
    )
    assert formats.best_format(current, alternatives, refit=200.0).tolist() == [1, -1, -1, 0]
    assert formats.best_format(current, alternatives[:, :0], refit=0.0).tolist() == [-1] * 4


# ----------------------------------------------------------------------------- in a market


def _market(*overrides: str) -> O2OMarket:
    scenario = o2osim.load_scenario(CHINA, ["population.consumers=1500", "seed=3", *overrides])
    return O2OMarket(scenario)


def test_a_point_sells_nothing_earns_its_fees_and_pays_less_rent():
    m = _market("time.years=10")
    m.run(52 * 8)  # to the end of 2011
    books = m.store_books
    point = int(np.flatnonzero(books.is_open)[0])
    books.format[point] = 3  # a service point
    m.network.refresh_choice_sets(np.array([point]))
    m.formats.refresh_points()
    assert point not in m.network.choice_ids  # nobody buys there any more
    units_before, revenue_before = books.units_sold[point], books.revenue[point]
    m.step()  # the new year: new stores open
    rent, open_stores = m.ledger.items["rent"], int(books.is_open.sum())
    while not m.calendar.month_ends():
        m.step()
    share = m.config.store_formats.service_rent_share
    assert m.ledger.items["rent"] - rent == pytest.approx(m.rent * (open_stores - 1 + share))
    m.run()
    assert m.stores[point].format == "service" and m.stores[point].is_open
    assert books.units_sold[point] == units_before  # it sold nothing since
    assert books.revenue[point] > revenue_before  # but brands paid it for installations
    assert m.ledger.items["service_fees"] > 0


def test_stores_that_may_not_change_run_as_stores_that_keep_their_format():
    held = o2osim.run(CHINA, seed=2, overrides=["population.consumers=1500"], progress=False)
    free = o2osim.run(
        CHINA,
        seed=2,
        overrides=[
            "population.consumers=1500",
            "stores.decisions=adaptive",
            "store_formats.allowed=[]",
        ],
        progress=False,
    )
    assert (free.years["format_switches"] == 0).all()
    shared = [c for c in held.years.columns]
    assert free.years[shared].equals(held.years[shared])
    assert (held.years["stores_full"] == held.years["stores_open"]).all()


def test_formats_keep_the_books_balanced_and_count_the_open_stores():
    result = o2osim.run(
        CHINA,
        seed=4,
        overrides=["population.consumers=1500", "stores.decisions=adaptive"],
        progress=False,
        check_invariants=True,  # fees, refits and rent by format in the ledger
    )
    years = result.years
    formats_open = years[["stores_full", "stores_showroom", "stores_pick_up", "stores_service"]]
    assert (formats_open.sum(axis=1) == years["stores_open"]).all()
    assert years["format_switches"].sum() > 0


def test_stores_decide_is_refused_with_the_reference_engine():
    with pytest.raises(
        o2osim.ScenarioError, match=r"stores\.decisions.*fixed when engine is agents"
    ):
        o2osim.load_scenario(
            ROOT / "scenarios" / "baseline.yaml", ["engine=agents", "decisions=adaptive"]
        )


# ----------------------------------------------------------------------------- what follows

SEEDS = range(1, 6)


@cache
def _books(decisions: str, seed: int):
    scenario = o2osim.load_scenario(
        NO_SPONSORED, ["population.consumers=3000", f"stores.decisions={decisions}", f"seed={seed}"]
    )
    market = O2OMarket(scenario)
    market.run()
    return market.store_books


def test_stores_that_turn_into_service_points_outlive_themselves_left_full():
    """As prices converge (from 2013 on), some full stores turn into service points; the same
    stores in the run where stores keep their format (same seed, the same until the first
    change) are open at the end less often."""
    as_points = left_full = 0
    for seed in SEEDS:
        changed, held = _books("adaptive", seed), _books("fixed", seed)
        stores = np.flatnonzero(changed.format_tick >= 0)
        assert stores.size > 0
        assert (changed.format[stores] == 3).all()  # service points: nothing else pays
        assert changed.format_tick[stores].min() >= 52 * 9  # not before 2013
        kept, lived = int(changed.is_open[stores].sum()), int(held.is_open[stores].sum())
        assert kept >= lived, (seed, kept, lived)
        as_points, left_full = as_points + kept, left_full + lived
    assert as_points >= left_full + 10
