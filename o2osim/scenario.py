"""Scenario files: the pydantic schema, safe YAML loading, ``extends`` and ``--set`` overrides.

A scenario is the single source of a run's parameters. This module knows nothing of Mesa: it turns
a YAML file (plus overrides) into a validated :class:`Scenario`, or raises :class:`ScenarioError`
with one line that names the file, the field path, the value and what was expected.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, model_validator

from o2osim.errors import ScenarioError


class FieldProblem(ValueError):
    """A cross-field check failed; carries the field path so the error can name it."""

    def __init__(self, field: str, value: Any, expected: str) -> None:
        super().__init__(f"{field}: {value!r}: expected {expected}")
        self.field, self.value, self.expected = field, value, expected


def F(default: Any, unit: str, description: str, **constraints: Any) -> Any:
    """A documented scenario field: default, unit and description, plus pydantic constraints."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


class Section(BaseModel):
    """Base of every scenario section: unknown keys are errors, values are checked on assignment."""

    # strict: YAML already gives typed values, so `true` must not pass for a count or a rate
    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, allow_inf_nan=False, strict=True
    )


class TimeConfig(Section):
    """Simulated calendar: one tick is one week."""

    start_year: int = F(2004, "year", "Calendar year of the first tick.", ge=1950, le=2100)
    years: int = F(17, "years", "Number of simulated years.", ge=1, le=100)
    ticks_per_year: Literal[52] = F(52, "ticks/year", "Ticks per year; one tick is one week.")


class PopulationConfig(Section):
    """How many consumer agents are simulated and how many real people they stand for."""

    consumers: int = F(
        20_000, "agents", "Number of simulated consumers (agents).", ge=10, le=50_000_000
    )
    people: float = F(
        1_000_000.0,
        "people",
        "Real people the market represents; each consumer stands for people / consumers of "
        "them, so changing `consumers` changes resolution, not market size.",
        gt=0,
        le=2e9,
    )
    area_km: float = F(
        30.0, "km", "Side of the square city where consumers and stores are placed.", gt=0, le=5000
    )
    districts: int = F(
        10,
        "districts/side",
        "The city is a districts x districts grid of local markets, where entrepreneurs judge "
        "whether a new store would pay.",
        ge=1,
        le=200,
    )
    cell_km: float = F(
        1.0,
        "km",
        "Resolution of travel: a consumer's distance to a store is measured from the "
        "centre of its square cell of this side.",
        gt=0,
        le=5000,
    )

    @property
    def cells_per_side(self) -> int:
        """Number of travel cells along one side of the city (at most 1000)."""
        return min(1000, max(1, int(np.ceil(self.area_km / self.cell_km))))

    agent_views: Literal["auto", "eager", "lazy"] = F(
        "auto",
        "-",
        "When `Consumer` agent views are created: `eager` at build, `lazy` on first access to "
        "`model.agents`/`agents_by_type`, `auto` = eager up to 100,000 consumers.",
    )

    @property
    def people_per_consumer(self) -> float:
        """Real people each simulated consumer stands for."""
        return self.people / self.consumers


