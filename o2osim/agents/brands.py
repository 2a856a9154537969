"""Brands: makers whose goods are sold through dealers and stores, and online."""

from __future__ import annotations

import math

import mesa

from o2osim.scenario import BrandConfig


class Brand(mesa.Agent):
    """A brand: sells wholesale to dealers and directly on platforms, pays production cost.

    Attributes:
        index: Position of the brand in the model's brand list.
        revenue_offline: Wholesale revenue from dealers (and stores buying direct), yuan.
        revenue_online: Online sales after platform commission, yuan.
        cost_offline: Production cost of the goods sold in stores, yuan.
        cost_online: Production cost of the goods sold online, yuan.
        cost_stock: Production cost of the goods in its dealers' stock (what it shipped beyond
            their sales, net of what they drew from stock or it took back), yuan.
        stock_taken_back: What it paid its dealers for stock taken back for online orders
            (shared inventory), yuan.
        channel_costs: What the online channel costs besides production: pick-up fees paid to
            stores, margins paid to dealers on routed orders, awareness building, yuan.
        units_offline: Baskets of its goods sold in stores (real baskets).
        units_online: Baskets of its goods sold online (real baskets).
        awareness: Share of consumers who know its online-only brand (``brand_split``).
        points_offline: Members' points earned in stores, paid by the brand, yuan (online
            points are channel costs).
        ad_spend: What its online shops spent on traffic, yuan (part of its channel costs).
        new_customers: Customers won: people who bought its goods after buying another's (or
            nothing) last time (real people).
    """

    def __init__(
        self, model: mesa.Model, index: int, config: BrandConfig, list_price: float
    ) -> None:
        super().__init__(model)
        self.index = index
        self.name = config.name
        self.config = config
        self.list_price = list_price
        self.revenue_offline = 0.0
        self.revenue_online = 0.0
        self.cost_offline = 0.0
        self.cost_online = 0.0
        self.cost_stock = 0.0
        self.stock_taken_back = 0.0
        self.channel_costs = 0.0
        self.units_offline = 0.0
        self.units_online = 0.0
        self.awareness = config.online_brand_awareness
        self.points_offline = 0.0
        self.ad_spend = 0.0
        self.new_customers = 0.0

    def sell_wholesale(self, amount: float, payer: str = "dealers") -> None:
        """Receive ``amount`` yuan from a dealer (a store: ``payer="stores"``) for store goods."""
        self.revenue_offline += amount
        self.model.ledger.book("wholesale" if payer == "dealers" else "goods_to_brands", amount)

    def ship_stock(self, units: float, value: float) -> None:
        """Ship ``units`` baskets into a dealer's stock (negative: drawn from it), paid ``value``.

        The dealer's payment is wholesale revenue (sell-in); the brand pays the baskets'
        production cost.
        """
        self.revenue_offline += value
        self.cost_stock += units * self.list_price * self.config.unit_cost
        self.model.ledger.book("stock_purchases", value)

    def take_back(self, units: float, value: float) -> None:
        """Buy back ``units`` baskets of a dealer's stock for ``value`` yuan, for online orders.

        Shared inventory: the baskets leave the dealers' stock (their production cost moves
        from the stock to the online sales that booked it) and the brand refunds the dealer.
        """
        self.stock_taken_back += value
        self.cost_stock -= units * self.list_price * self.config.unit_cost
        self.model.ledger.book("stock_taken_back", value)

    def sell_online(self, amount: float, units: float) -> None:
        """Receive ``amount`` yuan (after commission) for ``units`` baskets sold on a platform."""
        self.revenue_online += amount
        self.units_online += units
        self.model.ledger.book("online_revenue", amount)
        self.cost_online += units * self.list_price * self.config.unit_cost

    def make_for_stores(self, units: float) -> None:
        """Pay the production cost of ``units`` baskets sold in stores."""
        self.units_offline += units
        self.cost_offline += units * self.list_price * self.config.unit_cost

    def pay_for_channel(self, amount: float) -> None:
        """Pay ``amount`` yuan for online fulfilment or marketing (fees, routed margins)."""
        self.channel_costs += amount

    def build_awareness(self, weeks_per_year: int) -> None:
        """One week of building the online-only brand (``brand_split``).

        One week of building the online-only brand (``brand_split``): awareness grows toward
        everyone at ``awareness_growth`` per year, at ``awareness_cost`` per year.
        """
        c = self.config
        self.awareness += (1.0 - self.awareness) * -math.expm1(-c.awareness_growth / weeks_per_year)
        self.pay_for_channel(c.awareness_cost / weeks_per_year)

    @property
    def profit_online(self) -> float:
        """Online revenue minus the production and channel costs of online sales, yuan."""
        return self.revenue_online - self.cost_online - self.channel_costs

    def buy_traffic(self, amount: float) -> None:
        """Its online shops pay ``amount`` yuan for traffic (an online channel cost)."""
        self.ad_spend += amount
        self.channel_costs += amount

    def pay_points(self, in_stores: float, online: float) -> None:
        """Pay for the points members earned this week in stores and online, yuan."""
        self.points_offline += in_stores
        self.channel_costs += online

    @property
    def profit_offline(self) -> float:
        """Wholesale revenue less the production cost of store goods and stock, and points, yuan."""
        return (
            self.revenue_offline
            - self.stock_taken_back
            - self.cost_offline
            - self.cost_stock
            - self.points_offline
        )

    @property
    def production_cost(self) -> float:
        """Production cost of everything it sold or shipped into stock, yuan."""
        return self.cost_offline + self.cost_online + self.cost_stock

    @property
    def profit(self) -> float:
        """Profit from both channels, yuan."""
        return self.profit_online + self.profit_offline
