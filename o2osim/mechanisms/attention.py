"""The attention market: sellers buy impressions to win customers, and each new one costs more.

Every week each platform's sellers bring a traffic budget ``b_m`` (yuan). The supply of
impressions is what online shoppers see:

    S = impressions_per_user * (pc_users + mobile_impressions_factor * mobile_users)

The market clears proportionally: the price of an impression is

    price = max(reserve_cpm / 1000, sum_m b_m / S)

and seller ``m`` gets ``b_m / price`` impressions. An impression is clicked with probability
``click_through``; the click is a paid visit by a random online shopper. If that shopper is not
yet a customer of the platform, the visit makes one with probability ``paid_signup``. So a new
customer costs ``price / (click_through * paid_signup * u_m)``, where ``u_m`` is the share of
online shoppers who are not yet customers of ``m``: more budgets chasing the same attention,
and fewer people left to win, both raise the cost.

Search ads (sponsored results) are sold in the same auction. A search session shows ``a``
of them, each clicked with probability ``ctr_s``; counted by their clicks, a search session
offers as much as ``a * ctr_s / click_through`` display impressions, so the supply becomes

    S = S_display + a * (ctr_s / click_through) * searches

and a share ``S_search / S`` of every bidder's clicks is search clicks. A search click lands
in a session of a shopper searching for a need this week (each session equally likely): it
carries the intent the display click lacks, and it may make a customer of a searcher who is
not yet the platform's, with the same ``paid_signup``. Sponsored search's click-through is
far above display's (about 2 % against 0.1-0.5 % in WordStream's 2016 Google Ads benchmarks;
Jansen and Mullen 2008, "Sponsored search: an overview of the concept, history, and
technology", International Journal of Electronic Business 6(2)).

A platform also sells sponsored results in the searches on its own pages (Taobao's
pay-for-performance listings, from 2007): ``ad_load_k`` of them per search session, clicked
with ``ctr_s``, bought only by its own sellers. A searcher spreads its sessions evenly over the
platforms it is a customer of, so platform ``k`` hosts ``Q_k`` of the week's sessions and sells
``ad_load_k * ctr_s * Q_k`` clicks. They win no customer (the searchers are its customers
already); they win a seller the order over its rivals, so the shops bid what a click is worth,
``v_k = margin_k * P_k * c_k`` (margin on the price times the orders per search session),
and in a second-price auction among ``N_k`` shops whose values spread evenly up to ``v_k``
the click sells for the expected second-highest value (Vickrey 1961; Edelman, Ostrovsky and
Schwarz 2007, "Internet advertising and the generalized second-price auction", American
Economic Review 97(1)):

    cpc_k = v_k * (N_k - 1) / (N_k + 1)

The more shops compete for a search, the closer the price comes to the click's whole value.
"""

from __future__ import annotations

import numpy as np


def clear(budgets: np.ndarray, supply: float, reserve_price: float) -> tuple[float, np.ndarray]:
    """Price of an impression and the impressions each bidder gets.

    Args:
        budgets: Traffic budget of each bidder this week, yuan.
        supply: Impressions available this week.
        reserve_price: Lowest price of one impression, yuan.

    Returns:
        The price (yuan per impression) and the impressions bought by each bidder.
    """
    total = float(budgets.sum())
    if supply <= 0 or total <= 0:
        return reserve_price, np.zeros_like(budgets, dtype=np.float64)
    price = max(reserve_price, total / supply)
    return price, budgets / price


def search_supply(searches: float, ads: float, search_ctr: float, click_through: float) -> float:
    """Search slots counted in display impressions: as many as get the same clicks.

        S_search = ads * searches * search_ctr / click_through            [impressions]

    Args:
        searches: Search sessions of the week the slots are sold on, sessions (real people).
        ads: Sponsored results a search session shows.
        search_ctr: Chance that a sponsored result is clicked.
        click_through: Chance that a display impression is clicked.

    Returns:
        The supply, display impressions (0 when no search ad is shown or nothing is clicked).
    """
    if ads <= 0 or searches <= 0 or click_through <= 0:
        return 0.0
    return ads * searches * search_ctr / click_through


