"""Brand levers are known in one place and each does something on its own.

A lever switched on alone must change what the market does (brands then draw needs), and the
yearly books report every brand's programme, not only the last brand's.
"""

import pytest
from conftest import BASELINE

import o2osim

SMALL = ["population.consumers=2000", "time.years=6"]


def run(*overrides: str, seed: int = 1) -> o2osim.Result:
    return o2osim.run(BASELINE, seed=seed, overrides=[*SMALL, *overrides], progress=False)


def two_brands(**settings: str) -> str:
    """Two brands of 40% each, both with the same extra settings (a ``--set`` override)."""
    extra = "".join(f", {k}: {v}" for k, v in settings.items())
    brands = [f"{{name: {n}, market_share: 0.4, unit_cost: 0.45{extra}}}" for n in ("Acme", "Bolt")]
    return f"brands=[{', '.join(brands)}]"


@pytest.mark.parametrize("kind", ["integrated", "separate"])
def test_every_brand_with_membership_reports_its_members(kind):
    years = run(two_brands(membership=kind, member_retention="0.2")).years
    for name in ("Acme", "Bolt"):
        members = years[f"brand_members_{name}"]
        assert members.iloc[-1] > 0, name


def test_members_are_reported_without_any_platform():
    years = run("platforms=[]", "brands.0.membership=separate").years
    assert years["brand_members_Acme"].iloc[-1] > 0
    assert years["online_orders"].sum() == 0


def test_fan_programme_alone_switches_brands_on_and_makes_fans():
    fans = run(
        "brands.0.market_share=0.4",
        "brands.0.fan_programme=true",
        "brands.0.service_rate=0.3",
        "brands.0.emotion_rate=0.05",
        "brands.0.fan_referral_rate=0.1",
    )
    assert fans.model.brands_active
    assert fans.years["brand_fans_Acme"].iloc[-1] > 0
    assert fans.years["brand_new_customers_Acme"].sum() > 0


def test_without_levers_brands_stay_off():
    assert not run().model.brands_active
