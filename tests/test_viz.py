"""The interactive dashboard: its levers, its live measures, and the page in a real browser."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import BASELINE, ROOT

from o2osim.cli import main
from o2osim.errors import ScenarioError

viz = pytest.importorskip("o2osim.viz", reason="the viz extra (solara) is not installed")

CHINA = ROOT / "scenarios" / "china_2004_2020.yaml"
CHROMIUM = Path("/usr/bin/chromium")


def test_levers_set_the_scenario():
    s = viz.dashboard_scenario(
        CHINA,
        consumers=500,
        traffic_budget=2.0,
        counterfeit_rate=0.3,
        escrow=False,
        rent_growth=0.15,
        turning_point_year=2010,
        seed=7,
    )
    assert s.population.consumers == 500
    assert [p.marketing_share for p in s.platforms] == pytest.approx([0.1, 0.1, 0.1])
    assert [p.base_marketing for p in s.platforms] == [4000, 100_000, 200_000]
    assert [p.counterfeit_rate for p in s.platforms] == [0.3, 0.02, 0.1]  # the first platform's
    assert not any(p.escrow for p in s.platforms)
    assert s.stores.rent_growth == 0.15
    assert s.demography.turning_point_year == 2010
    assert s.seed == 7


def test_the_channel_strategy_lever_is_offered_only_where_brands_can_use_it():
    # brands' levers need list prices: the China scenario's sellers set theirs
    assert "channel_strategy" not in viz.model_params(CHINA)
    with pytest.raises(ScenarioError, match="brands.0.channel_strategy"):
        viz.dashboard_scenario(CHINA, channel_strategy="customer_split")
    params = viz.model_params(BASELINE)
    assert "customer_split" in params["channel_strategy"]["values"]
    s = viz.dashboard_scenario(BASELINE, channel_strategy="customer_split")
    assert s.brands[0].channel_strategy == "customer_split"


def test_levers_left_unset_keep_the_file():
    s = viz.dashboard_scenario(CHINA)
    assert s == viz.load_scenario(CHINA)


def test_turning_point_after_the_run_means_none():
    scenario = viz.dashboard_scenario(CHINA, turning_point_year=2022)
    assert scenario.demography.turning_point_year is None


def test_sliders_start_at_the_file_and_rebuild_the_market():
    params = viz.model_params(CHINA, consumers=400)
    assert params["traffic_budget"]["value"] == 1.0
    assert params["counterfeit_rate"]["value"] == 0.15
    assert params["turning_point_year"]["value"] == 2002
    assert params["escrow"]["value"] is True
    # what SolaraViz's Reset does: the class called with the sliders' values
    start = {k: (v["value"] if isinstance(v, dict) else v) for k, v in params.items()}
    model = viz.DashboardMarket(**start)
    assert model.config == viz.dashboard_scenario(CHINA, consumers=400)


def test_the_levers_of_the_run_are_written_out():
    model = viz.DashboardMarket(
        str(CHINA),
        consumers=300,
        traffic_budget=2.0,
        escrow=False,
        rent_growth=0.15,
        turning_point_year=2030,
        counterfeit_rate=0.3,
        seed=7,
    )
    assert viz.lever_values(model) == (
        "levers: traffic budget x2.0 · rent growth 15%/year · turning point none · "
        "counterfeits at Taobao 30% · escrow off · platforms fixed · seed 7"
    )
    on_baseline = viz.DashboardMarket(
        str(BASELINE), consumers=300, channel_strategy="customer_split", seed=7
    )
    assert "· Acme: customer_split · seed 7" in viz.lever_values(on_baseline)
    mixed = SimpleNamespace(
        config=viz.load_scenario(CHINA, ["platforms.1.escrow=false"]), traffic_budget=1.0
    )
    assert "· escrow on some platforms ·" in viz.lever_values(mixed)
    pushed = viz.DashboardMarket(str(CHINA), consumers=300, production="push", stock_cover=1.0)
    assert pushed.config.brands[0].production == "push"
    assert pushed.config.dealers.stock_cover == 1.0
    assert "· Acme production push, dealers' stock 1 month of sales · seed" in viz.lever_values(
        pushed
    )
    deciding = viz.DashboardMarket(str(CHINA), consumers=300, stores_decide="adaptive")
    assert deciding.config.stores_decide
    assert "· platforms fixed · stores change format · seed" in viz.lever_values(deciding)


def test_market_collects_measures_and_stops_at_the_end():
    model = viz.DashboardMarket(str(BASELINE), consumers=300)
    while model.running:
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    ticks = model.config.ticks
    assert len(frame) == ticks + 1  # the start and every week
    assert frame["time"].iloc[-1] == model.config.time.start_year + model.config.time.years
    assert frame["stores_open"].iloc[-1] == model.store_open.sum()
    share = frame["online_share"].dropna()
    assert ((share >= 0) & (share <= 100)).all() and share.iloc[-1] > 0
    # the last closed year's traffic cost: undefined until the first year closes
    per_year = model.config.time.ticks_per_year
    assert frame["traffic_cost"].iloc[:per_year].isna().all()
    assert np.isfinite(frame["traffic_cost"].iloc[per_year:]).all()
    assert np.isfinite(frame["cost_per_new_customer"]).all()
    model.step()  # past the end: nothing happens
    assert model.recorder.count == ticks
    assert len(model.datacollector.get_model_vars_dataframe()) == ticks + 1


def test_viz_refuses_a_bad_scenario(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("stores:\n  rent: -1\n")
    assert main(["viz", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "stores.rent" in err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if server.poll() is not None:
            pytest.fail(f"o2osim viz exited with {server.returncode}: {server.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"o2osim viz did not answer on {url} in {seconds} s")


@pytest.fixture
def served_dashboard():
    """``o2osim viz`` on a free localhost port, as a user starts it; stopped afterwards."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "o2osim",
            "viz",
            str(BASELINE),
            "--consumers",
            "2000",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env={**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(url, server)
        yield url
    finally:  # the server and anything it started
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _images(page) -> list[str]:
    """The sources of the drawn figures (PNG images at least 400 pixels wide)."""
    return page.eval_on_selector_all(
        "img", "els => els.filter(e => e.naturalWidth >= 400).map(e => e.src)"
    )


def test_dashboard_in_a_real_browser(served_dashboard, tmp_path):
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip("Chromium is not installed (/usr/bin/chromium): apt-get install chromium")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(served_dashboard)
            step = page.get_by_role("button", name="Step", exact=True)
            step.wait_for(timeout=60_000)
            for name in ["Reset", "▶"]:
                assert page.get_by_role("button", name=name, exact=True).is_visible()
            for label in [
                "Traffic budget",
                "Escrow",
                "Rent growth",
                "Turning point",
                "Counterfeits at Taobao",
                "channel strategy",
                "Platforms decide",
                "Acme production",
                "Dealers' stock",
                "Stores change format",
            ]:
                assert page.get_by_text(label).count() >= 1, label
            page.wait_for_function("document.querySelectorAll('img').length >= 2")
            before = _images(page)
            assert len(before) == 2  # the live plots and the store map
            assert page.get_by_text("(tick 0 of").is_visible()
            # the levers of the market on screen, read back (the served file is the baseline)
            levers = page.get_by_text("levers: traffic budget x1.0 · rent growth 6%/year")
            assert levers.is_visible()

            step.click()
            page.get_by_text("(tick 13 of").wait_for(timeout=30_000)
            page.wait_for_function(
                "old => { const s = [...document.querySelectorAll('img')].map(e => e.src);"
                " return s.length >= 2 && s.every(x => !old.includes(x)); }",
                arg=before,
                timeout=30_000,
            )
            after = _images(page)
            assert len(after) == 2 and set(after).isdisjoint(before)
            shot = tmp_path / "dashboard.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 20_000

            page.get_by_role("button", name="Reset", exact=True).click()
            page.get_by_text("(tick 0 of").wait_for(timeout=30_000)

            # the platforms' decisions, the dealers' stock, the stores' formats and the
            # brands' budgets, page 2
            page.get_by_role("tab", name="Page 1").click()
            page.wait_for_function(
                "[...document.querySelectorAll('img')].filter(e => e.naturalWidth >= 400)"
                ".length == 4",
                timeout=30_000,
            )
        finally:
            browser.close()
