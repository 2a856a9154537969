"""The market model: conservation of goods and money, closed stores, agent views, behaviour."""

from functools import cache

import mesa
import numpy as np
import pytest
from conftest import BASELINE, SMALL, small_model, small_run

from o2osim import O2OMarket, load_scenario
from o2osim.agents import Brand, Consumer, Dealer, Platform, Store

#: Half the consumers shop online from the start, so online flows are large in five years.
ONLINE = ["adoption.initial_adopters=0.5"]

# ----------------------------------------------------------------------------- conservation

# (id, overrides, seeds). Every run is five whole years, so the last week closes a month and
# every sale is on the firms' books.
MARKETS = [
    ("baseline", [], (1, 2, 3)),
    ("many online shoppers", ONLINE, (4,)),
    (
        "two brands",
        [
            *ONLINE,
            "brands=[{name: A, market_share: 0.6, unit_cost: 0.3}, {name: B, market_share: 0.4}]",
        ],
        (5,),
    ),
    ("stores closing", [*ONLINE, "stores.rent=150000"], (6, 7)),
    ("every store closes", [*ONLINE, "stores.rent=2000000"], (8,)),
]
MARKET_IDS = [(name, seed) for name, _, seeds in MARKETS for seed in seeds]


@cache
def finished(name: str, seed: int) -> O2OMarket:
    overrides = next(o for n, o, _ in MARKETS if n == name)
    return small_model(*overrides, seed=seed)


def units_bought(m):
    return (m.population.orders.sum() + m.departed_orders) * m.people_per_consumer


def units_sold(m):
    return sum(s.units_sold for s in m.stores) + sum(p.orders for p in m.platforms)


def ticks_sum(m, *columns):
    ticks = m.recorder.frame()
    return sum(ticks[c].sum() for c in columns)


def unit_cost(m):
    # production cost of one order, averaged over the brands by their shares
    shares = sum(b.config.unit_cost * b.config.market_share for b in m.brands)
    return shares * m.config.consumers.basket_value


# (id, left side, right side): both computed from a finished model
IDENTITIES = [
    ("units bought = units sold", units_bought, units_sold),
    (
        "orders recorded = units sold",
        lambda m: ticks_sum(m, "online_orders", "offline_orders"),
        units_sold,
    ),
    (
        "consumer spending = store revenue + platform GMV",
        lambda m: ticks_sum(m, "gmv_online", "gmv_offline"),
        lambda m: sum(s.revenue for s in m.stores) + sum(p.gmv for p in m.platforms),
    ),
    (
        "spending in stores = store revenue",
        lambda m: ticks_sum(m, "gmv_offline"),
        lambda m: sum(s.revenue for s in m.stores),
    ),
    (
        "platform GMV = commission + brand online revenue",
        lambda m: sum(p.gmv for p in m.platforms),
        lambda m: (
            sum(p.commission_revenue for p in m.platforms) + sum(b.revenue_online for b in m.brands)
        ),
    ),
    (
        "store cost of goods = dealer revenue",
        lambda m: sum(s.revenue for s in m.stores) * (1 - m.config.stores.gross_margin),
        lambda m: sum(d.revenue for d in m.dealers),
    ),
    (
        "dealer purchases = brand wholesale revenue",
        lambda m: sum(d.revenue for d in m.dealers) * (1 - m.config.dealers.margin),
        lambda m: sum(b.revenue_offline for b in m.brands),
    ),
    (
        "brand production = units sold x unit cost",
        lambda m: sum(b.production_cost for b in m.brands),
        lambda m: units_sold(m) * unit_cost(m),
    ),
    (
        "bad orders recorded = bad orders on platforms",
        lambda m: ticks_sum(m, "counterfeit_incidents"),
        lambda m: sum(p.bad_orders for p in m.platforms),
    ),
    (
        "store cash = initial cash + profit",
        lambda m: np.array([s.cash for s in m.stores]),
        lambda m: np.array([m.config.stores.initial_cash + s.profit for s in m.stores]),
    ),
    (
        "closures recorded = stores closed",
        lambda m: ticks_sum(m, "store_closures"),
        lambda m: sum(not s.is_open for s in m.stores),
    ),
]


@pytest.mark.parametrize(
    ("left", "right"), [i[1:] for i in IDENTITIES], ids=[i[0] for i in IDENTITIES]
)
@pytest.mark.parametrize(
    ("market", "seed"), MARKET_IDS, ids=[f"{n} seed {s}" for n, s in MARKET_IDS]
)
def test_conservation(market, seed, left, right):
    model = finished(market, seed)
    assert left(model) == pytest.approx(right(model), rel=1e-9, abs=1e-6)


