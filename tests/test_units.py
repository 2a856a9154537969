"""Units and labels: one lookup for every column, the schema's units, axis labels, channels."""

import numpy as np
import pandas as pd
import pytest

from o2osim import units
from o2osim.agents import consumers
from o2osim.batch.comparison import Comparison


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("online_share", "share of GMV"),  # an outcome of compare
        ("dealer_exits", "dealers"),  # derived by compare, not a yearly column
        ("gmv_online", "yuan"),  # by prefix
        ("online_conversion_rate", "orders per visit"),  # a yearly column compare does not show
        ("traffic_cost", "yuan per net new buyer"),
        ("traffic_cost_tmall", "yuan per net new buyer"),  # per platform, by prefix
        ("cost_per_new_customer", "yuan per new customer"),
        ("cost_per_new_customer_tmall", "yuan per new customer"),
        # the first matching key wins: a brand's cost of a customer is not traffic_cost_
        ("brand_traffic_cost_online_A", "yuan per customer won"),
        ("working_age_population", "people"),
        ("not_a_column", ""),
        ("gmv", ""),  # a prefix matches only names that continue it
    ],
)
def test_one_lookup_gives_the_unit_of_every_outcome_and_yearly_column(name, expected):
    assert units.unit(name) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("adoption.q", "1/year"),
        ("population.area_km", "km"),
        ("stores.rent", "yuan/month"),
        ("brands.0.market_share", "share of orders"),  # a list index selects the item's model
        ("brands.0.name", ""),  # declared unitless ('-')
        ("adoption.nothing", ""),
        ("seed", ""),
    ],
)
def test_parameter_unit_reads_the_scenario_schema(path, expected):
    assert units.parameter_unit(path) == expected


def test_labels_name_the_reduction_and_the_unit():
    assert units.label("online_share") == "online_share"
    assert units.label("online_share", "share of GMV") == "online_share (share of GMV)"
    assert units.label("gmv_online", "yuan", "sum") == "gmv_online, sum over years (yuan)"
    assert units.label("x", over="other") == "x, other"  # unknown reductions pass through


def summary(rows):
    """A compare summary table of ones with the given (outcome, over) rows."""
    index = pd.MultiIndex.from_tuples(rows, names=["outcome", "over"])
    columns = pd.MultiIndex.from_tuples(
        [("a", s) for s in ("mean", "low", "high")], names=["group", "stat"]
    )
    return pd.DataFrame(np.ones((len(rows), 3)), index=index, columns=columns)


def test_compare_tables_take_their_units_from_the_same_lookup():
    table = Comparison(
        labels=["a", "b"],
        scenarios={},
        seeds=[1],
        runs=pd.DataFrame(),
        table=summary([("online_share", "final"), ("brand_sales_A", "cumulative")]),
        manifest={},
    ).flat_table()
    assert table["unit"].tolist() == [units.unit("online_share"), units.unit("brand_sales_A")]
    assert table["unit"].tolist() == ["share of GMV", "baskets"]


def test_channel_codes_are_defined_once_and_still_importable_from_the_consumers():
    assert consumers.NO_CHANNEL is units.NO_CHANNEL == -1
    assert consumers.STORE_CHANNEL is units.STORE_CHANNEL == 0
    assert units.channel_label(units.NO_CHANNEL) == "no purchase yet"
    assert units.channel_label(units.STORE_CHANNEL) == "bought in a store"
    # platform k has code k + 1: every platform is "online"
    assert {units.channel_label(k + 1) for k in range(4)} == {"bought online"}
