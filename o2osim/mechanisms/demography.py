"""Demography: cohorts come of age, grow old and leave; the size of each new cohort can turn down.

The number of people coming of age (reaching ``entry_age``) in year ``y`` is

    E(y) = E(T) * (1 + cohort_growth) ** (y - T)      for y <= T
    E(y) = E(T) * (1 - cohort_decline) ** (y - T)     for y > T

with ``T = turning_point_year`` (without a turning point, growth goes on). Alternatively a
``births`` series (births by calendar year) sets the size of each cohort directly: the cohort
coming of age in ``y`` is the births of ``y - entry_age``, interpolated linearly between the
given years and held flat beyond them. The working-age
population is everyone from ``entry_age`` to ``working_age_max``; it keeps growing while the
cohort coming of age is larger than the one retiring, and turns down some years after ``T``,
as the dividend of large cohorts runs out. Nothing here fixes that year: it follows from the
cohort sizes.
"""

from __future__ import annotations

import numpy as np

from o2osim.scenario import DemographyConfig


def cohort_size(years: np.ndarray, d: DemographyConfig, reference_year: int) -> np.ndarray:
    """Relative number of people coming of age in each year (1.0 at ``reference_year``).

    Args:
        years: Calendar years.
        d: The demography section.
        reference_year: Year whose cohort has size 1.

    Returns:
        Relative cohort sizes, float64.
    """

    def level(y: np.ndarray) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        if d.births:
            # a births series: the cohort coming of age in y was born in y - entry_age
            born = np.array(sorted(d.births), dtype=np.float64)
            counts = np.array([d.births[int(b)] for b in born])
            return np.interp(y - d.entry_age, born, counts)
        if d.turning_point_year is None:
            return (1 + d.cohort_growth) ** y
        t = d.turning_point_year
        before = (1 + d.cohort_growth) ** (np.minimum(y, t) - t)
        after = (1 - d.cohort_decline) ** np.maximum(y - t, 0)
        return before * after

    return level(years) / level(np.asarray(reference_year))


def initial_age_weights(d: DemographyConfig, start_year: int) -> np.ndarray:
    """Share of the starting population at each age from ``entry_age`` to ``exit_age - 1``.

    The people aged ``entry_age + j`` at the start came of age ``j`` years before it, so their
    share is proportional to that year's cohort size.
    """
    ages_past_entry = np.arange(d.exit_age - d.entry_age)
    weights = cohort_size(start_year - ages_past_entry, d, start_year)
    return weights / weights.sum()


def expected_population(d: DemographyConfig, start_year: int, years: int, n0: int) -> np.ndarray:
    """Expected number of consumer agents alive in each simulated year, starting from ``n0``.

    Args:
        d: The demography section.
        start_year: First simulated year.
        years: Number of simulated years.
        n0: Agents at the start.

    Returns:
        Expected agents alive in each year (length ``years``).
    """
    span = d.exit_age - d.entry_age
    per_unit = n0 / cohort_size(start_year - np.arange(span), d, start_year).sum()
    if not d.turnover:
        return np.full(years, float(n0))
    out = np.empty(years)
    for k in range(years):
        y = start_year + k
        out[k] = per_unit * cohort_size(y - np.arange(span), d, start_year).sum()
    return out


def entrants_expected(d: DemographyConfig, year: int, start_year: int, n0: int) -> float:
    """Expected number of consumer agents coming of age in ``year``."""
    span = d.exit_age - d.entry_age
    per_unit = n0 / cohort_size(start_year - np.arange(span), d, start_year).sum()
    return float(per_unit * cohort_size(np.asarray(year), d, start_year))


def growth_gap(d: DemographyConfig, other: DemographyConfig, start_year: int, years: int) -> float:
    """Yearly rate at which the population under ``other`` outgrows the one under ``d``.

    Both start from the same people; ``g`` is the constant yearly rate that takes the ratio of
    their expected populations from 1 in the first year to its value in the last:

        (N_other(last) / N_d(last)) ** (1 / (years - 1)) - 1

    A counterfactual that changes the cohorts (no turning point, say) can raise the growth of
    every cost that scales with the people served by ``g`` to hold that cost per resident as
    it was, and so separate the extra people from what they do to costs per head.

    Args:
        d: The demography section of the scenario.
        other: The counterfactual's demography section.
        start_year: First simulated year.
        years: Number of simulated years (at least 2).

    Returns:
        The yearly rate, e.g. 0.0074 for 0.74 % a year.
    """
    if years < 2:
        raise ValueError(f"years: got {years}, expected at least 2")
    ratio = expected_population(other, start_year, years, 1)[-1]
    ratio /= expected_population(d, start_year, years, 1)[-1]
    return float(ratio ** (1.0 / (years - 1)) - 1.0)


def native_chance(adopted_contacts: np.ndarray, contacts: np.ndarray) -> np.ndarray:
    """Chance that someone coming of age already shops online: its contacts' share who do.

    A person who grew up among online shoppers (its family and friends, the contacts of its
    slot) comes of age as one with the share of them who shop online,

        P(native_i) = a_i / max(k_i, 1)

    with ``a_i`` its contacts who shop online and ``k_i`` its contacts in the market; without
    contacts, 0.

    Args:
        adopted_contacts: Each entrant's contacts who shop online.
        contacts: Each entrant's contacts in the market.

    Returns:
        Each entrant's chance, 0-1.
    """
    return adopted_contacts / np.maximum(contacts, 1)
