"""Brands in the market: what each shopper's need is for, and the brands' books by channel.

Part of :class:`o2osim.model.O2OMarket` (mixed in); ``self`` is the market. When no brand uses
a channel strategy or a price of its own online, and every order is one basket, none of this
draws a random number: needs are then for "the goods" and brands book their market share of
every sale.
"""

from __future__ import annotations

import numpy as np

from o2osim.agents.consumers import variant_popularity
from o2osim.mechanisms import word_of_mouth
from o2osim.metrics import traffic_cost
from o2osim.strategies import fulfilment
from o2osim.strategies.channel import Needs, draw_needs


class BrandSide:
    """Rules of brands (see ``docs/model.md``: brands and channel strategies)."""

    def _init_brands(self) -> None:
        s = self.config
        c = s.consumers
        self.brands_active = (
            any(
                b.channel_strategy != "none"
                or b.online_price_index is not None
                or b.membership != "none"
                for b in s.brands
            )
            or c.order_size_cv > 0
            or c.large_account_share > 0
            or c.brand_habit > 0
            or c.variants > 1
            or any(p.c2b_start_year is not None for p in s.platforms)
        )
        self._month_brand_units = np.zeros(len(self.brands))
        self._month_store_units = 0.0
        self._wallet = np.zeros((len(self.brands), 2))  # purchases, of which the brand's
        self.variant_popularity = variant_popularity(c.variants, c.variant_zipf)
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
        if needs.points_in_stores is not None:
            value = np.array([b.config.points_value for b in self.brands] + [0.0])[needs.brand]
            bonus = value * needs.size * self.basket_value
            util[:, :k] += (needs.points_in_stores * bonus * self.config.stores.price_index)[
                :, None
            ]
            if self.platforms:
                online_index = online_price / self.basket_value
                util[:, k:] += (needs.points_online * bonus)[:, None] * online_index[None, :]
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

    def _brand_customers(
        self,
        buyers: np.ndarray,
        brand: np.ndarray,
        in_store: np.ndarray,
        size: np.ndarray,
        needs_points: tuple[np.ndarray, np.ndarray] | None,
        via_partner: np.ndarray | None = None,
    ) -> None:
        """Buyers of a brand's goods become its customers of the year and its members.

        A buyer joins the brand's programme in the channel it bought in (in both, when the
        programme is integrated) and earns points where they count.
        """
        pop = self.population
        got = brand >= 0
        bits = np.left_shift(1, np.maximum(brand, 0)).astype(np.uint8)
        # share of wallet: what last year's customers of each brand buy now, and of whom
        for b in self.brands:
            returning = (pop.brand_last_year[buyers] & np.uint8(1 << b.index)) > 0
            self._wallet[b.index, 0] += np.count_nonzero(returning)
            self._wallet[b.index, 1] += np.count_nonzero(returning & (brand == b.index))
        np.bitwise_or.at(pop.brand_this_year, buyers[got], bits[got])
        before = pop.usual_brand[buyers]
        w = self.people_per_consumer
        for b in self.brands:  # a customer won: its usual brand was another's
            b.new_customers += float(np.count_nonzero((brand == b.index) & (before != b.index))) * w
        pop.usual_brand[buyers] = np.where(got, brand, len(self.brands))
        self._move_up_links(buyers, brand)
        if via_partner is not None:  # partners resell: they earn on the sales they bring
            w = self.people_per_consumer
            for b in self.brands:
                sold = via_partner & (brand == b.index)
                value = size[sold].sum() * w * self.basket_value * self.config.stores.price_index
                b.pay_for_channel(float(value) * b.config.partner_margin)
        if needs_points is None:
            return
        points_store, points_online = needs_points
        w = self.people_per_consumer
        for b in self.brands:
            kind = b.config.membership
            mine = brand == b.index
            if kind == "none" or not mine.any():
                continue
            bit = np.uint8(1 << b.index)
            store, online = buyers[mine & in_store], buyers[mine & ~in_store]
            pop.member_store[store] |= bit
            pop.member_online[online] |= bit
            if kind == "integrated":
                pop.member_store[online] |= bit
                pop.member_online[store] |= bit
            value = b.config.points_value * self.basket_value * w
            earned_store = size[mine & in_store & points_store].sum() * value
            earned_online = size[mine & ~in_store & points_online].sum() * value
            b.pay_points(float(earned_store * self.config.stores.price_index), float(earned_online))

    def _move_up_links(self, buyers: np.ndarray, brand: np.ndarray) -> None:
        """A first purchase makes a customer; a fan programme moves buyers further up.

        With a fan programme, a purchase moves a customer up to user with ``service_rate``,
        a user up to fan with ``emotion_rate``, a fan up to partner with ``partner_rate`` (one
        level per purchase).
        """
        pop = self.population
        for b in self.brands:
            who = np.unique(buyers[brand == b.index])
            if who.size == 0:
                continue
            level = np.maximum(pop.link_level[who, b.index], 1)
            if b.config.fan_programme:
                c = b.config
                chance = np.array([0.0, c.service_rate, c.emotion_rate, c.partner_rate, 0.0])
                level = level + (self.rng.random(who.size) < chance[level])
            pop.link_level[who, b.index] = level

    def _fans_recommend(self) -> None:
        """Fans recommend their brand to their contacts.

        Each fan recommends its brand to a random contact with ``fan_referral_rate`` a week (a
        partner, who resells, three times as often); a contact whose usual brand is another
        wants this one at its next need.
        """
        pop = self.population
        for b in self.brands:
            c = b.config
            if not c.fan_programme or c.fan_referral_rate <= 0:
                continue
            level = pop.link_level[:, b.index]
            fans = np.flatnonzero((level >= 3) & pop.alive)
            partner = level[fans] == 4
            chance = np.minimum(1.0, c.fan_referral_rate * np.where(partner, 3.0, 1.0))
            tell = self.rng.random(fans.size) < chance
            told, source = word_of_mouth.random_contacts(
                pop.contacts_indptr, pop.contacts, fans[tell], 1, self.rng
            )
            fresh = pop.alive[told] & (pop.usual_brand[told] != b.index)
            pop.referred[told[fresh]] = b.index
            pop.referred_by_partner[told[fresh]] = partner[tell][source[fresh]]

    def _brand_churn(self) -> dict[str, float]:
        """Each brand's churn and share of wallet this year.

        Churn: the share of last year's buyers of the brand who did not buy it again this
        year. Share of wallet: the share of the purchases of last year's buyers that were of
        the brand.
        """
        pop = self.population
        row = {}
        for b in self.brands:
            bit = np.uint8(1 << b.index)
            last = (pop.brand_last_year & bit) > 0
            base = int(np.count_nonzero(last))
            lost = int(np.count_nonzero(last & ((pop.brand_this_year & bit) == 0)))
            row[f"brand_churn_{b.name}"] = lost / base if base else 0.0
            bought, of_brand = self._wallet[b.index]
            row[f"brand_wallet_share_{b.name}"] = of_brand / bought if bought else 0.0
        self._wallet[:] = 0.0
        pop.brand_last_year[:] = pop.brand_this_year
        pop.brand_this_year[:] = 0
        return row

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
        private: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """Book the brands' online orders and their fulfilment.

        Returns each platform's GMV, its GMV of its own (C2B) goods with what it paid their
        makers (shape (platforms, 2)), in yuan, and the baskets bought in stores on pick-up
        visits. ``needs_brand`` is modified in
        place: an order a brand loses (a routed order no dealer takes) becomes a rival's.
        """
        w = self.people_per_consumer
        n_platforms = len(self.platforms)
        price = np.array([p.config.price_index for p in self.platforms])
        index = price[pid]
        for b in self.brands:
            if b.config.online_price_index is not None:
                index[needs_brand == b.index] = b.config.online_price_index
        c2b = self._c2b_orders(buyers, pid, size)
        maker = np.zeros(pid.size)
        if c2b is not None:  # the platform's own goods, made for it at the maker price
            c2b_price = np.array([p.config.c2b_price_index for p in self.platforms])
            index[c2b] = c2b_price[pid[c2b]]
            maker_price = np.array([p.config.c2b_maker_price for p in self.platforms])
            maker[c2b] = self.basket_value * maker_price[pid[c2b]] * size[c2b] * w
        value = self.basket_value * index * (1 - discount) * size * w
        pick_up_units = 0.0
        for b in self.brands:
            mine = np.flatnonzero(needs_brand == b.index)
            if mine.size == 0:
                continue
            if b.config.channel_strategy == "order_size_split":
                keep = fulfilment.route_large_orders(b, buyers[mine], value[mine], size[mine], self)
                needs_brand[mine[~keep]] = -1
                mine = mine[keep]
            if b.config.channel_strategy == "transaction_link_split":
                pick_up_units += fulfilment.pick_up(b, buyers[mine], value[mine], self)
            commission = np.array([p.config.commission for p in self.platforms])[pid[mine]]
            # the maker of a C2B order gets the maker price; others sell at the shop price
            earned = np.where(maker[mine] > 0, maker[mine], value[mine] * (1 - commission))
            net = np.bincount(pid[mine], weights=earned, minlength=n_platforms)
            baskets = np.bincount(pid[mine], weights=size[mine], minlength=n_platforms) * w
            # sales a fan brought came by private traffic: no ads were bought for them
            public = value[mine] if private is None else value[mine] * ~private[mine]
            advertised = np.bincount(pid[mine], weights=public, minlength=n_platforms)
            for p in self.platforms:
                b.sell_online(float(net[p.index]), float(baskets[p.index]))
                b.buy_traffic(float(advertised[p.index]) * p.ad_rate())
        gmv = np.bincount(pid, weights=value, minlength=n_platforms)
        own_goods = np.bincount(pid, weights=value * (maker > 0), minlength=n_platforms)
        paid = np.bincount(pid, weights=maker, minlength=n_platforms)
        return gmv, np.column_stack([own_goods, paid]), pick_up_units

    def _c2b_orders(
        self, buyers: np.ndarray, pid: np.ndarray, size: np.ndarray
    ) -> np.ndarray | None:
        """Which online orders are for the platforms' own C2B goods (``None``: no C2B at all).

        Each platform counts its sales by variant (its data). A platform doing C2B serves a
        buyer of variant ``v`` with its own goods with chance ``min(1, c2b_share * r_v / p_v)``:
        its range ``r`` against the real needs ``p``. Variants its range under-weights are
        served less often than their buyers ask.
        """
        if self.config.consumers.variants == 1 and not any(
            p.config.c2b_start_year is not None for p in self.platforms
        ):
            return None
        variant = self.population.variant[buyers]
        need = self.variant_popularity
        c2b = np.zeros(buyers.size, dtype=bool)
        for p in self.platforms:
            on = np.flatnonzero(pid == p.index)
            p.variant_sales += np.bincount(variant[on], weights=size[on], minlength=need.size)
            if p.c2b_active and on.size:
                served = np.minimum(1.0, p.config.c2b_share * p.c2b_range / need)
                c2b[on] = self.rng.random(on.size) < served[variant[on]]
                p.year_c2b_orders += float(np.count_nonzero(c2b[on])) * self.people_per_consumer
        return c2b

    def _brands_week(self) -> None:
        """Brands build their online-only brand's awareness; fans recommend their brand."""
        for b in self.brands:
            if b.config.channel_strategy == "brand_split":
                b.build_awareness(self.config.time.ticks_per_year)
        if self.brands_active:
            self._fans_recommend()

    def _firm_books(self) -> dict[str, float]:
        books: dict[str, float] = {}
        for b in self.brands:
            books[f"brand_profit_online_{b.name}"] = b.profit_online
            books[f"brand_profit_offline_{b.name}"] = b.profit_offline
            books[f"brand_sales_online_{b.name}"] = b.units_online
            books[f"brand_sales_offline_{b.name}"] = b.units_offline
            books[f"brand_ad_spend_{b.name}"] = b.ad_spend
            books[f"brand_new_customers_{b.name}"] = b.new_customers
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
        w = self.people_per_consumer
        for b in self.brands:
            spend = row.pop(f"brand_ad_spend_{b.name}")
            won = row.pop(f"brand_new_customers_{b.name}")
            if self.brands_active:  # first purchases are tracked only then
                row[f"brand_new_customers_{b.name}"] = won
                row[f"brand_traffic_cost_{b.name}"] = traffic_cost(spend, won, w)
            if b.config.fan_programme:
                level = self.population.link_level[self.population.alive, b.index]
                counts = np.bincount(level, minlength=5) * w
                for k, name in enumerate(("customers", "users", "fans", "partners"), start=1):
                    row[f"brand_{name}_{b.name}"] = float(counts[k])
            if b.config.channel_strategy == "brand_split":
                row[f"brand_awareness_{b.name}"] = b.awareness
        for p in self.platforms:
            if p.config.c2b_start_year is not None:
                row[f"c2b_share_{p.name}"] = (
                    p.year_c2b_orders / p.year_orders if p.year_orders else 0.0
                )
                mismatch = 0.5 * np.abs(p.c2b_range - self.variant_popularity).sum()
                row[f"c2b_mismatch_{p.name}"] = float(mismatch) if p.c2b_active else 0.0
            if b.config.membership != "none":
                bit = np.uint8(1 << b.index)
                members = (self.population.member_store | self.population.member_online) & bit
                row[f"brand_members_{b.name}"] = (
                    float(np.count_nonzero(members)) * self.people_per_consumer
                )
        if self.brands_active:
            row |= self._brand_churn()
        return row
