"""After a brand's online order: who delivers it, who earns on it (channel strategies).

``order_size_split`` routes large online orders to the nearest dealer; ``transaction_link_split``
has online orders picked up at the nearest store. Each function says what happens to one order
and returns a :class:`Fulfilment`: who earns what and what the brand pays. The brands' desk
(:class:`o2osim.market.brands.BrandDesk`) books it; nothing here writes another's books.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from o2osim.agents.brands import Brand
    from o2osim.agents.protocol import Market


@dataclass
class Fulfilment:
    """What fulfilling a brand's online orders owes whom (yuan; real orders and baskets).

    Attributes:
        keep: Mask of the orders the brand keeps (a lost order becomes a rival's sale).
        store_fees: Fee each store earns for serving pick-ups (one entry per store), or
            ``None`` for no pick-ups.
        dealer_value: Value each dealer delivers (one entry per dealer), or ``None``.
        dealer_margin: Share of ``dealer_value`` the dealers keep, paid by the brand.
        store_visits: Pick-up visits to stores (real visits).
        store_units: Baskets each store sells on pick-up visits (one entry per store), or
            ``None``.
    """

    keep: np.ndarray
    store_fees: np.ndarray | None = None
    dealer_value: np.ndarray | None = None
    dealer_margin: float = 0.0
    store_visits: float = 0.0
    store_units: np.ndarray | None = field(default=None)


def route_large_orders(
    brand: Brand, who: np.ndarray, value: np.ndarray, size: np.ndarray, market: Market
) -> Fulfilment:
    """``order_size_split``: large online orders go to the nearest dealer.

    An online order larger than ``large_order_baskets`` goes to the dealer of the buyer's
    nearest open store. The dealer takes it with chance
    ``min(1, routed_margin / dealers.margin)`` and keeps ``routed_margin`` of its value, which
    the brand pays; a dealer that declines (or no dealer at all) loses the sale to a rival.

    Args:
        brand: The brand.
        who: Its online buyers this week.
        value: Value of each order at the brand's online price, yuan (real orders).
        size: Size of each order, baskets.
        market: The market.

    Returns:
        The orders the brand keeps and what the dealers deliver.
    """
    c = brand.config
    large = np.flatnonzero(size > c.large_order_baskets)
    keep = np.ones(who.size, dtype=bool)
    if large.size == 0:
        return Fulfilment(keep)
    dealer = market.network.dealer_of_nearest_store(who[large])
    usual = market.config.dealers.margin
    willing = 1.0 if usual <= 0 else min(1.0, c.routed_margin / usual)
    taken = (dealer >= 0) & (market.rng.random(large.size) < willing)
    keep[large[~taken]] = False
    delivered = _per_dealer(dealer[taken], value[large[taken]], len(market.dealers))
    return Fulfilment(keep, dealer_value=delivered, dealer_margin=c.routed_margin)


def pick_up(brand: Brand, who: np.ndarray, value: np.ndarray, market: Market) -> Fulfilment:
    """``transaction_link_split``: online orders are picked up at the nearest store.

    The store's dealer delivers the goods to the store and earns its usual margin on their
    cost, ``dealers.margin * (1 - stores.gross_margin) * value``, paid by the brand. A buyer
    collects its online order (and comes back for after-sales) at its nearest open store,
    which earns ``pickup_fee`` of the order's value from the brand; with chance
    ``pickup_cross_sell`` the visit ends in a store purchase too.

    Args:
        brand: The brand.
        who: Its online buyers this week.
        value: Value of each order at the brand's online price, yuan (real orders).
        market: The market.

    Returns:
        The stores' fees, visits and extra sales, and what the dealers deliver.
    """
    c = brand.config
    keep = np.ones(who.size, dtype=bool)
    store = market.network.nearest_store(who)
    served = store >= 0
    if not served.any():
        return Fulfilment(keep)
    n_stores = len(market.stores)
    fees = np.bincount(store[served], weights=value[served] * c.pickup_fee, minlength=n_stores)
    # the store's dealer brings the goods to the store: its usual margin on their cost
    goods = value[served] * (1.0 - market.config.stores.gross_margin)
    dealer = market.network.dealer_of_nearest_store(who[served])
    w = market.people_per_consumer
    extra = store[served][market.rng.random(int(served.sum())) < c.pickup_cross_sell]
    return Fulfilment(
        keep,
        store_fees=fees,
        dealer_value=_per_dealer(dealer, goods, len(market.dealers)),
        dealer_margin=market.config.dealers.margin,
        store_visits=float(np.count_nonzero(served)) * w,
        store_units=np.bincount(extra, minlength=n_stores) * w,
    )


def _per_dealer(dealer: np.ndarray, value: np.ndarray, n_dealers: int) -> np.ndarray:
    """Value of the orders each dealer delivers; ``dealer`` -1 means nobody delivers it."""
    has = dealer >= 0
    return np.bincount(dealer[has], weights=value[has], minlength=n_dealers)
