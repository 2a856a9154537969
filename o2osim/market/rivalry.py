"""The brands' rivalry: marketing spend, goodwill and shares by channel; natives enter.

When no brand decides, nothing here moves: every brand sells its ``market_share`` of each
channel. When some brand decides (``brands[].decisions``, else ``decisions``), each channel's
sales are shared by attraction (:mod:`o2osim.mechanisms.brand_budgets`): after the first year,
each traditional brand spends in stores and online what its first year's books made optimal,
and its attraction is its market share at that goodwill; every year after, it moves its spend
part of the way to the optimum of the year's books, and online-native brands enter when
entry would pay. A brand that keeps its settings (``fixed``) keeps its attraction.
"""

from __future__ import annotations

import numpy as np

from o2osim.agents.brands import Brand
from o2osim.agents.protocol import Market
from o2osim.mechanisms import brand_budgets

#: The channels, in the order of the arrays' second axis.
ONLINE, OFFLINE = 0, 1


class BrandRivalry:
    """The brands' marketing phase: weekly spend and shares, yearly budgets and entry.

    Owns each brand's goodwill and spend per channel, the attractions at the start and the
    attraction of the brands not in the scenario; writes the brands' ``share_online``,
    ``share_offline`` and ``active`` and books their marketing through their public methods.

    Args:
        market: The market.

    Attributes:
        on: Whether some brand decides (otherwise the phase does nothing).
        deciding: Whether each brand decides.
        goodwill: Goodwill per brand and channel (online, offline), yuan.
        spend: Marketing spend per brand and channel, yuan/year.
        split: Online share of each brand's budget.
        entered: Year each brand entered (its first year for traditional brands), 0 if not.
        losses: Losing years in a row of each brand.
    """

    def __init__(self, market: Market) -> None:
        self.market = market
        s = market.config
        brands = market.brands
        n = len(brands)
        self.deciding = np.array([s.brand_decides(i) for i in range(n)], dtype=bool)
        self.on = bool(self.deciding.any())
        self.native = np.array([b.config.kind == "online_native" for b in brands], dtype=bool)
        self.goodwill = np.zeros((n, 2))
        self.spend = np.zeros((n, 2))
        self.split = np.where(self.native, 1.0, 0.0)
        self._start_goodwill = np.zeros((n, 2))
        self._start = np.array([[b.share_online, b.share_offline] for b in brands])
        self._others = 1.0 - self._start[~self.native].sum(axis=0)
        self.calibrated = False
        self.entered = np.where(self.native, 0, s.time.start_year)
        self.losses = np.zeros(n, dtype=np.int64)
        self._year_start = self._books()
        self._festival_start = np.zeros(n)

    # ---- the week

    def spend_week(self) -> None:
        """Brands pay a week of marketing and overheads; goodwill and shares move.

        The online spend goes to the launched platforms in proportion to their GMV this year
        (equally before any sale).
        """
        if not self.on:
            return
        m = self.market
        weeks = m.config.time.ticks_per_year
        platforms = [p for p in m.platforms if p.launched]
        gmv = np.array([p.year_gmv for p in platforms])
        split = (
            gmv / gmv.sum()
            if gmv.sum() > 0
            else np.full(len(platforms), 1.0 / max(1, len(platforms)))
        )
        for b in m.brands:
            if not (b.active and self.deciding[b.index]):
                continue
            online, offline = self.spend[b.index] / weeks
            if not platforms:
                online = 0.0
            for p, part in zip(platforms, split, strict=True):
                p.sell_brand_ads(online * part)
            b.pay_marketing(online, offline, b.config.fixed_cost / weeks)
            self.goodwill[b.index] = brand_budgets.goodwill_step(
                self.goodwill[b.index], np.array([online, offline]) * weeks, self._decay, weeks
            )
        self._share_out()

    def _elasticity(self, channel: int) -> float:
        """The elasticity of attraction to goodwill in a channel."""
        rules = self.market.config.brand_rules
        return rules.online_spend_elasticity if channel == ONLINE else rules.spend_elasticity

    @property
    def _decay(self) -> float:
        return self.market.config.brand_rules.goodwill_decay

    def _attractions(self, channel: int) -> np.ndarray:
        """Each brand's attraction in a channel now (0 while it is out of the market)."""
        alpha = self._elasticity(channel)
        out = np.zeros(len(self.market.brands))
        for b in self.market.brands:
            if b.active:
                out[b.index] = brand_budgets.attraction(
                    self._start[b.index, channel],
                    self._working(b.index, channel),
                    self._start_goodwill[b.index, channel],
                    alpha,
                )
        return out

    def _working(self, i: int, channel: int) -> float:
        """The goodwill that works for brand ``i`` in a channel, yuan.

        Online, a known brand's goodwill from stores and media helps too
        (``brand_budgets.online_goodwill``).
        """
        if channel == OFFLINE:
            return float(self.goodwill[i, OFFLINE])
        spill = self.market.config.brand_rules.equity_spillover
        return brand_budgets.online_goodwill(*self.goodwill[i], spill)

    def _share_out(self) -> None:
        """Each brand's share of each channel from the attractions (once calibrated)."""
        if not self.calibrated:
            return
        for channel, name in ((ONLINE, "share_online"), (OFFLINE, "share_offline")):
            shares = brand_budgets.channel_shares(self._attractions(channel), self._others[channel])
            for b in self.market.brands:
                setattr(b, name, float(shares[b.index]))

    # ---- the year

    def _books(self) -> np.ndarray:
        """Running contribution online and offline, marketing with overheads, and revenue."""
        return np.array(
            [
                [
                    b.contribution_online,
                    b.contribution_offline,
                    b.marketing_online + b.marketing_offline + b.overheads,
                    b.revenue_online + b.revenue_offline,
                ]
                for b in self.market.brands
            ]
        ).reshape(len(self.market.brands), 4)

    def decide(self, row: dict[str, float]) -> None:
        """The year's end: brands that decide set next year's spend; natives enter or leave.

        Args:
            row: The year's row of books (``platform_gmv_<name>``, yuan over the year); the
                brands' outputs are added to it when some brand decides.
        """
        if not self.on:
            return
        m = self.market
        spent = self.spend.copy()
        now = self._books()
        year = now - self._year_start
        self._year_start = now
        if not self.calibrated:
            self._calibrate(year)
        else:
            for b in m.brands:
                if b.active and self.deciding[b.index]:
                    self._set_budget(b, year[b.index])
                    self._count_losses(b, year[b.index])
        online_sales = sum(row.get(f"platform_gmv_{p.name}", 0.0) for p in m.platforms)
        for b in m.brands:
            if self.native[b.index] and not b.active and self.entered[b.index] == 0:
                self._consider_entry(b, online_sales)
        self._share_out()
        row |= self._outputs(year, spent)

    def _targets(self, brand: Brand, year: np.ndarray) -> np.ndarray:
        """The spend in each channel that would maximize the year's profit there, yuan/year."""
        shares = (brand.share_online, brand.share_offline)
        return np.array(
            [
                brand_budgets.optimal_spend(shares[c], year[c], self._elasticity(c))
                for c in (ONLINE, OFFLINE)
            ]
        )

    def _set_budget(self, brand: Brand, year: np.ndarray) -> None:
        """Next year's budget and its split between the platforms and stores.

        The budget is ``marketing_budget`` of the year's revenue (an online-native brand
        spends at least its entry budget); its online part moves ``budget_adjustment`` of
        the way toward the optimal spends' online share. A brand with no rival in either
        channel spends nothing.
        """
        i = brand.index
        rules = self.market.config.brand_rules
        target = self._targets(brand, year)
        if target.sum() <= 0 and not self.native[i]:
            self.spend[i] = 0.0
            return
        budget = rules.marketing_budget * float(year[3])
        if self.native[i]:
            budget, self.split[i] = max(budget, brand.config.entry_budget), 1.0
        else:
            best = brand_budgets.online_split(target)
            self.split[i] = brand_budgets.adjusted(self.split[i], best, rules.budget_adjustment)
        self.spend[i] = budget * np.array([self.split[i], 1.0 - self.split[i]])

    def _calibrate(self, year: np.ndarray) -> None:
        """After the first year: spend what the year's books make optimal, as if always so.

        Each deciding traditional brand's spend in a channel is the optimum at its market
        share and its year's contribution there, and its goodwill what that spend holds for
        good (``S / decay``). In stores its attraction at that goodwill is its market share.
        Online, where every brand is one search away, attraction is on one scale for all,
        ``A = q appeal G^alpha``, with ``q`` such that the spending traditional brands hold
        their market shares together; an online-native brand's is its ``appeal`` times that
        at its entry budget's goodwill. (With no traditional brand spending online, a native
        is ``appeal`` times as attractive as the average traditional brand at the start.)
        """
        alpha = self._elasticity(ONLINE)
        rules = self.market.config.brand_rules
        for b in self.market.brands:
            i = b.index
            if self.native[i] or not self.deciding[i]:
                continue
            target = self._targets(b, year[i])
            if target.sum() > 0:
                self.split[i] = brand_budgets.online_split(target)
                budget = rules.marketing_budget * float(year[i, 3])
                self.spend[i] = budget * np.array([self.split[i], 1.0 - self.split[i]])
            self.goodwill[i] = self.spend[i] / self._decay
            self._start_goodwill[i] = [self._working(i, ONLINE), self._working(i, OFFLINE)]
        spending = ~self.native & (self._start_goodwill[:, ONLINE] > 0)
        scale = 0.0
        if spending.any():  # one attraction per yuan of goodwill for every brand online
            held = self._start_goodwill[spending, ONLINE] ** alpha
            scale = float(self._start[spending, ONLINE].sum() / held.sum())
            self._start[spending, ONLINE] = scale * held
        traditional = self._start[~self.native, ONLINE]
        mean = float(traditional[traditional > 0].mean()) if (traditional > 0).any() else 0.0
        for b in self.market.brands:
            if self.native[b.index]:
                goodwill = b.config.entry_budget / self._decay
                per_yuan = scale * goodwill**alpha if scale > 0 and goodwill > 0 else mean
                self._start[b.index, ONLINE] = b.config.appeal * per_yuan
                self._start_goodwill[b.index, ONLINE] = goodwill
        self.calibrated = True

    def _count_losses(self, brand: Brand, year: np.ndarray) -> None:
        """A full year's loss counts; after ``exit_after`` in a row the brand leaves."""
        i = brand.index
        if self.entered[i] >= self.market.year:  # its first, partial year
            return
        profit = year[ONLINE] + year[OFFLINE] - year[2]
        self.losses[i] = self.losses[i] + 1 if profit < 0 else 0
        if self.losses[i] >= self.market.config.brand_rules.exit_after:
            brand.active = False
            self.spend[i] = 0.0
            self.goodwill[i] = 0.0
            brand.share_online = brand.share_offline = 0.0

    def _online_margin(self, brand: Brand) -> float:
        """What a yuan of the brand's online sales leaves it after commission and production.

        ``1 - c - unit_cost * list price / price``, at the launched platforms' mean commission
        and price (weighted by GMV this year).
        """
        m = self.market
        launched = [p for p in m.platforms if p.launched]
        if not launched:
            return 0.0
        weight = np.array([max(p.year_gmv, 0.0) for p in launched])
        weight = (
            weight / weight.sum() if weight.sum() > 0 else np.full(weight.size, 1 / weight.size)
        )
        commission = float(sum(w * p.commission for w, p in zip(weight, launched, strict=True)))
        price = float(
            sum(w * p.price(m.basket_value) for w, p in zip(weight, launched, strict=True))
        )
        return 1.0 - commission - brand.config.unit_cost * m.basket_value / price

    def _consider_entry(self, brand: Brand, online_sales: float) -> None:
        """An online-native brand enters when entry would pay at last year's online sales."""
        rivals = float(self._attractions(ONLINE).sum()) + self._others[ONLINE]
        c = brand.config
        profit = brand_budgets.entry_profit(
            self._start[brand.index, ONLINE],
            rivals,
            online_sales,
            self._online_margin(brand),
            c.entry_budget,
            c.fixed_cost,
        )
        if profit > 0:
            brand.active = True
            self.entered[brand.index] = self.market.year + 1
            self.spend[brand.index, ONLINE] = c.entry_budget

    def _outputs(self, year: np.ndarray, spent: np.ndarray) -> dict[str, float]:
        """The year's brand columns: budget split, shares, festival sales, brands by kind.

        ``online_budget_share_<brand>`` is the online part of the spend in force over the
        year (0 before the brand spent); the shares are those at the year's end.
        """
        row: dict[str, float] = {}
        festival = np.array([b.festival_sales for b in self.market.brands])
        sold = festival - self._festival_start
        self._festival_start = festival
        for b in self.market.brands:
            total = float(spent[b.index].sum())
            row[f"online_budget_share_{b.name}"] = spent[b.index, ONLINE] / total if total else 0.0
            row[f"brand_marketing_{b.name}"] = float(year[b.index, 2])
            row[f"online_share_{b.name}"] = b.share_online
            row[f"offline_share_{b.name}"] = b.share_offline
            row[f"festival_sales_{b.name}"] = float(sold[b.index])
        natives = float(sold[self.native].sum())
        row["festival_native_share"] = natives / float(sold.sum()) if sold.sum() > 0 else 0.0
        active = np.array([b.active for b in self.market.brands], dtype=bool)
        row["brands_online_native"] = float(np.count_nonzero(active & self.native))
        row["brands_traditional"] = float(np.count_nonzero(active & ~self.native))
        return row