@pytest.mark.parametrize(
    ("market", "seed"), MARKET_IDS, ids=[f"{n} seed {s}" for n, s in MARKET_IDS]
)
def test_markets_in_the_conservation_table_trade_in_both_channels(market, seed):
    # guards the table above against passing on empty flows
    model = finished(market, seed)
    ticks = model.recorder.frame()
    assert ticks["gmv_online"].sum() > 0
    assert ticks["gmv_offline"].sum() > 0
    assert units_sold(model) > 0


# ----------------------------------------------------------------------------- closed stores


def test_closed_stores_sell_nothing_after_their_closed_tick():
    scenario = load_scenario(BASELINE, [*SMALL, *ONLINE, "stores.rent=150000", "seed=6"])
    model = O2OMarket(scenario)
    frozen: dict[int, tuple[float, float, float]] = {}
    for _ in range(scenario.ticks):
        model.step()
        for store in model.stores:
            if store.is_open:
                assert store.closed_tick is None
                continue
            assert store.closed_tick <= model.steps
            books = (store.units_sold, store.revenue, store.cash)
            if store.closed_tick < model.steps:  # a later week: nothing more is sold or paid
                assert model.store_books.month_units[store.index] == 0
                assert model.store_books.month_sales[store.index] == 0
                assert books == frozen[store.index]
            frozen[store.index] = books
        assert model.recorder.last("stores_open") == sum(s.is_open for s in model.stores)
    assert 0 < len(frozen) < len(model.stores)  # some stores closed, some survived


@pytest.mark.parametrize("seed", [1, 2])
def test_no_offline_sales_once_every_store_has_closed(seed):
    ticks = small_run(*ONLINE, "stores.rent=2000000", seed=seed).ticks
    closed = ticks.index[ticks["stores_open"] == 0]
    assert len(closed) > 0 and closed[0] < 10
    after = ticks.loc[closed[0] + 1 :]  # the tick of the last closure still had its sales
    assert (after["stores_open"] == 0).all()
    assert (after["offline_orders"] == 0).all()
    assert (after["gmv_offline"] == 0).all()
    assert after["online_orders"].sum() > 0  # online shoppers still buy


# ----------------------------------------------------------------------------- consumer views


def test_consumers_are_mesa_agents_one_per_consumer():
    model = O2OMarket(load_scenario(BASELINE, SMALL))
    by_type = model.agents_by_type
    assert len(by_type[Consumer]) == 3000
    assert {c.index for c in by_type[Consumer]} == set(range(3000))
    counts = {kind: len(by_type[kind]) for kind in (Store, Platform, Dealer, Brand)}
    assert counts == {Store: 150, Platform: 2, Dealer: 8, Brand: 1}
    assert len(model.agents) == 3000 + 161


def test_consumer_views_read_the_population_columns():
    model = small_model(*ONLINE, seed=2)
    pop = model.population
    views = list(model.agents_by_type[Consumer])
    assert len(views) == pop.count
    assert {c.index for c in views} == set(np.flatnonzero(pop.alive))
    for c in views:
        assert set(c.trust) == {"stores", "Taobao", "JD"}
        assert c.trust["stores"] == c.trust_offline == float(pop.trust_offline[c.index])
        assert c.trust["Taobao"] == float(pop.trust_online[c.index, 0])
        assert c.trust["JD"] == float(pop.trust_online[c.index, 1])
        assert c.online == bool(pop.online[c.index])
        assert c.age == model.year - int(pop.birth_year[c.index])
    channels = {c.preferred_channel for c in views}
    assert channels <= {None, "stores", "Taobao", "JD"}
    assert {"stores", "Taobao", "JD"} <= channels


def test_consumer_views_follow_trust_as_it_changes():
    model = small_model(*ONLINE, ticks=1)
    c = next(iter(model.agents_by_type[Consumer].select(lambda a: a.online, at_most=1)))
    before = c.trust
    model.population.trust_online[c.index, 1] = 0.125
    assert c.trust == {**before, "JD": 0.125}


def firms_only(model):
    # Mesa's own registry, without the lazy creation that O2OMarket.agents_by_type adds
    return Consumer not in mesa.Model.agents_by_type.fget(model)


# (agent_views, consumers, whether Consumer views exist right after building the model)
VIEW_MODES = [
    ("eager", 2000, True),
    ("lazy", 2000, False),
    ("auto", 2000, True),
    ("auto", 100_001, False),
]