class ConsumerConfig(Section):
    """Consumers' needs, channel choice and trust learning."""

    purchase_rate: float = F(
        0.2, "orders/week", "Chance that a consumer has a purchase need in a week.", ge=0, le=1
    )
    purchase_rate_cv: float = F(
        0.0,
        "1",
        "Spread of the purchase rate across consumers (coefficient of variation of a "
        "gamma distribution); 0 = everyone alike.",
        ge=0,
        le=10,
    )
    basket_value: float = F(120.0, "yuan/order", "List price of one order (basket).", gt=0, le=1e6)
    travel_cost: float = F(
        4.0, "yuan/km", "Cost of travel to a store, per km of distance.", ge=0, le=1e4
    )
    delivery_wait_cost: float = F(
        3.0, "yuan/day", "Cost of waiting for an online delivery, per day.", ge=0, le=1e4
    )
    trust_value: float = F(
        80.0,
        "yuan",
        "Willingness to pay for full trust (1.0) in a channel over no trust (0.0).",
        ge=0,
        le=1e6,
    )
    choice_scale: float = F(
        15.0,
        "yuan",
        "Scale of the taste shocks in the logit channel choice; larger = more random choice.",
        gt=0,
        le=1e6,
    )
    initial_trust_offline: float = F(
        0.8, "trust (0-1)", "Mean initial trust in physical stores.", ge=0, le=1
    )
    initial_trust_online: float = F(
        0.3, "trust (0-1)", "Mean initial trust in a platform before any experience.", ge=0, le=1
    )
    trust_spread: float = F(
        0.1, "trust (0-1)", "Standard deviation of initial trust across consumers.", ge=0, le=1
    )
    trust_learning_rate: float = F(
        0.15, "1", "Weight of one new purchase experience in a consumer's trust.", ge=0, le=1
    )
    escrow_relief: float = F(
        0.5,
        "share of damage",
        "Share of a bad order's damage to trust that escrow undoes.",
        ge=0,
        le=1,
    )
    returns_relief: float = F(
        0.3,
        "share of damage",
        "Share of a bad order's damage to trust that returns undo.",
        ge=0,
        le=1,
    )
    store_choice_set: int = F(
        3, "stores", "Number of nearest open stores a consumer considers.", ge=1, le=20
    )
    spending_growth: float = F(
        0.0, "1/year", "Yearly growth of the basket value (income growth).", ge=-0.5, le=2
    )
    search_cost: float = F(
        10.0, "yuan/order", "Cost of finding the goods online on a computer.", ge=0, le=1e6
    )
    pc_visits: float = F(
        3.0, "visits/week", "Platform visits of an online shopper on a computer.", ge=0, le=1000
    )
    mobile_visits: float = F(
        20.0, "visits/week", "Platform visits of an online shopper on a phone.", ge=0, le=1000
    )
    window_shopping: float = F(
        0.1, "visits/week", "Store visits without a purchase need, per consumer.", ge=0, le=100
    )
    showrooming: float = F(
        0.3,
        "share of online buyers",
        "Share of online buyers who look at the goods in a store first.",
        ge=0,
        le=1,
    )
    pull_forward_weeks: int = F(
        4, "weeks", "Weeks without a new need after buying in a promotion event.", ge=0, le=52
    )
    referral_rate: float = F(
        0.05,
        "referrals/order",
        "Chance that a satisfied online buyer brings a contact to the platform.",
        ge=0,
        le=1,
    )
    shop_loyalty: float = F(
        0.5,
        "share of orders",
        "Chance that an online order goes back to the shop of the "
        "buyer's last order on that platform, rather than to any shop.",
        ge=0,
        le=1,
    )
    wom_reach: int = F(3, "contacts", "Contacts told about a bad online order.", ge=0, le=200)
    variants: int = F(
        1,
        "variants",
        "Product variants (sizes, styles, flavours) a consumer's needs are for; each consumer "
        "has one, drawn with Zipf popularity. 1: no variants.",
        ge=1,
        le=100,
    )
    variant_zipf: float = F(
        1.0,
        "-",
        "Zipf exponent of variant popularity: variant v (1, 2, ...) is needed in proportion to "
        "1 / v^variant_zipf.",
        ge=0,
        le=5,
    )
    brand_habit: float = F(
        0.0,
        "share of needs",
        "Chance that a need is for the brand the consumer bought last (its usual brand); "
        "otherwise the need follows market shares. 0: every need follows market shares.",
        ge=0,
        le=1,
    )
    large_account_share: float = F(
        0.0,
        "share of consumers",
        "Share of consumers who are large accounts (buying for a business or an institution).",
        ge=0,
        le=1,
    )
    large_account_baskets: float = F(
        5.0, "baskets/order", "Size of a large account's order.", ge=1, le=1000
    )
    order_size_cv: float = F(
        0.0,
        "-",
        "Spread of order sizes: coefficient of variation of a lognormal size with mean one "
        "basket (0: every order is one basket).",
        ge=0,
        le=5,
    )
    wom_weight: float = F(
        0.5,
        "1",
        "Weight of hearsay relative to one's own experience in trust learning.",
        ge=0,
        le=1,
    )


