"""The attention market: sellers buy impressions to win customers, and each new one costs more.

Every week each platform's sellers bring a traffic budget ``b_m`` (yuan). The supply of
impressions is what online shoppers see:

    S = impressions_per_user * (pc_users + mobile_impressions_factor * mobile_users)

The market clears proportionally: the price of an impression is

    price = max(reserve_cpm / 1000, sum_m b_m / S)

and seller ``m`` gets ``b_m / price`` impressions. An impression is clicked with probability
``click_through``; the click is a paid visit by a random online shopper. If that shopper is not
yet a customer of the platform, the visit makes one with probability ``paid_signup``. So a new
customer costs ``price / (click_through * paid_signup * u_m)``, where ``u_m`` is the share of
online shoppers who are not yet customers of ``m``: more budgets chasing the same attention,
and fewer people left to win, both raise the cost.
"""

from __future__ import annotations

import numpy as np


def clear(budgets: np.ndarray, supply: float, reserve_price: float) -> tuple[float, np.ndarray]:
    """Price of an impression and the impressions each bidder gets.

    Args:
        budgets: Traffic budget of each bidder this week, yuan.
        supply: Impressions available this week.
        reserve_price: Lowest price of one impression, yuan.

    Returns:
        The price (yuan per impression) and the impressions bought by each bidder.
    """
    total = float(budgets.sum())
    if supply <= 0 or total <= 0:
        return reserve_price, np.zeros_like(budgets, dtype=np.float64)
    price = max(reserve_price, total / supply)
    return price, budgets / price


def paid_visitors(
    online_idx: np.ndarray,
    clicks: np.ndarray,
    people_per_consumer: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """The online shoppers who click each platform's ads: Poisson numbers of random shoppers.

    Args:
        online_idx: Indices of the consumers who shop online.
        clicks: Clicks bought this week by each platform (real people).
        people_per_consumer: Real people per simulated consumer.
        rng: The model's random stream.

    Returns:
        Indices of the clicking consumers (with repeats) and the platform of each click.
    """
    if online_idx.size == 0 or clicks.sum() <= 0:
        return online_idx[:0], online_idx[:0]
    counts = rng.poisson(clicks / people_per_consumer)
    pid = np.repeat(np.arange(clicks.size), counts)
    return online_idx[rng.integers(0, online_idx.size, size=pid.size)], pid


def sign_up(
    customer_of: np.ndarray,
    visitors: np.ndarray,
    pid: np.ndarray,
    chance: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Each visitor who is not yet a customer of the platform becomes one with ``chance``.

    Args:
        customer_of: Bit mask of the platforms each consumer is a customer of.
        visitors: The visiting consumers.
        pid: The platform of each visit.
        chance: Probability that a visit by a non-customer makes a customer.
        rng: The model's random stream.

    Returns:
        A mask over the visits: those that made a new customer (the caller records them).
    """
    fresh = ((customer_of[visitors] >> pid) & 1) == 0
    return fresh & (rng.random(visitors.size) < chance)
