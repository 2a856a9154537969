"""The week's counters: one small record that the phases of a week add to, then recorded."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
        online_visits: Platform sessions (paid clicks, browsing and orders).
        store_visits: Store visits (purchases, showrooming, window shopping, pick-ups).
    """

    store_closures: float = 0.0
    store_openings: float = 0.0
    new_customers: float = 0.0
    paid_customers: float = 0.0
    wom_customers: float = 0.0
    marketing_spend: float = 0.0
    online_visits: float = 0.0
    store_visits: float = 0.0

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
        return asdict(self)
