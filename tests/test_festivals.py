"""Festivals from prices: the festival week comes from discounts, elasticity and pull-forward.

Concept: in an event week the price online is cut (the platforms' and the sellers' discounts
compounded); an online customer's need chance rises with its price elasticity of purchase
timing, ``min(1, r * (1 - d) ** -e)``; this week's buyers are then sated for a few weeks; the
part of the discount the platform funds is its promotion cost; its promotion spend buys more
traffic that week. No demand multiplier: no parameter writes the spike in.
"""

import numpy as np
import pytest
from conftest import BASELINE, ROOT

import o2osim
from o2osim import O2OMarket, load_scenario
from o2osim.market.calendar import Calendar
from o2osim.mechanisms.needs import promotion_need_chance

SEEDS = (1, 2, 3)
RUN = ["population.consumers=2000", "time.years=4", "adoption.initial_adopters=0.5"]


def event(**terms: float) -> str:
    """One Double 11 a year from 2005, with no demand multiplier, as a ``--set`` override."""
    fields = {"start_year": 2005, "platform_discount": 0.25} | terms
    inner = ", ".join(f"{k}: {v}" for k, v in fields.items())
    return f"events=[{{name: D11, week: 45, {inner}}}]"


def run(*overrides: str, seed: int = 1, **terms: float) -> o2osim.Result:
    return o2osim.run(
        BASELINE, seed=seed, overrides=[*RUN, event(**terms), *overrides], progress=False
    )


def festival_ratio(*overrides: str, seed: int, **terms: float) -> float:
    """Mean festival week ratio over the years after the first festival year."""
    return mean_ratio(run(*overrides, seed=seed, **terms))


def mean_ratio(result: o2osim.Result) -> float:
    years = result.years
    return float(years.loc[years["year"] >= 2006, "festival_week_ratio"].mean())


# ---- the rule and the week's terms


def test_the_need_chance_rises_with_the_price_cut_at_the_elasticity():
    chance = np.array([0.1, 0.3, 0.6], dtype=np.float32)
    got = promotion_need_chance(chance, 0.3, 2.0)
    np.testing.assert_allclose(got, [0.1 / 0.49, 0.3 / 0.49, 1.0], rtol=1e-6)
    np.testing.assert_allclose(promotion_need_chance(chance, 0.5, 1.0), [0.2, 0.6, 1.0], rtol=1e-6)
    np.testing.assert_array_equal(promotion_need_chance(chance, 0.3, 0.0), chance)
    np.testing.assert_array_equal(promotion_need_chance(chance, 0.0, 3.0), chance)
    assert float(promotion_need_chance(0.05, 0.2, 3.0)) == pytest.approx(0.05 / 0.8**3)


def test_event_terms_compound_the_discounts_and_say_who_pays():
    scenario = load_scenario(
        BASELINE,
        [
            "events=[{name: A, week: 45, platform_discount: 0.2, seller_discount: 0.1, "
            "subsidy_share: 0.5, promotion_spend: 3},"
            "{name: B, week: 45, platform_discount: 0.0, seller_discount: 0.0, "
            "promotion_spend: 2}]"
        ],
    )
    calendar = Calendar(scenario)
    calendar.advance(45)
    terms = calendar.event_terms()
    assert terms.discount == pytest.approx(1 - 0.8 * 0.9)  # the price paid is 72 % of list
    # the platform funds half its 20 % cut: 10 % of the sellers' price, per yuan paid / 0.8
    assert terms.subsidy == pytest.approx(0.1 / 0.8)
    assert terms.promotion_spend == 5
    calendar.advance(44)
    ordinary = calendar.event_terms()
    assert (ordinary.discount, ordinary.subsidy, ordinary.promotion_spend) == (0.0, 0.0, 0.0)


def test_a_ramped_event_grows_to_its_full_terms_over_its_first_years():
    scenario = load_scenario(
        BASELINE,
        [
            "events=[{name: A, week: 45, start_year: 2009, platform_discount: 0.3, "
            "seller_discount: 0.1, subsidy_share: 0.5, promotion_spend: 4, ramp_years: 4}]"
        ],
    )
    a = scenario.events[0]
    assert [a.strength(y) for y in (2008, 2009, 2010, 2012, 2020)] == [0, 0.25, 0.5, 1, 1]
    calendar = Calendar(scenario)
    calendar.advance(52 * 5 + 45)  # 2009, the first year: a quarter of every term
    terms = calendar.event_terms()
    assert terms.discount == pytest.approx(1 - (1 - 0.075) * (1 - 0.025))
    assert terms.subsidy == pytest.approx(0.5 * 0.075 / (1 - 0.075))
    assert terms.promotion_spend == pytest.approx(1.0)
    calendar.advance(52 * 8 + 45)  # 2012: full terms
    assert calendar.event_terms().discount == pytest.approx(1 - 0.7 * 0.9)
    no_ramp = load_scenario(BASELINE, ["events=[{name: A, week: 45, start_year: 2009}]"])
    assert no_ramp.events[0].strength(2009) == 1.0  # the default: full from the first year


