"""Physical stores: a place to see and touch the goods, with rent and wages to pay.

A :class:`Store` agent is a view on its row of the market's
:class:`~o2osim.agents.store_books.StoreBooks`; it reads the market through the
:class:`~o2osim.agents.protocol.Market` protocol.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from o2osim.agents.store_books import StoreBooks
from o2osim.scenario import STORE_FORMATS

if TYPE_CHECKING:
    from o2osim.agents.dealers import Dealer
    from o2osim.agents.protocol import Market

__all__ = ["Store", "StoreBooks"]


class Store(mesa.Agent):
    """A physical store that books a profit and loss each month and closes after losing too long.

    The agent is a view on its row of the model's :class:`StoreBooks`.

    Attributes:
        index: Position of the store in the model's store arrays.
        x: East coordinate, km.
        y: North coordinate, km.
    """

    def __init__(
        self,
        model: Market,
        x: float,
        y: float,
        cash: float,
        dealer: Dealer | None,
        quality: float = 1.0,
    ) -> None:
        super().__init__(model)
        dealer_index = -1 if dealer is None else dealer.index
        self.index = model.store_books.add(cash, dealer_index, quality)
        self.x, self.y = x, y

    @property
    def _books(self) -> StoreBooks:
        return self.model.store_books

    @property
    def dealer(self) -> Dealer | None:
        """The dealer the store buys its goods from (``None`` for none)."""
        d = int(self._books.dealer[self.index])
        return None if d < 0 else self.model.dealers[d]

    @dealer.setter
    def dealer(self, dealer: Dealer | None) -> None:
        self._books.dealer[self.index] = -1 if dealer is None else dealer.index

    @property
    def quality(self) -> float:
        """Chance that a purchase here satisfies its buyer, 0-1."""
        return float(self._books.quality[self.index])

    @property
    def price(self) -> float:
        """The store's price of a basket this month, yuan (its own when sellers set prices)."""
        own = float(self._books.price[self.index])
        if np.isnan(own):
            return self.model.basket_value * self.model.config.stores.price_index
        return own

    @property
    def format(self) -> str:
        """What the store is: ``full``, ``showroom``, ``pick_up`` or ``service``."""
        return STORE_FORMATS[int(self._books.format[self.index])]

    @property
    def is_open(self) -> bool:
        """Whether the store still trades."""
        return bool(self._books.is_open[self.index])

    @property
    def cash(self) -> float:
        """Cash on hand, yuan."""
        return float(self._books.cash[self.index])

    @property
    def losing_months(self) -> int:
        """Losing months in a row."""
        return int(self._books.losing_months[self.index])

    @property
    def revenue(self) -> float:
        """Sales since opening, yuan."""
        return float(self._books.revenue[self.index])

    @property
    def profit(self) -> float:
        """Profit since opening, yuan."""
        return float(self._books.profit[self.index])

    @property
    def units_sold(self) -> float:
        """Orders sold since opening (real orders, not agent orders)."""
        return float(self._books.units_sold[self.index])

    @property
    def last_month_profit(self) -> float:
        """Profit of the last booked month, yuan."""
        return float(self._books.last_month_profit[self.index])

    @property
    def closed_tick(self) -> int | None:
        """Tick of closure, or ``None`` while open."""
        tick = int(self._books.closed_tick[self.index])
        return None if tick < 0 else tick
