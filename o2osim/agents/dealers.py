"""Dealers: regional distributors that buy from brands and supply stores at a margin."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from o2osim.scenario import DealerConfig

if TYPE_CHECKING:
    from o2osim.agents.brands import Brand


class Dealer(mesa.Agent):
    """A regional distributor: earns its margin on the goods its stores buy, pays a fixed cost.

    Attributes:
        index: Position of the dealer in the model's dealer list.
        x: East coordinate of the warehouse, km.
        y: North coordinate of the warehouse, km.
        revenue: Goods sold to stores since the start, yuan.
        profit: Margin minus fixed costs since the start, yuan.
        active: Whether the dealer still trades.
        losing_months: Losing months in a row.
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
        self.profit = 0.0
        self.month_revenue = 0.0
        self.active = True
        self.losing_months = 0

    def supply(self, goods: float) -> None:
        """Sell goods worth ``goods`` yuan to a store and buy them from the brands."""
        self.month_revenue += goods
        bought = goods * (1.0 - self.config.margin)
        for brand in self.brands:
            brand.sell_wholesale(bought * brand.config.market_share)

    def close_month(self) -> bool:
        """Book one month: margin on this month's supplies minus the fixed cost.

        Returns:
            True if the dealer exits: its margin has not covered its fixed cost for
            ``exit_after_loss_months`` months in a row.
        """
        profit = self.month_revenue * self.config.margin - self.config.fixed_cost
        self.revenue += self.month_revenue
        self.profit += profit
        self.month_revenue = 0.0
        self.losing_months = self.losing_months + 1 if profit < 0 else 0
        if self.losing_months >= self.config.exit_after_loss_months:
            self.active = False
        return not self.active
