"""The week runs its phases in the documented order (docs/design.md, the table of the week).

Concept: ``O2OMarket.step()`` is the ordered list of the week's phases. Each phase's method is
wrapped (not replaced) to log its name, so the real phases run and the log shows their order,
in an ordinary week, a month's end and a new year's week.
"""

import functools

import pytest
from conftest import BASELINE

from o2osim import O2OMarket

PHASES = [
    ("calendar", "advance"),
    ("prices", "index"),
    ("cohorts", "retire"),
    ("cohorts", "come_of_age"),
    ("network", "open_new_stores"),
    ("adoption", "run"),
    ("calendar", "event_terms"),
    ("attention", "run"),
    ("shopping", "draw_shoppers"),
    ("desk", "needs"),
    ("shopping", "choose"),
    ("shopping", "search"),
    ("shopping", "checkout"),
    ("desk", "week_done"),
    ("shopping", "pull_forward"),
    ("attention", "land_search"),
    ("shopping", "count_visits"),
    ("network", "close_month"),
    ("pricing", "set_prices"),
    ("year_end", "close"),
    ("decisions", "run"),
]


@pytest.fixture
def logged():
    model = O2OMarket(BASELINE, rng=1, population__consumers=500, time__years=3)
    log: list[str] = []
    for owner, method in PHASES:
        phase = getattr(model, owner)
        real = getattr(phase, method)

        @functools.wraps(real)
        def wrapper(*args, _real=real, _name=f"{owner}.{method}", **kwargs):
            log.append(_name)
            return _real(*args, **kwargs)

        setattr(phase, method, wrapper)
    return model, log


def week(model, log) -> list[str]:
    log.clear()
    model.step()
    return list(log)


def test_an_ordinary_week(logged):
    model, log = logged
    week(model, log)  # the first week of the run
    assert week(model, log) == [
        "calendar.advance",
        "adoption.run",
        "calendar.event_terms",
        "attention.run",
        "shopping.draw_shoppers",
        "desk.needs",
        "shopping.choose",
        "shopping.search",
        "shopping.checkout",
        "desk.week_done",
        "shopping.pull_forward",
        "attention.land_search",
        "shopping.count_visits",
    ]


def test_a_new_year_week_renews_before_anyone_shops_and_the_year_closes_last(logged):
    model, log = logged
    weeks = [week(model, log) for _ in range(53)]
    year_end, new_year = weeks[51], weeks[52]
    assert year_end[-4:] == [
        "network.close_month",
        "pricing.set_prices",
        "year_end.close",
        "decisions.run",
    ]
    assert new_year[:6] == [
        "calendar.advance",
        "prices.index",
        "cohorts.retire",
        "cohorts.come_of_age",
        "network.open_new_stores",
        "adoption.run",
    ]
    month_ends = [w for w in weeks if "network.close_month" in w]
    assert len(month_ends) == 12  # twelve months booked in the first year's 52 weeks


def test_the_reference_engine_runs_the_same_phases_around_its_agents():
    model = O2OMarket(BASELINE, rng=1, population__consumers=200, time__years=5, engine="agents")
    log: list[str] = []
    for owner, method in [("adoption", "run_by_agents"), ("shopping", "shop_by_agents")]:
        phase = getattr(model, owner)
        real = getattr(phase, method)
        setattr(
            phase,
            method,
            lambda *a, _r=real, _n=f"{owner}.{method}", **k: log.append(_n) or _r(*a, **k),
        )
    model.step()
    assert log == ["adoption.run_by_agents", "shopping.shop_by_agents"]
