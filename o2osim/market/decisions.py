"""The firms' yearly decisions: adaptive platforms move one lever; push brands plan production."""

from __future__ import annotations

import numpy as np

from o2osim.agents.protocol import Market
from o2osim.market.formats import StoreFormats
from o2osim.market.rivalry import BrandRivalry
from o2osim.mechanisms import decisions


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
    ``format_switches``.

    Args:
        market: The market.
        formats: The stores' formats.
        rivalry: The brands' marketing (brands that decide set next year's spend, natives
            enter, :meth:`o2osim.market.rivalry.BrandRivalry.decide`).
    """

    def __init__(self, market: Market, formats: StoreFormats, rivalry: BrandRivalry) -> None:
        self.market = market
        self.formats = formats
        self.rivalry = rivalry

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
        for d in m.dealers:
            d.new_year()
        if m.config.stores_decide:
            books["format_switches"] = float(self.formats.decide_formats())
        self.rivalry.decide(books)
        market_gmv = sum(books[f"platform_gmv_{p.name}"] for p in m.platforms)
        for p in m.platforms:
            if p.adaptive and p.launched and p.config.launch_year < m.year:
                p.decide(decisions.performance(books[f"platform_profit_{p.name}"], market_gmv))
