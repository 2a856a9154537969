"""The o2osim command line end to end: subprocesses on small runs in temporary directories."""

import hashlib
import json
import shutil
import subprocess
import sys
from datetime import datetime

import pandas as pd
import pytest
from conftest import BASELINE

from o2osim import Scenario, load_scenario
from o2osim.cli import main

RESULT_FILES = ["dashboard.png", "firms.parquet", "manifest.json", "ticks.parquet", "years.csv"]
TICK_COLUMNS = [
    "tick",
    "year",
    "week",
    "online_orders",
    "offline_orders",
    "gmv_online",
    "gmv_offline",
    "stores_open",
    "mean_trust_online",
    "mean_trust_offline",
]
YEAR_COLUMNS = [
    "year",
    "online_share",
    "stores_open",
    "store_closures",
    "gmv_online",
    "gmv_offline",
    "mean_trust_online",
    "mean_trust_offline",
]
# Three years, with the baseline's second platform launched in 2005 so that both are in the run.
SMALL_CLI = [
    "--set",
    "population.consumers=2000",
    "--set",
    "time.years=3",
    "--set",
    "platforms.1.launch_year=2005",
]


def o2osim(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "o2osim", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("cli")
    done = o2osim("run", BASELINE, "--out", "result", *SMALL_CLI, "--quiet", cwd=cwd)
    assert done.returncode == 0, done.stderr
    return cwd / "result", done


# ----------------------------------------------------------------------------- o2osim run


def test_run_exits_0_quietly_and_prints_result_and_dashboard_paths(cli_run):
    out, done = cli_run
    assert done.returncode == 0
    # --quiet: no progress bar; only the one note of what three years leave out
    assert done.stderr == (
        "o2osim: note: baseline: dated after the last simulated year 2006, so not in this run: "
        "stages.mobile_year=2011, events.0.start_year=2009, events.1.start_year=2010\n"
    )
    # the paths as given to --out (here relative to the working directory)
    assert "results:   result/ (ticks.parquet, years.csv, firms.parquet, manifest.json)" in (
        done.stdout
    )
    assert "dashboard: result/dashboard.png" in done.stdout
    assert "3 years x 2,000 consumers, seed 42" in done.stdout


def test_run_writes_exactly_the_five_result_files_and_nothing_beside_them(cli_run):
    out, _ = cli_run
    assert sorted(p.name for p in out.iterdir()) == RESULT_FILES
    assert [p.name for p in out.parent.iterdir()] == ["result"]


def test_dashboard_is_a_real_png(cli_run):
    png = (cli_run[0] / "dashboard.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 20_000


def test_ticks_table_has_one_row_per_week(cli_run):
    ticks = pd.read_parquet(cli_run[0] / "ticks.parquet")
    assert set(TICK_COLUMNS) <= set(ticks.columns)
    assert len(ticks) == 3 * 52
    assert ticks["tick"].tolist() == list(range(1, 3 * 52 + 1))
    assert ticks["year"].tolist() == [y for y in (2004, 2005, 2006) for _ in range(52)]
    assert ticks["week"].tolist() == list(range(1, 53)) * 3
    flows = ticks[["online_orders", "offline_orders", "gmv_online", "gmv_offline"]]
    assert (flows >= 0).all().all()
    assert ticks["stores_open"].between(0, 150).all()
    assert ticks[["mean_trust_online", "mean_trust_offline"]].stack().between(0, 1).all()


def test_years_table_sums_the_weeks(cli_run):
    out, _ = cli_run
    years = pd.read_csv(out / "years.csv")
    ticks = pd.read_parquet(out / "ticks.parquet")
    assert list(years.columns[: len(YEAR_COLUMNS)]) == YEAR_COLUMNS
    assert years["year"].tolist() == [2004, 2005, 2006]
    by_year = ticks.groupby("year")
    for flow in ("gmv_online", "gmv_offline", "store_closures"):
        assert years[flow].to_numpy() == pytest.approx(by_year[flow].sum().to_numpy(), rel=1e-9)
    for level in ("stores_open", "mean_trust_online", "mean_trust_offline"):
        assert years[level].to_numpy() == pytest.approx(by_year[level].last().to_numpy(), rel=1e-9)
    share = years["gmv_online"] / (years["gmv_online"] + years["gmv_offline"])
    assert years["online_share"].to_numpy() == pytest.approx(share.to_numpy(), rel=1e-8)
    assert (years["online_share"] > 0).all()


def test_firms_table_lists_every_firm(cli_run):
    firms = pd.read_parquet(cli_run[0] / "firms.parquet")
    counts = firms["kind"].value_counts().to_dict()
    assert counts == {"store": 150, "dealer": 8, "platform": 2, "brand": 1}
    assert firms.loc[firms["kind"] == "platform", "name"].tolist() == ["Taobao", "JD"]


def test_manifest_records_scenario_seed_versions_time_and_checksums(cli_run):
    out, _ = cli_run
    manifest = json.loads((out / "manifest.json").read_text())
    expected = load_scenario(
        BASELINE, ["population.consumers=2000", "time.years=3", "platforms.1.launch_year=2005"]
    )
    assert Scenario.model_validate(manifest["scenario"]) == expected
    assert manifest["seed"] == 42
    assert {"o2osim", "mesa", "numpy", "python"} <= set(manifest["versions"])
    assert manifest["versions"]["python"] == sys.version.split()[0]
    assert datetime.fromisoformat(manifest["started"]).tzinfo is not None
    assert 0 < manifest["wall_seconds"] < 300
    files = manifest["files"]
    assert sorted(files) == sorted(set(RESULT_FILES) - {"manifest.json"})
    for name, digest in files.items():
        assert sha256(out / name) == digest, name


def test_rerun_with_another_seed_replaces_the_result_cleanly(cli_run, tmp_path):
    first, _ = cli_run
    out = tmp_path / "result"
    shutil.copytree(first, out)
    (out / "stale.txt").write_text("left over from an older run")
    done = o2osim("run", BASELINE, "--out", out, *SMALL_CLI, "--seed", "7", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["result"]  # no .partial or .old left
    assert sorted(p.name for p in out.iterdir()) == RESULT_FILES
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 7
    for name, digest in manifest["files"].items():
        assert sha256(out / name) == digest, name
    # --seed changes the market
    assert (out / "years.csv").read_bytes() != (first / "years.csv").read_bytes()
    assert not pd.read_parquet(out / "ticks.parquet").equals(
        pd.read_parquet(first / "ticks.parquet")
    )


def test_misspelled_key_exits_2_with_one_line_and_writes_nothing(tmp_path):
    (tmp_path / "typo.yaml").write_text("stores:\n  rnet: 5\n")
    done = o2osim("run", "typo.yaml", "--out", "never", "--quiet", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.endswith("\n"), done.stderr
    assert done.stderr.startswith("o2osim: error: typo.yaml: stores.rnet: ")
    assert "did you mean 'rent'" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert [p.name for p in tmp_path.iterdir()] == ["typo.yaml"]  # --out never created


# More bad input, through the same entry point in-process (each subprocess costs an import).
# (id, arguments, fragments of the one error line)
BAD_ARGS = [
    (
        "bad --set list index",
        ["run", BASELINE, "--set", "platforms.9.commission=0.1"],
        ["baseline.yaml --set: platforms.9: ", "a list index from 0 to 1"],
    ),
    ("--set without a value", ["run", BASELINE, "--set", "stores.rent"], ["KEY=VALUE"]),
    ("missing scenario file", ["run", "nowhere.yaml"], ["nowhere.yaml", "file not found"]),
    (
        "--out is a file",
        ["run", BASELINE, *SMALL_CLI, "--quiet", "--out", "taken"],
        ["--out: taken exists and is not a directory"],
    ),
    (
        "validate with a bad --set",
        ["validate", BASELINE, "--set", "seed=-1"],
        ["baseline.yaml: seed: got -1", "greater than or equal to 0"],
    ),
]


@pytest.mark.parametrize(
    ("argv", "fragments"), [b[1:] for b in BAD_ARGS], ids=[b[0] for b in BAD_ARGS]
)
def test_bad_arguments_exit_2_with_one_line(tmp_path, monkeypatch, capsys, argv, fragments):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").write_text("a file, not a directory")
    assert main([str(a) for a in argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("o2osim: error: "), err
    for fragment in fragments:
        assert fragment in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert (tmp_path / "taken").read_text() == "a file, not a directory"


# ----------------------------------------------------------------------------- validate, schema


@pytest.mark.parametrize(
    ("text", "code", "stream", "fragments"),
    [
        (None, 0, "stdout", ["baseline.yaml: ok (baseline, 17 years, 20,000 consumers"]),
        (
            "consumers:\n  purchase_rate: 2\n",
            2,
            "stderr",
            ["o2osim: error: bad.yaml: consumers.purchase_rate: ", "less than or equal to 1"],
        ),
    ],
    ids=["good file", "bad file"],
)
def test_validate(tmp_path, text, code, stream, fragments):
    scenario = BASELINE
    if text is not None:
        scenario = "bad.yaml"
        (tmp_path / scenario).write_text(text)
    done = o2osim("validate", scenario, cwd=tmp_path)
    assert done.returncode == code
    output = getattr(done, stream)
    assert output.count("\n") == 1, output
    for fragment in fragments:
        assert fragment in output, output
    assert "Traceback" not in done.stderr


def test_schema_prints_the_json_schema(tmp_path):
    done = o2osim("schema", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    schema = json.loads(done.stdout)
    assert schema == json.loads(json.dumps(Scenario.model_json_schema()))
    assert {"time", "population", "stores", "platforms", "brands"} <= set(schema["properties"])
