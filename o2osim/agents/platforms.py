"""Online platforms: marketplaces that launch in a given year and live on commission and ads."""

from __future__ import annotations

import mesa
import numpy as np

from o2osim.mechanisms import attention, decisions, needs
from o2osim.scenario import PlatformConfig


class Platform(mesa.Agent):
    """An online marketplace: takes a commission on every order and sells its sellers traffic.

    Attributes:
        index: Position of the platform in the model's platform list (its column in trust).
        name: Platform name.
        launched: Whether it is open for business.
        gmv: Gross merchandise value sold since launch, yuan.
        orders: Orders since launch (real orders).
        commission_revenue: Commission earned (with the margin on its own C2B goods), yuan.
        ad_revenue: What its sellers paid it for traffic (impressions), yuan.
        brand_ad_revenue: What brands paid it for their brands' marketing, yuan.
        marketing_cost: What it paid for its own marketing (traffic bought outside), yuan.
        protection_cost: What escrow, returns and enforcement cost it, yuan.
        protection_spend: Of that, what escrow and returns cost it (per order), yuan.
        enforcement_spend: Of that, what enforcement against counterfeit sellers cost it, yuan.
        commission: The commission it takes this year, share of GMV (its decision, or
            ``commission`` of its settings).
        ad_load: Sponsored results per search session this year (decided, or set).
        base_marketing: Its own traffic budget this year, yuan/week (decided, or set).
        enforcement: Share of counterfeit sellers it removes a year (decided, or set).
        adaptive: Whether it decides its levers each year (see :meth:`decide`).
        promotion_cost: What it paid its sellers for the part of its event discounts it funds
            (subsidies), yuan.
        bad_orders: Counterfeit, wrong or damaged orders (real orders).
        counterfeit_rate: Current chance that an order is bad (moves with enforcement).
        marketing_spend: Traffic bought since launch, yuan.
        new_customers: Customers won since launch (real people).
        last_week_gmv: GMV of the last week, yuan (sets this week's traffic budget).
        weekly_gmv: Its sellers' running estimate of a week's GMV, yuan (exponential
            smoothing with weight ``attention.cost_memory``; caps their traffic budget).
        shops: Number of shops selling on the platform this year.
        protected: Whether escrow, returns, deposits and enforcement are in force.
        variant_sales: Baskets sold this year by product variant (its sales data).
        ad_budget: Its sellers' weekly traffic budget under ``budget_rule: return``, yuan.
        buyer_orders: Orders per active buyer last year (``None`` before a year is booked).
        buyer_churn: Share of last year's buyers who did not buy this year (``None``: unknown).
        c2b_active: Whether it sells its own C2B goods this year.
        c2b_range: Share of its C2B range given to each variant this year.
        ranking: The variant a buyer of each variant finds in its search results this year
            (itself, or the bestseller when it is not shown); ``None``: every one is found.
        seller_price: What its (representative) seller charges for a basket this month, yuan,
            when sellers set prices (NaN: the list price times ``price_index``).
        seller_markup: Its seller's markup over unit cost (NaN until it sets a price).
        traffic_per_order: Traffic its sellers bought per order last month, yuan.
    """

    def __init__(self, model: mesa.Model, index: int, config: PlatformConfig) -> None:
        super().__init__(model)
        self.index = index
        self.name = config.name
        self.config = config
        self.launched = False
        self.gmv = 0.0
        self.orders = 0.0
        self.commission_revenue = 0.0
        self.bad_orders = 0.0
        self.counterfeit_rate = config.counterfeit_rate
        self.marketing_spend = 0.0
        self.new_customers = 0.0
        self.last_week_gmv = 0.0
        self.weekly_gmv = 0.0
        self.year_spend = 0.0
        self.year_new_customers = 0.0
        self.year_gmv = 0.0
        self.shops = 1
        self.protected = False
        self.ad_revenue = 0.0
        self.brand_ad_revenue = 0.0
        self.marketing_cost = 0.0
        self.protection_cost = 0.0
        self.protection_spend = 0.0
        self.enforcement_spend = 0.0
        self.promotion_cost = 0.0
        self.commission = config.commission
        self.ad_load = config.ad_load
        self.base_marketing = config.base_marketing
        self.enforcement = config.enforcement
        self._protection: bool | None = None  # decided: in force or not (None: by its year)
        mode = config.decisions or model.config.decisions
        self.adaptive = mode == "adaptive"
        self._search: decisions.Search | None = None
        self.variant_sales = np.zeros(model.config.consumers.variants)
        self.c2b_active = False
        self.c2b_range = np.zeros(model.config.consumers.variants)
        self.ranking: np.ndarray | None = None
        self.year_c2b_orders = 0.0
        self.year_orders = 0.0
        self.ad_budget = 0.0
        self.buyer_orders: float | None = None
        self.buyer_churn: float | None = None
        self.seller_price = float("nan")
        self.seller_markup = float("nan")
        self.traffic_per_order = 0.0

    def price(self, basket_value: float) -> float:
        """A basket's price on the platform this month before event discounts, yuan.

        Args:
            basket_value: A basket at list price this year, yuan.
        """
        if np.isnan(self.seller_price):
            return basket_value * self.config.price_index
        return self.seller_price

    def set_price(self, price: float, markup: float, traffic_per_order: float) -> None:
        """Its seller's price (yuan a basket), markup and traffic per order for next month."""
        self.seller_price = price
        self.seller_markup = markup
        self.traffic_per_order = traffic_per_order

    def new_year(self, year: int) -> None:
        """Open for business in the launch year; put protections in force in their year."""
        c = self.config
        self.launched = c.launch_year <= year
        start = c.launch_year if c.protection_start_year is None else c.protection_start_year
        in_force = start <= year if self._protection is None else self._protection
        self.protected = self.launched and in_force

    def levers(self) -> dict[str, float]:
        """Its levers now: commission, ad load, own marketing (x base), enforcement, protection."""
        base = self.config.base_marketing
        return {
            "commission": self.commission,
            "ad_load": self.ad_load,
            "marketing": self.base_marketing / base if base > 0 else 0.0,
            "enforcement": self.enforcement,
            "protection": float(self.protected),
        }

    def decide(self, result: float) -> None:
        """Once a year, an adaptive platform judges last year's move and moves one lever.

        Its result is its profit per yuan of the online market's GMV last year
        (:func:`o2osim.mechanisms.decisions.performance`); it moves the levers of
        ``platform_rules.levers`` one a year by
        :func:`o2osim.mechanisms.decisions.hill_climb`: commission and enforcement within
        their bounds, the ad load in whole steps, its own traffic budget in multiples of its
        ``base_marketing``, protection in force or not.

        Args:
            result: Last year's performance.
        """
        rules = self.model.config.platform_rules
        names = list(rules.levers)
        now = self.levers()
        bounds = {
            "commission": (rules.commission_step, 0.0, rules.commission_max),
            "ad_load": (rules.ad_load_step, 0.0, rules.ad_load_max),
            "marketing": (rules.marketing_step, 0.0, rules.marketing_max),
            "enforcement": (rules.enforcement_step, 0.0, 1.0),
            "protection": (1.0, 0.0, 1.0),
        }
        steps, low, high = (np.array([bounds[n][i] for n in names]) for i in range(3))
        if self._search is None:
            values = np.array([now[n] for n in names])
            # a lever at its top first tries the way down
            self._search = decisions.Search(values, np.where(values >= high, -1.0, 1.0))
        self._search = decisions.hill_climb(
            self._search, result, steps, low, high, rules.aspiration_weight, rules.trend_weight
        )
        chosen = dict(zip(names, self._search.values, strict=True))
        self.commission = float(chosen.get("commission", self.commission))
        self.ad_load = float(chosen.get("ad_load", self.ad_load))
        if "marketing" in chosen:
            self.base_marketing = float(chosen["marketing"]) * self.config.base_marketing
        self.enforcement = float(chosen.get("enforcement", self.enforcement))
        if "protection" in chosen:
            self._protection = bool(chosen["protection"] >= 0.5)
            self.protected = self.launched and self._protection

    def plan_c2b_range(self, year: int, need: np.ndarray) -> None:
        """Once a year: design the C2B range from last year's sales data; rank by them.

        Variant ``v`` gets a share of the range in proportion to the baskets of ``v`` the
        platform recorded last year (the real needs ``need`` when there are no sales yet):
        the range is as biased as the data. The same data rank the variants in its search
        results this year (``ranking``, :func:`o2osim.mechanisms.needs.results_ranking`). The
        sales data restart.
        """
        c = self.config
        self.c2b_active = (
            self.launched and c.c2b_start_year is not None and c.c2b_start_year <= year
        )
        if self.c2b_active:
            sales = self.variant_sales if self.variant_sales.sum() > 0 else need
            self.c2b_range = sales / sales.sum()
        if self.variant_sales.sum() > 0:
            self.ranking = needs.results_ranking(self.variant_sales, c.results_shown)
        self.variant_sales = np.zeros_like(self.variant_sales)
        self.year_c2b_orders = self.year_orders = 0.0

    @property
    def escrow(self) -> bool:
        """Whether payment is held in escrow now."""
        return self.config.escrow and self.protected

    @property
    def returns(self) -> bool:
        """Whether a no-reason return window is offered now."""
        return self.config.return_window_days > 0 and self.protected

    @property
    def costs(self) -> float:
        """Its own marketing, the cost of protection and its promotion subsidies, yuan."""
        return self.marketing_cost + self.protection_cost + self.promotion_cost

    @property
    def revenue(self) -> float:
        """Commission and ad revenue (sellers' and brands') since launch, yuan."""
        return self.commission_revenue + self.ad_revenue + self.brand_ad_revenue

    @property
    def profit(self) -> float:
        """Commission and ad revenue minus its marketing, protection and promotion costs, yuan."""
        return self.revenue - self.costs

    def count_shops(self) -> None:
        """Once a year: as many shops as last year's sales can keep in business (at least one)."""
        self.shops = max(1, int(self.year_gmv // self.config.shop_sales))
        self.year_gmv = 0.0

    def traffic_budget(self) -> float:
        """Yuan its sellers and the platform spend on traffic this week.

        Sellers put part of last week's sales into ads: ``marketing_share`` scaled by the
        competition among shops, ``shops / (shops + rivals_half)``. Alone on a platform a shop
        is seen for free; among many rivals it must pay to be seen. The platform adds its own
        ``base_marketing``.
        """
        return self.own_budget() + self.seller_budget()

    def own_budget(self) -> float:
        """Yuan the platform itself spends on traffic this week (0 before launch)."""
        return self.base_marketing if self.launched else 0.0

    def seller_budget(self) -> float:
        """Yuan its sellers spend on traffic this week.

        Under ``attention.budget_rule: share``, the ad rate times last week's GMV; under
        ``return``, the budget the sellers set on a new customer's return
        (:meth:`buy_on_return`).
        """
        if not self.launched:
            return 0.0
        if self.model.config.attention.budget_rule == "return":
            return self.ad_budget
        return self.ad_rate() * self.last_week_gmv

    def seller_margin_share(self, basket_value: float) -> float:
        """Share of its price a seller here keeps on an order, before traffic.

        ``seller_margin``, or, when sellers set prices, its markup on the wholesale price of
        the goods (a markup on traffic cost would make dearer traffic look like a more
        valuable customer).
        """
        price = self.price(basket_value)
        if np.isnan(self.seller_price):
            return self.config.seller_margin
        kept = self.seller_markup * self.model.config.pricing.wholesale_index * basket_value
        return max(0.0, kept) / price if price > 0 else 0.0

    def customer_value(self, basket_value: float) -> float:
        """What a new customer is worth to a seller here now, yuan.

        Its margin (:meth:`seller_margin_share`) on the platform's price over the orders a
        customer places a year and the years it stays at the platform's churn, both as booked
        last year (the sellers' prior before the first year is booked); see
        :func:`o2osim.mechanisms.attention.customer_value`.
        """
        att = self.model.config.attention
        orders = att.prior_orders if self.buyer_orders is None else self.buyer_orders
        churn = att.prior_churn if self.buyer_churn is None else self.buyer_churn
        price = self.price(basket_value)
        margin = self.seller_margin_share(basket_value)
        return attention.customer_value(margin, price, orders, churn, att.customer_horizon)

    def buy_on_return(self, value: float, cost: float) -> None:
        """Sellers set next week's traffic budget from a customer's value and its cost.

        Starts at ``attention.start_budget`` in the first week on the market; see
        :func:`o2osim.mechanisms.attention.adjust_budget`. Sellers pay for traffic out of
        what they earn: the budget is at most their margin on a week of the platform's GMV as
        they estimate it (:attr:`weekly_gmv`, a running average, not last week's figure,
        which in a sample of agents swings more than a real platform's and would cut budgets
        more often the fewer the agents), or the start budget, whichever is larger.

        Args:
            value: What a new customer is worth, yuan.
            cost: What a new customer cost lately, yuan (``inf``: none won).
        """
        att = self.model.config.attention
        if self.ad_budget <= 0:
            self.ad_budget = att.start_budget
            return
        budget = attention.adjust_budget(
            self.ad_budget, value, cost, att.budget_step, att.start_budget * 0.01
        )
        # sellers pay for traffic out of what they earn: at most a week's margin
        earned = self.seller_margin_share(self.model.basket_value) * self.weekly_gmv
        self.ad_budget = min(budget, max(att.start_budget, earned))

    def observe_year(self, orders_per_buyer: float, churn: float | None) -> None:
        """At year end: orders per active buyer and (after the first year) its buyers' churn."""
        if orders_per_buyer > 0:
            self.buyer_orders = orders_per_buyer
        if churn is not None:
            self.buyer_churn = churn

    def sell_traffic(self, seller_spend: float, own_spend: float) -> None:
        """Book a week of traffic: its sellers' purchases are its ad revenue; its own, a cost.

        Args:
            seller_spend: What its sellers paid for the impressions they bought, yuan.
            own_spend: What the platform paid for traffic bought for itself, yuan.
        """
        self.ad_revenue += seller_spend
        self.marketing_cost += own_spend
        ledger = self.model.ledger
        ledger.book("ad_revenue", seller_spend)
        ledger.book("own_marketing", own_spend)

    def sell_brand_ads(self, amount: float) -> None:
        """Book ``amount`` yuan a brand paid for its marketing on the platform (brand ads)."""
        self.brand_ad_revenue += amount
        self.model.ledger.book("brand_ads", amount)

    def ad_rate(self) -> float:
        """Share of its sales a seller here spends on traffic.

        Under ``attention.budget_rule: share``, ``marketing_share`` scaled by the competition
        among shops (see :meth:`traffic_budget`); under ``return``, the budget its sellers set
        over last week's GMV (0 without sales).
        """
        if self.model.config.attention.budget_rule == "return":
            gmv = self.last_week_gmv
            return self.ad_budget / gmv if gmv > 0 else 0.0
        c = self.config
        competition = self.shops / (self.shops + c.rivals_half) if self.shops else 0.0
        return c.marketing_share * competition

    def update_counterfeits(self) -> None:
        """Once a year: enforcement removes counterfeit sellers, deposits deter new ones.

        ``rate <- rate * (1 - enforcement) + fake_entry * (1 - rate) / (1 + deposit / scale)``
        """
        c = self.config
        deposit = c.seller_deposit if self.protected else 0.0
        enforcement = self.enforcement if self.protected else 0.0
        deterrence = 1.0 / (1.0 + deposit / c.deposit_scale)
        rate = self.counterfeit_rate
        self.counterfeit_rate = min(
            1.0, rate * (1 - enforcement) + c.fake_entry * (1 - rate) * deterrence
        )

    def book_week(
        self,
        gmv: float,
        orders: float,
        bad_orders: float,
        c2b_gmv: float = 0.0,
        c2b_paid: float = 0.0,
        subsidy: float = 0.0,
    ) -> float:
        """Book a week of sales; return what is passed on to the sellers after commission, yuan.

        Its own (C2B) goods, ``c2b_gmv`` of the GMV, earn it their margin over what it paid
        the makers, ``c2b_paid``, instead of a commission. ``subsidy`` is what it pays the
        sellers for the part of an event's discount it funds: a promotion cost, passed on.
        """
        c = self.config
        commission = (gmv - c2b_gmv) * self.commission + (c2b_gmv - c2b_paid)
        self.year_orders += orders
        ledger = self.model.ledger
        ledger.book("online_sales", gmv)
        ledger.book("commission", commission)
        if self.protected:
            weeks = self.model.config.time.ticks_per_year
            service = orders * c.protection_cost
            policing = self.enforcement * c.enforcement_cost / weeks
            protection = service + policing
            self.protection_spend += service
            self.enforcement_spend += policing
            self.protection_cost += protection
            ledger.book("protection", protection)
        self.gmv += gmv
        self.orders += orders
        self.bad_orders += bad_orders
        self.commission_revenue += commission
        self.last_week_gmv = gmv
        self.weekly_gmv += self.model.config.attention.cost_memory * (gmv - self.weekly_gmv)
        self.year_gmv += gmv
        if subsidy:
            self.promotion_cost += subsidy
            ledger.book("subsidy", subsidy)
            return gmv - commission + subsidy
        return gmv - commission
