"""The market model: ``O2OMarket(mesa.Model)`` wires consumers and firms and runs the weekly tick.

One ``step()`` is one week. Phases run in a fixed order, each over the whole population:

1. calendar: in week 1, platforms launch, rent, wages and prices are re-indexed, cohorts leave
   and enter, counterfeit sellers are caught or come in, and new stores open;
2. adoption of online shopping (and, from the mobile stage, of shopping on a phone);
3. the attention market: platforms' sellers buy traffic and win customers;
4. purchase needs (promotion events add needs for online shoppers);
5. channel choice between the nearest open stores and the platforms one is a customer of;
6. purchases, platform commissions, brand revenue, and with each purchase its experience:
   trust, word of mouth and referrals; promotion buyers skip the next weeks;
7. visits to stores and platforms;
8. firm books at each month end: stores and dealers may close;
9. at year end, churn of customers;
10. metrics.

The rules of the online side live in :mod:`o2osim.market.online` and those of physical stores
in :mod:`o2osim.market.offline`; the model inherits both. It knows nothing of files, the
command line or plotting.
"""

from __future__ import annotations

import time
from typing import Any

import mesa
import numpy as np

from o2osim.agents import Brand, Consumer, Dealer, Platform, Population, Store
from o2osim.agents.consumers import (
    draw_large_accounts,
    draw_need_rates,
    draw_trust,
    draw_variants,
)
from o2osim.agents.stores import StoreBooks
from o2osim.market import BrandSide, OnlineSide, StoreSide
from o2osim.mechanisms import (
    choice,
    churn,
    demography,
    geography,
    needs,
)
from o2osim.metrics import TickRecorder, traffic_cost
from o2osim.scenario import Scenario
from o2osim.strategies.channel import Needs

#: Populations up to this size get their ``Consumer`` views at build time under ``auto``.
EAGER_VIEWS_LIMIT = 100_000


