"""Internet shopping adoption: the Bass model's innovation and imitation, as a weekly hazard.

A consumer who does not yet shop online starts in a week with probability
``1 - exp(-(p + q * x) / 52)``, where ``p`` and ``q`` are yearly rates and ``x`` is the share of
adopters: among the consumer's contacts on a social network, or in the whole population when the
market is well mixed. Using the exact one-week probability of a constant hazard keeps the
discretised curve close to the continuous Bass curve ``F(t)``.
"""

from __future__ import annotations

import numpy as np

from o2osim.mechanisms.sampling import bernoulli_indices, thinned


def weekly_adoption_probability(p: float, q: float, share: float, weeks_per_year: int) -> float:
    """Chance that one non-adopter starts shopping online this week.

    Args:
        p: Innovation rate, per year.
        q: Imitation rate, per year per unit share of adopters.
        share: Share of adopters this week, 0-1.
        weeks_per_year: Ticks in a year.

    Returns:
        The weekly adoption probability.
    """
    return float(-np.expm1(-(p + q * share) / weeks_per_year))


def adopt_online(
    online: np.ndarray,
    alive: np.ndarray,
    p: float,
    q: float,
    weeks_per_year: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Each consumer not yet online starts shopping online with the Bass weekly probability.

    The adopter share is taken over the whole population (well-mixed): every consumer feels
    the same social pressure.

    Args:
        online: Boolean adoption column, updated in place.
        alive: Which slots hold a consumer in the market.
        p: Innovation rate, per year.
        q: Imitation rate, per year.
        weeks_per_year: Ticks in a year.
        rng: The model's random stream.

    Returns:
        Indices of the consumers who adopted this week.
    """
    waiting = int(np.count_nonzero(alive & ~online))
    if waiting == 0:
        return np.empty(0, dtype=np.int64)
    in_market = np.count_nonzero(alive)
    prob = weekly_adoption_probability(p, q, 1.0 - waiting / in_market, weeks_per_year)
    drawn = bernoulli_indices(online.size, prob, rng)
    new = drawn[alive[drawn] & ~online[drawn]]
    online[new] = True
    return new


def adopt_online_networked(
    online: np.ndarray,
    alive: np.ndarray,
    adopted_contacts: np.ndarray,
    degree: np.ndarray,
    p: float,
    q: float,
    weeks_per_year: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Each consumer not yet online starts with a hazard raised by its adopting contacts.

    The social pressure on a consumer is the share of its own contacts who shop online;
    a consumer with no contacts feels none.

    Args:
        online: Boolean adoption column, updated in place.
        alive: Which slots hold a consumer in the market.
        adopted_contacts: Number of each consumer's contacts who shop online.
        degree: Number of each consumer's contacts who are in the market.
        p: Innovation rate, per year.
        q: Imitation rate, per year.
        weeks_per_year: Ticks in a year.
        rng: The model's random stream.

    Returns:
        Indices of the consumers who adopted this week (the caller updates contact counts).
    """
    # nobody's hazard exceeds that of a consumer whose contacts all shop online
    most = weekly_adoption_probability(p, q, 1.0, weeks_per_year)
    drawn = bernoulli_indices(online.size, most, rng)
    waiting = drawn[alive[drawn] & ~online[drawn]]
    share = adopted_contacts[waiting] / np.maximum(degree[waiting], 1)
    new = thinned(waiting, -np.expm1(-(p + q * share) / weeks_per_year), most, rng)
    online[new] = True
    return new


def age_factor(decline: float, age: np.ndarray, entry_age: int) -> np.ndarray:
    """How much less likely someone of ``age`` is to start shopping online than an entrant.

        f = (1 - decline) ** ((age - entry_age) / 10)

    Args:
        decline: Fall of the weekly chance per ten years of age, 0-1.
        age: Ages, years.
        entry_age: Age at which people enter the market, years.

    Returns:
        Each person's factor, 0-1.
    """
    return (1.0 - decline) ** (np.maximum(age - entry_age, 0) / 10.0)
