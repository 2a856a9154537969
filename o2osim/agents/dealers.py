"""Dealers: regional distributors that buy from brands and supply stores at a margin."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from o2osim.mechanisms import stock
from o2osim.scenario import DealerConfig

if TYPE_CHECKING:
    from o2osim.agents.brands import Brand


class Dealer(mesa.Agent):
    """A regional distributor: earns its margin on the goods its stores buy, pays a fixed cost.

    It sells the brands' goods from its stock, filled by each brand's production mode
    (:mod:`o2osim.mechanisms.stock`), and pays to hold it; a dealer that exits writes its
    stock off.

    Attributes:
        index: Position of the dealer in the model's dealer list.
        x: East coordinate of the warehouse, km.
        y: North coordinate of the warehouse, km.
        revenue: Goods sold to stores since the start, yuan.
        margin: Gross margin since the start (what it kept of the goods it sold), yuan.
        profit: Margin minus fixed costs since the start, yuan.
        active: Whether the dealer still trades.
        losing_months: Losing months in a row.
        stock: Baskets of each brand's goods in its warehouse.
        lot: Baskets of each push brand's goods it must take every month this year (NaN:
            no plan, it orders like a pull brand's dealer).
        year_sold: Baskets of each brand its stores bought this year.
        last_year_sold: Baskets of each brand its stores bought last year.
        first_year_sold: Baskets of each brand its stores bought in its first year.
        years: Years of sales it has closed.
        year_stock: Baskets in stock at each month's end this year, summed over the months.
        unit_price: What it last paid a brand for a basket, yuan (NaN before any purchase).
        stock_paid: What it paid for goods beyond those its stores bought since the start (net
            of what it drew from stock), yuan.
        holding: What holding stock has cost it since the start, yuan.
        written_off: Value of the stock it wrote off when it exited, yuan.
        shared: Value of the stock brands took back for their online orders, yuan.
        carries: Whether it carries each brand (its stores buy another maker's goods in place
            of a brand it dropped).
        year_margin: Its gross margin this year, yuan.
        year_goods: Goods its stores bought this year, yuan.
        year_months: Months it closed this year.
    """

    def __init__(
        self,
        model: mesa.Model,
        index: int,
        x: float,
        y: float,
        config: DealerConfig,
        brands: list[Brand],
    ) -> None:
        super().__init__(model)
        self.index = index
        self.x, self.y = x, y
        self.config = config
        self.brands = brands
        self.revenue = 0.0
        self.margin = 0.0
        self.profit = 0.0
        self.month_revenue = 0.0
        self.month_margin = 0.0
        self.active = True
        self.losing_months = 0
        n = len(brands)
        self.stock = np.zeros(n)
        self.lot = np.full(n, np.nan)
        self.year_sold = np.zeros(n)
        self.last_year_sold = np.zeros(n)
        self.first_year_sold = np.zeros(n)
        self.years = 0
        self.year_stock = 0.0
        self.unit_price = float("nan")
        self.stock_paid = self.holding = self.written_off = 0.0
        self.month_stock_paid = self.month_holding = 0.0
        self._push = np.array([b.config.production == "push" for b in brands], dtype=bool)
        self._shared = np.array([b.config.shared_inventory for b in brands], dtype=bool)
        self.shared = 0.0
        self.holds_stock = config.stock_cover > 0 or bool(self._push.any())
        self.carries = np.ones(n, dtype=bool)
        self.year_margin = self.year_goods = 0.0
        self.year_months = 0

    def supply(self, goods: float, mix: list[float], margin: float | None = None) -> float:
        """Sell goods worth ``goods`` yuan to stores and buy them from the brands.

        The stores pay ``goods``; the brands (and the rival makers, for the rest of the mix)
        are paid what the dealer does not keep; all three transfers are booked in the ledger.

        Args:
            goods: What the stores pay, yuan.
            mix: Each brand's share of the goods (the rest are rivals' goods); the share of a
                brand it does not carry goes to rival makers.
            margin: What the dealer keeps, yuan, when sellers set prices (the wholesale minus
                the ex-factory price per basket, times baskets); ``None``: its ``margin`` share.

        Returns:
            What it paid the makers, yuan.
        """
        kept = goods * self.config.margin if margin is None else margin
        self.month_revenue += goods
        self.month_margin += kept
        self.year_goods += goods
        bought = goods - kept if margin is not None else goods * (1.0 - self.config.margin)
        ledger = self.model.ledger
        ledger.book("goods_to_dealers", goods)
        mix = self.carried(mix)
        for brand, share in zip(self.brands, mix, strict=True):
            brand.sell_wholesale(bought * share)
        ledger.book("wholesale_rivals", bought * (1.0 - sum(mix)))  # rivals' goods
        return bought

    def carried(self, mix: list[float]) -> list[float]:
        """Each brand's share of its goods: the stores' ``mix``, 0 for a brand it dropped."""
        if self.carries.all():
            return mix
        return [share if kept else 0.0 for share, kept in zip(mix, self.carries, strict=True)]

    def choose_brands(self, shares: list[float], active: list[bool]) -> int:
        """Year end: carry next year each brand whose margin here pays what carrying it costs.

        It estimates a brand's margin as its monthly margin this year times the brand's share
        of the stores' goods, ``share_b``, and carries the brand when ``margin / month *
        share_b >= brand_cost_y`` (:meth:`brand_cost`; a brand that has left is dropped).
        With no month closed it keeps what it carries.

        Args:
            shares: Each brand's share of the stores' goods now.
            active: Whether each brand still sells.

        Returns:
            Brands it dropped.
        """
        if self.year_months == 0:
            return 0
        monthly = self.year_margin / self.year_months
        cost = self.brand_cost()
        keep = np.array(
            [on and monthly * share >= cost for share, on in zip(shares, active, strict=True)]
        )
        dropped = int(np.count_nonzero(self.carries & ~keep & np.asarray(active)))
        self.carries = keep
        return dropped

    def brand_cost(self) -> float:
        """What carrying a brand costs it a month this year: ``brand_cost`` grown with wages, yuan.

        ``brand_cost * W_y / W_0`` (a sales team's cost), with ``W`` a store's wage bill; 0
        when ``brand_cost`` is 0.
        """
        base = self.config.brand_cost
        if base == 0:
            return 0.0
        start = self.model.config.stores.wages
        return base * self.model.wages / start if start > 0 else base

    def new_year(self) -> None:
        """The year's margin, goods and months start again."""
        self.year_margin = self.year_goods = 0.0
        self.year_months = 0

    def take_over(self, other: Dealer) -> None:
        """Buy a failing dealer's business: its stock of the brands it carries; ``other`` exits.

        The stock moves at ``other``'s price per basket, paid to its owners within the
        dealers' account (an asset changing hands, no profit or loss for either); ``other``
        writes off what is left (the brands the buyer does not carry) and exits.
        """
        bought = other.stock * self.carries
        if bought.any():
            if np.isnan(self.unit_price):
                self.unit_price = other.unit_price
            self.stock = self.stock + bought
            other.stock = other.stock - bought
        other.exit()

    def restock(
        self, sold_units: float, bought: float, mix: list[float], online_units: float = 0.0
    ) -> None:
        """Month end: the month's sales leave the stock and each brand's deliveries refill it.

        The brands' goods its stores bought (``sold_units`` times each brand's share ``mix``)
        leave the stock; a pull brand delivers what tops it up to ``stock_cover`` months of the
        month's sales, a push brand its planned lot (or what the sales took beyond the stock).
        The dealer pays each brand, at this month's price per basket ``bought / sold_units``,
        for what it delivered beyond the month's sales (it already paid for those in
        :meth:`supply`). A brand that shares its inventory then takes the online orders of
        the dealer's region (``online_units`` times its market share) out of the stock beyond
        the cover and refunds the dealer at the same price. The dealer pays ``holding_cost`` a
        year on the value of the stock it holds.

        Args:
            sold_units: Baskets its stores bought this month (real; rivals' goods included).
            bought: What it paid the makers for them, yuan (from :meth:`supply`).
            mix: Each brand's share of the goods.
            online_units: Online orders from the homes its stores serve this month (real).
        """
        if not self.holds_stock:
            return
        if sold_units > 0 and bought > 0:
            self.unit_price = bought / sold_units
        if np.isnan(self.unit_price):
            return  # it never sold a basket: no sales, no plan, no stock
        sold = sold_units * np.asarray(self.carried(mix), dtype=float)
        planned = self._push & ~np.isnan(self.lot)
        delivered = np.where(
            planned,
            stock.push_delivery(np.nan_to_num(self.lot), sold, self.stock),
            stock.pull_order(sold, self.stock, self.config.stock_cover),
        )
        extra = delivered - sold
        self.stock = np.maximum(self.stock + extra, 0.0)
        price = self.unit_price
        for brand, units in zip(self.brands, extra, strict=True):
            brand.ship_stock(float(units), float(units) * price)
        self.month_stock_paid = float(extra.sum()) * price
        if self._shared.any() and online_units > 0:
            share = np.array([b.share_online for b in self.brands])
            online = online_units * share * self._shared * self.carries
            taken = stock.shared_take(online, self.stock, sold, self.config.stock_cover)
            self.stock = self.stock - taken
            for brand, units in zip(self.brands, taken, strict=True):
                if units > 0:
                    brand.take_back(float(units), float(units) * price)
            self.month_stock_paid -= float(taken.sum()) * price
            self.shared += float(taken.sum()) * price
        self.year_sold += sold
        self.year_stock += float(self.stock.sum())
        self.month_holding = stock.holding_cost(self.stock_value, self.config.holding_cost)
        self.model.ledger.book("stock_holding", self.month_holding)

    @property
    def stock_value(self) -> float:
        """The brands' goods in its warehouse at its last price per basket, yuan."""
        if np.isnan(self.unit_price):
            return 0.0
        return float(self.stock.sum()) * self.unit_price

    def close_year(self) -> None:
        """Year end: each push brand plans next year's monthly lot here; the year rolls over.

        The lot is :func:`o2osim.mechanisms.stock.push_lot` of the forecast
        :func:`o2osim.mechanisms.stock.push_forecast` from this year's and the first year's
        sales.
        """
        if not self.holds_stock:
            return
        self.years += 1
        if self.years == 1:
            self.first_year_sold = self.year_sold
        forecast = stock.push_forecast(self.year_sold, self.first_year_sold, self.years)
        lot = stock.push_lot(forecast, self.stock, self.config.stock_cover)
        self.lot = np.where(self._push, lot, np.nan)
        self.last_year_sold = self.year_sold
        self.year_sold = np.zeros_like(self.year_sold)
        self.year_stock = 0.0

    def take_routed(self, value: float, margin: float) -> None:
        """Deliver orders worth ``value`` yuan that a brand routed here, keeping ``margin``."""
        self.month_revenue += value
        self.month_margin += value * margin
        ledger = self.model.ledger  # the brand pays the order's value, the dealer its goods
        ledger.book("routed_orders", value)
        ledger.book("routed_goods", value - value * margin)

    def close_month(self) -> bool:
        """Book one month: margin on this month's supplies minus the fixed and holding costs.

        Its owners keep the profit less what it paid into stock this month (the stock is
        theirs).

        Its costs are ``fixed_cost`` plus ``brand_cost`` for each brand it carries.

        Returns:
            True if the dealer is failing: its margin has not covered its costs for
            ``exit_after_loss_months`` months in a row (it then exits, :meth:`exit`, or
            sells its business to another, :meth:`take_over`).
        """
        costs = self.config.fixed_cost + self.brand_cost() * int(self.carries.sum())
        profit = self.month_margin - costs - self.month_holding
        ledger = self.model.ledger
        ledger.book("dealer_costs", costs)
        ledger.keep("dealers", profit - self.month_stock_paid)
        self.revenue += self.month_revenue
        self.margin += self.month_margin
        self.year_margin += self.month_margin
        self.year_months += 1
        self.profit += profit
        self.holding += self.month_holding
        self.stock_paid += self.month_stock_paid
        self.month_revenue = self.month_margin = 0.0
        self.month_holding = self.month_stock_paid = 0.0
        self.losing_months = self.losing_months + 1 if profit < 0 else 0
        return self.losing_months >= self.config.exit_after_loss_months

    def exit(self) -> None:
        """It stops trading and writes its stock off: a loss to its owners."""
        self.active = False
        lost = self.stock_value
        self.written_off += lost
        self.profit -= lost
        self.stock[:] = 0.0
