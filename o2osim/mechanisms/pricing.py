"""Sellers set prices: unit cost plus a markup that follows demand and rivals' visible prices.

Once a month every store and every platform's (representative) seller sets next month's price
from last month's books. All prices are yuan per basket.

A store ``s`` spreads its rent and wages over the baskets it sells and buys its goods from its
dealer at the wholesale price ``W_s``:

    P_s = min(P_cap, (W_s + O_s) * (1 + m_s)),   O_s = (rent + wages) / max(q_s, 1)

where ``q_s`` is its running average of baskets sold a month. What a store can charge is capped
by the cheapest price visible online plus what its service is worth,
``P_cap = (1 + premium) * min_k P_k``, so what it can pay its dealer is capped too:

    W_s = max(0, min(W0, P_cap / (1 + m_min) - O_s)),   F_s = min(F0, W_s)

with ``W0`` the wholesale list price and ``F0 = W0 * (1 - dealer margin)`` the brand's
ex-factory price. The dealer keeps ``W_s - F_s`` a basket: it is squeezed first, the brand only
when the capped wholesale no longer covers its ex-factory price.

An online seller on platform ``k`` pays the wholesale list price, the traffic its platform's
sellers bought per order last month ``T_k``, and the commission ``c_k`` on its price:

    P_k = (W0 + T_k) * (1 + m_k) / (1 - c_k)

A markup ``m`` follows demand, ``m += a * clip(ln(q_t / q_{t-1}), -1, 1)``, and moves part
``rho`` of the way toward the markup ``m*`` that would match the visible rival's price: a
store only when priced above the cap, ``m += rho * min(0, m* - m)``; an online seller toward
the cheapest other platform's price both ways, ``m += rho * (m* - m)``. Markups stay within
``[m_min, m_max]``.
"""

from __future__ import annotations

import numpy as np


def smoothed_volume(average: np.ndarray, sold: np.ndarray, weight: float) -> np.ndarray:
    """A seller's running average of baskets sold a month, updated with last month's sales.

    ``q <- (1 - weight) * q + weight * sold``; a seller with no history (``q`` NaN) starts from
    what it sold.

    Args:
        average: Running average of baskets sold a month (NaN: no month booked yet).
        sold: Baskets sold last month.
        weight: Weight of last month, in (0, 1].

    Returns:
        The updated average.
    """
    return np.where(np.isnan(average), sold, (1.0 - weight) * average + weight * sold)


def overhead_per_basket(rent: float, wages: float, volume: np.ndarray) -> np.ndarray:
    """A store's rent and wages per basket it sells, yuan: ``O = (rent + wages) / max(q, 1)``.

    Args:
        rent: Monthly rent of a store, yuan.
        wages: Monthly wages of a store, yuan.
        volume: Baskets the store sells a month (its running average).

    Returns:
        Overhead per basket, yuan (at most a month's rent and wages: the floor of one basket
        keeps a store that sold nothing from dividing by zero).
    """
    return (rent + wages) / np.maximum(volume, 1.0)


def price_cap(online_prices: np.ndarray, premium: float, service: float = 0.0) -> float:
    """The most a store can charge: ``(1 + premium) * min_k P_k + service``.

    ``service`` is what the store's service is worth to its buyers, yuan per basket (the mean
    service value of the needs stores served last month; 0 without service needs). Infinite
    without online prices.

    Args:
        online_prices: The price each open platform's sellers charge, yuan per basket.
        premium: What a store's service is worth over the online price, share of it.
        service: What the needs stores serve add over buying online, yuan per basket.

    Returns:
        The cap, yuan per basket.
    """
    if online_prices.size == 0:
        return float("inf")
    cap = (1.0 + premium) * float(online_prices.min())
    return cap + service if service else cap


def store_wholesale(
    list_wholesale: float, cap: float, overhead: np.ndarray, markup_min: float
) -> np.ndarray:
    """The price a store can pay its dealer: ``W = max(0, min(W0, cap / (1 + m_min) - O))``.

    A store selling at the cap must still cover its rent and wages per basket and its lowest
    markup; what is left is the most it can pay for the goods.

    Args:
        list_wholesale: The dealer's list price of a basket ``W0``, yuan.
        cap: The most a store can charge, yuan per basket.
        overhead: Each store's rent and wages per basket, yuan.
        markup_min: The lowest markup a store sets.

    Returns:
        Each store's wholesale price, yuan per basket.
    """
    return np.maximum(0.0, np.minimum(list_wholesale, cap / (1.0 + markup_min) - overhead))


def factory_price(list_factory: float, wholesale: np.ndarray) -> np.ndarray:
    """What a brand gets for a basket from the dealer: ``F = min(F0, W)``.

    The brand asks its ex-factory price ``F0`` and takes less only when the store's wholesale
    price cannot cover it; the dealer keeps ``W - F >= 0``.

    Args:
        list_factory: The brand's ex-factory price of a basket ``F0``, yuan.
        wholesale: What each store pays its dealer for a basket, yuan.

    Returns:
        The ex-factory price paid per basket for each store's goods, yuan.
    """
    return np.minimum(list_factory, wholesale)


