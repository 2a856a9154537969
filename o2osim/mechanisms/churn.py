"""Churn: the share of a seller's customers of last year who bought nothing from it this year.

Sellers are stores offline and shops on platforms online. Each consumer carries the seller of
its last purchase last year and whether it bought from that seller again this year; at year end

    churn = #(had a seller last year and did not buy there again) / #(had a seller last year)

separately for stores (``annual_churn_offline``) and shops (``annual_churn_online``). For the
platforms themselves, each consumer carries a bit mask of the platforms it bought from last year
and this year:

    churn_platform = sum_i popcount(last_i & ~this_i) / sum_i popcount(last_i)

Platform customers lost this way are no longer customers: the platform has to win them again.
"""

from __future__ import annotations

import numpy as np

#: Number of set bits of every uint8 value.
POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


def platform_counts(masks: np.ndarray, platforms: int) -> np.ndarray:
    """How many consumers have each platform's bit set in their uint8 mask (one pass)."""
    counts = np.bincount(masks, minlength=256)
    bits = (np.arange(256)[:, None] >> np.arange(platforms)) & 1
    return (counts @ bits).astype(np.float64)


def platform_churn(last: np.ndarray, this: np.ndarray) -> tuple[float, float]:
    """Platform relationships of last year that were lost this year, and all of last year's."""
    base = float(POPCOUNT[last].sum())
    lost = float(POPCOUNT[last & ~this].sum())
    return lost, base


def platform_churn_by(
    last: np.ndarray, this: np.ndarray, platforms: int
) -> tuple[np.ndarray, np.ndarray]:
    """Of each platform: last year's buyers who did not buy on it this year, and all of them.

    Summed over the platforms they are :func:`platform_churn`'s two counts.
    """
    return platform_counts(last & ~this, platforms), platform_counts(last, platforms)


def seller_churn(last_seller: np.ndarray, came_back: np.ndarray) -> tuple[float, float]:
    """Customers of last year who did not come back to their seller, and all of last year's."""
    had = last_seller >= 0
    return float(np.count_nonzero(had & ~came_back)), float(np.count_nonzero(had))


def active_buyers(bought: np.ndarray, platforms: int) -> tuple[np.ndarray, float]:
    """Annual active buyers: of each platform, and online on any platform (agents).

    Args:
        bought: Each consumer's bit mask of the platforms it bought on this year.
        platforms: Number of platforms.

    Returns:
        Active buyers of each platform and active online buyers in all.
    """
    return platform_counts(bought, platforms), float(np.count_nonzero(bought))


def cost_per_net_new_buyer(
    spend: float, active: float, active_before: float, floor: float
) -> float:
    """Acquisition spend per net new annual active buyer, yuan.

    The definition of the platforms' reports (``acquisition_cost.csv``): a year's acquisition
    spend over the growth of the annual active buyers,

        cost = spend / max(active_y - active_{y-1}, floor)

    with ``floor`` one consumer's worth of people, so a year without growth (or with a loss
    of active buyers) gives a large but finite cost, ``spend / floor``, the most the run can
    resolve (0 when nothing was spent). In a platform's first year (and the run's first
    year, which starts with no buyers) ``active_{y-1}`` is 0: every active buyer is net new.
    This is the ``traffic_cost`` of ``years.csv``.

    Args:
        spend: The year's acquisition spend, yuan.
        active: Annual active buyers this year (people).
        active_before: Annual active buyers last year (people).
        floor: The smallest net growth counted, people.
    """
    if spend <= 0:
        return 0.0
    return spend / max(active - active_before, floor)


def first_orders(
    first_tick: np.ndarray, same_shop: np.ndarray, now: int, within: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Track each buyer's first order at a shop until it buys there again or moves on.

    A buyer whose first order at a shop is pending (``first_tick >= 0``) resolves it now: as a
    repeat when it goes back to the same shop within ``within`` ticks of that first order, as
    no repeat when it goes to another shop (in the model a buyer only ever returns to its last
    shop). A buyer at a shop new to it starts a pending first order at ``now``.

    Args:
        first_tick: Tick of each buyer's pending first order at its shop, -1 for none.
        same_shop: Whether each buyer orders at the shop of its last order there.
        now: This tick.
        within: Ticks within which a second order counts as a repeat (a year).

    Returns:
        The buyers' new first-order ticks, which buyers resolved a pending first order, and
        which of those repeated.
    """
    pending = first_tick >= 0
    resolved = pending
    repeated = pending & same_shop & (now - first_tick <= within)
    new_tick = np.where(same_shop, -1, now).astype(first_tick.dtype)
    return new_tick, resolved, repeated


def expired_first_orders(first_tick: np.ndarray, now: int, within: int) -> int:
    """Pending first orders older than ``within`` ticks: resolved as no repeat, cleared.

    Args:
        first_tick: Tick of each consumer's pending first order at each shop (-1 none);
            cleared in place where expired.
        now: This tick.
        within: Ticks within which a second order counts as a repeat.

    Returns:
        How many expired.
    """
    old = (first_tick >= 0) & (now - first_tick > within)
    first_tick[old] = -1
    return int(np.count_nonzero(old))
