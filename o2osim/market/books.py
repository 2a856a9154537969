"""The year's close: churn of customers by platform, shop and store, and the firms' year."""

from __future__ import annotations

import numpy as np

from o2osim.agents.protocol import Market
from o2osim.market.brands import BrandDesk
from o2osim.market.online import OnlineSelling
from o2osim.mechanisms import churn
from o2osim.metrics import cost_per_new_customer


class YearEnd:
    """The year-end phase: count lost customers and close the firms' year.

    Reads and then rolls over the population's yearly purchase marks; a platform's customer
    who neither bought nor was won this year is lost and must be won again.

    Args:
        market: The market.
        desk: The brands' desk (the firms' books of the year).
        online: Online selling (first orders at shops and their repeats).
    """

    def __init__(self, market: Market, desk: BrandDesk, online: OnlineSelling) -> None:
        self.market = market
        self.desk = desk
        self.online = online
        self.active_before = np.zeros(len(market.platforms))
        self.online_active_before = 0.0

    def markups(self) -> dict[str, float]:
        """The year's last markups of stores and online sellers.

        ``markup_store`` is the open stores' markup weighted by their last month's baskets,
        ``sum(P_s q_s) / sum(u_s q_s) - 1`` (what they charge over unit cost, the cap
        included); ``markup_online`` the launched platforms' sellers' mean markup (0 where
        there is none).
        """
        m = self.market
        books = m.store_books
        charging = books.is_open & ~np.isnan(books.unit_cost)
        sold = books.last_month_units[charging]
        cost = float(books.unit_cost[charging] @ sold)
        store = float(books.price[charging] @ sold) / cost - 1.0 if cost > 0 else 0.0
        online = [p.seller_markup for p in m.platforms if p.launched]
        online = [x for x in online if not np.isnan(x)]
        return {
            "markup_store": store,
            "markup_online": float(np.mean(online)) if online else 0.0,
        }

    def close(self) -> dict[str, float]:
        """Count lost customers; lost platform customers must be won again.

        Returns:
            The year's row: churn by platform, shop and store, traffic cost (spend per net new
            buyer, blended and by platform), cost per new customer by platform, and the firms'
            books of the year.
        """
        m = self.market
        pop = m.population
        lost_by, base_by = churn.platform_churn_by(
            pop.bought_last_year, pop.bought_this_year, len(m.platforms)
        )
        lost_pf, base_pf = float(lost_by.sum()), float(base_by.sum())
        lost_on, base_on = churn.seller_churn(pop.shop_last_year, pop.shop_came_back)
        lost_off, base_off = churn.seller_churn(pop.store_last_year, pop.came_back)
        row: dict[str, float] = {
            "year": m.year,
            "basket_value": m.basket_value,
            "annual_churn_online": lost_on / base_on if base_on else 0.0,
            "annual_churn_offline": lost_off / base_off if base_off else 0.0,
            "annual_churn_platform": lost_pf / base_pf if base_pf else 0.0,
        }
        first, repeated = self.online.year_repeats()
        row["repeat_after_first_order"] = repeated / first if first else 0.0
        w = m.people_per_consumer
        active, online_active = churn.active_buyers(pop.bought_this_year, len(m.platforms))
        active, online_active = active * w, online_active * w
        spend = 0.0
        for platform in m.platforms:
            k = platform.index
            row[f"traffic_cost_{platform.name}"] = churn.cost_per_net_new_buyer(
                platform.year_spend, active[k], self.active_before[k], w
            )
            row[f"cost_per_new_customer_{platform.name}"] = cost_per_new_customer(
                platform.year_spend, platform.year_new_customers, w
            )
            row[f"active_buyers_{platform.name}"] = active[k]
            platform.observe_year(
                platform.year_orders / active[k] if active[k] > 0 else 0.0,
                lost_by[k] / base_by[k] if base_by[k] > 0 else None,
            )
            spend += platform.year_spend
        row["traffic_cost"] = churn.cost_per_net_new_buyer(
            spend, online_active, self.online_active_before, w
        )
        row["active_buyers_online"] = online_active
        self.active_before, self.online_active_before = active, online_active
        row |= self.desk.year_books()
        if m.config.pricing.sellers_set_prices:
            row |= self.markups()
        pop.customer_of &= pop.bought_this_year | pop.won_this_year
        pop.won_this_year[:] = 0
        pop.bought_last_year[:] = pop.bought_this_year
        pop.bought_this_year[:] = 0
        pop.store_last_year[:] = pop.store_this_year
        pop.store_this_year[:] = -1
        pop.came_back[:] = False
        pop.shop_last_year[:] = pop.shop_this_year
        pop.shop_this_year[:] = -1
        pop.shop_came_back[:] = False
        return row
