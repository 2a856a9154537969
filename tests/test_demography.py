"""Demography: cohorts enter and leave; a turning point in cohort size ends the dividend."""

import numpy as np
import pytest
from conftest import BASELINE, ROOT

import o2osim
from o2osim.mechanisms.demography import expected_population, growth_gap, native_chance

TURNING = [
    "population.consumers=20000",
    "platforms=[]",
    "demography.exit_age=75",
    "demography.cohort_growth=0.01",
    "demography.cohort_decline=0.03",
]


def working_age(*overrides, seed):
    years = o2osim.run(BASELINE, seed=seed, overrides=[*TURNING, *overrides], progress=False).years
    return years.set_index("year")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_turning_point_in_cohorts_turns_working_age_down(seed):
    years = working_age("demography.turning_point_year=2002", seed=seed)
    wa = years["working_age_population"]
    # the top is flat, so compare periods rather than trust a single noisy maximum
    assert 2010 <= wa.idxmax() <= 2016
    assert wa.loc[2011:2015].mean() > wa.loc[2004:2006].mean()
    assert wa.loc[2018:2020].mean() < wa.loc[2011:2015].mean()
    # each cohort after the turning point is smaller than the one before
    entrants = years["new_consumers"].iloc[1:]
    assert entrants.iloc[-1] < 0.75 * entrants.iloc[0]


def test_without_turning_point_working_age_keeps_growing():
    years = working_age("demography.turning_point_year=null", seed=1)
    wa = years["working_age_population"]
    assert wa.idxmax() >= 2019
    assert years["new_consumers"].iloc[-1] > years["new_consumers"].iloc[1]


def test_turnover_off_keeps_the_same_people():
    years = working_age("demography.turnover=false", seed=1)
    assert (years["consumers"] == years["consumers"].iloc[0]).all()
    assert (years["new_consumers"] == 0).all()


def test_leavers_leave_at_exit_age():
    result = o2osim.run(BASELINE, seed=1, overrides=[*TURNING, "time.years=6"], progress=False)
    pop, model = result.model.population, result.model
    ages = model.year - pop.birth_year[pop.alive]
    assert ages.max() < 75 and ages.min() >= 15
    assert np.count_nonzero(pop.online & ~pop.alive) == 0


def test_a_births_series_sets_the_cohorts():
    # births rise to 1987 and fall after: with entry at 15 the cohorts coming of age peak in 2002
    births = "{1940: 10, 1987: 25, 2005: 16}"
    years = working_age(f"demography.births={births}", "demography.cohort_growth=0", seed=1)
    entrants = years["new_consumers"].iloc[1:]
    assert entrants.idxmax() <= 2006
    assert entrants.iloc[-1] < 0.8 * entrants.max()


def test_births_series_is_validated(tmp_path):
    from o2osim import ScenarioError, load_scenario

    with pytest.raises(ScenarioError, match="demography.births.1990"):
        load_scenario(BASELINE, ["demography.births={1990: -3}"])


def test_growth_gap_is_the_yearly_rate_of_the_population_ratio():
    s = o2osim.load_scenario(ROOT / "scenarios" / "china_2004_2020.yaml")
    d, t = s.demography, s.time
    none = d.model_copy(update={"turning_point_year": None})
    assert growth_gap(d, d, t.start_year, t.years) == 0.0
    g = growth_gap(d, none, t.start_year, t.years)
    # without the turning point the city outgrows the scenario's, compounding to the ratio
    ratio = expected_population(none, t.start_year, t.years, 1)[-1]
    ratio /= expected_population(d, t.start_year, t.years, 1)[-1]
    assert ratio > 1.1
    assert (1 + g) ** (t.years - 1) == pytest.approx(ratio)
    # and the other way round, it shrinks
    assert growth_gap(none, d, t.start_year, t.years) < 0
    with pytest.raises(ValueError, match="at least 2"):
        growth_gap(d, none, t.start_year, 1)


def online_after_entry(*overrides):
    """Share of the people in the market who shop online after two years of entry and exit."""
    scenario = o2osim.load_scenario(
        BASELINE,
        [
            "population.consumers=3000",
            "time.years=2",
            "platforms=[]",
            "adoption.p=0",
            "adoption.q=0",
            *overrides,
        ],
        seed=1,
    )
    model = o2osim.O2OMarket(scenario)
    model.run()
    pop = model.population
    entrants = pop.alive & (pop.birth_year == scenario.time.start_year + 1 - 15)
    return float(pop.online[pop.alive].mean()), pop.online[entrants]


@pytest.mark.parametrize(
    ("everyone", "natives"), [(1.0, 1.0), (0.0, 0.0)], ids=["all online", "nobody online"]
)
def test_entrants_like_contacts_come_of_age_as_the_people_around_them(everyone, natives):
    share, entrants = online_after_entry(
        f"adoption.initial_adopters={everyone}",
        "demography.entry_age=15",
        "demography.entrants_like_contacts=true",
    )
    assert entrants.size > 20
    assert entrants.mean() == natives
    assert share == everyone


def test_entrants_like_contacts_follow_their_contacts_share():
    # half the people online: an entrant is online with its own contacts' share of them
    share, entrants = online_after_entry(
        "adoption.initial_adopters=0.5",
        "demography.entry_age=15",
        "demography.entrants_like_contacts=true",
    )
    assert 0.35 < entrants.mean() < 0.65, entrants.mean()
    # switched off, they come of age offline (entrants_online 0)
    _, offline = online_after_entry("adoption.initial_adopters=0.5", "demography.entry_age=15")
    assert offline.size > 20 and not offline.any()


def test_native_chance_is_the_contacts_share():
    np.testing.assert_allclose(
        native_chance(np.array([0, 3, 5, 0]), np.array([10, 4, 5, 0])), [0, 0.75, 1, 0]
    )