class StoreConfig(Section):
    """Physical stores: prices, costs, cash and closure rule."""

    count: int = F(150, "stores", "Stores open at the start.", ge=0, le=1_000_000)
    price_index: float = F(1.0, "x list price", "Store price relative to list price.", gt=0, le=10)
    gross_margin: float = F(
        0.30, "share of sales", "Share of a sale the store keeps after cost of goods.", ge=0, le=1
    )
    rent: float = F(30_000.0, "yuan/month", "Rent of one store in the first year.", ge=0, le=1e9)
    rent_growth: float = F(0.06, "1/year", "Yearly growth rate of rent.", ge=-0.5, le=2)
    wages: float = F(
        25_000.0, "yuan/month", "Wage bill of one store in the first year.", ge=0, le=1e9
    )
    wage_growth: float = F(0.08, "1/year", "Yearly growth rate of wages.", ge=-0.5, le=2)
    initial_cash: float = F(300_000.0, "yuan", "Cash of a store when it opens.", ge=0, le=1e12)
    closure_after_loss_months: int = F(
        6, "months", "A store closes after this many losing months in a row.", ge=1, le=120
    )
    max_openings_per_year: int = F(
        0, "stores/year", "Most new stores that open in a year.", ge=0, le=100_000
    )
    entry_hurdle: float = F(
        1.2,
        "x monthly cost",
        "A store opens only where its expected gross margin exceeds its "
        "rent and wages by this factor.",
        ge=0,
        le=100,
    )


class PlatformConfig(Section):
    """One online platform: when it launches, its prices and its trust-building settings."""

    name: str = F(..., "-", "Platform name, unique in the scenario.", min_length=1, max_length=64)
    launch_year: int = F(..., "year", "Year the platform opens.", ge=1950, le=2200)
    price_index: float = F(
        0.85, "x list price", "Online price relative to list price.", gt=0, le=10
    )
    commission: float = F(
        0.05, "share of GMV", "Commission the platform takes from each sale.", ge=0, le=1
    )
    delivery_days: float = F(3.0, "days", "Days from order to delivery.", ge=0, le=60)
    counterfeit_rate: float = F(
        0.05,
        "share of orders",
        "Chance that an order brings counterfeit, wrong or damaged goods.",
        ge=0,
        le=1,
    )
    escrow: bool = F(
        True, "-", "Payment held in escrow until the buyer confirms receipt (refund on fraud)."
    )
    return_window_days: int = F(
        7, "days", "No-reason return window; 0 means no returns.", ge=0, le=365
    )
    seller_deposit: float = F(
        0.0, "yuan/seller", "Deposit a seller forfeits if caught selling fakes.", ge=0, le=1e9
    )
    deposit_scale: float = F(
        50_000.0, "yuan", "Deposit that halves the entry of counterfeit sellers.", gt=0, le=1e9
    )
    enforcement: float = F(
        0.0, "1/year", "Share of counterfeit sellers caught and removed each year.", ge=0, le=1
    )
    fake_entry: float = F(
        0.0,
        "1/year",
        "Yearly entry of counterfeit sellers, as a share of the honest ones.",
        ge=0,
        le=1,
    )
    protection_start_year: int | None = F(
        None,
        "year",
        "Reputation investment: year from which escrow, returns, seller deposits and "
        "enforcement are in force (null: from launch).",
        ge=1950,
        le=2200,
    )
    protection_cost: float = F(
        0.0,
        "yuan/order",
        "What escrow and the return service cost the platform per order while in force.",
        ge=0,
        le=1e6,
    )
    enforcement_cost: float = F(
        0.0,
        "yuan/year",
        "What enforcement at full strength (enforcement 1) costs the platform per year; the "
        "cost scales with enforcement.",
        ge=0,
        le=1e12,
    )
    c2b_start_year: int | None = F(
        None,
        "year",
        "C2B reverse customization: year from which the platform designs its own goods from "
        "its sales data (null: never).",
        ge=1950,
        le=2200,
    )
    c2b_share: float = F(
        0.3,
        "share of orders",
        "C2B: share of the platform's orders its own goods can serve, spread over variants "
        "as its range is.",
        ge=0,
        le=1,
    )
    c2b_price_index: float = F(
        0.75, "x list price", "C2B: price of the platform's own goods.", gt=0, le=10
    )
    c2b_maker_price: float = F(
        0.5,
        "x list price",
        "C2B: what the platform pays the manufacturer per basket of its own goods.",
        ge=0,
        le=10,
    )
    bestseller_weight: float = F(
        2.0,
        "-",
        "C2B: the range gives variant v a share in proportion to last year's sales of v to "
        "this power; above 1 it over-weights bestsellers.",
        ge=0,
        le=10,
    )
    shop_sales: float = F(
        2_000_000.0,
        "yuan/year",
        "Yearly sales that keep one shop on the platform in business; "
        "the platform hosts last year's GMV / shop_sales shops (at least one).",
        gt=0,
        le=1e15,
    )
    marketing_share: float = F(
        0.05, "share of GMV", "Share of sales that sellers spend on buying traffic.", ge=0, le=1
    )
    rivals_half: float = F(
        10.0,
        "shops",
        "Number of shops on the platform at which sellers spend half their "
        "marketing share: the more rival shops, the more each must pay to be seen.",
        ge=0,
        le=1e9,
    )
    base_marketing: float = F(
        20_000.0,
        "yuan/week",
        "Traffic bought by the platform itself, sales or not.",
        ge=0,
        le=1e12,
    )


