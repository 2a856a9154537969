"""The headline facts (o2osim.batch.facts) and their Sobol indices with ``o2osim sensitivity``.

The measures are checked on a year table made by hand, where each value is known; the analysis
on a sweep directory made by hand whose fact is set by one parameter alone (its first-order
index is 1); and the whole path (``o2osim sweep`` with ``facts:``, then ``o2osim sensitivity
--fact``) on a tiny sweep of the China economics scenario.
"""

import json

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from SALib.sample import sobol as sobol_sample

import o2osim
from o2osim.batch import facts
from o2osim.batch.sensitivity import leading, sensitivity
from o2osim.batch.sweep import load_sweep
from o2osim.cli import main
from o2osim.errors import O2OError
from o2osim.results import write_parquet

YEARS = np.arange(2004, 2021)


def hand_made_years() -> pd.DataFrame:
    """Seventeen years whose facts are known (see each column's comment)."""
    t = YEARS - 2004
    y = pd.DataFrame({"year": YEARS})
    y["online_conversion_desktop"] = 0.001 * t  # 2014-2019: 0.010 ... 0.015, median 0.0125
    y["online_conversion_mobile"] = 0.02 - 0.001 * t  # 0.010 ... 0.005, median 0.0075
    y["online_conversion_paid"] = np.where(YEARS == 2014, 0.1, 0.005)  # median 0.005
    y["offline_conversion_rate"] = np.where(YEARS == 2013, 0.9, 0.3)  # 2013 is not counted
    y["annual_churn_online"] = np.select(
        [YEARS == 2012, YEARS == 2015], [0.5, 0.4], 0.35
    )  # highest from 2013: 0.4, not 2012's 0.5
    y["repeat_after_first_order"] = np.where(YEARS < 2013, 0.6, 0.25)
    y["traffic_cost"] = np.select(
        [YEARS == 2004, YEARS == 2005, YEARS == 2006, YEARS == 2016], [10, 20, 30, 300], 50.0
    )  # 300 / 20 = 15
    y["festival_week_ratio"] = np.select(
        [YEARS < 2009, YEARS == 2009, YEARS == 2012], [0.0, 5.0, 3.0], 2.0
    )  # highest from 2010: 3
    y["price_gap"] = np.select(
        [YEARS == 2007, YEARS == 2010, YEARS == 2020], [-0.5, -0.1, -0.02], -0.04
    )  # 2020 minus the lowest from 2008: -0.02 - (-0.1) = 0.08
    y["dealer_margin"] = np.select([YEARS == 2015, YEARS == 2020], [200.0, 150.0], 100.0)
    # prices 1.5x in 2020: 150 yuan then are 100 in constant prices, half the peak (nominal 0.25)
    y["basket_value"] = np.where(YEARS == 2020, 1.5, 1.0)
    y["stores_open"] = np.select([YEARS == 2011, YEARS == 2020], [120, 90], 100)
    y["online_share"] = np.select([YEARS == 2013, YEARS == 2020], [0.08, 0.25], 0.1)
    return y


EXPECTED = {
    "conversion_desktop": (0.0125, False),
    "conversion_mobile": (0.0075, False),
    "conversion_paid": (0.005, True),
    "conversion_store": (0.3, True),
    "churn_online": (0.4, True),
    "repeat_order": (0.25, True),
    "traffic_cost_rise": (np.log10(15.0), True),
    "festival_week": (3.0, True),
    "price_gap_rise": (0.08, True),
    "dealer_margin_fall": (0.5, True),
    "stores_fall": (0.25, True),
    "online_share_2013": (0.08, True),
    "online_share_2020": (0.25, True),
}


def test_every_fact_measured_on_a_hand_made_year_table():
    years = hand_made_years()
    assert [f.name for f in facts.FACTS] == list(EXPECTED)
    for fact in facts.FACTS:
        value, holds = EXPECTED[fact.name]
        assert fact.value(years) == pytest.approx(value, abs=1e-12), fact.name
        # indexed by year or with a year column: the same value
        assert fact.value(years.set_index("year")) == fact.value(years)
        assert fact.holds(fact.value(years)) is holds, fact.name


