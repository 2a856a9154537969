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


def promotion_need_chance(chance: np.ndarray, discount: float, elasticity: float) -> np.ndarray:
    """A consumer facing a price cut is more likely to have its need this week.

    An online shopper who is a customer of a platform holding an event faces the event's
    price cut ``d`` (the platforms' and the sellers' discounts compounded). With a constant
    price elasticity of purchase incidence ``e``, its weekly need chance ``r`` becomes

        r' = min(1, r * (1 - d) ** (-e))

    so a 30 % cut at ``e = 2`` doubles the chance (``0.7 ** -2 = 2.04``). The extra needs are
    purchases brought forward in time (the consumer is then sated, see pull-forward) and
    category expansion; the switch from stores to platforms comes from the channel choice,
    not from here. The short-term price-promotion elasticity of sales is about -2.6 (mean
    price elasticity) to -3.6 (temporary price cuts) in the meta-analysis of Bijmolt, Van
    Heerde & Pieters (2005, Journal of Marketing Research 42(2)); Van Heerde, Leeflang &
    Wittink (2004, Marketing Science 23(3)) split the promotion bump into about one third each
    of brand switching, purchases borrowed from other weeks and category expansion (see also
    Blattberg, Briesch & Fox 1995, "How promotions work", Marketing Science 14(3)). Without
    the switching part, ``e`` is about 1.7-2.4; 1-3 is a plausible range.

    Args:
        chance: Weekly need chance of each consumer facing the cut, 0-1.
        discount: The price cut, share of the list price, in [0, 1).
        elasticity: Price elasticity of purchase timing ``e`` (>= 0; 0 leaves the chance).

    Returns:
        The need chances in the event week, 0-1.
    """
    return np.minimum(1.0, chance * (1.0 - discount) ** (-elasticity))


def draw_service_kinds(count: int, shares: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each shopper's need this week is of one kind: a service need or ``plain``.

    A shopper draws one uniform number ``u`` and its need is of kind ``k``, the first with
    ``u < share_1 + ... + share_k``; past the last cumulated share the need is ``plain``
    (index ``len(shares)``). Touch and try, taking the goods home at once, installation and
    after-sales are what a store adds over buying unseen online.

    Args:
        count: Number of shoppers.
        shares: Share of needs of each service kind (summing to at most 1).
        rng: The model's random stream (one draw per shopper).

    Returns:
        The kind of each shopper's need (int64), ``len(shares)`` for plain.
    """
    return np.searchsorted(np.cumsum(shares), rng.random(count), side="right").astype(np.int64)


def results_ranking(sales: np.ndarray, shown: int | None) -> np.ndarray | None:
    """The variant a buyer of each variant finds in a platform's search results.

    The results list the ``shown`` variants that sold most last year (ties: the lower
    index first); a buyer whose variant is among them finds it, any other buys the
    bestseller. What the platform records is what was bought, so its sales data over-weigh
    the bestsellers by as much as its results hide the rest.

    Args:
        sales: Baskets of each variant the platform sold last year.
        shown: Variants the results show; ``None``: all.

    Returns:
        ``found[v]``, the variant bought by a buyer who needs ``v``; ``None`` when every
        variant is shown.
    """
    if shown is None or shown >= sales.size:
        return None
    order = np.argsort(-sales, kind="stable")
    found = np.full(sales.size, order[0], dtype=np.int64)
    found[order[:shown]] = order[:shown]
    return found
