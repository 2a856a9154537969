"""The store network: where stores are, the nearest open stores, books, dealers, entry, exit."""

from __future__ import annotations

import numpy as np

from o2osim.agents import Dealer, Store
from o2osim.agents.protocol import Market
from o2osim.agents.store_books import StoreBooks
from o2osim.market.week import Week
from o2osim.mechanisms import geography, pricing, trust
from o2osim.units import STORE_CHANNEL

#: Format codes in the store books (see :data:`o2osim.scenario.STORE_FORMATS`).
FULL, SHOWROOM, PICK_UP, SERVICE = range(4)


class StoreNetwork:
    """The physical stores and the dealers who supply them.

    Owns the stores' positions, the choice sets (each travel cell's ``k`` nearest open stores
    and their distances), the store books and the store agents. Reads the population's homes,
    this year's price levels and the dealers.

    Args:
        market: The market.

    Attributes:
        stores: Store agents, in index order (new stores are appended).
        books: The books of every store ever opened.
        xy: Position of every store, km (one row per store).
        choice_ids: Store index of each travel cell's nearest open stores, -1 past the last.
        choice_dist: Distance to each of them from the cell's centre, km (inf: none).
        price_cap: The most a store can charge this month when sellers set prices, yuan per
            basket (inf: no online price to cap it).
    """

    def __init__(self, market: Market) -> None:
        self.market = market
        s = market.config
        self.stores: list[Store] = []
        self.books = StoreBooks()
        self.xy = np.empty((0, 2))
        self.districts = geography.district_centres(s.population.area_km, s.population.districts)
        self.cells = geography.district_centres(s.population.area_km, s.population.cells_per_side)
        self.choice_ids = np.empty((0, 0), dtype=np.int64)
        self.choice_dist = np.empty((0, 0))
        self.priced = s.pricing.sellers_set_prices
        self.price_cap = float("inf")
        self._served = np.zeros(2)  # service value delivered in store purchases, purchases
        self.shares_inventory = any(b.shared_inventory for b in s.brands)
        self._month_online = np.zeros(s.dealers.count)  # online orders by dealer's region
        self._takeovers = 0

    # ---- where the stores are

    def open_initial(self, count: int) -> None:
        """The first ``count`` stores open at the homes of consumers drawn at random."""
        pop = self.market.population
        homes = self.market.rng.choice(np.flatnonzero(pop.alive), size=count)
        for home in homes:
            self.open_store(int(home))
        self.refresh_choice_sets()

    def open_store(self, home: int) -> Store:
        """A store opens at the home of consumer ``home`` and buys from the nearest dealer."""
        m = self.market
        pop = m.population
        x, y = float(pop.x[home]), float(pop.y[home])
        st = m.config.stores
        quality = trust.draw_store_quality(st.quality_mean, st.quality_spread, m.rng)
        store = Store(m, x, y, st.initial_cash, self.nearest_dealer(x, y), quality)
        if self.priced:
            self.start_prices(store.index)
        self.stores.append(store)
        self.xy = np.vstack([self.xy, [[x, y]]])
        return store

    def nearest_dealer(
        self, x: float, y: float, exclude: list[Dealer] | None = None
    ) -> Dealer | None:
        """The active dealer nearest to ``(x, y)`` (not one of ``exclude``), or ``None``."""
        active = [d for d in self.market.dealers if d.active and d not in (exclude or [])]
        if not active:
            return None
        return min(active, key=lambda d: (d.x - x) ** 2 + (d.y - y) ** 2)

    @property
    def is_open(self) -> np.ndarray:
        """Which stores trade (a column of the store books), in any format."""
        return self.books.is_open

    @property
    def sells(self) -> np.ndarray:
        """Which stores sell goods: open full stores and showrooms."""
        return self.books.is_open & (self.books.format <= SHOWROOM)

    def cost_shares(self) -> tuple[np.ndarray, np.ndarray]:
        """Each store's rent and wages as shares of a full store's, by its format."""
        f = self.market.config.store_formats
        rent = np.array([1.0, f.showroom_rent_share, f.pick_up_rent_share, f.service_rent_share])
        wages = np.array([1.0, f.showroom_wage_share, f.pick_up_wage_share, f.service_wage_share])
        return rent[self.books.format], wages[self.books.format]

    def refresh_choice_sets(self, closed: np.ndarray | None = None) -> None:
        """Recompute each travel cell's nearest selling stores (only cells that lost one).

        Args:
            closed: Stores that closed or stopped selling (``None``: recompute every cell).
        """
        k = self.market.config.consumers.store_choice_set
        if closed is None:
            self.choice_ids, self.choice_dist = geography.nearest_open_stores(
                self.cells, self.xy, self.sells, k
            )
            return
        stale = np.flatnonzero(np.isin(self.choice_ids, closed).any(axis=1))
        if stale.size:
            ids, dist = geography.nearest_open_stores(self.cells[stale], self.xy, self.sells, k)
            self.choice_ids[stale] = ids
            self.choice_dist[stale] = dist

    def nearest_store(self, who: np.ndarray) -> np.ndarray:
        """Index of each consumer's nearest open store, -1 where no store is open."""
        return self.choice_ids[self.market.population.cell[who], 0]

    def nearest_store_km(self, who: np.ndarray) -> np.ndarray:
        """Distance from each consumer's home area to its nearest open store, km (inf: none)."""
        return self.choice_dist[self.market.population.cell[who], 0]

    def dealer_of_nearest_store(self, who: np.ndarray) -> np.ndarray:
        """Index of the active dealer supplying each consumer's nearest open store, -1 if none."""
        store = self.nearest_store(who)
        dealer = np.full(store.shape, -1, dtype=np.int64)
        open_ = store >= 0  # with no store ever opened the books are empty: index none
        dealer[open_] = self.books.dealer[store[open_]]
        active = np.array([d.active for d in self.market.dealers] + [False])
        return np.where(active[dealer], dealer, -1)

    def note_online(self, buyers: np.ndarray) -> None:
        """This week's online orders by the dealer of each buyer's nearest store.

        Counted only when a brand shares its inventory across channels.
        """
        if not self.shares_inventory or buyers.size == 0:
            return
        dealer = self.dealer_of_nearest_store(buyers)
        counts = np.bincount(dealer[dealer >= 0], minlength=len(self.market.dealers))
        self._month_online += counts * self.market.people_per_consumer

    # ---- prices

    @property
    def price(self) -> float:
        """A basket's list price in stores this year, yuan (``stores.price_index`` times list)."""
        return self.market.basket_value * self.market.config.stores.price_index

    def prices(self) -> float | np.ndarray:
        """Each store's price of a basket this month, yuan, or the one list price for all."""
        return self.books.price if self.priced else self.price

    def value_of(self, units: np.ndarray) -> float:
        """What ``units`` baskets per store cost their buyers at this month's prices, yuan."""
        if self.priced:
            return float(units @ self.books.price)
        return float(units.sum()) * self.price

    def list_terms(self) -> tuple[float, float]:
        """This month's wholesale list price ``W0`` and ex-factory price ``F0``, yuan a basket.

        ``W0 = wholesale_index * basket_value``; ``F0 = W0 * (1 - dealers.margin)``.
        """
        m = self.market
        list_wholesale = m.config.pricing.wholesale_index * m.basket_value
        return list_wholesale, list_wholesale * (1.0 - m.config.dealers.margin)

    def start_prices(self, store: int) -> None:
        """A store that opens charges the list price (at most the cap) at its opening markup."""
        list_wholesale, list_factory = self.list_terms()
        self.books.set_terms(
            store,
            min(self.price, self.price_cap),
            self.market.config.pricing.store_markup,
            list_wholesale,
            list_factory,
        )

    def set_prices(self, online_prices: np.ndarray) -> None:
        """Month end: every open store sets next month's price from last month's books.

        The cap is ``(1 + store_premium)`` times the cheapest online price plus what the
        service needs stores served are worth (:meth:`service_per_basket`); each store spreads
        its rent and wages over its running average of baskets, pays its dealer what the cap
        leaves (at most the list wholesale), moves its markup with its demand and toward the
        cap (``markup_rule: follow``) or sets it at one logit choice scale over its unit cost
        (``logit``), and charges ``min(cap, (W + O) * (1 + m))`` (see
        :mod:`o2osim.mechanisms.pricing`).

        Args:
            online_prices: The price each open platform's sellers charge, yuan per basket.
        """
        m = self.market
        pr = m.config.pricing
        books = self.books
        cap = pricing.price_cap(online_prices, pr.store_premium, self.service_per_basket())
        self.price_cap = cap
        i = np.flatnonzero(self.sells)
        list_wholesale, list_factory = self.list_terms()
        volume = pricing.smoothed_volume(
            books.volume[i], books.last_month_units[i], pr.volume_smoothing
        )
        rent_share, wage_share = self.cost_shares()
        overhead = pricing.overhead_per_basket(
            m.rent * rent_share[i], m.wages * wage_share[i], volume
        )
        wholesale = pricing.store_wholesale(list_wholesale, cap, overhead, pr.markup_min)
        unit_cost = wholesale + overhead
        if pr.markup_rule == "logit":
            markup = pricing.logit_markup(unit_cost, self.choice_scale())
        else:
            markup = pricing.follow_demand(
                books.markup[i],
                books.last_month_units[i],
                books.prev_month_units[i],
                pr.demand_response,
            )
            markup = pricing.follow_rivals(markup, unit_cost, cap, pr.rival_response)
        markup = np.clip(markup, pr.markup_min, pr.markup_max)
        books.volume[i] = volume
        books.unit_cost[i] = unit_cost
        books.markup[i] = markup
        books.wholesale[i] = wholesale
        books.factory[i] = pricing.factory_price(list_factory, wholesale)
        books.price[i] = pricing.store_price(unit_cost, markup, cap)

    def choice_scale(self) -> float:
        """The consumers' logit choice scale in this year's yuan (base-year scale grown)."""
        return self.market.in_year_yuan(self.market.config.consumers.choice_scale)

    # ---- service

    def note_service(self, value: np.ndarray) -> None:
        """Store purchases this month: the service value each delivered, base-year yuan."""
        self._served += (float(value.sum()), float(value.size))

    def service_per_basket(self) -> float:
        """The mean service value of last month's store purchases, this year's yuan; resets.

        Before any store purchase with service needs, the mean over all needs,
        ``sum_k share_k * value_k``; 0 without service needs.
        """
        c = self.market.config.consumers
        total, count = self._served
        self._served[:] = 0.0
        if not c.service_needs:
            return 0.0
        mean = total / count if count else sum(n.share * n.value for n in c.service_needs)
        return self.market.in_year_yuan(mean)

    # ---- selling

    def sell(
        self, buyers: np.ndarray, store_ids: np.ndarray, size: np.ndarray | None, week: Week
    ) -> tuple[dict[str, float], float]:
        """Store buyers pay the store price for their baskets and learn from the experience.

        A buyer's trust in stores moves toward 1 when the purchase satisfied, toward 0 when it
        disappointed (with chance ``1 - q_j`` at store ``j``; see Store quality).

        Args:
            buyers: Consumers who bought in a store.
            store_ids: The store each bought at.
            size: Each order's size in baskets (``None``: one basket each).
            week: The week's counters (store visits).

        Returns:
            The flows (``offline_orders``, ``offline_baskets``, ``gmv_offline``) and the
            baskets sold (real).
        """
        m = self.market
        c = m.config.consumers
        pop = m.population
        w = m.people_per_consumer
        units = np.bincount(store_ids, weights=size, minlength=len(self.stores)) * w
        store_price = self.prices()
        self.books.sell(units, store_price)
        pop.preferred_channel[buyers] = STORE_CHANNEL
        pop.came_back[buyers] |= pop.store_last_year[buyers] == store_ids
        pop.store_this_year[buyers] = store_ids
        outcome = trust.store_outcomes(self.books.quality[store_ids], m.rng)
        trust.learn(pop.trust_offline, buyers, outcome, c.trust_learning_rate)
        offline_units = float(units.sum())
        orders = float(buyers.size * w)
        week.store_visits += orders
        gmv = self.value_of(units)
        m.ledger.book("store_sales", gmv)
        flows = {
            "offline_orders": orders,
            "offline_baskets": offline_units,
            "gmv_offline": gmv,
        }
        return flows, offline_units

    def sell_on_pick_up(self, units: np.ndarray, fees: np.ndarray | None) -> None:
        """Stores earn pick-up fees (yuan) and sell ``units`` baskets on pick-up visits."""
        if fees is not None:
            self.books.earn_fees(fees)
            self.market.ledger.book("pick_up_fees", float(fees.sum()))
        self.books.sell(units, self.prices())
        self.market.ledger.book("store_sales", self.value_of(units))

    # ---- the books

    def close_month(self, mix: list[float], week: Week) -> None:
        """Every open store and dealer books the month; losing stores and dealers close.

        Stores pay their dealer for the goods they sold (or the brands directly when no dealer
        is left), split over the brands by ``mix``, each brand's share of the month's goods;
        they pay rent to landlords and wages to employees, and their owners keep the rest
        (all booked in the market's ledger).
        When sellers set prices, a store pays its wholesale price per basket and its dealer
        keeps the wholesale minus the ex-factory price per basket. Each active dealer then
        restocks (:meth:`o2osim.agents.dealers.Dealer.restock`).
        """
        m = self.market
        st = m.config.stores
        books = self.books
        trading = books.is_open
        took = float(books.month_sales[trading].sum() + books.month_fees[trading].sum())
        rent_share, wage_share = self.cost_shares()
        rent_due = m.rent * float(rent_share[trading].sum())  # one full store's rent per unit
        wages_due = m.wages * float(wage_share[trading].sum())
        goods, closed = books.close_month(
            m.rent * rent_share,
            m.wages * wage_share,
            st.gross_margin,
            st.closure_after_loss_months,
            m.steps,
            self.priced,
        )
        ledger = m.ledger
        ledger.book("rent", rent_due)
        ledger.book("wages", wages_due)
        ledger.keep("stores", took - float(goods.sum()) - (rent_due + wages_due))
        week.store_closures += closed.size
        supplied = books.dealer >= 0
        per_dealer = np.bincount(
            books.dealer[supplied], weights=goods[supplied], minlength=len(m.dealers)
        )
        margins: list[float | None] = [None] * len(m.dealers)
        if self.priced:
            kept = np.nan_to_num(books.wholesale - books.factory) * books.last_month_units
            kept = np.where(goods > 0, kept, 0.0)
            margins = list(
                np.bincount(
                    books.dealer[supplied], weights=kept[supplied], minlength=len(m.dealers)
                )
            )
        units = np.bincount(
            books.dealer[supplied],
            weights=books.last_month_units[supplied],
            minlength=len(m.dealers),
        )
        for dealer, amount, margin, sold in zip(m.dealers, per_dealer, margins, units, strict=True):
            bought = 0.0
            if amount > 0:
                bought = dealer.supply(
                    float(amount), mix, None if margin is None else float(margin)
                )
            if dealer.active:
                dealer.restock(float(sold), bought, mix, float(self._month_online[dealer.index]))
        self._month_online[:] = 0.0
        direct = float(goods[~supplied].sum())  # no dealer left: stores buy from the brands
        for brand, share in zip(m.brands, mix, strict=True):
            brand.sell_wholesale(direct * share, payer="stores")
        ledger.book("goods_to_rivals", direct * (1.0 - sum(mix)))
        exited = [d for d in m.dealers if d.active and d.close_month()]
        for dealer in exited:
            buyer = self._buyer(dealer, exited)
            if buyer is None:
                dealer.exit()
            else:
                buyer.take_over(dealer)
                self._takeovers += 1
        if exited:
            for store in self.stores:
                if store.dealer in exited:
                    store.dealer = self.nearest_dealer(store.x, store.y)
        if closed.size:
            self.refresh_choice_sets(closed)

    def _buyer(self, seller: Dealer, failing: list[Dealer]) -> Dealer | None:
        """The dealer that buys a failing dealer's business, or ``None``: it just exits.

        When dealers decide and ``dealers.takeovers`` is on, the nearest active dealer that
        is not failing buys it (:meth:`o2osim.agents.dealers.Dealer.take_over`).
        """
        m = self.market
        if not (m.config.dealers_decide and m.config.dealers.takeovers):
            return None
        return self.nearest_dealer(seller.x, seller.y, exclude=failing)

    def take_takeovers(self) -> int:
        """Failing dealers bought by another since the last call (the count starts again)."""
        taken, self._takeovers = self._takeovers, 0
        return taken

    def gross_margin(self) -> float:
        """Share of a sale a store keeps after its goods.

        ``stores.gross_margin``, or, when sellers set prices, ``1 - mean(W_s / P_s)`` over the
        open stores.
        """
        st = self.market.config.stores
        if not self.priced:
            return st.gross_margin
        sells = self.sells
        if not sells.any():
            return st.gross_margin
        ratio = self.books.wholesale[sells] / np.maximum(self.books.price[sells], 1e-12)
        return float(1.0 - ratio.mean())

    def open_new_stores(self, week: Week) -> None:
        """New stores open in the districts whose weakest (or median) store did well last year.

        An entrepreneur judges a district by its weakest open store (or its median one, with
        ``entry_judge: median``): a newcomer would sell about what that store sold last year,
        diluted by one more competitor, ``sales_d * n_d / (n_d + 1)``, and opens if the gross
        margin on a month of that exceeds ``entry_hurdle`` times a month's rent and wages. It
        opens at a random home in the district. Best district first, up to
        ``max_openings_per_year``; districts without stores give no evidence and get none.
        """
        m = self.market
        st = m.config.stores
        if st.max_openings_per_year == 0 or not self.sells.any():
            return
        pop = m.population
        district_of_store = geography.district_of(
            self.xy[:, 0],
            self.xy[:, 1],
            m.config.population.area_km,
            m.config.population.districts,
        )
        n_districts = len(self.districts)
        is_open = self.sells  # full stores and showrooms: the ones a newcomer competes with
        stores_in = np.bincount(district_of_store[is_open], minlength=n_districts)
        judged = geography.district_sales(
            district_of_store[is_open], self.books.year_sales[is_open], n_districts, st.entry_judge
        )
        cost = (m.rent + m.wages) * st.entry_hurdle
        gross_margin = self.gross_margin()
        opened = 0
        while opened < st.max_openings_per_year:
            expected = judged / 12 * gross_margin * stores_in / (stores_in + 1)
            best = int(np.argmax(expected))
            if expected[best] <= cost:
                break
            homes = np.flatnonzero(pop.alive & (pop.district == best))
            if homes.size == 0:
                break
            self.open_store(int(m.rng.choice(homes)))
            judged[best] *= stores_in[best] / (stores_in[best] + 1)
            stores_in[best] += 1
            opened += 1
        if opened:
            week.store_openings = opened
            self.refresh_choice_sets()
