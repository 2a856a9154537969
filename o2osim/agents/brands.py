"""Brands: makers whose goods are sold through dealers and stores, and online."""

from __future__ import annotations

import mesa

from o2osim.scenario import BrandConfig


class Brand(mesa.Agent):
    """A brand: sells wholesale to dealers and directly on platforms, pays production cost.

    Attributes:
        index: Position of the brand in the model's brand list.
        revenue_offline: Wholesale revenue from dealers, yuan.
        revenue_online: Online sales after platform commission, yuan.
        production_cost: Cost of the goods it made, yuan.
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
        self.production_cost = 0.0

    def sell_wholesale(self, amount: float) -> None:
        """Receive ``amount`` yuan from a dealer for goods that end up in stores."""
        self.revenue_offline += amount

    def sell_online(self, amount: float, units: float) -> None:
        """Receive ``amount`` yuan (after commission) for ``units`` orders sold on a platform."""
        self.revenue_online += amount
        self.production_cost += units * self.list_price * self.config.unit_cost

    def make_for_stores(self, units: float) -> None:
        """Pay the production cost of ``units`` orders sold in stores."""
        self.production_cost += units * self.list_price * self.config.unit_cost

    @property
    def profit(self) -> float:
        """Revenue from both channels minus production cost, yuan."""
        return self.revenue_offline + self.revenue_online - self.production_cost
