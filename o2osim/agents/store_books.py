"""The books of every store ever opened, as columns booked for all stores at once.

Stores are few next to consumers, but a city can hold thousands and each books every month, so
their books are columns; a :class:`o2osim.agents.stores.Store` agent is a view on one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def _grow(array: np.ndarray, value: float | int | bool) -> np.ndarray:
    return np.append(array, np.array([value], dtype=array.dtype))


@dataclass(eq=False)
class StoreBooks:
    """The books of every store ever opened, one row per store.

    Attributes:
        is_open: Whether the store still trades.
        cash: Cash on hand, yuan.
        losing_months: Losing months in a row.
        revenue: Sales since opening, yuan.
        profit: Profit since opening, yuan.
        units_sold: Orders sold since opening (real orders).
        last_month_profit: Profit of the last booked month, yuan.
        closed_tick: Tick of closure, -1 while open.
        dealer: Index of the dealer it buys from, -1 for none.
        month_sales: Sales of the month so far, yuan.
        month_units: Orders of the month so far (real orders).
        year_sales: Sales of the year so far, yuan (what entrepreneurs judge entry by).
        year_profit: Profit of the year so far, yuan (what a store judges its format by).
        format: The store's format, an index into
            :data:`o2osim.scenario.STORE_FORMATS` (0: a full store).
        format_tick: Tick the store last changed format, -1 if it never did.
        month_fees: Fees earned this month for serving online orders (pick-up), yuan.
        quality: Chance that a purchase at the store satisfies its buyer, 0-1.
        price: The store's own price of a basket this month, yuan (NaN: sellers do not set
            prices, the store charges the list price times ``stores.price_index``).
        markup: The store's markup over its unit cost (NaN when it sets no price).
        wholesale: What the store pays its dealer for a basket this month, yuan (NaN: a share
            of its sales, ``1 - gross_margin``).
        factory: What the brand gets for a basket of the store's goods, yuan (the dealer keeps
            ``wholesale - factory``; NaN when the store sets no price).
        unit_cost: The store's wholesale plus rent and wages per basket when it set its price,
            yuan (NaN when it sets no price).
        volume: Running average of baskets sold a month (NaN: no month booked yet).
        last_month_units: Baskets sold in the last booked month (real baskets).
        prev_month_units: Baskets sold in the month before it (real baskets).
    """

    is_open: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    cash: np.ndarray = field(default_factory=lambda: np.empty(0))
    losing_months: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    revenue: np.ndarray = field(default_factory=lambda: np.empty(0))
    profit: np.ndarray = field(default_factory=lambda: np.empty(0))
    units_sold: np.ndarray = field(default_factory=lambda: np.empty(0))
    last_month_profit: np.ndarray = field(default_factory=lambda: np.empty(0))
    closed_tick: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    dealer: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    month_sales: np.ndarray = field(default_factory=lambda: np.empty(0))
    month_units: np.ndarray = field(default_factory=lambda: np.empty(0))
    year_sales: np.ndarray = field(default_factory=lambda: np.empty(0))
    year_profit: np.ndarray = field(default_factory=lambda: np.empty(0))
    format: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int8))
    format_tick: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    month_fees: np.ndarray = field(default_factory=lambda: np.empty(0))
    quality: np.ndarray = field(default_factory=lambda: np.empty(0))
    price: np.ndarray = field(default_factory=lambda: np.empty(0))
    markup: np.ndarray = field(default_factory=lambda: np.empty(0))
    wholesale: np.ndarray = field(default_factory=lambda: np.empty(0))
    factory: np.ndarray = field(default_factory=lambda: np.empty(0))
    unit_cost: np.ndarray = field(default_factory=lambda: np.empty(0))
    volume: np.ndarray = field(default_factory=lambda: np.empty(0))
    last_month_units: np.ndarray = field(default_factory=lambda: np.empty(0))
    prev_month_units: np.ndarray = field(default_factory=lambda: np.empty(0))

    def add(self, cash: float, dealer: int, quality: float = 1.0) -> int:
        """Open a new row with ``cash``, the given dealer and quality; return its index."""
        self.is_open = _grow(self.is_open, True)
        self.cash = _grow(self.cash, cash)
        self.losing_months = _grow(self.losing_months, 0)
        for name in (
            "revenue",
            "profit",
            "units_sold",
            "last_month_profit",
            "month_sales",
            "month_units",
            "year_sales",
            "year_profit",
            "month_fees",
            "last_month_units",
            "prev_month_units",
        ):
            setattr(self, name, _grow(getattr(self, name), 0.0))
        for name in ("price", "markup", "wholesale", "factory", "unit_cost", "volume"):
            setattr(self, name, _grow(getattr(self, name), np.nan))
        self.closed_tick = _grow(self.closed_tick, -1)
        self.dealer = _grow(self.dealer, dealer)
        self.quality = _grow(self.quality, quality)
        self.format = _grow(self.format, 0)
        self.format_tick = _grow(self.format_tick, -1)
        return self.is_open.size - 1

    def set_terms(
        self, store: int, price: float, markup: float, wholesale: float, factory: float
    ) -> None:
        """Set a store's price, markup, wholesale and ex-factory prices (yuan per basket)."""
        self.price[store] = price
        self.markup[store] = markup
        self.wholesale[store] = wholesale
        self.factory[store] = factory

    def sell(self, units: np.ndarray, price: float | np.ndarray) -> None:
        """Record a week's baskets per store (real) at ``price`` yuan each (or each store's)."""
        self.month_sales += units * price
        self.month_units += units
        self.year_sales += units * price

    def earn_fees(self, fees: np.ndarray) -> None:
        """Record fees per store (yuan) for serving online orders; a fee has no cost of goods."""
        self.month_fees += fees

    def close_month(
        self,
        rent: float | np.ndarray,
        wages: float | np.ndarray,
        gross_margin: float,
        closure_after: int,
        tick: int,
        priced: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each open store books the month's sales: it keeps the gross margin, pays rent and wages.

        A store closes after ``closure_after`` losing months in a row, or when its cash runs
        out. Closed stores book nothing. The month's sales start again from zero.

        Args:
            rent: Rent due per store this month, yuan (one figure, or one per store).
            wages: Wages due per store this month, yuan (one figure, or one per store).
            gross_margin: Share of sales kept after the cost of goods.
            closure_after: Losing months in a row that close a store.
            tick: The current tick (recorded as the closing tick).
            priced: Whether stores set their own prices: the goods then cost each store its
                ``wholesale`` price per basket sold instead of ``1 - gross_margin`` of sales.

        Returns:
            The cost of goods each store pays its supplier this month (0 for closed stores),
            and the indices of the stores that close now.
        """
        trading = self.is_open
        sales, units = self.month_sales, self.month_units
        if priced:
            goods = np.where(trading, units * np.nan_to_num(self.wholesale), 0.0)
        else:
            goods = np.where(trading, sales * (1.0 - gross_margin), 0.0)
        fees = self.month_fees
        profit = np.where(trading, sales + fees - goods - rent - wages, 0.0)
        self.revenue += np.where(trading, sales + fees, 0.0)
        self.units_sold += np.where(trading, units, 0.0)
        self.profit += profit
        self.year_profit += profit
        self.cash += profit
        self.last_month_profit = np.where(trading, profit, self.last_month_profit)
        losing = trading & (profit < 0)
        self.losing_months = np.where(losing, self.losing_months + 1, 0).astype(np.int32)
        closing = np.flatnonzero(
            trading & ((self.losing_months >= closure_after) | (self.cash < 0))
        )
        self.is_open[closing] = False
        self.closed_tick[closing] = tick
        self.prev_month_units = self.last_month_units
        self.last_month_units = np.where(trading, units, 0.0)
        self.month_sales = np.zeros_like(sales)
        self.month_units = np.zeros_like(units)
        self.month_fees = np.zeros_like(fees)
        return goods, closing
