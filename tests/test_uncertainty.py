"""How well a calibration pins its parameters down: the delta method on a numerical Jacobian.

The sandwich is checked on hand-made matrices; on the baseline city, the imitation rate of
adoption is pinned down by the online share it moves, and a parameter that cannot move the
online share (the dealers' stock holding cost, with no stock) is not.
"""

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import BASELINE

from o2osim import load_scenario
from o2osim.batch.calibration import crn_seeds, load_spec
from o2osim.batch.runs import run_years
from o2osim.batch.uncertainty import sandwich, uncertainty, verdict

SMALL = ["population.consumers=5000", "time.years=8"]


def test_the_sandwich_maps_target_noise_through_the_jacobian():
    targets = np.diag([0.01, 0.04])
    # J = I: each parameter moves one moment one for one; its variance is its moment's
    assert np.allclose(sandwich(np.eye(2), np.zeros((2, 2)), targets, 1), targets)
    # a moment twice as sensitive to the first parameter halves its standard error
    v = sandwich(np.diag([2.0, 1.0]), np.zeros((2, 2)), targets, 1)
    assert np.allclose(v, np.diag([0.0025, 0.04]))
    # the model's own noise counts once per replicate averaged
    assert np.allclose(sandwich(np.eye(2), 4 * np.eye(2), np.zeros((2, 2)), 4), np.eye(2))


@pytest.mark.parametrize(
    ("share", "norm", "signal", "expected"),
    [
        (0.1, 1.0, 5.0, "pinned down"),
        (0.5, 1.0, 5.0, "loosely pinned"),
        (2.0, 1.0, 5.0, "not pinned down"),
        (0.1, 0.0, np.nan, "not pinned down"),  # moves no target
        (np.nan, 1.0, 5.0, "not pinned down"),
        (0.1, 1.0, 1.5, "within noise"),  # a narrow interval from a Jacobian of noise
        (0.1, 1.0, np.nan, "within noise"),
    ],
)
def test_verdicts(share, norm, signal, expected):
    assert verdict(share, norm, signal) == expected


def test_adoption_is_pinned_down_by_the_online_share_and_a_stock_cost_is_not(tmp_path):
    seeds = crn_seeds(11, 2)
    runs = [run_years(load_scenario(BASELINE, SMALL, seed=s, adoption__q=0.45)) for s in seeds]
    mean = pd.concat(runs).groupby("year")["online_share"].mean()
    targets = pd.DataFrame({"year": mean.index, "metric": "online_share", "value": mean.values})
    targets["sd"] = 0.001  # a tenth of a point of online share
    targets.to_csv(tmp_path / "t.csv", index=False)
    spec = {
        "base": str(BASELINE),
        "overrides": SMALL,
        "parameters": {
            "adoption.q": {"low": 0.2, "high": 0.8},
            "dealers.holding_cost": {"low": 0.1, "high": 0.5},
        },
        "targets": "t.csv",
        "replicates": 2,
        "seed": 11,
    }
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec))
    found = uncertainty(
        load_spec(tmp_path / "spec.yaml"),
        {"adoption.q": 0.45, "dealers.holding_cost": 0.25},
        replicates=2,
        workers=2,
        progress=False,
    )
    table = found.table.set_index("parameter")
    assert table.loc["adoption.q", "verdict"] == "pinned down", table
    assert table.loc["adoption.q", "low"] < 0.45 < table.loc["adoption.q", "high"]
    assert table.loc["dealers.holding_cost", "verdict"] == "not pinned down", table
    assert (found.jacobian["dealers.holding_cost"] == 0).all()  # no stock: nothing moves
    assert found.jacobian["adoption.q"].gt(0).sum() >= 6  # more imitation, more online
    out = found.save(tmp_path / "out")
    assert pd.read_csv(out / "uncertainty.csv")["parameter"].tolist() == [
        "adoption.q",
        "dealers.holding_cost",
    ]
