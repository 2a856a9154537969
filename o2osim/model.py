"""The market model: ``O2OMarket(mesa.Model)`` wires consumers and firms and runs the weekly tick.

One ``step()`` is one week. Phases run in a fixed order, each over the whole population:

1. calendar (new year: platform launches, rent and wages, ageing);
2. adoption of online shopping;
3. purchase needs;
4. channel choice between the nearest open stores and the launched platforms;
5. purchases, platform commissions and brand revenue;
6. experience and trust;
7. firm books at each month end (stores may close);
8. metrics.

The model knows nothing of files, the command line or plotting.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from o2osim.agents import Brand, Consumer, Dealer, Platform, Population, Store
from o2osim.agents.consumers import NO_CHANNEL, STORE_CHANNEL
from o2osim.mechanisms import adoption, choice, demography, geography, needs, trust
from o2osim.metrics import TickRecorder
from o2osim.scenario import Scenario

#: Populations up to this size get their ``Consumer`` views at build time under ``auto``.
EAGER_VIEWS_LIMIT = 100_000


class O2OMarket(mesa.Model):
    """A retail market where physical stores and online platforms compete for consumers.

    Args:
        scenario: A validated scenario; its ``seed`` seeds the one random stream.

    Attributes:
        config: The scenario the market was built from (``scenario`` is taken by Mesa 3.5).
        population: The consumers' columns.
        stores: Store agents, in index order.
        platforms: Platform agents, in index order.
        dealers: Dealer agents.
        brands: Brand agents.
        year: Calendar year of the current (or next) tick.
        week: Week of the year of the last tick, 1-52.
        recorder: The per-tick metrics.
        departed_orders: Orders placed by consumers who have left the market (agent orders).
    """

    def __init__(self, scenario: Scenario) -> None:
        super().__init__(rng=np.random.default_rng(scenario.seed))
        self.config = scenario
        s = scenario
        self.people_per_consumer = s.population.people_per_consumer
        self.year = s.time.start_year
        self.week = 0
        self.population = Population.build(s, self.rng)
        self.brands = [Brand(self, i, b, s.consumers.basket_value) for i, b in enumerate(s.brands)]
        self.dealers = self._build_dealers()
        self.stores = self._build_stores()
        self.platforms = [Platform(self, i, p) for i, p in enumerate(s.platforms)]
        self._store_xy = np.array([(st.x, st.y) for st in self.stores], dtype=np.float64)
        self.store_open = np.ones(len(self.stores), dtype=bool)
        self._centres = geography.district_centres(s.population.area_km, s.population.districts)
        self._refresh_choice_sets()
        self._month_sales = np.zeros(len(self.stores))
        self._month_units = np.zeros(len(self.stores))
        self.rent = s.stores.rent
        self.wages = s.stores.wages
        self.recorder = TickRecorder(s.ticks)
        self._closures_this_tick = 0
        self._views_built = False
        self._views: dict[int, Consumer] = {}
        self.departed_orders = 0
        self._new_consumers = 0
        eager = s.population.agent_views == "eager" or (
            s.population.agent_views == "auto" and s.population.consumers <= EAGER_VIEWS_LIMIT
        )
        if eager:
            self._build_views()

    # ------------------------------------------------------------------ construction

    def _build_dealers(self) -> list[Dealer]:
        s = self.config
        xy = self.rng.uniform(0, s.population.area_km, size=(s.dealers.count, 2))
        return [Dealer(self, i, x, y, s.dealers, self.brands) for i, (x, y) in enumerate(xy)]

    def _build_stores(self) -> list[Store]:
        """Stores open where people live: each sits at the home of a randomly drawn consumer."""
        s = self.config
        pop = self.population
        homes = self.rng.choice(np.flatnonzero(pop.alive), size=s.stores.count)
        dealer_xy = np.array([(d.x, d.y) for d in self.dealers]).reshape(-1, 2)
        stores = []
        for i, h in enumerate(homes):
            x, y = float(pop.x[h]), float(pop.y[h])
            dealer = None
            if len(self.dealers):
                nearest = int(np.argmin(((dealer_xy - (x, y)) ** 2).sum(axis=1)))
                dealer = self.dealers[nearest]
            stores.append(Store(self, i, x, y, s.stores, dealer))
        return stores

    def _build_views(self) -> None:
        if not self._views_built:
            self._views_built = True
            self._add_views(np.flatnonzero(self.population.alive))

    def _add_views(self, slots: np.ndarray) -> None:
        if self._views_built:
            for i in slots:
                self._views[int(i)] = Consumer(self, int(i))

    def _remove_views(self, slots: np.ndarray) -> None:
        if self._views_built:
            for i in slots:
                self._views.pop(int(i)).remove()

    @property
    def agents(self) -> mesa.agent.AgentSet:
        """All agents; consumer views are created on first access when built lazily."""
        self._build_views()
        return super().agents

    @property
    def agents_by_type(self) -> dict[type[mesa.Agent], mesa.agent.AgentSet]:
        """Agents by class; consumer views are created on first access when built lazily."""
        self._build_views()
        return super().agents_by_type

    def _refresh_choice_sets(self) -> None:
        k = self.config.consumers.store_choice_set
        self._choice_ids, self._choice_dist = geography.nearest_open_stores(
            self._centres, self._store_xy.reshape(-1, 2), self.store_open, k
        )

    # ------------------------------------------------------------------ the weekly tick

    def step(self) -> None:
        """Advance the market by one week."""
        s = self.config
        tick = self.steps - 1
        self.year = s.time.start_year + tick // s.time.ticks_per_year
        self.week = tick % s.time.ticks_per_year + 1
        if self.week == 1:
            self._new_year()
        self._closures_this_tick = 0
        self._adopt()
        discount, boost = self._event_terms()
        shoppers = needs.draw_shoppers(
            self.population.size, s.consumers.purchase_rate * boost, self.rng
        )
        shoppers = shoppers[self.population.alive[shoppers]]
        flows = self._shop(shoppers, discount)
        if self._month_ends():
            self._close_month()
        self._record(shoppers.size, flows)

    def _adopt(self) -> None:
        """Consumers start shopping online, pushed by their contacts or by the whole market."""
        a = self.config.adoption
        pop = self.population
        weeks = self.config.time.ticks_per_year
        if a.network == "well_mixed":
            new = adoption.adopt_online(pop.online, pop.alive, a.p, a.q, weeks, self.rng)
        else:
            new = adoption.adopt_online_networked(
                pop.online, pop.alive, pop.adopted_contacts, pop.degree, a.p, a.q, weeks, self.rng
            )
        pop.tell_contacts(new, +1)

    def _new_year(self) -> None:
        """Launch platforms due this year, grow rent and wages, let cohorts leave and enter."""
        s = self.config
        elapsed = self.year - s.time.start_year
        self.rent = s.stores.rent * (1 + s.stores.rent_growth) ** elapsed
        self.wages = s.stores.wages * (1 + s.stores.wage_growth) ** elapsed
        for platform in self.platforms:
            platform.launched = platform.config.launch_year <= self.year
        self._new_consumers = 0
        if s.demography.turnover and self.steps > 1:
            self._retire()
            self._come_of_age()

    def _retire(self) -> None:
        """Each consumer who reaches the exit age leaves the market; its slot falls free."""
        pop = self.population
        leaving = np.flatnonzero(
            pop.alive & (self.year - pop.birth_year >= self.config.demography.exit_age)
        )
        pop.tell_contacts(leaving[pop.online[leaving]], -1)
        self.departed_orders += int(pop.orders[leaving].sum())
        pop.orders[leaving] = 0
        pop.alive[leaving] = False
        pop.online[leaving] = False
        self._remove_views(leaving)

    def _come_of_age(self) -> None:
        """This year's cohort enters the market in free slots, offline and with initial trust."""
        s = self.config
        pop = self.population
        expected = demography.entrants_expected(
            s.demography, self.year, s.time.start_year, s.population.consumers
        )
        count = int(expected) + int(self.rng.random() < expected - int(expected))
        entering = np.flatnonzero(~pop.alive)[:count]
        c = s.consumers
        pop.alive[entering] = True
        pop.birth_year[entering] = self.year - s.demography.entry_age
        pop.preferred_channel[entering] = NO_CHANNEL
        fresh = self.rng.normal(c.initial_trust_offline, c.trust_spread, entering.size)
        pop.trust_offline[entering] = np.clip(fresh, 0, 1)
        fresh = self.rng.normal(
            c.initial_trust_online, c.trust_spread, (entering.size, pop.trust_online.shape[1])
        )
        pop.trust_online[entering] = np.clip(fresh, 0, 1)
        self._new_consumers = entering.size
        self._add_views(entering)

    def _event_terms(self) -> tuple[float, float]:
        """Platform discount and demand multiplier of this week's promotion events."""
        discount, boost = 0.0, 1.0
        for event in self.config.events:
            if event.week == self.week and self.year >= event.start_year:
                discount = 1 - (1 - discount) * (1 - event.platform_discount)
                boost *= event.demand_boost
        return discount, boost

    def _utilities(self, shoppers: np.ndarray, discount: float) -> np.ndarray:
        """Utility in yuan of each option (nearest stores, then platforms) for each shopper."""
        s = self.config
        c = s.consumers
        pop = self.population
        k = c.store_choice_set
        district = pop.district[shoppers]
        util = np.empty((shoppers.size, k + len(self.platforms)), dtype=np.float32)
        store_price = c.basket_value * s.stores.price_index
        util[:, :k] = -store_price - c.travel_cost * self._choice_dist[district]
        util[:, :k] += (c.trust_value * pop.trust_offline[shoppers])[:, None]
        online = pop.online[shoppers]
        for platform in self.platforms:
            col = k + platform.index
            if not platform.launched:
                util[:, col] = -np.inf
                continue
            p = platform.config
            price = c.basket_value * p.price_index * (1 - discount)
            util[:, col] = -price - c.delivery_wait_cost * p.delivery_days
            util[:, col] += c.trust_value * pop.trust_online[shoppers, platform.index]
            util[~online, col] = -np.inf
        return util

    def _shop(self, shoppers: np.ndarray, discount: float) -> dict[str, float]:
        """Shoppers choose a channel, buy, and learn from the experience."""
        s = self.config
        c = s.consumers
        pop = self.population
        k = c.store_choice_set
        picked = choice.logit_choice(self._utilities(shoppers, discount), c.choice_scale, self.rng)
        bought = picked >= 0
        buyers, picked = shoppers[bought], picked[bought]
        pop.orders[buyers] += 1
        scale = self.people_per_consumer

        in_store = picked < k
        store_buyers = buyers[in_store]
        store_ids = self._choice_ids[pop.district[store_buyers], picked[in_store]]
        units = np.bincount(store_ids, minlength=len(self.stores)) * scale
        store_price = c.basket_value * s.stores.price_index
        self._month_sales += units * store_price
        self._month_units += units
        pop.preferred_channel[store_buyers] = STORE_CHANNEL
        trust.learn(pop.trust_offline, store_buyers, 1.0, c.trust_learning_rate)
        offline_units = float(units.sum())
        for brand in self.brands:
            brand.make_for_stores(offline_units * brand.config.market_share)

        online_buyers = buyers[~in_store]
        platform_ids = (picked[~in_store] - k).astype(np.int64)
        pop.preferred_channel[online_buyers] = (platform_ids + 1).astype(np.int8)
        gmv_online = bad_total = 0.0
        for platform in self.platforms:
            mine = online_buyers[platform_ids == platform.index]
            if mine.size == 0:
                continue
            p = platform.config
            bad = self.rng.random(mine.size) < p.counterfeit_rate
            relief = trust.bad_order_relief(
                p.escrow, p.return_window_days > 0, c.escrow_relief, c.returns_relief
            )
            outcome = np.where(bad, np.float32(relief), np.float32(1.0))
            trust.learn(pop.trust_online, mine, outcome, c.trust_learning_rate, platform.index)
            orders = mine.size * scale
            gmv = orders * c.basket_value * p.price_index * (1 - discount)
            net = platform.book_week(gmv, orders, float(bad.sum()) * scale)
            for brand in self.brands:
                share = brand.config.market_share
                brand.sell_online(net * share, orders * share)
            gmv_online += gmv
            bad_total += float(bad.sum()) * scale
        return {
            "online_orders": online_buyers.size * scale,
            "offline_orders": offline_units,
            "gmv_online": gmv_online,
            "gmv_offline": offline_units * store_price,
            "bad_orders": bad_total,
        }

    def _month_ends(self) -> bool:
        """Whether this week is the last of a calendar month (12 months spread over the year)."""
        per_year = self.config.time.ticks_per_year
        return (self.week * 12) // per_year != ((self.week - 1) * 12) // per_year or (
            self.week == per_year
        )

    def _close_month(self) -> None:
        """Every open store and dealer books the month; losing stores may close."""
        closed_any = False
        for store in self.stores:
            if not store.is_open:
                continue
            i = store.index
            if store.close_month(self._month_sales[i], self._month_units[i], self.rent, self.wages):
                self.store_open[i] = False
                self._closures_this_tick += 1
                closed_any = True
        self._month_sales[:] = 0.0
        self._month_units[:] = 0.0
        for dealer in self.dealers:
            dealer.close_month()
        if closed_any:
            self._refresh_choice_sets()

    def _record(self, shoppers: int, flows: dict[str, float]) -> None:
        pop = self.population
        w = self.people_per_consumer
        alive = pop.alive
        n_platforms = len(self.platforms)
        trust_online = float(pop.trust_online[alive, :n_platforms].mean()) if n_platforms else 0.0
        age = self.year - pop.birth_year
        working = alive & (age <= self.config.demography.working_age_max)
        self.recorder.record(
            tick=self.steps,
            year=self.year,
            week=self.week,
            consumers=float(np.count_nonzero(alive)) * w,
            working_age_population=float(np.count_nonzero(working)) * w,
            new_consumers=self._new_consumers * w if self.week == 1 else 0.0,
            shoppers=shoppers * w,
            online_users=float(np.count_nonzero(pop.online)) * w,
            stores_open=int(self.store_open.sum()),
            store_closures=self._closures_this_tick,
            mean_trust_online=trust_online,
            mean_trust_offline=float(pop.trust_offline[alive].mean()),
            **flows,
        )

    # ------------------------------------------------------------------ convenience

    def run(self, ticks: int | None = None, progress: Any = None) -> None:
        """Step the market ``ticks`` times (default: to the end of the scenario).

        Args:
            ticks: Number of weeks to run.
            progress: Optional callable taking no arguments, called after every tick.
        """
        remaining = self.config.ticks - self.steps
        for _ in range(remaining if ticks is None else min(ticks, remaining)):
            self.step()
            if progress is not None:
                progress()
        self.running = self.steps < self.config.ticks
