"""The interactive dashboard: a market on Mesa's SolaraViz, in a notebook cell or a web page.

In a notebook, the last expression of a cell shows it::

    from o2osim.viz import dashboard
    dashboard("scenarios/china_2004_2020.yaml", consumers=5000)

On the command line, ``o2osim viz SCENARIO`` serves the same page on localhost. The sliders
rebuild the market when Reset is pressed; Step advances it by the number of weeks the "Render
interval" slider says; the plots read the market's Mesa ``DataCollector``.

Needs the ``viz`` extra (``pip install 'o2osim[viz]'``): Solara with its front end bundled, so
the page works without internet.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, get_args

import matplotlib.pyplot as plt
import pandas as pd
import solara
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

with warnings.catch_warnings():  # Mesa's own page trips Solara's hook linter at import
    warnings.filterwarnings("ignore", ".*`use_state` found despite early return", UserWarning)
    from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from o2osim import plots
from o2osim.model import O2OMarket
from o2osim.scenario import ChannelStrategy, Production, Scenario, load_scenario

#: The live plots: DataCollector column (see :data:`o2osim.metrics.MODEL_REPORTERS`), panel
#: title, unit, and the factor from the column's unit to the panel's.
MEASURES: list[tuple[str, str, str, float]] = [
    ("traffic_cost", "Traffic cost (last closed year)", "yuan per net new buyer", 1.0),
    ("online_conversion", "Online conversion", "orders per 100 visits", 100.0),
    ("online_share", "Online share of sales", "% of sales", 100.0),
    ("stores_open", "Stores open", "stores", 1.0),
]


#: The platforms' decisions drawn beside the live measures, one line per platform and year
#: closed: (years.csv column prefix, title, unit).
DECISIONS: list[tuple[str, str, str]] = [
    ("commission_rate_", "Platforms' commission (set or decided)", "share of GMV"),
    ("ad_load_", "Platforms' ad load (set or decided)", "ads per search session"),
]


#: The store formats drawn on the second page: (years.csv suffix, label).
FORMATS: list[tuple[str, str]] = [
    ("full", "full stores"),
    ("showroom", "showrooms"),
    ("pick_up", "pick-up points"),
    ("service", "service points"),
]


def dashboard_scenario(
    scenario_path: str | Path,
    consumers: int | None = None,
    traffic_budget: float | None = None,
    counterfeit_rate: float | None = None,
    escrow: bool | None = None,
    rent_growth: float | None = None,
    turning_point_year: int | None = None,
    channel_strategy: str | None = None,
    decisions: str | None = None,
    production: str | None = None,
    stock_cover: float | None = None,
    stores_decide: str | None = None,
    seed: int | None = None,
) -> Scenario:
    """A scenario file with the dashboard's levers set on top.

    A lever left ``None`` keeps the file's value.

    Args:
        scenario_path: The scenario file.
        consumers: Simulated consumers (the people they stand for stay as in the file).
        traffic_budget: Multiple of the file's spending on traffic: every platform's own
            traffic buying and its sellers' marketing share (at most 1). Under
            ``attention.budget_rule: return`` (the China scenario) sellers set their budgets
            from a customer's return, so only the platforms' own buying moves.
        counterfeit_rate: Chance that an order at the first platform brings counterfeit goods.
        escrow: Escrow payment on every platform.
        rent_growth: Yearly growth of store rent, 1/year.
        turning_point_year: Year the largest cohort comes of age; later than the run: none.
        channel_strategy: The first brand's channel strategy.
        decisions: ``fixed`` or ``adaptive``: whether the platforms decide their levers
            (a platform's own setting in the file still overrides it).
        production: ``pull`` or ``push``: how the first brand fills its dealers' stock.
        stock_cover: Months of sales dealers keep in stock.
        stores_decide: ``fixed`` or ``adaptive``: whether full stores may change format
            (``stores.decisions``).
        seed: The run's seed.

    Returns:
        The validated scenario.
    """
    base = load_scenario(scenario_path)
    fields: dict[str, Any] = {}
    platforms = base.model_dump(mode="json")["platforms"]
    for p in platforms:
        if traffic_budget is not None:
            p["marketing_share"] = min(1.0, p["marketing_share"] * traffic_budget)
            p["base_marketing"] *= traffic_budget
        if escrow is not None:
            p["escrow"] = escrow
    if counterfeit_rate is not None and platforms:
        platforms[0]["counterfeit_rate"] = counterfeit_rate
    fields["platforms"] = platforms
    brands = base.model_dump(mode="json")["brands"]
    if brands and (channel_strategy is not None or production is not None):
        if channel_strategy is not None:
            brands[0]["channel_strategy"] = channel_strategy
        if production is not None:
            brands[0]["production"] = production
        fields["brands"] = brands
    if turning_point_year is not None:
        after_run = turning_point_year > base.time.start_year + base.time.years
        fields["demography__turning_point_year"] = None if after_run else turning_point_year
    if stores_decide is not None and (stores_decide == "adaptive") != base.stores_decide:
        fields["stores__decisions"] = stores_decide
    for key, value in [
        ("population__consumers", consumers),
        ("stores__rent_growth", rent_growth),
        ("decisions", decisions),
        ("dealers__stock_cover", stock_cover),
        ("seed", seed),
    ]:
        if value is not None:
            fields[key] = value
    return load_scenario(scenario_path, **fields)


class DashboardMarket(O2OMarket):
    """A market built from a scenario file and the dashboard's levers, collecting live measures.

    Every keyword is a lever SolaraViz can set; Reset builds a new market from them.

    Args:
        scenario_path: The scenario file.
        consumers: Simulated consumers.
        traffic_budget: Multiple of the file's spending on traffic (``None``: as in the file).
        counterfeit_rate: Counterfeit rate at the first platform (``None``: as in the file).
        escrow: Escrow on every platform (``None``: as in the file).
        rent_growth: Yearly rent growth, 1/year (``None``: as in the file).
        turning_point_year: Year the largest cohort comes of age (``None``: as in the file).
        channel_strategy: The first brand's channel strategy (``None``: as in the file).
        decisions: Whether the platforms decide, ``fixed`` or ``adaptive`` (``None``: as in
            the file).
        production: The first brand's production, ``pull`` or ``push`` (``None``: as in the
            file).
        stock_cover: Months of sales dealers keep in stock (``None``: as in the file).
        stores_decide: Whether full stores may change format, ``fixed`` or ``adaptive``
            (``None``: as in the file).
        seed: The seed (``None``: as in the file).
    """

    def __init__(
        self,
        scenario_path: str = "scenarios/china_2004_2020.yaml",
        consumers: int | None = 5000,
        traffic_budget: float | None = None,
        counterfeit_rate: float | None = None,
        escrow: bool | None = None,
        rent_growth: float | None = None,
        turning_point_year: int | None = None,
        channel_strategy: str | None = None,
        decisions: str | None = None,
        production: str | None = None,
        stock_cover: float | None = None,
        stores_decide: str | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__(
            dashboard_scenario(
                scenario_path,
                consumers=consumers,
                traffic_budget=traffic_budget,
                counterfeit_rate=counterfeit_rate,
                escrow=escrow,
                rent_growth=rent_growth,
                turning_point_year=turning_point_year,
                channel_strategy=channel_strategy,
                decisions=decisions,
                production=production,
                stock_cover=stock_cover,
                stores_decide=stores_decide,
                seed=seed,
            )
        )
        self.traffic_budget = 1.0 if traffic_budget is None else traffic_budget


def model_params(scenario_path: str | Path, consumers: int = 5000) -> dict[str, Any]:
    """The dashboard's sliders, starting at the scenario file's values.

    Args:
        scenario_path: The scenario file.
        consumers: Simulated consumers (fixed, not a slider).

    Returns:
        SolaraViz ``model_params``: fixed values and slider specifications.
    """
    s = load_scenario(scenario_path)
    first = s.platforms[0] if s.platforms else None
    end = s.time.start_year + s.time.years
    params: dict[str, Any] = {
        "scenario_path": str(scenario_path),
        "consumers": consumers,
        "traffic_budget": {
            "type": "SliderFloat",
            "label": "Traffic budget (x file)",
            "value": 1.0,
            "min": 0.0,
            "max": 3.0,
            "step": 0.1,
        },
        "escrow": {
            "type": "Checkbox",
            "label": "Escrow on all platforms",
            "value": all(p.escrow for p in s.platforms),
        },
        "rent_growth": {
            "type": "SliderFloat",
            "label": "Rent growth (1/year)",
            "value": s.stores.rent_growth,
            "min": 0.0,
            "max": 0.3,
            "step": 0.01,
        },
        "turning_point_year": {
            "type": "SliderInt",
            "label": f"Turning point (>{end}: none)",
            "value": s.demography.turning_point_year or end + 1,
            "min": s.time.start_year - 30,
            "max": end + 1,
            "step": 1,
        },
        "decisions": {
            "type": "Select",
            "label": "Platforms decide",
            "value": s.decisions,
            "values": ["fixed", "adaptive"],
        },
        "stores_decide": {
            "type": "Select",
            "label": "Stores change format",
            "value": "adaptive" if s.stores_decide else "fixed",
            "values": ["fixed", "adaptive"],
        },
        "stock_cover": {
            "type": "SliderFloat",
            "label": "Dealers' stock (months of sales)",
            "value": s.dealers.stock_cover,
            "min": 0.0,
            "max": 3.0,
            "step": 0.5,
        },
        "seed": {"type": "SliderInt", "label": "Seed", "value": s.seed, "min": 0, "max": 9999},
    }
    if first is not None:
        params["counterfeit_rate"] = {
            "type": "SliderFloat",
            "label": f"Counterfeits at {first.name}",
            "value": first.counterfeit_rate,
            "min": 0.0,
            "max": 0.5,
            "step": 0.01,
        }
    if s.brand_levers_allowed:
        params["channel_strategy"] = {
            "type": "Select",
            "label": f"{s.brands[0].name} channel strategy",
            "value": s.brands[0].channel_strategy,
            "values": list(get_args(ChannelStrategy)),
        }
    if s.brands:
        params["production"] = {
            "type": "Select",
            "label": f"{s.brands[0].name} production",
            "value": s.brands[0].production,
            "values": list(get_args(Production)),
        }
    return params


@solara.component
def LivePlots(model: DashboardMarket) -> Any:
    """A Solara component: where the run is, and the live measures against time."""
    update_counter.get()
    frame = model.datacollector.get_model_vars_dataframe()
    fig = Figure(figsize=(9, 5.5), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True)
    s = model.config.time
    for ax, (column, title, unit, scale) in zip(axes.flat, MEASURES, strict=True):
        ax.plot(frame["time"], frame[column] * scale, color="tab:blue")
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(unit, fontsize=8)
        ax.set_xlim(s.start_year, s.start_year + s.years)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("year")
    with solara.Column() as column:
        solara.Markdown(headline(model))
        solara.Markdown(lever_values(model), style={"font-size": "0.85em", "color": "#555"})
        solara.FigureMatplotlib(fig, format="png", dependencies=[update_counter.value])
    return column


def headline(model: DashboardMarket) -> str:
    """Where the run is, and the live measures, in one line of Markdown."""
    last = model.datacollector.get_model_vars_dataframe().iloc[-1]
    when = f"{model.year}, week {model.week}" if model.week else f"{model.year}, before week 1"
    share = last["online_share"]
    share = "-" if share != share else f"{100 * share:.1f}%"
    cost = last["traffic_cost"]
    cost = "-" if cost != cost else f"{cost:.0f} yuan"
    return (
        f"**{when}** (tick {model.recorder.count} of {model.config.ticks}) · "
        f"stores open: **{int(last['stores_open'])}** · online share: **{share}** · "
        f"traffic cost: **{cost}** per net new buyer (last closed year)"
    )


def lever_values(model: DashboardMarket) -> str:
    """The levers of the run on screen, read off its resolved scenario, in one line of Markdown.

    Sliders show their values only while dragged; this line says what the market was built with.
    """
    s = model.config
    parts = [
        f"traffic budget x{model.traffic_budget:.1f}",
        f"rent growth {s.stores.rent_growth:.0%}/year",
        f"turning point {s.demography.turning_point_year or 'none'}",
    ]
    if s.platforms:
        first = s.platforms[0]
        flags = [p.escrow for p in s.platforms]
        escrow = "on" if all(flags) else "off" if not any(flags) else "on some platforms"
        parts += [f"counterfeits at {first.name} {first.counterfeit_rate:.0%}", f"escrow {escrow}"]
        parts.append(f"platforms {s.decisions}")
    if s.stores_decide:
        parts.append("stores change format")
    if s.brand_levers_allowed:
        parts.append(f"{s.brands[0].name}: {s.brands[0].channel_strategy}")
    if s.brands and (s.dealers.stock_cover > 0 or s.brands[0].production == "push"):
        parts.append(
            f"{s.brands[0].name} production {s.brands[0].production}, "
            f"dealers' stock {_months(s.dealers.stock_cover)} of sales"
        )
    parts.append(f"seed {s.seed}")
    return "levers: " + " · ".join(parts)


def _yearly_panel(
    ax: Any,
    model: DashboardMarket,
    lines: list[tuple[str, str]],
    title: str,
    unit: str,
) -> None:
    """Draw yearly ``(years.csv column, label)`` steps on ``ax``, with the panel's frame."""
    years = pd.DataFrame(model.annual)
    for column, label in lines:
        if column in years:
            ax.step(years["year"], years[column], where="post", marker="o", ms=3, label=label)
    s = model.config.time
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(unit, fontsize=8)
    ax.set_xlabel("year")
    ax.set_xlim(s.start_year, s.start_year + s.years)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    if len(ax.lines) > 1:
        ax.legend(frameon=False, fontsize=8)


