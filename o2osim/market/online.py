"""Selling online: orders on platforms, bad orders, trust, word of mouth, platforms' books."""

from __future__ import annotations

import numpy as np

from o2osim.agents.protocol import Market
from o2osim.market.brands import BrandDesk
from o2osim.market.customers import PlatformCustomers
from o2osim.market.week import Week
from o2osim.mechanisms import churn, loyalty, trust, word_of_mouth


class OnlineSelling:
    """The online side of a purchase: shops, counterfeits, trust, word of mouth, books.

    Reads the platforms' counterfeit rates and protections; writes the buyers' trust, shops and
    yearly purchase marks; books each platform's week; the brands' share is booked by the
    :class:`BrandDesk`; referred contacts become customers through :class:`PlatformCustomers`.

    Args:
        market: The market.
        customers: The platforms' customer register.
        desk: The brands' desk.

    Attributes:
        first_orders: First orders at a shop resolved this year (agents).
        repeat_orders: Those of them followed by a second order there within a year.
    """

    def __init__(self, market: Market, customers: PlatformCustomers, desk: BrandDesk) -> None:
        self.market = market
        self.customers = customers
        self.desk = desk
        self.first_orders = 0
        self.repeat_orders = 0

    def year_repeats(self) -> tuple[int, int]:
        """This year's resolved first orders and repeats (expiring stale ones); restart the count.

        Returns:
            First orders at a shop resolved this year and how many of them repeated.
        """
        m = self.market
        within = m.config.time.ticks_per_year
        expired = churn.expired_first_orders(m.population.shop_first_tick, m.steps, within)
        counts = (self.first_orders + expired, self.repeat_orders)
        self.first_orders = self.repeat_orders = 0
        return counts

    def sell(
        self,
        buyers: np.ndarray,
        platform_ids: np.ndarray,
        discount: float,
        week: Week,
        brand: np.ndarray | None = None,
        size: np.ndarray | None = None,
        private: np.ndarray | None = None,
        subsidy: float = 0.0,
    ) -> dict[str, float]:
        """Online buyers order on their platforms: shops, bad orders, trust, word, books.

        ``brand`` (-1 for a rival's goods) and ``size`` (baskets) are given when brands make
        a difference; otherwise every order is one basket and brands book their market share.
        ``private`` marks orders a fan's recommendation brought (no traffic bought for them).
        GMV is booked at the price paid (``discount`` off the list price); ``subsidy`` is what
        the platforms pay the sellers per yuan paid for the part of an event's discount they
        fund (their promotion cost).

        Returns:
            The week's online flows (orders, counterfeit incidents, GMV; with brands, also the
            baskets bought in stores on pick-up visits).
        """
        m = self.market
        c = m.config.consumers
        pop = m.population
        w = m.people_per_consumer
        n_platforms = len(m.platforms)
        pid = platform_ids
        pop.preferred_channel[buyers] = (pid + 1).astype(np.int8)
        pop.bought_this_year[buyers] |= np.left_shift(1, pid).astype(np.uint8)
        self.pick_shops(buyers, pid)
        rates = np.array([p.counterfeit_rate for p in m.platforms])
        reliefs = np.array(
            [
                trust.bad_order_relief(p.escrow, p.returns, c.escrow_relief, c.returns_relief)
                for p in m.platforms
            ],
            dtype=np.float32,
        )
        bad = m.rng.random(buyers.size) < rates[pid] if n_platforms else pid < 0
        outcome = np.where(bad, reliefs[pid] if n_platforms else 0, np.float32(1.0))
        trust.learn(pop.trust_online, buyers, outcome, c.trust_learning_rate, pid)
        if c.shop_choice == "compare":  # a bad order ends the buyer's tie to the shop
            pop.shop[buyers[bad], pid[bad]] = -1
        self.spread_word(buyers[bad], pid[bad], buyers[~bad], pid[~bad], reliefs, week)
        orders = np.bincount(pid, minlength=n_platforms) * w
        bad_orders = np.bincount(pid, weights=bad, minlength=n_platforms) * w
        baskets = buyers.size * w if size is None else float(size.sum()) * w
        flows = {
            "online_orders": buyers.size * w,
            "online_baskets": baskets,
            "counterfeit_incidents": float(bad_orders.sum()),
        }
        if brand is not None:
            gmv, c2b, pick_up_units = self.desk.online_sales(
                buyers, pid, discount, brand, size, week, private, subsidy
            )
            for platform in m.platforms:
                k = platform.index
                platform.book_week(float(gmv[k]), float(orders[k]), float(bad_orders[k]), *c2b[k])
            return flows | {"gmv_online": float(gmv.sum()), "pick_up_orders": pick_up_units}
        gmv_online = 0.0
        for platform in m.platforms:
            k = platform.index
            if m.config.pricing.sellers_set_prices:
                gmv = orders[k] * platform.price(m.basket_value) * (1 - discount)
            else:
                gmv = orders[k] * m.basket_value * platform.config.price_index * (1 - discount)
            paid_back = gmv * subsidy  # the part of the discount the platform funds
            net = platform.book_week(gmv, float(orders[k]), float(bad_orders[k]), subsidy=paid_back)
            self.desk.online_market_shares(platform, net, float(orders[k]), gmv)
            gmv_online += gmv
        return flows | {"gmv_online": gmv_online}

    def pick_shops(self, buyers: np.ndarray, pid: np.ndarray) -> None:
        """Each online buyer goes back to its last shop on the platform or picks any shop.

        First orders at a shop are followed until the buyer orders there again or moves on
        (:func:`o2osim.mechanisms.churn.first_orders`): ``first_orders`` counts those resolved
        this year, ``repeat_orders`` those that repeated within a year.
        """
        if buyers.size == 0:
            return
        m = self.market
        pop = m.population
        c = m.config.consumers
        shops = np.array([p.shops for p in m.platforms])[pid]
        last = pop.shop[buyers, pid]
        loyal = (last >= 0) & (last < shops)
        if c.shop_choice == "compare":
            loyal[loyal] = self.stays_with_shop(buyers[loyal], pid[loyal], shops[loyal])
        else:
            loyal &= m.rng.random(buyers.size) < c.shop_loyalty
        any_shop = (m.rng.random(buyers.size) * shops).astype(last.dtype)
        shop = np.where(loyal, last, any_shop)
        pop.shop[buyers, pid] = shop
        within = m.config.time.ticks_per_year
        first, resolved, repeated = churn.first_orders(
            pop.shop_first_tick[buyers, pid], shop == last, m.steps, within
        )
        pop.shop_first_tick[buyers, pid] = first
        self.first_orders += int(np.count_nonzero(resolved))
        self.repeat_orders += int(np.count_nonzero(repeated))
        key = shop.astype(np.int64) * len(m.platforms) + pid
        pop.shop_came_back[buyers] |= pop.shop_last_year[buyers] == key
        pop.shop_this_year[buyers] = key

    def stays_with_shop(self, buyers: np.ndarray, pid: np.ndarray, shops: np.ndarray) -> np.ndarray:
        """Which buyers go back to their shop: no rival offer they see saves them enough.

        A buyer sees ``rival_offers`` rival shops' offers on a computer and
        ``mobile_rival_offers`` on a phone (no more than the platform's other shops); a buyer
        with only its first order at the shop knows it less (``first_order_familiarity``); see
        :mod:`o2osim.mechanisms.loyalty`.
        """
        m = self.market
        c = m.config.consumers
        offers = np.where(m.population.mobile[buyers], c.mobile_rival_offers, c.rival_offers)
        offers = np.minimum(offers, shops - 1)
        saving = loyalty.best_rival_saving(offers, c.shop_price_dispersion, m.rng)
        prices = np.array([m.in_base_yuan(p.price(m.basket_value)) for p in m.platforms])[pid]
        trust = m.population.trust_online[buyers, pid]
        first_order = m.population.shop_first_tick[buyers, pid] >= 0
        known = loyalty.familiarity(c.familiarity_value, c.first_order_familiarity, first_order)
        return loyalty.stays(saving, prices, known, trust)

    def spread_word(
        self,
        unhappy: np.ndarray,
        unhappy_pid: np.ndarray,
        happy: np.ndarray,
        happy_pid: np.ndarray,
        reliefs: np.ndarray,
        week: Week,
    ) -> None:
        """Unhappy buyers warn contacts; happy ones may bring a contact to their platform."""
        m = self.market
        s = m.config
        c = s.consumers
        pop = m.population
        factor = s.stages.mobile_referral_factor
        reach = np.where(pop.mobile[unhappy], np.rint(c.wom_reach * factor), c.wom_reach)
        told, teller = word_of_mouth.random_contacts(
            pop.contacts_indptr, pop.contacts, unhappy, reach.astype(np.int64), m.rng
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
        refer = m.rng.random(happy.size) < chance
        friends, source = word_of_mouth.random_contacts(
            pop.contacts_indptr, pop.contacts, happy[refer], 1, m.rng
        )
        friend_pid = happy_pid[refer][source]
        fresh = pop.online[friends] & ((pop.customer_of[friends] >> friend_pid) & 1 == 0)
        self.customers.won_pairs(friends[fresh], friend_pid[fresh], "wom_customers", week)