class DealerConfig(Section):
    """Regional distributors between brands and stores."""

    count: int = F(8, "dealers", "Dealers; each store buys from its nearest dealer.", ge=0, le=1e5)
    margin: float = F(
        0.10, "share of store purchases", "Dealer's margin on what stores buy.", ge=0, le=1
    )
    fixed_cost: float = F(
        50_000.0, "yuan/month", "Dealer's warehouse and staff cost.", ge=0, le=1e12
    )
    exit_after_loss_months: int = F(
        12, "months", "A dealer exits after this many losing months in a row.", ge=1, le=600
    )


ChannelStrategy = Literal[
    "none",
    "product_split",
    "customer_split",
    "order_size_split",
    "transaction_link_split",
    "brand_split",
    "region_split",
]


class BrandConfig(Section):
    """A brand whose goods are sold in stores and online."""

    name: str = F(..., "-", "Brand name, unique in the scenario.", min_length=1, max_length=64)
    unit_cost: float = F(0.45, "share of list price", "Production cost of the goods.", ge=0, le=1)
    market_share: float = F(
        1.0, "share of orders", "Share of all orders that buy this brand's goods.", ge=0, le=1
    )
    channel_strategy: ChannelStrategy = F(
        "none",
        "-",
        "How the brand splits its goods between stores and platforms (see docs/strategies.md): "
        "`none` (everything everywhere), `product_split`, `customer_split`, "
        "`order_size_split`, `transaction_link_split`, `brand_split`, `region_split`.",
    )
    online_price_index: float | None = F(
        None,
        "x list price",
        "Price of the brand's goods online (the channel price difference; 1.0 with a store "
        "price_index of 1.0 is one price everywhere); null: each platform's price_index.",
        gt=0,
        le=10,
    )
    loyalty: float = F(
        20.0,
        "yuan",
        "What a shopper who wants this brand gives up by buying a rival's goods where the "
        "brand is not on offer.",
        ge=0,
        le=1e6,
    )
    new_model_share: float = F(
        0.5,
        "share of the brand's orders",
        "product_split: orders for new models, sold only in stores; the rest find the "
        "brand everywhere (online-only models and out-of-season stock online).",
        ge=0,
        le=1,
    )
    large_order_baskets: float = F(
        3.0,
        "baskets",
        "order_size_split: online orders larger than this are routed to the nearest dealer.",
        gt=0,
        le=1000,
    )
    routed_margin: float = F(
        0.08,
        "share of order value",
        "order_size_split: what the dealer keeps of a routed order; a dealer takes a routed "
        "order with chance min(1, routed_margin / dealers.margin).",
        ge=0,
        le=1,
    )
    pickup_fee: float = F(
        0.08,
        "share of order value",
        "transaction_link_split: what the brand pays the store where an online order is picked up.",
        ge=0,
        le=1,
    )
    pickup_cross_sell: float = F(
        0.2,
        "orders/pick-up",
        "transaction_link_split: chance that a pick-up visit ends in a store purchase too.",
        ge=0,
        le=1,
    )
    online_brand_awareness: float = F(
        0.05,
        "share of consumers",
        "brand_split: share of consumers who know the online-only brand at the start.",
        ge=0,
        le=1,
    )
    awareness_growth: float = F(
        0.5,
        "1/year",
        "brand_split: yearly rate at which the rest of the consumers come to know it.",
        ge=0,
        le=52,
    )
    awareness_cost: float = F(
        0.0,
        "yuan/year",
        "brand_split: what building the online brand's awareness costs the brand.",
        ge=0,
        le=1e12,
    )
    membership: Literal["none", "separate", "integrated"] = F(
        "none",
        "-",
        "Membership programme: `separate` (points and member data per channel: they count "
        "only in the channel where the member joined), `integrated` (shared across stores "
        "and platforms), or `none`.",
    )
    member_retention: float = F(
        0.5,
        "share of needs",
        "membership: chance that a member's need is for the brand again (otherwise the need "
        "follows market shares).",
        ge=0,
        le=1,
    )
    points_value: float = F(
        0.03,
        "share of order value",
        "membership: points a member earns on a purchase of the brand, paid by the brand and "
        "worth as much to the member where they count.",
        ge=0,
        le=1,
    )
    fan_programme: bool = F(
        False,
        "-",
        "Fan economy: buyers move up link levels customer -> user -> fan -> partner through "
        "service and emotional experiences; fans refer contacts, partners resell.",
    )
    service_rate: float = F(
        0.3,
        "per purchase",
        "fan_programme: chance that a customer's purchase brings a service experience that "
        "makes it a user.",
        ge=0,
        le=1,
    )
    emotion_rate: float = F(
        0.05,
        "per purchase",
        "fan_programme: chance that a user's purchase brings an emotional experience that "
        "makes it a fan.",
        ge=0,
        le=1,
    )
    partner_rate: float = F(
        0.02,
        "per purchase",
        "fan_programme: chance that a fan's purchase makes it a partner who resells.",
        ge=0,
        le=1,
    )
    fan_referral_rate: float = F(
        0.1,
        "referrals/week",
        "fan_programme: chance that a fan recommends the brand to a contact in a week "
        "(partners, who resell, three times as often); the contact's next need is for the brand.",
        ge=0,
        le=1,
    )
    partner_margin: float = F(
        0.1,
        "share of order value",
        "fan_programme: what a partner earns on a sale to a contact it brought, paid by the brand.",
        ge=0,
        le=1,
    )
    ground_reach_km: float = F(
        2.0,
        "km",
        "region_split: the brand sells online only to consumers whose nearest open store is "
        "farther than this.",
        ge=0,
        le=1e4,
    )


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
    paid_signup: float = F(
        0.05,
        "customers/click",
        "Chance that a paid visit by a non-customer makes a customer.",
        ge=0,
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
    """A promotion festival (Double 11, 618): platform discounts that pull demand in."""

    name: str = F(..., "-", "Event name.", min_length=1, max_length=64)
    week: int = F(..., "week of year (1-52)", "Week of the year the event falls in.", ge=1, le=52)
    start_year: int = F(1950, "year", "First year the event runs.", ge=1950, le=2200)
    platform_discount: float = F(
        0.2, "share of price", "Extra discount on platforms during the event.", ge=0, le=0.95
    )
    demand_boost: float = F(
        3.0,
        "x purchase rate",
        "Multiplier of the purchase need during the event week.",
        ge=0,
        le=100,
    )


class Scenario(Section):
    """A complete o2osim scenario."""

    name: str = F("unnamed", "-", "Short name of the scenario.", max_length=200)
    description: str = F("", "-", "What question the scenario answers.", max_length=10_000)
    seed: int = F(
        0, "-", "Seed of the one random stream every draw comes from.", ge=0, le=2**63 - 1
    )
    engine: Literal["vectorized", "agents"] = F(
        "vectorized",
        "-",
        "How consumers decide: `vectorized` over numpy columns (fast), or `agents`, each "
        "Consumer's adopt() and shop() run by Mesa's shuffle_do (the reference, for teaching "
        "and verification; about 100x slower).",
    )
    time: TimeConfig = Field(default_factory=TimeConfig)
    population: PopulationConfig = Field(default_factory=PopulationConfig)
    consumers: ConsumerConfig = Field(default_factory=ConsumerConfig)
    stores: StoreConfig = Field(default_factory=StoreConfig)
    platforms: list[PlatformConfig] = Field(
        default_factory=list,
        max_length=8,
        description="Online platforms (a list).",
        json_schema_extra={"unit": "-"},
    )
    dealers: DealerConfig = Field(default_factory=DealerConfig)
    brands: list[BrandConfig] = Field(
        default_factory=lambda: [BrandConfig(name="brand")],
        max_length=8,
        description="Brands (a list, at most 8); market shares must not sum above 1.",
        json_schema_extra={"unit": "-"},
    )
    demography: DemographyConfig = Field(default_factory=DemographyConfig)
    adoption: AdoptionConfig = Field(default_factory=AdoptionConfig)
    attention: AttentionConfig = Field(default_factory=AttentionConfig)
    stages: StagesConfig = Field(default_factory=StagesConfig)
    events: list[EventConfig] = Field(
        default_factory=list,
        description="Promotion events (a list).",
        json_schema_extra={"unit": "-"},
    )

    @model_validator(mode="after")
    def _cross_checks(self) -> Scenario:
        end = self.time.start_year + self.time.years - 1
        names = [p.name for p in self.platforms]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise FieldProblem(f"platforms.{i}.name", name, "a name no other platform has")
        for i, platform in enumerate(self.platforms):
            if platform.launch_year > end:
                raise FieldProblem(
                    f"platforms.{i}.launch_year",
                    platform.launch_year,
                    f"a year up to the last simulated year {end}",
                )
        brand_names = [b.name for b in self.brands]
        for i, name in enumerate(brand_names):
            if name in brand_names[:i]:
                raise FieldProblem(f"brands.{i}.name", name, "a name no other brand has")
        if self.engine == "agents":
            for i, platform in enumerate(self.platforms):
                if platform.c2b_start_year is not None:
                    raise FieldProblem(
                        f"platforms.{i}.c2b_start_year",
                        platform.c2b_start_year,
                        "null when engine is agents (the reference engine has no C2B)",
                    )
            for name in ("large_account_share", "order_size_cv", "brand_habit"):
                if getattr(self.consumers, name) > 0:
                    raise FieldProblem(
                        f"consumers.{name}",
                        getattr(self.consumers, name),
                        "0 when engine is agents (the reference engine has one-basket orders)",
                    )
            for i, brand in enumerate(self.brands):
                if (
                    brand.channel_strategy != "none"
                    or brand.online_price_index is not None
                    or brand.membership != "none"
                    or brand.fan_programme
                ):
                    raise FieldProblem(
                        f"brands.{i}.channel_strategy",
                        brand.channel_strategy,
                        "none with online_price_index null and no membership when engine is "
                        "agents (the reference engine has no brand strategies)",
                    )
        total = sum(b.market_share for b in self.brands)
        if total > 1 + 1e-9:
            raise FieldProblem(
                "brands.market_share", round(total, 6), "market shares summing to at most 1"
            )
        return self

    @property
    def ticks(self) -> int:
        """Total number of weekly ticks in the run."""
        return self.time.years * self.time.ticks_per_year


# --------------------------------------------------------------------------- loading


class _Loader(yaml.SafeLoader):
    """Safe loading, with YAML 1.2 numbers: ``1e6`` is a float, not the string '1e6'."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
        r"|[0-9][0-9_]*[eE][-+]?[0-9]+|\.(?:inf|Inf|INF)|[-+]\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


class DuplicateKeyError(yaml.YAMLError):
    """A mapping in the YAML file names the same key twice."""

    def __init__(self, path: str, line: int) -> None:
        super().__init__(f"duplicate key {path} (line {line})")
        self.path, self.line = path, line


def _check_duplicates(node: yaml.Node, path: tuple[str, ...] = ()) -> None:
    """Refuse a mapping that repeats a key, naming the key's full dotted path."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise DuplicateKeyError(".".join((*path, key)), key_node.start_mark.line + 1)
            seen.add(key)
            _check_duplicates(value_node, (*path, key))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicates(item, (*path, str(i)))


#: Most values a file may hold once its aliases are expanded: a scenario has a few hundred, and
#: a few lines of nested aliases ("billion laughs") can stand for billions.
MAX_VALUES = 100_000


def _expanded_size(node: yaml.Node, sizes: dict[int, int] | None = None) -> int:
    """How many values a node stands for once aliases are expanded (shared nodes sized once)."""
    sizes = {} if sizes is None else sizes
    key = id(node)
    if key not in sizes:
        sizes[key] = 1  # a node that contains itself counts once
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        sizes[key] = 1 + sum(min(_expanded_size(c, sizes), MAX_VALUES + 1) for c in children)
    return sizes[key]


ALLOWED_SUFFIXES = (".yaml", ".yml")


def read_yaml(path: Path) -> dict[str, Any]:
    """Read one YAML mapping with safe loading and duplicate-key detection.

    Args:
        path: The file to read.

    Returns:
        The mapping in the file (an empty file gives an error, not an empty mapping).

    Raises:
        ScenarioError: If the file is missing, not text, not YAML or not a mapping.
    """
    if path.suffix.lower() not in ALLOWED_SUFFIXES:
        raise ScenarioError(path, "", path.suffix or "(none)", "a .yaml or .yml file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(path, "", "", "an existing file (file not found)") from None
    except OSError as exc:
        raise ScenarioError(path, "", "", f"a readable file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(path, "", "", "a UTF-8 text file, got binary data") from None
    if "\x00" in text:
        raise ScenarioError(path, "", "", "a UTF-8 text file, got binary data")
    try:
        node = yaml.compose(text, Loader=_Loader)
        if node is not None:
            if _expanded_size(node) > MAX_VALUES:
                raise ScenarioError(
                    path,
                    "",
                    f"more than {MAX_VALUES:,} values",
                    f"at most {MAX_VALUES:,} values once YAML aliases are expanded",
                )
            _check_duplicates(node)
        data = _yaml(text)
    except DuplicateKeyError as exc:
        raise ScenarioError(
            path, exc.path, "", f"each key once (duplicate key at line {exc.line})"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        problem = (exc.problem or exc.context or "syntax error").strip()
        raise ScenarioError(path, "", "", f"valid YAML ({problem} at {where})") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(path, "", "", f"valid YAML ({exc})") from None
    if data is None:
        raise ScenarioError(path, "", "(empty file)", "a mapping of scenario sections")
    if not isinstance(data, dict):
        raise ScenarioError(path, "", type(data).__name__, "a mapping of scenario sections")
    return data


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into a copy of ``base``: mappings merge per key, anything else replaces.

    Args:
        base: The mapping inherited through ``extends``.
        override: The mapping of the extending file.

    Returns:
        A new merged mapping; neither argument is modified.
    """
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _resolve_extends(path: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    path = path.resolve()
    if path in chain:
        loop = " -> ".join(p.name for p in (*chain, path))
        raise ScenarioError(chain[-1], "extends", path.name, f"no loop of extends ({loop})")
    data = read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(path, "extends", parent, "a path to another scenario file")
    target = (path.parent / parent).resolve()
    if target.suffix.lower() not in ALLOWED_SUFFIXES:
        raise ScenarioError(path, "extends", parent, "a .yaml or .yml file")
    if not target.exists():
        raise ScenarioError(path, "extends", parent, f"an existing file ({target} not found)")
    return deep_merge(_resolve_extends(target, (*chain, path)), data)


def resolve_relative(spec: Path, field: str, relative: str) -> Path:
    """A scenario file named by another file (a sweep or calibration spec), checked.

    Args:
        spec: The file that names it.
        field: The field that names it (for the error).
        relative: The path as written, relative to ``spec``.

    Returns:
        The resolved path.

    Raises:
        ScenarioError: If it is not an existing .yaml or .yml file.
    """
    target = (spec.parent / relative).resolve()
    if target.suffix.lower() not in ALLOWED_SUFFIXES:
        raise ScenarioError(spec, field, relative, "a .yaml or .yml scenario file")
    if not target.exists():
        raise ScenarioError(spec, field, relative, f"an existing file ({target} not found)")
    return target


def field_value(data: dict[str, Any], dotted: str) -> Any:
    """The value at a dotted path (as in ``--set``) of a scenario mapping.

    Raises:
        KeyError: If no field has that path.
    """
    node: Any = data
    for key in dotted.split("."):
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            raise KeyError(dotted)
    return node


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``a.b.0.c=value`` into its path and a YAML-typed value.

    Args:
        text: One ``--set`` argument.

    Returns:
        The dotted path as a list of keys and the value parsed as a YAML scalar.

    Raises:
        ScenarioError: If there is no ``=`` or the path is empty.
    """
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ScenarioError("--set", text, text, "KEY=VALUE, e.g. platforms.0.commission=0.08")
    try:
        value = _yaml(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return key.strip().split("."), value


def apply_override(data: dict[str, Any], path: list[str], value: Any, source: str) -> None:
    """Set ``value`` at ``path`` inside the raw scenario mapping, creating mappings as needed.

    Args:
        data: The raw scenario mapping (modified in place).
        path: Keys; list elements are addressed by their integer index.
        value: The new value.
        source: Where the override came from, for error messages.

    Raises:
        ScenarioError: If the path runs through a value that is neither a mapping nor a list,
            or names a list index that does not exist.
    """
    node: Any = data
    for depth, key in enumerate(path):
        last = depth == len(path) - 1
        dotted = ".".join(path[: depth + 1])
        if isinstance(node, list):
            if not node:
                raise ScenarioError(source, dotted, key, "no index: the list is empty")
            if not key.isdigit() or int(key) >= len(node):
                raise ScenarioError(source, dotted, key, f"a list index from 0 to {len(node) - 1}")
            if last:
                node[int(key)] = value
            else:
                node = node[int(key)]
        elif isinstance(node, dict):
            if last:
                node[key] = value
            else:
                node = node.setdefault(key, {})
        else:
            raise ScenarioError(source, dotted, node, "a section or list to set a field in")


def _schema_fields(path: tuple[Any, ...], root: type[BaseModel] | None = None) -> list[str]:
    """Names of the fields allowed at a location in the scenario, for "did you mean"."""
    model: Any = root or Scenario
    for key in path[:-1]:
        if isinstance(key, int):
            continue
        info = model.model_fields.get(key)
        if info is None:
            return []
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        model = args[0] if args else annotation
        if not isinstance(model, type) or not issubclass(model, BaseModel):
            return []
    return list(model.model_fields)


def format_error(
    source: Path | str, err: dict[str, Any], root: type[BaseModel] | None = None
) -> ScenarioError:
    """One pydantic error as a one-line :class:`ScenarioError`.

    ``root`` is the model that was validated, for "did you mean" suggestions (the scenario by
    default).
    """
    loc = tuple(err["loc"])
    dotted = ".".join(str(p) for p in loc)
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else ""
        known = _schema_fields(loc, root)
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        allowed = ", ".join(known)
        return ScenarioError(source, dotted, key, f"a known field{hint} (known: {allowed})")
    problem = err.get("ctx", {}).get("error")
    if isinstance(problem, FieldProblem):
        return ScenarioError(source, problem.field or dotted, problem.value, problem.expected)
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if kind == "missing":
        return ScenarioError(source, dotted, "(missing)", "a value: this field is required")
    if kind == "finite_number" or (isinstance(value, float) and not math.isfinite(value)):
        return ScenarioError(source, dotted, value, "a finite number")
    if not loc:
        return ScenarioError(source, "", "", message)
    return ScenarioError(source, dotted, value, message[0].lower() + message[1:])


def validate(data: dict[str, Any], source: Path | str) -> Scenario:
    """Validate a raw scenario mapping.

    Args:
        data: The mapping after ``extends`` and overrides.
        source: The file (or other origin) named in error messages.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: For the first problem found, as one line.
    """
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise format_error(source, exc.errors()[0]) from None


def load_scenario(
    source: str | Path | dict[str, Any] | Scenario,
    overrides: list[str] | None = None,
    **fields: Any,
) -> Scenario:
    """Load and validate a scenario from a file, a mapping or a scenario, applying overrides.

    Args:
        source: A path to a YAML file, a raw mapping, or an existing scenario.
        overrides: ``KEY=VALUE`` strings, as given to ``--set`` on the command line.
        **fields: Overrides as keyword arguments, with ``__`` for dots
            (``stores__rent=1000`` sets ``stores.rent``).

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: If the file or any value is invalid.
    """
    if isinstance(source, Scenario):
        data, origin = source.model_dump(mode="json"), "scenario"
    elif isinstance(source, dict):
        data, origin = copy.deepcopy(source), "scenario"
        if "extends" in data:
            raise ScenarioError(origin, "extends", data["extends"], "extends only in files")
    else:
        origin = Path(source)
        data = _resolve_extends(origin)
    for text in overrides or []:
        path, value = parse_override(text)
        apply_override(data, path, value, f"{origin} --set")
    for key, value in fields.items():
        apply_override(data, key.split("__"), value, f"{origin} ({key}=)")
    return validate(data, origin)