@solara.component
def PlatformDecisions(model: DashboardMarket) -> Any:
    """A Solara component: each platform's commission and ad load in every closed year."""
    update_counter.get()
    fig = Figure(figsize=(9, 3), layout="constrained")
    for ax, (prefix, title, unit) in zip(fig.subplots(1, 2), DECISIONS, strict=True):
        lines = [(f"{prefix}{p.name}", p.name) for p in model.platforms]
        _yearly_panel(ax, model, lines, title, unit)
    return solara.FigureMatplotlib(fig, format="png", dependencies=[update_counter.value])


def _months(count: float) -> str:
    """``1 month``, ``0.5 months``."""
    return f"{count:g} month" + ("" if count == 1 else "s")


@solara.component
def DealerStock(model: DashboardMarket) -> Any:
    """A Solara component: the brands' unsold stock at dealers at the end of every closed year."""
    update_counter.get()
    fig = Figure(figsize=(4.5, 3), layout="constrained")
    s = model.config
    mode = s.brands[0].production if s.brands else "-"
    title = f"Unsold stock at dealers ({mode}, {_months(s.dealers.stock_cover)})"
    lines = [("unsold_stock", "unsold stock")]
    _yearly_panel(fig.subplots(), model, lines, title, "yuan at year end")
    return solara.FigureMatplotlib(fig, format="png", dependencies=[update_counter.value])


