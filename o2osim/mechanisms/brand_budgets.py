"""Brands that decide: goodwill, share of a channel, the marketing budget and entry.

A brand's marketing in a channel (stores, or the platforms) builds its goodwill there, a stock
that fades (Nerlove and Arrow 1962). Its share of the channel's sales is its attraction over
everyone's (the attraction model of Cooper and Nakanishi 1988): attraction grows with goodwill
at an advertising elasticity. Each year a brand sets its budget as a share of its revenue (the
percentage-of-sales rule most firms use) and moves its split between the channels part of the
way toward the split of the spends that would maximize its profit in each channel at last
year's books (the Dorfman and Steiner 1954 condition for an attraction model). An
online-native brand enters when the share its entry budget would win of last year's online
sales pays its budget and overheads.
"""

from __future__ import annotations

import math

import numpy as np


def goodwill_step(goodwill: np.ndarray, spend: np.ndarray, decay: float, weeks: int) -> np.ndarray:
    """One week of a brand's goodwill in each channel (Nerlove and Arrow 1962).

    The goodwill left from before fades at ``decay`` a year and this week's spend adds to it:
    ``G' = G exp(-decay / weeks) + S / weeks``, with ``S`` the yearly spend (yuan/year). Held
    for good, a spend ``S`` builds goodwill ``S / decay`` (yuan).

    Args:
        goodwill: Goodwill per channel, yuan.
        spend: Marketing spend per channel, yuan/year.
        decay: Share of goodwill that fades a year (continuous rate).
        weeks: Weeks per year.
    """
    return goodwill * math.exp(-decay / weeks) + spend / weeks


def online_goodwill(online: float, offline: float, spillover: float) -> float:
    """The goodwill that works for a brand online: ``G_on + sigma G_off``, yuan.

    A brand known from stores and outside media is one shoppers look for online too
    (customer-based brand equity, Keller 1993): a share ``sigma`` of its offline goodwill
    works on the platforms. An online-native brand has no offline goodwill.
    """
    return online + spillover * offline


def attraction(start: float, goodwill: float, start_goodwill: float, elasticity: float) -> float:
    """A brand's attraction in a channel: its start share scaled by its goodwill's growth.

    ``A = m_0 (G / G_0)^alpha`` (Cooper and Nakanishi 1988): at the start the attractions are
    the scenario's market shares ``m_0``; a brand with no goodwill at the start (it spent
    nothing there) keeps ``A = m_0``.

    Args:
        start: Attraction at the start (the market share, or an entrant's).
        goodwill: Goodwill now, yuan.
        start_goodwill: Goodwill at which the attraction is ``start``, yuan.
        elasticity: ``alpha``, the long-run elasticity of attraction to goodwill.
    """
    if start_goodwill <= 0:
        return start
    return start * (max(goodwill, 0.0) / start_goodwill) ** elasticity


def channel_shares(attractions: np.ndarray, others: float) -> np.ndarray:
    """Each brand's share of a channel's sales: ``m_b = A_b / (sum_j A_j + A_others)``.

    ``others`` is the attraction of the goods of brands not in the scenario (their share at
    the start, ``1 - sum of market shares``); with nobody attractive nobody sells.
    """
    total = float(attractions.sum()) + others
    return attractions / total if total > 0 else attractions * 0.0


def optimal_spend(share: float, contribution: float, elasticity: float) -> float:
    """The yearly spend in a channel that maximizes the brand's profit there, yuan/year.

    With share ``m = A / (A + R)`` and ``A`` proportional to ``G^alpha``, a yuan more of
    goodwill earns ``alpha (1 - m) C / G`` a year, where ``C`` is the brand's contribution in
    the channel (its sales there less their production and channel costs, before marketing),
    and holding it costs ``decay`` a year; at the optimum ``decay G = S`` so
    ``S* = alpha (1 - m) C`` (Dorfman and Steiner 1954). A monopoly (``m = 1``), or a channel
    that loses money, gets nothing.
    """
    return max(0.0, elasticity * (1.0 - share) * contribution)


def online_split(optimal: np.ndarray) -> float:
    """The online share of a budget split as the optimal spends: ``S*_on / (S*_on + S*_off)``.

    Spending a budget in each channel in proportion to its optimal spend equalizes the
    marginal returns of the channels (the Dorfman-Steiner condition across channels).

    Args:
        optimal: Optimal spend online and offline (:func:`optimal_spend`), not both 0.
    """
    return float(optimal[0] / optimal.sum())


def adjusted(value: float, target: float, adjustment: float) -> float:
    """Next year's value: ``x' = x + lambda (x* - x)``, part of the way to the target."""
    return value + adjustment * (target - value)


def entry_profit(
    attraction_at_budget: float,
    rivals: float,
    online_sales: float,
    margin: float,
    budget: float,
    fixed_cost: float,
) -> float:
    """What an online-native brand expects to make a year by entering, yuan/year.

    With its entry budget spent for good it would be ``A_e`` attractive against the others'
    ``R``, winning ``m_e = A_e / (A_e + R)`` of last year's online sales ``V``; it keeps
    ``margin`` of a yuan of sales (after commission and production cost) and pays its budget
    and overheads: ``m_e V margin - budget - fixed_cost``.
    """
    share = attraction_at_budget / (attraction_at_budget + rivals)
    return share * online_sales * margin - budget - fixed_cost
