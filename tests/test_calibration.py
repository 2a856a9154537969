"""``o2osim calibrate``: recovering a known parameter, the files written, and bad input.

The recovery test fits adoption.q of a small baseline (5,000 consumers, 8 years) to the online
share simulated at q = 0.45 with the same seeds. It runs through the command line on 2 worker
processes: 5 candidates x 6 generations x 2 replicates = 60 runs of about 0.3 s. (At 2,000
consumers and 6 years the online share is too noisy to pin q down: a neighbour of q = 0.45 can
miss the targets by more than q = 0.6 does, so the test uses a larger city.)
"""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import BASELINE, ROOT

from o2osim import load_scenario
from o2osim.batch.calibration import Calibration, crn_seeds, fit_errors, load_spec
from o2osim.batch.runs import run_years
from o2osim.cli import main

SMALL = ["population.consumers=5000", "time.years=8"]
SEED = 11
TRUE_Q = 0.45
#: How close the fitted q must be. D grows to about 0.4 at q = 0.40 and 0.5 at q = 0.55 (the
#: online share's scaled squared distance over 8 years), against noise of a few hundredths.
TOLERANCE = 0.08


def spec_text(targets="targets.csv", parameters=None, **extra):
    spec = {
        "base": str(BASELINE),
        "overrides": SMALL,
        "parameters": parameters or {"adoption.q": {"low": 0.2, "high": 0.8}},
        "targets": targets,
        "replicates": 2,
        "seed": SEED,
        "maxiter": 5,
        "popsize": 5,
    } | extra
    return yaml.safe_dump(spec, sort_keys=False)


@pytest.fixture(scope="module")
def targets_csv(tmp_path_factory):
    """online_share by year at q = 0.45, mean of the calibration's own two seeds."""
    folder = tmp_path_factory.mktemp("targets")
    runs = [
        run_years(load_scenario(BASELINE, SMALL, seed=s, adoption__q=TRUE_Q))
        for s in crn_seeds(SEED, 2)
    ]
    mean = pd.concat(runs).groupby("year")["online_share"].mean()
    frame = pd.DataFrame({"year": mean.index, "metric": "online_share", "value": mean.values})
    path = folder / "targets.csv"
    path.write_text("# online share at adoption.q = 0.45\n" + frame.to_csv(index=False))
    return path


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory, targets_csv):
    cwd = tmp_path_factory.mktemp("cal")
    (cwd / "spec.yaml").write_text(spec_text(str(targets_csv)))
    return cwd / "fit", calibrate_cli(cwd)


def calibrate_cli(cwd, *extra: str) -> subprocess.CompletedProcess:
    """``o2osim calibrate spec.yaml --out fit`` on 2 workers in ``cwd``; it must succeed."""
    argv = [sys.executable, "-m", "o2osim", "calibrate", "spec.yaml", "--out", "fit"]
    done = subprocess.run(
        [*argv, "--workers", "2", "--quiet", *extra],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_calibration_recovers_the_imitation_rate(calibrated):
    out, done = calibrated
    record = json.loads((out / "calibration.json").read_text())
    assert abs(record["best"]["adoption.q"] - TRUE_Q) < TOLERANCE
    assert "best: adoption.q=" in done.stdout


def test_calibration_writes_its_five_files(calibrated):
    out, _ = calibrated
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["calibration.json", "calibrated.yaml", "calibration.png", "history.csv", "errors.csv"]
    )
    errors = pd.read_csv(out / "errors.csv")
    assert errors[["metric", "set", "first", "last", "n"]].values.tolist() == [
        ["online_share", "fitted", 2004, 2011, 8]
    ]
    record = json.loads((out / "calibration.json").read_text())
    history = pd.read_csv(out / "history.csv")
    # 5 candidates in the first generation and each of the 5 after it
    assert len(history) == len(record["evaluations"]) == 30
    assert list(history.columns) == ["evaluation", "generation", "adoption.q", "distance"]
    assert record["distance"] == pytest.approx(history["distance"].min())
    assert record["spec"]["seeds"] == crn_seeds(SEED, 2)
    assert record["spec"]["scales"]["online_share"] > 0
    assert record["optimizer"]["name"] == "scipy.optimize.differential_evolution"
    assert {"versions", "git_commit", "wall_seconds", "files"} <= set(record)
    assert (out / "calibration.png").read_bytes()[:4] == b"\x89PNG"