def test_an_undefined_fact_is_nan_and_does_not_hold():
    years = hand_made_years()
    years.loc[years["year"] <= 2006, "traffic_cost"] = 0.0  # a ratio over nothing
    rise = facts.BY_NAME["traffic_cost_rise"]
    assert np.isnan(rise.value(years)) and rise.holds(rise.value(years)) is False


def test_fact_names_and_columns():
    assert [f.name for f in facts.resolve(["all"])] == list(EXPECTED)
    assert facts.columns(["online_share_2013", "online_share_2020", "stores_fall"]) == [
        "online_share",
        "stores_open",
    ]
    with pytest.raises(O2OError, match=r"--fact: got 'churn'.*churn_online"):
        facts.resolve(["churn"])


def test_economics_bands_measures_the_package_facts():
    text = (ROOT / "experiments" / "economics_bands.py").read_text()
    assert "from o2osim.batch.facts import FACTS" in text and "Band(" not in text


# --------------------------------------------------------------------------- a hand-made sweep


def fact_sweep(out, samples=256, seed=5):
    """A Sobol sweep of two parameters whose runs' online share in 2020 is 0.1 + 0.5 x1.

    x2 only moves the online share of other years, so the fact online_share_2020 depends on x1
    alone (S1 = ST = 1 for x1, 0 for x2), while the metric online_share over all years does
    not.
    """
    names = ["x1", "x2"]
    problem = {"num_vars": 2, "names": names, "bounds": [[0.0, 1.0]] * 2}
    x = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
    points = pd.DataFrame(x, columns=names)
    points.insert(0, "point_id", np.arange(len(points), dtype=np.int64))
    frames = []
    for pid, (x1, x2) in enumerate(x):
        share = np.where(YEARS == 2020, 0.1 + 0.5 * x1, 0.3 * x2)
        frames.append(
            pd.DataFrame(
                {
                    "run_id": pid,
                    "point_id": pid,
                    "replicate": 0,
                    "seed": 0,
                    "x1": x1,
                    "x2": x2,
                    "year": YEARS,
                    "online_share": share,
                }
            )
        )
    (out / "results").mkdir(parents=True)
    write_parquet(points, out / "points.parquet")
    write_parquet(pd.concat(frames, ignore_index=True), out / "results" / "part-0-test.parquet")
    spec = {
        "base": "",
        "seed": seed,
        "design": "sobol",
        "samples": samples,
        "replicates": 1,
        "parameters": {n: {"low": 0.0, "high": 1.0} for n in names},
        "metrics": ["online_share"],
    }
    meta = {"spec": spec, "points": len(points), "runs": len(points), "problem": problem}
    (out / "sweep.json").write_text(json.dumps(meta))
    return out


def test_sobol_indices_of_a_fact_set_by_one_parameter(tmp_path):
    sweep = fact_sweep(tmp_path / "s")
    table = sensitivity(sweep, facts=["online_share_2020"])
    assert table.attrs["facts"] == ["online_share_2020"]
    rows = table.set_index("parameter")
    assert list(table["metric"]) == ["online_share_2020"] * 2
    assert rows.loc["x1", "S1"] == pytest.approx(1.0, abs=0.05)
    assert rows.loc["x1", "ST"] == pytest.approx(1.0, abs=0.05)
    assert abs(rows.loc["x2", "S1"]) < 0.02 and rows.loc["x2", "ST"] < 0.02
    # the same sweep's metric (final year, i.e. 2020, too) agrees; its mean over years does not
    both = sensitivity(sweep, metrics=["online_share"], over="mean", facts=["online_share_2020"])
    assert list(dict.fromkeys(both["metric"])) == ["online_share", "online_share_2020"]
    mean = both[both["metric"] == "online_share"].set_index("parameter")
    assert mean.loc["x2", "S1"] > 0.5
    top = leading(table, 1)
    assert list(top["parameter"]) == ["x1"] and list(top["rank"]) == [1]


