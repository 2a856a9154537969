"""The China 2004-2020 story emerges from the economics, and each cause, switched off, weakens it.

Runs the calibrated scenario at its own population (10,000 consumers for two million people)
over several seeds and checks the data's bands (o2osim.batch.facts) on the years' medians and
the story's other facts (o2osim.story) in the median, as docs/calibration.md states them.
Bands the model does not reach yet are strict expected failures with their measured reason,
so they fail the day the model reaches them.
"""

from functools import cache

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

import o2osim
from o2osim import story
from o2osim.batch.facts import FACTS

CHINA = ROOT / "scenarios" / "china_2004_2020.yaml"
SEEDS = (1, 2, 3, 4, 5)
PAIRED = SEEDS


@cache
def china(*overrides, seed):
    """One run at the scenario's own population; a variant two checks share runs once."""
    return o2osim.run(CHINA, seed=seed, overrides=list(overrides), progress=False)


@pytest.fixture(scope="module")
def runs():
    return {seed: china(seed=seed) for seed in SEEDS}


@pytest.mark.parametrize("fact", story.FACTS, ids=[f.name for f in story.FACTS])
def test_baseline_fact(runs, fact):
    values = [fact.measure(r.years.set_index("year"), r.ticks) for r in runs.values()]
    assert fact.holds(float(np.median(values))), (fact.target, values)


#: Bands the economics do not reach yet, with what seeds 1-5 at 10,000 consumers measured.
MISSED: dict[str, str] = {}


def band(fact):
    if fact.name in MISSED:
        return pytest.param(fact, marks=pytest.mark.xfail(strict=True, reason=MISSED[fact.name]))
    return fact


@pytest.mark.parametrize("fact", [band(f) for f in FACTS], ids=[f.name for f in FACTS])
def test_baseline_lands_in_the_data_band(runs, fact):
    years = pd.concat([r.years.set_index("year") for r in runs.values()]).groupby(level=0).median()
    value = fact.value(years)
    assert fact.holds(value), (fact.target, value)


def last(column):
    return lambda r: float(r.years[column].iloc[-1])


def late_mean(column):
    # a single year's traffic cost per net new buyer jumps when buyers hardly grow
    return lambda r: float(r.years.set_index("year").loc[2016:2020, column].mean())


def total(column):
    return lambda r: float(r.years[column].sum())


NO_COUNTERFEITS = [
    f"platforms.{i}.{f}=0" for i in range(3) for f in ("counterfeit_rate", "fake_entry")
]
NO_PROTECTION = [
    f"platforms.{i}.{f}" for i in range(3) for f in ("escrow=false", "return_window_days=0")
]

# (the cause switched off, overrides, outcome, expected sign of (counterfactual - baseline))
COUNTERFACTUALS = [
    (
        "no demographic turning point: a customer won costs less in 2016-2020",
        ["demography.turning_point_year=null"],
        late_mean("cost_per_new_customer"),
        -1,
    ),
    # cheaper traffic per net new buyer without it: tests/test_stage3_chain.py (an expected
    # failure at this calibration, with what was measured)
    (
        # not fewer closures: stores that pay less open more often, and more of them also close
        "no rent and wage growth: more stores open in 2020",
        ["stores.rent_growth=0", "stores.wage_growth=0"],
        last("stores_open"),
        +1,
    ),
    ("no counterfeits: more online trust", NO_COUNTERFEITS, last("mean_trust_online"), +1),
    ("no counterfeits: more online share", NO_COUNTERFEITS, last("online_share"), +1),
    ("no escrow and no returns: less online share", NO_PROTECTION, last("online_share"), -1),
    (
        "no mobile stage: fewer customers won by word of mouth",
        ["stages.mobile_year=null"],
        total("wom_customers"),
        -1,
    ),
    (
        "no mobile stage: online conversion stays higher",
        ["stages.mobile_year=null"],
        last("online_conversion_rate"),
        +1,
    ),
]


@pytest.mark.parametrize(
    ("overrides", "outcome", "sign"),
    [c[1:] for c in COUNTERFACTUALS],
    ids=[c[0] for c in COUNTERFACTUALS],
)
def test_switching_a_cause_off_weakens_its_dynamic(runs, overrides, outcome, sign):
    # common random numbers: the same seeds with and without the cause
    diffs = [outcome(china(*overrides, seed=s)) - outcome(runs[s]) for s in PAIRED]
    assert np.median(diffs) * sign > 0, diffs
    assert sum(np.sign(d) == sign for d in diffs) >= 3, diffs


def test_full_population_run_shows_the_story_on_the_dashboard(tmp_path):
    result = o2osim.run(CHINA, progress=False, overrides=["population.consumers=10000"])
    for column in [
        "traffic_cost",
        "online_conversion_rate",
        "offline_conversion_rate",
        "annual_churn_online",
        "annual_churn_offline",
        "working_age_population",
        "new_consumers",
        "online_users",
        "mobile_users",
        "online_visits",
        "store_openings",
        "dealers_active",
        "counterfeit_incidents",
        "traffic_cost_Taobao",
        "traffic_cost_JD",
        "traffic_cost_Pinduoduo",
        "cost_per_new_customer",
        "cost_per_new_customer_Taobao",
    ]:
        assert column in result.years, column
    # with fixed sessions no order is traced to a paid click: its conversion is undefined (NaN)
    assert result.years.drop(columns="online_conversion_paid").notna().all().all()
    out = result.save(tmp_path / "china")
    assert (out / "dashboard.png").stat().st_size > 50_000
