"""Social contacts: a sparse small-world graph in CSR form.

People know their neighbours: consumers are laid on a ring in order of where they live (district,
then east coordinate), each is linked to the ``mean_degree / 2`` next people on the ring, and each
link is rewired to a random person with probability ``rewire`` (Watts-Strogatz). The graph is
undirected and stored as CSR arrays ``indptr`` and ``indices`` (contacts of ``i`` are
``indices[indptr[i]:indptr[i + 1]]``), so word of mouth is a sparse gather, never a loop.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def small_world(
    order: np.ndarray, mean_degree: int, rewire: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Build an undirected small-world contact graph.

    Args:
        order: A permutation of the consumers: neighbours on this ring are neighbours in life.
        mean_degree: Mean number of contacts (even; ``mean_degree / 2`` links per person).
        rewire: Chance that a link goes to a random person instead of a ring neighbour, 0-1.
        rng: The model's random stream.

    Returns:
        ``indptr`` (n + 1, int64) and ``indices`` (int32) of the CSR adjacency.
    """
    n = order.size
    half = min(mean_degree // 2, max((n - 1) // 2, 0))
    if n < 2 or half == 0:
        return np.zeros(n + 1, dtype=np.int64), np.empty(0, dtype=np.int32)
    position = np.arange(n)
    src = np.repeat(position, half)
    dst = (src + np.tile(np.arange(1, half + 1), n)) % n
    src, dst = order[src], order[dst]
    moved = rng.random(src.size) < rewire
    dst[moved] = rng.integers(0, n, size=int(moved.sum()))
    keep = src != dst
    src, dst = src[keep], dst[keep]
    ones = np.ones(2 * src.size, dtype=np.int8)
    graph = sp.csr_matrix(
        (ones, (np.concatenate([src, dst]), np.concatenate([dst, src]))), shape=(n, n)
    )
    graph.sum_duplicates()
    return graph.indptr.astype(np.int64), graph.indices.astype(np.int32)


def contacts_of(indptr: np.ndarray, indices: np.ndarray, who: np.ndarray) -> np.ndarray:
    """All contacts of the listed people, concatenated (with repeats for shared contacts).

    Args:
        indptr: CSR row pointers.
        indices: CSR column indices.
        who: The people whose contacts are wanted.

    Returns:
        Contact indices, one entry per (person, contact) link.
    """
    if who.size == 0:
        return indices[:0]
    starts, ends = indptr[who], indptr[who + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return indices[:0]
    # offsets within the concatenated result: start of each person's block, repeated
    block = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return indices[block + np.arange(total)]
