"""``o2osim compare``: common seeds, paired differences, the five output files, bad input.

Small markets (1,500 consumers, 5 years: the baseline's second platform launches in its fifth
year) and 3 replicates keep each run well under a second; most of the time is the start of the
Dask workers, so the file starts two clusters in all (one from the command line, one from the
Python API) and checks everything against them.
"""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import BASELINE
from scipy import stats

import o2osim
from o2osim import Scenario, load_scenario
from o2osim.batch.comparison import (
    COMPARE_FILES,
    decision_series,
    interval,
    outcomes,
    trajectories,
)
from o2osim.cli import main

SMALL = ["population.consumers=1500", "time.years=5"]
SMALL_CLI = [arg for o in SMALL for arg in ("--set", o)]
REPLICATES = 3
# Stores facing rent that grows by half each year close much faster than the baseline's (6%):
# after 5 years the paired difference is about 20 closures, far from zero for any 3 seeds.
FAST_RENT = f"extends: {BASELINE}\nname: fast_rent\nstores:\n  rent_growth: 0.5\n"


@pytest.fixture(scope="module")
def fast_rent(tmp_path_factory):
    path = tmp_path_factory.mktemp("scenarios") / "fast_rent.yaml"
    path.write_text(FAST_RENT)
    return path


@pytest.fixture(scope="module")
def cli_compare(tmp_path_factory, fast_rent):
    """baseline vs fast_rent from the command line, on 2 worker processes."""
    cwd = tmp_path_factory.mktemp("cli")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "o2osim",
            "compare",
            str(BASELINE),
            str(fast_rent),
            "--out",
            "cmp",
            "--replicates",
            str(REPLICATES),
            "--workers",
            "2",
            "--quiet",
            *SMALL_CLI,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return cwd / "cmp", done


@pytest.fixture(scope="module")
def api_compare(fast_rent):
    """baseline, fast_rent and baseline again from Python, on 1 worker process."""
    return o2osim.compare(
        [BASELINE, fast_rent, BASELINE],
        replicates=REPLICATES,
        overrides=SMALL,
        workers=1,
        progress=False,
    )


def read_table(out):
    return pd.read_csv(out / "compare.csv").set_index(["outcome", "over"])


# ----------------------------------------------------------------------------- files


