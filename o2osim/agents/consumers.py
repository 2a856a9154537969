"""Consumers as Mesa agents: thin views on the population's columns.

:class:`Consumer` is a real ``mesa.Agent`` whose attributes read (and write) one row of the
:class:`~o2osim.agents.population.Population` arrays, so ``model.agents_by_type[Consumer]``,
``consumer.trust`` and Mesa's AgentSet methods work as usual. Its ``adopt`` and ``shop`` are the
reference engine (``engine: agents``): one consumer's decisions in plain Python, returned to the
market's phases rather than written into the market. :class:`ConsumerViews` keeps one view per
consumer in the market, built at once or on first use.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa
import numpy as np

from o2osim.agents.population import (
    Population,
    count_in,
    draw_large_accounts,
    draw_need_rates,
    draw_trust,
    draw_variants,
    variant_popularity,
)
from o2osim.mechanisms import adoption, needs
from o2osim.units import NO_CHANNEL, STORE_CHANNEL

if TYPE_CHECKING:
    from o2osim.agents.protocol import Market

__all__ = [
    "NO_CHANNEL",
    "STORE_CHANNEL",
    "Consumer",
    "ConsumerViews",
    "Population",
    "count_in",
    "draw_large_accounts",
    "draw_need_rates",
    "draw_trust",
    "draw_variants",
    "variant_popularity",
]


class Consumer(mesa.Agent):
    """One consumer, seen through the population's columns.

    The object holds only its row index; every attribute reads the shared arrays, so the
    vectorized rules and this view always agree.
    """

    def __init__(self, model: Market, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def _pop(self) -> Population:
        return self.model.population

    @property
    def cohort(self) -> int:
        """Birth year."""
        return int(self._pop.birth_year[self.index])

    @property
    def age(self) -> int:
        """Age in years in the model's current year."""
        return self.model.year - self.cohort

    @property
    def location(self) -> tuple[float, float]:
        """Home coordinates (x, y) in km."""
        return float(self._pop.x[self.index]), float(self._pop.y[self.index])

    @property
    def district(self) -> int:
        """Index of the home district."""
        return int(self._pop.district[self.index])

    @property
    def trust_offline(self) -> float:
        """Trust in physical stores, 0-1."""
        return float(self._pop.trust_offline[self.index])

    @property
    def trust_online(self) -> dict[str, float]:
        """Trust in each platform by name, 0-1."""
        row = self._pop.trust_online[self.index]
        return {p.name: float(row[p.index]) for p in self.model.platforms}

    @property
    def trust(self) -> dict[str, float]:
        """Trust in every channel: ``"stores"`` and each platform by name, 0-1."""
        return {"stores": self.trust_offline, **self.trust_online}

    @property
    def online(self) -> bool:
        """Whether this consumer shops online."""
        return bool(self._pop.online[self.index])

    @property
    def mobile(self) -> bool:
        """Whether this consumer shops on a phone."""
        return bool(self._pop.mobile[self.index])

    @property
    def customer_of(self) -> list[str]:
        """Names of the platforms this consumer is a customer of."""
        bits = int(self._pop.customer_of[self.index])
        return [p.name for p in self.model.platforms if bits >> p.index & 1]

    @property
    def preferred_channel(self) -> str | None:
        """Channel of the last purchase: ``"stores"``, a platform name, or ``None``."""
        code = int(self._pop.preferred_channel[self.index])
        if code == NO_CHANNEL:
            return None
        if code == STORE_CHANNEL:
            return "stores"
        return self.model.platforms[code - 1].name

    @property
    def orders(self) -> int:
        """Orders placed so far (simulated consumer, not scaled to real people)."""
        return int(self._pop.orders[self.index])

    def __repr__(self) -> str:
        return f"Consumer({self.index}, age={self.age}, channel={self.preferred_channel!r})"

    # ---- the reference engine (``engine: agents``): one consumer's decisions in plain Python

    def adopt(self, online_share: float, mobile_share: float) -> str | None:
        """Decide whether to start shopping online, and later on a phone, this week.

        Someone not yet online starts with probability ``1 - exp(-(p + q x) / 52)``, where ``x``
        is the share of its contacts in the market who shop online (or ``online_share`` of
        everyone, when the market is well mixed), times ``(1 - age_decline) ** ((age -
        entry_age) / 10)`` when age matters. From the mobile stage on, an online shopper
        starts using a phone the same way, imitating ``mobile_share``, the share of online
        shoppers already on phones. The market applies everyone's decision at once.

        Args:
            online_share: Share of the consumers in the market who shop online.
            mobile_share: Share of the online shoppers who shop on a phone.

        Returns:
            ``"online"``, ``"mobile"`` or ``None`` (no change).
        """
        model, pop, i = self.model, self._pop, self.index
        s = model.config
        rng = model.rng
        if not pop.online[i]:
            a = s.adoption
            if a.network == "well_mixed":
                x = online_share
            else:
                x = pop.adopted_contacts[i] / max(int(pop.alive_contacts[i]), 1)
            chance = 1.0 - math.exp(-(a.p + a.q * x) / s.time.ticks_per_year)
            if a.age_decline:  # the older, the less likely to start
                age = model.year - int(pop.birth_year[i])
                chance *= float(adoption.age_factor(a.age_decline, age, s.demography.entry_age))
            if rng.random() < chance:
                return "online"
        elif not pop.mobile[i]:
            m = s.stages
            if m.mobile_year is not None and model.year >= m.mobile_year:
                hazard = (m.mobile_p + m.mobile_q * mobile_share) / s.time.ticks_per_year
                if rng.random() < 1.0 - math.exp(-hazard):
                    return "mobile"
        return None

    def shop(self, discount: float) -> int | None:
        """Decide whether a need comes up this week and, if so, where to buy.

        A need comes with this consumer's weekly chance (for an online shopper who is a
        customer of a platform, raised by the promotion ``discount`` through its price
        elasticity, ``min(1, chance * (1 - discount) ** -price_elasticity)``), unless it
        bought in a promotion a few weeks ago. It then weighs each
        of the nearest open stores and each launched platform it is a customer of, in yuan:
        minus the price (platforms less the promotion ``discount``), minus travel, waiting and
        search costs, plus the value of its trust in the channel, adds a Gumbel taste shock
        scaled by ``choice_scale``, and takes the best.

        Returns:
            ``None`` without a need; else the option picked (store slot ``0..k-1``, platform
            ``k + index``), or -1 when nothing was available.
        """
        model, pop, i = self.model, self._pop, self.index
        s = model.config
        c = s.consumers
        rng = model.rng
        chance = float(pop.need_rate[i])
        if c.price_elasticity > 0 and discount > 0 and pop.online[i] and pop.customer_of[i]:
            chance = float(needs.promotion_need_chance(chance, discount, c.price_elasticity))
        if pop.sated_until[i] > model.steps or rng.random() >= chance:
            return None
        options: list[tuple[float, int]] = []
        cell = pop.cell[i]
        for slot in range(c.store_choice_set):
            distance = float(model.network.choice_dist[cell, slot])
            if math.isfinite(distance):
                utility = (
                    -c.basket_value * s.stores.price_index
                    - c.travel_cost * distance
                    + c.trust_value * float(pop.trust_offline[i])
                )
                options.append((utility, slot))
        search = c.search_cost * (s.stages.mobile_search_factor if pop.mobile[i] else 1.0)
        for platform in model.platforms:
            if not platform.launched or not (int(pop.customer_of[i]) >> platform.index) & 1:
                continue
            p = platform.config
            utility = (
                -c.basket_value * p.price_index * (1 - discount)
                - c.delivery_wait_cost * p.delivery_days
                - search
                + c.trust_value * float(pop.trust_online[i, platform.index])
            )
            options.append((utility, c.store_choice_set + platform.index))
        picked = -1
        if options:
            scores = [u / c.choice_scale + rng.gumbel() for u, _ in options]
            picked = options[scores.index(max(scores))][1]
        return picked


class ConsumerViews:
    """One :class:`Consumer` view per consumer in the market, built at once or on first use.

    Views follow the population: a consumer who leaves loses its view (``remove``), a newcomer
    gets one (``add``), once the views have been built.

    Args:
        market: The market whose consumers the views show.
    """

    def __init__(self, market: Market) -> None:
        self.market = market
        self.built = False
        self._views: dict[int, Consumer] = {}

    def build(self) -> None:
        """Create a view for every consumer in the market (once)."""
        if not self.built:
            self.built = True
            self.add(np.flatnonzero(self.market.population.alive))

    def add(self, slots: np.ndarray) -> None:
        """Create views for newcomers in ``slots`` (only once the views are built)."""
        if self.built:
            for i in slots:
                self._views[int(i)] = Consumer(self.market, int(i))

    def remove(self, slots: np.ndarray) -> None:
        """Remove the views of the consumers in ``slots``, who left the market."""
        if self.built:
            for i in slots:
                self._views.pop(int(i)).remove()