def searchers_visiting(
    searchers: np.ndarray,
    sessions: np.ndarray,
    clicks: np.ndarray,
    signup: float,
    people_per_consumer: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """The search clicks that would make a customer: searchers drawn by their sessions.

    A search click lands in one of the week's search sessions, each equally likely, so on a
    searcher with probability proportional to its sessions ``S_i``; as in
    :func:`paid_visitors`, only the clicks kept with probability ``signup`` are drawn.

    Args:
        searchers: Indices of the consumers who searched this week.
        sessions: Their search sessions (at least 1 each).
        clicks: Search clicks of each platform this week (real people).
        signup: Chance that a visit by a non-customer makes a customer.
        people_per_consumer: Real people per simulated consumer.
        rng: The model's random stream.

    Returns:
        Indices of the visiting consumers (with repeats) and the platform of each visit.
    """
    if searchers.size == 0 or clicks.sum() <= 0:
        return searchers[:0], searchers[:0]
    pid = _signing_visits(clicks, signup, people_per_consumer, rng)
    ends = np.cumsum(sessions, dtype=np.float64)
    hit = np.searchsorted(ends, rng.random(pid.size) * ends[-1], side="right")
    return searchers[hit], pid


def open_share(
    customer_of: np.ndarray, members: np.ndarray, n: int, weights: np.ndarray | None = None
) -> np.ndarray:
    """Each platform's share of ``members`` who are not yet its customers, weighted or not.

    The members are counted by their bit mask of platforms (one count per mask, at most
    ``2 ** n`` of them), and a platform's customers are the masks with its bit set.

    Args:
        customer_of: Bit mask of the platforms each consumer is a customer of.
        members: Indices of the consumers counted.
        n: Number of platforms.
        weights: Weight of each member (for searchers, its sessions); ``None``: one each.

    Returns:
        The share per platform, 0-1 (1 where nobody is counted).
    """
    total = float(members.size) if weights is None else float(weights.sum())
    if total <= 0:
        return np.ones(n)
    masks = np.bincount(customer_of[members], weights=weights, minlength=1 << n)
    values = np.arange(masks.size)
    held = np.array([masks[(values >> k) & 1 == 1].sum() for k in range(n)])
    return 1.0 - held / total


def platform_bits(masks: np.ndarray, n: int) -> np.ndarray:
    """Each consumer's platform bit mask as a 0/1 column per platform, shape ``(masks, n)``.

    Args:
        masks: Bit masks of platforms (``customer_of`` of some consumers), uint8.
        n: Number of platforms.

    Returns:
        ``bits[i, k] = 1`` where consumer ``i``'s mask has platform ``k``'s bit set (uint8).
    """
    return (masks[:, None] >> np.arange(n, dtype=np.uint8)) & 1


def sessions_by_platform(
    customer_of: np.ndarray, searchers: np.ndarray, sessions: np.ndarray, n: int
) -> np.ndarray:
    """Each searcher's sessions spread evenly over the platforms it is a customer of.

    A searcher ``i`` with ``S_i`` sessions, a customer of ``h_i`` platforms, runs
    ``S_i / h_i`` of them on each (none where it is not a customer).

    Args:
        customer_of: Bit mask of the platforms each consumer is a customer of.
        searchers: Indices of the consumers who searched this week.
        sessions: Their search sessions.
        n: Number of platforms.

    Returns:
        Sessions of each searcher on each platform, shape ``(searchers, n)``.
    """
    bits = platform_bits(customer_of[searchers], n)
    held = np.maximum(bits.sum(axis=1), 1)
    return bits * (sessions / held)[:, None]


def click_price(value: np.ndarray, shops: np.ndarray) -> np.ndarray:
    """Price of a sponsored click when ``N`` shops bid for it in a second-price auction.

    The shops' values of the click spread evenly up to ``v``; the click goes to the highest
    bid at the second-highest, whose expectation is

        cpc = v * (N - 1) / (N + 1)                                    [yuan/click]

    A single shop pays nothing; many pay nearly the whole value.

    Args:
        value: What a click is worth to the best-placed shop, yuan (per platform).
        shops: Shops bidding for it (per platform).

    Returns:
        The price of a click, yuan.
    """
    n = np.maximum(np.asarray(shops, dtype=np.float64), 1.0)
    return np.maximum(value, 0.0) * (n - 1.0) / (n + 1.0)


def paid_visitors(
    online_idx: np.ndarray,
    clicks: np.ndarray,
    signup: float,
    people_per_consumer: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """The paid visits that would make a customer: Poisson numbers of random online shoppers.

    Each click is a visit by a random online shopper, and a visit makes a customer of a shopper
    who is not one yet with probability ``signup``. Keeping each click with probability
    ``signup`` leaves a Poisson number of visits again (Poisson thinning), so only those are
    drawn: the same outcome as drawing every click, at a fraction of the random numbers.

    Args:
        online_idx: Indices of the consumers who shop online.
        clicks: Clicks bought this week by each platform (real people).
        signup: Chance that a visit by a non-customer makes a customer.
        people_per_consumer: Real people per simulated consumer.
        rng: The model's random stream.

    Returns:
        Indices of the visiting consumers (with repeats) and the platform of each visit.
    """
    if online_idx.size == 0 or clicks.sum() <= 0:
        return online_idx[:0], online_idx[:0]
    pid = _signing_visits(clicks, signup, people_per_consumer, rng)
    return online_idx[rng.integers(0, online_idx.size, size=pid.size)], pid


def _signing_visits(
    clicks: np.ndarray, signup: float, people_per_consumer: float, rng: np.random.Generator
) -> np.ndarray:
    """The platform of each click kept with probability ``signup``, one entry per visit.

    Each platform gets ``Poisson(clicks * signup / w)`` visits (agent scale).
    """
    counts = rng.poisson(clicks * signup / people_per_consumer)
    return np.repeat(np.arange(clicks.size), counts)


def sign_up(customer_of: np.ndarray, visitors: np.ndarray, pid: np.ndarray) -> np.ndarray:
    """Which converting visits make a new customer: those by shoppers not yet customers.

    Args:
        customer_of: Bit mask of the platforms each consumer is a customer of.
        visitors: The visiting consumers, from :func:`paid_visitors`.
        pid: The platform of each visit.

    Returns:
        A mask over the visits: those that made a new customer (the caller records them).
    """
    return ((customer_of[visitors] >> pid) & 1) == 0


def expected_sign_ups(
    clicks: np.ndarray, signup: float, customer_of: np.ndarray, online_idx: np.ndarray
) -> np.ndarray:
    """The customers each platform's paid clicks win in expectation this week, people.

    A click is a visit by a random online shopper, and it makes a customer of a shopper who
    is not yet one of the platform's with chance ``signup`` (as :func:`paid_visitors` and
    :func:`sign_up` draw it):

        E[won_k] = clicks_k * signup * (1 - c_k)                    [people/week]

    with ``c_k`` the share of online shoppers already the platform's customers. Sellers judge
    what a customer costs them by this expectation, as sellers with thousands of clicks a
    week see it: spend over the few sign-ups a sample of agents draws is biased upward (a
    ratio to a small random count), the more so the fewer the agents.

    Args:
        clicks: Clicks bought this week by each platform (real people).
        signup: Chance that a visit by a non-customer makes a customer.
        customer_of: Bit mask of the platforms each consumer is a customer of.
        online_idx: Indices of the consumers who shop online.

    Returns:
        Expected new customers of each platform, people.
    """
    if online_idx.size == 0:
        return np.zeros_like(clicks, dtype=np.float64)
    return clicks * signup * open_share(customer_of, online_idx, clicks.size)


def customer_value(
    margin: float, price: float, orders_per_year: float, churn: float, horizon: float
) -> float:
    """What a new customer is worth to a seller: its margin over the orders it will place.

    A customer places ``f`` orders a year and stays ``min(1 / churn, H)`` years (a geometric
    lifetime at the seller's observed churn, capped at the horizon ``H``):

        V = margin * price * f * min(1 / churn, H)                      [yuan]

    Args:
        margin: Share of an order's price the seller keeps.
        price: Price of an order, yuan.
        orders_per_year: Orders a customer places a year.
        churn: Share of customers lost a year (0: the horizon applies).
        horizon: Longest the seller counts on keeping a customer, years.

    Returns:
        The value, yuan.
    """
    years = horizon if churn <= 0 else min(1.0 / churn, horizon)
    return margin * price * orders_per_year * years


def adjust_budget(budget: float, value: float, cost: float, step: float, floor: float) -> float:
    """Sellers' next traffic budget: more while a customer is worth more than it costs.

    The budget moves by the ratio of a new customer's value to its cost, at most by ``step``
    a week either way:

        b' = max(floor, b * clip(V / C, 1 / (1 + step), 1 + step))

    A customer that cost nothing to win (nothing was spent) counts as worth buying; one that
    could not be won (``C`` infinite) as not.

    Args:
        budget: This week's budget, yuan.
        value: What a new customer is worth, yuan (:func:`customer_value`).
        cost: What a new customer cost lately, yuan (``inf``: none was won).
        step: Most the budget moves in a week, share.
        floor: Smallest budget, yuan.

    Returns:
        Next week's budget, yuan.
    """
    ratio = 1.0 + step if cost <= 0 else value / cost
    return max(floor, budget * min(max(ratio, 1.0 / (1.0 + step)), 1.0 + step))
