"""Word of mouth: bad orders are told to contacts, satisfied buyers bring contacts along.

A consumer with a bad online order tells ``wom_reach`` random contacts (more on a phone), who
move their trust in that platform toward the bad outcome with rate
``trust_learning_rate * wom_weight``. A satisfied online buyer brings one random contact to the
platform with probability ``referral_rate`` (higher on a phone); the contact becomes a customer
if it shops online and is not one yet.
"""

from __future__ import annotations

import numpy as np


def random_contacts(
    indptr: np.ndarray,
    contacts: np.ndarray,
    who: np.ndarray,
    per_person: np.ndarray | int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``per_person`` random contacts (with repeats) of each person in ``who``.

    People without contacts draw none.

    Returns:
        The contacts drawn, and for each the position in ``who`` of the person who drew it.
    """
    degree = (indptr[who + 1] - indptr[who]).astype(np.int64)
    counts = np.where(degree > 0, per_person, 0)
    source = np.repeat(np.arange(who.size), counts)
    if source.size == 0:
        return source, source
    tellers = who[source]
    offsets = (rng.random(source.size) * degree[source]).astype(np.int64)
    return contacts[indptr[tellers] + offsets].astype(np.int64), source
