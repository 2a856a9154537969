"""Physical stores: a place to see and touch the goods, with rent and wages to pay."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from o2osim.scenario import StoreConfig

if TYPE_CHECKING:
    from o2osim.agents.dealers import Dealer


class Store(mesa.Agent):
    """A physical store that books a profit and loss each month and closes after losing too long.

    Attributes:
        index: Position of the store in the model's store arrays.
        x: East coordinate, km.
        y: North coordinate, km.
        dealer: The dealer the store buys its goods from (or ``None``).
        is_open: Whether the store still trades.
        cash: Cash on hand, yuan.
        losing_months: Losing months in a row.
        revenue: Sales since opening, yuan.
        profit: Profit since opening, yuan.
        units_sold: Orders sold since opening (real orders, not agent orders).
        closed_tick: Tick of closure, or ``None`` while open.
    """

    def __init__(
        self,
        model: mesa.Model,
        index: int,
        x: float,
        y: float,
        config: StoreConfig,
        dealer: Dealer | None,
    ) -> None:
        super().__init__(model)
        self.index = index
        self.x, self.y = x, y
        self.dealer = dealer
        self.config = config
        self.is_open = True
        self.cash = config.initial_cash
        self.losing_months = 0
        self.revenue = 0.0
        self.profit = 0.0
        self.units_sold = 0.0
        self.last_month_profit = 0.0
        self.closed_tick: int | None = None

    def close_month(self, sales: float, units: float, rent: float, wages: float) -> bool:
        """Book one month: keep the gross margin of sales, pay goods, rent and wages.

        Args:
            sales: Revenue this month, yuan.
            units: Orders sold this month.
            rent: Rent due this month, yuan.
            wages: Wages due this month, yuan.

        Returns:
            True if the store closes at the end of this month.
        """
        goods = sales * (1.0 - self.config.gross_margin)
        if self.dealer is not None:
            self.dealer.supply(goods)
        else:  # no dealer left: the store buys straight from the brands
            for brand in self.model.brands:
                brand.sell_wholesale(goods * brand.config.market_share)
        profit = sales - goods - rent - wages
        self.revenue += sales
        self.units_sold += units
        self.profit += profit
        self.cash += profit
        self.last_month_profit = profit
        self.losing_months = self.losing_months + 1 if profit < 0 else 0
        if self.losing_months >= self.config.closure_after_loss_months or self.cash < 0:
            self.is_open = False
            self.closed_tick = self.model.steps
        return not self.is_open
