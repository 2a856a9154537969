"""The platforms' customer register: who is a customer of which platform, and who won them.

Adoption, the attention market, word of mouth and newcomers all end here: a consumer becomes a
customer of a platform (a bit in ``population.customer_of``) and the platform counts the people
it won.
"""

from __future__ import annotations

import numpy as np

from o2osim.agents import Platform
from o2osim.agents.protocol import Market
from o2osim.market.week import Week


class PlatformCustomers:
    """Makes consumers customers of platforms and counts them.

    Args:
        market: The market (population, platforms, random stream).
    """

    def __init__(self, market: Market) -> None:
        self.market = market

    def start_online(self, new: np.ndarray, week: Week, tell: bool = True) -> None:
        """New online shoppers tell their contacts and join a launched platform.

        The platform is chosen in proportion to the customers each has won (plus one
        consumer's worth, so a new platform can be found).

        Args:
            new: Consumers who just started shopping online.
            week: The week's counters.
            tell: Whether their contacts learn of it (not for the first online shoppers).
        """
        if new.size == 0:
            return
        m = self.market
        if tell:
            m.population.tell_contacts(new, +1)
        launched = [p for p in m.platforms if p.launched]
        if new.size and launched:
            weight = np.cumsum([p.new_customers + m.people_per_consumer for p in launched])
            pick = np.searchsorted(weight, m.rng.random(new.size) * weight[-1], side="right")
            for j, platform in enumerate(launched):
                self.won(platform, new[pick == j], "new_customers", week)

    def won(self, platform: Platform, who: np.ndarray, kind: str, week: Week) -> None:
        """``who`` become customers of ``platform``; the week counts them under ``kind``."""
        if who.size == 0:
            return
        pop = self.market.population
        bit = np.uint8(1 << platform.index)
        pop.customer_of[who] |= bit
        pop.won_this_year[who] |= bit
        people = who.size * self.market.people_per_consumer
        platform.new_customers += people
        platform.year_new_customers += people
        week.won(kind, people)

    def won_pairs(self, who: np.ndarray, pid: np.ndarray, kind: str, week: Week) -> None:
        """Consumers ``who`` become customers of platforms ``pid`` (pairs may repeat)."""
        if who.size == 0:
            return
        m = self.market
        n_platforms = len(m.platforms)
        key = np.unique(who * n_platforms + pid)
        who, pid = key // n_platforms, key % n_platforms
        bits = np.left_shift(1, pid).astype(np.uint8)
        np.bitwise_or.at(m.population.customer_of, who, bits)
        np.bitwise_or.at(m.population.won_this_year, who, bits)
        people = np.bincount(pid, minlength=n_platforms) * m.people_per_consumer
        for platform in m.platforms:
            platform.new_customers += people[platform.index]
            platform.year_new_customers += people[platform.index]
        week.won(kind, float(people.sum()))
