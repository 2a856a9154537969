"""Shopping: who has a need this week, where each shopper buys, the checkout, and visits."""

from __future__ import annotations

import mesa
import numpy as np

from o2osim.agents.protocol import Market
from o2osim.market.brands import BrandDesk
from o2osim.market.formats import StoreFormats
from o2osim.market.online import OnlineSelling
from o2osim.market.stores import StoreNetwork
from o2osim.market.week import Week
from o2osim.mechanisms import attention, choice, needs, sessions
from o2osim.strategies.channel import Needs


class Shopping:
    """The shopping phases: needs, choice between stores and platforms, checkout, visits.

    Reads the consumers' needs, trust and customer ties and the choice sets of the store
    network; the checkout hands store purchases to the :class:`StoreNetwork`, online ones to
    :class:`OnlineSelling` and the brands' part to the :class:`BrandDesk`.

    Args:
        market: The market.
        network: The store network.
        online: Online selling.
        desk: The brands' desk.
        formats: The stores' formats (showrooms, pick-up and service points).
    """

    def __init__(
        self,
        market: Market,
        network: StoreNetwork,
        online: OnlineSelling,
        desk: BrandDesk,
        formats: StoreFormats,
    ) -> None:
        self.market = market
        self.network = network
        self.online = online
        self.desk = desk
        self.formats = formats
        self._cell_year: int | None = None
        self._people_by_cell = np.zeros(0)
        kinds = market.config.consumers.service_needs
        self.service_on = bool(kinds)
        self.service_names = [n.name for n in kinds] + ["plain"]
        self.service_shares = np.array([n.share for n in kinds])
        self.service_value = np.array([n.value for n in kinds] + [0.0])
        self.pick_up_value = np.array([n.value * n.at_pick_up for n in kinds] + [0.0])
        self.service_kind: np.ndarray | None = None  # of this week's shoppers
        self._year_kinds = np.zeros((len(kinds) + 1, 2))  # purchases, of which in stores

    # ---- needs and choice

    def draw_shoppers(self, discount: float = 0.0) -> np.ndarray:
        """Who has a purchase need this week (events add needs for online shoppers).

        With ``consumers.price_elasticity`` the event's price cut ``discount`` raises the
        chance of the online shoppers who are customers of a platform (every platform holds
        the events).
        """
        m = self.market
        pop = m.population
        chance = pop.need_rate
        elasticity = m.config.consumers.price_elasticity
        if elasticity > 0 and discount > 0:
            facing = pop.online & (pop.customer_of != 0)
            chance = np.where(
                facing, needs.promotion_need_chance(chance, discount, elasticity), chance
            )
        shoppers = needs.draw_shoppers(chance, m.rng)
        ready = pop.alive[shoppers] & (pop.sated_until[shoppers] <= m.steps)
        return shoppers[ready]

    def draw_service_kinds(self, shoppers: np.ndarray) -> np.ndarray | None:
        """The kind of each shopper's need this week (``None``, nothing drawn, when off).

        One draw per shopper by :func:`o2osim.mechanisms.needs.draw_service_kinds`; kept in
        :attr:`service_kind` for the checkout's tally.
        """
        kind = None
        if self.service_on:
            kind = needs.draw_service_kinds(shoppers.size, self.service_shares, self.market.rng)
        self.service_kind = kind
        return kind

    def utilities(
        self,
        shoppers: np.ndarray,
        discount: float,
        needs: Needs | None = None,
        kind: np.ndarray | None = None,
    ) -> np.ndarray:
        """Utility in yuan of each option (nearest stores, then platforms) for each shopper.

        Prices enter in base-year yuan: the list price times ``price_index``, or, when sellers
        set prices, each store's and each platform's sellers' own price deflated by the growth
        of the basket's list value. With service needs (``kind``, see Service value), store
        ``j`` adds ``q_j * value[kind]`` (a showroom only for the kinds it serves, and its
        buyers wait for the goods) and an online order that a brand routes to pick-up at the
        nearest store adds ``q * value[kind]`` for the kinds served at pick-up, or else what a
        pick-up or service point near the shopper's home gives (see Store formats).
        """
        m = self.market
        s = m.config
        c = s.consumers
        pop = m.population
        k = c.store_choice_set
        cell = pop.cell[shoppers]
        util = np.empty((shoppers.size, k + len(m.platforms)), dtype=np.float32)
        # A store option's price, distance and service are the same for every shopper of a
        # travel cell: with fewer cells than shoppers they are computed once per cell and
        # gathered, else per shopper (the same numbers either way).
        net = self.network
        per_cell = net.choice_ids.shape[0] <= shoppers.size
        rows = slice(None) if per_cell else cell
        ids = np.maximum(net.choice_ids[rows], 0)
        # in base-year yuan: travel, waiting and trust are worth more as incomes grow
        priced = net.priced
        if priced:  # each store's own price
            store_price = m.in_base_yuan(net.books.price[ids])
        else:
            store_price = c.basket_value * s.stores.price_index
        near = (-store_price - c.travel_cost * net.choice_dist[rows]).astype(np.float32)
        showroom, wait = self.formats.store_terms(ids)
        if showroom is not None:  # its buyers wait for the goods
            near -= np.float32(wait) * showroom
        util[:, :k] = near[cell] if per_cell else near
        util[:, :k] += (c.trust_value * pop.trust_offline[shoppers])[:, None]
        if kind is not None:  # what the store adds for this need, as often as it delivers
            quality = net.books.quality[ids]
            shown = self.formats.at_showroom
            if per_cell:
                values = self.service_value
                by_kind = [
                    choice.service_value(
                        np.full(len(quality), v),
                        quality if showroom is None or at else np.where(showroom, 0.0, quality),
                    )
                    for v, at in zip(values, shown, strict=True)
                ]
                util[:, :k] += np.stack(by_kind)[kind, cell]
            else:
                if showroom is not None:
                    quality = np.where(showroom & ~shown[kind][:, None], 0.0, quality)
                util[:, :k] += choice.service_value(self.service_value[kind], quality)
        search = c.search_cost * np.where(pop.mobile[shoppers], s.stages.mobile_search_factor, 1)
        shows_ads = s.sessions.mode == "behaviour"  # sponsored results need search sessions
        member = pop.customer_of[shoppers]
        for platform in m.platforms:
            col = k + platform.index
            if not platform.launched:
                util[:, col] = -np.inf
                continue
            p = platform.config
            if priced:  # its sellers' price
                price = m.in_base_yuan(platform.price(m.basket_value)) * (1 - discount)
            else:
                price = c.basket_value * p.price_index * (1 - discount)
            util[:, col] = -price - c.delivery_wait_cost * p.delivery_days - search
            if shows_ads:  # wading past its sponsored results
                util[:, col] -= choice.ad_nuisance(c.ad_cost, platform.ad_load)
            util[:, col] += c.trust_value * pop.trust_online[shoppers, platform.index]
            util[(member & np.uint8(1 << platform.index)) == 0, col] = -np.inf
        near_point = None
        if kind is not None and m.platforms:
            near_point = self.formats.online_service(shoppers, kind)
        if needs is not None:
            self.desk.price_terms(util, shoppers, needs, discount)
            if kind is not None and self.pick_up_value.any() and m.platforms:
                store = self.desk.picks_up(shoppers, needs)
                rows = np.flatnonzero(store >= 0)
                quality = self.network.books.quality[store[rows]][:, None]
                util[rows, k:] += choice.service_value(self.pick_up_value[kind[rows]], quality)
                if near_point is not None:  # the brand's pick-up counts, not a point's too
                    near_point[rows] = 0.0
        if near_point is not None:
            util[:, k:] += near_point.astype(np.float32)[:, None]
        return util

    def choose(
        self, shoppers: np.ndarray, discount: float, needs: Needs | None = None
    ) -> np.ndarray:
        """Each shopper picks an option by logit (-1 where nothing was available)."""
        kind = self.draw_service_kinds(shoppers)
        util = self.utilities(shoppers, discount, needs, kind)
        return choice.logit_choice(util, self.market.config.consumers.choice_scale, self.market.rng)

    def shop_by_agents(
        self, consumers: mesa.agent.AgentSet, discount: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Every consumer decides by :meth:`Consumer.shop`; returns the shoppers and their picks."""
        picks: list[tuple[int, int]] = []

        def shop(consumer: mesa.Agent) -> None:
            picked = consumer.shop(discount)
            if picked is not None:
                picks.append((consumer.index, picked))

        consumers.shuffle_do(shop)
        picks.sort()
        shoppers = np.array([i for i, _ in picks], dtype=np.int64)
        picked = np.array([o for _, o in picks], dtype=np.int64)
        return shoppers, picked

    # ---- the checkout

    def checkout(
        self,
        shoppers: np.ndarray,
        picked: np.ndarray,
        discount: float,
        needs: Needs | None,
        week: Week,
        subsidy: float = 0.0,
    ) -> tuple[dict[str, float], np.ndarray]:
        """Shoppers buy what they picked and learn from the experience.

        ``discount`` is this week's price cut online; ``subsidy`` what the platforms pay the
        sellers per yuan paid for the part of it they fund.

        Returns:
            The week's flows (orders and GMV by channel, counterfeit incidents) and the buyers.
        """
        m = self.market
        k = m.config.consumers.store_choice_set
        pop = m.population
        bought = picked >= 0
        buyers, picked = shoppers[bought], picked[bought]
        pop.orders[buyers] += 1
        in_store = picked < k
        store_buyers = buyers[in_store]
        store_ids = self.network.choice_ids[pop.cell[store_buyers], picked[in_store]]
        online_buyers = buyers[~in_store]
        platform_ids = (picked[~in_store] - k).astype(np.int64)
        online_kind = None
        if self.service_kind is not None:
            self._tally_service(self.service_kind[bought], in_store, store_ids)
            online_kind = self.service_kind[bought][~in_store]
        self.formats.serve_online(online_buyers, online_kind)
        self.network.note_online(online_buyers)
        if needs is None:
            flows, units = self.network.sell(store_buyers, store_ids, None, week)
            self.desk.store_sales(None, None, units)
            online = self.online.sell(online_buyers, platform_ids, discount, week, subsidy=subsidy)
            return flows | online, buyers
        # a purchase is of the wanted brand only where the brand was on offer
        offered = np.where(in_store, needs.in_stores[bought], needs.online[bought])
        brand = np.where(offered, needs.brand[bought], -1)
        size = needs.size[bought]
        points = None
        if needs.points_in_stores is not None:
            points = (needs.points_in_stores[bought], needs.points_online[bought])
        partner = None if needs.via_partner is None else needs.via_partner[bought]
        self.desk.book_customers(buyers, brand, in_store, size, points, partner)
        flows, units = self.network.sell(store_buyers, store_ids, size[in_store], week)
        self.desk.store_sales(brand[in_store], size[in_store], units)
        private = None if needs.referred is None else needs.referred[bought][~in_store]
        online = self.online.sell(
            online_buyers,
            platform_ids,
            discount,
            week,
            brand[~in_store],
            size[~in_store],
            private,
            subsidy,
        )
        pick_ups = online.pop("pick_up_orders")  # a basket each, bought on a pick-up visit
        flows["offline_orders"] += pick_ups
        flows["offline_baskets"] += pick_ups
        flows["gmv_offline"] += pick_ups * self.network.price
        return flows | online, buyers

    def _tally_service(self, kind: np.ndarray, in_store: np.ndarray, store_ids: np.ndarray) -> None:
        """Count purchases by need kind and channel; stores note the service they delivered."""
        n = self.service_value.size
        self._year_kinds[:, 0] += np.bincount(kind, minlength=n)
        self._year_kinds[:, 1] += np.bincount(kind[in_store], minlength=n)
        value = self.service_value[kind[in_store]] * self.network.books.quality[store_ids]
        self.network.note_service(value)
        self.formats.note_store_kinds(store_ids, kind[in_store])

    def year_service(self) -> dict[str, float]:
        """This year's store share of each need kind's purchases (empty when off); resets.

        ``store_share_<kind> = purchases in stores / purchases`` of needs of that kind (pick-ups
        are online purchases; 0 when the kind had no purchase).
        """
        if not self.service_on:
            return {}
        row = {
            f"store_share_{name}": float(stores / bought) if bought else 0.0
            for name, (bought, stores) in zip(self.service_names, self._year_kinds, strict=True)
        }
        self._year_kinds[:] = 0.0
        return row

    # ---- sessions and visits

    def search(self, shoppers: np.ndarray) -> np.ndarray | None:
        """Search sessions each shopper with a need runs before buying (behaviour mode).

        Every platform customer with a need searches, wherever it ends up buying: one session
        ends the search and ``Poisson(lambda_i)`` more compare (see
        :func:`~o2osim.mechanisms.sessions.comparison_rate`), at the search cost of its
        device and its trust before this week's purchase. Shoppers who are customers of no
        platform do not search.

        Returns:
            Sessions per shopper (0 for those who do not search); ``None`` in fixed mode,
            where nothing is drawn.
        """
        m = self.market
        s = m.config
        if s.sessions.mode == "fixed":
            return None
        pop = m.population
        ties = pop.customer_of[shoppers]
        tied = pop.online[shoppers] & (ties != 0)
        who = shoppers[tied]
        cost = s.consumers.search_cost * np.where(
            pop.mobile[who], s.stages.mobile_search_factor, 1.0
        )
        bits = attention.platform_bits(ties[tied], len(m.platforms))
        trust = np.where(bits == 1, pop.trust_online[who], 0.0).max(axis=1, initial=0.0)
        c = s.sessions
        rate = sessions.comparison_rate(
            cost,
            trust,
            c.comparison_sessions,
            c.reference_search_cost,
            c.search_cost_elasticity,
            c.distrust_sessions,
        )
        searches = np.zeros(shoppers.size, dtype=np.int64)
        searches[tied] = sessions.search_sessions(rate, m.rng)
        return searches

    def count_visits(
        self,
        flows: dict[str, float],
        week: Week,
        shoppers: np.ndarray,
        picked: np.ndarray,
        searches: np.ndarray | None,
        click_rate: np.ndarray,
        search_rate: np.ndarray,
        own_rate: np.ndarray | None = None,
    ) -> None:
        """Visits: platform sessions by device and source, and store visits without a purchase.

        Args:
            flows: The week's flows (orders by channel).
            week: The week's record.
            shoppers: This week's shoppers with a need.
            picked: The option each picked (stores ``0..k-1``, platforms ``k + index``, -1).
            searches: Search sessions per shopper from :meth:`search` (``None``: fixed mode).
            click_rate: Display clicks per online shopper this week by platform (agent clicks).
            search_rate: Search clicks per search session this week by platform (agent clicks).
            own_rate: Clicks on each platform's own sponsored results per search session on
                its pages (``None``: none shown).
        """
        m = self.market
        c = m.config.consumers
        pop = m.population
        w = m.people_per_consumer
        k = c.store_choice_set
        online = picked >= k
        buyers = shoppers[online]
        orders_mobile = float(np.count_nonzero(pop.mobile[buyers])) * w
        orders_desktop = flows["online_orders"] - orders_mobile
        week.orders_mobile += orders_mobile
        week.orders_desktop += orders_desktop
        if searches is None:
            self._fixed_sessions(flows, week, orders_desktop, orders_mobile)
        else:
            self._behaviour_sessions(
                flows, week, shoppers, searches, online, picked, (click_rate, search_rate, own_rate)
            )
        showroom = m.rng.binomial(int(round(flows["online_orders"] / w)), c.showrooming) * w
        window_km = m.config.sessions.window_km
        if window_km is None:
            window = m.rng.poisson(pop.count * c.window_shopping) * w
        else:  # fewer look in where the nearest store is far; by travel cell, not by person
            near = self.network.choice_dist[:, 0]
            rates = sessions.window_shopping(near, c.window_shopping, window_km)
            window = m.rng.poisson(float(self.people_by_cell() @ rates)) * w
        week.store_visits += showroom + window

    def people_by_cell(self) -> np.ndarray:
        """Consumers living in each travel cell (agents), counted once a year.

        Consumers enter and leave the market only at the new year, so the count is kept
        for the year.
        """
        m = self.market
        if self._cell_year != m.year:
            pop = m.population
            cells = self.network.choice_dist.shape[0]
            self._people_by_cell = np.bincount(pop.cell[pop.alive], minlength=cells).astype(
                np.float64
            )
            self._cell_year = m.year
        return self._people_by_cell

    def _fixed_sessions(
        self, flows: dict[str, float], week: Week, orders_desktop: float, orders_mobile: float
    ) -> None:
        """Fixed mode: every online shopper visits at its device's rate; orders are visits too.

        The drawn sessions are split between the devices by their expected shares (nothing
        more is drawn); each device has at least its own orders.
        """
        m = self.market
        c = m.config.consumers
        pop = m.population
        w = m.people_per_consumer
        mobile = float(np.count_nonzero(pop.mobile))
        pc = float(np.count_nonzero(pop.online)) - mobile
        sessions = m.rng.poisson(pc * c.pc_visits + mobile * c.mobile_visits) * w
        # a purchase is a session too; browsing that ends in no order is the rest
        visits = max(sessions, flows["online_orders"])
        week.online_visits += visits
        rate_pc, rate_mobile = pc * c.pc_visits, mobile * c.mobile_visits
        on_phone = rate_mobile / (rate_pc + rate_mobile) if rate_pc + rate_mobile > 0 else 0.0
        week.sessions_desktop += max(sessions * (1.0 - on_phone), orders_desktop)
        week.sessions_mobile += max(sessions * on_phone, orders_mobile)
        week.sessions_browse += visits
        week.orders_browse += flows["online_orders"]

    def _behaviour_sessions(
        self,
        flows: dict[str, float],
        week: Week,
        shoppers: np.ndarray,
        searches: np.ndarray,
        online: np.ndarray,
        picked: np.ndarray,
        rates: tuple[np.ndarray, np.ndarray, np.ndarray | None],
    ) -> None:
        """Behaviour mode: search sessions of shoppers, browsing of customers, paid orders.

        A buyer on platform ``m`` got the platform's display clicks per online shopper and its
        search clicks per search session times its own searches, and the clicks on ``m``'s own
        sponsored results per session times its searches on ``m`` (``rates``).
        """
        m = self.market
        sc = m.config.sessions
        pop = m.population
        w = m.people_per_consumer
        k = m.config.consumers.store_choice_set
        # searching (drawn before the checkout), by device
        on_phone = pop.mobile[shoppers]
        search_mobile = float(searches[on_phone].sum()) * w
        search_pc = float(searches.sum()) * w - search_mobile
        # browsing: platform customers without a need, by device; never an order
        tied = pop.online & (pop.customer_of != 0)
        n_mobile = float(np.count_nonzero(tied & pop.mobile))
        n_pc = float(np.count_nonzero(tied)) - n_mobile
        browse_pc = m.rng.poisson(n_pc * sc.pc_browsing) * w
        browse_mobile = m.rng.poisson(n_mobile * sc.mobile_browsing) * w
        # each online order came through one of its buyer's sessions: a search or a paid click
        pid = picked[online] - k
        found = searches[online]
        display, search, own = rates
        rate = display[pid] + search[pid] * found
        if own is not None and own.any():  # its searches on m: spread over its platforms
            on = attention.sessions_by_platform(pop.customer_of, shoppers[online], found, own.size)
            rate = rate + own[pid] * on[np.arange(pid.size), pid]
        paid = sessions.paid_orders(found, rate, m.rng)
        orders_paid = float(np.count_nonzero(paid)) * w
        week.online_visits += search_pc + search_mobile + browse_pc + browse_mobile
        week.sessions_search += search_pc + search_mobile
        week.sessions_browse += browse_pc + browse_mobile
        week.sessions_desktop += search_pc + browse_pc
        week.sessions_mobile += search_mobile + browse_mobile
        week.orders_paid += orders_paid
        week.orders_search += flows["online_orders"] - orders_paid

    def pull_forward(self, buyers: np.ndarray, discount: float = 0.0) -> None:
        """Who bought in a promotion week has no need in the next ``pull_forward_weeks`` weeks.

        A promotion week is one with a price cut that consumers respond to
        (``consumers.price_elasticity`` above 0).
        """
        c = self.market.config.consumers
        weeks = c.pull_forward_weeks
        promotion = c.price_elasticity > 0 and discount > 0
        if promotion and weeks:
            self.market.population.sated_until[buyers] = self.market.steps + weeks + 1