def test_cli_writes_the_five_files_and_nothing_beside_them(cli_compare):
    out, done = cli_compare
    assert sorted(p.name for p in out.iterdir()) == sorted(COMPARE_FILES)
    assert [p.name for p in out.parent.iterdir()] == ["cmp"]  # no partial directory left
    # no progress bar (--quiet); five years leave out the events and the mobile stage, told
    # once per scenario, not once per replicate
    notes = done.stderr.splitlines()
    assert [n.split(":")[2] for n in notes] == [" baseline", " fast_rent"], done.stderr
    assert all(n.startswith("o2osim: note: ") and "stages.mobile_year=2011" in n for n in notes)
    assert "2 scenarios x 3 replicates, seeds 42..44 (common to all)" in done.stdout
    assert (out / "compare.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_runs_hold_every_replicate_year_with_the_same_seeds_in_every_scenario(cli_compare):
    runs = pd.read_parquet(cli_compare[0] / "runs.parquet")
    assert list(runs.columns[:4]) == ["scenario", "replicate", "seed", "year"]
    assert {"online_share", "stores_open", "store_closures"} <= set(runs.columns)
    assert len(runs) == 2 * REPLICATES * 5
    seeds = runs.groupby("scenario")[["replicate", "seed"]].apply(
        lambda g: sorted(set(map(tuple, g.to_numpy())))
    )
    assert seeds.to_dict() == {s: [(0, 42), (1, 43), (2, 44)] for s in ("baseline", "fast_rent")}


def test_manifest_records_resolved_scenarios_seeds_versions_and_checksums(cli_compare, fast_rent):
    out, _ = cli_compare
    manifest = json.loads((out / "compare.json").read_text())
    assert manifest["seeds"] == [42, 43, 44]
    assert manifest["overrides"] == SMALL
    assert list(manifest["scenarios"]) == ["baseline", "fast_rent"]
    for label, path in (("baseline", BASELINE), ("fast_rent", fast_rent)):
        expected = load_scenario(path, SMALL)
        assert Scenario.model_validate(manifest["scenarios"][label]) == expected
    assert {"o2osim", "mesa", "numpy", "python"} <= set(manifest["versions"])
    assert sorted(manifest["files"]) == sorted(set(COMPARE_FILES) - {"compare.json"})


def test_table_lists_the_key_outcomes_and_every_brand_column(cli_compare):
    out, _ = cli_compare
    table = read_table(out)
    for row in [
        ("online_share", "final year"),
        ("stores_open", "final year"),
        ("dealers_active", "final year"),
        ("dealer_exits", "cumulative"),
        ("store_closures", "cumulative"),
        ("traffic_cost", "final year"),
        ("traffic_cost", "mean over run"),
        ("cost_per_new_customer", "final year"),
        ("cost_per_new_customer", "mean over run"),
        ("mean_trust_online", "final year"),
        ("gmv_online", "cumulative"),
        ("gmv_offline", "cumulative"),
    ]:
        assert row in table.index
    brands = [c for c in pd.read_parquet(out / "runs.parquet") if c.startswith("brand_")]
    for column in brands:
        assert (column, "final year") in table.index
        assert (column, "cumulative") in table.index
    assert list(table.columns) == ["unit"] + [
        f"{group}: {stat}"
        for group in ("baseline", "fast_rent", "fast_rent - baseline")
        for stat in ("mean", "low", "high")
    ]
    markdown = (out / "compare.md").read_text()
    assert "| outcome | unit | baseline | fast_rent | fast_rent - baseline |" in markdown
    assert "| store_closures, cumulative | stores |" in markdown


def test_table_is_the_mean_and_t_interval_of_the_replicates(cli_compare):
    out, _ = cli_compare
    runs = pd.read_parquet(out / "runs.parquet")
    final = runs[runs["year"] == runs["year"].max()].set_index(["scenario", "replicate"])
    stores = final["stores_open"].astype(float)
    row = read_table(out).loc[("stores_open", "final year")]
    for label, values in (
        ("fast_rent", stores["fast_rent"]),
        ("fast_rent - baseline", stores["fast_rent"] - stores["baseline"]),
    ):
        mean = values.mean()
        low, high = stats.t.interval(0.95, len(values) - 1, loc=mean, scale=stats.sem(values))
        assert row[f"{label}: mean"] == pytest.approx(mean, rel=1e-9)
        assert row[f"{label}: low"] == pytest.approx(low, rel=1e-9)
        assert row[f"{label}: high"] == pytest.approx(high, rel=1e-9)


# ----------------------------------------------------------------------------- statistics


def test_faster_rent_growth_closes_more_stores_beyond_chance(cli_compare):
    diff = read_table(cli_compare[0]).filter(like="fast_rent - baseline")
    diff.columns = ["mean", "low", "high"]
    closures = diff.loc[("store_closures", "cumulative")]
    assert 0 < closures["low"] <= closures["mean"] <= closures["high"]
    stores_open = diff.loc[("stores_open", "final year")]
    assert stores_open["low"] <= stores_open["mean"] <= stores_open["high"] < 0


def test_a_scenario_compared_with_itself_differs_by_exactly_zero(api_compare):
    # Common random numbers: replicate r of both copies runs with the same seed, so every
    # paired difference is 0, interval included. With independent seeds it would not be.
    assert api_compare.labels == ["baseline", "fast_rent", "baseline-2"]
    same = api_compare.table["baseline-2 - baseline"]
    assert len(same) >= 10
    assert (same.to_numpy() == 0).all(), same[same.ne(0).any(axis=1)]
    # while the replicates themselves differ, so the scenarios' own intervals are wide
    own = api_compare.table["baseline"].loc[("gmv_online", "cumulative")]
    assert own["low"] < own["mean"] < own["high"]


def test_one_worker_and_two_workers_give_identical_runs(cli_compare, api_compare):
    two = pd.read_parquet(cli_compare[0] / "runs.parquet")
    one = api_compare.runs[api_compare.runs["scenario"] != "baseline-2"].reset_index(drop=True)
    pd.testing.assert_frame_equal(one[two.columns], two, check_dtype=False)


def test_replicate_0_is_the_plain_run_with_the_scenarios_seed(api_compare):
    years = o2osim.run(BASELINE, overrides=SMALL, progress=False).years
    runs = api_compare.runs
    first = runs[(runs["scenario"] == "baseline") & (runs["replicate"] == 0)]
    pd.testing.assert_frame_equal(
        first.drop(columns=["scenario", "replicate", "seed"]).reset_index(drop=True), years
    )


def test_interval_edge_cases():
    assert interval([2.0, 2.0, 2.0]) == (2.0, 2.0, 2.0)
    mean, low, high = interval([1.0])
    assert mean == 1.0 and np.isnan(low) and np.isnan(high)
    assert interval([1.0, np.nan, 3.0])[0] == 2.0


def test_outcomes_skip_missing_columns_and_count_dealer_exits():
    years = pd.DataFrame(
        {"year": [2004, 2005], "dealers_active": [8, 6], "brand_profit_online_Acme": [1.0, 2.0]}
    )
    got = outcomes(years, load_scenario(BASELINE))
    assert got == {
        ("dealers_active", "final"): 6.0,
        ("dealer_exits", "cumulative"): 2.0,  # the baseline starts with 8 dealers
        ("brand_profit_online_Acme", "final"): 2.0,
        ("brand_profit_online_Acme", "cumulative"): 3.0,
    }


def test_figure_has_a_panel_per_series(api_compare):
    fig = api_compare.figure()
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles[:5] == [
        "Online share of sales",
        "Physical stores open",
        "Dealers active",
        "Traffic cost",
        "Trust in platforms",
    ]
    assert all(ax.get_xlabel() == "year" and ax.get_ylabel() for ax in fig.axes if ax.get_visible())


# ----------------------------------------------------------------------------- bad input

BAD_ARGS = [
    ("missing file", [BASELINE, "nowhere.yaml"], ["nowhere.yaml", "file not found"]),
    ("invalid scenario", [BASELINE, "typo.yaml"], ["typo.yaml: stores.rnet: "]),
    ("one scenario", [BASELINE], ["compare: got 1 scenario, expected at least 2"]),
    (
        "bad --set",
        [BASELINE, BASELINE, "--set", "platforms.9.commission=0.1"],
        ["baseline.yaml --set: platforms.9: "],
    ),
    ("--set without a value", [BASELINE, BASELINE, "--set", "stores.rent"], ["KEY=VALUE"]),
    (
        "no replicates",
        [BASELINE, BASELINE, "--replicates", "0"],
        ["--replicates: got 0, expected an integer of at least 1"],
    ),
    ("no workers", [BASELINE, BASELINE, "--workers", "0"], ["--workers: got 0"]),
    (
        "--out is a file",
        [BASELINE, BASELINE, "--out", "taken"],
        ["--out: taken exists and is not a directory"],
    ),
]


@pytest.mark.parametrize(
    ("argv", "fragments"), [b[1:] for b in BAD_ARGS], ids=[b[0] for b in BAD_ARGS]
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    tmp_path, monkeypatch, capsys, argv, fragments
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").write_text("a file")
    (tmp_path / "typo.yaml").write_text(f"extends: {BASELINE}\nstores:\n  rnet: 5\n")
    args = ["compare", *map(str, argv), *SMALL_CLI]
    if "--out" not in args:
        args += ["--out", "never"]
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("o2osim: error: "), err
    for fragment in fragments:
        assert fragment in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken", "typo.yaml"]


@pytest.mark.parametrize("command", ["compare", "sweep", "calibrate"])
def test_local_workers_and_a_cluster_cannot_both_be_asked_for(command, tmp_path, capsys):
    files = [str(BASELINE), str(BASELINE)] if command == "compare" else [str(BASELINE)]
    with pytest.raises(SystemExit) as stop:
        main(
            [
                command,
                *files,
                "--out",
                str(tmp_path / "out"),
                "--workers",
                "2",
                "--scheduler",
                "tcp://127.0.0.1:8786",
            ]
        )
    assert stop.value.code == 2
    assert "argument --scheduler: not allowed with argument --workers" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------- decisions


def test_the_platforms_decisions_are_drawn_when_they_move():
    # the baseline's platforms held at their settings against the same platforms deciding
    held = o2osim.load_scenario(BASELINE, [*SMALL])
    deciding = o2osim.load_scenario(BASELINE, [*SMALL, "decisions=adaptive"])
    result = o2osim.compare(
        {"fixed": held, "adaptive": deciding}, replicates=2, workers=1, progress=False
    )
    series = set(trajectories(result.runs, result.labels)["series"])
    assert {"commission_rate", "ad_load"} <= series
    titles = [ax.get_title() for ax in result.figure().axes if ax.get_visible()]
    assert "Platforms' commission" in titles
    final = result.table.loc[("commission_rate_Taobao", "final")]
    assert final[("fixed", "mean")] == 0.03 and final[("adaptive", "mean")] != 0.03


def test_decision_series_weigh_each_platforms_levers_by_its_gmv():
    frame = pd.DataFrame(
        {
            "platform_gmv_A": [100.0, 0.0],
            "platform_gmv_B": [300.0, 0.0],
            "commission_rate_A": [0.02, 0.02],
            "commission_rate_B": [0.06, 0.06],
            "ad_load_A": [4.0, 4.0],
            "ad_load_B": [0.0, 0.0],
            "protection_spend_A": [5.0, 0.0],
            "enforcement_spend_B": [7.0, 0.0],
        }
    )
    out = decision_series(frame)
    assert out["commission_rate"].iloc[0] == pytest.approx(0.05)
    assert out["ad_load"].iloc[0] == pytest.approx(1.0)
    assert out["protection_spend"].tolist() == [12.0, 0.0]
    assert np.isnan(out["commission_rate"].iloc[1])
