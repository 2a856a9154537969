"""Channel-conflict strategies of a brand: where its goods are on offer, for which need.

Each shopper's need this week is for one brand's goods (brand ``b`` with probability
``market_share_b``) or for a rival's. A brand's ``channel_strategy`` decides, need by need,
whether its goods are on offer in stores and on the platforms. Where they are not, a shopper who
wants the brand can still buy a rival's goods there, giving up the brand's ``loyalty`` (yuan).

Each ``offer_*`` function below takes the shoppers whose need is for the brand and says in
words what one of them finds; what happens after a purchase (routed orders, pick-up fees) is in
:mod:`o2osim.strategies.fulfilment`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from o2osim.agents.brands import Brand
    from o2osim.model import O2OMarket


@dataclass
class Needs:
    """This week's needs of the shoppers, one entry per shopper.

    Attributes:
        brand: Index of the brand wanted, -1 for a rival's goods (int64).
        size: Order size in baskets (float64).
        in_stores: Whether the brand's goods are on offer in stores for this need.
        online: Whether they are on offer on the platforms for this need.
    """

    brand: np.ndarray
    size: np.ndarray
    in_stores: np.ndarray
    online: np.ndarray


Offer = tuple[np.ndarray, np.ndarray]


def offer_everywhere(brand: Brand, who: np.ndarray, size: np.ndarray, market: O2OMarket) -> Offer:
    """``none``, ``order_size_split``, ``transaction_link_split``: on offer everywhere.

    The brand is on offer in every
    store and on every platform (the last two act after the order, see fulfilment).
    """
    everywhere = np.ones(who.size, dtype=bool)
    return everywhere, everywhere.copy()


def offer_product_split(
    brand: Brand, who: np.ndarray, size: np.ndarray, market: O2OMarket
) -> Offer:
    """``product_split``: new models in stores, online-only and out-of-season models online.

    A shopper who wants one of the brand's new models (with chance ``new_model_share``)
    finds it only in stores: the online range holds other models, so the online price
    cannot undercut the store price of the same model. A shopper with any other need finds
    the brand everywhere: online models and out-of-season stock online, the current range in
    stores.
    """
    new_model = market.rng.random(who.size) < brand.config.new_model_share
    return np.ones(who.size, dtype=bool), ~new_model


def offer_customer_split(
    brand: Brand, who: np.ndarray, size: np.ndarray, market: O2OMarket
) -> Offer:
    """``customer_split``: large accounts through stores, small customers online.

    A large account buys the brand through dealers and stores only; a small
    customer finds the brand only online.
    """
    large = market.population.large_account[who]
    return large.copy(), ~large


def offer_brand_split(brand: Brand, who: np.ndarray, size: np.ndarray, market: O2OMarket) -> Offer:
    """``brand_split``: the brand in stores, a separate online-only brand online.

    Stores sell the brand; online there is only a separate online brand, which
    a shopper can choose only if it knows it (with the online brand's awareness).
    """
    knows = market.rng.random(who.size) < brand.awareness
    return np.ones(who.size, dtype=bool), knows


def offer_region_split(brand: Brand, who: np.ndarray, size: np.ndarray, market: O2OMarket) -> Offer:
    """``region_split``: online only where the brand's ground channels are weak.

    The brand sells online only to a shopper whose nearest open store is
    farther than ``ground_reach_km``; stores sell it everywhere.
    """
    nearest = market.nearest_store_km(who)
    return np.ones(who.size, dtype=bool), nearest > brand.config.ground_reach_km


OFFERS: dict[str, Callable[[Brand, np.ndarray, np.ndarray, O2OMarket], Offer]] = {
    "none": offer_everywhere,
    "product_split": offer_product_split,
    "customer_split": offer_customer_split,
    "order_size_split": offer_everywhere,
    "transaction_link_split": offer_everywhere,
    "brand_split": offer_brand_split,
    "region_split": offer_region_split,
}


def draw_needs(shoppers: np.ndarray, market: O2OMarket) -> Needs:
    """Each shopper's need: which brand (by market share), how big, and where it is on offer.

    Args:
        shoppers: Consumers with a need this week.
        market: The market (its brands, population and random stream).

    Returns:
        The week's :class:`Needs`.
    """
    c = market.config.consumers
    rng = market.rng
    n = shoppers.size
    shares = np.cumsum([b.config.market_share for b in market.brands])
    brand = np.searchsorted(shares, rng.random(n), side="right")
    brand[brand >= len(market.brands)] = -1
    size = np.ones(n)
    if c.order_size_cv > 0:
        sigma2 = np.log1p(c.order_size_cv**2)  # lognormal with mean one
        size = rng.lognormal(-sigma2 / 2, np.sqrt(sigma2), n)
    if c.large_account_share > 0:
        size[market.population.large_account[shoppers]] *= c.large_account_baskets
    in_stores = np.ones(n, dtype=bool)
    online = np.ones(n, dtype=bool)
    for b in market.brands:
        mine = np.flatnonzero(brand == b.index)
        if mine.size:
            offer = OFFERS[b.config.channel_strategy]
            in_stores[mine], online[mine] = offer(b, shoppers[mine], size[mine], market)
    return Needs(brand=brand, size=size, in_stores=in_stores, online=online)
