"""Store formats: what a full store would earn as a showroom, a pick-up point or a service point.

Once a year a full store compares its year's profit with what each other format would have
earned on the same year (bounded rationality: its own books and what it can see around it),
and turns into the best one when that makes a profit and beats staying full by more than the
refit costs (a store's adaptation to channel change: Verhoef, Kannan and Inman 2015, "From
multi-channel retailing to omni-channel retailing", *Journal of Retailing* 91(2); showrooms,
pick-up and service points as the store's new roles: Bell, Gallino and Moreno 2018, "Offline
showrooms in omnichannel retail: demand and operational benefits", *Management Science*
64(4)).

- A **showroom** shows the goods and takes the order, and the goods come later: it pays less
  rent and fewer wages, but loses the buyers who came for what it no longer gives (taking the
  goods home at once) and makes every buyer wait. A buyer for whom the store loses ``d`` yuan
  of utility stays with chance ``exp(-d / s)`` (the logit share of an option with a small
  share, ``s`` the choice scale).
- A **pick-up point** sells nothing; it holds online orders for collection and online sellers
  pay it a fee per order.
- A **service point** sells nothing; it installs and services online purchases for the brands,
  which pay it a fee per service.

A point expects the online orders (or services) of the homes within its reach, shared with the
points of its kind already there and itself.
"""

from __future__ import annotations

import numpy as np


def showroom_kept(
    sold_by_kind: np.ndarray, lost_value: np.ndarray, wait: float, scale: float
) -> np.ndarray:
    """The share of a store's sales a showroom would keep.

    ``kept_j = sum_k n_jk exp(-(d_jk + w) / s) / sum_k n_jk``, with ``n_jk`` the store's
    purchases of need kind ``k`` this year, ``d_jk`` the service value it would no longer give
    them, ``w`` what waiting for the goods costs a buyer, and ``s`` the consumers' choice scale
    (all in base-year yuan). A store without sales keeps nothing.

    Args:
        sold_by_kind: Purchases at each store by need kind, shape (stores, kinds).
        lost_value: Service value a showroom of each store would not give, per need kind,
            base-year yuan, shape (stores, kinds).
        wait: What waiting for delivery costs a buyer, base-year yuan.
        scale: The consumers' logit choice scale, base-year yuan.

    Returns:
        The share kept, per store, 0-1.
    """
    stay = np.exp(-(lost_value + wait) / scale)
    total = sold_by_kind.sum(axis=1)
    kept = (sold_by_kind * stay).sum(axis=1)
    return np.divide(kept, total, out=np.zeros_like(kept), where=total > 0)


def point_income(demand: np.ndarray, rivals: np.ndarray, fee: float) -> np.ndarray:
    """What a store would earn as a point: ``fee * D_j / (n_j + 1)``, yuan a year.

    Args:
        demand: Online orders (pick-up) or services (service point) a year from the homes
            within each store's reach.
        rivals: Points of that kind already within each store's reach.
        fee: What a point earns per order or service, yuan.

    Returns:
        The expected fees, yuan a year, per store.
    """
    return fee * demand / (rivals + 1.0)


def best_format(current: np.ndarray, alternatives: np.ndarray, refit: float) -> np.ndarray:
    """Each store's best format: the best alternative, if it makes a profit and beats staying.

    A store changes format when its best alternative would make a profit a year and more than
    it made as it is, by more than the refit: ``Pi_f > 0`` and ``Pi_f - refit > Pi_now``. A
    store that would lose money in every format keeps its format (and closes by the closure
    rule if it keeps losing).

    Args:
        current: Each store's profit this year as it is, yuan.
        alternatives: Each store's expected profit a year in each other format, yuan,
            shape (stores, formats); ``-inf`` for a format it may not take.
        refit: What changing format costs once, yuan.

    Returns:
        Index of the best alternative per store, -1 to stay.
    """
    if alternatives.shape[1] == 0:
        return np.full(current.size, -1)
    best = alternatives.argmax(axis=1)
    profit = alternatives[np.arange(current.size), best]
    return np.where((profit > 0) & (profit - refit > current), best, -1)
