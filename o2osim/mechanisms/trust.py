"""Trust learning from purchase experiences.

A consumer's trust in a channel moves a step toward the outcome of each purchase:
``trust <- trust + rate * (outcome - trust)``. A good purchase has outcome 1. A bad online order
(counterfeit, wrong or damaged) has outcome ``relief``: the share of the damage the platform's
protections undo (escrow refunds the money, a return window takes the goods back).
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
