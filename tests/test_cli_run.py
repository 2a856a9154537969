"""The command line end to end, on small runs in a temporary directory."""

import hashlib
import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import BASELINE, ROOT

SMALL_CLI = ["--set", "population.consumers=2000", "--set", "time.years=5"]
TICK_COLUMNS = ["tick", "year", "week", "online_orders", "offline_orders", "gmv_online",
                "gmv_offline", "stores_open", "mean_trust_online", "mean_trust_offline"]
YEAR_COLUMNS = ["year", "online_share", "stores_open", "store_closures", "gmv_online",
                "gmv_offline", "mean_trust_online", "mean_trust_offline"]


def o2osim(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "o2osim", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "result"
    done = o2osim("run", BASELINE, "--out", out, *SMALL_CLI, "--quiet")
    assert done.returncode == 0, done.stderr
    return out, done


def test_run_writes_the_five_files(run_dir):
    out, done = run_dir
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["ticks.parquet", "years.csv", "firms.parquet", "manifest.json", "dashboard.png"])
    assert f"results:   {out}" in done.stdout
    assert str(out / "dashboard.png") in done.stdout
    png = (out / "dashboard.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_tables_have_the_documented_columns(run_dir):
    out, _ = run_dir
    ticks = pd.read_parquet(out / "ticks.parquet")
    assert set(TICK_COLUMNS) <= set(ticks.columns)
    assert len(ticks) == 5 * 52
    assert ticks["tick"].tolist() == list(range(1, 5 * 52 + 1))
    years = pd.read_csv(out / "years.csv")
    assert set(YEAR_COLUMNS) <= set(years.columns)
    assert years["year"].tolist() == [2004, 2005, 2006, 2007, 2008]
    share = years["gmv_online"] / (years["gmv_online"] + years["gmv_offline"])
    pd.testing.assert_series_equal(years["online_share"], share, check_names=False, rtol=1e-8)
    firms = pd.read_parquet(out / "firms.parquet")
    assert set(firms["kind"]) == {"store", "platform", "dealer", "brand"}
    assert (firms["kind"] == "store").sum() == 150


def test_manifest_records_the_run_and_checksums(run_dir):
    out, _ = run_dir
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"]["population"]["consumers"] == 2000
    assert manifest["seed"] == 42
    assert {"o2osim", "mesa", "numpy", "python"} <= set(manifest["versions"])
    assert manifest["wall_seconds"] > 0 and manifest["started"]
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


def test_misspelled_key_one_line_exit_2_nothing_written(tmp_path):
    bad = tmp_path / "typo.yaml"
    bad.write_text(f"extends: {BASELINE}\nstores:\n  rnet: 5\n")
    out = tmp_path / "never"
    done = o2osim("run", bad, "--out", out)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "typo.yaml" in lines[0] and "stores.rnet" in lines[0]
    assert "did you mean 'rent'" in lines[0]
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_bad_set_override_exit_2(tmp_path):
    done = o2osim("run", BASELINE, "--out", tmp_path / "x", "--set", "stores.count=-1")
    assert done.returncode == 2 and "stores.count" in done.stderr
    assert not (tmp_path / "x").exists()


def test_validate_and_schema(tmp_path):
    assert o2osim("validate", BASELINE).returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("seed: -1\n")
    done = o2osim("validate", bad)
    assert done.returncode == 2 and "seed" in done.stderr
    schema = json.loads(o2osim("schema").stdout)
    assert "stores" in schema["properties"]


def test_seed_changes_results_and_rerun_replaces_cleanly(tmp_path, run_dir):
    out = tmp_path / "r"
    for _ in range(2):
        done = o2osim("run", BASELINE, "--out", out, *SMALL_CLI, "--seed", "7", "--quiet")
        assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["r"]  # no partial or old directories left
    assert (out / "years.csv").read_bytes() != (run_dir[0] / "years.csv").read_bytes()
