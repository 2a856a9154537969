"""Units and labels: what the numbers of a run are measured in, and how axes and tables name them.

One lookup, :func:`unit`, gives the unit of any outcome or yearly column (``compare`` tables,
sweep plots, sensitivity bars, calibration figures); :func:`parameter_unit` gives the unit a
scenario field declares; :func:`label` makes an axis label of a name, its unit and how a run
was reduced to one number (:data:`OVER_WORDS`). The codes of the channel a consumer last bought
in (:data:`NO_CHANNEL`, :data:`STORE_CHANNEL`) and their labels live here too, so that the
rules that write them and the plots that read them share one definition.

A leaf module: it imports nothing of o2osim at import time (the scenario schema only inside
:func:`parameter_unit`).
"""

from __future__ import annotations

from typing import Any

#: Units of outcomes and yearly columns; a key ending in ``_`` is a prefix. Looked up in order
#: (the first key that matches wins).
UNITS: dict[str, str] = {
    "online_share": "share of GMV",
    "stores_open": "stores",
    "store_closures": "stores",
    "dealers_active": "dealers",
    "dealer_exits": "dealers",
    "dealer_takeovers": "dealers",
    "dealer_brand_drops": "brands",
    "brands_carried": "brands",
    "traffic_cost": "yuan per net new buyer",
    "cost_per_new_customer": "yuan per new customer",
    "annual_churn_online": "share of customers",
    "mean_trust_online": "trust (0-1)",
    "gmv_": "yuan",
    "brand_profit_": "yuan",
    "brand_sales_": "baskets",
    "brand_traffic_cost_": "yuan per customer won",
    "brand_new_customers_": "people",
    "brand_wallet_share_": "share of purchases",
    "brand_churn_": "share of customers",
    "brand_awareness_": "share of consumers",
    "brand_members_": "people",
    "brand_customers_": "people",
    "brand_users_": "people",
    "brand_fans_": "people",
    "brand_partners_": "people",
    "channel_strategy_": "code (0 none ... 6 region_split)",
    "membership_": "code (0 none, 1 separate, 2 integrated)",
    "fan_programme_": "1 in force",
    "platform_profit_": "yuan",
    "platform_gmv_": "yuan",
    "platform_commission_": "yuan",
    "platform_ad_revenue_": "yuan",
    "platform_promotion_cost_": "yuan",
    "protection_spend_": "yuan",
    "enforcement_spend_": "yuan",
    "commission_rate_": "share of GMV",
    "ad_load_": "ads/search session",
    "dealer_profit": "yuan",
    "dealer_margin": "yuan",
    "unsold_stock": "yuan",
    "stock_months": "months of sales",
    "stock_holding_cost": "yuan",
    "stock_written_off": "yuan",
    "stock_shared_online": "yuan",
    "store_profit": "yuan",
    "c2b_share_": "share of orders",
    "c2b_mismatch_": "share of the range",
    "online_conversion_rate": "orders per visit",
    "offline_conversion_rate": "orders per visit",
    "online_conversion_": "orders per session",
    "sessions_": "sessions",
    "orders_": "orders",
    "price_online": "yuan per basket",
    "basket_value": "yuan per basket",
    "price_store": "yuan per basket",
    "price_gap": "online over store price - 1",
    "online_shoppers_per_working_age": "per working-age person",
    "festival_week_ratio": "x median week",
    "markup_store": "share of unit cost",
    "markup_online": "share of unit cost",
    "store_share_": "share of the need kind's purchases",
    "online_baskets": "baskets",
    "offline_baskets": "baskets",
    "mean_trust_offline": "trust (0-1)",
    "annual_churn_offline": "share of customers",
    "annual_churn_platform": "share of customers",
    "traffic_cost_": "yuan per net new buyer",
    "cost_per_new_customer_": "yuan per new customer",
    "active_buyers_": "people",
    "repeat_after_first_order": "share of first-time buyers",
    "store_openings": "stores",
    "online_users": "people",
    "mobile_users": "people",
    "consumers": "people",
    "working_age_population": "people",
    "new_consumers": "people",
    "marketing_spend": "yuan",
    "sponsored_spend": "yuan",
}

#: Words for how a run's yearly rows become one number (:data:`o2osim.metrics.OVERS`), in
#: tables and axis labels.
OVER_WORDS = {"final": "final-year value", "mean": "mean over years", "sum": "sum over years"}

#: ``preferred_channel`` code for a consumer who has not bought anything yet.
NO_CHANNEL = -1
#: ``preferred_channel`` code for physical stores; platform ``k`` is ``k + 1``.
STORE_CHANNEL = 0

#: Labels of the channel a consumer last bought in: nothing yet, a store, any platform.
CHANNEL_LABELS = {
    NO_CHANNEL: "no purchase yet",
    STORE_CHANNEL: "bought in a store",
    STORE_CHANNEL + 1: "bought online",
}


def unit(name: str) -> str:
    """The unit of an outcome or yearly column, by name or prefix ('' when unknown).

    Args:
        name: A column of ``years.csv`` or an outcome of ``compare`` (e.g. ``dealer_exits``).

    Returns:
        The unit, e.g. ``"yuan"``.
    """
    for prefix, found in UNITS.items():
        if name == prefix or (prefix.endswith("_") and name.startswith(prefix)):
            return found
    return ""


def parameter_unit(path: str) -> str:
    """The unit of a scenario field by its dotted path (as in ``--set``), '' when unknown.

    Args:
        path: A dotted path such as ``adoption.q`` or ``brands.0.price``.

    Returns:
        The unit the schema declares for the field.
    """
    from pydantic import BaseModel

    from o2osim.scenario import Scenario  # the schema is heavy: only when a unit is asked for

    model: Any = Scenario
    info = None
    for key in path.split("."):
        if key.isdigit():
            continue  # a list index: the item's model is already selected
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return ""
        info = model.model_fields.get(key)
        if info is None:
            return ""
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        model = args[0] if args else annotation
    extra = getattr(info, "json_schema_extra", None) or {}
    found = extra.get("unit", "") if isinstance(extra, dict) else ""
    return "" if found in ("-", None) else str(found)


def label(name: str, unit: str = "", over: str | None = None) -> str:
    """An axis label: ``name, over (unit)``.

    Args:
        name: What is shown.
        unit: Its unit ('' for none).
        over: How runs were reduced to one number (a key of :data:`OVER_WORDS`), or ``None``.

    Returns:
        The label.
    """
    text = name if over is None else f"{name}, {OVER_WORDS.get(over, over)}"
    return f"{text} ({unit})" if unit else text


def channel_label(code: int) -> str:
    """The label of a ``preferred_channel`` code: no purchase yet, a store, or online.

    Args:
        code: :data:`NO_CHANNEL`, :data:`STORE_CHANNEL` or a platform's code (above it).

    Returns:
        The label of :data:`CHANNEL_LABELS`.
    """
    return CHANNEL_LABELS[min(int(code), STORE_CHANNEL + 1)]
