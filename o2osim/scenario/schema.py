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
from o2osim.scenario.fields import F, FieldProblem, Section
from o2osim.scenario.firms import BrandConfig, DealerConfig, PlatformConfig, StoreConfig
from o2osim.scenario.market import ConsumerConfig, PopulationConfig, TimeConfig


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
    platforms: list[PlatformConfig] = Field(
        default_factory=list,
        max_length=8,
        description="Online platforms (a list).",
        json_schema_extra={"unit": "-"},
    )
    dealers: DealerConfig = Field(default_factory=DealerConfig)
    brands: list[BrandConfig] = Field(
        default_factory=lambda: [BrandConfig(name="brand")],
        max_length=8,
        description="Brands (a list, at most 8); market shares must not sum above 1.",
        json_schema_extra={"unit": "-"},
    )
    demography: DemographyConfig = Field(default_factory=DemographyConfig)
    adoption: AdoptionConfig = Field(default_factory=AdoptionConfig)
    attention: AttentionConfig = Field(default_factory=AttentionConfig)
    stages: StagesConfig = Field(default_factory=StagesConfig)
    events: list[EventConfig] = Field(
        default_factory=list,
        description="Promotion events (a list).",
        json_schema_extra={"unit": "-"},
    )

    @model_validator(mode="after")
    def _cross_checks(self) -> Scenario:
        end = self.time.start_year + self.time.years - 1
        names = [p.name for p in self.platforms]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise FieldProblem(f"platforms.{i}.name", name, "a name no other platform has")
        for i, platform in enumerate(self.platforms):
            if platform.launch_year > end:
                raise FieldProblem(
                    f"platforms.{i}.launch_year",
                    platform.launch_year,
                    f"a year up to the last simulated year {end}",
                )
        brand_names = [b.name for b in self.brands]
        for i, name in enumerate(brand_names):
            if name in brand_names[:i]:
                raise FieldProblem(f"brands.{i}.name", name, "a name no other brand has")
        if self.engine == "agents":
            for i, platform in enumerate(self.platforms):
                if platform.c2b_start_year is not None:
                    raise FieldProblem(
                        f"platforms.{i}.c2b_start_year",
                        platform.c2b_start_year,
                        "null when engine is agents (the reference engine has no C2B)",
                    )
            for name in ("large_account_share", "order_size_cv", "brand_habit"):
                if getattr(self.consumers, name) > 0:
                    raise FieldProblem(
                        f"consumers.{name}",
                        getattr(self.consumers, name),
                        "0 when engine is agents (the reference engine has one-basket orders)",
                    )
            for i, brand in enumerate(self.brands):
                if (
                    brand.channel_strategy != "none"
                    or brand.online_price_index is not None
                    or brand.membership != "none"
                    or brand.fan_programme
                ):
                    raise FieldProblem(
                        f"brands.{i}.channel_strategy",
                        brand.channel_strategy,
                        "none with online_price_index null and no membership when engine is "
                        "agents (the reference engine has no brand strategies)",
                    )
        total = sum(b.market_share for b in self.brands)
        if total > 1 + 1e-9:
            raise FieldProblem(
                "brands.market_share", round(total, 6), "market shares summing to at most 1"
            )
        return self

    @property
    def ticks(self) -> int:
        """Total number of weekly ticks in the run."""
        return self.time.years * self.time.ticks_per_year
