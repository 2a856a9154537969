"""Weekly purchase needs."""

from __future__ import annotations

import numpy as np


def draw_shoppers(n: int, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Each consumer independently has a purchase need this week with probability ``rate``.

    Args:
        n: Number of consumers.
        rate: Weekly need probability (already multiplied by any event boost, capped at 1).
        rng: The model's random stream.

    Returns:
        Sorted indices of the consumers who shop this week.
    """
    rate = min(max(rate, 0.0), 1.0)
    count = rng.binomial(n, rate)
    if count == 0:
        return np.empty(0, dtype=np.int64)
    return np.sort(rng.choice(n, size=count, replace=False))
