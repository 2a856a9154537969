"""Cohorts: at each new year the oldest consumers leave and this year's cohort comes of age."""

from __future__ import annotations

import numpy as np

from o2osim.agents.population import (
    draw_large_accounts,
    draw_need_rates,
    draw_trust,
    draw_variants,
)
from o2osim.agents.protocol import Market
from o2osim.market.customers import PlatformCustomers
from o2osim.market.week import Week
from o2osim.mechanisms import demography


class Cohorts:
    """The demography phase: consumers leave at the exit age, a new cohort enters.

    Owns the count of orders placed by consumers who have left. Writes the slots of the
    population (a leaver's slot falls free; a newcomer takes a free slot); newcomers born
    online join a platform through :class:`PlatformCustomers`.

    Args:
        market: The market.
        customers: The platforms' customer register.

    Attributes:
        departed_orders: Orders placed by consumers who have left the market (agent orders).
        new_consumers: Consumers who entered this year (agent count).
    """

    def __init__(self, market: Market, customers: PlatformCustomers) -> None:
        self.market = market
        self.customers = customers
        self.departed_orders = 0
        self.new_consumers = 0

    def retire(self) -> np.ndarray:
        """Each consumer who reaches the exit age leaves the market; its slot falls free.

        Returns:
            The slots that fell free.
        """
        m = self.market
        pop = m.population
        leaving = np.flatnonzero(
            pop.alive & (m.year - pop.birth_year >= m.config.demography.exit_age)
        )
        pop.tell_contacts(leaving[pop.online[leaving]], -1)
        self.departed_orders += int(pop.orders[leaving].sum())
        pop.orders[leaving] = 0
        pop.alive[leaving] = False
        pop.arrive(leaving, -1)
        pop.reset(leaving)
        return leaving

    def come_of_age(self, week: Week) -> np.ndarray:
        """This year's cohort enters the market in free slots, offline and with initial trust.

        Returns:
            The slots the newcomers took.
        """
        m = self.market
        s = m.config
        pop = m.population
        rng = m.rng
        expected = demography.entrants_expected(
            s.demography, m.year, s.time.start_year, s.population.consumers
        )
        count = int(expected) + int(rng.random() < expected - int(expected))
        entering = np.flatnonzero(~pop.alive)[:count]
        c = s.consumers
        pop.alive[entering] = True
        pop.arrive(entering, +1)
        pop.reset(entering)
        pop.birth_year[entering] = m.year - s.demography.entry_age
        pop.need_rate[entering] = draw_need_rates(
            c.purchase_rate, c.purchase_rate_cv, entering.size, rng
        )
        pop.trust_offline[entering] = draw_trust(
            c.initial_trust_offline, c.trust_spread, entering.size, rng
        )
        pop.trust_online[entering] = draw_trust(
            c.initial_trust_online,
            c.trust_spread,
            (entering.size, pop.trust_online.shape[1]),
            rng,
        )
        pop.large_account[entering] = draw_large_accounts(c.large_account_share, entering.size, rng)
        pop.variant[entering] = draw_variants(c.variants, c.variant_zipf, entering.size, rng)
        if s.demography.entrants_like_contacts:  # they grew up among online shoppers
            chance = demography.native_chance(
                pop.adopted_contacts[entering], pop.alive_contacts[entering]
            )
        else:
            chance = s.demography.entrants_online
        natives = entering[rng.random(entering.size) < chance]
        pop.online[natives] = True
        self.customers.start_online(natives, week)
        self.new_consumers = entering.size
        return entering
