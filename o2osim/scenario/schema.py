"""The root :class:`Scenario`: every section together, with the checks that span sections."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from o2osim.scenario.dynamics import (
    AdoptionConfig,
    AttentionConfig,
    DemographyConfig,
    EventConfig,
    StagesConfig,
)
from o2osim.scenario.fields import F, FieldProblem, Section, section_items
from o2osim.scenario.firms import (
    CONDUCT_OPTIONS,
    BrandConfig,
    BrandRulesConfig,
    DealerConfig,
    Decisions,
    PlatformConfig,
    PlatformRulesConfig,
    PricingConfig,
    StoreConfig,
    StoreFormatsConfig,
)
from o2osim.scenario.levers import switched_on
from o2osim.scenario.market import (
    ConsumerConfig,
    PopulationConfig,
    SessionsConfig,
    TimeConfig,
)


class Scenario(Section):
    """A complete o2osim scenario."""

    name: str = F("unnamed", "-", "Short name of the scenario.", max_length=200)
    description: str = F("", "-", "What question the scenario answers.", max_length=10_000)
    seed: int = F(
        0, "-", "Seed of the one random stream every draw comes from.", ge=0, le=2**63 - 1
    )
    engine: Literal["vectorized", "agents"] = F(
        "vectorized",
        "-",
        "How consumers decide: `vectorized` over numpy columns (fast), or `agents`, each "
        "Consumer's adopt() and shop() run by Mesa's shuffle_do (the reference, for teaching "
        "and verification; about 100x slower).",
    )
    time: TimeConfig = Field(default_factory=TimeConfig)
    population: PopulationConfig = Field(default_factory=PopulationConfig)
    consumers: ConsumerConfig = Field(default_factory=ConsumerConfig)
    stores: StoreConfig = Field(default_factory=StoreConfig)
    store_formats: StoreFormatsConfig = Field(default_factory=StoreFormatsConfig)
    platforms: list[PlatformConfig] = Field(
        default_factory=list,
        max_length=8,
        description="Online platforms (a list).",
        json_schema_extra={"unit": "-"},
    )
    decisions: Decisions = F(
        "fixed",
        "-",
        "Whether the firms keep their settings (`fixed`) or decide each year from their books "
        "(`adaptive`: platforms move commission, ad load, own marketing, enforcement and "
        "protection, see `platform_rules`; full stores may change format, see "
        "`store_formats`; brands spend on marketing by channel and online-native brands "
        "enter, see `brand_rules`; dealers choose the brands they carry, see "
        "`dealers.brand_cost`); a platform's or brand's own `decisions`, and "
        "`stores.decisions` and `dealers.decisions`, override it.",
    )
    platform_rules: PlatformRulesConfig = Field(default_factory=PlatformRulesConfig)
    brand_rules: BrandRulesConfig = Field(default_factory=BrandRulesConfig)
    dealers: DealerConfig = Field(default_factory=DealerConfig)
    brands: list[BrandConfig] = Field(
        default_factory=lambda: [BrandConfig(name="brand")],
        max_length=8,
        description="Brands (a list, at most 8); market shares must not sum above 1.",
        json_schema_extra={"unit": "-"},
    )
    pricing: PricingConfig = Field(default_factory=PricingConfig)
    demography: DemographyConfig = Field(default_factory=DemographyConfig)
    adoption: AdoptionConfig = Field(default_factory=AdoptionConfig)
    attention: AttentionConfig = Field(default_factory=AttentionConfig)
    sessions: SessionsConfig = Field(default_factory=SessionsConfig)
    stages: StagesConfig = Field(default_factory=StagesConfig)
    events: list[EventConfig] = Field(
        default_factory=list,
        description="Promotion events (a list).",
        json_schema_extra={"unit": "-"},
    )

    @model_validator(mode="after")
    def _cross_checks(self) -> Scenario:
        names = [p.name for p in self.platforms]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise FieldProblem(f"platforms.{i}.name", name, "a name no other platform has")
        brand_names = [b.name for b in self.brands]
        for i, name in enumerate(brand_names):
            if name in brand_names[:i]:
                raise FieldProblem(f"brands.{i}.name", name, "a name no other brand has")
        if self.engine == "agents":  # the first lever on that the reference engine lacks
            for path, lever, value in switched_on(self):
                if lever.agents_lack is not None:
                    raise FieldProblem(
                        path,
                        value,
                        f"{lever.off} when engine is agents (the reference engine has "
                        f"{lever.agents_lack})",
                    )
        self._check_platform_rules()
        if self.stores_decide and self.engine == "agents":
            raise FieldProblem(
                "stores.decisions",
                "adaptive",
                "fixed when engine is agents (the reference engine has full stores only)",
            )
        if self.consumers.service_needs:
            self._check_service_needs()
        if self.pricing.sellers_set_prices:
            self._check_pricing()
        total = sum(b.market_share for b in self.brands)
        if total > 1 + 1e-9:
            raise FieldProblem(
                "brands.market_share", round(total, 6), "market shares summing to at most 1"
            )
        self._check_brand_decisions()
        return self

    def brand_decides(self, index: int) -> bool:
        """Whether brand ``index`` decides: its ``decisions`` (else the scenario's) is adaptive.

        Brands decide only while no brand lever is in use (the levers draw each need's brand
        from the fixed market shares); a brand's own ``decisions: adaptive`` with a lever on is
        refused by the checks.
        """
        b = self.brands[index]
        return (b.decisions or self.decisions) == "adaptive" and not self.levers_in_use()

    def brand_switches(self, index: int) -> bool:
        """Whether brand ``index`` switches its conduct.

        It does when it decides (its ``decisions``, else the scenario's) and lists two or more
        ``strategies``, ``memberships`` or ``fan_programmes``.
        """
        b = self.brands[index]
        listed = max(len(getattr(b, options)) for options in CONDUCT_OPTIONS.values())
        return (b.decisions or self.decisions) == "adaptive" and listed > 1

    def _check_switches(self, index: int) -> None:
        """A brand's lists of conduct hold its own setting, once each."""
        b = self.brands[index]
        for field, options in CONDUCT_OPTIONS.items():
            listed = getattr(b, options)
            if not listed:
                continue
            own = getattr(b, field)
            if own not in listed or len(set(listed)) != len(listed):
                value = f"[{', '.join(str(x).lower() for x in listed)}]"
                raise FieldProblem(
                    f"brands.{index}.{options}",
                    value,
                    f"distinct options that include its {field} ({str(own).lower()})",
                )

    def _check_brand_decisions(self) -> None:
        """Brands that decide: no brand lever, the vectorized engine; natives enter from zero."""
        levers = self.levers_in_use()
        if self.dealers.decisions == "adaptive" and levers:
            raise FieldProblem(
                "dealers.decisions", "adaptive", f"fixed when {levers[0]} is on (dealers carry all)"
            )
        for i, b in enumerate(self.brands):
            self._check_switches(i)
            if b.decisions == "adaptive" and self.brand_switches(i):
                continue  # with levers on, a deciding brand switches its conduct
            if b.decisions == "adaptive" and (levers or self.engine == "agents"):
                why = f"{levers[0]} is on" if levers else "engine is agents"
                raise FieldProblem(
                    f"brands.{i}.decisions", "adaptive", f"fixed when {why} (brands keep shares)"
                )
            if b.kind != "online_native":
                continue
            if b.market_share != 0:
                raise FieldProblem(
                    f"brands.{i}.market_share", b.market_share, "0 for an online_native brand"
                )
            if not self.brand_decides(i):
                raise FieldProblem(
                    f"brands.{i}.decisions",
                    b.decisions or self.decisions,
                    "adaptive for an online_native brand (it enters when entry pays)",
                )
            if not any(t.kind == "traditional" and t.market_share > 0 for t in self.brands):
                raise FieldProblem(
                    f"brands.{i}.kind",
                    b.kind,
                    "traditional, or a traditional brand with a market_share above 0 beside it",
                )

    @property
    def stores_decide(self) -> bool:
        """Whether full stores may change format (``stores.decisions``, else ``decisions``)."""
        return (self.stores.decisions or self.decisions) == "adaptive"

    @property
    def dealers_decide(self) -> bool:
        """Whether dealers choose the brands they carry (``dealers.decisions``, else ``decisions``).

        Only while no brand lever is in use (the levers give each store purchase its brand);
        ``dealers.decisions: adaptive`` with a lever on is refused by the checks.
        """
        adaptive = (self.dealers.decisions or self.decisions) == "adaptive"
        return adaptive and not self.levers_in_use()

    def _check_platform_rules(self) -> None:
        """Each lever named once; an adaptive platform starts within the bounds it keeps to."""
        rules = self.platform_rules
        for i, lever in enumerate(rules.levers):
            if lever in rules.levers[:i]:
                raise FieldProblem("platform_rules.levers", rules.levers, "each lever once")
        for i, p in enumerate(self.platforms):
            if (p.decisions or self.decisions) != "adaptive":
                continue
            for lever, bound in [("commission", "commission_max"), ("ad_load", "ad_load_max")]:
                if lever in rules.levers and getattr(p, lever) > getattr(rules, bound):
                    raise FieldProblem(
                        f"platforms.{i}.{lever}",
                        getattr(p, lever),
                        f"at most platform_rules.{bound} ({getattr(rules, bound)}) for a "
                        "platform that decides",
                    )

    def _check_service_needs(self) -> None:
        """Service needs: distinct names other than ``plain``, shares summing to at most 1."""
        needs = self.consumers.service_needs
        names = [n.name for n in needs]
        for i, name in enumerate(names):
            if name == "plain" or name in names[:i]:
                raise FieldProblem(
                    f"consumers.service_needs.{i}.name", name, "a name other than plain and unique"
                )
        total = sum(n.share for n in needs)
        if total > 1 + 1e-9:
            raise FieldProblem(
                "consumers.service_needs.share", round(total, 6), "shares summing to at most 1"
            )
        if self.engine == "agents":
            raise FieldProblem(
                "consumers.service_needs",
                names,
                "[] when engine is agents (the reference engine has no service value)",
            )

    def _check_pricing(self) -> None:
        """Sellers' prices: bounds in order, an engine and options that price by them."""
        pr = self.pricing
        if pr.markup_min > pr.markup_max:
            raise FieldProblem("pricing.markup_min", pr.markup_min, "at most pricing.markup_max")
        if not pr.markup_min <= pr.store_markup <= pr.markup_max:
            raise FieldProblem(
                "pricing.store_markup", pr.store_markup, "within [markup_min, markup_max]"
            )
        if pr.online_markup is not None and not pr.markup_min <= pr.online_markup <= pr.markup_max:
            raise FieldProblem(
                "pricing.online_markup", pr.online_markup, "within [markup_min, markup_max]"
            )
        where = "when pricing.sellers_set_prices is true"
        if self.engine == "agents":
            raise FieldProblem(
                "engine", self.engine, f"vectorized {where} (the reference engine has list prices)"
            )
        levers = self.levers_in_use()
        if levers:
            raise FieldProblem(
                levers[0], _field_value_of(self, levers[0]), f"off {where} (brands pay list prices)"
            )
        for i, p in enumerate(self.platforms):
            # traffic per order is a share of the price: the price must not feed on itself
            if p.marketing_share * (1 + pr.markup_max) >= 1 - p.commission:
                raise FieldProblem(
                    f"platforms.{i}.marketing_share",
                    p.marketing_share,
                    f"below (1 - commission) / (1 + pricing.markup_max) {where}",
                )

    @property
    def ticks(self) -> int:
        """Total number of weekly ticks in the run."""
        return self.time.years * self.time.ticks_per_year

    def levers_in_use(self) -> list[str]:
        """The field paths of every brand lever switched on (see :data:`~.levers.LEVERS`).

        Returns:
            e.g. ``["consumers.brand_habit", "brands.0.fan_programme"]``; empty when brands
            make no difference.
        """
        return [path for path, _, _ in switched_on(self)]

    @property
    def brand_levers_allowed(self) -> bool:
        """Whether brands may use their levers: there are brands and stores pay list prices.

        Under sellers' prices (``pricing.sellers_set_prices``) every brand lever must be off,
        since the levers act on list prices (:meth:`_check_pricing` enforces it).
        """
        return bool(self.brands) and not self.pricing.sellers_set_prices

    @property
    def brands_make_a_difference(self) -> bool:
        """Whether any brand lever is on (:meth:`levers_in_use`): the market then tracks brands."""
        return bool(self.levers_in_use())

    @property
    def last_year(self) -> int:
        """The last simulated calendar year."""
        return self.time.start_year + self.time.years - 1

    def after_horizon(self) -> list[tuple[str, int]]:
        """Every dated setting that falls after the last simulated year, so not in the run.

        A horizon shorter than the scenario's dates is not an error: a platform launched after
        the last simulated year never opens in the run, an event never takes place, and so on.

        Returns:
            ``(field path, year)`` for each field of :data:`DATED_FIELDS` whose year is after
            :attr:`last_year`, in the order of the scenario's sections and lists.
        """
        late = []
        for section, names in DATED_FIELDS.items():
            for prefix, item in section_items(self, section):
                for name in names:
                    year = getattr(item, name)
                    if year is not None and year > self.last_year:
                        late.append((f"{prefix}.{name}", year))
        return late


def _field_value_of(scenario: Section, path: str) -> object:
    """The value at a dotted field path of a scenario, e.g. ``brands.0.fan_programme``."""
    value: object = scenario
    for key in path.split("."):
        value = value[int(key)] if isinstance(value, list) else getattr(value, key)
    return value


#: Dated settings: section (or list) -> its fields that give the year from which something
#: happens in the run. One after the last simulated year does not happen in the run
#: (:meth:`Scenario.after_horizon`).
DATED_FIELDS: dict[str, tuple[str, ...]] = {
    "platforms": ("launch_year", "protection_start_year", "c2b_start_year"),
    "demography": ("turning_point_year",),
    "stages": ("mobile_year",),
    "events": ("start_year",),
}


def affects_horizon(path: str) -> bool:
    """Whether a field (dotted path, as in ``--set``) can change :meth:`Scenario.after_horizon`.

    Args:
        path: e.g. ``time.years`` or ``platforms.1.launch_year``.

    Returns:
        True for ``time.start_year``, ``time.years`` and every field of :data:`DATED_FIELDS`.
    """
    keys = path.split(".")
    if keys in (["time", "start_year"], ["time", "years"]):
        return True
    return keys[0] in DATED_FIELDS and keys[-1] in DATED_FIELDS[keys[0]]
