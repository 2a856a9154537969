"""What the market's rules may read of the market: the :class:`Market` protocol.

Phases (:mod:`o2osim.market`), strategies (:mod:`o2osim.strategies`) and the agent views
(:class:`~o2osim.agents.consumers.Consumer`, :class:`~o2osim.agents.stores.Store`) see the market
only through this protocol, never through private attributes; :class:`o2osim.model.O2OMarket`
implements it. Everything here is read-only for them: a rule changes the state it owns, or the
state of an agent through the agent's public methods, and returns results for the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import mesa
import numpy as np

if TYPE_CHECKING:
    from o2osim.agents.brands import Brand
    from o2osim.agents.dealers import Dealer
    from o2osim.agents.ledger import Ledger
    from o2osim.agents.platforms import Platform
    from o2osim.agents.population import Population
    from o2osim.agents.store_books import StoreBooks
    from o2osim.scenario import Scenario


class StoreNetworkView(Protocol):
    """Where the stores are, as consumers see them: each travel cell's nearest open stores."""

    @property
    def choice_ids(self) -> np.ndarray:
        """Store index of each travel cell's ``k`` nearest open stores, -1 past the last open."""
        ...

    @property
    def choice_dist(self) -> np.ndarray:
        """Distance to each of those stores from the cell's centre, km (inf: none)."""
        ...

    def nearest_store(self, who: np.ndarray) -> np.ndarray:
        """Index of each consumer's nearest open store, -1 where no store is open."""
        ...

    def nearest_store_km(self, who: np.ndarray) -> np.ndarray:
        """Distance from each consumer's home area to its nearest open store, km (inf: none)."""
        ...

    def dealer_of_nearest_store(self, who: np.ndarray) -> np.ndarray:
        """Index of the active dealer supplying each consumer's nearest open store, -1 if none."""
        ...


class Market(Protocol):
    """The market as its rules read it (implemented by :class:`o2osim.model.O2OMarket`)."""

    @property
    def config(self) -> Scenario:
        """The scenario the market was built from."""
        ...

    @property
    def rng(self) -> np.random.Generator:
        """The one random stream every draw comes from."""
        ...

    @property
    def steps(self) -> int:
        """Weeks stepped so far, this one included (Mesa's counter)."""
        ...

    @property
    def year(self) -> int:
        """Calendar year of the current week."""
        ...

    @property
    def week(self) -> int:
        """Week of the year of the current week, 1-52."""
        ...

    @property
    def people_per_consumer(self) -> float:
        """Real people each simulated consumer stands for."""
        ...

    @property
    def basket_value(self) -> float:
        """Price of a basket at list price this year, yuan."""
        ...

    def in_year_yuan(self, amount: float | np.ndarray) -> float | np.ndarray:
        """Base-year yuan in this year's yuan, ``amount * B_y / B_0``."""
        ...

    def in_base_yuan(self, amount: float | np.ndarray) -> float | np.ndarray:
        """This year's yuan in base-year yuan, ``amount * (B_0 / B_y)``."""
        ...

    @property
    def rent(self) -> float:
        """Monthly rent of a store this year, yuan."""
        ...

    @property
    def wages(self) -> float:
        """Monthly wages of a store this year, yuan."""
        ...

    @property
    def population(self) -> Population:
        """The consumers' columns."""
        ...

    @property
    def platforms(self) -> Sequence[Platform]:
        """Platform agents, in index order."""
        ...

    @property
    def brands(self) -> Sequence[Brand]:
        """Brand agents, in index order."""
        ...

    @property
    def dealers(self) -> Sequence[Dealer]:
        """Dealer agents, in index order."""
        ...

    @property
    def stores(self) -> Sequence[mesa.Agent]:
        """Store agents (views on the store books), in index order."""
        ...

    @property
    def store_books(self) -> StoreBooks:
        """The books of every store ever opened."""
        ...

    @property
    def ledger(self) -> Ledger:
        """The money ledger: where the consumers' yuan go."""
        ...

    @property
    def network(self) -> StoreNetworkView:
        """Where the stores are, as consumers see them."""
        ...
