"""Store quality: a store purchase can disappoint, and trust in stores learns from it.

Concept: a purchase at store ``j`` satisfies with the store's quality ``q_j``; a disappointed
buyer's trust in stores moves toward 0. With every store perfect (the default) nothing is
drawn and trust in stores only rises with purchases.
"""

import numpy as np
import pytest
from conftest import BASELINE, SMALL

import o2osim
from o2osim.mechanisms import trust

SEEDS = (1, 2, 3)


def run(*overrides: str, seed: int) -> o2osim.Result:
    return o2osim.run(
        BASELINE,
        seed=seed,
        overrides=[*SMALL, "population.consumers=1500", "time.years=6", *overrides],
        progress=False,
    )


def test_perfect_stores_draw_nothing_and_always_satisfy():
    rng = np.random.default_rng(0)
    before = rng.bit_generator.state
    assert trust.store_outcomes(np.ones(50), rng) == 1.0
    assert trust.draw_store_quality(1.0, 0.0, rng) == 1.0
    assert rng.bit_generator.state == before


def test_a_store_satisfies_with_its_quality():
    rng = np.random.default_rng(1)
    quality = np.repeat([0.0, 0.3, 1.0], 100_000)
    outcome = trust.store_outcomes(quality, rng)
    means = outcome.reshape(3, -1).mean(axis=1)
    np.testing.assert_allclose(means, [0.0, 0.3, 1.0], atol=0.005)


def test_store_qualities_spread_around_their_mean_within_bounds():
    result = run("stores.count=400", "stores.quality_mean=0.7", "stores.quality_spread=0.2", seed=1)
    quality = np.array([s.quality for s in result.model.stores])
    assert quality.min() >= 0 and quality.max() <= 1
    assert quality.mean() == pytest.approx(0.7, abs=0.03)
    assert quality.std() == pytest.approx(0.2, abs=0.03)


def test_disappointing_stores_lose_trust_and_sales_to_platforms():
    trust_gap, share_gap = [], []
    for seed in SEEDS:
        perfect = run(seed=seed).years.iloc[-1]
        poor = run("stores.quality_mean=0.5", seed=seed).years.iloc[-1]
        trust_gap.append(perfect["mean_trust_offline"] - poor["mean_trust_offline"])
        share_gap.append(poor["online_share"] - perfect["online_share"])
    assert min(trust_gap) > 0.1, trust_gap  # trust in stores falls well below the perfect case
    assert np.median(share_gap) > 0 and sum(g > 0 for g in share_gap) >= 2, share_gap
