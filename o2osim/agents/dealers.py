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
        margin: Gross margin since the start (what it kept of the goods it sold), yuan.
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
        self.margin = 0.0
        self.profit = 0.0
        self.month_revenue = 0.0
        self.month_margin = 0.0
        self.active = True
        self.losing_months = 0

    def supply(self, goods: float, mix: list[float], margin: float | None = None) -> None:
        """Sell goods worth ``goods`` yuan to stores and buy them from the brands.

        The stores pay ``goods``; the brands (and the rival makers, for the rest of the mix)
        are paid what the dealer does not keep; all three transfers are booked in the ledger.

        Args:
            goods: What the stores pay, yuan.
            mix: Each brand's share of the goods (the rest are rivals' goods).
            margin: What the dealer keeps, yuan, when sellers set prices (the wholesale minus
                the ex-factory price per basket, times baskets); ``None``: its ``margin`` share.
        """
        kept = goods * self.config.margin if margin is None else margin
        self.month_revenue += goods
        self.month_margin += kept
        bought = goods - kept if margin is not None else goods * (1.0 - self.config.margin)
        ledger = self.model.ledger
        ledger.book("goods_to_dealers", goods)
        for brand, share in zip(self.brands, mix, strict=True):
            brand.sell_wholesale(bought * share)
        ledger.book("wholesale_rivals", bought * (1.0 - sum(mix)))  # rivals' goods

    def take_routed(self, value: float, margin: float) -> None:
        """Deliver orders worth ``value`` yuan that a brand routed here, keeping ``margin``."""
        self.month_revenue += value
        self.month_margin += value * margin
        ledger = self.model.ledger  # the brand pays the order's value, the dealer its goods
        ledger.book("routed_orders", value)
        ledger.book("routed_goods", value - value * margin)

    def close_month(self) -> bool:
        """Book one month: margin on this month's supplies minus the fixed cost.

        Returns:
            True if the dealer exits: its margin has not covered its fixed cost for
            ``exit_after_loss_months`` months in a row.
        """
        profit = self.month_margin - self.config.fixed_cost
        ledger = self.model.ledger
        ledger.book("dealer_costs", self.config.fixed_cost)
        ledger.keep("dealers", profit)
        self.revenue += self.month_revenue
        self.margin += self.month_margin
        self.profit += profit
        self.month_revenue = self.month_margin = 0.0
        self.losing_months = self.losing_months + 1 if profit < 0 else 0
        if self.losing_months >= self.config.exit_after_loss_months:
            self.active = False
        return not self.active
