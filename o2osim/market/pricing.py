"""Price setting: at each month's end sellers set next month's prices.

The platforms' sellers first, then the stores (when ``pricing.sellers_set_prices`` is on).
"""

from __future__ import annotations

import numpy as np

from o2osim.agents.protocol import Market
from o2osim.market.stores import StoreNetwork
from o2osim.mechanisms import pricing


class PriceSetting:
    """The pricing phase: online sellers first, then the stores, whose cap the online prices set.

    Reads each platform's orders and its sellers' traffic spend (running totals, differenced
    month by month) and the store books; writes each platform's seller price
    (:meth:`Platform.set_price`) and, through the :class:`StoreNetwork`, each store's terms.

    Args:
        market: The market.
        network: The store network.

    Attributes:
        orders_seen: Each platform's orders up to the last month end (real orders).
        spend_seen: Each platform's sellers' traffic spend up to the last month end, yuan.
        last_orders: Each platform's orders in the last month (real orders).
    """

    def __init__(self, market: Market, network: StoreNetwork) -> None:
        self.market = market
        self.network = network
        self.on = market.config.pricing.sellers_set_prices
        n = len(market.platforms)
        self.orders_seen = np.zeros(n)
        self.spend_seen = np.zeros(n)
        self.last_orders = np.zeros(n)

    def online_prices(self) -> np.ndarray:
        """The price each launched platform's sellers charge this month, yuan per basket."""
        m = self.market
        return np.array([p.price(m.basket_value) for p in m.platforms if p.launched])

    def set_prices(self) -> None:
        """Month end: each launched platform's seller, then each open store, sets its price.

        An online seller's unit cost is the wholesale list price plus the traffic its
        platform's sellers bought per order last month; its markup follows its orders and, both
        ways, the cheapest other platform's price (``markup_rule: follow``), or is one logit
        choice scale over the unit cost (``logit``); ``P_k = (W0 + T_k) * (1 + m_k) / (1 - c_k)``.
        """
        if not self.on:
            return
        m = self.market
        pr = m.config.pricing
        platforms = m.platforms
        if platforms:
            orders_now = np.array([p.orders for p in platforms])
            spend_now = np.array([p.ad_revenue for p in platforms])
            orders = orders_now - self.orders_seen
            spend = spend_now - self.spend_seen
            before = self.last_orders
            self.orders_seen, self.spend_seen, self.last_orders = orders_now, spend_now, orders
            launched = np.array([p.launched for p in platforms])
            commission = np.array([p.commission for p in platforms])
            index = np.array([p.config.price_index for p in platforms])
            visible = np.array([p.price(m.basket_value) for p in platforms])
            visible[~launched] = np.inf
            markup = np.array([p.seller_markup for p in platforms])
            fresh = np.isnan(markup)
            if pr.online_markup is None:
                opening = pricing.opening_online_markup(index, commission, pr.wholesale_index)
            else:
                opening = np.full(len(platforms), pr.online_markup)
            markup = np.where(fresh, np.clip(opening, pr.markup_min, pr.markup_max), markup)
            before = np.where(fresh, 0.0, before)  # a new seller has no month to compare with
            traffic = pricing.traffic_per_order(
                spend, orders, np.array([p.traffic_per_order for p in platforms])
            )
            list_wholesale = pr.wholesale_index * m.basket_value
            unit_cost = list_wholesale + traffic
            if pr.markup_rule == "logit":
                markup = pricing.logit_markup(unit_cost, self.network.choice_scale())
            else:
                markup = pricing.follow_demand(markup, orders, before, pr.demand_response)
                rival = np.array(
                    [np.delete(visible, k).min(initial=np.inf) for k in range(len(platforms))]
                )
                markup = pricing.follow_rivals(
                    markup, unit_cost, rival, pr.rival_response, commission, only_down=False
                )
            markup = np.clip(markup, pr.markup_min, pr.markup_max)
            price = pricing.online_price(unit_cost, markup, commission)
            for k, platform in enumerate(platforms):
                if launched[k]:
                    platform.set_price(float(price[k]), float(markup[k]), float(traffic[k]))
        self.network.set_prices(self.online_prices())