def follow_demand(
    markup: np.ndarray, sold: np.ndarray, sold_before: np.ndarray, response: float
) -> np.ndarray:
    """A seller that sold more than the month before raises its markup a little; less, lowers it.

    ``m += response * clip(ln(sold / sold_before), -1, 1)``; unchanged when either month sold
    nothing.

    Args:
        markup: Each seller's markup.
        sold: Baskets (or orders) sold last month.
        sold_before: Baskets (or orders) sold the month before.
        response: Markup change per unit of log change in sales.

    Returns:
        The new markups (not yet bounded).
    """
    both = (sold > 0) & (sold_before > 0)
    ratio = np.divide(sold, sold_before, out=np.ones_like(markup), where=both)
    return markup + response * np.clip(np.log(ratio), -1.0, 1.0)


def follow_rivals(
    markup: np.ndarray,
    unit_cost: np.ndarray,
    rival_price: np.ndarray | float,
    response: float,
    take_rate: np.ndarray | float = 0.0,
    only_down: bool = True,
) -> np.ndarray:
    """A seller moves its markup toward the one that matches its visible rival's price.

    The markup that matches the rival's price ``R`` is ``m* = R * (1 - c) / u - 1`` (``u``
    the unit cost, ``c`` the platform's commission, 0 for a store). A store priced above its
    rival moves ``m += response * min(0, m* - m)`` and a store already cheaper keeps its
    markup (``only_down``; demand tells it whether to raise it); an online seller follows
    its rival both ways, ``m += response * (m* - m)``.

    Args:
        markup: Each seller's markup.
        unit_cost: Each seller's unit cost, yuan per basket.
        rival_price: The visible rival price for each seller, yuan per basket (inf: none).
        response: Share of the way moved in a month, 0-1.
        take_rate: Share of the price the seller gives up (commission), 0 for stores.
        only_down: Move only when priced above the rival (stores); else both ways.

    Returns:
        The new markups (not yet bounded).
    """
    unit_cost = np.maximum(unit_cost, 1e-12)
    target = np.asarray(rival_price, dtype=np.float64) * (1.0 - np.asarray(take_rate)) / unit_cost
    gap = np.minimum(target - 1.0, np.finfo(np.float64).max) - markup  # inf: no rival
    if only_down:
        return markup + response * np.minimum(0.0, gap)
    return markup + response * np.where(np.isfinite(target), gap, 0.0)


def store_price(unit_cost: np.ndarray, markup: np.ndarray, cap: float) -> np.ndarray:
    """A store's price: ``P = min(cap, u * (1 + m))``, yuan per basket.

    Args:
        unit_cost: Wholesale plus rent and wages per basket, yuan.
        markup: The store's markup.
        cap: The most a store can charge, yuan per basket.

    Returns:
        Each store's price, yuan per basket.
    """
    return np.minimum(cap, unit_cost * (1.0 + markup))


def traffic_per_order(spend: np.ndarray, orders: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Traffic a platform's sellers bought per order last month: ``T = spend / orders``, yuan.

    Args:
        spend: What the platform's sellers paid for traffic last month, yuan.
        orders: Orders on the platform last month.
        before: The previous figure, kept for a platform that took no order.

    Returns:
        Traffic cost per order, yuan.
    """
    return np.divide(spend, orders, out=before.astype(np.float64), where=orders > 0)


def online_price(unit_cost: np.ndarray, markup: np.ndarray, commission: np.ndarray) -> np.ndarray:
    """An online seller's price: ``P = u * (1 + m) / (1 - c)``, yuan per basket.

    The seller keeps ``u * (1 + m)`` after the platform's commission ``c`` on the price.

    Args:
        unit_cost: Wholesale plus traffic per order, yuan.
        markup: The seller's markup.
        commission: The platform's commission, share of the price (below 1).

    Returns:
        Each platform's sellers' price, yuan per basket.
    """
    return unit_cost * (1.0 + markup) / (1.0 - commission)


def opening_online_markup(
    price_index: np.ndarray, commission: np.ndarray, wholesale: float
) -> np.ndarray:
    """The markup at which a seller reaches its platform's price index with no traffic cost.

    ``m0 = price_index * (1 - c) / wholesale_index - 1``.

    Args:
        price_index: Each platform's price, times list price.
        commission: Each platform's commission.
        wholesale: The wholesale list price, times list price.

    Returns:
        Each platform's sellers' opening markup (not yet bounded).
    """
    return price_index * (1.0 - commission) / wholesale - 1.0


def logit_markup(unit_cost: np.ndarray, scale: float) -> np.ndarray:
    """The profit-maximizing markup of a seller among many when consumers choose by logit.

    A seller with a small share of the choices it competes for, facing logit demand of scale
    ``lambda`` (yuan), maximizes its profit at a margin of one scale over its unit cost,
    ``P - u = lambda / (1 - share) ~ lambda`` (Anderson, de Palma and Thisse 1992, *Discrete
    Choice Theory of Product Differentiation*, ch. 7). As a markup on the unit cost:

        m = lambda / u

    Costs passed on (rent and wages per basket, traffic per order) raise the price one for
    one and leave the margin in yuan unchanged; a dearer basket raises it with the scale.

    Args:
        unit_cost: Each seller's unit cost, yuan per basket.
        scale: The consumers' choice scale in this year's yuan.

    Returns:
        Each seller's markup (not yet bounded).
    """
    return scale / np.maximum(np.asarray(unit_cost, dtype=np.float64), 1e-12)
