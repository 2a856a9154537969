"""The brand levers, declared once: the settings that make brands make a difference.

With every lever off, a need is for any brand by market share and every brand is on offer
everywhere, so the market need not track brands at all. Switching on any lever (a brand's
channel strategy, channel price, membership or fan programme; brand habit, large accounts,
spread order sizes or product variants of consumers; C2B by a platform) makes brands make a
difference. :data:`LEVERS` is the one list of them, read by :meth:`Scenario.levers_in_use
<o2osim.scenario.Scenario.levers_in_use>` (and so by the market) and by the check that the
reference engine (``engine: agents``) runs only without the levers it lacks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from o2osim.scenario.fields import Section, section_items


@dataclass(frozen=True)
class Lever:
    """One brand lever: a field of a section (or of each item of a list) and when it is on.

    Attributes:
        section: ``consumers``, ``platforms`` or ``brands``.
        field: The field's name in the section (or in each item of the list).
        off: Its value when the lever is off, as written in a scenario file.
        is_on: Whether a value of the field switches the lever on.
        agents_lack: What the reference engine (``engine: agents``) has instead, completing
            "the reference engine has ...", or ``None`` if it runs with the lever on.
    """

    section: str
    field: str
    off: str
    is_on: Callable[[Any], bool]
    agents_lack: str | None


#: Every brand lever, in the order of the scenario's sections.
LEVERS: tuple[Lever, ...] = (
    Lever("consumers", "large_account_share", "0", lambda v: v > 0, "one-basket orders"),
    Lever("consumers", "order_size_cv", "0", lambda v: v > 0, "one-basket orders"),
    Lever("consumers", "brand_habit", "0", lambda v: v > 0, "no brand habit"),
    Lever("consumers", "variants", "1", lambda v: v > 1, None),
    Lever("platforms", "c2b_start_year", "null", lambda v: v is not None, "no C2B"),
    Lever("brands", "channel_strategy", "none", lambda v: v != "none", "no channel strategies"),
    Lever("brands", "online_price_index", "null", lambda v: v is not None, "no channel prices"),
    Lever("brands", "membership", "none", lambda v: v != "none", "no membership programmes"),
    Lever("brands", "fan_programme", "false", bool, "no fan programme"),
    Lever("brands", "strategies", "[]", lambda v: set(v) - {"none"}, "no channel strategies"),
    Lever("brands", "memberships", "[]", lambda v: set(v) - {"none"}, "no membership programmes"),
    Lever("brands", "fan_programmes", "[]", any, "no fan programme"),
)


def switched_on(scenario: Section) -> list[tuple[str, Lever, Any]]:
    """Every lever switched on in a scenario.

    Args:
        scenario: A validated scenario.

    Returns:
        ``(field path, lever, value)`` per lever on, e.g. ``("brands.0.fan_programme", ...,
        True)``, in the order of the scenario's sections, then of their items, then of
        :data:`LEVERS`.
    """
    found = []
    for section in dict.fromkeys(lever.section for lever in LEVERS):
        levers = [lever for lever in LEVERS if lever.section == section]
        for prefix, item in section_items(scenario, section):
            for lever in levers:
                value = getattr(item, lever.field)
                if lever.is_on(value):
                    found.append((f"{prefix}.{lever.field}", lever, value))
    return found
