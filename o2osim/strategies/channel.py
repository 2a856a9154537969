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
    from o2osim.agents.protocol import Market


@dataclass
class Needs:
    """This week's needs of the shoppers, one entry per shopper.

    Attributes:
        brand: Index of the brand wanted, -1 for a rival's goods (int64).
        size: Order size in baskets (float64).
        in_stores: Whether the brand's goods are on offer in stores for this need.
        online: Whether they are on offer on the platforms for this need.
        points_in_stores: Whether a member earns the brand's points buying it in stores.
        points_online: Whether a member earns the brand's points buying it online.
        via_partner: Whether a partner (a fan who resells) brought this need to the brand.
        referred: Whether a fan's recommendation brought it (private traffic: no ads).
    """

    brand: np.ndarray
    size: np.ndarray
    in_stores: np.ndarray
    online: np.ndarray
    points_in_stores: np.ndarray | None = None
    points_online: np.ndarray | None = None
    via_partner: np.ndarray | None = None
    referred: np.ndarray | None = None


Offer = tuple[np.ndarray, np.ndarray]


def offer_everywhere(brand: Brand, who: np.ndarray, size: np.ndarray, market: Market) -> Offer:
    """``none``, ``order_size_split``, ``transaction_link_split``: on offer everywhere.

    The brand is on offer in every
    store and on every platform (the last two act after the order, see fulfilment).
    """
    everywhere = np.ones(who.size, dtype=bool)
    return everywhere, everywhere.copy()


def offer_product_split(brand: Brand, who: np.ndarray, size: np.ndarray, market: Market) -> Offer:
    """``product_split``: new models in stores, online-only and out-of-season models online.

    A shopper who wants one of the brand's new models (with chance ``new_model_share``)
    finds it only in stores: the online range holds other models, so the online price
    cannot undercut the store price of the same model. A shopper with any other need finds
    the brand everywhere: online models and out-of-season stock online, the current range in
    stores.
    """
    new_model = market.rng.random(who.size) < brand.config.new_model_share
    return np.ones(who.size, dtype=bool), ~new_model


def offer_customer_split(brand: Brand, who: np.ndarray, size: np.ndarray, market: Market) -> Offer:
    """``customer_split``: large accounts through stores, small customers online.

    A large account buys the brand through dealers and stores only; a small
    customer finds the brand only online.
    """
    large = market.population.large_account[who]
    return large.copy(), ~large


def offer_brand_split(brand: Brand, who: np.ndarray, size: np.ndarray, market: Market) -> Offer:
    """``brand_split``: the brand in stores, a separate online-only brand online.

    Stores sell the brand; online there is only a separate online brand, which
    a shopper can choose only if it knows it (with the online brand's awareness).
    """
    knows = market.rng.random(who.size) < brand.awareness
    return np.ones(who.size, dtype=bool), knows


def offer_region_split(brand: Brand, who: np.ndarray, size: np.ndarray, market: Market) -> Offer:
    """``region_split``: online only where the brand's ground channels are weak.

    The brand sells online only to a shopper whose nearest open store is
    farther than ``ground_reach_km``; stores sell it everywhere.
    """
    nearest = market.network.nearest_store_km(who)
    return np.ones(who.size, dtype=bool), nearest > brand.config.ground_reach_km


OFFERS: dict[str, Callable[[Brand, np.ndarray, np.ndarray, Market], Offer]] = {
    "none": offer_everywhere,
    "product_split": offer_product_split,
    "customer_split": offer_customer_split,
    "order_size_split": offer_everywhere,
    "transaction_link_split": offer_everywhere,
    "brand_split": offer_brand_split,
    "region_split": offer_region_split,
}


def draw_needs(shoppers: np.ndarray, market: Market) -> Needs:
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
    pop = market.population
    if c.brand_habit > 0:  # most needs are for the brand bought last time
        usual = pop.usual_brand[shoppers].astype(np.int64)
        habit = (usual >= 0) & (rng.random(n) < c.brand_habit)
        brand[habit] = np.where(usual[habit] >= len(market.brands), -1, usual[habit])
    via_partner = told = None
    if any(b.fan_programme for b in market.brands):
        # a need that a fan's recommendation brought is for the recommended brand
        referred = pop.referred[shoppers].astype(np.int64)
        told = referred >= 0
        brand[told] = referred[told]
        via_partner = pop.referred_by_partner[shoppers] & told
        pop.referred[shoppers[told]] = -1
        pop.referred_by_partner[shoppers[told]] = False
    members = [b for b in market.brands if b.membership != "none"]
    pulled = np.zeros(n, dtype=bool)
    for b in members:  # a member's need comes back to the brand
        bit = np.uint8(1 << b.index)
        member = ((pop.member_store[shoppers] | pop.member_online[shoppers]) & bit) > 0
        back = member & (rng.random(n) < b.config.member_retention)
        brand[back] = b.index
        pulled[back] = True
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
            offer = OFFERS[b.channel_strategy]
            in_stores[mine], online[mine] = offer(b, shoppers[mine], size[mine], market)
    needs = Needs(brand=brand, size=size, in_stores=in_stores, online=online)
    needs.via_partner = via_partner
    needs.referred = None if via_partner is None else told
    if members:
        needs.points_in_stores, needs.points_online = member_points(shoppers, needs, pulled, market)
    return needs


def member_points(shoppers: np.ndarray, needs: Needs, pulled: np.ndarray, market: Market) -> Offer:
    """Where each shopper would earn points buying the brand it wants.

    A member of an ``integrated`` programme earns points in stores and online alike. A member
    of a ``separate`` programme earns them only in the channel where it joined, and there only
    is its membership a reason to come back: a need that only the membership brought back
    (``pulled``) is for whatever is on offer where the points do not count, and the sale there
    is a rival's.
    """
    pop = market.population
    in_stores = np.zeros(shoppers.size, dtype=bool)
    online = np.zeros(shoppers.size, dtype=bool)
    for b in market.brands:
        kind = b.membership
        mine = np.flatnonzero(needs.brand == b.index)
        if kind == "none" or mine.size == 0:
            continue
        bit = np.uint8(1 << b.index)
        joined_store = (pop.member_store[shoppers[mine]] & bit) > 0
        joined_online = (pop.member_online[shoppers[mine]] & bit) > 0
        if kind == "integrated":
            in_stores[mine] = online[mine] = joined_store | joined_online
        else:
            in_stores[mine], online[mine] = joined_store, joined_online
            back = pulled[mine]
            needs.in_stores[mine[back & ~joined_store]] = False
            needs.online[mine[back & ~joined_online]] = False
    return in_stores, online
