"""Brands in the market: what each shopper's need is for, and the brands' books by channel.

Part of :class:`o2osim.model.O2OMarket` (mixed in); ``self`` is the market. When no brand uses
a channel strategy or a price of its own online, and every order is one basket, none of this
draws a random number: needs are then for "the goods" and brands book their market share of
every sale.
"""

from __future__ import annotations

import numpy as np

from o2osim.strategies import fulfilment
from o2osim.strategies.channel import Needs, draw_needs


class BrandSide:
    """Rules of brands (see ``docs/model.md``: brands and channel strategies)."""

    def _init_brands(self) -> None:
        s = self.config
        c = s.consumers
        self.brands_active = (
            any(b.channel_strategy != "none" or b.online_price_index is not None for b in s.brands)
            or c.order_size_cv > 0
            or c.large_account_share > 0
        )
        self._month_brand_units = np.zeros(len(self.brands))
        self._month_store_units = 0.0
        self._books_at_year_start = self._firm_books()

    # ---- who finds what, where

    def nearest_store(self, who: np.ndarray) -> np.ndarray:
        """Index of each consumer's nearest open store, -1 where no store is open."""
        return self._choice_ids[self.population.cell[who], 0]

    def nearest_store_km(self, who: np.ndarray) -> np.ndarray:
        """Distance from each consumer's home area to its nearest open store, km (inf: none)."""
        return self._choice_dist[self.population.cell[who], 0]

    def dealer_of_nearest_store(self, who: np.ndarray) -> np.ndarray:
        """Index of the active dealer supplying each consumer's nearest open store, -1 if none."""
        store = self.nearest_store(who)
        dealer = np.where(store >= 0, self.store_books.dealer[np.maximum(store, 0)], -1)
        active = np.array([d.active for d in self.dealers] + [False])
        return np.where(active[dealer], dealer, -1)

    def _needs(self, shoppers: np.ndarray) -> Needs | None:
        """This week's needs of the shoppers, or ``None`` when brands make no difference."""
        return draw_needs(shoppers, self) if self.brands_active else None

    def _price_terms(
        self, util: np.ndarray, shoppers: np.ndarray, needs: Needs, discount: float
    ) -> None:
        """Adjust the shoppers' utilities (yuan) for their needs, in place.

        Prices scale with the order's size; a brand's own online price replaces the
        platform's; where the brand is not on offer, a shopper who wants it gives up the
        brand's loyalty to buy a rival's goods.
        """
        c = self.config.consumers
        k = c.store_choice_set
        extra = needs.size - 1.0
        store_price = self.basket_value * self.config.stores.price_index
        util[:, :k] -= (extra * store_price)[:, None]
        online_price = np.array(
            [self.basket_value * p.config.price_index * (1 - discount) for p in self.platforms]
        )
        if self.platforms:
            util[:, k:] -= extra[:, None] * online_price[None, :]
        wants = needs.brand >= 0
        if not wants.any():
            return
        loyalty = np.array([b.config.loyalty for b in self.brands])[needs.brand[wants]]
        rows = np.flatnonzero(wants)
        util[rows[~needs.in_stores[wants]], :k] -= loyalty[~needs.in_stores[wants], None]
        util[rows[~needs.online[wants]], k:] -= loyalty[~needs.online[wants], None]
        own = np.array(
            [
                np.nan if b.config.online_price_index is None else b.config.online_price_index
                for b in self.brands
            ]
        )[needs.brand[wants]]
        priced = wants.copy()
        priced[rows] = needs.online[wants] & ~np.isnan(own)
        if priced.any() and self.platforms:
            own_price = self.basket_value * own[priced[rows]] * (1 - discount)
            delta = online_price[None, :] - own_price[:, None]  # platform price minus own
            util[priced, k:] += needs.size[priced][:, None] * delta

    # ---- books

    def _brand_store_sales(self, brand: np.ndarray, size: np.ndarray) -> None:
        """Store buyers of a brand's goods: the brand makes them (rivals' goods are not ours)."""
        w = self.people_per_consumer
        units = (
            np.bincount(brand[brand >= 0], weights=size[brand >= 0], minlength=len(self.brands)) * w
        )
        for b in self.brands:
            b.make_for_stores(float(units[b.index]))
        self._month_brand_units += units
        self._month_store_units += float(size.sum()) * w

    def _store_brand_mix(self) -> list[float]:
        """Each brand's share of the goods stores bought this month.

        Each brand's share of the goods stores bought this month (market shares when brands make
        no difference).
        """
        if not self.brands_active:
            return [b.config.market_share for b in self.brands]
        total = self._month_store_units
        mix = self._month_brand_units / total if total > 0 else self._month_brand_units * 0.0
        self._month_brand_units = np.zeros(len(self.brands))
        self._month_store_units = 0.0
        return mix.tolist()

    def _brand_online_sales(
        self,
        buyers: np.ndarray,
        pid: np.ndarray,
        discount: float,
        needs_brand: np.ndarray,
        size: np.ndarray,
    ) -> tuple[np.ndarray, float]:
        """Book the brands' online orders and their fulfilment.

        Book the brands' online orders; return each platform's GMV (yuan) and the baskets bought
        in stores on pick-up visits. ``needs_brand`` is modified in place: an order a
        brand loses (a routed order no dealer takes) becomes a rival's.
        """
        w = self.people_per_consumer
        n_platforms = len(self.platforms)
        price = np.array([p.config.price_index for p in self.platforms])
        gmv = np.zeros(n_platforms)
        pick_up_units = 0.0
        for b in self.brands:
            mine = np.flatnonzero(needs_brand == b.index)
            if mine.size == 0:
                continue
            own = b.config.online_price_index
            index = price[pid[mine]] if own is None else np.full(mine.size, own)
            value = self.basket_value * index * (1 - discount) * size[mine] * w
            if b.config.channel_strategy == "order_size_split":
                keep = fulfilment.route_large_orders(b, buyers[mine], value, size[mine], self)
                needs_brand[mine[~keep]] = -1
                mine, value = mine[keep], value[keep]
            if b.config.channel_strategy == "transaction_link_split":
                pick_up_units += fulfilment.pick_up(b, buyers[mine], value, self)
            per_platform = np.bincount(pid[mine], weights=value, minlength=n_platforms)
            baskets = np.bincount(pid[mine], weights=size[mine], minlength=n_platforms) * w
            for p in self.platforms:
                net = per_platform[p.index] * (1 - p.config.commission)
                b.sell_online(float(net), float(baskets[p.index]))
            gmv += per_platform
        rival = needs_brand < 0
        rival_baskets = np.bincount(pid[rival], weights=size[rival], minlength=n_platforms) * w
        gmv += rival_baskets * self.basket_value * price * (1 - discount)
        return gmv, pick_up_units

    def _brands_week(self) -> None:
        """Brands that build an online-only brand spend on its awareness every week."""
        for b in self.brands:
            if b.config.channel_strategy == "brand_split":
                b.build_awareness(self.config.time.ticks_per_year)

    def _firm_books(self) -> dict[str, float]:
        books: dict[str, float] = {}
        for b in self.brands:
            books[f"brand_profit_online_{b.name}"] = b.profit_online
            books[f"brand_profit_offline_{b.name}"] = b.profit_offline
            books[f"brand_sales_online_{b.name}"] = b.units_online
            books[f"brand_sales_offline_{b.name}"] = b.units_offline
        for p in self.platforms:
            books[f"platform_profit_{p.name}"] = p.profit
            books[f"platform_gmv_{p.name}"] = p.gmv
        books["dealer_profit"] = sum(d.profit for d in self.dealers)
        books["store_profit"] = float(self.store_books.profit.sum())
        return books

    def _firm_year(self) -> dict[str, float]:
        """This year's firm books: brands by channel, platforms, dealers, stores."""
        now = self._firm_books()
        row = {k: v - self._books_at_year_start[k] for k, v in now.items()}
        self._books_at_year_start = now
        for b in self.brands:
            if b.config.channel_strategy == "brand_split":
                row[f"brand_awareness_{b.name}"] = b.awareness
        return row
