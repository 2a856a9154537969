"""Agents of the market: consumers (columnar, with Mesa views) and the firms."""

from o2osim.agents.brands import Brand
from o2osim.agents.consumers import Consumer, Population
from o2osim.agents.dealers import Dealer
from o2osim.agents.platforms import Platform
from o2osim.agents.stores import Store

__all__ = ["Brand", "Consumer", "Dealer", "Platform", "Population", "Store"]
