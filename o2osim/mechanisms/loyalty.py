"""Shop loyalty from comparison: a buyer stays with its shop unless a rival's offer wins.

An online buyer who has a shop on the platform (that of its last order) sees, on its way to
the order, a few rival shops' offers: the platform's search results on a computer, and more of
them in a phone's feeds. Shops' prices scatter around the platform's price (each shop's own
promotions and costs). The buyer goes back to its shop unless the best rival offer saves it
more than knowing the shop is worth to it; knowing a shop is worth more to a buyer who trusts
the platform less (a known seller spares it the risk of a bad new one). A bad order at the shop
ends the tie: the buyer does not go back.

Loyalty, and so churn, is what follows from price dispersion, the offers a device shows and
trust, not a draw with a fixed chance (the ``loyalty`` mode keeps that older rule).
Price dispersion among online sellers of the same good: Brynjolfsson and Smith (2000),
"Frictionless commerce? A comparison of Internet and conventional retailers", Management
Science 46(4), found online price differences of about a third of the mean price for books and
CDs; consumers' switching costs against such savings: Klemperer (1995), "Competition when
consumers have switching costs", Review of Economic Studies 62(4).
"""

from __future__ import annotations

import numpy as np


def best_rival_saving(
    offers: np.ndarray, dispersion: float, rng: np.random.Generator
) -> np.ndarray:
    """What the best of a buyer's rival offers saves against its own shop, as a share of price.

    Each shop's price deviates from the platform's by ``d ~ Normal(0, dispersion)`` (a share
    of the price). A buyer sees its own shop's deviation ``d_0`` and ``R`` rival deviations
    ``d_1..d_R``; the saving of the best rival is

        saving = d_0 - min(d_1, ..., d_R)          (negative: its own shop is cheapest)

    and ``-inf`` when it sees no rival (``R = 0``).

    Args:
        offers: Rival offers each buyer sees (``R``, >= 0).
        dispersion: Standard deviation of shops' prices around the platform's, share of price.
        rng: The random stream.

    Returns:
        Each buyer's saving, share of price.
    """
    n = offers.size
    most = int(offers.max()) if n else 0
    own = rng.normal(0.0, dispersion, n)
    if most == 0:
        return np.full(n, -np.inf)
    rivals = rng.normal(0.0, dispersion, (n, most))
    rivals[np.arange(most)[None, :] >= offers[:, None]] = np.inf
    return own - rivals.min(axis=1)


def familiarity(value: float, first_share: float, first_order: np.ndarray) -> np.ndarray:
    """What knowing its shop is worth to each buyer at zero trust: less after only one order.

    A buyer that has ordered at its shop once knows it at ``first_share`` of what a buyer who
    came back knows,

        F_i = value * (first_share if i has one order at its shop else 1)

    Args:
        value: What knowing a shop is worth once the buyer came back, yuan.
        first_share: The share of it a single order teaches, 0-1.
        first_order: Whether each buyer has only its first order at the shop.

    Returns:
        Each buyer's familiarity value, yuan.
    """
    return np.where(first_order, value * first_share, value)


def stays(
    saving: np.ndarray, price: np.ndarray, familiarity: float | np.ndarray, trust: np.ndarray
) -> np.ndarray:
    """Whether each buyer goes back to its shop: the rivals' saving is worth less than knowing it.

    A buyer stays when

        price * saving <= familiarity * (1 - trust)

    with ``price`` the platform's price [yuan], ``familiarity`` what knowing a shop is worth
    to a buyer with no trust in the platform [yuan] and ``trust`` its trust in the platform.

    Args:
        saving: The best rival's saving, share of price.
        price: The price of the buyer's basket on the platform, yuan.
        familiarity: What knowing the shop is worth at zero trust, yuan (one value, or one
            per buyer).
        trust: The buyer's trust in the platform, 0-1.

    Returns:
        Whether each buyer stays.
    """
    return price * saving <= familiarity * (1.0 - trust)
