"""Store formats: pick-up and service points near the homes, their fees, and stores that re-form."""

from __future__ import annotations

import numpy as np

from o2osim.agents.protocol import Market
from o2osim.market.stores import FULL, PICK_UP, SERVICE, SHOWROOM, StoreNetwork
from o2osim.mechanisms import formats, geography
from o2osim.scenario import STORE_FORMATS

#: The formats a full store may turn into, in the order of the estimates' columns.
OTHER_FORMATS = (SHOWROOM, PICK_UP, SERVICE)


class StoreFormats:
    """The stores' formats: what each offers, the points' fees, and the yearly choice of format.

    Owns the nearest pick-up and service point of every travel cell and the year's counts a
    store judges its format by (online orders and services by home cell, store purchases by
    store and need kind). Reads the store network's books and writes their ``format``,
    ``month_fees``, ``cash`` and ``profit`` columns; books the points' fees and the refits in
    the ledger.

    Args:
        market: The market.
        network: The store network.
    """

    def __init__(self, market: Market, network: StoreNetwork) -> None:
        self.market = market
        self.network = network
        s = market.config
        kinds = s.consumers.service_needs
        self.at_showroom = np.array([n.at_showroom for n in kinds] + [True])
        self.lost_at_showroom = np.array([n.value * (not n.at_showroom) for n in kinds] + [0.0])
        self.pick_up_value = np.array([n.value * n.at_pick_up for n in kinds] + [0.0])
        self.service_value = np.array([n.value * n.at_service_point for n in kinds] + [0.0])
        self.decide = s.stores_decide
        n_cells = len(network.cells)
        self.point_ids = {f: np.full(n_cells, -1) for f in (PICK_UP, SERVICE)}
        self.point_dist = {f: np.full(n_cells, np.inf) for f in (PICK_UP, SERVICE)}
        self.year_orders = np.zeros(n_cells)
        self.year_services = np.zeros(n_cells)
        self.year_kinds = np.zeros((0, self.at_showroom.size))
        self.switches = 0

    # ---- what each format offers

    @property
    def showrooms_open(self) -> bool:
        """Whether any showroom trades."""
        books = self.network.books
        return bool((books.is_open & (books.format == SHOWROOM)).any())

    @property
    def points_open(self) -> bool:
        """Whether any pick-up or service point trades."""
        return bool((self.point_ids[PICK_UP] >= 0).any() or (self.point_ids[SERVICE] >= 0).any())

    def refresh_points(self) -> None:
        """Recompute each travel cell's nearest open pick-up and service point."""
        books = self.network.books
        for f in (PICK_UP, SERVICE):
            mask = books.is_open & (books.format == f)
            if not mask.any():
                self.point_ids[f][:] = -1
                self.point_dist[f][:] = np.inf
                continue
            ids, dist = geography.nearest_open_stores(self.network.cells, self.network.xy, mask, 1)
            self.point_ids[f], self.point_dist[f] = ids[:, 0].astype(np.int64), dist[:, 0]

    def reach(self, kind: int) -> float:
        """How far a point of ``kind`` serves homes, km."""
        f = self.market.config.store_formats
        return f.pick_up_reach_km if kind == PICK_UP else f.service_reach_km

    def near_point(self, kind: int, cell: np.ndarray) -> np.ndarray:
        """The point of ``kind`` that serves each home cell, -1 where none is within reach."""
        reach = self.reach(kind)
        ids = self.point_ids[kind][cell]
        return np.where(self.point_dist[kind][cell] <= reach, ids, -1)

    def store_terms(self, ids: np.ndarray) -> tuple[np.ndarray | None, float]:
        """Which of the store options ``ids`` are showrooms, and what waiting costs there.

        Returns:
            A mask of showrooms (``None`` when none trades) and the wait, base-year yuan.
        """
        if not self.showrooms_open:
            return None, 0.0
        c = self.market.config
        wait = c.consumers.delivery_wait_cost * c.store_formats.showroom_delivery_days
        return self.network.books.format[ids] == SHOWROOM, wait

    def online_service(self, shoppers: np.ndarray, kind: np.ndarray) -> np.ndarray | None:
        """What a point near each shopper's home adds to an online purchase, base-year yuan.

        A service point within reach installs and services (``at_service_point`` kinds), a
        pick-up point hands over the goods (``at_pick_up`` kinds), each as often as its
        quality; the better of the two counts. ``None`` when no point trades.
        """
        if not self.points_open:
            return None
        cell = self.market.population.cell[shoppers]
        quality = self.network.books.quality
        value = np.zeros(shoppers.size)
        for f, worth in ((SERVICE, self.service_value), (PICK_UP, self.pick_up_value)):
            point = self.near_point(f, cell)
            has = (point >= 0) & (worth[kind] > 0)
            value[has] = np.maximum(value[has], worth[kind[has]] * quality[point[has]])
        return value

    # ---- the points' fees

    def note_store_kinds(self, store_ids: np.ndarray, kind: np.ndarray) -> None:
        """Store purchases this week by store and need kind (kept when stores decide)."""
        if not self.decide:
            return
        self._grow_kinds()
        np.add.at(self.year_kinds, (store_ids, kind), self.market.people_per_consumer)

    def _grow_kinds(self) -> None:
        """One row of purchases by need kind for every store opened so far."""
        n = len(self.network.stores)
        if self.year_kinds.shape[0] < n:
            grown = np.zeros((n, self.year_kinds.shape[1]))
            grown[: self.year_kinds.shape[0]] = self.year_kinds
            self.year_kinds = grown

    def serve_online(self, buyers: np.ndarray, kind: np.ndarray | None) -> None:
        """This week's online orders: pick-up and service points near the buyers earn fees.

        A pick-up point earns ``parcel_fee`` per order of the homes it serves, paid by the
        online sellers; a service point earns ``service_fee`` per purchase of an
        ``at_service_point`` kind, paid by the brands by market share (the rest by rival
        makers). Both fees are base-year yuan grown to this year's.

        Args:
            buyers: This week's online buyers.
            kind: Each one's need kind (``None`` without service needs).
        """
        m = self.market
        w = m.people_per_consumer
        cell = m.population.cell[buyers]
        n_cells = len(self.network.cells)
        services = None if kind is None else self.service_value[kind] > 0
        if self.decide:
            self.year_orders += np.bincount(cell, minlength=n_cells) * w
            if services is not None:
                self.year_services += np.bincount(cell[services], minlength=n_cells) * w
        if not self.points_open:
            return
        f = m.config.store_formats
        n_stores = len(self.network.stores)
        fees = np.zeros(n_stores)
        point = self.near_point(PICK_UP, cell)
        got = np.bincount(point[point >= 0], minlength=n_stores) * (
            w * m.in_year_yuan(f.parcel_fee)
        )
        m.ledger.book("parcel_fees", float(got.sum()))
        fees += got
        if services is not None:
            point = self.near_point(SERVICE, cell[services])
            fee = w * m.in_year_yuan(f.service_fee)
            got = np.bincount(point[point >= 0], minlength=n_stores) * fee
            total = float(got.sum())
            for b in m.brands:
                b.pay_for_channel(total * b.share_online)
            m.ledger.book("service_fees", total)
            fees += got
        self.network.books.earn_fees(fees)

    # ---- the year's choice of format

    def year_counts(self) -> dict[str, float]:
        """Stores open at the year's end by format, ``stores_<format>``."""
        books = self.network.books
        counts = np.bincount(books.format[books.is_open], minlength=len(STORE_FORMATS))
        return {f"stores_{name}": float(n) for name, n in zip(STORE_FORMATS, counts, strict=True)}

    def estimates(self, cand: np.ndarray) -> np.ndarray:
        """What each candidate store would earn in a year in each other format, yuan.

        A showroom keeps :func:`o2osim.mechanisms.formats.showroom_kept` of the year's gross
        margin (its profit plus the year's rent and wages); a point earns
        :func:`o2osim.mechanisms.formats.point_income` from the online orders (services) of
        the home cells within its reach; each pays its format's rent and wages for twelve
        months. ``-inf`` for formats not allowed.

        Args:
            cand: Indices of the candidate stores.

        Returns:
            Shape (candidates, 3): showroom, pick-up point, service point.
        """
        m = self.market
        s = m.config
        f = s.store_formats
        net = self.network
        books = net.books
        rent_share = (f.showroom_rent_share, f.pick_up_rent_share, f.service_rent_share)
        wage_share = (f.showroom_wage_share, f.pick_up_wage_share, f.service_wage_share)
        out = np.full((cand.size, 3), -np.inf)
        allowed = [STORE_FORMATS[code] in f.allowed for code in OTHER_FORMATS]
        xy = net.xy[cand]
        to_cells = np.hypot(*(xy[:, None, :] - net.cells[None, :, :]).transpose(2, 0, 1))
        to_stores = np.hypot(*(xy[:, None, :] - net.xy[None, :, :]).transpose(2, 0, 1))
        for col, code in enumerate(OTHER_FORMATS):
            if not allowed[col]:
                continue
            cost = 12.0 * (m.rent * rent_share[col] + m.wages * wage_share[col])
            if code == SHOWROOM:
                # what the year's sales left after the goods: profit plus rent and wages paid
                gross = books.year_profit[cand] + 12.0 * (m.rent + m.wages)
                self._grow_kinds()
                kinds = self.year_kinds[cand]
                lost = books.quality[cand][:, None] * self.lost_at_showroom[None, :]
                wait = s.consumers.delivery_wait_cost * f.showroom_delivery_days
                kept = formats.showroom_kept(kinds, lost, wait, s.consumers.choice_scale)
                out[:, col] = gross * kept - cost
                continue
            reach = self.reach(code)
            demand = (to_cells <= reach) @ (
                self.year_orders if code == PICK_UP else self.year_services
            )
            rivals = (to_stores <= reach) @ (books.is_open & (books.format == code)).astype(float)
            fee = m.in_year_yuan(f.parcel_fee if code == PICK_UP else f.service_fee)
            out[:, col] = formats.point_income(demand, rivals, fee) - cost
        return out

    def decide_formats(self) -> int:
        """Year end: full stores that would earn more in another format turn into it.

        Candidates are the open full stores that sold this year and can pay the refit from
        their cash. The store with the largest gain over its year's profit, net of
        ``refit_cost`` (grown to this year's yuan), goes first (rule
        :func:`o2osim.mechanisms.formats.best_format`); a new point changes what the points
        near it expect, so the others' estimates are made again before the next goes. The
        refit is paid by the store's owners. The year's counts start again.

        Returns:
            How many stores changed format.
        """
        m = self.market
        net = self.network
        books = net.books
        refit = float(m.in_year_yuan(m.config.store_formats.refit_cost))
        cand = np.flatnonzero(
            books.is_open & (books.format == FULL) & (books.year_sales > 0) & (books.cash >= refit)
        )
        switched: list[int] = []
        left_selling: list[int] = []
        while cand.size:
            current = books.year_profit[cand]
            alternatives = self.estimates(cand)
            best = formats.best_format(current, alternatives, refit)
            rows = np.flatnonzero(best >= 0)
            if rows.size == 0:
                break
            gain = alternatives[rows, best[rows]] - current[rows]
            row = int(rows[np.argmax(gain)])
            store, code = int(cand[row]), OTHER_FORMATS[int(best[row])]
            books.format[store] = code
            books.format_tick[store] = m.steps
            books.cash[store] -= refit
            books.profit[store] -= refit
            m.ledger.book("refits", refit)
            m.ledger.keep("stores", -refit)  # its owners pay for the refit
            switched.append(store)
            if code != SHOWROOM:
                left_selling.append(store)
            cand = np.delete(cand, row)
        if left_selling:
            net.refresh_choice_sets(np.array(left_selling))
            self.refresh_points()
        self.year_orders[:] = 0.0
        self.year_services[:] = 0.0
        self.year_kinds[:] = 0.0
        self.switches = len(switched)
        return len(switched)