def test_a_ramp_keeps_the_early_festivals_small_and_the_later_ones_whole():
    # the China flagship's Double 11, full from 2009 (docs/validation.md, contradiction 3),
    # against the same event grown over five years, on paired seeds
    china = ROOT / "scenarios" / "china_2004_2020.yaml"
    size = ["population.consumers=3000", "time.years=14"]
    for seed in SEEDS:
        full, ramp = (
            o2osim.run(china, seed=seed, overrides=[*size, *extra], progress=False).years
            for extra in ([], ["events.0.ramp_years=5"])
        )
        early = [
            (r.set_index("year")["festival_week_ratio"].loc[2009:2010].mean()) for r in (full, ramp)
        ]
        late = [
            (r.set_index("year")["festival_week_ratio"].loc[2014:2017].mean()) for r in (full, ramp)
        ]
        assert early[1] < early[0] - 0.3, (seed, early)
        assert abs(late[1] - late[0]) < 0.35 * late[0], (seed, late)


# ---- the festival week from prices


def test_without_elasticity_the_festival_week_is_the_discount_alone_and_with_it_higher():
    def shoppers_ratio(result: o2osim.Result) -> float:
        ticks = result.ticks[result.ticks["year"] >= 2006]
        by_week = ticks.groupby("week")["shoppers"].mean()
        return float(by_week.loc[45] / by_week.loc[36:44].mean())

    for seed in SEEDS:
        off = run("consumers.price_elasticity=0", seed=seed)
        on = run("consumers.price_elasticity=2.5", seed=seed)
        assert mean_ratio(off) > 1.0  # the discount draws store buyers online
        assert mean_ratio(on) > 1.4 * mean_ratio(off), (seed, mean_ratio(off), mean_ratio(on))
        # the needs: as many as in an ordinary week without elasticity, many more with it
        assert 0.9 < shoppers_ratio(off) < 1.1
        assert shoppers_ratio(on) > 1.3


def test_a_deeper_discount_makes_a_bigger_festival():
    for seed in SEEDS:
        shallow = festival_ratio("consumers.price_elasticity=2", seed=seed, platform_discount=0.1)
        deep = festival_ratio("consumers.price_elasticity=2", seed=seed, platform_discount=0.4)
        assert deep > 1.5 * shallow, (seed, shallow, deep)


def test_the_sellers_discount_compounds_with_the_platforms():
    for seed in SEEDS:
        alone = festival_ratio("consumers.price_elasticity=2", seed=seed)
        both = festival_ratio("consumers.price_elasticity=2", seed=seed, seller_discount=0.2)
        assert both > 1.2 * alone, (seed, alone, both)


def test_festival_buyers_are_sated_so_the_weeks_after_dip():
    def after_over_before(seed: int, weeks: int) -> float:
        ticks = run(
            "consumers.price_elasticity=2.5", f"consumers.pull_forward_weeks={weeks}", seed=seed
        ).ticks
        ticks = ticks[ticks["year"] >= 2006]
        orders = ticks.groupby("week")["online_orders"].mean()
        return float(orders.loc[46:48].mean() / orders.loc[40:44].mean())

    for seed in SEEDS:
        sated = after_over_before(seed, 4)
        free = after_over_before(seed, 0)
        assert sated < 0.9, (seed, sated)
        assert sated < free - 0.1, (seed, sated, free)


# ---- who pays: the books


def test_the_platform_books_what_it_subsidised_and_its_profit_falls_by_as_much():
    def model(share: float) -> O2OMarket:
        scenario = load_scenario(
            BASELINE, [*RUN, event(subsidy_share=share), "consumers.price_elasticity=2", "seed=2"]
        )
        m = O2OMarket(scenario)
        m.run()
        return m

    legacy, funded = model(0.0), model(1.0)
    ticks = funded.recorder.frame()
    # who pays changes no decision: the same sales in both runs
    np.testing.assert_array_equal(ticks["gmv_online"], legacy.recorder.frame()["gmv_online"])
    festival = ticks.loc[(ticks["week"] == 45) & (ticks["year"] >= 2005), "gmv_online"].sum()
    subsidy = festival * 0.25 / 0.75  # the platforms' cut of the sellers' price, paid back
    assert subsidy > 0
    assert sum(p.promotion_cost for p in funded.platforms) == pytest.approx(subsidy, rel=1e-9)
    assert sum(p.promotion_cost for p in legacy.platforms) == 0.0
    fell = sum(p.profit for p in legacy.platforms) - sum(p.profit for p in funded.platforms)
    assert fell == pytest.approx(subsidy, rel=1e-9)
    # the sellers (the one brand, market share 1) get it back
    gained = funded.brands[0].revenue_online - legacy.brands[0].revenue_online
    assert gained == pytest.approx(subsidy, rel=1e-9)
    years = o2osim.run(
        BASELINE,
        seed=2,
        overrides=[*RUN, event(subsidy_share=1.0)],
        progress=False,
        check_invariants=True,
    ).years
    assert years["platform_promotion_cost_Taobao"].iloc[1:].gt(0).all()
    assert "platform_promotion_cost_Taobao" not in run(seed=2).years.columns


