"""The week's counters: one small record that the phases of a week add to, then recorded."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass
class Week:
    """What happened this week, counted by the phases as they run (real people, yuan).

    ``O2OMarket.step()`` makes a new record each week and hands it to the phases that count;
    the metrics phase records it with the week's flows.

    Attributes:
        store_closures: Stores that closed.
        store_openings: Stores that opened.
        new_customers: Platform customers won, by any route.
        paid_customers: Of those, won by paid traffic.
        wom_customers: Of those, won by word of mouth.
        marketing_spend: Sellers' and platforms' spending on traffic, yuan.
        sponsored_spend: Shops' spending on their platforms' own sponsored search results
            (``platforms[].ad_load``), yuan: orders, not customers.
        online_visits: Platform sessions (paid clicks, browsing and orders).
        store_visits: Store visits (purchases, showrooming, window shopping, pick-ups).
        sessions_desktop: Platform sessions on a computer (of every source).
        sessions_mobile: Platform sessions on a phone (of every source).
        sessions_search: Search sessions of shoppers with a need (behaviour mode).
        sessions_browse: Sessions without a need (in fixed mode, every session but paid clicks).
        sessions_paid: Paid clicks.
        orders_desktop: Online orders placed on a computer.
        orders_mobile: Online orders placed on a phone.
        orders_search: Online orders that came through a search session.
        orders_browse: Online orders that came through browsing (fixed mode: all but paid).
        orders_paid: Online orders that came through a paid click (behaviour mode).
    """

    store_closures: float = 0.0
    store_openings: float = 0.0
    new_customers: float = 0.0
    paid_customers: float = 0.0
    wom_customers: float = 0.0
    marketing_spend: float = 0.0
    sponsored_spend: float = 0.0
    online_visits: float = 0.0
    store_visits: float = 0.0
    sessions_desktop: float = 0.0
    sessions_mobile: float = 0.0
    sessions_search: float = 0.0
    sessions_browse: float = 0.0
    sessions_paid: float = 0.0
    orders_desktop: float = 0.0
    orders_mobile: float = 0.0
    orders_search: float = 0.0
    orders_browse: float = 0.0
    orders_paid: float = 0.0

    def won(self, kind: str, people: float) -> None:
        """Count ``people`` won as platform customers; ``kind`` also names the route.

        Args:
            kind: ``"new_customers"`` (joining online), ``"paid_customers"`` or
                ``"wom_customers"``.
            people: Real people won.
        """
        self.new_customers += people
        if kind == "paid_customers":
            self.paid_customers += people
        elif kind == "wom_customers":
            self.wom_customers += people

    def as_dict(self) -> dict[str, float]:
        """The counters by name, for the tick recorder."""
        return {name: getattr(self, name) for name in _NAMES}


#: The counters' names, in order (``dataclasses.asdict`` deep-copies: slow every week).
_NAMES = tuple(f.name for f in fields(Week))
