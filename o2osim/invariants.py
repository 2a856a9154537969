"""Invariants of the market, checked after every tick when a run asks for it.

``o2osim run --check-invariants`` (or ``o2osim.run(..., check_invariants=True)``) checks, after
each weekly tick:

- **finite, non-negative records**: every column of the tick's record is a finite number, and
  none is negative (they are counts, flows and levels);
- **shares**: every living consumer's trust in stores and in each platform is in [0, 1]; the
  online share of the tick's sales is in [0, 1]; no channel, device
  or search has more orders than visits or sessions;
- **stocks**: stores' month-to-date sales and orders, and the customers platforms have won,
  are never negative;
- **conservation**: the GMV, orders and bad orders the platforms booked this tick add up to the
  tick's online GMV, online orders and counterfeit incidents; the stores' sales this tick are no
  more than the offline GMV;
- **money reaches someone**: the tick's marketing spend is booked in full by the platforms, the
  sellers' part as ad revenue and the platforms' own part as their marketing cost, and neither
  running total ever falls; the platforms' promotion subsidies never fall, are nothing outside
  a week whose events they fund and no more than the week's subsidy rate times its GMV;
- **money reaches someone (the ledger)**: what consumers paid this tick equals the tick's
  ``gmv_online + gmv_offline`` and what sellers booked; the ledger's balances add up to zero and
  each equals its inflows minus outflows (money neither created nor lost); online sellers,
  platforms and brands keep what is left each week, stores hold their unpaid month to date and
  dealers their month's margin (accrual); landlords, employees, services and outside media pass
  nothing on; the ledger's totals agree with the firms' books (platforms' commission, ad revenue,
  marketing, protection, subsidies and profit; brands' wholesale and online revenue; stores'
  revenue and profit; dealers' revenue, margin, holding cost and profit, the owners keeping the
  profit less what the dealer paid into stock; rent and wages paid by stores are the landlords'
  and employees' income);
- **closed stores sell nothing**: a store closed before the tick books no sale in it;
- **brands' and dealers' books**: every running total of a brand (revenues, production and
  channel costs, baskets, points, traffic bought, customers won) and every dealer's revenue is
  finite and never falls; a brand's awareness is in [0, 1]; a dealer's margin this month is
  between 0 and its revenue this month; a dealer that has exited trades no more; brands are paid
  no more for the goods in stores than the stores took in (besides what dealers paid into
  stock).

The first broken invariant stops the run with :class:`InvariantError`, naming the invariant, the
tick and the agent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from o2osim.errors import O2OError

if TYPE_CHECKING:
    from o2osim.model import O2OMarket

#: Relative tolerance of the money and order sums (float rounding over many additions).
RTOL = 1e-9

#: The ledger's invariants (see :mod:`o2osim.agents.ledger`).
CONSERVED = "money reaches someone, money neither created nor lost"
BALANCED = "money reaches someone, accounts balance"
KEPT = "money reaches someone, sellers keep what is left"
AGREES = "money reaches someone, ledger agrees with the books"

#: A brand's running totals, none of which may ever fall.
BRAND_TOTALS = (
    "revenue_offline",
    "revenue_online",
    "cost_offline",
    "cost_online",
    "channel_costs",
    "units_offline",
    "units_online",
    "points_offline",
    "ad_spend",
    "new_customers",
)
#: Where a brand's wholesale revenue (what dealers and stores pay for store goods) sits in them.
WHOLESALE = BRAND_TOTALS.index("revenue_offline")


class InvariantError(O2OError):
    """An invariant of the market broke: a bug in the model, not bad input."""


class InvariantChecker:
    """Checks a market's invariants after each tick, remembering what it needs of the last one.

    Args:
        model: The market, before its first tick.
    """

    def __init__(self, model: O2OMarket) -> None:
        self.model = model
        self._snapshot()

    def _snapshot(self) -> None:
        m = self.model
        self._platform = np.array([[p.gmv, p.orders, p.bad_orders] for p in m.platforms]).reshape(
            -1, 3
        )
        self._traffic = np.array(
            [[p.ad_revenue, p.marketing_cost] for p in m.platforms], dtype=np.float64
        ).reshape(-1, 2)
        self._promotion = float(sum(p.promotion_cost for p in m.platforms))
        books = m.store_books
        self._sales = books.month_sales.copy()
        self._units = books.month_units.copy()
        self._open = books.is_open.copy()
        self._store_revenue = float(books.revenue.sum())
        self._brands = np.array([[getattr(b, name) for name in BRAND_TOTALS] for b in m.brands])
        self._dealers = [(d.revenue + d.month_revenue, d.active) for d in m.dealers]
        self._consumers_paid = m.ledger.outflow["consumers"]
        self._into_stock = m.ledger.items["stock_purchases"]

    def _fail(self, invariant: str, agent: str, detail: str) -> None:
        m = self.model
        raise InvariantError(
            f"invariant broken at tick {m.recorder.count} ({m.year} week {m.week}): "
            f"{invariant}: {agent}: {detail}"
        )

    def check(self) -> None:
        """Check every invariant of the tick just run; raise on the first that broke."""
        self._check_record()
        self._check_trust()
        self._check_books()
        self._check_supply_chain()
        self._check_traffic()
        self._check_ledger()
        self._snapshot()

    def _row(self) -> dict[str, float]:
        """The week's record, column by column."""
        rec = self.model.recorder
        return {name: float(column[rec.count - 1]) for name, column in rec.columns.items()}

    def _check_record(self) -> None:
        row = self._row()
        for name, value in row.items():
            if not np.isfinite(value):
                self._fail("finite records", "market", f"{name} is {value}")
            if value < 0:
                self._fail("non-negative records", "market", f"{name} is {value:g}")
        sales = row["gmv_online"] + row["gmv_offline"]
        if sales > 0 and not 0 <= row["gmv_online"] / sales <= 1:
            self._fail("shares in [0, 1]", "market", "online share of sales")
        for orders, visits in [
            ("online_orders", "online_visits"),
            ("offline_orders", "store_visits"),
            ("orders_desktop", "sessions_desktop"),
            ("orders_mobile", "sessions_mobile"),
            ("orders_search", "sessions_search"),
        ]:
            if row[orders] > row[visits] * (1 + RTOL) + 1e-9:
                self._fail(
                    "orders no more than visits",
                    "market",
                    f"{orders} {row[orders]:g} > {visits} {row[visits]:g}",
                )

    def _check_trust(self) -> None:
        pop = self.model.population
        alive = np.flatnonzero(pop.alive)
        for name, values in [
            ("trust in stores", pop.trust_offline[alive]),
            ("trust in platforms", pop.trust_online[alive]),
        ]:
            bad = ~((values >= 0) & (values <= 1))
            if bad.any():
                where = np.argwhere(bad)[0]
                self._fail(
                    "shares in [0, 1]",
                    f"consumer {int(alive[where[0]])}",
                    f"{name} is {float(values[tuple(where)])}",
                )

    def _check_books(self) -> None:
        m = self.model
        row = self._row()
        now = np.array([[p.gmv, p.orders, p.bad_orders] for p in m.platforms]).reshape(-1, 3)
        booked = (now - self._platform).sum(axis=0)
        for total, column in zip(
            booked, ["gmv_online", "online_orders", "counterfeit_incidents"], strict=True
        ):
            if not np.isclose(total, row[column], rtol=RTOL, atol=1e-6):
                self._fail(
                    "money and orders conserved",
                    "platforms",
                    f"booked {total:.6g} but the market recorded {column} {row[column]:.6g}",
                )
        for p in m.platforms:
            if p.new_customers < 0:
                self._fail(
                    "non-negative stocks",
                    f"platform {p.name}",
                    f"customers won {p.new_customers:g}",
                )
        books = m.store_books
        n = self._sales.size
        for name, values in [
            ("month sales", books.month_sales),
            ("month orders", books.month_units),
        ]:
            if (values < 0).any():
                i = int(np.argmax(values < 0))
                self._fail("non-negative stocks", f"store {i}", f"{name} {values[i]:g}")
        if (books.month_sales[:n] >= self._sales).all():  # no month closed in this tick
            sold = books.month_sales[:n] - self._sales
            closed = ~self._open
            if (sold[closed] > 0).any():
                i = int(np.flatnonzero(closed)[np.argmax(sold[closed] > 0)])
                self._fail(
                    "closed stores sell nothing",
                    f"store {i}",
                    f"sold {sold[i]:g} yuan after closing",
                )
            new = books.month_sales[n:].sum()
            store_sales = sold.sum() + new
            if store_sales > row["gmv_offline"] * (1 + RTOL) + 1e-6:
                self._fail(
                    "money conserved",
                    "stores",
                    f"sold {store_sales:.6g} yuan but gmv_offline is {row['gmv_offline']:.6g}",
                )

    def _check_traffic(self) -> None:
        m = self.model
        row = self._row()
        traffic = np.array(
            [[p.ad_revenue, p.marketing_cost] for p in m.platforms], dtype=np.float64
        ).reshape(-1, 2)
        if (traffic < self._traffic * (1 - RTOL) - 1e-6).any():
            self._fail("running totals never fall", "platforms", "ad revenue or marketing cost")
        promotion = float(sum(p.promotion_cost for p in m.platforms)) - self._promotion
        rate = m.calendar.event_terms().subsidy
        if not -1e-6 <= promotion <= rate * row["gmv_online"] * (1 + RTOL) + 1e-6:
            self._fail(
                "money reaches someone",
                "platforms",
                f"paid {promotion:.6g} yuan of promotion subsidies at a subsidy rate of "
                f"{rate:.6g} on a GMV of {row['gmv_online']:.6g}",
            )
        paid = float((traffic - self._traffic).sum())
        bought = row["marketing_spend"] + row["sponsored_spend"]
        if not np.isclose(paid, bought, rtol=RTOL, atol=1e-6):
            self._fail(
                "money reaches someone",
                "platforms",
                f"booked {paid:.6g} yuan of traffic (ad revenue and own marketing) but the "
                f"market recorded marketing_spend and sponsored_spend {bought:.6g}",
            )

    def _money(self, invariant: str, agent: str, what: str, got: float, want: float) -> None:
        """Fail unless ``got`` equals ``want`` up to the rounding of large running sums."""
        if not np.isclose(got, want, rtol=RTOL, atol=1e-6 + RTOL * self._scale):
            self._fail(invariant, agent, f"{what}: ledger {got:.10g} but books {want:.10g}")

    def _check_ledger(self) -> None:
        m = self.model
        ledger = m.ledger
        row = self._row()
        self._scale = max(ledger.outflow["consumers"], max(ledger.inflow.values()), 1.0)
        paid = ledger.outflow["consumers"] - self._consumers_paid
        took = row["gmv_online"] + row["gmv_offline"]
        self._money("money reaches someone", "consumers", "paid this tick", paid, took)
        items = ledger.items
        booked = items["store_sales"] + items["online_sales"]
        self._money(
            "money reaches someone", "sellers", "booked sales", booked, ledger.outflow["consumers"]
        )
        # double entry: nothing created or lost
        total = sum(ledger.balance.values())
        self._money(CONSERVED, "ledger", "sum of balances", total, 0.0)
        for account, balance in ledger.balance.items():
            flows = ledger.inflow[account] - ledger.outflow[account]
            self._money(BALANCED, account, "balance", balance, flows)
        for firm in ("online_sellers", "platforms", "brands"):  # their owners keep it weekly
            self._money(KEPT, firm, "balance", ledger.balance[firm], 0.0)
        books = m.store_books
        unpaid = float(books.month_sales.sum() + books.month_fees.sum())
        self._money(KEPT, "stores", "month to date", ledger.balance["stores"], unpaid)
        month_margin = sum(d.month_margin for d in m.dealers)
        self._money(
            KEPT,
            "dealers",
            "month to date",
            ledger.balance["dealers"],
            month_margin,
        )
        for account in ("landlords", "employees", "services", "outside_media"):
            if ledger.outflow[account] != 0:
                self._fail("money reaches someone", account, "paid money on")
        # the ledger agrees with the firms' own books
        ps = m.platforms
        for item, value in [
            ("commission", sum(p.commission_revenue for p in ps)),
            ("ad_revenue", sum(p.ad_revenue for p in ps)),
            ("own_marketing", sum(p.marketing_cost for p in ps)),
            ("protection", sum(p.protection_cost for p in ps)),
            ("subsidy", sum(p.promotion_cost for p in ps)),
            ("kept_platforms", sum(p.profit for p in ps)),
            ("online_revenue", sum(b.revenue_online for b in m.brands)),
            ("brand_ads", sum(p.brand_ad_revenue for p in ps)),
            ("brand_ads", sum(b.marketing_online for b in m.brands)),
            ("brand_media", sum(b.marketing_offline for b in m.brands)),
            ("brand_overheads", sum(b.overheads for b in m.brands)),
            ("kept_stores", float(books.profit.sum())),
        ]:
            self._money(AGREES, item, item, items[item], value)
        wholesale = items["wholesale"] + items["goods_to_brands"] + items["stock_purchases"]
        brands = sum(b.revenue_offline for b in m.brands)
        self._money(AGREES, "brands", "wholesale revenue", wholesale, brands)
        revenue = float(books.revenue.sum()) + unpaid
        took_in = (
            items["store_sales"]
            + items["pick_up_fees"]
            + items["parcel_fees"]
            + items["service_fees"]
        )
        self._money(AGREES, "stores", "revenue", took_in, revenue)
        dealers = sum(d.revenue + d.month_revenue for d in m.dealers)
        sales = ledger.inflow["dealers"] - items["stock_taken_back"]  # refunds are no sales
        self._money(AGREES, "dealers", "revenue", sales, dealers)
        taken = sum(d.shared for d in m.dealers)
        self._money(AGREES, "dealers", "stock taken back", items["stock_taken_back"], taken)
        margin = (
            items["kept_dealers"]
            + items["dealer_costs"]
            + items["stock_holding"]
            + items["stock_purchases"]
            - items["stock_taken_back"]
            + ledger.balance["dealers"]
        )
        total_margin = sum(d.margin + d.month_margin for d in m.dealers)
        self._money(AGREES, "dealers", "margin", margin, total_margin)
        # owners keep the profit less what went into stock; a write-off is a loss, not a payment
        profit = sum(d.profit + d.written_off - d.stock_paid for d in m.dealers)
        self._money(AGREES, "dealers", "profit", items["kept_dealers"], profit)
        holding = sum(d.holding for d in m.dealers)
        self._money(AGREES, "dealers", "holding stock", items["stock_holding"], holding)
        for item, account in [("rent", "landlords"), ("wages", "employees")]:
            self._money(
                AGREES,
                account,
                "income",
                ledger.inflow[account],
                items[item],
            )

    def _check_supply_chain(self) -> None:
        m = self.model
        for b, before in zip(m.brands, self._brands, strict=True):
            for name, old in zip(BRAND_TOTALS, before, strict=True):
                value = getattr(b, name)
                if not np.isfinite(value) or value < 0:
                    self._fail("brands' books", f"brand {b.name}", f"{name} is {value}")
                if value < old * (1 - RTOL) - 1e-6:
                    self._fail(
                        "running totals never fall",
                        f"brand {b.name}",
                        f"{name} fell from {old:.6g} to {value:.6g}",
                    )
            if not 0 <= b.awareness <= 1:
                self._fail("shares in [0, 1]", f"brand {b.name}", f"awareness is {b.awareness}")
        for d, (old, was_active) in zip(m.dealers, self._dealers, strict=True):
            total = d.revenue + d.month_revenue
            if not np.isfinite(total) or d.month_revenue < 0 or total < old * (1 - RTOL) - 1e-6:
                self._fail(
                    "dealers' books",
                    f"dealer {d.index}",
                    f"revenue went from {old:.6g} to {total:.6g}",
                )
            if not 0 <= d.month_margin <= d.month_revenue * (1 + RTOL) + 1e-6:
                self._fail(
                    "dealers' books",
                    f"dealer {d.index}",
                    f"margin {d.month_margin:.6g} on revenue {d.month_revenue:.6g}",
                )
            if not was_active and total != old:
                self._fail(
                    "exited dealers trade no more",
                    f"dealer {d.index}",
                    f"took {total - old:.6g} yuan after exiting",
                )
        # Wholesale happens when stores book a month: brands get at most the cost of the goods,
        # which is less than what the stores took in, besides what dealers paid into stock.
        wholesale = sum(
            b.revenue_offline - before[WHOLESALE]
            for b, before in zip(m.brands, self._brands, strict=True)
        ) - (m.ledger.items["stock_purchases"] - self._into_stock)
        total = float(m.store_books.revenue.sum())
        took_in = total - self._store_revenue
        # the difference of two large running sums carries their rounding
        if wholesale > took_in + RTOL * (abs(total) + abs(wholesale)) + 1e-6:
            self._fail(
                "money conserved",
                "brands",
                f"paid {wholesale:.6g} yuan for store goods, stores took in {took_in:.6g}",
            )
