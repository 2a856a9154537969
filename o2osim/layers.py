"""The layers of o2osim, declared once: which modules sit on which layer, bottom to top.

A module may import only from its own layer or the layers below it; within a layer, imports
must not form a cycle. Imports inside functions and under ``if TYPE_CHECKING:`` count too.
``tests/test_layers.py`` reads every module of the package with :mod:`ast` and checks these
rules, and that every module is claimed by exactly one layer.

From the bottom:

- ``leaves``: what everything may use and which knows nothing of the simulation's workings:
  the scenario schema (the package ``o2osim.scenario``), errors,
  units and labels, the indicators (``metrics``), writing and checking result directories
  (``results``), figures (``plots``, drawn from tables and a finished model read through its
  public attributes), the story of China 2004-2020 (``story``), the version, and this
  declaration. ``schema_doc`` is a leaf too: it only reads the scenario schema to write
  ``docs/scenarios.md``.
- ``rules``: the agents, the mechanisms (pure functions on arrays) and the brands' strategies.
- ``phases``: the sides of the market (``o2osim.market``) that run the rules each tick.
- ``model``: :class:`o2osim.model.O2OMarket`, which puts the phases together.
- ``run``: one run from scenario to :class:`o2osim.run.Result`, its invariants and the memory
  guard.
- ``batch``: many runs at once, through the Dask seam (:mod:`o2osim.batch`).
- ``faces``: what people use: the command line, the dashboard, the benchmark, and the
  package's public names (``o2osim/__init__.py``).

A pattern ``o2osim.x`` names that module only; ``o2osim.x.*`` names the module or package
``o2osim.x`` and everything under it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: Layer name -> the modules it holds, from the bottom layer to the top one.
LAYERS: dict[str, tuple[str, ...]] = {
    "leaves": (
        "o2osim.scenario.*",
        "o2osim.units",
        "o2osim.metrics",
        "o2osim.results",
        "o2osim.plots",
        "o2osim.story",
        "o2osim.schema_doc",
        "o2osim.errors",
        "o2osim._version",
        "o2osim.layers",
    ),
    "rules": ("o2osim.agents.*", "o2osim.mechanisms.*", "o2osim.strategies.*"),
    "phases": ("o2osim.market.*",),
    "model": ("o2osim.model",),
    "run": ("o2osim.run", "o2osim.invariants", "o2osim.resources"),
    "batch": ("o2osim.batch.*",),
    "faces": (
        "o2osim",
        "o2osim.cli",
        "o2osim.viz",
        "o2osim.viz_app",
        "o2osim.bench",
        "o2osim.__main__",
    ),
}


def matches(module: str, pattern: str) -> bool:
    """Whether a pattern of :data:`LAYERS` names a module.

    Args:
        module: A dotted module name, e.g. ``o2osim.batch.sweep``.
        pattern: ``o2osim.x`` (that module only) or ``o2osim.x.*`` (it and everything under it).

    Returns:
        True if the pattern names the module.
    """
    if pattern.endswith(".*"):
        return module == pattern[:-2] or module.startswith(pattern[:-1])
    return module == pattern


def layer_of(module: str, layers: Mapping[str, Sequence[str]] = LAYERS) -> str | None:
    """The layer that claims a module.

    Args:
        module: A dotted module name.
        layers: Layer name -> patterns, bottom to top (default :data:`LAYERS`).

    Returns:
        The layer's name, or ``None`` if no layer claims the module.

    Raises:
        ValueError: If more than one layer claims it.
    """
    found = [name for name, patterns in layers.items() if any(matches(module, p) for p in patterns)]
    if len(found) > 1:
        raise ValueError(f"{module} is claimed by the layers {', '.join(found)}")
    return found[0] if found else None
