"""After a brand's online order: who delivers it, who earns on it (channel strategies).

``order_size_split`` routes large online orders to the nearest dealer; ``transaction_link_split``
has online orders picked up at the nearest store. Each function says what happens to one order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from o2osim.agents.brands import Brand
    from o2osim.model import O2OMarket


def route_large_orders(
    brand: Brand, who: np.ndarray, value: np.ndarray, size: np.ndarray, market: O2OMarket
) -> np.ndarray:
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
        Mask of the orders the brand keeps.
    """
    c = brand.config
    large = np.flatnonzero(size > c.large_order_baskets)
    keep = np.ones(who.size, dtype=bool)
    if large.size == 0:
        return keep
    dealer = market.dealer_of_nearest_store(who[large])
    usual = market.config.dealers.margin
    willing = 1.0 if usual <= 0 else min(1.0, c.routed_margin / usual)
    taken = (dealer >= 0) & (market.rng.random(large.size) < willing)
    keep[large[~taken]] = False
    _dealers_deliver(brand, dealer[taken], value[large[taken]], c.routed_margin, market)
    return keep


def pick_up(brand: Brand, who: np.ndarray, value: np.ndarray, market: O2OMarket) -> float:
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
        Baskets bought in stores during pick-up visits (real baskets).
    """
    c = brand.config
    store = market.nearest_store(who)
    served = store >= 0
    if not served.any():
        return 0.0
    fees = np.bincount(
        store[served], weights=value[served] * c.pickup_fee, minlength=len(market.stores)
    )
    market.store_books.earn_fees(fees)
    brand.pay_for_channel(float(fees.sum()))
    # the store's dealer brings the goods to the store: its usual margin on their cost
    goods = value[served] * (1.0 - market.config.stores.gross_margin)
    dealer = market.dealer_of_nearest_store(who[served])
    _dealers_deliver(brand, dealer, goods, market.config.dealers.margin, market)
    w = market.people_per_consumer
    market._tick["store_visits"] += float(np.count_nonzero(served)) * w
    extra = store[served][market.rng.random(int(served.sum())) < c.pickup_cross_sell]
    units = np.bincount(extra, minlength=len(market.stores)) * w
    market.store_books.sell(units, market.basket_value * market.config.stores.price_index)
    market._month_store_units += float(units.sum())  # rivals' goods in the stores' mix
    return float(units.sum())


def _dealers_deliver(
    brand: Brand, dealer: np.ndarray, value: np.ndarray, margin: float, market: O2OMarket
) -> None:
    """Dealers deliver a brand's orders and keep a margin on them, which the brand pays.

    ``dealer`` holds the dealer of each order (-1 for none: nobody delivers it) and
    ``value`` its value, yuan.
    """
    has = dealer >= 0
    per_dealer = np.bincount(dealer[has], weights=value[has], minlength=len(market.dealers))
    for d in np.flatnonzero(per_dealer):
        market.dealers[d].take_routed(float(per_dealer[d]), margin)
    brand.pay_for_channel(float(per_dealer.sum()) * margin)
