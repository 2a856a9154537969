"""Money flows: every yuan consumers pay is booked by a seller and reaches someone.

Concept: the ledger books each transfer (sales, commission, traffic, subsidies, pick-up fees,
routed orders, goods, wholesale, rent, wages, dealers' costs) between named accounts; what a
firm has left is what its owners keep. The run passes the weekly invariant, the ledger's totals
equal the firms' own books, the consumers' yuan split over the accounts adds up to the whole,
and an injected leak is caught with a clear message.
"""

import numpy as np
import pytest
from conftest import BASELINE, ROOT

import o2osim
from o2osim.agents import Brand, Platform
from o2osim.agents.ledger import Ledger
from o2osim.agents.store_books import StoreBooks
from o2osim.invariants import InvariantError

#: Seven years, to 2010: the second platform launches (2008) and the festival runs (2009).
RUN = ["population.consumers=2000", "time.years=7"]
SHARES = [
    "share_to_platforms",
    "share_to_brands",
    "share_to_dealers",
    "share_to_landlords",
    "share_to_employees",
    "share_to_services",
    "share_to_outside_media",
    "share_kept_by_sellers",
]

CASES = {
    "baseline": (BASELINE, []),
    "china": (ROOT / "scenarios" / "china_2004_2020.yaml", []),
    "brand_channels": (ROOT / "scenarios" / "brand_channels.yaml", []),
    "pick_up": (ROOT / "scenarios" / "channel_transaction_link_split.yaml", []),
    "routed_orders": (ROOT / "scenarios" / "channel_order_size_split.yaml", []),
    "c2b": (ROOT / "scenarios" / "c2b_customization.yaml", []),
    "pricing": (BASELINE, ["pricing.sellers_set_prices=true"]),
    "subsidy": (BASELINE, ["events.0.subsidy_share=1"]),
    "agents": (BASELINE, ["engine=agents", "population.consumers=1500", "time.years=5"]),
}


def run(case: str, *extra: str, seed: int = 1, check: bool = True) -> o2osim.Result:
    path, overrides = CASES[case]
    return o2osim.run(
        path,
        seed=seed,
        overrides=[*RUN, *overrides, *extra],
        progress=False,
        check_invariants=check,
    )


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("case", list(CASES))
def test_every_yuan_reaches_someone_and_the_ledger_agrees_with_the_books(case):
    result = run(case)  # the weekly invariant holds
    m = result.model
    ledger = m.ledger
    items = ledger.items
    ticks = result.ticks
    paid = (ticks["gmv_online"] + ticks["gmv_offline"]).sum()
    assert ledger.outflow["consumers"] == pytest.approx(paid, rel=1e-9)
    assert sum(ledger.balance.values()) == pytest.approx(0.0, abs=1e-6 * paid)
    assert items["commission"] == pytest.approx(sum(p.commission_revenue for p in m.platforms))
    assert items["ad_revenue"] == pytest.approx(sum(p.ad_revenue for p in m.platforms))
    assert items["kept_platforms"] == pytest.approx(sum(p.profit for p in m.platforms))
    assert items["wholesale"] + items["goods_to_brands"] == pytest.approx(
        sum(b.revenue_offline for b in m.brands)
    )
    assert items["online_revenue"] == pytest.approx(sum(b.revenue_online for b in m.brands))
    assert items["kept_stores"] == pytest.approx(m.store_books.profit.sum())
    assert items["kept_dealers"] == pytest.approx(sum(d.profit for d in m.dealers))
    assert ledger.inflow["dealers"] == pytest.approx(
        sum(d.revenue + d.month_revenue for d in m.dealers)
    )
    years = result.years
    assert years["rent_paid"].sum() == pytest.approx(items["rent"])
    assert years["wages_paid"].sum() == pytest.approx(items["wages"])
    assert (years["rent_paid"] > 0).all() and (years["wages_paid"] > 0).all()
    # the year ends on a month's close: every yuan paid in the year has reached its end
    np.testing.assert_allclose(years[SHARES].sum(axis=1), 1.0, rtol=1e-9)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_rent_paid_is_every_open_store_s_rent_for_twelve_months():
    result = run("baseline", "stores.closure_after_loss_months=120", "stores.initial_cash=1e12")
    s = result.scenario
    years = result.years
    open_stores = result.ticks.groupby("year")["stores_open"].last()
    first = years.iloc[0]  # no store opens or closes in the first year
    assert first["rent_paid"] == pytest.approx(12 * s.stores.rent * open_stores.iloc[0])
    assert first["wages_paid"] == pytest.approx(12 * s.stores.wages * open_stores.iloc[0])


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_subsidy_moves_the_consumers_yuan_from_platforms_to_sellers(seed):
    festival = 2009  # the baseline's festival runs from 2009
    off = run("baseline", "events.0.subsidy_share=0", seed=seed, check=False).years
    on = run("subsidy", seed=seed, check=False).years
    before = off["year"] < festival
    for name in ("share_to_platforms", "share_kept_by_sellers"):  # no festival yet: the same
        np.testing.assert_allclose(on.loc[before, name], off.loc[before, name], rtol=1e-12)
    after = off["year"] >= festival
    assert (on.loc[after, "share_to_platforms"] < off.loc[after, "share_to_platforms"]).all()
    assert (
        on.loc[after, "share_kept_by_sellers"] + on.loc[after, "share_to_brands"]
        > off.loc[after, "share_kept_by_sellers"] + off.loc[after, "share_to_brands"]
    ).all()


