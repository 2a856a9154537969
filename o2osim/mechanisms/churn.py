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


def platform_churn(last: np.ndarray, this: np.ndarray) -> tuple[float, float]:
    """Platform relationships of last year that were lost this year, and all of last year's."""
    base = float(POPCOUNT[last].sum())
    lost = float(POPCOUNT[last & ~this].sum())
    return lost, base


def seller_churn(last_seller: np.ndarray, came_back: np.ndarray) -> tuple[float, float]:
    """Customers of last year who did not come back to their seller, and all of last year's."""
    had = last_seller >= 0
    return float(np.count_nonzero(had & ~came_back)), float(np.count_nonzero(had))