@solara.component
def StoreFormats(model: DashboardMarket) -> Any:
    """A Solara component: stores open at the end of every closed year, by format."""
    update_counter.get()
    fig = Figure(figsize=(4.5, 3), layout="constrained")
    lines = [(f"stores_{name}", label) for name, label in FORMATS]
    _yearly_panel(fig.subplots(), model, lines, "Stores by format", "stores open at year end")
    return solara.FigureMatplotlib(fig, format="png", dependencies=[update_counter.value])


@solara.component
def BrandBudgets(model: DashboardMarket) -> Any:
    """A Solara component: each brand's budget online and the natives' festival share by year.

    Empty while no brand decides (``brands[].decisions``; try ``scenarios/china_brands.yaml``).
    """
    update_counter.get()
    fig = Figure(figsize=(4.5, 3), layout="constrained")
    s = model.config
    deciding = [b.name for i, b in enumerate(s.brands) if s.brand_decides(i)]
    lines = [(f"online_budget_share_{n}", n) for n in deciding]
    lines.append(("festival_native_share", "natives' festival share"))
    title = "Brands' budget online" if deciding else "Brands' budget online (brands fixed)"
    _yearly_panel(fig.subplots(), model, lines, title, "share")
    return solara.FigureMatplotlib(fig, format="png", dependencies=[update_counter.value])


