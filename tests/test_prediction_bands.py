"""Prediction bands: what a fitted scenario predicts, with what the data leave open.

Each draw takes the fitted parameters from the normal approximation of their estimate and
runs once on its own seed. Concept: the band holds the model's own noise and the parameters'
uncertainty, so with the same draws' seeds a fit whose imitation rate is uncertain gives a
wider band of the online share than a fit that pins it down, and a band always holds its
median.
"""

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import BASELINE

from o2osim import load_scenario, plots
from o2osim.batch.calibration import load_spec
from o2osim.batch.uncertainty import Uncertainty, prediction_bands

SMALL = ["population.consumers=3000", "time.years=8"]


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bands")
    pd.DataFrame({"year": [2010], "metric": ["online_share"], "value": [0.1]}).to_csv(
        folder / "t.csv", index=False
    )
    text = {
        "base": str(BASELINE),
        "overrides": SMALL,
        "parameters": {"adoption.q": {"low": 0.05, "high": 1.5}},
        "targets": "t.csv",
        "seed": 5,
    }
    (folder / "spec.yaml").write_text(yaml.safe_dump(text))
    return load_spec(folder / "spec.yaml")


def fit(variance: float) -> Uncertainty:
    """A fit of adoption's q at 0.45 with the given variance of its estimate."""
    names = ["adoption.q"]
    return Uncertainty(
        best={"adoption.q": 0.45},
        jacobian=pd.DataFrame(),
        covariance=pd.DataFrame([[variance]], index=names, columns=names),
        table=pd.DataFrame(),
        singular_values=[],
        trade_offs=[],
        replicates=2,
        step=0.05,
    )


def width(bands: pd.DataFrame, series: str) -> float:
    rows = bands[bands["series"] == series]
    return float((rows["high"] - rows["low"]).mean())


def test_an_uncertain_imitation_rate_widens_the_online_share_band(spec):
    pinned = prediction_bands(spec, fit(0.0), draws=6, workers=1, progress=False)
    loose = prediction_bands(spec, fit(0.3**2), draws=6, workers=1, progress=False)
    assert (pinned.draws["adoption.q"] == 0.45).all()  # no uncertainty: the fit itself
    assert loose.draws["adoption.q"].between(0.05, 1.5).all()  # kept in the search range
    assert loose.draws["adoption.q"].std() > 0.1
    assert pinned.draws["seed"].tolist() == loose.draws["seed"].tolist()  # same noise
    assert width(loose.bands, "online_share") > 1.5 * width(pinned.bands, "online_share")
    assert width(pinned.bands, "online_share") > 0  # the model's own noise remains


def test_bands_cover_the_dashboard_and_hold_their_median(spec, tmp_path):
    found = prediction_bands(spec, fit(0.1**2), draws=4, level=0.8, workers=1, progress=False)
    bands = found.bands
    expected = {c for c in plots.dashboard_columns() if c in found.median}
    assert set(bands["series"]) == expected and "online_share" in expected
    assert (bands["low"] <= bands["median"]).all() and (bands["median"] <= bands["high"]).all()
    assert sorted(bands["year"].unique()) == list(range(2004, 2012))
    median = found.median.set_index("year")["online_share"]
    rows = bands[bands["series"] == "online_share"].set_index("year")["median"]
    assert np.allclose(median, rows)
    out = found.save(tmp_path, "bands")
    assert (out / "bands.png").read_bytes()[:4] == b"\x89PNG"
    assert pd.read_csv(out / "bands.csv").shape == bands.shape
    assert not list(out.glob(".*partial*"))


@pytest.mark.parametrize(("draws", "level"), [(1, 0.9), (5, 1.0), (5, 0.0)])
def test_bands_need_two_draws_and_a_level_inside_0_1(spec, draws, level):
    with pytest.raises(ValueError, match="draws"):
        prediction_bands(spec, fit(0.0), draws=draws, level=level, progress=False)


def test_the_draws_run_in_another_scenario_that_shares_the_fitted_parameters(spec):
    # e.g. the US file that extends the calibrated China one: the fit's uncertainty elsewhere
    elsewhere = load_scenario(BASELINE, [*SMALL, "time.years=3", "time.start_year=2010"])
    found = prediction_bands(
        spec, fit(0.1**2), draws=2, workers=1, scenario=elsewhere, progress=False
    )
    assert sorted(found.bands["year"].unique()) == [2010, 2011, 2012]