def test_calibrated_scenario_extends_the_base_with_the_fitted_value(calibrated):
    out, _ = calibrated
    text = (out / "calibrated.yaml").read_text()
    data = yaml.safe_load(text)
    assert (out / data["extends"]).resolve() == BASELINE
    fitted = json.loads((out / "calibration.json").read_text())["best"]["adoption.q"]
    scenario = load_scenario(out / "calibrated.yaml")
    assert scenario.adoption.q == fitted
    assert scenario.population.consumers == 5000 and scenario.time.years == 8
    assert main(["validate", str(out / "calibrated.yaml")]) == 0


def test_distance_is_the_scaled_squared_gap_of_the_replicate_mean(tmp_path, targets_csv):
    (tmp_path / "spec.yaml").write_text(spec_text(str(targets_csv)))
    spec = load_spec(tmp_path / "spec.yaml")
    targets = spec.targets
    years = targets["year"].to_numpy()
    run_a = pd.DataFrame({"year": years, "online_share": targets["value"] + 0.01})
    run_b = pd.DataFrame({"year": years, "online_share": targets["value"] + 0.03})
    scale = targets["value"].abs().mean()
    assert spec.distance([run_a, run_b]) == pytest.approx(len(years) * (0.02 / scale) ** 2)
    assert spec.distance([run_a.iloc[:-1], run_b.iloc[:-1]]) == np.inf  # a target not simulated


def test_calibrated_yaml_writes_lists_whole(tmp_path, targets_csv):
    """A fitted list item must survive ``extends``, which replaces lists whole."""
    (tmp_path / "spec.yaml").write_text(
        spec_text(str(targets_csv), {"platforms.1.commission": {"low": 0.01, "high": 0.2}})
    )
    spec = load_spec(tmp_path / "spec.yaml")
    runs = pd.DataFrame(
        {
            "replicate": 0,
            "seed": 1,
            "year": spec.targets["year"],
            "online_share": spec.targets["value"],
        }
    )
    result = Calibration(
        spec,
        {"platforms.1.commission": 0.123},
        0.5,
        pd.DataFrame(
            {
                "evaluation": [0],
                "generation": [0],
                "platforms.1.commission": [0.123],
                "distance": [0.5],
            }
        ),
        runs,
        {"started": "now"},
    )
    result.save(tmp_path / "out")
    scenario = load_scenario(tmp_path / "out" / "calibrated.yaml")
    assert scenario.platforms[1].commission == 0.123
    assert scenario.platforms[0].name == "Taobao" and len(scenario.platforms) == 2


# ----------------------------------------------------------------------------- held out


def test_fit_errors_by_set_are_the_gaps_of_the_replicate_mean():
    runs = pd.DataFrame({"year": [2004, 2005, 2004, 2005], "a": [1.0, 3.0, 3.0, 5.0]})
    targets = pd.DataFrame(
        {
            "year": [2004, 2005],
            "metric": ["a", "a"],
            "value": [1.0, 5.0],
            "set": ["fitted", "held_out"],
        }
    )
    errors = fit_errors(runs, targets, {"a": 3.0})
    # means 2 and 4: +1 in the fitted year, -1 in the held-out one
    assert errors.to_dict(orient="records") == [
        {
            "metric": "a",
            "set": "fitted",
            "first": 2004,
            "last": 2004,
            "n": 1,
            "bias": 1.0,
            "rmse": 1.0,
            "scaled_rmse": pytest.approx(1 / 3),
            "mape": 1.0,
        },
        {
            "metric": "a",
            "set": "held_out",
            "first": 2005,
            "last": 2005,
            "n": 1,
            "bias": -1.0,
            "rmse": 1.0,
            "scaled_rmse": pytest.approx(1 / 3),
            "mape": 0.2,
        },
    ]


def test_targets_after_fit_until_and_validation_series_stay_out_of_the_distance(
    tmp_path, targets_csv
):
    (tmp_path / "v.csv").write_text(
        "year,metric,value\n2005,stores_open,100\n2010,stores_open,90\n"
    )
    (tmp_path / "spec.yaml").write_text(
        spec_text(str(targets_csv), fit_until=2007, validation="v.csv")
    )
    spec = load_spec(tmp_path / "spec.yaml")
    assert spec.targets["year"].max() == 2007 and spec.held_out["year"].tolist() == [
        2008,
        2009,
        2010,
        2011,
    ]
    assert spec.not_fitted["metric"].tolist() == ["stores_open", "stores_open"]
    every = pd.read_csv(targets_csv, comment="#")
    exact = every.pivot(index="year", columns="metric", values="value").reset_index()
    off = exact.assign(online_share=np.where(exact["year"] > 2007, 0.99, exact["online_share"]))
    off["stores_open"] = 0.0
    assert spec.distance([off]) == 0.0  # later years and the validation series do not count
    assert spec.distance([off.assign(online_share=off["online_share"] + 0.01)]) > 0
    sets = spec.all_targets()["set"].value_counts().to_dict()
    assert sets == {"fitted": 4, "held_out": 4, "not_fitted": 2}


