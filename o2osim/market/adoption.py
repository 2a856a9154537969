"""Adoption: consumers start shopping online, and from the mobile stage on, on a phone."""

from __future__ import annotations

import mesa
import numpy as np

from o2osim.agents.protocol import Market
from o2osim.market.customers import PlatformCustomers
from o2osim.market.week import Week
from o2osim.mechanisms import adoption


class Adoption:
    """The adoption phase: Bass diffusion over the contact network (or well mixed).

    Reads the population's online and mobile columns and the contacts; writes ``online`` and
    ``mobile``; a new online shopper joins a platform through :class:`PlatformCustomers`.

    Args:
        market: The market.
        customers: The platforms' customer register.
    """

    def __init__(self, market: Market, customers: PlatformCustomers) -> None:
        self.market = market
        self.customers = customers

    def run(self, week: Week) -> None:
        """Consumers start shopping online (and on phones), pushed by contacts or the market."""
        m = self.market
        s = m.config
        a = s.adoption
        pop = m.population
        weeks = s.time.ticks_per_year
        if a.network == "well_mixed":
            new = adoption.adopt_online(pop.online, pop.alive, a.p, a.q, weeks, m.rng)
        else:
            new = adoption.adopt_online_networked(
                pop.online,
                pop.alive,
                pop.adopted_contacts,
                pop.alive_contacts,
                a.p,
                a.q,
                weeks,
                m.rng,
            )
        if a.age_decline:
            new = self.by_age(new)
        self.customers.start_online(new, week)
        st = s.stages
        if st.mobile_year is not None and m.year >= st.mobile_year:
            # a phone shopper is an online shopper who also shops on the phone
            adoption.adopt_online(pop.mobile, pop.online, st.mobile_p, st.mobile_q, weeks, m.rng)

    def by_age(self, new: np.ndarray) -> np.ndarray:
        """Keep each of this week's new online shoppers with its age's factor; undo the others.

        Drawn at the Bass chance, each is kept with probability ``(1 - age_decline) ** ((age -
        entry_age) / 10)`` (:func:`~o2osim.mechanisms.adoption.age_factor`), so that its
        weekly chance is the Bass chance times that factor.

        Args:
            new: The consumers the Bass draw made online shoppers this week.

        Returns:
            Those kept; the others are offline again.
        """
        m = self.market
        s = m.config
        pop = m.population
        factor = adoption.age_factor(
            s.adoption.age_decline, m.year - pop.birth_year[new], s.demography.entry_age
        )
        kept = m.rng.random(new.size) < factor
        pop.online[new[~kept]] = False
        return new[kept]

    def run_by_agents(self, consumers: mesa.agent.AgentSet, week: Week) -> None:
        """Every consumer decides by :meth:`Consumer.adopt`; the decisions then apply at once."""
        pop = self.market.population
        online = int(np.count_nonzero(pop.online))
        online_share = online / max(pop.count, 1)
        mobile_share = int(np.count_nonzero(pop.mobile)) / max(online, 1)
        decisions: list[tuple[int, str | None]] = []
        consumers.shuffle_do(
            lambda c: decisions.append((c.index, c.adopt(online_share, mobile_share)))
        )
        new = np.array(sorted(i for i, d in decisions if d == "online"), dtype=np.int64)
        pop.online[new] = True
        self.customers.start_online(new, week)
        pop.mobile[np.array([i for i, d in decisions if d == "mobile"], dtype=np.int64)] = True
