"""Online platforms: marketplaces that launch in a given year and live on commission."""

from __future__ import annotations

import mesa

from o2osim.scenario import PlatformConfig


class Platform(mesa.Agent):
    """An online marketplace: takes a commission on every order once it has launched.

    Attributes:
        index: Position of the platform in the model's platform list (its column in trust).
        name: Platform name.
        launched: Whether it is open for business.
        gmv: Gross merchandise value sold since launch, yuan.
        orders: Orders since launch (real orders).
        commission_revenue: Commission earned, yuan.
        bad_orders: Counterfeit, wrong or damaged orders (real orders).
    """

    def __init__(self, model: mesa.Model, index: int, config: PlatformConfig) -> None:
        super().__init__(model)
        self.index = index
        self.name = config.name
        self.config = config
        self.launched = False
        self.gmv = 0.0
        self.orders = 0.0
        self.commission_revenue = 0.0
        self.bad_orders = 0.0

    def book_week(self, gmv: float, orders: float, bad_orders: float) -> float:
        """Book a week of sales; return what is passed on to the sellers after commission, yuan."""
        commission = gmv * self.config.commission
        self.gmv += gmv
        self.orders += orders
        self.bad_orders += bad_orders
        self.commission_revenue += commission
        return gmv - commission
