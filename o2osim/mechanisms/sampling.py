"""Drawing the few consumers an event happens to without a random number for everyone.

When each of ``n`` consumers independently has the same small chance ``p`` of an event, the
gaps between successive consumers it happens to are geometric with parameter ``p``. Drawing
the gaps costs about ``n * p`` random numbers instead of ``n``, and gives exactly the same
distribution as one Bernoulli draw per consumer. When consumers' chances differ, candidates
are drawn with the largest chance and each is kept with its own chance divided by the largest
(thinning), which is again exact.
"""

from __future__ import annotations

import math

import numpy as np

#: Above this chance one uniform per consumer is cheaper than geometric gaps.
_DENSE = 0.2


def bernoulli_indices(n: int, p: float, rng: np.random.Generator) -> np.ndarray:
    """Indices in ``range(n)``, each included independently with probability ``p``.

    Args:
        n: Number of positions.
        p: Chance of each position, 0-1.
        rng: The model's random stream.

    Returns:
        Sorted int64 indices.
    """
    if n <= 0 or p <= 0.0:
        return np.empty(0, dtype=np.int64)
    if p >= _DENSE:
        return np.flatnonzero(rng.random(n) < p)
    expected = n * p
    batch = int(expected + 5.0 * math.sqrt(expected) + 16)
    parts = []
    last = -1
    while last < n:
        # A gap past the end means no more positions; capping it keeps the sum from
        # overflowing int64 when p is tiny (numpy returns 2**63 - 1 for such gaps).
        gaps = np.minimum(rng.geometric(p, size=batch), n + 1)
        positions = last + np.cumsum(gaps)
        parts.append(positions)
        last = int(positions[-1])
    found = np.concatenate(parts)
    return found[: np.searchsorted(found, n)]


def thinned(
    candidates: np.ndarray, chance: np.ndarray, most: float, rng: np.random.Generator
) -> np.ndarray:
    """Keep each candidate drawn at chance ``most`` with probability ``chance / most``.

    Args:
        candidates: Positions drawn by :func:`bernoulli_indices` with probability ``most``.
        chance: Each candidate's own chance, at most ``most``.
        most: The chance the candidates were drawn with.
        rng: The model's random stream.

    Returns:
        The candidates kept: each position is kept overall with its own ``chance``.
    """
    return candidates[rng.random(candidates.size) * most < chance]
