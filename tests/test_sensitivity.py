"""``o2osim sensitivity`` and ``o2osim plot`` on sweep directories built by hand.

The directories follow the layout of docs/sweeps.md exactly (sweep.json, points.parquet,
results/part-*.parquet) without running ``o2osim sweep``: the Ishigami function, whose Sobol
indices are known in closed form, stands in for the market, so the whole analysis runs in a
second or two.
"""

import json

import numpy as np
import pandas as pd
import pytest
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from o2osim import plots
from o2osim.batch.sensitivity import sensitivity
from o2osim.cli import main
from o2osim.errors import O2OError
from o2osim.metrics import per_run
from o2osim.results import write_parquet

NAMES = ["x1", "x2", "x3"]
PROBLEM = {"num_vars": 3, "names": NAMES, "bounds": [[-np.pi, np.pi]] * 3}
# Closed form for a = 7, b = 0.1 (Ishigami and Homma 1990; Sobol' and Levitan 1999).
S1 = [0.3139, 0.4424, 0.0]
ST = [0.5576, 0.4424, 0.2437]


def ishigami(x):
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def run_seed(seed, run_id):
    return int(np.random.SeedSequence([seed, run_id]).generate_state(1, np.uint64)[0] % 2**63)


def write_sweep(out, points, rows, design, samples, replicates, metrics, seed=3, parameters=None):
    """A sweep directory in the layout of docs/sweeps.md."""
    names = [c for c in points.columns if c != "point_id"]
    (out / "results").mkdir(parents=True)
    write_parquet(points, out / "points.parquet")
    write_parquet(rows, out / "results" / "part-000000000-test.parquet")
    parameters = parameters or {
        n: {
            "low": float(points[n].min()),
            "high": float(points[n].max()),
            "values": None,
            "levels": None,
        }
        for n in names
    }
    spec = {
        "base": "",
        "overrides": [],
        "seed": seed,
        "design": design,
        "samples": samples,
        "replicates": replicates,
        "common_random_numbers": False,
        "parameters": parameters,
        "metrics": metrics,
        "model": "ishigami",
    }
    meta = {"spec": spec, "points": len(points), "runs": len(points) * replicates}
    if design != "grid":
        meta["problem"] = {
            "num_vars": len(names),
            "names": names,
            "bounds": [[parameters[n]["low"], parameters[n]["high"]] for n in names],
        }
    (out / "sweep.json").write_text(json.dumps(meta))
    return out


def ishigami_sweep(out, design="sobol", samples=1024, replicates=1, seed=3, drop=(), noise=0.0):
    """An Ishigami sweep: replicate r adds (-1)^r * noise, so replicate means are exact."""
    if design == "sobol":
        x = sobol_sample.sample(PROBLEM, samples, calc_second_order=False, seed=seed)
    elif design == "morris":
        x = morris_sample.sample(PROBLEM, samples, num_levels=4, seed=seed)
    else:
        x = np.random.default_rng(seed).uniform(-np.pi, np.pi, (samples, 3))
    points = pd.DataFrame(x, columns=NAMES)
    points.insert(0, "point_id", np.arange(len(points), dtype=np.int64))
    y = ishigami(x)
    frames = []
    for r in range(replicates):
        run_id = points["point_id"].to_numpy() * replicates + r
        frame = pd.DataFrame(
            {
                "run_id": run_id,
                "point_id": points["point_id"].to_numpy(),
                "replicate": np.full(len(points), r, dtype=np.int64),
                "seed": np.array([run_seed(seed, i) for i in run_id], dtype=np.int64),
                **{n: points[n].to_numpy() for n in NAMES},
                "year": np.zeros(len(points), dtype=np.int64),
                "y": y + (-1) ** r * noise if replicates > 1 else y,
            }
        )
        frames.append(frame[~frame["point_id"].isin(drop)])
    rows = pd.concat(frames).sort_values("run_id", ignore_index=True)
    bounds = {n: {"low": -np.pi, "high": np.pi, "values": None, "levels": None} for n in NAMES}
    return write_sweep(out, points, rows, design, samples, replicates, ["y"], seed, bounds)


@pytest.fixture(scope="module")
def sobol_dir(tmp_path_factory):
    return ishigami_sweep(tmp_path_factory.mktemp("sweeps") / "sobol")


