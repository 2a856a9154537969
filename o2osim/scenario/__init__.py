"""Scenario files: the pydantic schema, safe YAML loading, ``extends`` and ``--set`` overrides.

A scenario is the single source of a run's parameters. This package knows nothing of Mesa, the
model or the command line: it turns a YAML file (plus overrides) into a validated
:class:`Scenario`, or raises :class:`~o2osim.errors.ScenarioError` with one line that names the
file, the field path, the value and what was expected.

The package, each module importing only those above it:

- :mod:`~o2osim.scenario.fields`: :class:`Section` (the strict base of every section),
  :func:`F` (a documented field), :class:`FieldProblem` (a cross-field check that failed) and
  :func:`section_items` (a section or each item of a list, with its dotted path).
- :mod:`~o2osim.scenario.market`: the market's sections ``time``, ``population``,
  ``consumers`` and ``sessions``.
- :mod:`~o2osim.scenario.firms`: the firms' sections ``stores``, ``platforms``, ``dealers``,
  ``brands`` and ``pricing`` (and :data:`ChannelStrategy`).
- :mod:`~o2osim.scenario.dynamics`: what changes over the years: ``demography``, ``adoption``,
  ``attention``, ``stages`` and ``events``.
- :mod:`~o2osim.scenario.levers`: the brand levers, declared once (:data:`LEVERS`): the
  fields of consumers, platforms and brands that, switched on, make brands make a difference,
  and which of them the reference engine (``engine: agents``) lacks.
- :mod:`~o2osim.scenario.schema`: the root :class:`Scenario`, with the checks that span
  sections, and its dated settings (:data:`DATED_FIELDS`): a horizon shorter than the
  scenario's dates is not an error, :meth:`Scenario.after_horizon` lists what falls after it.
- :mod:`~o2osim.scenario.loading`: safe YAML (YAML 1.2 numbers, duplicate keys, a limit on
  alias expansion), ``extends``, ``--set`` overrides, one-line errors, :func:`validate` and
  :func:`load_scenario`.

Every public name is importable from ``o2osim.scenario`` itself.

Two questions about a scenario are answered here once, for the model and the tools alike:

- ``Scenario.levers_in_use()``: the field paths of every brand lever switched on (e.g.
  ``["brands.0.fan_programme"]``), and ``Scenario.brands_make_a_difference``, true when there is
  any: only then must the market track who needs which brand and where it is on offer. A new
  lever is added to :data:`LEVERS`, and nowhere else.
- ``Scenario.after_horizon()``: the settings dated after the last simulated year, which do not
  happen in the run.
"""

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
    PLATFORM_LEVERS,
    STORE_FORMATS,
    BrandConfig,
    BrandKind,
    BrandRulesConfig,
    ChannelStrategy,
    DealerConfig,
    Decisions,
    Membership,
    PlatformConfig,
    PlatformLever,
    PlatformRulesConfig,
    PricingConfig,
    Production,
    StoreConfig,
    StoreFormat,
    StoreFormatsConfig,
)
from o2osim.scenario.levers import LEVERS, Lever, switched_on
from o2osim.scenario.loading import (
    ALLOWED_SUFFIXES,
    MAX_VALUES,
    DuplicateKeyError,
    apply_override,
    deep_merge,
    field_value,
    format_error,
    load_scenario,
    parse_override,
    read_yaml,
    resolve_relative,
    validate,
)
from o2osim.scenario.market import (
    ConsumerConfig,
    PopulationConfig,
    ServiceNeed,
    SessionsConfig,
    TimeConfig,
)
from o2osim.scenario.schema import DATED_FIELDS, Scenario, affects_horizon

__all__ = [
    "ALLOWED_SUFFIXES",
    "CONDUCT_OPTIONS",
    "DATED_FIELDS",
    "LEVERS",
    "MAX_VALUES",
    "PLATFORM_LEVERS",
    "STORE_FORMATS",
    "AdoptionConfig",
    "AttentionConfig",
    "BrandConfig",
    "BrandKind",
    "ChannelStrategy",
    "ConsumerConfig",
    "DealerConfig",
    "Decisions",
    "DemographyConfig",
    "DuplicateKeyError",
    "EventConfig",
    "F",
    "FieldProblem",
    "Lever",
    "Membership",
    "PlatformConfig",
    "PlatformLever",
    "PlatformRulesConfig",
    "BrandRulesConfig",
    "PopulationConfig",
    "PricingConfig",
    "Production",
    "Scenario",
    "Section",
    "SessionsConfig",
    "ServiceNeed",
    "StagesConfig",
    "StoreConfig",
    "StoreFormat",
    "StoreFormatsConfig",
    "TimeConfig",
    "affects_horizon",
    "apply_override",
    "deep_merge",
    "field_value",
    "format_error",
    "load_scenario",
    "parse_override",
    "read_yaml",
    "resolve_relative",
    "section_items",
    "switched_on",
    "validate",
]
