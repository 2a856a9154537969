"""Plots a teacher wants: funnel, cohorts, stores on the map, trust; real content, labelled axes."""

import numpy as np
import pytest
from conftest import BASELINE

import o2osim
from o2osim import plots


@pytest.fixture(scope="module")
def result():
    return o2osim.run(
        BASELINE, seed=4, overrides=["population.consumers=1500", "time.years=8"], progress=False
    )


def labelled(fig):
    # every panel says what its y axis is; the bottom one (shared x) what x is
    return all(ax.get_ylabel() for ax in fig.axes) and bool(fig.axes[-1].get_xlabel())


def test_funnel_draws_visits_orders_and_conversion_per_week(result):
    fig = plots.funnel(result.ticks, year=2008)
    top, bottom = fig.axes
    assert labelled(fig) and len(top.lines) == 4 and len(bottom.lines) == 2
    assert len(top.lines[0].get_xdata()) == 52  # one point per week of the year
    plots.plt.close(fig)


def test_cohorts_count_everyone_in_the_market_by_age(result):
    model = result.model
    fig = plots.cohorts(model)
    heights = [bar.get_height() for bar in fig.axes[0].patches]
    people = float(np.count_nonzero(model.population.alive)) * model.people_per_consumer
    assert labelled(fig) and sum(heights) * 1e3 == pytest.approx(people)
    plots.plt.close(fig)


def test_store_map_shows_every_store_open_or_closed(result):
    model = result.model
    fig = plots.store_map(model, sample=500)
    ax = fig.axes[0]
    stores = sum(len(c.get_offsets()) for c in ax.collections[-2:])
    assert labelled(fig) and stores == len(model.stores)
    assert sum(len(c.get_offsets()) for c in ax.collections[:-2]) == 500
    plots.plt.close(fig)


def test_trust_distributions_have_one_histogram_per_open_channel(result):
    model = result.model
    fig = plots.trust_distributions(model)
    launched = sum(p.launched for p in model.platforms)
    assert labelled(fig) and len(fig.axes[0].patches) == 1 + launched
    plots.plt.close(fig)