@pytest.mark.parametrize(
    ("mode", "consumers", "built"), VIEW_MODES, ids=[f"{m} {n}" for m, n, _ in VIEW_MODES]
)
def test_when_consumer_views_are_created(mode, consumers, built):
    scenario = load_scenario(
        BASELINE, [*SMALL, f"population.agent_views={mode}", f"population.consumers={consumers}"]
    )
    model = O2OMarket(scenario)
    assert firms_only(model) is not built
    assert len(model.agents_by_type[Consumer]) == consumers  # first access creates them


def test_lazy_views_do_not_exist_until_asked_for_even_after_running():
    model = small_model("population.agent_views=lazy", "population.consumers=2000")
    assert firms_only(model)
    assert len(mesa.Model.agents.fget(model)) == 150 + 2 + 8 + 1
    views = model.agents_by_type[Consumer]
    assert {c.index for c in views} == set(np.flatnonzero(model.population.alive))


def test_newcomers_start_with_no_orders():
    model = small_model(ticks=52)
    model.step()  # first week of the second year: cohorts leave and enter, then shop once
    pop = model.population
    entry_age = model.config.demography.entry_age
    newcomers = np.flatnonzero(pop.alive & (model.year - pop.birth_year == entry_age))
    assert newcomers.size > 0
    views = {c.index: c for c in model.agents_by_type[Consumer]}
    assert max(views[i].orders for i in newcomers) <= 1


# ----------------------------------------------------------------------------- behaviour

SEEDS = (1, 2, 3)


def protection(counterfeit_rate, escrow, return_days):
    return [
        f"platforms.{i}.{field}={value}"
        for i in (0, 1)
        for field, value in (
            ("counterfeit_rate", counterfeit_rate),
            ("escrow", escrow),
            ("return_window_days", return_days),
        )
    ]


def last(column):
    return lambda r: float(r.years[column].iloc[-1])


def run_online_share(r):
    return float(r.ticks["gmv_online"].sum() / r.ticks[["gmv_online", "gmv_offline"]].sum().sum())


# (what the cause does, overrides giving the lower outcome, overrides giving the higher one,
#  outcome, smallest gap between the medians over SEEDS)
CAUSES = [
    (
        "higher rent leaves fewer stores open",
        ["stores.rent=150000"],
        ["stores.rent=30000"],
        last("stores_open"),
        10,
    ),
    (
        "counterfeits without escrow lower online trust",
        [*ONLINE, *protection(0.5, "false", 0)],
        [*ONLINE, *protection(0.0, "false", 0)],
        last("mean_trust_online"),
        0.04,
    ),
    (
        "escrow softens the damage of counterfeits",
        [*ONLINE, *protection(0.5, "false", 0)],
        [*ONLINE, *protection(0.5, "true", 0)],
        last("mean_trust_online"),
        0.015,
    ),
    (
        "later platform launches lower the online share",
        [*ONLINE, "platforms.0.launch_year=2007", "platforms.1.launch_year=2007"],
        [*ONLINE, "platforms.0.launch_year=2004", "platforms.1.launch_year=2004"],
        run_online_share,
        0.03,
    ),
    (
        "slower delivery lowers the online share",
        [*ONLINE, "platforms.0.delivery_days=10", "platforms.1.delivery_days=10"],
        [*ONLINE, "platforms.0.delivery_days=1", "platforms.1.delivery_days=1"],
        run_online_share,
        0.05,
    ),
]


@pytest.mark.parametrize(
    ("lower", "higher", "outcome", "gap"), [c[1:] for c in CAUSES], ids=[c[0] for c in CAUSES]
)
def test_causes_move_outcomes(lower, higher, outcome, gap):
    low = [outcome(small_run(*lower, seed=s)) for s in SEEDS]
    high = [outcome(small_run(*higher, seed=s)) for s in SEEDS]
    assert np.median(high) - np.median(low) >= gap, (low, high)


@pytest.mark.parametrize("seed", [1, 2])
def test_without_platforms_nothing_is_sold_online(seed):
    result = small_run(*ONLINE, "platforms=[]", seed=seed)
    assert (result.years["online_share"] == 0).all()
    assert (result.ticks[["online_orders", "gmv_online", "counterfeit_incidents"]] == 0).all().all()
    assert (result.ticks["gmv_offline"] > 0).all()
    assert "platform" not in set(result.firms["kind"])