def test_a_fact_whose_columns_the_sweep_did_not_keep_is_refused(tmp_path, capsys):
    sweep = fact_sweep(tmp_path / "s", samples=8)
    assert main(["sensitivity", str(sweep), "--fact", "stores_fall"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "stores_fall needs the column(s) stores_open" in err and "facts:" in err
    assert main(["sensitivity", str(sweep), "--fact", "store_fall"]) == 2
    assert "expected a fact (" in capsys.readouterr().err


# --------------------------------------------------------------------------- a real tiny sweep

TINY = """base: {base}
overrides: [population.consumers=250]
seed: 3
design: sobol
samples: 2
common_random_numbers: true
parameters:
  sessions.mobile_browsing: {{low: 0.5, high: 4.0}}
  consumers.price_elasticity: {{low: 0.5, high: 2.0}}
facts: [conversion_mobile, festival_week]
"""


def test_spec_facts_keep_their_columns_and_unknown_facts_are_refused(tmp_path, capsys):
    base = ROOT / "scenarios" / "china_2004_2020.yaml"
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY.format(base=base))
    sweep = load_sweep(path)
    assert sweep.spec.metric_names == ["online_conversion_mobile", "festival_week_ratio"]
    assert sweep.describe()["spec"]["facts"] == ["conversion_mobile", "festival_week"]
    # a spec without facts records none (its hash is that of sweeps from before facts)
    plain = tmp_path / "plain.yaml"
    plain.write_text(TINY.format(base=base).split("facts:")[0] + "metrics: [online_share]\n")
    assert "facts" not in load_sweep(plain).describe()["spec"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.format(base=base).replace("festival_week]", "festival]"))
    assert main(["sweep", str(bad), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "facts.1" in err and "festival_week" in err
    assert not (tmp_path / "out").exists()


def test_sensitivity_of_facts_on_a_tiny_sweep_of_china_2004_2020(tmp_path, capsys):
    base = ROOT / "scenarios" / "china_2004_2020.yaml"
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY.format(base=base))
    out = tmp_path / "sweep"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    capsys.readouterr()
    code = main(["sensitivity", str(out), "--fact", "all"])
    printed = capsys.readouterr().out
    assert code == 2  # all: the other facts' columns were not kept
    code = main(["sensitivity", str(out), "--fact", "conversion_mobile", "festival_week"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "sobol indices of 2 facts x 2 parameters from 8 points, 8 runs" in printed
    table = pd.read_csv(out / "sensitivity" / "sensitivity.csv")
    assert list(table["metric"]) == ["conversion_mobile"] * 2 + ["festival_week"] * 2
    assert np.isfinite(table[["S1", "S1_conf", "ST", "ST_conf"]].to_numpy()).all()
    md = (out / "sensitivity" / "sensitivity.md").read_text()
    assert "| conversion_mobile | sessions.mobile_browsing |" in md and "Facts (" in md
    assert (out / "sensitivity" / "sensitivity.png").stat().st_size > 10_000

    # each run's fact is the fact of that point run on its own, with the run's seed
    results = pd.read_parquet(out / "results")
    per_run = facts.per_run(results, ["conversion_mobile", "festival_week"])
    run = results[results["run_id"] == 0]
    alone = o2osim.run(
        base,
        seed=int(run["seed"].iloc[0]),
        overrides=[
            "population.consumers=250",
            f"sessions.mobile_browsing={run['sessions.mobile_browsing'].iloc[0]}",
            f"consumers.price_elasticity={run['consumers.price_elasticity'].iloc[0]}",
        ],
        progress=False,
    ).years
    for name in ("conversion_mobile", "festival_week"):
        assert per_run.loc[0, name] == pytest.approx(facts.BY_NAME[name].value(alone), rel=1e-12)
    # sessions on a phone without a need never end in an order: more of them, lower conversion
    points = per_run.join(results.groupby("run_id")["sessions.mobile_browsing"].first())
    rho = points["sessions.mobile_browsing"].corr(points["conversion_mobile"], method="spearman")
    assert rho < -0.5
