"""The firms' sections: stores, platforms, dealers and brands (and brands' channel strategies)."""

from __future__ import annotations

from typing import Literal, get_args

from o2osim.scenario.fields import F, Section

#: Whether firms keep their settings or decide from their books (see docs/model.md).
Decisions = Literal["fixed", "adaptive"]

#: What a physical store is: a full store, a showroom, a pick-up point or a service point.
StoreFormat = Literal["full", "showroom", "pick_up", "service"]

#: The formats in order (their codes in the store books).
STORE_FORMATS: tuple[StoreFormat, ...] = get_args(StoreFormat)


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
    entry_judge: Literal["weakest", "median"] = F(
        "weakest",
        "-",
        "Which store of a district a newcomer expects to sell like: its weakest (a newcomer "
        "takes the leftovers) or its median one (a newcomer is a typical store).",
    )
    quality_mean: float = F(
        1.0,
        "share of purchases",
        "Mean store quality: the chance that a store purchase satisfies (goods in stock, the "
        "right fit, good service); a disappointed buyer's trust in stores falls. 1: every store "
        "purchase is perfect (off).",
        ge=0,
        le=1,
    )
    quality_spread: float = F(
        0.0,
        "share of purchases",
        "Standard deviation of quality across stores, drawn when a store opens (within [0, 1]).",
        ge=0,
        le=0.5,
    )
    decisions: Decisions | None = F(
        None,
        "-",
        "Whether full stores may turn into a showroom, pick-up point or service point at a "
        "year's end when that would pay more (`adaptive`) or keep their format (`fixed`); "
        "null: the scenario's `decisions`.",
    )


class StoreFormatsConfig(Section):
    """What a showroom, a pick-up point and a service point cost and earn (see docs/model.md)."""

    allowed: list[Literal["showroom", "pick_up", "service"]] = F(
        ["showroom", "pick_up", "service"],
        "-",
        "Formats a full store may turn into when stores decide ([]: none).",
        max_length=3,
    )
    showroom_rent_share: float = F(
        0.7, "x a full store's rent", "Rent of a showroom (no stockroom).", ge=0, le=1
    )
    showroom_wage_share: float = F(
        0.8, "x a full store's wages", "Wage bill of a showroom.", ge=0, le=1
    )
    showroom_delivery_days: float = F(
        2.0, "days", "Days a showroom's buyer waits for the goods.", ge=0, le=60
    )
    pick_up_rent_share: float = F(
        0.07,
        "x a full store's rent",
        "Rent of a pick-up point (a counter and shelves).",
        ge=0,
        le=1,
    )
    pick_up_wage_share: float = F(
        0.1, "x a full store's wages", "Wage bill of a pick-up point.", ge=0, le=1
    )
    pick_up_reach_km: float = F(
        2.0,
        "km",
        "A pick-up point holds the online orders of the homes whose nearest pick-up point it "
        "is, when it is at most this far.",
        ge=0,
        le=1e4,
    )
    parcel_fee: float = F(
        0.5,
        "yuan/order",
        "What online sellers pay a pick-up point per order it holds for collection, in "
        "base-year yuan (the last mile it saves them).",
        ge=0,
        le=1e4,
    )
    service_rent_share: float = F(
        0.15, "x a full store's rent", "Rent of a service point (a workshop).", ge=0, le=1
    )
    service_wage_share: float = F(
        0.4,
        "x a full store's wages",
        "Wage bill of a service point (fitters, repairers).",
        ge=0,
        le=1,
    )
    service_reach_km: float = F(
        10.0,
        "km",
        "A service point installs and services the online purchases of the homes whose nearest "
        "service point it is, when it is at most this far.",
        ge=0,
        le=1e4,
    )
    service_fee: float = F(
        20.0,
        "yuan/service",
        "What brands pay a service point per online purchase it installs or services, in "
        "base-year yuan.",
        ge=0,
        le=1e6,
    )
    refit_cost: float = F(
        200_000.0,
        "yuan",
        "What turning a full store into another format costs its owners once, in base-year yuan.",
        ge=0,
        le=1e12,
    )


