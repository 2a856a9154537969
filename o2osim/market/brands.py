"""The brands' desk: what each shopper's need is for, and the brands' books by channel.

When no brand lever is in use (no channel strategy, own online price, membership or fan
programme, and every order one basket of one variant), none of this draws a random number:
needs are then for "the goods" and brands book their market share of every sale.
"""

from __future__ import annotations

import numpy as np

from o2osim.agents.brands import Brand
from o2osim.agents.platforms import Platform
from o2osim.agents.population import variant_popularity
from o2osim.agents.protocol import Market
from o2osim.market.stores import StoreNetwork
from o2osim.market.week import Week
from o2osim.mechanisms import word_of_mouth
from o2osim.metrics import cost_per_new_customer
from o2osim.strategies import fulfilment
from o2osim.strategies.channel import Needs, draw_needs


class BrandDesk:
    """The brands' phase: needs by brand, where goods are on offer, the brands' books.

    Owns the month's and year's brand tallies (units of each brand sold in stores, share of
    wallet) and the books at the start of the year. Reads the population's brand ties and the
    store network; writes the consumers' brand columns; books brands, dealers (routed orders)
    and stores (pick-up fees and sales) through their public methods.

    Args:
        market: The market.
        network: The store network (pick-ups are booked there).

    Attributes:
        active: Whether brands make a difference: some brand lever is in use
            (:meth:`o2osim.scenario.Scenario.levers_in_use`).
        variant_popularity: Share of consumers who need each product variant.
    """

    def __init__(self, market: Market, network: StoreNetwork) -> None:
        self.market = market
        self.network = network
        s = market.config
        self.active = s.brands_make_a_difference
        n_brands = len(market.brands)
        self._month_brand_units = np.zeros(n_brands)
        self._month_store_units = 0.0
        self._wallet = np.zeros((n_brands, 2))  # purchases, of which the brand's
        self.variant_popularity = variant_popularity(s.consumers.variants, s.consumers.variant_zipf)
        self._platforms_fund_discounts = any(e.subsidy_share > 0 for e in s.events)
        self._books_at_year_start = self._firm_books()

    def needs(self, shoppers: np.ndarray) -> Needs | None:
        """This week's needs of the shoppers, or ``None`` when brands make no difference."""
        return draw_needs(shoppers, self.market) if self.active else None

    def price_terms(
        self, util: np.ndarray, shoppers: np.ndarray, needs: Needs, discount: float
    ) -> None:
        """Adjust the shoppers' utilities (yuan) for their needs, in place.

        Prices scale with the order's size; a brand's own online price replaces the
        platform's; where the brand is not on offer, a shopper who wants it gives up the
        brand's loyalty to buy a rival's goods.
        """
        c = self.market.config.consumers
        k = c.store_choice_set
        extra = needs.size - 1.0
        store_price = self.market.basket_value * self.market.config.stores.price_index
        util[:, :k] -= (extra * store_price)[:, None]
        online_price = np.array(
            [
                self.market.basket_value * p.config.price_index * (1 - discount)
                for p in self.market.platforms
            ]
        )
        if self.market.platforms:
            util[:, k:] -= extra[:, None] * online_price[None, :]
        if needs.points_in_stores is not None:
            value = np.array([b.config.points_value for b in self.market.brands] + [0.0])[
                needs.brand
            ]
            bonus = value * needs.size * self.market.basket_value
            util[:, :k] += (needs.points_in_stores * bonus * self.market.config.stores.price_index)[
                :, None
            ]
            if self.market.platforms:
                online_index = online_price / self.market.basket_value
                util[:, k:] += (needs.points_online * bonus)[:, None] * online_index[None, :]
        wants = needs.brand >= 0
        if not wants.any():
            return
        loyalty = np.array([b.config.loyalty for b in self.market.brands])[needs.brand[wants]]
        rows = np.flatnonzero(wants)
        util[rows[~needs.in_stores[wants]], :k] -= loyalty[~needs.in_stores[wants], None]
        util[rows[~needs.online[wants]], k:] -= loyalty[~needs.online[wants], None]
        own = np.array(
            [
                np.nan if b.config.online_price_index is None else b.config.online_price_index
                for b in self.market.brands
            ]
        )[needs.brand[wants]]
        priced = wants.copy()
        priced[rows] = needs.online[wants] & ~np.isnan(own)
        if priced.any() and self.market.platforms:
            own_price = self.market.basket_value * own[priced[rows]] * (1 - discount)
            delta = online_price[None, :] - own_price[:, None]  # platform price minus own
            util[priced, k:] += needs.size[priced][:, None] * delta

    def picks_up(self, shoppers: np.ndarray, needs: Needs) -> np.ndarray:
        """The store where each shopper would pick up an online order, -1 where it would not.

        An online order is picked up when its need is for a brand with the
        ``transaction_link_split`` strategy, on offer online, and the shopper has an open store
        nearby: :func:`o2osim.strategies.fulfilment.pick_up` then routes it to that store.
        """
        linked = np.array(
            [b.channel_strategy == "transaction_link_split" for b in self.market.brands] + [False]
        )
        routed = linked[needs.brand] & needs.online
        store = np.full(shoppers.size, -1, dtype=np.int64)
        if routed.any():
            store[routed] = self.network.nearest_store(shoppers[routed])
        return store

    # ---- books

    def book_customers(
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
        pop = self.market.population
        got = brand >= 0
        bits = np.left_shift(1, np.maximum(brand, 0)).astype(np.uint8)
        # share of wallet: what last year's customers of each brand buy now, and of whom
        for b in self.market.brands:
            returning = (pop.brand_last_year[buyers] & np.uint8(1 << b.index)) > 0
            self._wallet[b.index, 0] += np.count_nonzero(returning)
            self._wallet[b.index, 1] += np.count_nonzero(returning & (brand == b.index))
        np.bitwise_or.at(pop.brand_this_year, buyers[got], bits[got])
        before = pop.usual_brand[buyers]
        w = self.market.people_per_consumer
        for b in self.market.brands:  # a customer won: its usual brand was another's
            b.new_customers += float(np.count_nonzero((brand == b.index) & (before != b.index))) * w
        pop.usual_brand[buyers] = np.where(got, brand, len(self.market.brands))
        self._move_up_links(buyers, brand)
        if via_partner is not None:  # partners resell: they earn on the sales they bring
            w = self.market.people_per_consumer
            for b in self.market.brands:
                sold = via_partner & (brand == b.index)
                value = (
                    size[sold].sum()
                    * w
                    * self.market.basket_value
                    * self.market.config.stores.price_index
                )
                b.pay_for_channel(float(value) * b.config.partner_margin)
        if needs_points is None:
            return
        points_store, points_online = needs_points
        w = self.market.people_per_consumer
        for b in self.market.brands:
            kind = b.membership
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
            value = b.config.points_value * self.market.basket_value * w
            earned_store = size[mine & in_store & points_store].sum() * value
            earned_online = size[mine & ~in_store & points_online].sum() * value
            b.pay_points(
                float(earned_store * self.market.config.stores.price_index), float(earned_online)
            )

    def _move_up_links(self, buyers: np.ndarray, brand: np.ndarray) -> None:
        """A first purchase makes a customer; a fan programme moves buyers further up.

        With a fan programme, a purchase moves a customer up to user with ``service_rate``,
        a user up to fan with ``emotion_rate``, a fan up to partner with ``partner_rate`` (one
        level per purchase).
        """
        pop = self.market.population
        for b in self.market.brands:
            who = np.unique(buyers[brand == b.index])
            if who.size == 0:
                continue
            level = np.maximum(pop.link_level[who, b.index], 1)
            if b.fan_programme:
                c = b.config
                chance = np.array([0.0, c.service_rate, c.emotion_rate, c.partner_rate, 0.0])
                level = level + (self.market.rng.random(who.size) < chance[level])
            pop.link_level[who, b.index] = level

    def _fans_recommend(self) -> None:
        """Fans recommend their brand to their contacts.

        Each fan recommends its brand to a random contact with ``fan_referral_rate`` a week (a
        partner, who resells, three times as often); a contact whose usual brand is another
        wants this one at its next need.
        """
        pop = self.market.population
        for b in self.market.brands:
            c = b.config
            if not b.fan_programme or c.fan_referral_rate <= 0:
                continue
            level = pop.link_level[:, b.index]
            fans = np.flatnonzero((level >= 3) & pop.alive)
            partner = level[fans] == 4
            chance = np.minimum(1.0, c.fan_referral_rate * np.where(partner, 3.0, 1.0))
            tell = self.market.rng.random(fans.size) < chance
            told, source = word_of_mouth.random_contacts(
                pop.contacts_indptr, pop.contacts, fans[tell], 1, self.market.rng
            )
            fresh = pop.alive[told] & (pop.usual_brand[told] != b.index)
            pop.referred[told[fresh]] = b.index
            pop.referred_by_partner[told[fresh]] = partner[tell][source[fresh]]

    def _churn(self) -> dict[str, float]:
        """Each brand's churn and share of wallet this year.

        Churn: the share of last year's buyers of the brand who did not buy it again this
        year. Share of wallet: the share of the purchases of last year's buyers that were of
        the brand.
        """
        pop = self.market.population
        row = {}
        for b in self.market.brands:
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

    def store_sales(
        self, brand: np.ndarray | None, size: np.ndarray | None, offline_units: float
    ) -> None:
        """Brands make what stores sold: their market share of it, or by the buyers' brands.

        By market share, a brand makes its share of the baskets bought through the dealers
        that carry it (``Brand.carried``, set at each year's end).

        Args:
            brand: Brand of each store purchase, -1 for a rival's goods (``None``: brands make
                no difference).
            size: Baskets of each store purchase.
            offline_units: Baskets sold in stores (real).
        """
        if brand is None:
            for b in self.market.brands:
                b.make_for_stores(offline_units * b.share_offline * b.carried)
        else:
            self._brand_store_sales(brand, size)

    def online_market_shares(
        self, platform: Platform, net: float, orders: float, gmv: float
    ) -> None:
        """Brands book their share of a platform's week (when brands make no difference).

        In a promotion event's week each brand also counts its part of the GMV as festival
        sales.

        Args:
            platform: The platform.
            net: What the platform passed on to sellers after commission, yuan.
            orders: Orders (real).
            gmv: The platform's GMV, yuan.
        """
        m = self.market
        festival = any(e.week == m.week and m.year >= e.start_year for e in m.config.events)
        for b in m.brands:
            share = b.share_online
            b.sell_online(net * share, orders * share)
            b.buy_traffic(gmv * share * platform.ad_rate())
            if festival:
                b.festival_sales += gmv * share

    def _book_fulfilment(self, brand: Brand, done: fulfilment.Fulfilment, week: Week) -> float:
        """Book what fulfilling a brand's orders owes stores and dealers; the brand pays.

        Returns:
            Baskets sold in stores on pick-up visits (real).
        """
        if done.store_fees is not None:
            brand.pay_for_channel(float(done.store_fees.sum()))
        if done.dealer_value is not None:
            for d in np.flatnonzero(done.dealer_value):
                self.market.dealers[d].take_routed(float(done.dealer_value[d]), done.dealer_margin)
            brand.pay_for_channel(float(done.dealer_value.sum()) * done.dealer_margin)
        week.store_visits += done.store_visits
        if done.store_units is None:
            return 0.0
        self.network.sell_on_pick_up(done.store_units, done.store_fees)
        self._month_store_units += float(done.store_units.sum())  # rivals' goods in the mix
        return float(done.store_units.sum())

    def _brand_store_sales(self, brand: np.ndarray, size: np.ndarray) -> None:
        """Store buyers of a brand's goods: the brand makes them (rivals' goods are not ours)."""
        w = self.market.people_per_consumer
        units = (
            np.bincount(
                brand[brand >= 0], weights=size[brand >= 0], minlength=len(self.market.brands)
            )
            * w
        )
        for b in self.market.brands:
            b.make_for_stores(float(units[b.index]))
        self._month_brand_units += units
        self._month_store_units += float(size.sum()) * w

    def store_mix(self) -> list[float]:
        """Each brand's share of the goods stores bought this month.

        Each brand's share of the goods stores bought this month (market shares when brands make
        no difference).
        """
        if not self.active:
            return [b.share_offline for b in self.market.brands]
        total = self._month_store_units
        mix = self._month_brand_units / total if total > 0 else self._month_brand_units * 0.0
        self._month_brand_units = np.zeros(len(self.market.brands))
        self._month_store_units = 0.0
        return mix.tolist()

    def online_sales(
        self,
        buyers: np.ndarray,
        pid: np.ndarray,
        discount: float,
        needs_brand: np.ndarray,
        size: np.ndarray,
        week: Week,
        private: np.ndarray | None = None,
        subsidy: float = 0.0,
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """Book the brands' online orders and their fulfilment.

        Returns each platform's GMV, its GMV of its own (C2B) goods with what it paid their
        makers and what it paid sellers in event subsidies (``subsidy`` yuan per yuan paid on
        the sellers' orders; shape (platforms, 3)), in yuan, and the baskets bought in stores
        on pick-up visits. ``needs_brand`` is modified in
        place: an order a brand loses (a routed order no dealer takes) becomes a rival's.
        """
        w = self.market.people_per_consumer
        n_platforms = len(self.market.platforms)
        price = np.array([p.config.price_index for p in self.market.platforms])
        index = price[pid]
        for b in self.market.brands:
            if b.config.online_price_index is not None:
                index[needs_brand == b.index] = b.config.online_price_index
        c2b = self._c2b_orders(buyers, pid, size)
        maker = np.zeros(pid.size)
        if c2b is not None:  # the platform's own goods, made for it at the maker price
            c2b_price = np.array([p.config.c2b_price_index for p in self.market.platforms])
            index[c2b] = c2b_price[pid[c2b]]
            maker_price = np.array([p.config.c2b_maker_price for p in self.market.platforms])
            maker[c2b] = self.market.basket_value * maker_price[pid[c2b]] * size[c2b] * w
        value = self.market.basket_value * index * (1 - discount) * size * w
        pick_up_units = 0.0
        for b in self.market.brands:
            mine = np.flatnonzero(needs_brand == b.index)
            if mine.size == 0:
                continue
            if b.channel_strategy == "order_size_split":
                m = self.market
                done = fulfilment.route_large_orders(b, buyers[mine], value[mine], size[mine], m)
                self._book_fulfilment(b, done, week)
                needs_brand[mine[~done.keep]] = -1
                mine = mine[done.keep]
            if b.channel_strategy == "transaction_link_split":
                done = fulfilment.pick_up(b, buyers[mine], value[mine], self.market)
                pick_up_units += self._book_fulfilment(b, done, week)
            commission = np.array([p.commission for p in self.market.platforms])[pid[mine]]
            # the maker of a C2B order gets the maker price; others sell at the shop price
            shop_earns = value[mine] * (1 - commission)
            if subsidy:  # the platform pays back the part of its discount it funds
                shop_earns = shop_earns + value[mine] * subsidy
            earned = np.where(maker[mine] > 0, maker[mine], shop_earns)
            net = np.bincount(pid[mine], weights=earned, minlength=n_platforms)
            baskets = np.bincount(pid[mine], weights=size[mine], minlength=n_platforms) * w
            # sales a fan brought came by private traffic: no ads were bought for them
            public = value[mine] if private is None else value[mine] * ~private[mine]
            advertised = np.bincount(pid[mine], weights=public, minlength=n_platforms)
            for p in self.market.platforms:
                b.sell_online(float(net[p.index]), float(baskets[p.index]))
                b.buy_traffic(float(advertised[p.index]) * p.ad_rate())
        gmv = np.bincount(pid, weights=value, minlength=n_platforms)
        own_goods = np.bincount(pid, weights=value * (maker > 0), minlength=n_platforms)
        paid = np.bincount(pid, weights=maker, minlength=n_platforms)
        funded = np.zeros(n_platforms)
        if subsidy:  # on the sellers' orders; a C2B order's discount is the platform's own
            funded = np.bincount(pid, weights=value * (maker == 0), minlength=n_platforms)
            funded *= subsidy
        return gmv, np.column_stack([own_goods, paid, funded]), pick_up_units

    def _c2b_orders(
        self, buyers: np.ndarray, pid: np.ndarray, size: np.ndarray
    ) -> np.ndarray | None:
        """Which online orders are for the platforms' own C2B goods (``None``: no C2B at all).

        Each platform counts its sales by variant (its data): a buyer whose variant its
        results do not show buys the bestseller (``Platform.ranking``). A platform doing C2B
        serves a buyer of variant ``v`` with its own goods with chance ``min(1, c2b_share *
        r_v / p_v)``: its range ``r`` against the real needs ``p``. Variants its range
        under-weights are served less often than their buyers ask.
        """
        if self.market.config.consumers.variants == 1 and not any(
            p.config.c2b_start_year is not None for p in self.market.platforms
        ):
            return None
        variant = self.market.population.variant[buyers].copy()
        need = self.variant_popularity
        c2b = np.zeros(buyers.size, dtype=bool)
        for p in self.market.platforms:
            on = np.flatnonzero(pid == p.index)
            if p.ranking is not None:  # what its results show is what is bought
                variant[on] = p.ranking[variant[on]]
            p.variant_sales += np.bincount(variant[on], weights=size[on], minlength=need.size)
            if p.c2b_active and on.size:
                served = np.minimum(1.0, p.config.c2b_share * p.c2b_range / need)
                c2b[on] = self.market.rng.random(on.size) < served[variant[on]]
                p.year_c2b_orders += (
                    float(np.count_nonzero(c2b[on])) * self.market.people_per_consumer
                )
        return c2b

    def week_done(self) -> None:
        """Brands build their online-only brand's awareness; fans recommend their brand."""
        for b in self.market.brands:
            if b.channel_strategy == "brand_split":
                b.build_awareness(self.market.config.time.ticks_per_year)
        if self.active:
            self._fans_recommend()

    def _firm_books(self) -> dict[str, float]:
        books: dict[str, float] = {}
        for b in self.market.brands:
            books[f"brand_profit_online_{b.name}"] = b.profit_online
            books[f"brand_profit_offline_{b.name}"] = b.profit_offline
            books[f"brand_sales_online_{b.name}"] = b.units_online
            books[f"brand_sales_offline_{b.name}"] = b.units_offline
            books[f"brand_ad_spend_{b.name}"] = b.ad_spend
            books[f"brand_new_customers_{b.name}"] = b.new_customers
        for p in self.market.platforms:
            books[f"platform_profit_{p.name}"] = p.profit
            books[f"platform_gmv_{p.name}"] = p.gmv
            books[f"platform_commission_{p.name}"] = p.commission_revenue
            books[f"platform_ad_revenue_{p.name}"] = p.ad_revenue
            books[f"protection_spend_{p.name}"] = p.protection_spend
            books[f"enforcement_spend_{p.name}"] = p.enforcement_spend
            if self._platforms_fund_discounts:
                books[f"platform_promotion_cost_{p.name}"] = p.promotion_cost
        books["dealer_profit"] = sum(d.profit for d in self.market.dealers)
        books["dealer_margin"] = sum(d.margin for d in self.market.dealers)
        books["stock_holding_cost"] = sum(d.holding for d in self.market.dealers)
        books["stock_written_off"] = sum(d.written_off for d in self.market.dealers)
        books["stock_shared_online"] = sum(d.shared for d in self.market.dealers)
        books["store_profit"] = float(self.market.store_books.profit.sum())
        return books

    def _stock(self) -> dict[str, float]:
        """The brands' goods the active dealers hold.

        ``unsold_stock`` is their value at the year's end at each dealer's last price per
        basket, yuan; ``stock_months`` the baskets held at the months' ends over the baskets
        sold, both summed over the year's months: the months of sales held on average (0
        without sales).
        """
        active = [d for d in self.market.dealers if d.active]
        held = sum(d.year_stock for d in active)
        sold = sum(float(d.year_sold.sum()) for d in active)
        return {
            "unsold_stock": sum(d.stock_value for d in active),
            "stock_months": held / sold if sold > 0 else 0.0,
        }

    def year_books(self) -> dict[str, float]:
        """This year's firm books: brands by channel, platforms, dealers, stores."""
        now = self._firm_books()
        row = {k: v - self._books_at_year_start[k] for k, v in now.items()}
        self._books_at_year_start = now
        w = self.market.people_per_consumer
        for b in self.market.brands:
            spend = row.pop(f"brand_ad_spend_{b.name}")
            won = row.pop(f"brand_new_customers_{b.name}")
            if self.active:  # first purchases are tracked only then
                row[f"brand_new_customers_{b.name}"] = won
                row[f"brand_traffic_cost_{b.name}"] = cost_per_new_customer(spend, won, w)
            if True in b.options("fan_programme"):
                level = self.market.population.link_level[self.market.population.alive, b.index]
                counts = np.bincount(level, minlength=5) * w
                for k, name in enumerate(("customers", "users", "fans", "partners"), start=1):
                    row[f"brand_{name}_{b.name}"] = float(counts[k])
            if "brand_split" in b.options("channel_strategy"):
                row[f"brand_awareness_{b.name}"] = b.awareness
            if b.options("membership") - {"none"}:
                pop = self.market.population
                members = (pop.member_store | pop.member_online) & np.uint8(1 << b.index)
                row[f"brand_members_{b.name}"] = float(np.count_nonzero(members)) * w
        row |= self._stock()
        for p in self.market.platforms:  # the levers in force this year (set or decided)
            row[f"commission_rate_{p.name}"] = p.commission
            row[f"ad_load_{p.name}"] = p.ad_load
            if p.config.c2b_start_year is not None:
                row[f"c2b_share_{p.name}"] = (
                    p.year_c2b_orders / p.year_orders if p.year_orders else 0.0
                )
                mismatch = 0.5 * np.abs(p.c2b_range - self.variant_popularity).sum()
                row[f"c2b_mismatch_{p.name}"] = float(mismatch) if p.c2b_active else 0.0
        if self.active:
            row |= self._churn()
        return row
