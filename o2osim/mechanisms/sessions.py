"""Online sessions from behaviour: search sessions behind needs, and which session converts.

A platform customer with a need this week searches before buying, wherever it ends up buying:
one session ends the search, and it runs more to compare, the more so the dearer a search is on
its device and the less it trusts its platforms. Sessions without a need (browsing, feeds) are
counted by device and never end in an order. A display click is a session of a random online
shopper, a search ad's click a session of a shopper searching this week (in proportion to its
searches); a buyer's order comes through one of its sessions of the week, each equally likely,
so a paid click converts only when it reaches someone who buys on that platform this week, and
then only as one session among that buyer's searches. Window shopping, store visits without a
need, falls with the distance to the nearest store.
"""

from __future__ import annotations

import numpy as np


def comparison_rate(
    search_cost: np.ndarray,
    trust: np.ndarray,
    base: float,
    reference_cost: float,
    elasticity: float,
    distrust: float,
) -> np.ndarray:
    """Expected comparison sessions of each shopper with a need, beyond the one that ends it.

    A shopper compares more the dearer a search is on its device and the less it trusts the
    platforms it can buy on (a trusting shopper goes back to what it knows):

        lambda_i = base * (c_i / reference_cost) ** elasticity * (1 + distrust * (1 - T_i))

    with ``c_i`` the search cost on its device (yuan/order) and ``T_i`` its trust in its most
    trusted platform (0-1).

    Args:
        search_cost: Search cost of each shopper on its device, yuan/order.
        trust: Each shopper's trust in its most trusted platform, 0-1.
        base: Comparison sessions at the reference cost and full trust, sessions/need.
        reference_cost: Search cost at which a shopper runs ``base`` of them, yuan/order.
        elasticity: Elasticity of the sessions to the search cost.
        distrust: Extra sessions with no trust relative to full trust, x.

    Returns:
        ``lambda_i`` per shopper, sessions/need.
    """
    cost = np.asarray(search_cost, dtype=np.float64) / reference_cost
    scale = np.power(cost, elasticity) if elasticity else np.ones_like(cost)
    return base * scale * (1.0 + distrust * (1.0 - np.asarray(trust, dtype=np.float64)))


def search_sessions(rate: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The search sessions each shopper with a need runs this week: ``1 + Poisson(lambda_i)``.

    Args:
        rate: Expected comparison sessions per shopper, from :func:`comparison_rate`.
        rng: The model's random stream.

    Returns:
        Sessions per shopper (at least one: the session that ends the search).
    """
    return 1 + rng.poisson(rate)


def paid_orders(
    searches: np.ndarray, click_rate: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Which online orders came through a paid click.

    A buyer on platform ``m`` got ``K_i ~ Poisson(r_i)`` of ``m``'s paid clicks this week,
    beside its ``S_i`` search sessions: ``r_i`` is the platform's display clicks per online
    shopper plus its search clicks per search session times ``S_i``. Its order came through
    one of its ``S_i + K_i`` sessions, each equally likely, so through a paid click with
    probability ``K_i / (S_i + K_i)``.

    Args:
        searches: Search sessions ``S_i`` of each online buyer (at least 1).
        click_rate: Expected paid clicks ``r_i`` of each buyer's platform on it this week
            (agent clicks per agent).
        rng: The model's random stream.

    Returns:
        A mask over the buyers: whose order came through a paid click.
    """
    clicks = rng.poisson(click_rate)
    return rng.random(searches.size) * (searches + clicks) < clicks


def window_shopping(distance_km: np.ndarray, rate: float, window_km: float) -> np.ndarray:
    """Store visits without a need each consumer makes a week, by distance to the nearest store.

    A consumer passes by a store and looks in less often the farther the nearest open store is
    from home:

        v_i = rate * exp(-d_i / window_km)

    (0 where no store is open, ``d_i`` infinite).

    Args:
        distance_km: Distance from each consumer's home area to its nearest open store, km.
        rate: Window-shopping visits a week next to a store, visits/week.
        window_km: Distance over which window shopping falls by a factor e, km.

    Returns:
        ``v_i`` per consumer, visits/week.
    """
    return rate * np.exp(-np.asarray(distance_km, dtype=np.float64) / window_km)
