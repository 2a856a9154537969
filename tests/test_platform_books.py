"""Money that reaches someone: sellers' traffic purchases are the platforms' ad revenue.

Concept: every yuan the attention market takes is booked by a platform, the sellers' part as
ad revenue and the platform's own part as its marketing cost; a platform's profit is its
commission and ad revenue less its costs. Switching the sellers' spending off leaves a platform
living on commission alone.
"""

import pytest
from conftest import BASELINE, SMALL

import o2osim
from o2osim.agents import Platform
from o2osim.invariants import InvariantError


def run(*overrides: str, seed: int = 2, check: bool = False) -> o2osim.Result:
    return o2osim.run(
        BASELINE,
        seed=seed,
        overrides=[*SMALL, "population.consumers=1500", *overrides],
        progress=False,
        check_invariants=check,
    )


def test_every_yuan_of_traffic_is_booked_by_a_platform():
    result = run(check=True)  # the weekly invariant holds, and so do the totals
    platforms = result.model.platforms
    booked = sum(p.ad_revenue + p.marketing_cost for p in platforms)
    assert booked == pytest.approx(result.ticks["marketing_spend"].sum(), rel=1e-9)
    assert all(p.ad_revenue > 0 for p in platforms)


def test_profit_is_commission_and_ads_less_costs():
    result = run()
    years = result.years
    for p in result.model.platforms:
        assert p.profit == pytest.approx(
            p.commission_revenue + p.ad_revenue - p.marketing_cost - p.protection_cost
        )
        assert years[f"platform_ad_revenue_{p.name}"].sum() == pytest.approx(p.ad_revenue)
        assert years[f"platform_commission_{p.name}"].sum() == pytest.approx(p.commission_revenue)
        row = result.firms.query("kind == 'platform' and name == @p.name").iloc[0]
        assert row["revenue"] == pytest.approx(p.commission_revenue + p.ad_revenue)
        assert row["profit"] == pytest.approx(p.profit)


def test_without_sellers_spending_a_platform_lives_on_commission():
    off = ["platforms.0.marketing_share=0", "platforms.1.marketing_share=0"]
    result = run(*off)
    for p in result.model.platforms:
        assert p.ad_revenue == 0
        assert p.marketing_cost == pytest.approx(result.model.platforms[p.index].marketing_spend)
        assert p.profit == pytest.approx(p.commission_revenue - p.costs)


def test_without_own_marketing_all_spend_is_ad_revenue():
    result = run("platforms.0.base_marketing=0", "platforms.1.base_marketing=0")
    for p in result.model.platforms:
        assert p.marketing_cost == 0
        assert p.ad_revenue == pytest.approx(p.marketing_spend)


def test_the_invariant_catches_traffic_money_that_reaches_nobody(monkeypatch):
    # a fault injected on purpose: the platform forgets its sellers' payments
    def forget(self, seller_spend, own_spend):
        self.marketing_cost += own_spend

    monkeypatch.setattr(Platform, "sell_traffic", forget)
    with pytest.raises(InvariantError, match="money reaches someone"):
        run(check=True)


def test_dealer_margin_is_gross_of_fixed_costs():
    result = run()
    years = result.years
    fixed = result.scenario.dealers.fixed_cost * 12 * result.scenario.dealers.count
    first = years.iloc[0]  # every dealer trades the whole first year
    assert first["dealer_margin"] - first["dealer_profit"] == pytest.approx(fixed)
