"""The calendar: which year and week a tick is, month ends, promotion events, price levels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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

    def event_terms(self) -> EventTerms:
        """The terms of this week's promotion events.

        Events in the same week compound: the platforms' discounts as
        ``D_p = 1 - prod(1 - platform_discount_e)``, the price paid as ``(1 - D_p) * prod(1 -
        seller_discount_e)``, the part of the platforms' discounts they fund as
        ``F = 1 - prod(1 - subsidy_share_e * platform_discount_e)`` and promotion spend as
        ``sum(promotion_spend_e)``; an event counts from its ``start_year`` on, each of its
        terms times its strength that year (``EventConfig.strength``: 1, or growing over its
        ``ramp_years``).
        """
        discount = 0.0
        sellers_keep, unfunded, spend = 1.0, 1.0, 0.0
        for event in self.config.events:
            k = event.strength(self.year) if event.week == self.week else 0.0
            if k > 0.0:
                discount = 1 - (1 - discount) * (1 - k * event.platform_discount)
                sellers_keep *= 1 - k * event.seller_discount
                unfunded *= 1 - event.subsidy_share * k * event.platform_discount
                spend += k * event.promotion_spend
        subsidy = 0.0
        if unfunded < 1.0:  # yuan the platforms pay per yuan paid: F * seller price / paid
            subsidy = (1 - unfunded) / (1 - discount)
        if sellers_keep < 1.0:
            discount = 1 - (1 - discount) * sellers_keep
        return EventTerms(discount, subsidy, spend)


@dataclass(frozen=True)
class EventTerms:
    """This week's promotion terms (an ordinary week: no discount, no spend).

    Attributes:
        discount: The price cut online, platforms' and sellers' discounts compounded, share
            of the list price: the price paid is ``list * (1 - discount)``.
        subsidy: Yuan the platforms pay the sellers per yuan paid (the part of their discount
            they fund, their promotion cost).
        promotion_spend: The platforms' extra traffic budget, in weeks of their own marketing.
    """

    discount: float = 0.0
    subsidy: float = 0.0
    promotion_spend: float = 0.0


@dataclass
class PriceLevels:
    """This year's price levels: a store's rent and wages, and the basket at list price.

    Each grows yearly at its scenario rate: ``level_t = level_0 * (1 + growth) ** t``.

    Attributes:
        rent: Monthly rent of a store, yuan.
        wages: Monthly wages of a store, yuan.
        basket_value: A basket at list price, yuan.
        base_basket: A basket at list price in the first year, ``B_0``, yuan.
    """

    rent: float
    wages: float
    basket_value: float
    base_basket: float

    @classmethod
    def start(cls, scenario: Scenario) -> PriceLevels:
        """The levels of the first year."""
        b0 = scenario.consumers.basket_value
        return cls(scenario.stores.rent, scenario.stores.wages, b0, b0)

    def in_year_yuan(self, amount: float | np.ndarray) -> float | np.ndarray:
        """An amount in base-year yuan in this year's yuan: ``amount * B_y / B_0``.

        The one place the growth of the basket's value, ``B_y / B_0``, is applied: what a
        consumer weighs in base-year yuan (the choice scale, a store's service) is worth that
        much more as the basket grows. Works on numbers and numpy arrays.
        """
        return amount * self.basket_value / self.base_basket

    def in_base_yuan(self, amount: float | np.ndarray) -> float | np.ndarray:
        """An amount in this year's yuan in base-year yuan: ``amount * (B_0 / B_y)``.

        The inverse of :meth:`in_year_yuan`: a price deflated by the basket's growth, so that
        it compares with travel, waiting and trust, which consumers weigh in base-year yuan.
        """
        return amount * (self.base_basket / self.basket_value)

    def index(self, scenario: Scenario, elapsed: int) -> None:
        """Re-index the levels ``elapsed`` years after the start."""
        st, c = scenario.stores, scenario.consumers
        self.rent = st.rent * (1 + st.rent_growth) ** elapsed
        self.wages = st.wages * (1 + st.wage_growth) ** elapsed
        self.basket_value = c.basket_value * (1 + c.spending_growth) ** elapsed
