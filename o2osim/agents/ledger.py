"""The money ledger: where every yuan the consumers pay ends, booked as transfers between accounts.

A small double-entry book of running scalar sums (no per-consumer records): each booking is a
transfer ``pay(payer, payee, yuan, item)`` that takes the yuan from one account and gives them
to another, so money is neither created nor lost. The firms book their own transfers where the
money moves (sales, commissions, traffic, month close, wholesale, pick-up fees, subsidies); the
model closes the week (:meth:`Ledger.close_week`): what an online seller, platform or brand has
left is what its owners keep. Stores and dealers keep theirs at the month's close; until then a
store's unpaid month-to-date takings are its balance (accrual).
"""

from __future__ import annotations

#: The accounts, in the order money flows.
ACCOUNTS = (
    "consumers",
    "stores",
    "online_sellers",
    "platforms",
    "dealers",
    "brands",
    "landlords",
    "employees",
    "services",
    "outside_media",
    "owners",
)

#: Every kind of transfer (item) with the account that pays and the one that is paid.
TRANSFERS: dict[str, tuple[str, str]] = {
    "store_sales": ("consumers", "stores"),
    "online_sales": ("consumers", "online_sellers"),
    "commission": ("online_sellers", "platforms"),
    "ad_revenue": ("online_sellers", "platforms"),
    "subsidy": ("platforms", "online_sellers"),
    "own_marketing": ("platforms", "outside_media"),
    "protection": ("platforms", "services"),
    "online_revenue": ("online_sellers", "brands"),
    "pick_up_fees": ("brands", "stores"),
    "parcel_fees": ("online_sellers", "stores"),
    "service_fees": ("brands", "stores"),
    "refits": ("stores", "services"),
    "routed_orders": ("brands", "dealers"),
    "routed_goods": ("dealers", "brands"),
    "goods_to_dealers": ("stores", "dealers"),
    "goods_to_brands": ("stores", "brands"),
    "goods_to_rivals": ("stores", "brands"),
    "wholesale": ("dealers", "brands"),
    "wholesale_rivals": ("dealers", "brands"),
    "stock_purchases": ("dealers", "brands"),
    "stock_holding": ("dealers", "services"),
    "stock_taken_back": ("brands", "dealers"),
    "brand_ads": ("brands", "platforms"),
    "brand_media": ("brands", "outside_media"),
    "brand_overheads": ("brands", "services"),
    "rent": ("stores", "landlords"),
    "wages": ("stores", "employees"),
    "dealer_costs": ("dealers", "services"),
    "kept_stores": ("stores", "owners"),
    "kept_online_sellers": ("online_sellers", "owners"),
    "kept_platforms": ("platforms", "owners"),
    "kept_dealers": ("dealers", "owners"),
    "kept_brands": ("brands", "owners"),
}

#: The firms whose owners take what is left at the end of every week.
WEEKLY_KEEPERS = ("online_sellers", "platforms", "brands")


class Ledger:
    """Running totals of the money that moves between the accounts, yuan.

    Attributes:
        balance: Each account's inflows minus outflows so far, yuan.
        inflow: Each account's inflows so far, yuan.
        outflow: Each account's outflows so far, yuan.
        items: Running total of each kind of transfer, yuan.
    """

    def __init__(self) -> None:
        self.balance = dict.fromkeys(ACCOUNTS, 0.0)
        self.inflow = dict.fromkeys(ACCOUNTS, 0.0)
        self.outflow = dict.fromkeys(ACCOUNTS, 0.0)
        self.items = dict.fromkeys(TRANSFERS, 0.0)
        self._year_start = self._totals()

    def pay(self, payer: str, payee: str, yuan: float, item: str) -> None:
        """Move ``yuan`` from ``payer`` to ``payee`` as a transfer of kind ``item``.

        A negative amount moves money the other way (a firm's owners cover its loss).

        Raises:
            KeyError: An unknown item, or accounts that are not the item's.
        """
        if TRANSFERS[item] != (payer, payee):
            raise KeyError(f"{item} is paid by {TRANSFERS[item][0]} to {TRANSFERS[item][1]}")
        self.balance[payer] -= yuan
        self.balance[payee] += yuan
        self.outflow[payer] += yuan
        self.inflow[payee] += yuan
        self.items[item] += yuan

    def book(self, item: str, yuan: float) -> None:
        """Book a transfer of kind ``item`` between its own accounts (see :data:`TRANSFERS`)."""
        payer, payee = TRANSFERS[item]
        self.pay(payer, payee, yuan, item)

    def keep(self, firm: str, yuan: float) -> None:
        """The owners of ``firm`` (an account) keep ``yuan`` (negative: they cover a loss)."""
        self.book(f"kept_{firm}", yuan)

    def close_week(self) -> None:
        """The week's end: online sellers', platforms' and brands' owners keep what is left."""
        for firm in WEEKLY_KEEPERS:
            self.keep(firm, self.balance[firm])

    def _totals(self) -> dict[str, float]:
        return {
            "paid": self.outflow["consumers"],
            "landlords": self.inflow["landlords"],
            "employees": self.inflow["employees"],
            "services": self.inflow["services"],
            "outside_media": self.inflow["outside_media"],
            "sellers": self.items["kept_stores"] + self.items["kept_online_sellers"],
            "platforms": self.items["kept_platforms"],
            "brands": self.items["kept_brands"],
            "dealers": self.items["kept_dealers"],
        }

    def year(self) -> dict[str, float]:
        """The year's income of landlords and employees and the split of the consumers' yuan.

        ``rent_paid`` and ``wages_paid`` are the landlords' and employees' income of the year,
        yuan; each ``share_*`` is what an account received (firms: what their owners kept)
        over what consumers paid this year.
        """
        now = self._totals()
        year = {k: v - self._year_start[k] for k, v in now.items()}
        self._year_start = now
        paid = year["paid"]

        def share(key: str) -> float:
            return year[key] / paid if paid else 0.0

        return {
            "rent_paid": year["landlords"],
            "wages_paid": year["employees"],
            "share_to_platforms": share("platforms"),
            "share_to_brands": share("brands"),
            "share_to_dealers": share("dealers"),
            "share_to_landlords": share("landlords"),
            "share_to_employees": share("employees"),
            "share_to_services": share("services"),
            "share_to_outside_media": share("outside_media"),
            "share_kept_by_sellers": share("sellers"),
        }
