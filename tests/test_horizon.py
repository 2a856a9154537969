"""A horizon shorter than the scenario's dates: the runs go on, with one notice, not an error."""

import subprocess
import sys
import warnings
from functools import partial

import pandas as pd
import pytest
from conftest import BASELINE, ROOT

import o2osim
from o2osim import bench, cli
from o2osim.batch.sweep import load_sweep
from o2osim.errors import HorizonNotice

THREE_YEARS = (
    "baseline: dated after the last simulated year 2006, so not in this run: "
    "platforms.1.launch_year=2008, stages.mobile_year=2011, events.0.start_year=2009, "
    "events.1.start_year=2010"
)


def o2osim_cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "o2osim", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def notes(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    # a notice is told as a note, never as a Python warning (from this process or a worker)
    assert not [line for line in lines if "HorizonNotice" in line or "Traceback" in line], stderr
    return [line for line in lines if line.startswith("o2osim: note: ")]


def test_run_warns_once_naming_everything_after_the_horizon():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = o2osim.run(
            BASELINE, overrides=["time.years=3", "population.consumers=300"], progress=False
        )
    told = [w for w in caught if issubclass(w.category, HorizonNotice)]
    assert [str(w.message) for w in told] == [THREE_YEARS]
    assert told[0].filename == __file__  # points at the caller of run(), not into o2osim
    assert result.years["year"].tolist() == [2004, 2005, 2006]
    platforms = result.firms[result.firms["kind"] == "platform"].set_index("name")
    assert platforms["open"].to_dict() == {"Taobao": True, "JD": False}
    assert platforms.loc["JD", "gmv"] == 0


def test_run_is_silent_when_every_date_is_in_the_run_or_told_not_to_tell():
    with warnings.catch_warnings():
        warnings.simplefilter("error", HorizonNotice)
        o2osim.run(BASELINE, overrides=["population.consumers=300"], progress=False)
        short = ["time.years=3", "population.consumers=300"]
        o2osim.run(BASELINE, overrides=short, progress=False, notice=False)


@pytest.mark.parametrize("years", [1, 2])
def test_the_shortest_horizons_run_to_the_end(years):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HorizonNotice)
        result = o2osim.run(
            ROOT / "scenarios" / "china_2004_2020.yaml",
            overrides=[f"time.years={years}", "population.consumers=400"],
            progress=False,
            check_invariants=True,
        )
    assert result.years["year"].tolist() == list(range(2004, 2004 + years))
    # a year without a paid click has no paid conversion (NaN); every other column is defined
    assert not result.years.drop(columns="online_conversion_paid").isna().any().any()


def test_cli_run_with_three_years_writes_results_and_one_note(tmp_path):
    out = tmp_path / "result"
    done = o2osim_cli(
        "run",
        BASELINE,
        "--set",
        "time.years=3",
        "--set",
        "population.consumers=2000",
        "--out",
        out,
        "--quiet",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"o2osim: note: {THREE_YEARS}\n"
    assert pd.read_csv(out / "years.csv")["year"].tolist() == [2004, 2005, 2006]


def test_cli_bench_with_two_years_works_with_one_note(monkeypatch, capsys):
    # the reference engines run at 10,000 consumers unless told otherwise: keep the test quick
    monkeypatch.setattr(bench, "run_bench", partial(bench.run_bench, reference_consumers=200))
    assert cli.main(["bench", "--years", "2", "--consumers", "200"]) == 0
    captured = capsys.readouterr()
    told = notes(captured.err)
    assert len(told) == 1
    assert told[0].startswith(
        "o2osim: note: china_2004_2020: dated after the last simulated year 2005, so not in this "
        "run: platforms.1.launch_year=2008, platforms.2.launch_year=2015"
    )
    # the default scenario sets prices and service values, which the reference engine has not
    assert "reference engine not compared" in captured.out


SWEEP = f"""
base: {BASELINE}
overrides: [population.consumers=300, time.years=3]
seed: 5
design: grid
replicates: 2
parameters:
  stores.rent_growth: {{values: [0.0, 0.1]}}
metrics: [online_share]
"""


def test_cli_sweep_with_three_years_in_its_overrides_runs_with_one_note(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(SWEEP)
    done = o2osim_cli(
        "sweep", path, "--out", tmp_path / "sweep", "--workers", "1", "--quiet", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert notes(done.stderr) == [f"o2osim: note: {THREE_YEARS}"], done.stderr
    assert "4 runs: 4 done now" in done.stdout
    results = pd.read_parquet(tmp_path / "sweep" / "results")
    assert sorted(results["year"].unique()) == [2004, 2005, 2006]


def test_a_sweep_over_the_horizon_tells_once_per_distinct_horizon(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(
        SWEEP.replace(
            "  stores.rent_growth:",
            "  time.years: {values: [3, 5]}\n  stores.rent_growth:",
        )
    )
    sweep = load_sweep(path)
    assert len(sweep.points) == 4
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cli._note_sweep(sweep)
    assert [str(w.message) for w in caught] == [
        THREE_YEARS,
        "baseline: dated after the last simulated year 2008, so not in this run: "
        "stages.mobile_year=2011, events.0.start_year=2009, events.1.start_year=2010",
    ]


def test_cli_compare_tells_once_per_scenario_not_per_replicate(tmp_path):
    done = o2osim_cli(
        "compare",
        BASELINE,
        ROOT / "scenarios" / "reputation_none.yaml",
        "--set",
        "time.years=3",
        "--set",
        "population.consumers=300",
        "--replicates",
        "2",
        "--workers",
        "1",
        "--quiet",
        "--out",
        tmp_path / "cmp",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    told = notes(done.stderr)
    assert told == [
        f"o2osim: note: {THREE_YEARS}",
        f"o2osim: note: reputation_none{THREE_YEARS.removeprefix('baseline')}",
    ]