class PlatformConfig(Section):
    """One online platform: when it launches, its prices and its trust-building settings."""

    name: str = F(..., "-", "Platform name, unique in the scenario.", min_length=1, max_length=64)
    launch_year: int = F(..., "year", "Year the platform opens.", ge=1950, le=2200)
    decisions: Decisions | None = F(
        None,
        "-",
        "Whether this platform sets its commission, ad load, own marketing, enforcement and "
        "protection each year (`adaptive`, see `platform_rules`) or keeps the values below "
        "(`fixed`); null follows the scenario's `decisions`.",
    )
    price_index: float = F(
        0.85, "x list price", "Online price relative to list price.", gt=0, le=10
    )
    commission: float = F(
        0.05, "share of GMV", "Commission the platform takes from each sale.", ge=0, le=1
    )
    delivery_days: float = F(3.0, "days", "Days from order to delivery.", ge=0, le=60)
    ad_load: float = F(
        0.0,
        "ads/search session",
        "Sponsored results the platform shows in each search session on its pages, sold to "
        "its own sellers (in-platform search ads; `sessions.mode: behaviour`); 0 shows none.",
        ge=0,
        le=50,
    )
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
    results_shown: int | None = F(
        None,
        "variants",
        "How many product variants its search results show, ranked by its sales of last year; "
        "a shopper whose variant is not among them buys the bestseller, so its sales data "
        "over-weigh bestsellers (null: every variant is found).",
        ge=1,
        le=10_000,
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
        0.05,
        "share of GMV",
        "Share of sales that sellers spend on buying traffic (`attention.budget_rule: share`).",
        ge=0,
        le=1,
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
    seller_margin: float = F(
        0.2,
        "share of price",
        "What a seller here keeps of an order's price after goods and commission; with "
        "`attention.budget_rule: return` it sets what a new customer is worth to a seller.",
        ge=0,
        le=1,
    )


#: A platform lever a yearly decision can move.
PlatformLever = Literal["commission", "ad_load", "marketing", "enforcement", "protection"]
#: The platform levers, in the order they are tried.
PLATFORM_LEVERS: tuple[str, ...] = get_args(PlatformLever)


class PlatformRulesConfig(Section):
    """How adaptive platforms decide: one lever a year, kept when it paid (see docs/model.md)."""

    levers: list[PlatformLever] = F(
        list(PLATFORM_LEVERS),
        "-",
        "The levers an adaptive platform moves, one a year in this order; the others stay at "
        "the platform's settings. `marketing` scales its own traffic budget "
        "(`base_marketing`); `protection` puts escrow, returns and deposits in force or not.",
        max_length=5,
    )
    commission_step: float = F(
        0.005, "share of GMV", "How far one yearly decision moves the commission.", gt=0, le=1
    )
    commission_max: float = F(
        0.2, "share of GMV", "Highest commission a platform sets.", ge=0, le=1
    )
    ad_load_step: float = F(
        1.0, "ads/search session", "How far one yearly decision moves the ad load.", gt=0, le=50
    )
    ad_load_max: float = F(
        12.0, "ads/search session", "Highest ad load a platform sets.", ge=0, le=50
    )
    marketing_step: float = F(
        0.25,
        "x base_marketing",
        "How far one yearly decision moves the platform's own traffic budget, in multiples of "
        "its `base_marketing`.",
        gt=0,
        le=10,
    )
    marketing_max: float = F(
        4.0,
        "x base_marketing",
        "Largest own traffic budget, in multiples of `base_marketing`.",
        ge=0,
        le=100,
    )
    enforcement_step: float = F(
        0.1, "1/year", "How far one yearly decision moves enforcement.", gt=0, le=1
    )
    aspiration_weight: float = F(
        0.5,
        "-",
        "How far a platform's aspiration (the performance below which it takes a move back) "
        "moves toward each year's result.",
        ge=0,
        le=1,
    )
    trend_weight: float = F(
        0.0,
        "-",
        "How far the trend a platform expects of its performance moves toward its aspiration's "
        "yearly change (Holt's smoothing): it then judges a move by the aspiration plus the "
        "trend, so growth it would have had anyway does not count for the move. 0: no trend.",
        ge=0,
        le=1,
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
    takeovers: bool = F(
        False,
        "-",
        "When dealers decide: a failing dealer sells its business to the nearest dealer that "
        "is not failing, whose stock takes over its stock of the brands the buyer carries, "
        "paid at its value, instead of writing it off (its stores go to the nearest dealer "
        "either way). false: failing dealers exit.",
    )
    stock_cover: float = F(
        0.0,
        "months of sales",
        "Stock a dealer keeps of each brand's goods (0: it holds none under pull production).",
        ge=0,
        le=24,
    )
    holding_cost: float = F(
        0.25,
        "1/year",
        "What holding stock costs a dealer a year per yuan of stock (capital, storage, markdowns).",
        ge=0,
        le=5,
    )
    brand_cost: float = F(
        0.0,
        "yuan/month",
        "What carrying one brand costs a dealer a month (its sales team, the brand's minimum "
        "orders and deposit), on top of fixed_cost.",
        ge=0,
        le=1e12,
    )
    decisions: Decisions | None = F(
        None,
        "-",
        "Whether each dealer chooses at a year's end which brands to carry, dropping a brand "
        "whose margin does not pay its brand_cost (`adaptive`), or carries every brand "
        "(`fixed`); null: the scenario's `decisions`.",
    )


Production = Literal["pull", "push"]

#: What a brand is: one with dealers and stores, or one born online with neither.
BrandKind = Literal["traditional", "online_native"]


class BrandRulesConfig(Section):
    """How brands that decide spend on marketing and enter (see docs/model.md, Brands decide)."""

    spend_elasticity: float = F(
        0.24,
        "-",
        "Elasticity of a brand's attraction in stores to its goodwill there (the long-run "
        "advertising elasticity; mean 0.24 in Sethuraman, Tellis and Briesch 2011).",
        gt=0,
        lt=1,
    )
    online_spend_elasticity: float = F(
        0.7,
        "-",
        "The same elasticity online, where visibility is sold by the click: a brand's share "
        "of a platform's attention grows nearly in proportion to what it spends there (set by "
        "hand below 1, where one brand would take everything).",
        gt=0,
        lt=1,
    )
    goodwill_decay: float = F(
        1.0,
        "1/year",
        "Rate at which a brand's goodwill from past marketing fades (1: a half-life of about "
        "eight months; Leone 1995 finds six to nine months).",
        gt=0,
        le=52,
    )
    equity_spillover: float = F(
        0.02,
        "-",
        "Share of a brand's goodwill in stores and outside media that works online too (a "
        "brand shoppers know from television is one they search for): online attraction "
        "grows with G_online + equity_spillover * G_offline.",
        ge=0,
        le=1,
    )
    marketing_budget: float = F(
        0.08,
        "share of revenue",
        "A deciding brand's yearly marketing budget: this share of last year's revenue (the "
        "percentage-of-sales rule; an online-native brand spends at least its entry_budget).",
        ge=0,
        le=1,
    )
    budget_adjustment: float = F(
        0.25,
        "share per year",
        "Share of the way a brand moves its budget's online share each year toward the split "
        "its last year's books make optimal (1: all the way).",
        gt=0,
        le=1,
    )
    exit_after: int = F(
        2,
        "years",
        "A brand that decides leaves the market after this many losing years in a row.",
        ge=1,
        le=100,
    )
    aspiration_weight: float = F(
        0.5,
        "-",
        "How far a brand's aspiration moves toward a year's result when it switches its "
        "conduct (strategies, memberships, fan_programmes), 0-1.",
        ge=0,
        le=1,
    )
    trend_weight: float = F(
        0.0,
        "-",
        "How far the trend a switching brand expects of its performance moves toward its "
        "aspiration's yearly change (Holt's smoothing, as platform_rules.trend_weight). 0: "
        "no trend.",
        ge=0,
        le=1,
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

Membership = Literal["none", "separate", "integrated"]

#: A brand's conduct it may switch when it decides: each setting and the field that lists
#: the options it may switch between.
CONDUCT_OPTIONS = {
    "channel_strategy": "strategies",
    "membership": "memberships",
    "fan_programme": "fan_programmes",
}


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
    membership: Membership = F(
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
    production: Production = F(
        "pull",
        "-",
        "How the brand fills its dealers' stock: `pull` (made to their orders) or `push` (made "
        "to its yearly forecast and shipped in monthly lots the dealers must take).",
    )
    shared_inventory: bool = F(
        False,
        "-",
        "Whether the brand serves its online orders from its dealers' stock beyond their cover "
        "(bought back at what the dealer paid): one stock for both channels.",
    )
    kind: BrandKind = F(
        "traditional",
        "-",
        "`traditional` (sold by dealers and stores, and online) or `online_native` (sold only "
        "on platforms; it enters when entry would pay, needs decisions: adaptive and a "
        "market_share of 0).",
    )
    decisions: Decisions | None = F(
        None,
        "-",
        "Whether the brand keeps its market shares and conduct (`fixed`) or decides "
        "(`adaptive`): with no brand lever in use it spends on marketing in each channel by "
        "its books, its shares following its goodwill (see `brand_rules`); with `strategies`, "
        "`memberships` or `fan_programmes` listed it switches among them by its profit. null: "
        "the scenario's `decisions`.",
    )
    strategies: list[ChannelStrategy] = F(
        [],
        "-",
        "Channel strategies a deciding brand may switch between, holding its "
        "channel_strategy: it tries its neighbours in this order, one step a year, and keeps "
        "a switch that paid (see docs/model.md, Brands that switch). Empty: it keeps "
        "channel_strategy.",
        max_length=7,
    )
    memberships: list[Membership] = F(
        [],
        "-",
        "Membership programmes a deciding brand may switch between, holding its membership "
        "(as strategies). Empty: it keeps membership.",
        max_length=3,
    )
    fan_programmes: list[bool] = F(
        [],
        "-",
        "Whether a deciding brand may start or stop its fan programme: [false, true] holding "
        "its fan_programme (as strategies). Empty: it keeps fan_programme.",
        max_length=2,
    )
    entry_budget: float = F(
        0.0,
        "yuan/year",
        "online_native: the marketing it spends in its first year online.",
        ge=0,
        le=1e13,
    )
    fixed_cost: float = F(
        0.0,
        "yuan/year",
        "Its overheads when it decides (team, warehouse): counted in its profit and, for an "
        "online_native brand, in its entry decision.",
        ge=0,
        le=1e13,
    )
    appeal: float = F(
        1.0,
        "-",
        "online_native: how attractive it is online with its entry_budget spent for good, "
        "relative to the average traditional brand online at the start.",
        gt=0,
        le=100,
    )


class PricingConfig(Section):
    """Sellers set their prices each month.

    Off by default: stores and platforms charge fixed price indices of the list price.
    """

    sellers_set_prices: bool = F(
        False,
        "-",
        "Every month each store and each platform's sellers set next month's price: unit cost "
        "times one plus a markup that follows demand and rivals' visible prices; store prices "
        "are capped by the cheapest online price plus the store premium, which squeezes what "
        "stores pay their dealers (see docs/model.md, Prices). false: fixed price indices.",
    )
    wholesale_index: float = F(
        0.7,
        "x list price",
        "Wholesale price of a basket, what a dealer asks of a store and what online sellers "
        "pay for their goods, when online prices do not cap it. The brand's ex-factory price "
        "is this times 1 - dealers.margin.",
        gt=0,
        le=10,
    )
    store_markup: float = F(
        0.25,
        "share of unit cost",
        "A store's markup over its unit cost (wholesale plus rent and wages per basket) when "
        "it opens.",
        ge=0,
        le=10,
    )
    online_markup: float | None = F(
        None,
        "share of unit cost",
        "Online sellers' markup over their unit cost (wholesale plus traffic per order) when "
        "their platform launches; null: the markup at which the platform's price_index is "
        "reached with no traffic cost, (price_index * (1 - commission)) / wholesale_index - 1, "
        "kept within the markup bounds.",
        ge=0,
        le=10,
    )
    demand_response: float = F(
        0.02,
        "markup per month",
        "How far a seller's markup moves per month with its demand: plus this times "
        "ln(sold last month / sold the month before), the log clipped to [-1, 1].",
        ge=0,
        le=1,
    )
    rival_response: float = F(
        0.5,
        "share per month",
        "Share of the way a seller moves its markup each month toward the markup that would "
        "match its visible rival: a store priced above the cheapest online price plus the "
        "store premium moves down; an online seller follows the cheapest other platform both "
        "ways. 0: ignore rivals.",
        ge=0,
        le=1,
    )
    markup_min: float = F(0.0, "share of unit cost", "Lowest markup a seller sets.", ge=0, le=10)
    markup_max: float = F(1.0, "share of unit cost", "Highest markup a seller sets.", ge=0, le=10)
    markup_rule: Literal["follow", "logit"] = F(
        "follow",
        "-",
        "How a seller sets its markup: `follow` moves it with its demand and toward its rivals' "
        "visible prices; `logit` sets the profit-maximizing margin of a seller among many "
        "under the consumers' logit choice, one choice scale (`consumers.choice_scale`, grown "
        "with the basket's value) over the unit cost (see docs/model.md, Prices).",
    )
    store_premium: float = F(
        0.3,
        "share of online price",
        "What a store's service is worth over the cheapest online price: a store charges at "
        "most (1 + store_premium) times the cheapest platform price (plus, with "
        "consumers.service_needs, the mean service value of last month's store purchases), "
        "and pays its dealer at most what that cap leaves after its rent and wages per basket "
        "and its lowest markup.",
        ge=0,
        le=10,
    )
    volume_smoothing: float = F(
        0.5,
        "share",
        "Weight of last month's baskets in a store's running average of baskets sold, over "
        "which it spreads its rent and wages (1: last month only).",
        gt=0,
        le=1,
    )
