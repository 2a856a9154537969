"""Adoption of online shopping: the Bass model, well mixed and on a social network."""

import numpy as np
import pytest

from o2osim import O2OMarket, load_scenario

BASS = [
    "population.consumers=20000",
    "time.years=12",
    "platforms=[]",
    "demography.turnover=false",
    "adoption.initial_adopters=0",
    "adoption.p=0.03",
    "adoption.q=0.38",
]


def bass_F(t: np.ndarray, p: float, q: float) -> np.ndarray:
    e = np.exp(-(p + q) * t)
    return (1 - e) / (1 + (q / p) * e)


def adopted_share_by_year(network: str, seed: int) -> np.ndarray:
    scenario = load_scenario("scenarios/baseline.yaml", [*BASS, f"adoption.network={network}"])
    model = O2OMarket(load_scenario(scenario, seed=seed))
    model.run()
    ticks = model.recorder.frame()
    people = scenario.population.people
    return ticks.loc[ticks["week"] == 52, "online_users"].to_numpy() / people


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_well_mixed_adoption_follows_bass_closed_form(seed):
    share = adopted_share_by_year("well_mixed", seed)
    expected = bass_F(np.arange(1, share.size + 1), 0.03, 0.38)
    assert np.max(np.abs(share - expected)) < 0.02, np.c_[share, expected]


def test_well_mixed_adoption_is_not_a_yearly_step_model():
    # A yearly-step discretisation lags the closed form by far more than 2 points mid-curve;
    # the weekly hazard must not.
    share = np.median([adopted_share_by_year("well_mixed", s) for s in (4, 5)], axis=0)
    expected = bass_F(np.arange(1, share.size + 1), 0.03, 0.38)
    mid = np.argmin(np.abs(expected - 0.5))
    assert abs(share[mid] - expected[mid]) < 0.02


def test_clustered_network_slows_imitation_against_well_mixed():
    mixed = np.median([adopted_share_by_year("well_mixed", s) for s in (1, 2, 3)], axis=0)
    ring = np.median([adopted_share_by_year("small_world", s) for s in (1, 2, 3)], axis=0)
    # local clustering wastes imitation on contacts who already adopted
    assert ring[5] < mixed[5] - 0.03
    assert ring[-1] > 0.5  # but adoption still spreads through the whole market


def test_contact_counts_match_the_graph_after_a_run():
    scenario = load_scenario(
        "scenarios/baseline.yaml", ["population.consumers=3000", "time.years=6"]
    )
    model = O2OMarket(scenario)
    model.run()
    pop = model.population
    degree = pop.degree
    assert 9 <= degree.mean() <= 11
    # recount from scratch: each consumer's adopting contacts
    rows = np.repeat(np.arange(pop.size), degree)
    recount = np.bincount(rows, weights=pop.online[pop.contacts], minlength=pop.size)
    np.testing.assert_array_equal(recount, pop.adopted_contacts)


#: Innovation only, in a fixed population: each person's first-year chance is its own.
BY_AGE = [
    "population.consumers=20000",
    "time.years=1",
    "platforms=[]",
    "demography.turnover=false",
    "adoption.network=well_mixed",
    "adoption.initial_adopters=0",
    "adoption.p=0.5",
    "adoption.q=0",
]


def adopted_by_decade(seed: int, decline: float, engine: str = "vectorized") -> np.ndarray:
    """Share online after one year among people 0-9, 10-19, ... years past the entry age."""
    scenario = load_scenario(
        "scenarios/baseline.yaml",
        [*BY_AGE, f"adoption.age_decline={decline}", f"engine={engine}"],
        seed=seed,
    )
    model = O2OMarket(scenario)
    model.run()
    pop = model.population
    past = scenario.time.start_year - pop.birth_year - scenario.demography.entry_age
    decade = past // 10
    return np.array([pop.online[decade == d].mean() for d in range(5)])


@pytest.mark.parametrize("seed", [1, 2])
def test_the_older_start_shopping_online_later_by_the_age_factor(seed):
    # a year of innovation at p = 0.5: 1 - exp(-p * f), f = 0.6 ** (years past entry / 10)
    share = adopted_by_decade(seed, 0.4)
    years_past = 10 * np.arange(5) + 4.5  # the middle of each decade
    expected = 1 - np.exp(-0.5 * 0.6 ** (years_past / 10))
    assert np.max(np.abs(share - expected)) < 0.03, np.c_[share, expected]


def test_without_the_age_factor_every_age_starts_alike():
    share = adopted_by_decade(1, 0.0)
    assert np.max(np.abs(share - (1 - np.exp(-0.5)))) < 0.03, share


def test_the_reference_engine_applies_the_same_age_factor():
    fast = adopted_by_decade(3, 0.4)
    slow = adopted_by_decade(3, 0.4, engine="agents")
    assert np.max(np.abs(fast - slow)) < 0.04, np.c_[fast, slow]
