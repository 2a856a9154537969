"""The calendar: which year and week a tick is, month ends, promotion events, price levels."""

from __future__ import annotations

from dataclasses import dataclass

from o2osim.scenario import Scenario


class Calendar:
    """Turns Mesa's step counter into a year and a week of the year.

    Args:
        scenario: The scenario (start year, weeks per year, events).

    Attributes:
        year: Calendar year of the current week (the start year before the first step).
        week: Week of the year of the current week, 1-52 (0 before the first step).
    """

    def __init__(self, scenario: Scenario) -> None:
        self.config = scenario
        self.year = scenario.time.start_year
        self.week = 0

    def advance(self, steps: int) -> None:
        """Set the year and week of step ``steps`` (1 for the first week)."""
        t = self.config.time
        tick = steps - 1
        self.year = t.start_year + tick // t.ticks_per_year
        self.week = tick % t.ticks_per_year + 1

    @property
    def new_year(self) -> bool:
        """Whether this is the first week of a year."""
        return self.week == 1

    @property
    def year_ends(self) -> bool:
        """Whether this is the last week of a year."""
        return self.week == self.config.time.ticks_per_year

    @property
    def elapsed(self) -> int:
        """Whole years since the start."""
        return self.year - self.config.time.start_year

    def month_ends(self) -> bool:
        """Whether this week is the last of a calendar month (12 months spread over the year)."""
        per_year = self.config.time.ticks_per_year
        return (self.week * 12) // per_year != ((self.week - 1) * 12) // per_year or (
            self.week == per_year
        )

    def event_terms(self) -> tuple[float, float]:
        """Platform discount and demand multiplier of this week's promotion events.

        Events in the same week compound: discounts as ``1 - prod(1 - d_e)``, demand boosts as
        ``prod(b_e)``; an event counts from its ``start_year`` on.
        """
        discount, boost = 0.0, 1.0
        for event in self.config.events:
            if event.week == self.week and self.year >= event.start_year:
                discount = 1 - (1 - discount) * (1 - event.platform_discount)
                boost *= event.demand_boost
        return discount, boost


@dataclass
class PriceLevels:
    """This year's price levels: a store's rent and wages, and the basket at list price.

    Each grows yearly at its scenario rate: ``level_t = level_0 * (1 + growth) ** t``.

    Attributes:
        rent: Monthly rent of a store, yuan.
        wages: Monthly wages of a store, yuan.
        basket_value: A basket at list price, yuan.
    """

    rent: float
    wages: float
    basket_value: float

    @classmethod
    def start(cls, scenario: Scenario) -> PriceLevels:
        """The levels of the first year."""
        return cls(scenario.stores.rent, scenario.stores.wages, scenario.consumers.basket_value)

    def index(self, scenario: Scenario, elapsed: int) -> None:
        """Re-index the levels ``elapsed`` years after the start."""
        st, c = scenario.stores, scenario.consumers
        self.rent = st.rent * (1 + st.rent_growth) ** elapsed
        self.wages = st.wages * (1 + st.wage_growth) ** elapsed
        self.basket_value = c.basket_value * (1 + c.spending_growth) ** elapsed
