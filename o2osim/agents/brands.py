"""Brands: makers whose goods are sold through dealers and stores, and online."""

from __future__ import annotations

import math

import mesa
import numpy as np

from o2osim.mechanisms import decisions
from o2osim.scenario import CONDUCT_OPTIONS, BrandConfig


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
        active: Whether it sells: an online-native brand is inactive until it enters, a brand
            that decides is inactive once it has left.
        share_online: Its share of the goods sold online (its ``market_share`` unless it
            decides, see :class:`o2osim.market.rivalry.BrandRivalry`).
        share_offline: Its share of the goods sold in stores (0 for an online-native brand).
        marketing_online: What it paid platforms for its brand's marketing there, yuan.
        marketing_offline: What it paid outside media for its marketing, yuan.
        overheads: Its overheads (``fixed_cost``) since it began to decide, yuan.
        festival_sales: Its goods sold online in promotion-event weeks, yuan.
        carried: Share of the stores' goods bought through dealers that carry it (or from
            the brands directly): of its share of store sales, the part it makes.
        channel_strategy: The channel strategy in force (its ``channel_strategy`` unless it
            switched, :meth:`decide_conduct`).
        membership: The membership programme in force.
        fan_programme: Whether its fan programme is in force.
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
        native = config.kind == "online_native"
        self.active = not native
        self.share_online = config.market_share
        self.share_offline = 0.0 if native else config.market_share
        self.marketing_online = 0.0
        self.marketing_offline = 0.0
        self.overheads = 0.0
        self.festival_sales = 0.0
        self.carried = 1.0
        self.channel_strategy = config.channel_strategy
        self.membership = config.membership
        self.fan_programme = config.fan_programme
        self._search: decisions.Search | None = None

    def options(self, attribute: str) -> set:
        """The values a conduct has or may take: its setting and the options it may switch to.

        Args:
            attribute: ``channel_strategy``, ``membership`` or ``fan_programme``.

        Returns:
            The set of values.
        """
        listed = getattr(self.config, CONDUCT_OPTIONS[attribute])
        return {getattr(self.config, attribute), *listed}

    def switching(self) -> list[tuple[str, list]]:
        """The conduct it may switch: each setting with two or more options, and the options."""
        return [
            (attribute, list(getattr(self.config, options)))
            for attribute, options in CONDUCT_OPTIONS.items()
            if len(getattr(self.config, options)) > 1
        ]

    def decide_conduct(self, result: float, weight: float, trend_weight: float = 0.0) -> None:
        """Once a year, a brand that switches judges last year's switch and tries the next.

        Each list it has of two or more options (``strategies``, ``memberships``,
        ``fan_programmes``, :meth:`switching`) is a lever whose value is the position of the
        option in force; :func:`o2osim.mechanisms.decisions.hill_climb` keeps last year's
        switch if the year's result reached the brand's aspiration and takes it back
        otherwise, then moves the next list one option along (first toward the list's end, or
        its start from the end).

        Args:
            result: Last year's performance: its profit per yuan consumers paid in the market.
            weight: How far its aspiration moves toward the result, 0-1.
            trend_weight: How far its expected trend moves toward its aspiration's change.
        """
        levers = self.switching()
        high = np.array([len(options) - 1.0 for _, options in levers])
        if self._search is None:
            values = np.array([float(options.index(getattr(self, a))) for a, options in levers])
            self._search = decisions.Search(values, np.where(values >= high, -1.0, 1.0))
        n = len(levers)
        self._search = decisions.hill_climb(
            self._search, result, np.ones(n), np.zeros(n), high, weight, trend_weight
        )
        for (attr, options), value in zip(levers, self._search.values, strict=True):
            setattr(self, attr, options[round(value)])

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

    def pay_marketing(self, platforms: float, media: float, overheads: float) -> None:
        """Pay a week's brand marketing and overheads, yuan.

        ``platforms`` goes to the platforms as brand advertising (booked by
        :meth:`o2osim.agents.platforms.Platform.sell_brand_ads`), ``media`` to outside media
        (television, outdoor, print) and ``overheads`` to the services that run the brand.
        """
        self.marketing_online += platforms
        self.marketing_offline += media
        self.overheads += overheads
        self.model.ledger.book("brand_media", media)
        self.model.ledger.book("brand_overheads", overheads)

    @property
    def contribution_online(self) -> float:
        """Online revenue less the production and channel costs of online sales, yuan."""
        return self.revenue_online - self.cost_online - self.channel_costs

    @property
    def profit_online(self) -> float:
        """Online contribution less the brand's marketing on the platforms, yuan."""
        return self.contribution_online - self.marketing_online

    def buy_traffic(self, amount: float) -> None:
        """Its online shops pay ``amount`` yuan for traffic (an online channel cost)."""
        self.ad_spend += amount
        self.channel_costs += amount

    def pay_points(self, in_stores: float, online: float) -> None:
        """Pay for the points members earned this week in stores and online, yuan."""
        self.points_offline += in_stores
        self.channel_costs += online

    @property
    def contribution_offline(self) -> float:
        """Wholesale revenue less the production cost of store goods and stock, and points, yuan."""
        return (
            self.revenue_offline
            - self.stock_taken_back
            - self.cost_offline
            - self.cost_stock
            - self.points_offline
        )

    @property
    def profit_offline(self) -> float:
        """Offline contribution less the brand's marketing in outside media, yuan."""
        return self.contribution_offline - self.marketing_offline

    @property
    def production_cost(self) -> float:
        """Production cost of everything it sold or shipped into stock, yuan."""
        return self.cost_offline + self.cost_online + self.cost_stock

    @property
    def profit(self) -> float:
        """Profit from both channels less overheads, yuan."""
        return self.profit_online + self.profit_offline - self.overheads
