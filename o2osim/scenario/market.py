"""The market's sections: the simulated calendar (``time``), the population and the consumers."""

from __future__ import annotations

from typing import Literal

import numpy as np

from o2osim.scenario.fields import F, Section


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


class ServiceNeed(Section):
    """A kind of need a store serves better than online (touch, take home at once, install)."""

    name: str = F(
        ...,
        "-",
        "Name of the need kind (letters, digits and _), e.g. `touch`, `immediate`, `install`; "
        "it names the years.csv column `store_share_<name>`. `plain` is the rest of the needs.",
        pattern=r"^[A-Za-z][A-Za-z0-9_]*$",
        max_length=40,
    )
    share: float = F(
        ..., "share of needs", "Chance that a shopper's need this week is of this kind.", ge=0, le=1
    )
    value: float = F(
        ...,
        "yuan",
        "What buying in a store adds for this need over buying unseen online, in base-year yuan "
        "(a store of quality q delivers it with chance q).",
        ge=0,
        le=1e6,
    )
    at_pick_up: bool = F(
        False,
        "-",
        "Whether an online order picked up at a store (a brand's `transaction_link_split`) "
        "gets this value too: true for what the counter gives (touch and check the goods, "
        "after-sales), false for what it does not (the goods still wait for delivery).",
    )
    at_showroom: bool = F(
        True,
        "-",
        "Whether a showroom delivers this value (it shows the goods and takes the order, but "
        "the goods come later): false for taking the goods home at once.",
    )
    at_service_point: bool = F(
        False,
        "-",
        "Whether a service point near the buyer's home delivers this value to an online "
        "purchase (installation, after-sales), paid by the brands.",
    )


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
    ad_cost: float = F(
        0.0,
        "yuan/(ad/session)",
        "What a platform's sponsored results cost a shopper on an order there, per ad shown "
        "in a search session (`platforms[].ad_load`): its utility falls by ad_cost * ad_load.",
        ge=0,
        le=1e6,
    )
    pc_visits: float = F(
        3.0,
        "visits/week",
        "Platform visits of an online shopper on a computer (`sessions.mode: fixed`).",
        ge=0,
        le=1000,
    )
    mobile_visits: float = F(
        20.0,
        "visits/week",
        "Platform visits of an online shopper on a phone (`sessions.mode: fixed`).",
        ge=0,
        le=1000,
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
    price_elasticity: float = F(
        0.0,
        "1",
        "Price elasticity of purchase timing: in an event week an online customer's need "
        "chance is multiplied by (1 - discount) ** -price_elasticity; 0 = off.",
        ge=0,
        le=20,
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
        "buyer's last order on that platform, rather than to any shop (`shop_choice: loyalty`).",
        ge=0,
        le=1,
    )
    shop_choice: Literal["loyalty", "compare"] = F(
        "loyalty",
        "-",
        "How an online buyer picks its shop: `loyalty` goes back to its last shop with chance "
        "`shop_loyalty`; `compare` goes back unless a rival's offer saves more than knowing the "
        "shop is worth, and never after a bad order there (see docs/model.md, Shops).",
    )
    shop_price_dispersion: float = F(
        0.1,
        "share of price",
        "Standard deviation of a shop's price around its platform's (`compare` only).",
        ge=0,
        le=1,
    )
    rival_offers: int = F(
        3,
        "offers/order",
        "Rival shops' offers a buyer on a computer sees on the way to an order (`compare` only).",
        ge=0,
        le=50,
    )
    mobile_rival_offers: int = F(
        6,
        "offers/order",
        "Rival shops' offers a buyer on a phone sees (feeds show more; `compare` only).",
        ge=0,
        le=50,
    )
    familiarity_value: float = F(
        40.0,
        "yuan",
        "What knowing its shop is worth to a buyer with no trust in the platform, in base-year "
        "yuan; a buyer with trust t values it at (1 - t) times this (`compare` only).",
        ge=0,
        le=1e6,
    )
    first_order_familiarity: float = F(
        1.0,
        "share of familiarity_value",
        "How well a buyer knows a shop after its first order there, as a share of what knowing "
        "it is worth once it has come back (`compare` only): one order teaches less about a "
        "shop's fit, delivery and after-sales than several. 1: a first order teaches all (off).",
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
    service_needs: list[ServiceNeed] = F(
        [],
        "-",
        "Kinds of needs a store serves better than online (see `consumers.service_needs.N`); "
        "the shares must not sum above 1, the rest of the needs are `plain` (value 0). "
        "Empty: no service value (off).",
        max_length=8,
    )


class SessionsConfig(Section):
    """Where online sessions and store visits come from: the conversion funnel."""

    mode: Literal["fixed", "behaviour"] = F(
        "fixed",
        "-",
        "`fixed`: every online shopper visits the platforms `consumers.pc_visits` or "
        "`consumers.mobile_visits` times a week, whatever it needs; `behaviour`: a shopper "
        "with a need runs search sessions (more with a dearer search, fewer with more trust), "
        "customers browse by device without a need, and paid clicks convert when they reach a "
        "buyer.",
    )
    comparison_sessions: float = F(
        3.5,
        "sessions/need",
        "Search sessions, beyond the one that ends the search, a platform customer with a need "
        "runs at the reference search cost and full trust (behaviour mode).",
        ge=0,
        le=1000,
    )
    reference_search_cost: float = F(
        10.0,
        "yuan/order",
        "Search cost at which a shopper runs `comparison_sessions` extra sessions.",
        gt=0,
        le=1e6,
    )
    search_cost_elasticity: float = F(
        0.5,
        "-",
        "Elasticity of the search sessions to the search cost on the shopper's device "
        "(`consumers.search_cost` times `stages.mobile_search_factor` on a phone).",
        ge=0,
        le=5,
    )
    distrust_sessions: float = F(
        1.0,
        "x",
        "Extra comparison sessions of a shopper with no trust in its platforms relative to "
        "full trust: the sessions are multiplied by 1 + distrust_sessions * (1 - trust).",
        ge=0,
        le=100,
    )
    pc_browsing: float = F(
        0.1,
        "sessions/week",
        "Sessions without a need of a platform customer on a computer (behaviour mode); "
        "they never end in an order.",
        ge=0,
        le=1000,
    )
    mobile_browsing: float = F(
        3.2,
        "sessions/week",
        "Sessions without a need of a platform customer on a phone (feeds, behaviour mode); "
        "they never end in an order.",
        ge=0,
        le=1000,
    )
    window_km: float | None = F(
        None,
        "km",
        "Window shopping falls with the distance to the nearest open store: a consumer makes "
        "`consumers.window_shopping * exp(-distance / window_km)` store visits a week without "
        "a need (none with no store open); null: `consumers.window_shopping` everywhere.",
        gt=0,
        le=1000,
    )
