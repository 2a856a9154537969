"""The attention market: sellers buy traffic, clicks are paid visits that may win customers."""

from __future__ import annotations

import numpy as np

from o2osim.agents.protocol import Market
from o2osim.market.customers import PlatformCustomers
from o2osim.market.week import Week
from o2osim.mechanisms import attention


class AttentionMarket:
    """The attention phase: one auction of the online shoppers' impressions a week.

    Reads each platform's traffic budgets (its sellers' and its own) and the online and mobile
    shoppers; books each platform's marketing spend, its sellers' part as the platform's ad
    revenue and its own part as its marketing cost; paid visitors who sign up become customers
    through :class:`PlatformCustomers`. Keeps this week's paid clicks per online shopper of
    each platform (``click_rate``, agent clicks per agent), which the visits read.

    Under ``attention.budget_rule: return`` the sellers set their budgets from what a new
    customer is worth and what one cost them lately (a running estimate kept here, of their
    spend over the customers their clicks win in expectation,
    :func:`o2osim.mechanisms.attention.expected_sign_ups`).

    Args:
        market: The market.
        customers: The platforms' customer register.

    Attributes:
        seller_spend: Sellers' smoothed weekly traffic spend on each platform, yuan.
        seller_won: Customers their paid visits win each week in expectation (smoothed), people.
        click_rate: This week's display clicks per online shopper of each platform (agent scale).
        search_clicks: This week's search clicks of each platform, people.
        search_rate: This week's search clicks per search session of each platform (agent
            scale; see :meth:`land_search`).
        searches: Last week's search sessions, people: what this week's search slots are
            sold on.
        search_open: Share of last week's search sessions by shoppers not yet each
            platform's customers: what the sellers expect a search click to find.
        own_rate: Sponsored clicks per search session on each platform's own pages,
            ``ad_load * search_click_through`` (see :meth:`sell_own_slots`).
        own_conversion: Orders per search session on each platform, a running estimate
            (``cost_memory``): what its shops expect a sponsored click to bring.
        own_revenue: What each platform's shops paid it for its own sponsored results since
            launch, yuan (part of its ad revenue).
    """

    def __init__(self, market: Market, customers: PlatformCustomers) -> None:
        self.market = market
        self.customers = customers
        n = len(market.platforms)
        self.seller_spend = np.zeros(n)
        self.seller_won = np.zeros(n)
        self.click_rate = np.zeros(n, dtype=np.float64)
        self.search_clicks = np.zeros(n, dtype=np.float64)
        self.search_rate = np.zeros(n, dtype=np.float64)
        self.searches = 0.0
        self.search_open = np.ones(n)
        self.own_rate = np.zeros(n)
        self.own_conversion = np.zeros(n)
        self.own_revenue = np.zeros(n)
        self._orders_seen = np.zeros(n)

    def customer_costs(self) -> np.ndarray:
        """What a new customer lately cost each platform's sellers, yuan (inf: none won)."""
        spend, won = self.seller_spend, self.seller_won
        cost = np.full(spend.size, np.inf)
        np.divide(spend, won, out=cost, where=won > 0)
        cost[(spend <= 0) & (won <= 0)] = 0.0
        return cost

    def set_budgets(self) -> None:
        """Under ``budget_rule: return``, each platform's sellers set this week's budget."""
        m = self.market
        costs = self.customer_costs()
        for platform in m.platforms:
            if platform.launched:
                value = platform.customer_value(m.basket_value)
                platform.buy_on_return(value, float(costs[platform.index]))

    def run(self, week: Week, promotion_spend: float = 0.0) -> None:
        """Sellers buy impressions; clicks are paid visits that may win new customers.

        Args:
            week: The week's counters.
            promotion_spend: In an event week, the extra traffic each platform buys itself,
                in weeks of its own marketing budget: its own budget is ``base_marketing *
                (1 + promotion_spend)``.
        """
        m = self.market
        att = m.config.attention
        pop = m.population
        w = m.people_per_consumer
        on_return = att.budget_rule == "return"
        if on_return:
            self.set_budgets()
        own = np.array([p.own_budget() for p in m.platforms], dtype=np.float64)
        if promotion_spend:
            own *= 1 + promotion_spend
        sellers = np.array([p.seller_budget() for p in m.platforms], dtype=np.float64)
        budgets = own + sellers
        online = np.flatnonzero(pop.online)
        mobile = float(np.count_nonzero(pop.mobile))
        display = (
            att.impressions_per_user
            * w
            * (online.size - mobile + att.mobile_impressions_factor * mobile)
        )
        search = attention.search_supply(
            self.searches, att.search_ads, att.search_click_through, att.click_through
        )
        supply = display + search
        price, impressions = attention.clear(budgets, supply, att.reserve_cpm / 1000)
        spend = impressions * price
        clicks = impressions * att.click_through
        # search slots' share of every bidder's clicks lands in searchers' sessions
        self.search_clicks = clicks * (search / supply) if search else np.zeros_like(clicks)
        clicks = clicks - self.search_clicks
        # the sellers' part of the spend is the platform's ad revenue; its own part, a cost
        sellers_part = np.divide(sellers, budgets, out=np.zeros_like(budgets), where=budgets > 0)
        for platform in m.platforms:
            k = platform.index
            platform.marketing_spend += spend[k]
            platform.year_spend += spend[k]
            platform.sell_traffic(spend[k] * sellers_part[k], spend[k] * (1 - sellers_part[k]))
        week.marketing_spend += float(spend.sum())
        self.click_rate = clicks / (w * online.size) if online.size else np.zeros_like(clicks)
        visitors, pid = attention.paid_visitors(online, clicks, att.paid_signup, w, m.rng)
        # clicks land on random online shoppers: split by device in expectation
        on_phone = mobile / online.size if online.size else 0.0
        self._book_visits(week, clicks, on_phone, visitors, pid)
        if on_return:  # the sellers' running estimate of what a customer costs them
            expected = attention.expected_sign_ups(clicks, att.paid_signup, pop.customer_of, online)
            expected += self.search_clicks * att.paid_signup * self.search_open
            won_by = expected * sellers_part
            a = att.cost_memory
            self.seller_spend = (1 - a) * self.seller_spend + a * spend * sellers_part
            self.seller_won = (1 - a) * self.seller_won + a * won_by

    def land_search(self, shoppers: np.ndarray, searches: np.ndarray | None, week: Week) -> None:
        """This week's search clicks land in the searchers' sessions.

        Each platform's search clicks fall on this week's search sessions, each equally
        likely: ``search_rate`` is the platform's clicks per search session (agent scale),
        which the visits read to trace orders to a click. A click by a searcher not yet the
        platform's customer makes one with ``paid_signup``. The week's search sessions are
        what next week's search slots are sold on, and their non-customer share is what the
        sellers expect a search click to find.

        Args:
            shoppers: This week's shoppers.
            searches: Their search sessions (``None`` in fixed session mode: no search ads).
            week: The week's counters.
        """
        m = self.market
        att = m.config.attention
        if searches is None:
            return
        searched = searches > 0
        searchers, sessions = shoppers[searched], searches[searched]
        orders = np.array([p.orders for p in m.platforms], dtype=np.float64)
        new_orders, self._orders_seen = orders - self._orders_seen, orders
        loads = np.array([p.ad_load for p in m.platforms], dtype=np.float64)
        # every week, so that a platform that stops showing ads stops being credited with them
        self.own_rate = loads * att.search_click_through
        if loads.any():
            self.sell_own_slots(searchers, sessions, loads, new_orders, week)
        if att.search_ads <= 0:
            return
        w = m.people_per_consumer
        total = float(sessions.sum())
        self.searches = total * w
        clicks = self.search_clicks
        self.search_rate = clicks / (w * total) if total else np.zeros_like(clicks)
        if total and clicks.sum() > 0:
            pop = m.population
            visitors, pid = attention.searchers_visiting(
                searchers, sessions, clicks, att.paid_signup, w, m.rng
            )
            self.search_open = attention.open_share(
                pop.customer_of, searchers, len(m.platforms), sessions
            )
            on_phone = float(sessions[pop.mobile[searchers]].sum()) / total
            self._book_visits(week, clicks, on_phone, visitors, pid)

    def sell_own_slots(
        self,
        searchers: np.ndarray,
        sessions: np.ndarray,
        loads: np.ndarray,
        orders: np.ndarray,
        week: Week,
    ) -> None:
        """Each platform sells the sponsored results in its own search sessions to its shops.

        Platform ``k`` hosts ``Q_k`` of the week's search sessions (a searcher's spread over
        its platforms, :func:`~o2osim.mechanisms.attention.sessions_by_platform`) and sells
        ``ad_load_k * search_click_through * Q_k`` clicks at
        :func:`~o2osim.mechanisms.attention.click_price`: the shops' margin on its price times
        the orders a search session on it brings (their running estimate), bid among its
        shops. What they pay is its ad revenue (and, passed on, part of their traffic cost per
        order); the clicks are paid sessions of its customers, which win no new customer but
        may carry an order.

        Args:
            searchers: This week's searchers.
            sessions: Their search sessions.
            loads: Each platform's ``ad_load``, sponsored results per search session.
            orders: This week's orders on each platform, people.
            week: The week's counters.
        """
        m = self.market
        att = m.config.attention
        w = m.people_per_consumer
        pop = m.population
        spread = attention.sessions_by_platform(
            pop.customer_of, searchers, sessions, len(m.platforms)
        )
        hosted = spread.sum(axis=0) * w
        clicks = self.own_rate * hosted
        kept = np.array([p.seller_margin_share(m.basket_value) for p in m.platforms])
        prices = np.array([p.price(m.basket_value) for p in m.platforms])
        shops = np.array([p.shops for p in m.platforms], dtype=np.float64)
        spend = clicks * attention.click_price(kept * prices * self.own_conversion, shops)
        for platform in m.platforms:
            k = platform.index
            if platform.launched and spend[k] > 0:
                platform.sell_traffic(float(spend[k]), 0.0)
                self.own_revenue[k] += spend[k]
                week.sponsored_spend += float(spend[k])
        paid = float(clicks.sum())
        if paid > 0:
            phone = float(spread[pop.mobile[searchers]].sum(axis=0) @ self.own_rate) * w
            self._count_paid(week, paid, phone / paid)
        seen = np.divide(orders, hosted, out=np.zeros_like(hosted), where=hosted > 0)
        a = att.cost_memory  # the shops' running estimate, as of what a customer costs
        self.own_conversion = np.where(
            self.own_conversion > 0, (1 - a) * self.own_conversion + a * seen, seen
        )

    def _count_paid(self, week: Week, paid: float, on_phone: float) -> None:
        """Count ``paid`` clicks (people) as paid sessions, ``on_phone`` of them on a phone."""
        week.online_visits += paid
        week.sessions_paid += paid
        week.sessions_mobile += paid * on_phone
        week.sessions_desktop += paid * (1.0 - on_phone)

    def _book_visits(
        self,
        week: Week,
        clicks: np.ndarray,
        on_phone: float,
        visitors: np.ndarray,
        pid: np.ndarray,
    ) -> None:
        """Count paid clicks as sessions (``on_phone`` of them on a phone) and sign up visitors.

        Args:
            week: The week's counters.
            clicks: This week's clicks of each platform of one kind (display or search), people.
            on_phone: Share of those clicks on a phone.
            visitors: The visits drawn to sign up (consumer indices, with repeats).
            pid: The platform of each visit.
        """
        self._count_paid(week, float(clicks.sum()), on_phone)
        won = attention.sign_up(self.market.population.customer_of, visitors, pid)
        self.customers.won_pairs(visitors[won], pid[won], "paid_customers", week)
