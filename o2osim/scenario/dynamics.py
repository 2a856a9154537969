"""The sections of what changes over the years.

Demography (cohorts), adoption of online shopping, the attention market, the mobile stage and
promotion events.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Strict, model_validator

from o2osim.scenario.fields import F, FieldProblem, Section


class DemographyConfig(Section):
    """Cohorts: who comes of age, who is of working age, who leaves the market."""

    turnover: bool = F(
        True, "-", "Whether people leave at exit_age and new cohorts come of age each year."
    )
    entry_age: int = F(15, "years", "Age at which people enter the market.", ge=0, le=100)
    working_age_max: int = F(
        59, "years", "Oldest age counted in the working-age population.", ge=1, le=130
    )
    exit_age: int = F(70, "years", "Age at which people leave the market.", ge=1, le=130)
    cohort_growth: float = F(
        0.0,
        "1/year",
        "Yearly growth of the cohort coming of age, up to the turning point.",
        ge=-0.5,
        le=1,
    )
    cohort_decline: float = F(
        0.0,
        "1/year",
        "Yearly decline of the cohort coming of age after the turning point.",
        ge=-0.5,
        le=0.9,
    )
    births: dict[Annotated[int, Strict(False)], float] | None = F(
        None,
        "million births/year",
        "Births by calendar year (e.g. {1985: 22.0, 1990: 23.9}); "
        "when given, each cohort's size follows it (interpolated) instead of cohort_growth, "
        "cohort_decline and turning_point_year.",
    )  # lax keys: JSON (a run's manifest) writes the years as strings
    entrants_online: float = F(
        0.0,
        "share of entrants",
        "Share of the people coming of age who already shop online "
        "(digital natives); they join a platform on entry.",
        ge=0,
        le=1,
    )
    entrants_like_contacts: bool = F(
        False,
        "-",
        "Each person coming of age shops online on entry with the share of its contacts who "
        "do (the family and friends it grew up with), instead of `entrants_online`.",
    )
    turning_point_year: int | None = F(
        None,
        "year",
        "Year in which the largest cohort comes of age; null: no turning point.",
        ge=1800,
        le=2200,
    )

    @model_validator(mode="after")
    def _ages_ordered(self) -> DemographyConfig:
        if self.exit_age <= self.entry_age:
            raise FieldProblem(
                "demography.exit_age", self.exit_age, f"above entry_age ({self.entry_age})"
            )
        if self.births is not None:
            if not self.births:
                raise FieldProblem("demography.births", {}, "at least one year")
            for year, count in self.births.items():
                if not (1800 <= year <= 2200 and count > 0):
                    raise FieldProblem(
                        f"demography.births.{year}", count, "a year 1800-2200 with births > 0"
                    )
        if not self.entry_age <= self.working_age_max < self.exit_age:
            raise FieldProblem(
                "demography.working_age_max",
                self.working_age_max,
                f"an age from entry_age ({self.entry_age}) to below exit_age ({self.exit_age})",
            )
        return self


class AdoptionConfig(Section):
    """Internet shopping adoption: Bass innovation p and imitation q."""

    p: float = F(
        0.01, "1/year", "Innovation: yearly hazard of adopting without influence.", ge=0, le=5
    )
    q: float = F(
        0.45, "1/year", "Imitation: yearly hazard per unit share of adopters.", ge=0, le=20
    )
    age_decline: float = F(
        0.0,
        "share/decade",
        "How much less likely someone is to start shopping online in a given week for each "
        "ten years of age past `demography.entry_age`: the weekly chance is multiplied by "
        "(1 - age_decline) ** ((age - entry_age) / 10). 0: age does not matter.",
        ge=0,
        lt=1,
    )
    initial_adopters: float = F(
        0.01, "share of consumers", "Share already shopping online at the start.", ge=0, le=1
    )
    network: Literal["small_world", "well_mixed"] = F(
        "small_world",
        "-",
        "Whose adoption a consumer imitates: its contacts on a small-world network, or the "
        "whole population (well mixed, the Bass model's assumption).",
    )
    mean_degree: int = F(
        10, "contacts", "Mean number of social contacts per consumer.", ge=0, le=200
    )
    rewire: float = F(
        0.1,
        "share of links",
        "Share of contact links that reach a random person instead of a "
        "neighbour (Watts-Strogatz).",
        ge=0,
        le=1,
    )


class AttentionConfig(Section):
    """The market for online attention: impressions that sellers buy to win customers."""

    impressions_per_user: float = F(
        50.0,
        "impressions/week",
        "Ad impressions an online shopper on a computer sees.",
        ge=0,
        le=1e6,
    )
    mobile_impressions_factor: float = F(
        2.0, "x", "How many more impressions a shopper on a phone sees.", ge=0, le=100
    )
    reserve_cpm: float = F(
        2.0, "yuan/1000 impressions", "Lowest price of impressions.", ge=0, le=1e6
    )
    click_through: float = F(
        0.01,
        "clicks/impression",
        "Chance that an impression is clicked (a paid visit).",
        ge=0,
        le=1,
    )
    search_ads: float = F(
        0.0,
        "ads/session",
        "Sponsored results a search session shows (`sessions.mode: behaviour` only). They are "
        "sold in the same auction as the impressions, counted by the clicks they get, and a "
        "click lands in the session of a shopper who is searching for a need. 0: no search "
        "ads (every paid click is a display click on a random online shopper).",
        ge=0,
        le=100,
    )
    search_click_through: float = F(
        0.02,
        "clicks/ad",
        "Chance that a sponsored result in a search is clicked (`search_ads` above 0).",
        ge=0,
        le=1,
    )
    paid_signup: float = F(
        0.05,
        "customers/click",
        "Chance that a paid visit by a non-customer makes a customer.",
        ge=0,
        le=1,
    )
    budget_rule: Literal["share", "return"] = F(
        "share",
        "-",
        "How sellers set their traffic budgets: `share` spends a share of last week's sales "
        "(`platforms[].marketing_share`); `return` buys traffic while a new customer is worth "
        "more than it costs (see docs/model.md, Traffic bought on its return).",
    )
    start_budget: float = F(
        1000.0,
        "yuan/week",
        "Sellers' traffic budget on a platform in its first week (`return` only).",
        ge=0,
        le=1e12,
    )
    budget_step: float = F(
        0.1,
        "share/week",
        "Most the sellers' budget moves in a week toward where a customer costs what it is "
        "worth (`return` only).",
        ge=0,
        le=10,
    )
    customer_horizon: float = F(
        5.0,
        "years",
        "Longest a seller counts on keeping a customer, whatever its churn (`return` only).",
        gt=0,
        le=100,
    )
    prior_orders: float = F(
        2.0,
        "orders/year",
        "Orders a year sellers expect of a customer before the platform's first year is "
        "booked (`return` only).",
        ge=0,
        le=1000,
    )
    prior_churn: float = F(
        0.5,
        "share/year",
        "Churn sellers expect before the platform's first year is booked (`return` only).",
        gt=0,
        le=1,
    )
    cost_memory: float = F(
        0.2,
        "share/week",
        "Weight of this week in the sellers' running estimates of what a customer costs "
        "and of a week's sales, which caps their traffic budget (exponential smoothing; "
        "`return` only).",
        gt=0,
        le=1,
    )


class StagesConfig(Section):
    """The mobile and social-commerce stage."""

    mobile_year: int | None = F(
        2011,
        "year",
        "Year phones start to be used for shopping; null: no mobile stage.",
        ge=1950,
        le=2200,
    )
    mobile_p: float = F(0.05, "1/year", "Innovation rate of mobile shopping.", ge=0, le=5)
    mobile_q: float = F(0.8, "1/year", "Imitation rate of mobile shopping.", ge=0, le=20)
    mobile_search_factor: float = F(
        0.3, "x", "Search cost on a phone relative to a computer.", ge=0, le=10
    )
    mobile_referral_factor: float = F(
        3.0,
        "x",
        "Referrals by a shopper on a phone (sharing in social apps) relative to a computer.",
        ge=0,
        le=100,
    )


class EventConfig(Section):
    """A promotion festival (Double 11, 618): discounts and promotion spend that pull demand in.

    The festival's extra demand comes from the price cut (``platform_discount`` compounded with
    ``seller_discount``), the consumers' ``price_elasticity`` and pull-forward, and from the
    platforms' ``promotion_spend``: no parameter writes the spike in. With ``ramp_years`` the
    terms grow over the event's first years, as more sellers and goods take part.
    """

    name: str = F(..., "-", "Event name.", min_length=1, max_length=64)
    week: int = F(..., "week of year (1-52)", "Week of the year the event falls in.", ge=1, le=52)
    start_year: int = F(1950, "year", "First year the event runs.", ge=1950, le=2200)
    platform_discount: float = F(
        0.2, "share of price", "Extra discount on platforms during the event.", ge=0, le=0.95
    )
    seller_discount: float = F(
        0.0,
        "share of price",
        "Sellers' own discount during the event, compounding with platform_discount into the "
        "price paid; it comes off the sellers' revenue.",
        ge=0,
        le=0.95,
    )
    subsidy_share: float = F(
        0.0,
        "share of platform_discount",
        "Share of platform_discount the platform pays the sellers back (its promotion cost); "
        "0 = the legacy books, where the sellers bear the platform's discount too.",
        ge=0,
        le=1,
    )
    promotion_spend: float = F(
        0.0,
        "x weekly own marketing",
        "Extra traffic the platforms buy in the event week, as a multiple of their weekly own "
        "marketing budget (base_marketing).",
        ge=0,
        le=1000,
    )
    ramp_years: int = F(
        0,
        "years",
        "Years over which the event grows to its full terms: in its n-th year (1 in "
        "start_year) the discounts, subsidy and promotion spend are min(1, n / ramp_years) "
        "of the values above, as more sellers and goods take part; 0: full from the first "
        "year.",
        ge=0,
        le=100,
    )

    def strength(self, year: int) -> float:
        """The share of its full terms the event has in ``year`` (0 before it starts).

        ``min(1, (year - start_year + 1) / ramp_years)``, or 1 from ``start_year`` on
        without a ramp.
        """
        if year < self.start_year:
            return 0.0
        if self.ramp_years <= 0:
            return 1.0
        return min(1.0, (year - self.start_year + 1) / self.ramp_years)
