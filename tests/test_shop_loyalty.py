"""Shop loyalty from comparison (``consumers.shop_choice: compare``).

Concept: an online buyer goes back to the shop of its last order unless the best rival offer it
sees saves it more than knowing the shop is worth (worth more the less it trusts the platform),
and never after a bad order there. Repeat orders and shop churn follow from price dispersion,
the offers a device shows, trust and counterfeits; the ``loyalty`` mode's fixed chance is the
switch that turns the comparison off.
"""

import numpy as np
import pytest
from conftest import BASELINE, SMALL

import o2osim
from o2osim.mechanisms import loyalty

RUN = ["population.consumers=2000", "time.years=8", "consumers.shop_choice=compare"]
SEEDS = (1, 2, 3)


def late_mean(seed: int, column: str, *overrides: str) -> float:
    result = o2osim.run(BASELINE, seed=seed, overrides=[*SMALL, *RUN, *overrides], progress=False)
    years = result.years
    return float(years.loc[years["year"] >= 2007, column].mean())


def test_a_buyer_stays_unless_the_saving_beats_what_knowing_the_shop_is_worth():
    saving = np.array([0.0, 0.1, 0.1, 0.3, -0.2])
    price = np.full(5, 100.0)
    trust = np.array([0.5, 0.5, 0.0, 0.5, 1.0])
    # worth 20 * (1 - trust): 10, 10, 20, 10, 0 yuan; savings 0, 10, 10, 30, -20 yuan
    assert loyalty.stays(saving, price, 20.0, trust).tolist() == [True, True, True, False, True]


def test_a_first_order_teaches_a_share_of_what_coming_back_does():
    first = np.array([True, False, True])
    assert loyalty.familiarity(200.0, 0.25, first).tolist() == [50.0, 200.0, 50.0]
    assert loyalty.familiarity(200.0, 1.0, first).tolist() == [200.0] * 3


def test_first_time_buyers_who_know_their_shop_less_repeat_less():
    for seed in SEEDS:
        knows = late_mean(seed, "repeat_after_first_order")
        new = late_mean(seed, "repeat_after_first_order", "consumers.first_order_familiarity=0")
        assert new < knows - 0.05


def test_best_rival_saving_grows_with_the_offers_seen():
    rng = np.random.default_rng(0)
    none = loyalty.best_rival_saving(np.zeros(3, dtype=np.int64), 0.1, rng)
    assert np.isneginf(none).all()  # no rival seen: nothing to save
    few = loyalty.best_rival_saving(np.full(20_000, 1), 0.1, rng)
    many = loyalty.best_rival_saving(np.full(20_000, 8), 0.1, rng)
    # one rival: the difference of two normals, mean 0, sd 0.1 * sqrt(2)
    assert abs(few.mean()) < 0.005 and few.std() == pytest.approx(0.1 * np.sqrt(2), rel=0.05)
    assert many.mean() > few.mean() + 0.1  # the best of eight rivals is cheaper
    mixed = loyalty.best_rival_saving(np.array([0, 2]), 0.1, rng)
    assert np.isneginf(mixed[0]) and np.isfinite(mixed[1])


def test_no_price_dispersion_keeps_every_buyer_at_its_shop_until_a_bad_order():
    for seed in SEEDS[:2]:
        still = late_mean(seed, "repeat_after_first_order", "consumers.shop_price_dispersion=0")
        scattered = late_mean(seed, "repeat_after_first_order")
        assert still > scattered + 0.1


def test_more_rival_offers_mean_fewer_repeat_orders():
    gaps = [
        late_mean(
            s,
            "repeat_after_first_order",
            "consumers.rival_offers=1",
            "consumers.mobile_rival_offers=1",
        )
        - late_mean(
            s,
            "repeat_after_first_order",
            "consumers.rival_offers=10",
            "consumers.mobile_rival_offers=10",
        )
        for s in SEEDS
    ]
    assert min(gaps) > 0.05


def test_bad_orders_end_the_tie_only_when_buyers_compare():
    """Counterfeits cost a shop its repeat buyers in compare mode; the fixed draw ignores them."""
    honest = [
        "platforms.0.counterfeit_rate=0.0",
        "platforms.0.fake_entry=0.0",
        "platforms.1.counterfeit_rate=0.0",
        "platforms.1.fake_entry=0.0",
    ]
    crooked = ["platforms.0.counterfeit_rate=0.4", "platforms.1.counterfeit_rate=0.4"]
    # familiarity high and no dispersion: only bad orders end a tie
    calm = ["consumers.shop_price_dispersion=0"]
    for seed in SEEDS:
        gap = late_mean(seed, "annual_churn_online", *calm, *crooked) - late_mean(
            seed, "annual_churn_online", *calm, *honest
        )
        assert gap > 0.1
    fixed = ["consumers.shop_choice=loyalty"]
    for seed in SEEDS[:2]:
        gap = late_mean(seed, "repeat_after_first_order", *fixed, *crooked) - late_mean(
            seed, "repeat_after_first_order", *fixed, *honest
        )
        assert abs(gap) < 0.05