class O2OMarket(OnlineSide, StoreSide, BrandSide, mesa.Model):
    """A retail market where physical stores and online platforms compete for consumers.

    Args:
        scenario: A validated scenario; its ``seed`` seeds the one random stream.

    Attributes:
        config: The scenario the market was built from (``scenario`` is taken by Mesa 3.5).
        population: The consumers' columns.
        stores: Store agents, in index order (new stores are appended).
        platforms: Platform agents, in index order.
        dealers: Dealer agents.
        brands: Brand agents.
        year: Calendar year of the current (or next) tick.
        week: Week of the year of the last tick, 1-52.
        recorder: The per-tick metrics.
        annual: One dict of year-end indicators (churn, traffic cost by platform) per year.
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
        self.basket_value = s.consumers.basket_value
        self.brands = [Brand(self, i, b, self.basket_value) for i, b in enumerate(s.brands)]
        self.dealers = self._build_dealers()
        self.platforms = [Platform(self, i, p) for i, p in enumerate(s.platforms)]
        self.stores: list[Store] = []
        self._store_xy = np.empty((0, 2))
        self.store_books = StoreBooks()
        self._centres = geography.district_centres(s.population.area_km, s.population.districts)
        self._cell_centres = geography.district_centres(
            s.population.area_km, s.population.cells_per_side
        )
        homes = self.rng.choice(np.flatnonzero(self.population.alive), size=s.stores.count)
        for home in homes:
            self._open_store(int(home))
        self._refresh_choice_sets()
        self._init_brands()
        self.rent = s.stores.rent
        self.wages = s.stores.wages
        self.recorder = TickRecorder(s.ticks)
        self.annual: list[dict[str, float]] = []
        self._tick: dict[str, float] = {}
        self._views_built = False
        self._views: dict[int, Consumer] = {}
        self.departed_orders = 0
        self._new_consumers = 0
        self._buyers = np.empty(0, dtype=np.int64)
        self._working_age: float | None = None
        #: Seconds spent in each phase of the weekly tick, summed over the run.
        self.phase_seconds: dict[str, float] = {}
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

    @property
    def store_xy(self) -> np.ndarray:
        """Positions of all stores, km (one row per store, in index order)."""
        return self._store_xy

    # ------------------------------------------------------------------ the weekly tick

    def step(self) -> None:
        """Advance the market by one week."""
        s = self.config
        tick = self.steps - 1
        self.year = s.time.start_year + tick // s.time.ticks_per_year
        self.week = tick % s.time.ticks_per_year + 1
        self._tick = dict.fromkeys(
            (
                "store_closures",
                "store_openings",
                "new_customers",
                "paid_customers",
                "wom_customers",
                "marketing_spend",
                "online_visits",
                "store_visits",
            ),
            0.0,
        )
        clock = _PhaseClock(self.phase_seconds)
        if self.week == 1:
            self._new_year()
        clock.lap("calendar")
        agents = s.engine == "agents"
        self._adopt_by_agents() if agents else self._adopt()
        clock.lap("adoption")
        self._buy_traffic()
        clock.lap("attention")
        discount, boost = self._event_terms()
        if agents:  # each consumer's need and choice in one Consumer.shop()
            shoppers, picked = self._shop_by_agents(discount, boost)
        else:
            shoppers = self._draw_shoppers(boost)
            needs = self._needs(shoppers)
            clock.lap("needs")
            picked = self._choose(shoppers, discount, needs)
        clock.lap("choice")
        flows = self._book(shoppers, picked, discount, None if agents else needs)
        self._brands_week()
        if boost != 1.0 and s.consumers.pull_forward_weeks:
            # who bought in the event has no need in the next pull_forward_weeks weeks
            self.population.sated_until[self._buyers] = (
                self.steps + s.consumers.pull_forward_weeks + 1
            )
        clock.lap("purchases")
        self._count_visits(flows)
        clock.lap("visits")
        if self._month_ends():
            self._close_month()
        if self.week == s.time.ticks_per_year:
            self._close_year()
        clock.lap("books")
        self._record(shoppers.size, flows)
        clock.lap("metrics")

    # ---- calendar

    def _new_year(self) -> None:
        """Launch platforms, index rent, wages and prices, renew cohorts, open stores."""
        s = self.config
        elapsed = self.year - s.time.start_year
        self.rent = s.stores.rent * (1 + s.stores.rent_growth) ** elapsed
        self.wages = s.stores.wages * (1 + s.stores.wage_growth) ** elapsed
        self.basket_value = s.consumers.basket_value * (1 + s.consumers.spending_growth) ** elapsed
        for brand in self.brands:
            brand.list_price = self.basket_value
        for platform in self.platforms:
            platform.new_year(self.year)
            platform.plan_c2b_range(self.year, self.variant_popularity)
            platform.year_spend = platform.year_new_customers = 0.0
            if self.steps > 1 and platform.config.launch_year < self.year:
                platform.update_counterfeits()
                platform.count_shops()
        if self.steps == 1:  # the first online shoppers join the platforms open at the start
            pop = self.population
            self._start_online(np.flatnonzero(pop.online), tell=False)
        self._new_consumers = 0
        if self.steps > 1:
            if s.demography.turnover:
                self._retire()
                self._come_of_age()
            self._open_new_stores()
        self.store_books.year_sales[:] = 0.0

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
        pop.arrive(leaving, -1)
        pop.reset(leaving)
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
        pop.arrive(entering, +1)
        pop.reset(entering)
        pop.birth_year[entering] = self.year - s.demography.entry_age
        pop.need_rate[entering] = draw_need_rates(
            c.purchase_rate, c.purchase_rate_cv, entering.size, self.rng
        )
        pop.trust_offline[entering] = draw_trust(
            c.initial_trust_offline, c.trust_spread, entering.size, self.rng
        )
        pop.trust_online[entering] = draw_trust(
            c.initial_trust_online,
            c.trust_spread,
            (entering.size, pop.trust_online.shape[1]),
            self.rng,
        )
        pop.large_account[entering] = draw_large_accounts(
            c.large_account_share, entering.size, self.rng
        )
        pop.variant[entering] = draw_variants(c.variants, c.variant_zipf, entering.size, self.rng)
        natives = entering[self.rng.random(entering.size) < s.demography.entrants_online]
        pop.online[natives] = True
        self._start_online(natives)
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

    # ---- adoption and the attention market

    # ---- needs, choice and purchases

    def _draw_shoppers(self, boost: float) -> np.ndarray:
        """Who has a purchase need this week (events add needs for online shoppers)."""
        pop = self.population
        if boost == 1.0:
            chance = pop.need_rate
        else:
            chance = np.where(pop.online, np.minimum(1.0, pop.need_rate * boost), pop.need_rate)
        shoppers = needs.draw_shoppers(chance, self.rng)
        ready = pop.alive[shoppers] & (pop.sated_until[shoppers] <= self.steps)
        return shoppers[ready]

    def _utilities(
        self, shoppers: np.ndarray, discount: float, needs: Needs | None = None
    ) -> np.ndarray:
        """Utility in yuan of each option (nearest stores, then platforms) for each shopper."""
        s = self.config
        c = s.consumers
        pop = self.population
        k = c.store_choice_set
        cell = pop.cell[shoppers]
        util = np.empty((shoppers.size, k + len(self.platforms)), dtype=np.float32)
        # in base-year yuan: travel, waiting and trust are worth more as incomes grow
        store_price = c.basket_value * s.stores.price_index
        util[:, :k] = -store_price - c.travel_cost * self._choice_dist[cell]
        util[:, :k] += (c.trust_value * pop.trust_offline[shoppers])[:, None]
        search = c.search_cost * np.where(pop.mobile[shoppers], s.stages.mobile_search_factor, 1)
        member = pop.customer_of[shoppers]
        for platform in self.platforms:
            col = k + platform.index
            if not platform.launched:
                util[:, col] = -np.inf
                continue
            p = platform.config
            price = c.basket_value * p.price_index * (1 - discount)
            util[:, col] = -price - c.delivery_wait_cost * p.delivery_days - search
            util[:, col] += c.trust_value * pop.trust_online[shoppers, platform.index]
            util[(member & np.uint8(1 << platform.index)) == 0, col] = -np.inf
        if needs is not None:
            self._price_terms(util, shoppers, needs, discount)
        return util

    def _choose(
        self, shoppers: np.ndarray, discount: float, needs: Needs | None = None
    ) -> np.ndarray:
        """Each shopper picks an option by logit (-1 where nothing was available)."""
        c = self.config.consumers
        util = self._utilities(shoppers, discount, needs)
        return choice.logit_choice(util, c.choice_scale, self.rng)

    def _book(
        self,
        shoppers: np.ndarray,
        picked: np.ndarray,
        discount: float,
        needs: Needs | None = None,
    ) -> dict[str, float]:
        """Shoppers buy what they picked and learn from the experience."""
        c = self.config.consumers
        pop = self.population
        k = c.store_choice_set
        bought = picked >= 0
        buyers, picked = shoppers[bought], picked[bought]
        self._buyers = buyers
        pop.orders[buyers] += 1
        in_store = picked < k
        store_buyers = buyers[in_store]
        store_ids = self._choice_ids[pop.cell[store_buyers], picked[in_store]]
        online_buyers = buyers[~in_store]
        platform_ids = (picked[~in_store] - k).astype(np.int64)
        if needs is None:
            flows = self._sell_in_stores(store_buyers, store_ids)
            return flows | self._sell_online(online_buyers, platform_ids, discount)
        # a purchase is of the wanted brand only where the brand was on offer
        offered = np.where(in_store, needs.in_stores[bought], needs.online[bought])
        brand = np.where(offered, needs.brand[bought], -1)
        size = needs.size[bought]
        points = None
        if needs.points_in_stores is not None:
            points = (needs.points_in_stores[bought], needs.points_online[bought])
        partner = None if needs.via_partner is None else needs.via_partner[bought]
        self._brand_customers(buyers, brand, in_store, size, points, partner)
        flows = self._sell_in_stores(store_buyers, store_ids, brand[in_store], size[in_store])
        private = None if needs.referred is None else needs.referred[bought][~in_store]
        online = self._sell_online(
            online_buyers, platform_ids, discount, brand[~in_store], size[~in_store], private
        )
        flows["offline_orders"] += online.pop("pick_up_orders")
        flows["gmv_offline"] += online.pop("pick_up_gmv")
        return flows | online

    # ---- the reference engine: the same consumer decisions, one Mesa agent at a time

    def _adopt_by_agents(self) -> None:
        """Every consumer runs :meth:`Consumer.adopt`; the adoptions then take effect at once."""
        pop = self.population
        self._build_views()
        self._adopters: list[int] = []
        self._mobile_adopters: list[int] = []
        in_market = max(pop.count, 1)
        online = int(np.count_nonzero(pop.online))
        self.adoption_share = online / in_market
        self.mobile_share = int(np.count_nonzero(pop.mobile)) / max(online, 1)
        self.agents_by_type[Consumer].shuffle_do("adopt")
        new = np.array(sorted(self._adopters), dtype=np.int64)
        pop.online[new] = True
        self._start_online(new)
        pop.mobile[np.array(self._mobile_adopters, dtype=np.int64)] = True

    def _shop_by_agents(self, discount: float, boost: float) -> tuple[np.ndarray, np.ndarray]:
        """Every consumer runs :meth:`Consumer.shop`; returns the shoppers and their picks."""
        self.week_terms = (discount, boost)
        self._picks: list[tuple[int, int]] = []
        self.agents_by_type[Consumer].shuffle_do("shop")
        picks = sorted(self._picks)
        shoppers = np.array([i for i, _ in picks], dtype=np.int64)
        picked = np.array([o for _, o in picks], dtype=np.int64)
        return shoppers, picked

    def _count_visits(self, flows: dict[str, float]) -> None:
        """Visits: platform browsing sessions and store visits that end without a purchase."""
        c = self.config.consumers
        pop = self.population
        w = self.people_per_consumer
        mobile = float(np.count_nonzero(pop.mobile))
        pc = float(np.count_nonzero(pop.online)) - mobile
        sessions = self.rng.poisson(pc * c.pc_visits + mobile * c.mobile_visits) * w
        # a purchase is a session too; browsing that ends in no order is the rest
        self._tick["online_visits"] += max(sessions, flows["online_orders"])
        showroom = self.rng.binomial(int(round(flows["online_orders"] / w)), c.showrooming) * w
        window = self.rng.poisson(pop.count * c.window_shopping) * w
        self._tick["store_visits"] += showroom + window

    # ---- books

    def _month_ends(self) -> bool:
        """Whether this week is the last of a calendar month (12 months spread over the year)."""
        per_year = self.config.time.ticks_per_year
        return (self.week * 12) // per_year != ((self.week - 1) * 12) // per_year or (
            self.week == per_year
        )

    def _close_year(self) -> None:
        """Count lost customers; lost platform customers must be won again."""
        pop = self.population
        lost_pf, base_pf = churn.platform_churn(pop.bought_last_year, pop.bought_this_year)
        lost_on, base_on = churn.seller_churn(pop.shop_last_year, pop.shop_came_back)
        lost_off, base_off = churn.seller_churn(pop.store_last_year, pop.came_back)
        row: dict[str, float] = {
            "year": self.year,
            "annual_churn_online": lost_on / base_on if base_on else 0.0,
            "annual_churn_offline": lost_off / base_off if base_off else 0.0,
            "annual_churn_platform": lost_pf / base_pf if base_pf else 0.0,
        }
        for platform in self.platforms:
            row[f"traffic_cost_{platform.name}"] = traffic_cost(
                platform.year_spend, platform.year_new_customers, self.people_per_consumer
            )
        row |= self._firm_year()
        self.annual.append(row)
        pop.customer_of &= pop.bought_this_year | pop.won_this_year
        pop.won_this_year[:] = 0
        pop.bought_last_year[:] = pop.bought_this_year
        pop.bought_this_year[:] = 0
        pop.store_last_year[:] = pop.store_this_year
        pop.store_this_year[:] = -1
        pop.came_back[:] = False
        pop.shop_last_year[:] = pop.shop_this_year
        pop.shop_this_year[:] = -1
        pop.shop_came_back[:] = False

    def _record(self, shoppers: int, flows: dict[str, float]) -> None:
        pop = self.population
        w = self.people_per_consumer
        alive = pop.alive
        launched = [p.index for p in self.platforms if p.launched]
        n_online = int(np.count_nonzero(pop.online))
        n_alive = int(np.count_nonzero(alive))
        # means as weighted sums (one pass, no gathered copies)
        who = (pop.online if n_online else alive).view(np.uint8)
        trust_online = 0.0
        if launched:
            sums = who @ pop.trust_online
            trust_online = float(sums[launched].sum()) / ((n_online or n_alive) * len(launched))
        if self.week == 1 or self._working_age is None:  # ages change only at new year
            age = self.year - pop.birth_year
            working = alive & (age <= self.config.demography.working_age_max)
            self._working_age = float(np.count_nonzero(working)) * w
        flows.setdefault("online_orders", 0.0)
        self.recorder.record(
            tick=self.steps,
            year=self.year,
            week=self.week,
            consumers=n_alive * w,
            working_age_population=self._working_age,
            new_consumers=self._new_consumers * w if self.week == 1 else 0.0,
            shoppers=shoppers * w,
            online_users=n_online * w,
            mobile_users=float(np.count_nonzero(pop.mobile)) * w,
            stores_open=int(self.store_open.sum()),
            dealers_active=sum(d.active for d in self.dealers),
            mean_trust_online=trust_online,
            mean_trust_offline=float(alive.view(np.uint8) @ pop.trust_offline) / max(n_alive, 1),
            **self._tick,
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


class _PhaseClock:
    """Adds the time since the last lap to a phase's total (for the benchmark's profile)."""

    def __init__(self, totals: dict[str, float]) -> None:
        self.totals = totals
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.totals[phase] = self.totals.get(phase, 0.0) + now - self.last
        self.last = now
