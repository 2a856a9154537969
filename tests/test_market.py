"""The market model: conservation of units and money, agent views, and behaviour by cause."""

import numpy as np
import pytest
from conftest import BASELINE, SMALL

import o2osim
from o2osim import O2OMarket, load_scenario
from o2osim.agents import Brand, Consumer, Platform, Store


def market(*overrides, seed=1):
    scenario = load_scenario(BASELINE, [*SMALL, *overrides])
    model = O2OMarket(load_scenario(scenario, seed=seed))
    model.run()
    return model


@pytest.mark.parametrize("seed", [1, 2])
def test_units_and_money_are_conserved(seed):
    model = market(seed=seed)
    ticks = model.recorder.frame()
    w = model.people_per_consumer
    bought = (model.population.orders.sum() + model.departed_orders) * w
    sold_in_stores = sum(s.units_sold for s in model.stores)
    sold_online = sum(p.orders for p in model.platforms)
    assert bought == pytest.approx(sold_in_stores + sold_online, rel=1e-9)
    assert ticks["offline_orders"].sum() == pytest.approx(sold_in_stores, rel=1e-9)

    paid = ticks["gmv_online"].sum() + ticks["gmv_offline"].sum()
    store_revenue = sum(s.revenue for s in model.stores)
    platform_gmv = sum(p.gmv for p in model.platforms)
    assert paid == pytest.approx(store_revenue + platform_gmv, rel=1e-9)
    brand_online = sum(b.revenue_online for b in model.brands)
    commission = sum(p.commission_revenue for p in model.platforms)
    assert platform_gmv == pytest.approx(commission + brand_online, rel=1e-9)
    goods = store_revenue * (1 - model.config.stores.gross_margin)
    assert sum(d.revenue for d in model.dealers) == pytest.approx(goods, rel=1e-9)
    wholesale = goods * (1 - model.config.dealers.margin)
    assert sum(b.revenue_offline for b in model.brands) == pytest.approx(wholesale, rel=1e-9)


def test_closed_stores_sell_nothing():
    model = market("stores.rent=2000000")
    ticks = model.recorder.frame()
    assert ticks["stores_open"].iloc[-1] == 0
    closed_from = ticks.index[ticks["stores_open"] == 0][0]
    assert (ticks["offline_orders"].iloc[closed_from + 1:] == 0).all()
    units = [s.units_sold for s in model.stores]
    model.run(ticks=0)
    assert all(not s.is_open and s.closed_tick is not None for s in model.stores)
    assert units == [s.units_sold for s in model.stores]


def test_consumers_are_mesa_agents_viewing_the_columns():
    model = market()
    consumers = model.agents_by_type[Consumer]
    assert len(consumers) == model.population.count
    c = next(iter(consumers))
    pop = model.population
    assert c.trust["stores"] == pytest.approx(pop.trust_offline[c.index])
    assert c.trust["JD"] == pytest.approx(pop.trust_online[c.index, 1])
    assert c.age == model.year - pop.birth_year[c.index]
    assert c.location == (pytest.approx(pop.x[c.index]), pytest.approx(pop.y[c.index]))
    assert c.preferred_channel in (None, "stores", "Taobao", "JD")
    assert len(model.agents_by_type[Store]) == 150
    assert len(model.agents_by_type[Platform]) == 2
    assert len(model.agents_by_type[Brand]) == 1


def test_lazy_views_appear_on_first_access_and_follow_cohorts():
    scenario = load_scenario(BASELINE, [*SMALL, "population.agent_views=lazy"])
    model = O2OMarket(scenario)
    assert Consumer not in model._agents_by_type
    model.run()
    views = model.agents_by_type[Consumer]
    assert len(views) == model.population.count
    assert {c.index for c in views} == set(np.flatnonzero(model.population.alive))


def final(*overrides, column, seeds=(1, 2, 3)):
    values = [o2osim.run(BASELINE, seed=s, overrides=[*SMALL, "time.years=8", *overrides],
                         progress=False).years[column].iloc[-1] for s in seeds]
    return float(np.median(values))


# (what changes, overrides against the baseline, column at the end, direction, by at least)
# Trust is averaged over everyone, most of whom have not bought online yet: a smaller margin.
CAUSES = [
    ("higher rent closes more stores", ["stores.rent=120000"], "stores_open", "lower", 0.1),
    ("counterfeits without escrow hurt trust",
     ["platforms.0.counterfeit_rate=0.5", "platforms.0.escrow=false",
      "platforms.1.counterfeit_rate=0.5", "platforms.1.escrow=false",
      "platforms.1.return_window_days=0"], "mean_trust_online", "lower", 0.05),
    ("later platform launches shrink online share",
     ["platforms.0.launch_year=2009", "platforms.1.launch_year=2010"], "online_share", "lower",
     0.1),
    ("cheaper online prices raise online share",
     ["platforms.0.price_index=0.6", "platforms.1.price_index=0.7"], "online_share", "higher",
     0.1),
]


@pytest.mark.parametrize(("overrides", "column", "direction", "margin"),
                         [c[1:] for c in CAUSES], ids=[c[0] for c in CAUSES])
def test_causes_move_outcomes(overrides, column, direction, margin):
    base = final(column=column)
    changed = final(*overrides, column=column)
    if direction == "lower":
        assert changed < base * (1 - margin), (changed, base)
    else:
        assert changed > base * (1 + margin), (changed, base)


def test_no_platforms_no_online_sales():
    result = o2osim.run(BASELINE, overrides=[*SMALL, "platforms=[]"], progress=False)
    assert (result.years["online_share"] == 0).all()
    assert (result.ticks["online_orders"] == 0).all()