def test_a_calibration_with_years_held_out_reports_each_sets_errors(tmp_path, targets_csv):
    (tmp_path / "v.csv").write_text("year,metric,value\n2005,stores_open,100\n")
    spec = spec_text(str(targets_csv), fit_until=2008, validation="v.csv", maxiter=0, popsize=1)
    (tmp_path / "spec.yaml").write_text(spec)
    out = tmp_path / "fit"
    done = calibrate_cli(tmp_path, "--uncertainty", "2", "--bands", "3")
    assert "errors at the fit, by series and set:" in done.stdout
    errors = pd.read_csv(out / "errors.csv")
    assert errors[["metric", "set", "first", "last"]].values.tolist() == [
        ["online_share", "fitted", 2004, 2008],
        ["online_share", "held_out", 2009, 2011],
        ["stores_open", "not_fitted", 2005, 2005],
    ]
    record = json.loads((out / "calibration.json").read_text())
    assert record["spec"]["fit_until"] == 2008 and len(record["errors"]) == 3
    assert "uncertainty at the fit" in done.stdout
    assert pd.read_csv(out / "uncertainty.csv")["parameter"].tolist() == ["adoption.q"]
    assert {t["set"] for t in record["targets"]} == {"fitted", "held_out", "not_fitted"}
    bands = pd.read_csv(out / "bands.csv")
    assert {"online_share", "stores_open"} <= set(bands["series"])
    assert (bands["low"] <= bands["median"]).all() and (bands["median"] <= bands["high"]).all()
    assert len(pd.read_csv(out / "band_draws.csv")) == 3
    assert (out / "bands.png").read_bytes()[:4] == b"\x89PNG" and "bands:" in done.stdout


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"targets": "nowhere.csv"}, "targets: got 'nowhere.csv', expected an existing CSV file"),
        (
            {"parameters": {"adoption.qq": {"low": 0.1, "high": 0.9}}},
            "parameters.adoption.qq: got 'adoption.qq', expected the dotted path of a field",
        ),
        (
            {"parameters": {"dealers.count": {"low": 2, "high": 9}}},
            "parameters.dealers.count: got 8, expected a real-valued field",
        ),
        (
            {"parameters": {"adoption.q": {"low": 0.5, "high": 0.1}}},
            "parameters.adoption.q: got {'low': 0.5, 'high': 0.1}, expected low below high",
        ),
        (
            {"parameters": {"adoption.q": {"low": 0.1, "high": 99}}},
            "parameters.adoption.q: got 99.0, expected a value the scenario accepts",
        ),
        (
            {"parameters": {"population.consumers": {"low": 1, "high": 9}}},
            "expected a real-valued field",
        ),
        ({"replicates": 0}, "replicates: got 0, expected at least 1"),
        ({"fit_until": 2001}, "fit_until: got 2001, expected a year at or after the first"),
        ({"validation": "none.csv"}, "validation: got 'none.csv', expected an existing CSV"),
        ({"methd": "x"}, "methd: got 'methd', expected a known field; did you mean 'method'?"),
        (
            {"method": "nelder-mead"},
            "method: got 'nelder-mead', expected one of 'differential_evolution'",
        ),
    ],
)
def test_bad_spec_exits_2_with_one_line_and_writes_nothing(
    tmp_path, capsys, targets_csv, change, message
):
    change = {"targets": str(targets_csv)} | change
    (tmp_path / "spec.yaml").write_text(spec_text(**change))
    out = tmp_path / "out"
    assert main(["calibrate", str(tmp_path / "spec.yaml"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("o2osim: error: ") and err.count("\n") == 1, err
    assert message in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        (
            "year,metric\n2004,online_share\n",
            "expected columns year, metric, value (missing: value)",
        ),
        (
            "year,metric,value\n2004,online_shar,0.1\n",
            "row 1.metric: got 'online_shar', expected a column of the scenario's years.csv (did "
            "you mean 'online_share'?",
        ),
        (
            "year,metric,value\n2004,online_share,0.1\n2030,online_share,0.2\n",
            "row 2.year: got 2030, expected a simulated year, 2004 to 2011",
        ),
        ("year,metric,value\n2004,online_share,abc\n", "row 1.value: got 'abc', expected a finite"),
        (
            "year,metric,value\n2004,online_share,0.1\n2004,online_share,0.2\n",
            "expected each year and metric once",
        ),
        ("year,metric,value\n", "expected at least one target row"),
    ],
)
def test_bad_targets_exit_2_with_one_line(tmp_path, capsys, csv, message):
    (tmp_path / "t.csv").write_text(csv)
    (tmp_path / "spec.yaml").write_text(spec_text("t.csv"))
    out = tmp_path / "out"
    assert main(["calibrate", str(tmp_path / "spec.yaml"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not out.exists()


def test_parameter_also_set_by_override_is_refused(tmp_path, capsys, targets_csv):
    (tmp_path / "spec.yaml").write_text(spec_text(str(targets_csv)))
    out = tmp_path / "out"
    code = main(
        ["calibrate", str(tmp_path / "spec.yaml"), "--out", str(out), "--set", "adoption.q=0.3"]
    )
    assert code == 2
    assert "a parameter not also set by overrides or --set" in capsys.readouterr().err
    assert not out.exists()


def test_a_validation_series_also_fitted_is_refused(tmp_path, capsys, targets_csv):
    (tmp_path / "v.csv").write_text("year,metric,value\n2005,online_share,0.1\n")
    (tmp_path / "spec.yaml").write_text(spec_text(str(targets_csv), validation="v.csv"))
    out = tmp_path / "out"
    assert main(["calibrate", str(tmp_path / "spec.yaml"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "expected a series not also fitted (in targets)" in err, err
    assert not out.exists()


# ----------------------------------------------------------------------------- real series


def test_the_china_real_series_are_fitted_to_2015_and_never_fit_the_online_share():
    spec = load_spec(ROOT / "experiments" / "calibrate_china_real.yaml")
    fitted = set(spec.targets["metric"]) | set(spec.held_out["metric"])
    assert "online_share" not in fitted and set(spec.not_fitted["metric"]) == {"online_share"}
    assert spec.targets["year"].max() <= 2015 < spec.held_out["year"].min()
    assert "online_shoppers_per_working_age" in set(spec.targets["metric"])


def test_the_validation_report_splits_a_scenarios_errors_like_a_calibration(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "experiments" / "validation_report.py"),
            "--seeds",
            "1",
            "--consumers",
            "1000",
            "--workers",
            "1",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    errors = pd.read_csv(tmp_path / "errors.csv")
    shoppers = errors[errors["metric"] == "online_shoppers_per_working_age"]
    assert shoppers["set"].tolist() == ["fitted", "held_out"]
    assert errors[errors["set"] == "not_fitted"]["metric"].tolist() == ["online_share"]
    assert (tmp_path / "validation.png").read_bytes()[:4] == b"\x89PNG"
    assert "online_shoppers_per_working_age" in done.stdout


def test_bands_need_the_uncertainty_they_are_drawn_from(tmp_path, capsys, targets_csv):
    (tmp_path / "spec.yaml").write_text(spec_text(str(targets_csv)))
    out = tmp_path / "x"
    code = main(["calibrate", str(tmp_path / "spec.yaml"), "--bands", "5", "--out", str(out)])
    assert code != 0 and not out.exists()
    err = capsys.readouterr().err.strip()
    assert err.endswith("--bands: 5 needs --uncertainty R (the draws come from it)")
    assert len(err.splitlines()) == 1


def test_uncertainty_needs_two_runs_a_point(tmp_path, capsys, targets_csv):
    (tmp_path / "spec.yaml").write_text(spec_text(str(targets_csv)))
    with pytest.raises(SystemExit) as stop:
        main(["calibrate", str(tmp_path / "spec.yaml"), "--uncertainty", "1"])
    assert stop.value.code == 2
    assert "--uncertainty: got '1', expected a whole number from 2" in capsys.readouterr().err


@pytest.mark.parametrize(
    "path", sorted((ROOT / "experiments").glob("calibrate_*.yaml")), ids=lambda p: p.stem
)
def test_every_calibration_spec_in_experiments_loads(path):
    spec = load_spec(path)
    assert spec.names and not spec.targets.empty
