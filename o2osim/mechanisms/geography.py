"""Where people live and which stores they can reach.

The city is a square of side ``area_km``, cut two ways into square grids: districts (local
markets, where entrepreneurs judge whether a store would pay) and finer travel cells. A
consumer's travel distance to a store is measured from the centre of its cell, so the choice set
(the nearest open stores) is computed once per cell, not once per consumer.
"""

from __future__ import annotations

import numpy as np


def place_people(n: int, area_km: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Draw home locations: a dense centre plus a uniform spread over the city.

    Two in three people live around the centre (normal, sd = area / 6), the rest anywhere in the
    square; all are clipped into the city.

    Args:
        n: Number of people.
        area_km: Side of the square city in km.
        rng: The model's random stream.

    Returns:
        ``x`` and ``y`` coordinates in km (float32).
    """
    central = rng.random(n) < 2 / 3
    xy = rng.uniform(0.0, area_km, size=(2, n))
    xy[:, central] = rng.normal(area_km / 2, area_km / 6, size=(2, int(central.sum())))
    np.clip(xy, 0.0, np.nextafter(area_km, 0), out=xy)
    return xy[0].astype(np.float32), xy[1].astype(np.float32)


def district_of(x: np.ndarray, y: np.ndarray, area_km: float, districts: int) -> np.ndarray:
    """Index of the district (row-major grid cell) that contains each point."""
    cell = area_km / districts
    col = np.minimum((x / cell).astype(np.int32), districts - 1)
    row = np.minimum((y / cell).astype(np.int32), districts - 1)
    return row * districts + col


def district_centres(area_km: float, districts: int) -> np.ndarray:
    """Centres of the districts, shape (districts**2, 2), in km."""
    cell = area_km / districts
    centre = (np.arange(districts) + 0.5) * cell
    gx, gy = np.meshgrid(centre, centre)
    return np.column_stack([gx.ravel(), gy.ravel()])


def nearest_open_stores(
    centres: np.ndarray, store_xy: np.ndarray, is_open: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest open stores of each travel cell and their distances.

    A cell with fewer than ``k`` open stores gets ``-1`` for the missing slots and an
    infinite distance, which the choice rule treats as an unavailable option.

    Args:
        centres: Cell centres, shape (D, 2), km.
        store_xy: Store locations, shape (S, 2), km.
        is_open: Which stores are open, shape (S,).
        k: Size of the choice set.

    Returns:
        ``ids`` (D, k) int32 store indices and ``dist`` (D, k) float32 km.
    """
    d = len(centres)
    ids = np.full((d, k), -1, dtype=np.int32)
    dist = np.full((d, k), np.inf, dtype=np.float32)
    open_ids = np.flatnonzero(is_open)
    if open_ids.size == 0:
        return ids, dist
    sq = (centres[:, None, 0] - store_xy[None, open_ids, 0]) ** 2
    sq += (centres[:, None, 1] - store_xy[None, open_ids, 1]) ** 2
    take = min(k, open_ids.size)
    # the k nearest in any order (linear time), then ordered among themselves
    near = (
        sq.argsort(axis=1)[:, :take]
        if take == open_ids.size
        else (np.argpartition(sq, take - 1, axis=1)[:, :take])
    )
    near_sq = np.take_along_axis(sq, near, axis=1)
    order = np.argsort(near_sq, axis=1, kind="stable")
    near = np.take_along_axis(near, order, axis=1)
    ids[:, :take] = open_ids[near]
    dist[:, :take] = np.sqrt(np.take_along_axis(near_sq, order, axis=1))
    return ids, dist


def district_sales(
    district: np.ndarray, sales: np.ndarray, districts: int, judge: str = "weakest"
) -> np.ndarray:
    """What a newcomer expects to sell in each district, by the stores already there.

    ``weakest``: the lowest of the district's stores' sales last year (a newcomer takes the
    leftovers); ``median``: their median (a newcomer is a typical store). A district without
    stores gives no evidence: 0.

    Args:
        district: Each open store's district.
        sales: Each open store's sales last year, yuan.
        districts: Number of districts.
        judge: ``weakest`` or ``median``.

    Returns:
        Sales per district, yuan (0 where no store is open).
    """
    out = np.zeros(districts)
    if judge == "weakest":
        lowest = np.full(districts, np.inf)
        np.minimum.at(lowest, district, sales)
        has = np.isfinite(lowest)
        out[has] = lowest[has]
        return out
    for d in np.unique(district):
        out[d] = float(np.median(sales[district == d]))
    return out
