"""Trust learning from purchase experiences.

A consumer's trust in a channel moves a step toward the outcome of each purchase:
``trust <- trust + rate * (outcome - trust)``. A good purchase has outcome 1. A bad online order
(counterfeit, wrong or damaged) has outcome ``relief``: the share of the damage the platform's
protections undo (escrow refunds the money, a return window takes the goods back). A store
purchase satisfies with the store's quality ``q_j`` and disappoints (outcome 0) otherwise.
"""

from __future__ import annotations

import numpy as np


def bad_order_relief(
    escrow: bool, returns: bool, escrow_relief: float, returns_relief: float
) -> float:
    """Outcome of a bad order on a platform, from 0 (full damage) to 1 (no damage felt).

    Args:
        escrow: Whether the platform holds payment in escrow.
        returns: Whether it offers a no-reason return window.
        escrow_relief: Share of the damage escrow undoes.
        returns_relief: Share of the damage returns undo.

    Returns:
        The relief, capped at 1.
    """
    return min(1.0, escrow_relief * escrow + returns_relief * returns)


def learn(
    trust: np.ndarray,
    who: np.ndarray,
    outcome: np.ndarray | float,
    rate: float,
    column: int | np.ndarray | None = None,
) -> None:
    """Each listed consumer moves its trust a step ``rate`` toward the outcome of its purchase.

    Args:
        trust: A trust column (n,) or table (n, channels) of float32, updated in place.
        who: Indices of the consumers who had an experience.
        outcome: Their outcomes, 0-1 (an array aligned with ``who`` or one number).
        rate: Learning rate, 0-1.
        column: For a table, the channel's column (one, or one per consumer in ``who``).
    """
    rows = who if column is None else (who, column)
    current = trust[rows]
    trust[rows] = current + rate * (outcome - current)


def store_outcomes(quality: np.ndarray, rng: np.random.Generator) -> np.ndarray | float:
    """Outcome of each store purchase: 1 if it satisfies, 0 if it disappoints.

    A buyer at store ``j`` is satisfied with probability ``q_j`` (goods in stock, the right fit,
    good service). When every store's quality is 1 nothing is drawn and every outcome is 1.

    Args:
        quality: The quality of the store of each purchase, 0-1.
        rng: The random stream.

    Returns:
        One outcome per purchase (float32), or 1.0 when every store is perfect.
    """
    if quality.size == 0 or quality.min() >= 1.0:
        return 1.0
    return (rng.random(quality.size) < quality).astype(np.float32)


def draw_store_quality(mean: float, spread: float, rng: np.random.Generator) -> float:
    """A new store's quality: normal around ``mean`` with ``spread``, within [0, 1].

    Nothing is drawn without a spread: every store then has the mean quality.
    """
    if spread <= 0:
        return mean
    return float(np.clip(rng.normal(mean, spread), 0.0, 1.0))
