"""The market model: ``O2OMarket(mesa.Model)`` builds the world and runs the week's phases.

One ``step()`` is one week; it reads as the ordered list of the week's phases, each an object
of :mod:`o2osim.market` that owns its state and is given what it works on:

1. calendar: the year and week; in week 1, price levels are re-indexed, platforms launch and
   plan their year, cohorts leave and enter, and new stores open;
2. adoption of online shopping (and, from the mobile stage, of shopping on a phone);
3. the attention market: sellers buy traffic and win customers;
4. needs (promotion events add needs for online shoppers) and their brands;
5. choice between the nearest open stores and the platforms one is a customer of (and, with
   ``sessions.mode: behaviour``, the search sessions behind each need);
6. the checkout: purchases, commissions, brands' books, and with each purchase its
   experience: trust, word of mouth, referrals; promotion buyers skip the next weeks;
7. visits to stores and platforms: sessions by device and source;
8. books: at each month end stores and dealers book the month and may close, then sellers
   set next month's prices (when they set prices); at year end, churn of customers and the
   firms' year;
9. metrics: the week's record and the Mesa ``DataCollector``.

The week's counters travel in one :class:`~o2osim.market.week.Week` record. The phases read
the market through the :class:`~o2osim.agents.protocol.Market` protocol, which this class
implements. The model knows nothing of the command line, plotting or Dask.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from o2osim.agents import Brand, Consumer, Dealer, Platform, Population, Store
from o2osim.agents.consumers import ConsumerViews
from o2osim.agents.ledger import Ledger
from o2osim.agents.store_books import StoreBooks
from o2osim.market import (
    Adoption,
    AttentionMarket,
    BrandDesk,
    BrandRivalry,
    Calendar,
    Cohorts,
    FirmDecisions,
    OnlineSelling,
    PlatformCustomers,
    PriceLevels,
    PriceSetting,
    Shopping,
    StoreFormats,
    StoreNetwork,
    Week,
    YearEnd,
)
from o2osim.metrics import MODEL_REPORTERS, TickRecorder
from o2osim.scenario import Scenario, load_scenario

#: Populations up to this size get their ``Consumer`` views at build time under ``auto``.
EAGER_VIEWS_LIMIT = 100_000

#: The scenario ``O2OMarket()`` builds when given none.
BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml"


class O2OMarket(mesa.Model):
    """A retail market where physical stores and online platforms compete for consumers.

    Build it as a Mesa user would: ``O2OMarket()`` is the baseline scenario;
    ``O2OMarket("scenarios/x.yaml", rng=7, population__consumers=5000)`` takes a scenario (a
    path, a mapping or a :class:`Scenario`), a seed and field overrides (``--set`` paths with
    ``__`` for dots). ``model.datacollector`` holds the model-level indicators after every
    week, ``model.running`` turns false at the end of the horizon, and
    ``mesa.batch_run(O2OMarket, parameters={...})`` sweeps fields by those keyword names.

    Args:
        scenario: A scenario file, a raw mapping or a validated :class:`Scenario` (``None``:
            ``scenarios/baseline.yaml``).
        rng: The seed (an int replaces the scenario's ``seed``, so the run stays reproducible
            from its resolved scenario); a ``numpy.random.Generator`` is used as the random
            stream as it is; ``None`` keeps the scenario's seed.
        **fields: Scenario overrides, e.g. ``population__consumers=5000``.

    Attributes:
        config: The resolved scenario (``scenario`` is taken by Mesa 3.5).
        population: The consumers' columns.
        platforms: Platform agents, in index order.
        dealers: Dealer agents.
        brands: Brand agents.
        calendar: The calendar phase (year, week, month ends, events).
        prices: This year's rent, wages and basket value.
        network: The store network (positions, choice sets, books, entry and exit).
        pricing: Price setting at month ends (when sellers set prices).
        customers: The platforms' customer register.
        desk: The brands' desk.
        adoption: The adoption phase.
        attention: The attention market.
        online: Selling online.
        shopping: Needs, choice, checkout and visits.
        cohorts: Consumers leaving and coming of age.
        year_end: Churn and the firms' year.
        ledger: The money ledger: every yuan consumers pay, followed to where it ends.
        recorder: The per-week metrics.
        annual: One dict of year-end indicators (churn, traffic cost by platform, firm books)
            per year.
        datacollector: Mesa's DataCollector with :data:`o2osim.metrics.MODEL_REPORTERS`.
        phase_seconds: Seconds spent in each phase of the week, summed over the run.
    """

    def __init__(
        self,
        scenario: str | Path | dict[str, Any] | Scenario | None = None,
        *,
        rng: int | np.random.Generator | None = None,
        **fields: Any,
    ) -> None:
        if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
            fields["seed"] = int(rng)
        source = BASELINE if scenario is None else scenario
        if isinstance(source, Scenario) and not fields:
            config = source
        else:
            config = load_scenario(source, **fields)
        stream = rng if isinstance(rng, np.random.Generator) else None
        super().__init__(rng=stream or np.random.default_rng(config.seed))
        self.config = config
        s = config
        self.people_per_consumer = s.population.people_per_consumer
        self.calendar = Calendar(s)
        self.prices = PriceLevels.start(s)
        self.ledger = Ledger()
        self.population = Population.build(s, self.rng)
        self.brands = [Brand(self, i, b, self.prices.basket_value) for i, b in enumerate(s.brands)]
        xy = self.rng.uniform(0, s.population.area_km, size=(s.dealers.count, 2))
        self.dealers = [
            Dealer(self, i, x, y, s.dealers, self.brands) for i, (x, y) in enumerate(xy)
        ]
        self.platforms = [Platform(self, i, p) for i, p in enumerate(s.platforms)]
        self.network = StoreNetwork(self)
        self.network.open_initial(s.stores.count)
        self.pricing = PriceSetting(self, self.network)
        self.customers = PlatformCustomers(self)
        self.desk = BrandDesk(self, self.network)
        self.adoption = Adoption(self, self.customers)
        self.attention = AttentionMarket(self, self.customers)
        self.online = OnlineSelling(self, self.customers, self.desk)
        self.formats = StoreFormats(self, self.network)
        self.shopping = Shopping(self, self.network, self.online, self.desk, self.formats)
        self.cohorts = Cohorts(self, self.customers)
        self.year_end = YearEnd(self, self.desk, self.online)
        self.rivalry = BrandRivalry(self)
        self.decisions = FirmDecisions(self, self.network, self.formats, self.rivalry)
        self.recorder = TickRecorder(s.ticks)
        self.annual: list[dict[str, float]] = []
        self.phase_seconds: dict[str, float] = {}
        self._working_age: float | None = None
        self.views = ConsumerViews(self)
        eager = s.population.agent_views == "eager" or (
            s.population.agent_views == "auto" and s.population.consumers <= EAGER_VIEWS_LIMIT
        )
        if eager:
            self.views.build()
        self.datacollector = mesa.DataCollector(model_reporters=MODEL_REPORTERS)
        self.datacollector.collect(self)
        self.running = s.ticks > 0

    # ------------------------------------------------------------------ the week

    def step(self) -> None:
        """Advance the market by one week: the week's phases in order."""
        if self.recorder.count >= self.config.ticks:  # past the horizon: nothing happens
            self.running = False
            return
        week = Week()
        clock = _PhaseClock(self.phase_seconds)
        self.calendar.advance(self.steps)
        if self.calendar.new_year:
            self._new_year(week)
        clock.lap("calendar")
        self._adopt(week)
        clock.lap("adoption")
        terms = self.calendar.event_terms()
        self.attention.run(week, terms.promotion_spend)
        clock.lap("attention")
        discount = terms.discount
        shoppers, picked, needs = self._shop(discount, clock)
        clock.lap("choice")
        searches = self.shopping.search(shoppers)
        flows, buyers = self.shopping.checkout(
            shoppers, picked, discount, needs, week, terms.subsidy
        )
        self.desk.week_done()
        self.rivalry.spend_week()
        self.shopping.pull_forward(buyers, discount)
        clock.lap("purchases")
        self.attention.land_search(shoppers, searches, week)
        self.shopping.count_visits(
            flows,
            week,
            shoppers,
            picked,
            searches,
            self.attention.click_rate,
            self.attention.search_rate,
            self.attention.own_rate,
        )
        clock.lap("visits")
        if self.calendar.month_ends():
            self.network.close_month(self.desk.store_mix(), week)
            self.formats.refresh_points()
            self.pricing.set_prices()
        self.ledger.close_week()
        if self.calendar.year_ends:
            row = (
                self.year_end.close()
                | self.shopping.year_service()
                | self.ledger.year()
                | self.formats.year_counts()
            )
            self.annual.append(row)
            self.decisions.run(row)
        clock.lap("books")
        self._record(shoppers.size, flows, week)
        self.datacollector.collect(self)
        self.running = self.recorder.count < self.config.ticks
        clock.lap("metrics")

    def _new_year(self, week: Week) -> None:
        """Re-index prices, launch platforms and plan their year, renew cohorts, open stores."""
        s = self.config
        year = self.calendar.year
        self.prices.index(s, self.calendar.elapsed)
        for brand in self.brands:
            brand.list_price = self.prices.basket_value
        first = self.steps == 1
        for platform in self.platforms:
            platform.new_year(year)
            platform.plan_c2b_range(year, self.desk.variant_popularity)
            platform.year_spend = platform.year_new_customers = 0.0
            if not first and platform.config.launch_year < year:
                platform.update_counterfeits()
                platform.count_shops()
        if first:  # the first online shoppers join the platforms open at the start
            self.customers.start_online(np.flatnonzero(self.population.online), week, tell=False)
        else:
            if s.demography.turnover:
                self.views.remove(self.cohorts.retire())
                self.views.add(self.cohorts.come_of_age(week))
            self.network.open_new_stores(week)
        self.network.books.year_sales[:] = 0.0
        self.network.books.year_profit[:] = 0.0

    def _adopt(self, week: Week) -> None:
        """Adoption, vectorized or (``engine: agents``) by every consumer agent."""
        if self.config.engine == "agents":
            self.adoption.run_by_agents(self.agents_by_type[Consumer], week)
        else:
            self.adoption.run(week)

    def _shop(self, discount: float, clock: _PhaseClock) -> tuple[np.ndarray, np.ndarray, Any]:
        """Needs and choice: the shoppers, the option each picked, and their needs."""
        if self.config.engine == "agents":  # each consumer's need and choice in Consumer.shop
            shoppers, picked = self.shopping.shop_by_agents(self.agents_by_type[Consumer], discount)
            return shoppers, picked, None
        shoppers = self.shopping.draw_shoppers(discount)
        needs = self.desk.needs(shoppers)
        clock.lap("needs")
        return shoppers, self.shopping.choose(shoppers, discount, needs), needs

    def _record(self, shoppers: int, flows: dict[str, float], week: Week) -> None:
        """The metrics phase: one row of the week's indicators."""
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
        flows.setdefault("online_baskets", 0.0)
        self.recorder.record(
            tick=self.steps,
            year=self.year,
            week=self.week,
            consumers=n_alive * w,
            working_age_population=self._working_age,
            new_consumers=self.cohorts.new_consumers * w if self.week == 1 else 0.0,
            shoppers=shoppers * w,
            online_users=n_online * w,
            mobile_users=float(np.count_nonzero(pop.mobile)) * w,
            stores_open=int(self.store_open.sum()),
            dealers_active=sum(d.active for d in self.dealers),
            mean_trust_online=trust_online,
            mean_trust_offline=float(alive.view(np.uint8) @ pop.trust_offline) / max(n_alive, 1),
            **week.as_dict(),
            **flows,
        )

    # ------------------------------------------------------------------ the Market protocol

    @property
    def year(self) -> int:
        """Calendar year of the current (or next) week."""
        return self.calendar.year

    @property
    def week(self) -> int:
        """Week of the year of the last week stepped, 1-52 (0 before the first)."""
        return self.calendar.week

    @property
    def rent(self) -> float:
        """Monthly rent of a store this year, yuan."""
        return self.prices.rent

    @property
    def wages(self) -> float:
        """Monthly wages of a store this year, yuan."""
        return self.prices.wages

    @property
    def basket_value(self) -> float:
        """A basket at list price this year, yuan."""
        return self.prices.basket_value

    def in_year_yuan(self, amount: float | np.ndarray) -> float | np.ndarray:
        """Base-year yuan in this year's yuan, ``amount * B_y / B_0`` (see PriceLevels)."""
        return self.prices.in_year_yuan(amount)

    def in_base_yuan(self, amount: float | np.ndarray) -> float | np.ndarray:
        """This year's yuan in base-year yuan, ``amount * (B_0 / B_y)`` (see PriceLevels)."""
        return self.prices.in_base_yuan(amount)

    @property
    def stores(self) -> list[Store]:
        """Store agents, in index order (new stores are appended)."""
        return self.network.stores

    @property
    def store_books(self) -> StoreBooks:
        """The books of every store ever opened."""
        return self.network.books

    @property
    def store_open(self) -> np.ndarray:
        """Which stores trade (a column of the store books)."""
        return self.network.is_open

    @property
    def store_xy(self) -> np.ndarray:
        """Positions of all stores, km (one row per store, in index order)."""
        return self.network.xy

    @property
    def departed_orders(self) -> int:
        """Orders placed by consumers who have left the market (agent orders)."""
        return self.cohorts.departed_orders

    @property
    def brands_active(self) -> bool:
        """Whether brands make a difference in this scenario (some brand lever is in use)."""
        return self.desk.active

    @property
    def agents(self) -> mesa.agent.AgentSet:
        """All agents; consumer views are created on first access when built lazily."""
        self.views.build()
        return super().agents

    @property
    def agents_by_type(self) -> dict[type[mesa.Agent], mesa.agent.AgentSet]:
        """Agents by class; consumer views are created on first access when built lazily."""
        self.views.build()
        return super().agents_by_type

    # ------------------------------------------------------------------ convenience

    def run(self, ticks: int | None = None, progress: Any = None) -> None:
        """Step the market ``ticks`` times (default: to the end of the scenario).

        Args:
            ticks: Number of weeks to run.
            progress: Optional callable taking no arguments, called after every week.
        """
        remaining = self.config.ticks - self.recorder.count
        for _ in range(remaining if ticks is None else min(ticks, remaining)):
            self.step()
            if progress is not None:
                progress()
        self.running = self.recorder.count < self.config.ticks


class _PhaseClock:
    """Adds the time since the last lap to a phase's total (for the benchmark's profile)."""

    def __init__(self, totals: dict[str, float]) -> None:
        self.totals = totals
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.totals[phase] = self.totals.get(phase, 0.0) + now - self.last
        self.last = now
