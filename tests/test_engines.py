"""The per-agent reference engine and the vectorized engine tell the same market.

Both run the same consumer decisions (adopt, need, choose) on the same scenario and seeds; the
key yearly indicators must agree within sampling error.
"""

import numpy as np
import pytest
from conftest import ROOT

import o2osim
from o2osim.agents import Consumer

CHINA = ROOT / "scenarios" / "china_2004_2020.yaml"
# the reference engine has list prices and no service value: both engines run without them
SMALL = [
    "population.consumers=1500",
    "time.years=12",
    "pricing.sellers_set_prices=false",
    "consumers.service_needs=[]",
]
SEEDS = (1, 2, 3, 4)
METRICS = [
    "online_share",
    "online_users",
    "mobile_users",
    "traffic_cost",
    "cost_per_new_customer",
    "annual_churn_online",
    "online_conversion_rate",
    "offline_conversion_rate",
    "stores_open",
    "mean_trust_online",
]


@pytest.fixture(scope="module")
def finals():
    out = {}
    for engine in ("vectorized", "agents"):
        rows = []
        for seed in SEEDS:
            years = o2osim.run(
                CHINA, seed=seed, overrides=[*SMALL, f"engine={engine}"], progress=False
            ).years
            rows.append(years.iloc[-3:][METRICS].mean())  # the last three years
        out[engine] = np.array([[r[m] for m in METRICS] for r in rows])
    return out


@pytest.mark.parametrize("metric", METRICS)
def test_engines_agree_within_sampling_error(finals, metric):
    j = METRICS.index(metric)
    fast, slow = finals["vectorized"][:, j], finals["agents"][:, j]
    spread = np.sqrt(fast.var(ddof=1) / fast.size + slow.var(ddof=1) / slow.size)
    gap = abs(fast.mean() - slow.mean())
    # within four standard errors, or 5% of the level for quantities with little noise
    assert gap <= max(4 * spread, 0.05 * abs(fast.mean())), (metric, fast, slow)


def test_agents_engine_steps_every_consumer_view():
    result = o2osim.run(
        CHINA,
        seed=1,
        progress=False,
        overrides=[
            *SMALL,
            "population.consumers=300",
            "engine=agents",
            "population.agent_views=lazy",
        ],
    )
    model = result.model
    views = model.agents_by_type[Consumer]
    assert len(views) == model.population.count  # the engine built the views it steps
    assert model.population.orders.sum() > 0
