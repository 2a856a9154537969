"""Brands that switch their conduct: channel strategy, membership, fan programme (issue 16).

The concept: a deciding brand with a list of options tries the next one for a year, keeps it
if its profit per yuan consumers paid reached its aspiration, and takes it back otherwise.
On the brand-in-every-channel city (``brand_channels.yaml``), where selling everywhere beats
every split and an integrated membership pays (docs/strategies.md), a brand finds that out
from its own books. With ``decisions: fixed`` the lists change nothing.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

import o2osim
from o2osim.errors import ScenarioError

CHANNELS = ROOT / "scenarios" / "brand_channels.yaml"
SEEDS = (1, 2, 3)
SMALL = ("population.consumers=3000",)
DECIDES = "brands.0.decisions=adaptive"


@cache
def years(*overrides: str, seed: int = 1) -> pd.DataFrame:
    result = o2osim.run(CHANNELS, seed=seed, overrides=[*SMALL, *overrides], progress=False)
    return result.years.set_index("year")


def profit(y: pd.DataFrame) -> float:
    return float((y["brand_profit_online_Acme"] + y["brand_profit_offline_Acme"]).sum())


def test_a_brand_held_to_a_losing_split_switches_back_and_earns_more():
    # customer_split (large accounts only through dealers and stores) costs Acme most of its
    # profit; allowed to switch, it goes back to selling everywhere after its first year
    split = (
        "brands.0.channel_strategy=customer_split",
        "brands.0.strategies=[customer_split,none]",
    )
    for seed in SEEDS:
        held = years(*split, "decisions=fixed", seed=seed)
        free = years(*split, DECIDES, seed=seed)
        code = free["channel_strategy_Acme"]  # 2: customer_split, 0: none
        assert code.iloc[0] == 2 and (code.iloc[1:] == 0).all(), (seed, code.tolist())
        assert "channel_strategy_Acme" not in held.columns
        assert profit(free) > 1.5 * profit(held), seed


def test_a_brand_that_tries_a_split_which_pays_less_takes_it_back_for_good():
    for seed in SEEDS:
        y = years(DECIDES, "brands.0.strategies=[none,customer_split]", seed=seed)
        code = y["channel_strategy_Acme"]
        # tried in the second year, taken back, and never tried again (it rests at none)
        assert code.tolist() == [0, 2] + [0] * (len(code) - 2), (seed, code.tolist())


def test_a_brand_that_tries_an_integrated_membership_keeps_it_and_earns_more():
    for seed in SEEDS:
        fixed = years("decisions=fixed", "brands.0.memberships=[none,integrated]", seed=seed)
        free = years(DECIDES, "brands.0.memberships=[none,integrated]", seed=seed)
        code = free["membership_Acme"]  # 2: integrated
        assert code.iloc[0] == 0 and (code.iloc[1:] == 2).all(), (seed, code.tolist())
        assert profit(free) > profit(fixed), seed
        assert free["brand_members_Acme"].iloc[-1] > 0 == fixed["brand_members_Acme"].iloc[-1]


def test_with_decisions_fixed_the_lists_change_nothing():
    plain = years("decisions=fixed")
    listed = years(
        "decisions=fixed",
        "brands.0.strategies=[none,brand_split]",
        "brands.0.fan_programmes=[false,true]",
    )
    # the lists add the columns of what the brand might use, all at rest
    assert listed["brand_awareness_Acme"].eq(listed["brand_awareness_Acme"].iloc[0]).all()
    assert (listed["brand_fans_Acme"] == 0).all()
    pd.testing.assert_frame_equal(plain, listed[plain.columns])


def test_a_fan_programme_switched_on_moves_buyers_up_the_links():
    y = years(DECIDES, "brands.0.fan_programmes=[false,true]")
    code = y["fan_programme_Acme"]
    assert code.iloc[0] == 0 and code.iloc[1] == 1
    on = np.flatnonzero(code.to_numpy() == 1)
    assert y["brand_fans_Acme"].iloc[: on[0]].eq(0).all()  # none before it ran
    assert (y["brand_fans_Acme"].iloc[on] > 0).all()


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        (
            ["brands.0.strategies=[customer_split,brand_split]"],
            "brands.0.strategies",
            "include its channel_strategy (none)",
        ),
        (["brands.0.memberships=[none,none]"], "brands.0.memberships", "distinct options"),
        (
            ["engine=agents", "brands.0.strategies=[none,brand_split]"],
            "brands.0.strategies",
            "",
        ),
    ],
)
def test_a_list_that_does_not_hold_the_brands_setting_is_refused(overrides, field, expected):
    with pytest.raises(ScenarioError) as err:
        o2osim.load_scenario(
            ROOT / "scenarios" / "baseline.yaml", ["brands=[{name: Acme}]", *overrides]
        )
    assert field in str(err.value) and expected in str(err.value)
