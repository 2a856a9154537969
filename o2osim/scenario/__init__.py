"""Scenario files: the pydantic schema, safe YAML loading, ``extends`` and ``--set`` overrides.

A scenario is the single source of a run's parameters. This package knows nothing of Mesa, the
model or the command line: it turns a YAML file (plus overrides) into a validated
:class:`Scenario`, or raises :class:`~o2osim.errors.ScenarioError` with one line that names the
file, the field path, the value and what was expected.

The package, each module importing only those above it:

- :mod:`~o2osim.scenario.fields`: :class:`Section` (the strict base of every section),
  :func:`F` (a documented field) and :class:`FieldProblem` (a cross-field check that failed).
- :mod:`~o2osim.scenario.market`: the market's sections ``time``, ``population`` and
  ``consumers``.
- :mod:`~o2osim.scenario.firms`: the firms' sections ``stores``, ``platforms``, ``dealers`` and
  ``brands`` (and :data:`ChannelStrategy`).
- :mod:`~o2osim.scenario.dynamics`: what changes over the years: ``demography``, ``adoption``,
  ``attention``, ``stages`` and ``events``.
- :mod:`~o2osim.scenario.schema`: the root :class:`Scenario`, with the checks that span
  sections, and its dated settings (:data:`DATED_FIELDS`): a horizon shorter than the
  scenario's dates is not an error, :meth:`Scenario.after_horizon` lists what falls after it.
- :mod:`~o2osim.scenario.loading`: safe YAML (YAML 1.2 numbers, duplicate keys, a limit on
  alias expansion), ``extends``, ``--set`` overrides, one-line errors, :func:`validate` and
  :func:`load_scenario`.

Every public name is importable from ``o2osim.scenario`` itself.
"""

from o2osim.scenario.dynamics import (
    AdoptionConfig,
    AttentionConfig,
    DemographyConfig,
    EventConfig,
    StagesConfig,
)
from o2osim.scenario.fields import F, FieldProblem, Section
from o2osim.scenario.firms import (
    BrandConfig,
    ChannelStrategy,
    DealerConfig,
    PlatformConfig,
    StoreConfig,
)
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
from o2osim.scenario.market import ConsumerConfig, PopulationConfig, TimeConfig
from o2osim.scenario.schema import DATED_FIELDS, Scenario, affects_horizon

__all__ = [
    "ALLOWED_SUFFIXES",
    "DATED_FIELDS",
    "MAX_VALUES",
    "AdoptionConfig",
    "AttentionConfig",
    "BrandConfig",
    "ChannelStrategy",
    "ConsumerConfig",
    "DealerConfig",
    "DemographyConfig",
    "DuplicateKeyError",
    "EventConfig",
    "F",
    "FieldProblem",
    "PlatformConfig",
    "PopulationConfig",
    "Scenario",
    "Section",
    "StagesConfig",
    "StoreConfig",
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
    "validate",
]