@solara.component
def StoreMap(model: DashboardMarket) -> Any:
    """A Solara component: stores open and closed, consumers coloured by the channel they use."""
    update_counter.get()
    fig = plots.store_map(model, sample=3000)
    plt.close(fig)  # drawn by Solara, not kept by pyplot
    return solara.FigureMatplotlib(fig, format="png", dependencies=[update_counter.value])


def dashboard(
    scenario_path: str | Path,
    consumers: int = 5000,
    render_interval: int = 13,
    play_interval: int = 101,
    **levers: Any,
) -> Any:
    """The SolaraViz page for a scenario file: sliders, play / step / reset, plots and map.

    Args:
        scenario_path: The scenario file.
        consumers: Simulated consumers; a few thousand keep the page quick.
        render_interval: Weeks one press of Step (or one frame of play) advances: odd, as
            Mesa's slider moves in steps of 2 from 1 (13: a quarter).
        play_interval: Pause between frames while playing, ms (1 + a multiple of 10).
        **levers: Starting values of the :class:`DashboardMarket` levers.

    Returns:
        A Solara element; the last expression of a notebook cell shows it.
    """
    params = model_params(scenario_path, consumers)
    start = {k: (v["value"] if isinstance(v, dict) else v) for k, v in params.items()}
    start.update(levers)
    model = DashboardMarket(**start)
    components = [
        (LivePlots, 0),
        (StoreMap, 0),
        (PlatformDecisions, 1),
        (DealerStock, 1),
        (StoreFormats, 1),
        (BrandBudgets, 1),
    ]
    return SolaraViz(
        model,
        components=components,
        model_params=params,
        name=f"o2osim: {model.config.name}",
        play_interval=play_interval,
        render_interval=render_interval,
    )


__all__ = [
    "DashboardMarket",
    "headline",
    "lever_values",
    "LivePlots",
    "PlatformDecisions",
    "DealerStock",
    "StoreFormats",
    "BrandBudgets",
    "StoreMap",
    "dashboard",
    "dashboard_scenario",
    "model_params",
]