def test_a_transfer_only_moves_money_between_the_item_s_accounts():
    ledger = Ledger()
    ledger.pay("consumers", "stores", 100.0, "store_sales")
    ledger.book("rent", 30.0)
    ledger.keep("stores", 70.0)
    assert ledger.balance["stores"] == 0.0
    assert ledger.balance["consumers"] == -100.0
    assert ledger.inflow["landlords"] == 30.0 and ledger.inflow["owners"] == 70.0
    with pytest.raises(KeyError, match="rent is paid by stores to landlords"):
        ledger.pay("consumers", "landlords", 1.0, "rent")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_the_invariant_catches_money_lost_in_a_transfer(monkeypatch):
    # a fault injected on purpose: the payee gets 1% less than the payer paid
    pay = Ledger.pay

    def lossy(self, payer, payee, yuan, item):
        pay(self, payer, payee, yuan, item)
        self.balance[payee] -= 0.01 * yuan

    monkeypatch.setattr(Ledger, "pay", lossy)
    with pytest.raises(InvariantError, match="money neither created nor lost: ledger"):
        run("baseline")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_the_invariant_catches_wholesale_revenue_no_dealer_paid(monkeypatch):
    # a fault injected on purpose: brands book wholesale revenue that no dealer paid, so the
    # dealers seem to hold money after their month's close
    def unpaid(self, amount, payer="dealers"):
        self.revenue_offline += amount

    monkeypatch.setattr(Brand, "sell_wholesale", unpaid)
    with pytest.raises(InvariantError, match="sellers keep what is left: dealers: month to date"):
        run("baseline")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_the_invariant_catches_a_firm_book_the_ledger_never_saw(monkeypatch):
    # a fault injected on purpose: the platforms book commission that no seller paid
    book = Platform.book_week

    def inflated(self, gmv, *args, **kwargs):
        net = book(self, gmv, *args, **kwargs)
        self.commission_revenue += 0.001 * gmv
        return net

    monkeypatch.setattr(Platform, "book_week", inflated)
    with pytest.raises(InvariantError, match="ledger agrees with the books: commission"):
        run("baseline")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_the_invariant_catches_pick_up_fees_the_stores_never_book(monkeypatch):
    # a fault injected on purpose: stores forget the fees the brand paid them
    monkeypatch.setattr(StoreBooks, "earn_fees", lambda self, fees: None)
    with pytest.raises(InvariantError, match="sellers keep what is left: stores"):
        run("pick_up")