def test_when_brands_book_their_sales_the_subsidy_reaches_them_too():
    brands = ROOT / "scenarios" / "brand_channels.yaml"

    def model(share: float) -> O2OMarket:
        overrides = [*RUN, event(subsidy_share=share, seller_discount=0.1), "seed=1"]
        m = O2OMarket(load_scenario(brands, overrides))
        m.run()
        return m

    legacy, funded = model(0.0), model(1.0)
    ticks = funded.recorder.frame()
    festival = ticks.loc[(ticks["week"] == 45) & (ticks["year"] >= 2005), "gmv_online"].sum()
    subsidy = festival * 0.25 / 0.75
    assert funded.platforms[0].promotion_cost == pytest.approx(subsidy, rel=1e-9)
    fell = legacy.platforms[0].profit - funded.platforms[0].profit
    assert fell == pytest.approx(subsidy, rel=1e-9)
    # the brand's online revenue rises by the subsidy on its own orders: more than nothing,
    # less than the whole (rivals' sellers get the rest)
    gained = funded.brands[0].revenue_online - legacy.brands[0].revenue_online
    assert 0 < gained < subsidy
    o2osim.run(
        brands,
        seed=1,
        overrides=[*RUN, event(subsidy_share=1.0, seller_discount=0.1)],
        progress=False,
        check_invariants=True,
    )


def test_the_sellers_discount_comes_off_the_sellers_revenue_not_the_platform():
    scenario = load_scenario(
        BASELINE, [*RUN, event(seller_discount=0.3, subsidy_share=1.0), "seed=3"]
    )
    m = O2OMarket(scenario)
    m.run()
    ticks = m.recorder.frame()
    ticks = ticks[ticks["year"] == 2006].set_index("week")  # one platform, Taobao, till 2008
    paid = ticks["gmv_online"] / ticks["online_orders"]
    assert paid.loc[45] / paid.loc[44] == pytest.approx(0.75 * 0.7)  # both cuts, compounded
    # the platform pays back its own 25 % cut of the sellers' price, not the sellers' 30 %
    frame = m.recorder.frame()
    festival = frame.loc[(frame["week"] == 45) & (frame["year"] >= 2005), "gmv_online"].sum()
    promotion = m.platforms[0].promotion_cost
    assert promotion == pytest.approx(festival * 0.25 / 0.75, rel=1e-9)


def test_promotion_spend_buys_more_traffic_in_the_event_week():
    # the first event is in 2008, the year the second platform opens with customers to win;
    # the runs are identical until then
    first_event = 4 * 52 + 45
    for seed in SEEDS:
        models = []
        for spend in (0.0, 20.0):
            overrides = [*RUN, "time.years=5", event(start_year=2008, promotion_spend=spend)]
            m = O2OMarket(load_scenario(BASELINE, [*overrides, f"seed={seed}"]))
            m.run(first_event)
            models.append(m)
        plain, promoted = (m.recorder.frame().iloc[-1] for m in models)
        own = sum(p.config.base_marketing for p in models[1].platforms if p.launched)
        assert own > 0
        assert promoted["marketing_spend"] - plain["marketing_spend"] == pytest.approx(20 * own)
        assert promoted["paid_customers"] > plain["paid_customers"], seed
        assert sum(p.marketing_cost for p in models[1].platforms) > sum(
            p.marketing_cost for p in models[0].platforms
        )


# ---- the reference engine


def test_the_reference_engine_responds_to_the_price_too():
    def shoppers(elasticity: float) -> float:
        scenario = load_scenario(
            BASELINE,
            [
                "population.consumers=400",
                "time.years=2",
                "engine=agents",
                "adoption.initial_adopters=0.6",
                event(),
                f"consumers.price_elasticity={elasticity}",
                "consumers.pull_forward_weeks=0",
            ],
        )
        total = 0.0
        for seed in SEEDS:
            m = O2OMarket(scenario, rng=seed)
            m.run()
            ticks = m.recorder.frame()
            festival = ticks.loc[(ticks["year"] == 2005) & (ticks["week"] == 45), "shoppers"]
            ordinary = ticks.loc[(ticks["year"] == 2005) & ticks["week"].between(35, 44)]
            total += float(festival.iloc[0]) / float(ordinary["shoppers"].mean())
        return total / len(SEEDS)

    assert shoppers(0.0) < 1.3
    assert shoppers(3.0) > 1.5
