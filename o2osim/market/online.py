"""Platforms and online shoppers: adoption, the attention market, selling online, word of mouth.

Part of :class:`o2osim.model.O2OMarket` (mixed in); ``self`` is the market.
"""

from __future__ import annotations

import numpy as np

from o2osim.agents import Platform
from o2osim.mechanisms import adoption, attention, trust, word_of_mouth


class OnlineSide:
    """Rules of the online side (see ``docs/model.md``: adoption, attention, trust, churn)."""

    def _adopt(self) -> None:
        """Consumers start shopping online (and on phones), pushed by contacts or the market.

        A new online shopper joins a launched platform (see :meth:`_start_online`).
        """
        s = self.config
        a = s.adoption
        pop = self.population
        weeks = s.time.ticks_per_year
        if a.network == "well_mixed":
            new = adoption.adopt_online(pop.online, pop.alive, a.p, a.q, weeks, self.rng)
        else:
            new = adoption.adopt_online_networked(
                pop.online,
                pop.alive,
                pop.adopted_contacts,
                pop.alive_contacts,
                a.p,
                a.q,
                weeks,
                self.rng,
            )
        self._start_online(new)
        m = s.stages
        if m.mobile_year is not None and self.year >= m.mobile_year:
            # a phone shopper is an online shopper who also shops on the phone
            adoption.adopt_online(pop.mobile, pop.online, m.mobile_p, m.mobile_q, weeks, self.rng)

    def _start_online(self, new: np.ndarray, tell: bool = True) -> None:
        """New online shoppers tell their contacts and join a launched platform.

        The platform is chosen in proportion to the customers each has won (plus one
        consumer's worth, so a new platform can be found).
        """
        if new.size == 0:
            return
        if tell:
            self.population.tell_contacts(new, +1)
        launched = [p for p in self.platforms if p.launched]
        if new.size and launched:
            weight = np.cumsum([p.new_customers + self.people_per_consumer for p in launched])
            pick = np.searchsorted(weight, self.rng.random(new.size) * weight[-1], side="right")
            for j, platform in enumerate(launched):
                self._won(platform, new[pick == j], "new_customers")

    def _won(self, platform: Platform, who: np.ndarray, kind: str) -> None:
        """``who`` become customers of ``platform``; count them under ``kind``."""
        if who.size == 0:
            return
        bit = np.uint8(1 << platform.index)
        self.population.customer_of[who] |= bit
        self.population.won_this_year[who] |= bit
        people = who.size * self.people_per_consumer
        platform.new_customers += people
        platform.year_new_customers += people
        self._tick["new_customers"] += people
        if kind != "new_customers":
            self._tick[kind] += people

    def _won_pairs(self, who: np.ndarray, pid: np.ndarray, kind: str) -> None:
        """Consumers ``who`` become customers of platforms ``pid`` (pairs may repeat)."""
        if who.size == 0:
            return
        n_platforms = len(self.platforms)
        key = np.unique(who * n_platforms + pid)
        who, pid = key // n_platforms, key % n_platforms
        bits = np.left_shift(1, pid).astype(np.uint8)
        np.bitwise_or.at(self.population.customer_of, who, bits)
        np.bitwise_or.at(self.population.won_this_year, who, bits)
        people = np.bincount(pid, minlength=n_platforms) * self.people_per_consumer
        for platform in self.platforms:
            platform.new_customers += people[platform.index]
            platform.year_new_customers += people[platform.index]
        self._tick["new_customers"] += float(people.sum())
        self._tick[kind] += float(people.sum())

    def _buy_traffic(self) -> None:
        """Sellers buy impressions; clicks are paid visits that may win new customers."""
        att = self.config.attention
        pop = self.population
        w = self.people_per_consumer
        budgets = np.array([p.traffic_budget() for p in self.platforms], dtype=np.float64)
        online = np.flatnonzero(pop.online)
        mobile = float(np.count_nonzero(pop.mobile))
        supply = (
            att.impressions_per_user
            * w
            * (online.size - mobile + att.mobile_impressions_factor * mobile)
        )
        price, impressions = attention.clear(budgets, supply, att.reserve_cpm / 1000)
        spend = impressions * price
        clicks = impressions * att.click_through
        for platform in self.platforms:
            platform.marketing_spend += spend[platform.index]
            platform.year_spend += spend[platform.index]
        self._tick["marketing_spend"] += float(spend.sum())
        self._tick["online_visits"] += float(clicks.sum())
        visitors, pid = attention.paid_visitors(online, clicks, att.paid_signup, w, self.rng)
        won = attention.sign_up(pop.customer_of, visitors, pid)
        self._won_pairs(visitors[won], pid[won], "paid_customers")

    def _sell_online(
        self,
        buyers: np.ndarray,
        platform_ids: np.ndarray,
        discount: float,
        brand: np.ndarray | None = None,
        size: np.ndarray | None = None,
        private: np.ndarray | None = None,
    ) -> dict[str, float]:
        """Online buyers order on their platforms: shops, bad orders, trust, word, books.

        ``brand`` (-1 for a rival's goods) and ``size`` (baskets) are given when brands make
        a difference; otherwise every order is one basket and brands book their market share.
        ``private`` marks orders a fan's recommendation brought (no traffic bought for them).
        """
        c = self.config.consumers
        pop = self.population
        w = self.people_per_consumer
        n_platforms = len(self.platforms)
        pid = platform_ids
        pop.preferred_channel[buyers] = (pid + 1).astype(np.int8)
        pop.bought_this_year[buyers] |= np.left_shift(1, pid).astype(np.uint8)
        self._pick_shops(buyers, pid)
        rates = np.array([p.counterfeit_rate for p in self.platforms])
        reliefs = np.array(
            [
                trust.bad_order_relief(p.escrow, p.returns, c.escrow_relief, c.returns_relief)
                for p in self.platforms
            ],
            dtype=np.float32,
        )
        bad = self.rng.random(buyers.size) < rates[pid] if n_platforms else pid < 0
        outcome = np.where(bad, reliefs[pid] if n_platforms else 0, np.float32(1.0))
        trust.learn(pop.trust_online, buyers, outcome, c.trust_learning_rate, pid)
        self._spread_word(buyers[bad], pid[bad], buyers[~bad], pid[~bad], reliefs)
        orders = np.bincount(pid, minlength=n_platforms) * w
        bad_orders = np.bincount(pid, weights=bad, minlength=n_platforms) * w
        flows = {"online_orders": buyers.size * w, "counterfeit_incidents": float(bad_orders.sum())}
        if brand is not None:
            gmv, c2b, pick_up_units = self._brand_online_sales(
                buyers, pid, discount, brand, size, private
            )
            for platform in self.platforms:
                m = platform.index
                platform.book_week(float(gmv[m]), float(orders[m]), float(bad_orders[m]), *c2b[m])
            store_price = self.basket_value * self.config.stores.price_index
            return flows | {
                "gmv_online": float(gmv.sum()),
                "pick_up_orders": pick_up_units,
                "pick_up_gmv": pick_up_units * store_price,
            }
        gmv_online = 0.0
        for platform in self.platforms:
            m = platform.index
            gmv = orders[m] * self.basket_value * platform.config.price_index * (1 - discount)
            net = platform.book_week(gmv, float(orders[m]), float(bad_orders[m]))
            for b in self.brands:
                share = b.config.market_share
                b.sell_online(net * share, orders[m] * share)
                b.buy_traffic(gmv * share * platform.ad_rate())
            gmv_online += gmv
        return flows | {"gmv_online": gmv_online}

    def _pick_shops(self, buyers: np.ndarray, pid: np.ndarray) -> None:
        """Each online buyer goes back to its last shop on the platform or picks any shop."""
        if buyers.size == 0:
            return
        pop = self.population
        shops = np.array([p.shops for p in self.platforms])[pid]
        last = pop.shop[buyers, pid]
        loyal = (last >= 0) & (last < shops)
        loyal &= self.rng.random(buyers.size) < self.config.consumers.shop_loyalty
        any_shop = (self.rng.random(buyers.size) * shops).astype(last.dtype)
        shop = np.where(loyal, last, any_shop)
        pop.shop[buyers, pid] = shop
        key = shop.astype(np.int64) * len(self.platforms) + pid
        pop.shop_came_back[buyers] |= pop.shop_last_year[buyers] == key
        pop.shop_this_year[buyers] = key

    def _spread_word(
        self,
        unhappy: np.ndarray,
        unhappy_pid: np.ndarray,
        happy: np.ndarray,
        happy_pid: np.ndarray,
        reliefs: np.ndarray,
    ) -> None:
        """Unhappy buyers warn contacts; happy ones may bring a contact to their platform."""
        s = self.config
        c = s.consumers
        pop = self.population
        factor = s.stages.mobile_referral_factor
        reach = np.where(pop.mobile[unhappy], np.rint(c.wom_reach * factor), c.wom_reach)
        told, teller = word_of_mouth.random_contacts(
            pop.contacts_indptr, pop.contacts, unhappy, reach.astype(np.int64), self.rng
        )
        heard = pop.alive[told]
        told, told_pid = told[heard], unhappy_pid[teller[heard]]
        trust.learn(
            pop.trust_online,
            told,
            reliefs[told_pid] if told.size else np.float32(1.0),
            c.trust_learning_rate * c.wom_weight,
            told_pid,
        )
        chance = np.minimum(1.0, c.referral_rate * np.where(pop.mobile[happy], factor, 1.0))
        refer = self.rng.random(happy.size) < chance
        friends, source = word_of_mouth.random_contacts(
            pop.contacts_indptr, pop.contacts, happy[refer], 1, self.rng
        )
        friend_pid = happy_pid[refer][source]
        fresh = pop.online[friends] & ((pop.customer_of[friends] >> friend_pid) & 1 == 0)
        self._won_pairs(friends[fresh], friend_pid[fresh], "wom_customers")
