"""Firms that decide: a firm moves one lever a year and keeps the move when it paid.

A firm does not know the demand it faces. It looks at its own books, tries one change a year
and reads its effect off the next year's books: it keeps a change that raised its
performance, and takes back one that lowered it and tries that lever the other way next time
(problemistic search: Cyert and March 1963, *A Behavioral Theory of the Firm*, ch. 6; the
local search of routines in Nelson and Winter 1982, *An Evolutionary Theory of Economic
Change*, ch. 10). Changing one lever at a time is what lets the books say which change paid.
"Raised" means above the firm's aspiration, which follows its own results (an adaptive
aspiration level, Cyert and March 1963; Levinthal and March 1981, "A model of adaptive
organizational search", *Journal of Economic Behavior and Organization* 2(4)):

    A_t = (1 - b) * A_{t-1} + b * pi_t

so that one lucky year does not block every later change. A firm whose results have been
rising or falling for years expects the trend to go on (Holt's 1957 linear exponential
smoothing, with ``c`` the trend weight):

    T_t = c * (A_t - A_{t-1}) + (1 - c) * T_{t-1},      A_t = (1 - b) (A_{t-1} + T_{t-1}) + b pi_t

and judges a move by ``A + T``, what it would have expected without the move: a platform
whose profit grows as its market grows is not misled into keeping every move it made while
growing (``c = 0``: no trend, ``T = 0``).

A firm's performance is its profit over the year per yuan of the whole online market's GMV
that year, so that the market's growth, which lifts every firm's profit whatever it did, is
divided out:

    pi_t = profit_t / GMV_market_t
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def performance(profit: float, market_gmv: float) -> float:
    """A firm's year: its profit per yuan of the online market's GMV (0 without a market).

    Args:
        profit: The firm's profit over the year, yuan.
        market_gmv: The online market's GMV over the year, yuan.

    Returns:
        The performance, yuan of profit per yuan of market GMV.
    """
    return profit / market_gmv if market_gmv > 0 else 0.0


@dataclass
class Search:
    """Where a firm's one-lever-a-year search stands.

    Attributes:
        values: Each lever's current value.
        directions: The way each lever moves next, +1 or -1.
        moved: The lever moved at the start of the year being judged (-1: none yet).
        before: That lever's value before its move.
        aspiration: The level of performance the firm expects (``None`` before its first
            year).
        last: The lever moved last (-1: none yet), from which the turn goes on.
        trend: The yearly change of performance the firm expects.
    """

    values: np.ndarray
    directions: np.ndarray
    moved: int = -1
    before: float = 0.0
    aspiration: float | None = None
    last: int = -1
    trend: float = 0.0


def hill_climb(
    search: Search,
    result: float,
    steps: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    weight: float = 0.5,
    trend_weight: float = 0.0,
) -> Search:
    """One year's decision: judge last year's move by its result, then move the next lever.

    If the lever moved a year ago left the firm's performance below what it expected
    (``result < A + T``), the firm takes the move back and turns that lever's direction
    around; otherwise it keeps the move. Its aspiration then moves toward the result,
    ``A <- (1 - weight) * (A + T) + weight * result``, and its trend toward the aspiration's
    change, ``T <- trend_weight * (A_new - A_old) + (1 - trend_weight) * T`` (the first year's
    result is its first aspiration, with no trend and no move to judge). Then it moves the
    next lever in turn one step in its direction,

        x_j <- clip(x_j + d_j * step_j, low_j, high_j)

    A lever that stands at the bound it moves toward rests there (a move that paid up to the
    bound is kept) and the turn passes to the next; a lever moves away from a bound only after
    a move toward it was taken back. When every lever rests, nothing moves this year.

    Args:
        search: Where the search stands (not changed; a new one is returned).
        result: The performance of the year just ended.
        steps: Each lever's step.
        low: Each lever's lowest value.
        high: Each lever's highest value.
        weight: How far the aspiration moves toward a year's result, 0-1.
        trend_weight: How far the expected trend moves toward the aspiration's change, 0-1
            (0: the firm expects no trend).

    Returns:
        The search after this year's decision.
    """
    values = search.values.copy()
    directions = search.directions.copy()
    aspiration, trend = search.aspiration, search.trend
    if aspiration is None:
        aspiration = result
    else:
        expected = aspiration + trend
        if search.moved >= 0 and result < expected:
            values[search.moved] = search.before
            directions[search.moved] = -directions[search.moved]
        level = (1 - weight) * expected + weight * result
        trend = trend_weight * (level - aspiration) + (1 - trend_weight) * trend
        aspiration = level
    start = search.moved + 1 if search.moved >= 0 else search.last + 1
    for k in range(values.size):
        turn = (start + k) % values.size
        before = float(values[turn])
        # rounded: a commission of 0.03 plus ten steps of 0.005 is 0.08, not 0.07999...
        ahead = round(
            float(np.clip(before + directions[turn] * steps[turn], low[turn], high[turn])), 12
        )
        if ahead != before:
            values[turn] = ahead
            return Search(values, directions, turn, before, aspiration, turn, trend)
    return Search(values, directions, -1, 0.0, aspiration, search.last, trend)  # all at rest
