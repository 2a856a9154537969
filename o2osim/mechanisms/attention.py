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
    signup: float,
    people_per_consumer: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """The paid visits that would make a customer: Poisson numbers of random online shoppers.

    Each click is a visit by a random online shopper, and a visit makes a customer of a shopper
    who is not one yet with probability ``signup``. Keeping each click with probability
    ``signup`` leaves a Poisson number of visits again (Poisson thinning), so only those are
    drawn: the same outcome as drawing every click, at a fraction of the random numbers.

    Args:
        online_idx: Indices of the consumers who shop online.
        clicks: Clicks bought this week by each platform (real people).
        signup: Chance that a visit by a non-customer makes a customer.
        people_per_consumer: Real people per simulated consumer.
        rng: The model's random stream.

    Returns:
        Indices of the visiting consumers (with repeats) and the platform of each visit.
    """
    if online_idx.size == 0 or clicks.sum() <= 0:
        return online_idx[:0], online_idx[:0]
    counts = rng.poisson(clicks * signup / people_per_consumer)
    pid = np.repeat(np.arange(clicks.size), counts)
    return online_idx[rng.integers(0, online_idx.size, size=pid.size)], pid


def sign_up(customer_of: np.ndarray, visitors: np.ndarray, pid: np.ndarray) -> np.ndarray:
    """Which converting visits make a new customer: those by shoppers not yet customers.

    Args:
        customer_of: Bit mask of the platforms each consumer is a customer of.
        visitors: The visiting consumers, from :func:`paid_visitors`.
        pid: The platform of each visit.

    Returns:
        A mask over the visits: those that made a new customer (the caller records them).
    """
    return ((customer_of[visitors] >> pid) & 1) == 0


def expected_sign_ups(
    clicks: np.ndarray, signup: float, customer_of: np.ndarray, online_idx: np.ndarray
) -> np.ndarray:
    """The customers each platform's paid clicks win in expectation this week, people.

    A click is a visit by a random online shopper, and it makes a customer of a shopper who
    is not yet one of the platform's with chance ``signup`` (as :func:`paid_visitors` and
    :func:`sign_up` draw it):

        E[won_k] = clicks_k * signup * (1 - c_k)                    [people/week]

    with ``c_k`` the share of online shoppers already the platform's customers. Sellers judge
    what a customer costs them by this expectation, as sellers with thousands of clicks a
    week see it: spend over the few sign-ups a sample of agents draws is biased upward (a
    ratio to a small random count), the more so the fewer the agents.

    Args:
        clicks: Clicks bought this week by each platform (real people).
        signup: Chance that a visit by a non-customer makes a customer.
        customer_of: Bit mask of the platforms each consumer is a customer of.
        online_idx: Indices of the consumers who shop online.

    Returns:
        Expected new customers of each platform, people.
    """
    if online_idx.size == 0:
        return np.zeros_like(clicks, dtype=np.float64)
    n = clicks.size
    masks = np.bincount(customer_of[online_idx], minlength=1 << n)
    values = np.arange(masks.size)
    members = np.array([masks[(values >> k) & 1 == 1].sum() for k in range(n)])
    return clicks * signup * (1.0 - members / online_idx.size)


def customer_value(
    margin: float, price: float, orders_per_year: float, churn: float, horizon: float
) -> float:
    """What a new customer is worth to a seller: its margin over the orders it will place.

    A customer places ``f`` orders a year and stays ``min(1 / churn, H)`` years (a geometric
    lifetime at the seller's observed churn, capped at the horizon ``H``):

        V = margin * price * f * min(1 / churn, H)                      [yuan]

    Args:
        margin: Share of an order's price the seller keeps.
        price: Price of an order, yuan.
        orders_per_year: Orders a customer places a year.
        churn: Share of customers lost a year (0: the horizon applies).
        horizon: Longest the seller counts on keeping a customer, years.

    Returns:
        The value, yuan.
    """
    years = horizon if churn <= 0 else min(1.0 / churn, horizon)
    return margin * price * orders_per_year * years


def adjust_budget(budget: float, value: float, cost: float, step: float, floor: float) -> float:
    """Sellers' next traffic budget: more while a customer is worth more than it costs.

    The budget moves by the ratio of a new customer's value to its cost, at most by ``step``
    a week either way:

        b' = max(floor, b * clip(V / C, 1 / (1 + step), 1 + step))

    A customer that cost nothing to win (nothing was spent) counts as worth buying; one that
    could not be won (``C`` infinite) as not.

    Args:
        budget: This week's budget, yuan.
        value: What a new customer is worth, yuan (:func:`customer_value`).
        cost: What a new customer cost lately, yuan (``inf``: none was won).
        step: Most the budget moves in a week, share.
        floor: Smallest budget, yuan.

    Returns:
        Next week's budget, yuan.
    """
    ratio = 1.0 + step if cost <= 0 else value / cost
    return max(floor, budget * min(max(ratio, 1.0 / (1.0 + step)), 1.0 + step))