def test_sobol_indices_of_ishigami_match_the_closed_form(sobol_dir):
    table = sensitivity(sobol_dir)
    assert list(table.columns) == ["metric", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert list(table["parameter"]) == NAMES
    # N = 1024 (5,120 points): Saltelli's estimators are within a few hundredths.
    np.testing.assert_allclose(table["S1"], S1, atol=0.05)
    np.testing.assert_allclose(table["ST"], ST, atol=0.03)
    # the 95% intervals are there and of the size N = 1024 gives
    assert ((table["S1_conf"] > 0.02) & (table["S1_conf"] < 0.1)).all()
    assert table.attrs["design"] == "sobol" and table.attrs["points"] == 1024 * 5


def test_replicates_are_averaged_per_point(tmp_path, sobol_dir):
    noisy = ishigami_sweep(tmp_path / "noisy", replicates=2, noise=0.5)
    pd.testing.assert_frame_equal(sensitivity(noisy), sensitivity(sobol_dir))


def test_morris_ranks_x1_and_x2_above_x3(tmp_path):
    table = sensitivity(ishigami_sweep(tmp_path / "morris", "morris", samples=200))
    assert list(table.columns) == ["metric", "parameter", "mu_star", "mu_star_conf", "sigma", "mu"]
    mu_star = table.set_index("parameter")["mu_star"]
    assert min(mu_star["x1"], mu_star["x2"]) > mu_star["x3"]
    # x2 acts alone and evenly (sin^2 is symmetric): its mean effect cancels, mu* does not
    assert abs(table.set_index("parameter").loc["x2", "mu"]) < 0.2 * mu_star["x2"]


def test_missing_points_make_sobol_impossible(tmp_path):
    sweep = ishigami_sweep(tmp_path / "part", samples=64, drop=(3, 10, 200))
    with pytest.raises(O2OError, match=r"3 of 320 points .* have no successful run.*rerun"):
        sensitivity(sweep)


def test_per_run_takes_the_final_year_the_mean_or_the_sum():
    rows = pd.DataFrame(
        {
            "run_id": [0, 0, 1, 1],
            "point_id": [0, 0, 1, 1],
            "replicate": [0, 0, 0, 0],
            "seed": [5, 5, 6, 6],
            "a.b": [1.0] * 4,
            "year": [2005, 2004, 2004, 2005],
            "m": [3.0, 1.0, 2.0, np.nan],
        }
    )
    assert per_run(rows, ["m"], "final")["m"].tolist()[0] == 3.0
    assert np.isnan(per_run(rows, ["m"], "final")["m"].iloc[1])  # the last year, even if NaN
    assert per_run(rows, ["m"], "mean")["m"].tolist() == [2.0, 2.0]
    assert per_run(rows, ["m"], "sum")["m"].tolist() == [4.0, 2.0]
    assert per_run(rows, ["m"], "sum")["a.b"].tolist() == [1.0, 1.0]


def test_cli_writes_table_markdown_and_figure(sobol_dir, tmp_path, capsys):
    out = tmp_path / "sa"
    assert main(["sensitivity", str(sobol_dir), "--metric", "y", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "sensitivity.csv",
        "sensitivity.md",
        "sensitivity.png",
    ]
    csv = pd.read_csv(out / "sensitivity.csv")
    assert list(csv["parameter"]) == NAMES
    assert "| y | x2 |" in (out / "sensitivity.md").read_text()
    assert (out / "sensitivity.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "sensitivity.md" in capsys.readouterr().out


def test_cli_unknown_metric_one_line_nothing_written(sobol_dir, tmp_path, capsys):
    out = tmp_path / "sa"
    assert main(["sensitivity", str(sobol_dir), "--metric", "z", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == "o2osim: error: --metric: got 'z', expected a metric of the sweep (y)\n"
    assert not out.exists()


def test_cli_refuses_a_latin_sweep_with_one_line(tmp_path, capsys):
    sweep = ishigami_sweep(tmp_path / "latin", "latin", samples=50)
    meta = json.loads((sweep / "sweep.json").read_text())
    meta["spec"]["design"] = "latin"
    (sweep / "sweep.json").write_text(json.dumps(meta))
    assert main(["sensitivity", str(sweep)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a latin sweep" in err and "design: sobol" in err
    assert not (sweep / "sensitivity").exists()


def test_cli_missing_points_one_line_nothing_written(tmp_path, capsys):
    sweep = ishigami_sweep(tmp_path / "part", samples=64, drop=(0,))
    assert main(["sensitivity", str(sweep)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "1 of 320 points" in err
    assert not (sweep / "sensitivity").exists()


# ----------------------------------------------------------------------------- plots


def market_results(design):
    """A small fake market sweep: two parameters of the scenario, online share by year."""
    rng = np.random.default_rng(1)
    if design == "grid":
        q, g = np.meshgrid([0.2, 0.4, 0.6], [0.0, 0.05, 0.1])
        x = np.column_stack([q.ravel(), g.ravel()])
    else:
        x = np.column_stack([rng.uniform(0.2, 0.6, 60), rng.uniform(0.0, 0.1, 60)])
    names = ["adoption.q", "stores.rent_growth"]
    points = pd.DataFrame(x, columns=names)
    points.insert(0, "point_id", np.arange(len(points), dtype=np.int64))
    rows = []
    for p, (q, g) in enumerate(x):
        for r in range(2):
            for year in (2004, 2005):
                rows.append(
                    {
                        "run_id": p * 2 + r,
                        "point_id": p,
                        "replicate": r,
                        "seed": run_seed(9, p * 2 + r),
                        "adoption.q": q,
                        "stores.rent_growth": g,
                        "year": year,
                        "online_share": q * (year - 2003) / 2 - g + rng.normal(0, 0.01),
                    }
                )
    frame = pd.DataFrame(rows).astype(
        {c: "int64" for c in ("run_id", "point_id", "replicate", "seed", "year")}
    )
    return points, frame


@pytest.mark.parametrize("design", ["grid", "latin"])
def test_sweep_line_and_heatmap_label_their_axes_with_units(tmp_path, design):
    _, results = market_results(design)
    fig = plots.sweep_line(results, "adoption.q", "online_share")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "adoption.q (1/year)"
    assert ax.get_ylabel() == "online_share, final-year value (share of GMV)"
    # the mean line runs along increasing x: one point per grid value, else per bin
    line = ax.lines[0].get_xdata()
    assert np.all(np.diff(line) > 0)
    assert len(line) == (3 if design == "grid" else 12)
    fig.savefig(tmp_path / "line.png")
    assert (tmp_path / "line.png").read_bytes()[:4] == b"\x89PNG"

    fig = plots.sweep_heatmap(
        results, "adoption.q", "stores.rent_growth", "online_share", over="mean"
    )
    ax = fig.axes[0]
    assert ax.get_xlabel() == "adoption.q (1/year)"
    assert ax.get_ylabel() == "stores.rent_growth (1/year)"
    assert fig.axes[1].get_ylabel() == "online_share, mean over years (share of GMV)"
    fig.savefig(tmp_path / "heat.png")
    assert (tmp_path / "heat.png").read_bytes()[:4] == b"\x89PNG"
    plots.plt.close("all")


def test_cli_plot_draws_line_and_heat_map(tmp_path, capsys):
    points, results = market_results("grid")
    sweep = write_sweep(tmp_path / "grid", points, results, "grid", 0, 2, ["online_share"])
    assert main(["plot", str(sweep), "--x", "adoption.q", "--y", "online_share"]) == 0
    assert (sweep / "plot_online_share_adoption.q.png").exists()
    heat = tmp_path / "figs" / "heat.png"
    assert (
        main(
            [
                "plot",
                str(sweep),
                "--x",
                "adoption.q",
                "--y",
                "stores.rent_growth",
                "--z",
                "online_share",
                "--out",
                str(heat),
            ]
        )
        == 0
    )
    assert heat.read_bytes()[:4] == b"\x89PNG"
    capsys.readouterr()
    assert (
        main(
            [
                "plot",
                str(sweep),
                "--x",
                "adoption.p",
                "--y",
                "online_share",
                "--out",
                str(tmp_path / "no.png"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("o2osim: error: --x: got 'adoption.p', expected a parameter")
    assert not (tmp_path / "no.png").exists()
