"""``o2osim sweep``: designs, streaming results, determinism, resuming after a kill, failures."""

import os
import signal
import subprocess
import sys
import time

import cloudpickle
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from o2osim import cli
from o2osim.batch.sweep import load_sweep, run_sweep, run_task
from o2osim.batch.sweepdir import read_sweep

# task functions defined here travel to the Dask workers by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])

SMALL = ["population.consumers=1200", "time.years=5"]


def spec(tmp_path, text, name="spec.yaml"):
    path = tmp_path / name
    path.write_text(f"base: {ROOT / 'scenarios' / 'baseline.yaml'}\n" + text)
    return path


GRID = """
overrides: [population.consumers=1200, time.years=8]
seed: 11
design: grid
replicates: 2
parameters:
  stores.rent_growth: {values: [0.0, 0.3]}
  adoption.q: {low: 0.3, high: 0.6, levels: 2}
metrics: [online_share, stores_open, store_closures]
"""


def rows(out):
    frame = pd.read_parquet(out / "results")
    return frame.sort_values(["run_id", "year"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def grid_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grid")
    path = spec(tmp, GRID)
    one = run_sweep(load_sweep(path), tmp / "one", workers=1, progress=False)
    two = run_sweep(load_sweep(path), tmp / "two", workers=2, progress=False)
    return tmp, one, two


def test_a_grid_sweep_streams_one_row_per_run_and_year(grid_runs):
    tmp, one, _ = grid_runs
    frame = rows(tmp / "one")
    assert one.runs == 8 and one.done == 8 and one.failed == 0
    assert len(frame) == 8 * 8
    assert list(frame.columns[:7]) == [
        "run_id",
        "point_id",
        "replicate",
        "seed",
        "stores.rent_growth",
        "adoption.q",
        "year",
    ]
    assert sorted(frame["stores.rent_growth"].unique()) == [0.0, 0.3]
    # the parameter really reaches the runs: faster rent growth closes more stores
    closures = frame.groupby("stores.rent_growth")["store_closures"].sum()
    assert closures[0.3] > closures[0.0]
    points = pd.read_parquet(tmp / "one" / "points.parquet")
    assert len(points) == 4 and list(points["point_id"]) == [0, 1, 2, 3]


def test_results_do_not_depend_on_the_number_of_workers(grid_runs):
    tmp, _, _ = grid_runs
    pd.testing.assert_frame_equal(rows(tmp / "one"), rows(tmp / "two"))


def test_each_run_has_its_own_seed_from_the_sweep_seed_and_run_id(grid_runs):
    tmp, _, _ = grid_runs
    seeds = rows(tmp / "one").groupby("run_id")["seed"].first()
    assert seeds.is_unique


def test_rerunning_a_finished_sweep_runs_nothing(grid_runs):
    tmp, _, _ = grid_runs
    again = run_sweep(load_sweep(tmp / "spec.yaml"), tmp / "one", workers=1, progress=False)
    assert again.done == 0 and again.earlier == 8
    assert len(rows(tmp / "one")) == 64


def test_another_spec_in_the_same_directory_is_refused(grid_runs, capsys):
    tmp, _, _ = grid_runs
    other = spec(tmp, GRID.replace("seed: 11", "seed: 12"), "other.yaml")
    code = cli.main(["sweep", str(other), "--out", str(tmp / "one"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "holds a different sweep" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("design", "extra", "points"),
    [
        ("random", "samples: 5", 5),
        ("latin", "samples: 6", 6),
        ("sobol", "samples: 4", 4 * (2 + 2)),
        ("morris", "samples: 3", 3 * (2 + 1)),
    ],
)
def test_designs_draw_points_within_the_ranges(tmp_path, design, extra, points):
    path = spec(
        tmp_path,
        f"""
design: {design}
{extra}
parameters:
  stores.rent_growth: {{low: 0.0, high: 0.1}}
  dealers.count: {{low: 2, high: 12}}
""",
    )
    sweep = load_sweep(path)
    assert len(sweep.points) == points
    assert sweep.points["stores.rent_growth"].between(0.0, 0.1).all()
    # an integer field gets whole numbers
    assert (sweep.points["dealers.count"] % 1 == 0).all()


# (what is wrong, spec text after base, the field the error names)
BAD_SPECS = [
    (
        "unknown parameter",
        "parameters:\n  stores.rnet: {low: 0, high: 1}\n",
        "parameters.stores.rnet",
    ),
    (
        "value the scenario refuses",
        "parameters:\n  stores.rent_growth: {low: 0, high: 9}\n",
        "parameters.stores.rent_growth",
    ),
    (
        "range upside down",
        "design: latin\nparameters:\n  adoption.q: {low: 0.5, high: 0.1}\n",
        "parameters.adoption.q",
    ),
    (
        "unknown metric",
        "parameters:\n  adoption.q: {values: [0.3]}\nmetrics: [online_shares]\n",
        "metrics.0",
    ),
    ("misspelled key", "replicate: 2\nparameters:\n  adoption.q: {values: [0.3]}\n", "replicate"),
    (
        "values in a latin design",
        "design: latin\nparameters:\n  adoption.q: {values: [0.3]}\n",
        "parameters.adoption.q",
    ),
]


@pytest.mark.parametrize(
    ("text", "field"), [c[1:] for c in BAD_SPECS], ids=[c[0] for c in BAD_SPECS]
)
def test_bad_specs_get_one_line_and_nothing_is_written(tmp_path, capsys, text, field):
    path = spec(tmp_path, text)
    code = cli.main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and field in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def fails_for_fast_adoption(task):
    """A task that raises for some points (to test failure records)."""
    if task[1]["adoption.q"] > 0.5:
        raise ValueError("adoption too fast for this test")
    return run_task(task)


def test_a_raising_run_is_recorded_and_the_sweep_goes_on(tmp_path):
    path = spec(tmp_path, GRID)
    report = run_sweep(
        load_sweep(path), tmp_path / "out", workers=2, progress=False, task=fails_for_fast_adoption
    )
    assert report.done == 4 and report.failed == 4
    failures = pd.read_parquet(tmp_path / "out" / "failures")
    assert len(failures) == 4
    assert failures["error"].str.contains("ValueError: adoption too fast").all()
    assert len(rows(tmp_path / "out")) == 4 * 8


def test_failed_runs_stay_failed_on_resume_unless_retried(tmp_path, capsys):
    path, out = spec(tmp_path, GRID), tmp_path / "out"
    sweep = load_sweep(path)
    first = run_sweep(sweep, out, workers=2, progress=False, task=fails_for_fast_adoption)
    assert (first.done, first.failed) == (4, 4)
    again = run_sweep(
        sweep, out, workers=2, progress=False, task=fails_for_fast_adoption, retry_failed=True
    )
    assert (again.earlier, again.done, again.failed) == (4, 0, 4)
    assert len(read_sweep(out).failures) == 4  # failed twice, counted once
    resumed = run_sweep(sweep, out, workers=2, progress=False)
    assert (resumed.earlier, resumed.done, resumed.failed) == (8, 0, 0)
    assert (
        cli.main(
            ["sweep", str(path), "--out", str(out), "--retry-failed", "--quiet", "--workers", "2"]
        )
        == 0
    )
    assert "4 done now, 4 earlier, 0 failed now" in capsys.readouterr().out
    done = read_sweep(out)
    assert done.failures.empty and len(done.results) == 8 * 8
    assert sorted(done.results["run_id"].unique()) == list(range(8))


KILLABLE = """
overrides: [population.consumers=1500, time.years=6]
seed: 5
design: latin
samples: 12
replicates: 2
parameters:
  stores.rent_growth: {low: 0.0, high: 0.12}
metrics: [online_share, stores_open]
"""


def killable_sweep(path, out) -> list[str]:
    """The command line of a sweep in its own process that saves a part file every two runs,
    so that a kill finds some runs saved and some not."""
    code = (
        "import sys, o2osim.batch.sweep as s; s.FLUSH_RUNS = 2; from o2osim.cli import main; "
        "sys.exit(main(sys.argv[1:]))"
    )
    return [
        sys.executable,
        "-c",
        code,
        "sweep",
        str(path),
        "--out",
        str(out),
        "--quiet",
        "--workers",
        "2",
    ]


def test_a_sweep_killed_part_way_resumes_to_exactly_the_expected_rows(tmp_path):
    path = spec(tmp_path, KILLABLE)
    out = tmp_path / "out"
    argv = killable_sweep(path, out)
    proc = subprocess.Popen(
        argv, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        parts = list((out / "results").glob("part-*.parquet")) if out.exists() else []
        if len(parts) >= 2:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, without warning
    proc.wait()
    saved = len(pd.read_parquet(out / "results")["run_id"].unique())
    assert 0 < saved < 24, "the kill should land part way"
    code = cli.main(["sweep", str(path), "--out", str(out), "--quiet", "--workers", "2"])
    assert code == 0
    frame = rows(out)
    assert len(frame) == 24 * 6
    assert not frame.duplicated(["run_id", "year"]).any()
    assert sorted(frame["run_id"].unique()) == list(range(24))
    # the resumed result is the same as one run in one go
    fresh = run_sweep(load_sweep(path), tmp_path / "fresh", workers=2, progress=False)
    assert fresh.done == 24
    pd.testing.assert_frame_equal(frame, rows(tmp_path / "fresh"))


def test_ishigami_model_runs_through_the_same_path(tmp_path):
    path = spec(
        tmp_path,
        """
model: ishigami
design: sobol
samples: 8
parameters:
  x1: {low: -3.141592653589793, high: 3.141592653589793}
  x2: {low: -3.141592653589793, high: 3.141592653589793}
  x3: {low: -3.141592653589793, high: 3.141592653589793}
""",
    )
    report = run_sweep(load_sweep(path), tmp_path / "out", workers=1, progress=False)
    frame = rows(tmp_path / "out")
    assert report.done == 8 * 5 and len(frame) == 40
    x = frame[["x1", "x2", "x3"]].to_numpy()
    expected = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    np.testing.assert_allclose(frame["y"], expected)


def dies_once(task):
    """Kill this worker process the first time any task runs; run normally afterwards."""
    marker = os.environ["O2OSIM_TEST_MARKER"]
    try:
        with open(marker, "x"):
            pass
    except FileExistsError:
        return run_task(task)
    os.kill(os.getpid(), signal.SIGKILL)  # the worker dies in the middle of a run


def test_runs_of_a_worker_that_dies_are_retried_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("O2OSIM_TEST_MARKER", str(tmp_path / "died"))
    path = spec(tmp_path, GRID)
    report = run_sweep(
        load_sweep(path), tmp_path / "out", workers=2, progress=False, task=dies_once
    )
    assert (tmp_path / "died").exists(), "a worker was killed"
    assert report.done == 8 and report.failed == 0
    frame = rows(tmp_path / "out")
    assert len(frame) == 8 * 8 and not frame.duplicated(["run_id", "year"]).any()


def test_sobol_indices_of_the_ishigami_function_through_sweep_and_sensitivity(tmp_path):
    # the whole pipeline, o2osim sweep -> o2osim sensitivity, on a function whose indices are
    # known: S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244)
    from o2osim.batch.sensitivity import sensitivity

    path = spec(
        tmp_path,
        """
model: ishigami
design: sobol
samples: 256
seed: 3
parameters:
  x1: {low: -3.141592653589793, high: 3.141592653589793}
  x2: {low: -3.141592653589793, high: 3.141592653589793}
  x3: {low: -3.141592653589793, high: 3.141592653589793}
""",
    )
    report = run_sweep(load_sweep(path), tmp_path / "out", workers=2, progress=False)
    assert report.done == 256 * 5
    table = sensitivity(tmp_path / "out").set_index("parameter")
    np.testing.assert_allclose(table.loc[["x1", "x2", "x3"], "S1"], [0.314, 0.442, 0.0], atol=0.1)
    np.testing.assert_allclose(table.loc[["x1", "x2", "x3"], "ST"], [0.558, 0.442, 0.244], atol=0.1)


def test_a_sweep_killed_again_and_again_at_random_points_ends_with_exactly_the_rows(tmp_path):
    path = spec(tmp_path, KILLABLE)
    out = tmp_path / "out"
    argv = killable_sweep(path, out)
    random = np.random.default_rng(8)
    for _ in range(3):  # each kill lands at a random moment: starting up, mid-run, mid-write
        proc = subprocess.Popen(
            argv, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            proc.wait(timeout=float(random.uniform(0.5, 6.0)))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if out.exists() and (out / "results").exists():
            frame = rows(out)  # what was saved is always whole runs, never a duplicate
            assert not frame.duplicated(["run_id", "year"]).any()
            assert (frame.groupby("run_id").size() == 6).all()
    assert cli.main(["sweep", str(path), "--out", str(out), "--quiet", "--workers", "2"]) == 0
    frame = rows(out)
    assert len(frame) == 24 * 6
    assert sorted(frame["run_id"].unique()) == list(range(24))
    assert not frame.duplicated(["run_id", "year"]).any()
