"""The shared helpers of every scenario section: documented fields, strict sections, field errors.

:class:`Section` is the base of every section (unknown keys are errors, values are checked on
assignment); :func:`F` declares a field with its default, unit and description (the unit and
description feed ``docs/scenarios.md``); :class:`FieldProblem` is raised by a cross-field check
so that the one-line error names the field path.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class FieldProblem(ValueError):
    """A cross-field check failed; carries the field path so the error can name it."""

    def __init__(self, field: str, value: Any, expected: str) -> None:
        super().__init__(f"{field}: {value!r}: expected {expected}")
        self.field, self.value, self.expected = field, value, expected


def F(default: Any, unit: str, description: str, **constraints: Any) -> Any:
    """A documented scenario field: default, unit and description, plus pydantic constraints."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


class Section(BaseModel):
    """Base of every scenario section: unknown keys are errors, values are checked on assignment."""

    # strict: YAML already gives typed values, so `true` must not pass for a count or a rate
    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, allow_inf_nan=False, strict=True
    )


def section_items(scenario: Section, section: str) -> list[tuple[str, Section]]:
    """A section of a scenario, or each item of a list section, with its dotted path.

    Args:
        scenario: The scenario.
        section: A section's name, e.g. ``stages`` or ``platforms``.

    Returns:
        ``[("stages", stages)]``, or ``[("platforms.0", first), ("platforms.1", second), ...]``.
    """
    value = getattr(scenario, section)
    if isinstance(value, list):
        return [(f"{section}.{i}", item) for i, item in enumerate(value)]
    return [(section, value)]
