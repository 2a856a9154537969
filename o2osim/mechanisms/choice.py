"""Channel choice: a multinomial logit over nearby stores and launched platforms.

Utilities are in yuan. A shopper weighs the price it would pay, the travel cost to a store or the
wait for a delivery, and the value of trusting the channel:

    U_store = -basket * price_store - travel_cost * distance + trust_value * trust_offline
    U_platform = -basket * price_platform - delivery_wait_cost * days + trust_value * trust_platform

and picks the option with the highest ``U / choice_scale + Gumbel noise``, which gives logit
choice probabilities ``exp(U_j / s) / sum_k exp(U_k / s)``.
"""

from __future__ import annotations

import numpy as np


def logit_choice(utility: np.ndarray, scale: float, rng: np.random.Generator) -> np.ndarray:
    """Each shopper picks the option with the highest utility plus a Gumbel taste shock.

    Options with utility ``-inf`` are never chosen. A shopper with no available option at all
    gets ``-1``.

    Args:
        utility: Shape (shoppers, options), yuan; modified in place.
        scale: Logit scale in yuan.
        rng: The model's random stream.

    Returns:
        Index of the chosen option per shopper (int64), ``-1`` where nothing was available.
    """
    if utility.shape[0] == 0:
        return np.empty(0, dtype=np.int64)
    utility /= scale
    # -log of a standard exponential is a standard Gumbel draw; the exponential's ziggurat
    # sampler in single precision is several times faster than rng.gumbel. It can return an
    # exact 0, whose infinite shock would make an unavailable (-inf) option NaN: floor it.
    draw = rng.standard_exponential(size=utility.shape, dtype=np.float32)
    utility -= np.log(np.maximum(draw, np.float32(1e-30), out=draw), out=draw)
    choice = utility.argmax(axis=1)
    # -inf stays -inf with noise added: the best option is unavailable only if all are
    choice[np.isneginf(utility[np.arange(choice.size), choice])] = -1
    return choice


def service_value(value: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """What a store visit adds to a shopper's utility for its need: ``q_j * v_kind`` (yuan).

    A shopper whose need is of kind ``kind`` (touch and try, take home at once, installation
    and after-sales) values what store ``j`` adds over buying unseen online at ``v_kind``
    base-year yuan, and counts on it as often as the store delivers it: with the store's
    quality ``q_j``. A plain need has ``v = 0``.

    Args:
        value: The service value of each shopper's need kind, yuan (shape (shoppers,)).
        quality: Quality of each store option of each shopper, 0-1 (shape (shoppers, k)).

    Returns:
        The service value of each option, yuan (float32, shape of ``quality``).
    """
    return (value[:, None] * quality).astype(np.float32)


def ad_nuisance(ad_cost: float, ad_load: float) -> float:
    """What a platform's sponsored results cost a shopper on an order there, yuan.

    A shopper wades past the ``ad_load`` sponsored results of each search session before it
    finds what it wants; each is worth ``ad_cost`` of its time and attention on the order:

        U_platform -= ad_cost * ad_load                                  [yuan]

    A higher ad load earns the platform more from its sellers and costs it shoppers; with
    ``ad_cost = 0`` the shoppers do not mind (the ads still cost the sellers).

    Args:
        ad_cost: Cost to a shopper of one sponsored result per search session, yuan.
        ad_load: Sponsored results per search session on the platform.

    Returns:
        The utility lost, yuan.
    """
    return ad_cost * ad_load
