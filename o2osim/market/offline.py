"""Physical stores in the market: where they are, what they sell, their books and entry.

Part of :class:`o2osim.model.O2OMarket` (mixed in); ``self`` is the market.
"""

from __future__ import annotations

import numpy as np

from o2osim.agents import Dealer, Store
from o2osim.agents.consumers import STORE_CHANNEL
from o2osim.mechanisms import geography, trust


class StoreSide:
    """Rules of the physical stores (see ``docs/model.md``: geography, store economics)."""

    def _nearest_dealer(self, x: float, y: float) -> Dealer | None:
        active = [d for d in self.dealers if d.active]
        if not active:
            return None
        return min(active, key=lambda d: (d.x - x) ** 2 + (d.y - y) ** 2)

    def _open_store(self, home: int) -> Store:
        """A store opens at the home of consumer ``home`` and buys from the nearest dealer."""
        pop = self.population
        x, y = float(pop.x[home]), float(pop.y[home])
        store = Store(self, x, y, self.config.stores.initial_cash, self._nearest_dealer(x, y))
        self.stores.append(store)
        self._store_xy = np.vstack([self._store_xy, [[x, y]]])
        return store

    @property
    def store_open(self) -> np.ndarray:
        """Which stores trade (a column of the store books)."""
        return self.store_books.is_open

    def _refresh_choice_sets(self, closed: np.ndarray | None = None) -> None:
        """Recompute each travel cell's nearest open stores (only cells that lost one)."""
        k = self.config.consumers.store_choice_set
        if closed is None:
            self._choice_ids, self._choice_dist = geography.nearest_open_stores(
                self._cell_centres, self._store_xy, self.store_open, k
            )
            return
        stale = np.flatnonzero(np.isin(self._choice_ids, closed).any(axis=1))
        if stale.size:
            ids, dist = geography.nearest_open_stores(
                self._cell_centres[stale], self._store_xy, self.store_open, k
            )
            self._choice_ids[stale] = ids
            self._choice_dist[stale] = dist

    def _open_new_stores(self) -> None:
        """New stores open in the districts where even the weakest store did well last year.

        An entrepreneur judges a district by its weakest open store: a newcomer would sell
        about what that store sold last year, diluted by one more competitor,
        ``min_sales_d * n_d / (n_d + 1)``, and opens if the gross margin on a month of that
        exceeds ``entry_hurdle`` times a month's rent and wages. It opens at a random home in
        the district. Best district first, up to ``max_openings_per_year``;
        districts without stores give no evidence and get none.
        """
        st = self.config.stores
        if st.max_openings_per_year == 0 or not self.store_open.any():
            return
        pop = self.population
        district_of_store = geography.district_of(
            self._store_xy[:, 0],
            self._store_xy[:, 1],
            self.config.population.area_km,
            self.config.population.districts,
        )
        n_districts = len(self._centres)
        is_open = self.store_open
        stores_in = np.bincount(district_of_store[is_open], minlength=n_districts)
        weakest = np.full(n_districts, np.inf)
        np.minimum.at(weakest, district_of_store[is_open], self.store_books.year_sales[is_open])
        weakest[stores_in == 0] = 0.0
        cost = (self.rent + self.wages) * st.entry_hurdle
        opened = 0
        while opened < st.max_openings_per_year:
            expected = weakest / 12 * st.gross_margin * stores_in / (stores_in + 1)
            best = int(np.argmax(expected))
            if expected[best] <= cost:
                break
            homes = np.flatnonzero(pop.alive & (pop.district == best))
            if homes.size == 0:
                break
            self._open_store(int(self.rng.choice(homes)))
            weakest[best] *= stores_in[best] / (stores_in[best] + 1)
            stores_in[best] += 1
            opened += 1
        if opened:
            self._tick["store_openings"] = opened
            self._refresh_choice_sets()

    def _sell_in_stores(
        self,
        buyers: np.ndarray,
        store_ids: np.ndarray,
        brand: np.ndarray | None = None,
        size: np.ndarray | None = None,
    ) -> dict[str, float]:
        """Store buyers pay the store price for their baskets and come to trust stores more.

        ``brand`` (-1 for a rival's goods) and ``size`` (baskets) are given when brands make
        a difference; otherwise every order is one basket and brands book their market share.
        """
        c = self.config.consumers
        pop = self.population
        w = self.people_per_consumer
        units = np.bincount(store_ids, weights=size, minlength=len(self.stores)) * w
        store_price = self.basket_value * self.config.stores.price_index
        self.store_books.sell(units, store_price)
        pop.preferred_channel[buyers] = STORE_CHANNEL
        pop.came_back[buyers] |= pop.store_last_year[buyers] == store_ids
        pop.store_this_year[buyers] = store_ids
        trust.learn(pop.trust_offline, buyers, 1.0, c.trust_learning_rate)
        offline_units = float(units.sum())
        if brand is None:
            for b in self.brands:
                b.make_for_stores(offline_units * b.config.market_share)
        else:
            self._brand_store_sales(brand, size)
        orders = float(buyers.size * w)
        self._tick["store_visits"] += orders
        return {"offline_orders": orders, "gmv_offline": offline_units * store_price}

    def _close_month(self) -> None:
        """Every open store and dealer books the month; losing stores and dealers close."""
        st = self.config.stores
        books = self.store_books
        goods, closed = books.close_month(
            self.rent,
            self.wages,
            st.gross_margin,
            st.closure_after_loss_months,
            self.steps,
        )
        self._tick["store_closures"] += closed.size
        supplied = books.dealer >= 0
        per_dealer = np.bincount(
            books.dealer[supplied], weights=goods[supplied], minlength=len(self.dealers)
        )
        mix = self._store_brand_mix()
        for dealer, amount in zip(self.dealers, per_dealer, strict=True):
            if amount > 0:
                dealer.supply(float(amount), mix)
        direct = float(goods[~supplied].sum())  # no dealer left: stores buy from the brands
        for brand, share in zip(self.brands, mix, strict=True):
            brand.sell_wholesale(direct * share)
        exited = [d for d in self.dealers if d.active and d.close_month()]
        if exited:
            for store in self.stores:
                if store.dealer in exited:
                    store.dealer = self._nearest_dealer(store.x, store.y)
        if closed.size:
            self._refresh_choice_sets(closed)
