"""The firms' yearly decisions: adaptive platforms move one lever; push brands plan production."""

from __future__ import annotations

from typing import get_args

import numpy as np

from o2osim.agents.protocol import Market
from o2osim.market.formats import StoreFormats
from o2osim.market.rivalry import BrandRivalry
from o2osim.market.stores import StoreNetwork
from o2osim.mechanisms import decisions
from o2osim.scenario.firms import ChannelStrategy, Membership

#: Codes of the conduct in ``years.csv``: position in each of these.
CONDUCT_CODES = {
    "channel_strategy": list(get_args(ChannelStrategy)),
    "membership": list(get_args(Membership)),
    "fan_programme": [False, True],
}


class FirmDecisions:
    """The decisions phase (year end, after the year's books are closed).

    Reads the year's row of books (each platform's profit and GMV over the year); each
    adaptive platform with a full year of books behind it (launched before this year) judges
    its year by its profit per yuan of the online market's GMV and moves one lever for the
    next year (:meth:`o2osim.agents.platforms.Platform.decide`). Platforms that keep their
    settings (``decisions: fixed``) are not touched. Brands that push their production plan
    next year's monthly lot at each active dealer from its sales
    (:meth:`o2osim.agents.dealers.Dealer.close_year`). When stores decide, full stores that
    would earn more as a showroom, pick-up or service point turn into one
    (:meth:`o2osim.market.formats.StoreFormats.decide_formats`); the row gains
    ``format_switches``. Brands that switch their conduct judge their year by their profit
    per yuan consumers paid in the market and switch one list a year
    (:meth:`o2osim.agents.brands.Brand.decide_conduct`); the row gains the conduct in force
    over the year (:meth:`conduct`).

    Args:
        market: The market.
        network: The store network (where failing dealers exit or are bought).
        formats: The stores' formats.
        rivalry: The brands' marketing (brands that decide set next year's spend, natives
            enter, :meth:`o2osim.market.rivalry.BrandRivalry.decide`).
    """

    def __init__(
        self,
        market: Market,
        network: StoreNetwork,
        formats: StoreFormats,
        rivalry: BrandRivalry,
    ) -> None:
        self.market = market
        self.network = network
        self.formats = formats
        self.rivalry = rivalry
        self._paid = market.ledger.outflow["consumers"]

    def _choose_brands(self) -> dict[str, float]:
        """Each active dealer chooses next year's brands; each brand learns how far it is carried.

        A brand's ``carried`` is the share of this year's goods bought through dealers that
        carry it next year (1 when the dealers bought nothing).

        Returns:
            ``brands_carried`` (mean brands an active dealer carries) and
            ``dealer_brand_drops`` (brands dropped at this year's end, over all dealers).
        """
        m = self.market
        shares = [b.share_offline for b in m.brands]
        active = [b.active for b in m.brands]
        dealers = [d for d in m.dealers if d.active]
        dropped = sum(d.choose_brands(shares, active) for d in dealers)
        goods = sum(d.year_goods for d in dealers)
        for b in m.brands:
            through = sum(d.year_goods for d in dealers if d.carries[b.index])
            b.carried = through / goods if goods > 0 else 1.0
        carried = [float(d.carries.sum()) for d in dealers]
        return {
            "brands_carried": float(np.mean(carried)) if carried else 0.0,
            "dealer_brand_drops": float(dropped),
        }

    def conduct(self) -> dict[str, float]:
        """The conduct in force of each brand that switches, as codes.

        ``channel_strategy_<brand>`` is the strategy's position in none, product_split,
        customer_split, order_size_split, transaction_link_split, brand_split, region_split
        (0-6); ``membership_<brand>`` in none, separate, integrated (0-2);
        ``fan_programme_<brand>`` 1 when in force.
        """
        row: dict[str, float] = {}
        for b in self.market.brands:
            if not self.market.config.brand_switches(b.index):
                continue
            for attr, _ in b.switching():
                row[f"{attr}_{b.name}"] = float(CONDUCT_CODES[attr].index(getattr(b, attr)))
        return row

    def _switch_conduct(self, books: dict[str, float]) -> None:
        """Brands that switch judge the year and switch; the row gains the year's conduct."""
        m = self.market
        paid = m.ledger.outflow["consumers"]
        spent, self._paid = paid - self._paid, paid
        books |= self.conduct()
        rules = m.config.brand_rules
        for b in m.brands:
            if b.active and m.config.brand_switches(b.index):
                profit = books[f"brand_profit_online_{b.name}"]
                profit += books[f"brand_profit_offline_{b.name}"]
                result = decisions.performance(profit, spent)
                b.decide_conduct(result, rules.aspiration_weight, rules.trend_weight)

    def run(self, books: dict[str, float]) -> None:
        """The adaptive platforms decide next year's levers from this year's books.

        Args:
            books: The year's row (``platform_profit_<name>`` and ``platform_gmv_<name>``,
                yuan over the year); ``format_switches`` is added to it when stores decide.
        """
        m = self.market
        for d in m.dealers:
            if d.active:
                d.close_year()
        if m.config.dealers_decide:
            books |= self._choose_brands()
            books["dealer_takeovers"] = float(self.network.take_takeovers())
        for d in m.dealers:
            d.new_year()
        if m.config.stores_decide:
            books["format_switches"] = float(self.formats.decide_formats())
        self.rivalry.decide(books)
        self._switch_conduct(books)
        market_gmv = sum(books[f"platform_gmv_{p.name}"] for p in m.platforms)
        for p in m.platforms:
            if p.adaptive and p.launched and p.config.launch_year < m.year:
                p.decide(decisions.performance(books[f"platform_profit_{p.name}"], market_gmv))
