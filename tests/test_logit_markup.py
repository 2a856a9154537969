"""Markups from the consumers' logit choice (``pricing.markup_rule: logit``), and sellers who
pay for traffic out of what they earn.

Concept: a seller among many, facing logit demand of scale lambda, keeps a margin of lambda
over its unit cost; costs are passed on one for one. Under ``budget_rule: return`` sellers'
weekly traffic budget never exceeds last week's margin on the platform's sales.
"""

import numpy as np
import pytest
from conftest import ROOT

import o2osim
from o2osim import O2OMarket
from o2osim.mechanisms import pricing

ECONOMICS = ROOT / "scenarios" / "china_2004_2020.yaml"
SMALL = ["population.consumers=2000", "time.years=8", "pricing.markup_rule=logit"]


def test_the_logit_margin_is_one_choice_scale_over_the_unit_cost():
    np.testing.assert_allclose(pricing.logit_markup(np.array([100.0, 50.0]), 10.0), [0.1, 0.2])


def late_markups(seed: int, *overrides: str) -> tuple[float, float]:
    result = o2osim.run(ECONOMICS, seed=seed, overrides=[*SMALL, *overrides], progress=False)
    late = result.years[result.years["year"] >= 2008]
    return float(late["markup_store"].mean()), float(late["markup_online"].mean())


def test_a_wider_choice_scale_means_proportionally_wider_margins():
    for seed in (1, 2, 3):
        store, online = late_markups(seed, "consumers.choice_scale=10")
        store2, online2 = late_markups(seed, "consumers.choice_scale=20")
        assert online2 / online == pytest.approx(2.0, rel=0.25)
        assert 1.3 < store2 / store < 2.5  # stores at the online cap keep less


def test_stores_pass_their_costs_on():
    """Dearer rent and wages raise store prices under the logit rule, on paired seeds."""
    for seed in (1, 2):
        cheap = o2osim.run(ECONOMICS, seed=seed, overrides=SMALL, progress=False).years
        dear = o2osim.run(
            ECONOMICS, seed=seed, overrides=[*SMALL, "stores.rent_growth=0.2"], progress=False
        ).years
        late = cheap["year"] >= 2008
        assert (dear.loc[late, "price_store"] > cheap.loc[late, "price_store"]).mean() > 0.8


def test_sellers_never_spend_more_on_traffic_than_their_margin_on_a_week():
    # a week's GMV as the sellers estimate it: a running average (attention.cost_memory)
    model = O2OMarket(ECONOMICS, rng=3, population__consumers=1500, time__years=6)
    start = model.config.attention.start_budget
    for _ in range(6 * 52):
        caps = [
            max(start, p.seller_margin_share(model.basket_value) * p.weekly_gmv)
            for p in model.platforms
        ]
        model.step()
        for platform, cap in zip(model.platforms, caps, strict=True):
            if platform.launched and platform.ad_budget > 0:
                assert platform.seller_budget() <= cap * (1 + 1e-9) + 1e-6
