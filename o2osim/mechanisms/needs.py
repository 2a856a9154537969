"""Weekly purchase needs."""

from __future__ import annotations

import numpy as np


def draw_shoppers(chance: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each consumer independently has a purchase need this week with its own chance.

    Args:
        chance: Weekly need probability of each consumer, 0-1.
        rng: The model's random stream.

    Returns:
        Sorted indices of the consumers who shop this week.
    """
    return np.flatnonzero(rng.random(chance.size, dtype=np.float32) < chance)
