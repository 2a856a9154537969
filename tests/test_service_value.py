"""Service value: what a store adds over buying unseen online differs by need.

Concept: each shopper's need this week is of a kind (touch, immediate, install, or plain) drawn
from ``consumers.service_needs``; store ``j`` adds ``q_j * value[kind]`` to its utility, online
adds nothing (unless a brand routes the order to pick-up at a store, for the kinds served at
pick-up). Without service needs nothing is drawn and choice is as before.
"""

import numpy as np
import pytest
from conftest import BASELINE, ROOT

import o2osim
from o2osim.errors import ScenarioError
from o2osim.mechanisms import needs, pricing
from o2osim.scenario import load_scenario

SEEDS = (1, 2, 3)
NEEDS = (
    "consumers.service_needs=[{name: touch, share: 0.3, value: 15}, "
    "{name: immediate, share: 0.2, value: 10}, {name: install, share: 0.1, value: 40}]"
)
#: a few years with many online shoppers, so stores and platforms both sell
MARKET = ["population.consumers=2500", "time.years=3", "adoption.initial_adopters=0.6"]


def run(*overrides: str, seed: int, scenario=BASELINE) -> o2osim.Result:
    return o2osim.run(scenario, seed=seed, overrides=[*MARKET, *overrides], progress=False)


def install_needs(value: float) -> str:
    return f"consumers.service_needs=[{{name: install, share: 0.3, value: {value}}}]"


def test_need_kinds_follow_their_shares_with_one_draw_per_shopper():
    rng = np.random.default_rng(0)
    kind = needs.draw_service_kinds(200_000, np.array([0.3, 0.2, 0.1]), rng)
    shares = np.bincount(kind, minlength=4) / kind.size
    np.testing.assert_allclose(shares, [0.3, 0.2, 0.1, 0.4], atol=0.005)
    again = np.random.default_rng(0)
    again.random(200_000)
    assert rng.bit_generator.state == again.bit_generator.state


def test_the_store_price_cap_adds_the_service_value():
    assert pricing.price_cap(np.array([100.0, 80.0]), 0.25, 12.0) == pytest.approx(112.0)
    assert pricing.price_cap(np.array([100.0, 80.0]), 0.0, 12.0) == pytest.approx(92.0)
    assert pricing.price_cap(np.array([]), 0.25, 12.0) == np.inf


@pytest.mark.parametrize(
    ("needs_yaml", "engine", "message"),
    [
        (
            "[{name: touch, share: 0.6, value: 15}, {name: install, share: 0.5, value: 40}]",
            "vectorized",
            "consumers.service_needs.share: got 1.1, expected shares summing to at most 1",
        ),
        (
            "[{name: plain, share: 0.1, value: 15}]",
            "vectorized",
            "consumers.service_needs.0.name: got 'plain'",
        ),
        (
            "[{name: touch, share: 0.1, value: 15}, {name: touch, share: 0.1, value: 5}]",
            "vectorized",
            "consumers.service_needs.1.name: got 'touch'",
        ),
        ("[{name: touch, share: 0.1, value: -1}]", "vectorized", "service_needs.0.value"),
        (
            "[{name: touch, share: 0.1, value: 15}]",
            "agents",
            "expected [] when engine is agents (the reference engine has no service value)",
        ),
    ],
)
def test_bad_service_needs_are_refused_in_one_line(needs_yaml, engine, message):
    with pytest.raises(ScenarioError) as err:
        load_scenario(BASELINE, [f"consumers.service_needs={needs_yaml}", f"engine={engine}"])
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_stores_keep_the_needs_they_serve_better():
    for seed in SEEDS:
        years = run(NEEDS, seed=seed).years
        share = years[[f"store_share_{k}" for k in ("plain", "touch", "immediate", "install")]]
        total = share.mean()
        # the more a store adds, the more of the need's purchases stay in stores
        assert total["store_share_install"] > total["store_share_touch"] + 0.01, (seed, total)
        assert total["store_share_touch"] > total["store_share_plain"] + 0.03, (seed, total)
        assert total["store_share_immediate"] > total["store_share_plain"] + 0.02, (seed, total)


def test_a_higher_install_value_keeps_more_purchases_in_stores():
    gain = []
    for seed in SEEDS:
        low = run(install_needs(5), seed=seed).years
        high = run(install_needs(60), seed=seed).years
        gain.append(low["online_share"].mean() - high["online_share"].mean())
        assert high["store_share_install"].mean() > low["store_share_install"].mean() + 0.03
    assert min(gain) > 0.005, gain


def test_switching_it_off_removes_the_difference():
    for seed in SEEDS:
        off = run("consumers.service_needs=[]", seed=seed)
        assert not any(c.startswith("store_share_") for c in off.years.columns)
        # a value of 0 draws the kinds but adds nothing: plain and install alike
        zero = run(install_needs(0), seed=seed).years
        gap = zero["store_share_install"].mean() - zero["store_share_plain"].mean()
        assert abs(gap) < 0.02, (seed, gap)
        on = run(install_needs(40), seed=seed).years
        gap_on = on["store_share_install"].mean() - on["store_share_plain"].mean()
        assert gap_on > 0.04, (seed, gap_on)


def test_with_converging_prices_stores_keep_the_service_needs():
    for seed in SEEDS:
        years = run(NEEDS, "pricing.sellers_set_prices=true", seed=seed).years
        # sellers' prices converge: the online discount narrows over the years
        assert years["price_gap"].iloc[-1] > years["price_gap"].iloc[0] + 0.02, seed
        last = years.iloc[-1]
        assert last["store_share_install"] > last["store_share_plain"] + 0.02, (seed, last)
        assert last["store_share_touch"] > last["store_share_plain"] + 0.01, (seed, last)


def test_the_service_value_raises_the_store_price_cap():
    caps = []
    for seed in SEEDS:
        plain = run("pricing.sellers_set_prices=true", seed=seed).model.network.price_cap
        served = run(NEEDS, "pricing.sellers_set_prices=true", seed=seed).model.network.price_cap
        caps.append(served - plain)
    assert min(caps) > 0, caps


def test_pick_up_gains_the_service_value_of_the_needs_served_at_the_counter():
    scenario = ROOT / "scenarios" / "channel_transaction_link_split.yaml"
    touch = "consumers.service_needs=[{{name: touch, share: 0.5, value: 40, at_pick_up: {}}}]"
    moved = []
    for seed in SEEDS:
        store_only = run(touch.format("false"), seed=seed, scenario=scenario).years
        pick_up = run(touch.format("true"), seed=seed, scenario=scenario).years
        touch_moved = store_only["store_share_touch"].mean() - pick_up["store_share_touch"].mean()
        plain_moved = store_only["store_share_plain"].mean() - pick_up["store_share_plain"].mean()
        # touch needs go online to the pick-up counter; plain needs gain nothing there
        moved.append(touch_moved - plain_moved)
    assert min(moved) > 0.01, moved
