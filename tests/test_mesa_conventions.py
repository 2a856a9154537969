"""A Mesa user's habits work on O2OMarket itself: construction, datacollector, running, batch_run.

Each test states a Mesa convention and checks it on a small market, on whichever Mesa the
Python resolves (3.3 on Python 3.11, 3.5 on 3.12+).
"""

import warnings

import mesa
import numpy as np
import pandas as pd
import pytest
from conftest import BASELINE, SMALL

from o2osim import O2OMarket, load_scenario
from o2osim.errors import ScenarioError
from o2osim.metrics import MODEL_REPORTERS

TINY = {"population__consumers": 300, "time__years": 5}


def test_no_arguments_build_the_baseline_scenario():
    model = O2OMarket()
    assert model.config == load_scenario(BASELINE)
    assert model.steps == 0 and model.running


def test_path_seed_and_field_overrides_as_keywords():
    model = O2OMarket(str(BASELINE), rng=7, population__consumers=500, stores__rent_growth=0.1)
    assert model.config.seed == 7
    assert model.config.population.consumers == 500
    assert model.config.stores.rent_growth == 0.1
    assert model.population.count == 500


def test_a_scenario_object_and_a_seed_reproduce_the_same_market():
    scenario = load_scenario(BASELINE, SMALL)
    a = O2OMarket(scenario, rng=3)
    b = O2OMarket(BASELINE, rng=3, **{"population__consumers": 3000, "time__years": 5})
    a.run(30)
    b.run(30)
    pd.testing.assert_frame_equal(a.recorder.frame(), b.recorder.frame())


def test_a_bad_keyword_override_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="population.consumer"):
        O2OMarket(population__consumer=10)


def test_datacollector_holds_the_model_indicators_after_every_week():
    model = O2OMarket(BASELINE, rng=1, **TINY)
    for _ in range(60):
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 61  # the initial state and one row a week
    assert set(MODEL_REPORTERS) <= set(frame.columns)
    last = frame.iloc[-1]
    assert last["stores_open"] == model.store_open.sum()
    assert 0 < last["online_share"] < 1
    assert 0 < last["online_conversion"] < 1
    assert last["traffic_cost"] == model.annual[0]["traffic_cost"] > 0  # the closed year's
    assert np.isnan(frame["traffic_cost"].iloc[51])  # before the first year closes
    assert last["cost_per_new_customer"] > 0
    assert last["mean_trust_offline"] == model.recorder.last("mean_trust_offline")


def test_running_turns_false_at_the_end_of_the_horizon():
    model = O2OMarket(BASELINE, rng=1, **TINY)
    while model.running:
        model.step()
    assert model.recorder.count == model.config.ticks == 5 * 52
    model.step()  # a step past the horizon does nothing
    assert model.recorder.count == model.config.ticks


@pytest.mark.skipif(not hasattr(mesa.Model, "run_for"), reason="Model.run_for is Mesa 3.5+")
def test_run_for_steps_weeks():
    model = O2OMarket(BASELINE, rng=1, **TINY)
    model.run_for(10)
    assert model.recorder.count == 10
    assert model.week == 10


def batch_run_without_warnings(batch_run=mesa.batch_run):
    # seeds as a swept field ("seed", the scenario's), not `iterations`: Mesa 3.5 deprecates
    # `iterations` for `rng=[...]`, which Mesa 3.3 lacks; this form runs on both, warning-free
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return batch_run(
            O2OMarket,
            parameters={
                "population__consumers": 300,
                "time__years": 5,
                "stores__rent_growth": [0.0, 1.0],
                "seed": [1, 2],
            },
            max_steps=104,
            number_processes=1,
            display_progress=False,
        )


def test_batch_run_returns_the_indicators_for_each_parameter_and_seed():
    rows = batch_run_without_warnings()
    frame = pd.DataFrame(rows)
    assert len(frame) == 4
    assert {"online_share", "traffic_cost", "stores_open", "online_conversion"} <= set(frame)
    assert sorted(frame["stores__rent_growth"]) == [0.0, 0.0, 1.0, 1.0]
    assert sorted(frame["seed"]) == [1, 1, 2, 2]
    # each seed is its own run: the same rent, another market
    assert frame.groupby("stores__rent_growth")["online_share"].nunique().min() == 2
    assert np.isfinite(frame["online_share"]).all()
    # dearer rent closes stores: fewer open after two years of rent doubling, on each seed
    open_ = frame.pivot(index="seed", columns="stores__rent_growth", values="stores_open")
    assert (open_[1.0] < open_[0.0]).all(), open_
