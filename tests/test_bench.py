"""The benchmark measures real runs in fresh processes and reports every documented field."""

import json

import pytest
from conftest import ROOT

from o2osim import bench, cli

BASELINE = ROOT / "scenarios" / "baseline.yaml"


def test_bench_report_has_every_field():
    report = bench.run_bench([400, 800], 12, BASELINE, reference_consumers=300)
    assert set(report) == {"machine", "runs", "reference"}
    assert [r["consumers"] for r in report["runs"]] == [400, 800]
    for run in report["runs"]:
        assert run["ticks"] == 12 * 52
        assert run["build_s"] > 0 and run["wall_s"] > 0 and run["peak_rss_mb"] > 50
        assert run["consumer_steps_per_s"] == pytest.approx(
            run["consumers"] * run["ticks"] / run["wall_s"], rel=0.01
        )
        assert sum(run["phase_share"].values()) == pytest.approx(1.0, abs=0.01)
        assert {"adoption", "needs", "choice", "purchases", "books"} <= set(run["phase_share"])
    ref = report["reference"]
    assert ref["consumers"] == 300
    assert ref["ratio"] == pytest.approx(  # rounded to one decimal
        ref["vectorized_steps_per_s"] / ref["agents_steps_per_s"], abs=0.051
    )
    assert ref["ratio"] > 1  # the per-agent engine is slower, even at 300 consumers
    assert report["machine"]["cores"] >= 1 and report["machine"]["copy_bandwidth_gb_s"] > 0
    json.dumps(report)  # the --out file is plain JSON
    assert "reference at 300 consumers" in bench.table(report)


def test_bench_measures_a_scenario_the_reference_engine_refuses():
    economics = ROOT / "scenarios" / "china_2004_2020.yaml"
    report = bench.run_bench([400], 6, economics, reference_consumers=300)
    assert [r["consumers"] for r in report["runs"]] == [400]
    assert "service value" in report["reference"]["skipped"]
    assert "reference engine not compared" in bench.table(report)


@pytest.mark.parametrize("sizes", ["abc", "5", ""])
def test_bench_refuses_bad_sizes_in_one_line(capsys, sizes):
    assert cli.main(["bench", "--consumers", sizes]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--consumers" in err[0]
