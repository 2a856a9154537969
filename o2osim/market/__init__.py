"""The two sides of the market, as parts of :class:`o2osim.model.O2OMarket`.

``OnlineSide`` holds the rules of platforms and online shoppers (adoption, the attention
market, selling online, word of mouth); ``StoreSide`` those of physical stores (where they
are, what they sell, their books, entry). The model class inherits both and runs their phases
in the order of the weekly tick. ``BrandSide`` holds what brands decide: where their goods
are on offer (channel strategies) and their books by channel.
"""

from o2osim.market.brands import BrandSide
from o2osim.market.offline import StoreSide
from o2osim.market.online import OnlineSide

__all__ = ["BrandSide", "OnlineSide", "StoreSide"]
