"""The layers of o2osim.layers hold: no import climbs a layer, no import cycle, no stray module.

Every module of the package is parsed with :mod:`ast`; every ``import`` and ``from ... import``
anywhere in it counts (inside functions, under ``if TYPE_CHECKING:``), relative imports
resolved. ``from a.b import c`` is an import of the module ``a.b.c`` when there is one, else of
``a.b``. The same functions are checked on a small package written for the purpose.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from conftest import ROOT

from o2osim.layers import LAYERS, layer_of

Graph = dict[str, dict[str, int]]  # importer -> imported -> first line


def find_modules(root: Path, package: str) -> dict[str, tuple[Path, bool]]:
    """Module name -> (file, is a package) for every ``.py`` file under the package folder."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def imports_of(
    module: str, path: Path, is_package: bool, known: Mapping[str, object], package: str
) -> dict[str, int]:
    """The modules of the package a module imports, each with the line of its first import."""
    out: dict[str, int] = {}

    def add(target: str, line: int) -> None:
        inside = target == package or target.startswith(package + ".")
        if inside and target != module:
            while target not in known and "." in target:  # e.g. a missing submodule
                target = target.rsplit(".", 1)[0]
            out.setdefault(target, line)

    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".") if is_package else module.split(".")[:-1]
                base = parts[: len(parts) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                add(submodule if submodule in known else source, node.lineno)
    return out


def import_graph(root: Path, package: str) -> Graph:
    """Importer -> imported -> line, over every module of the package."""
    modules = find_modules(root, package)
    return {
        name: imports_of(name, path, is_package, modules, package)
        for name, (path, is_package) in modules.items()
    }


def unclaimed(graph: Graph, layers: Mapping[str, Sequence[str]]) -> list[str]:
    """Modules no layer claims."""
    return [m for m in graph if layer_of(m, layers) is None]


def climbing(graph: Graph, layers: Mapping[str, Sequence[str]]) -> list[tuple[str, ...]]:
    """Imports of a higher layer: (importer, imported, importer's layer, imported's layer, line)."""
    rank = {name: i for i, name in enumerate(layers)}
    found = []
    for importer, targets in graph.items():
        low = layer_of(importer, layers)
        for imported, line in targets.items():
            high = layer_of(imported, layers)
            if low is not None and high is not None and rank[high] > rank[low]:
                found.append((importer, imported, low, high, str(line)))
    return found


def tangles(graph: Graph) -> list[set[str]]:
    """Groups of modules that import each other, directly or not (two or more modules each)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted((g for g in groups if len(g) > 1), key=min)


def cycles(graph: Graph) -> list[list[str]]:
    """One cycle per group of :func:`tangles`, as ``[a, b, ..., a]`` from its first module."""
    found = []
    for group in tangles(graph):
        start = min(group)
        paths = {start: [start]}
        queue = [start]
        while queue:  # the shortest way from start back to itself, within the group
            node = queue.pop(0)
            for nxt in sorted(graph[node]):
                if nxt == start:
                    found.append([*paths[node], start])
                    queue = []
                    break
                if nxt in group and nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    queue.append(nxt)
    return found


def without(graph: Graph, edges: set[tuple[str, str]]) -> Graph:
    """The graph less some imports."""
    return {a: {b: n for b, n in bs.items() if (a, b) not in edges} for a, bs in graph.items()}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph(ROOT / "o2osim", "o2osim")


def test_every_module_is_claimed_by_exactly_one_layer(graph):
    assert len(graph) > 40 and "o2osim.batch.comparison" in graph
    assert unclaimed(graph, LAYERS) == []  # layer_of raises if two layers claim a module


def test_no_import_climbs_a_layer(graph):
    found = climbing(graph, LAYERS)
    lines = [f"{a} ({la}) imports {b} ({lb}), line {n}" for a, b, la, lb, n in found]
    assert not lines, "imports that climb a layer:\n" + "\n".join(lines)


def test_no_import_cycle(graph):
    found = [
        f"{' -> '.join(cycle)} (tangled together: {', '.join(sorted(group))})"
        for cycle, group in zip(cycles(graph), tangles(graph), strict=True)
    ]
    assert not found, "import cycles:\n" + "\n".join(found)


def test_the_market_reads_the_protocol_not_the_model(graph):
    # phases, strategies and agent views see the market through agents.protocol.Market
    readers = [
        m for m in graph if m.startswith(("o2osim.market", "o2osim.agents", "o2osim.strategies"))
    ]
    assert all("o2osim.model" not in graph[m] for m in readers)
    assert "o2osim.agents.protocol" in graph["o2osim.strategies.fulfilment"]
    assert "o2osim.agents.protocol" in graph["o2osim.market.stores"]


def test_the_layers_module_imports_nothing_of_the_package(graph):
    assert graph["o2osim.layers"] == {}
    assert set(graph["o2osim.units"]) <= {"o2osim.scenario"}  # a leaf on leaves


def test_writing_results_does_not_draw_them(graph):
    # results writes tables, figures it is handed and checksums; the run layer draws
    assert "o2osim.plots" not in graph["o2osim.results"]
    assert "o2osim.plots" in graph["o2osim.run"]


# ---------------------------------------------------------------- the checks themselves

TOY_LAYERS = {
    "low": ("toy.low.*",),
    "mid": ("toy.mid",),
    "top": ("toy", "toy.cli"),
}

TOY = {
    "__init__.py": "from toy.cli import main\n",
    "cli.py": "import toy.mid\n",
    "mid.py": "from .low import a\n",
    "low/__init__.py": "",
    # an upward import inside a function, written relative
    "low/a.py": "def f():\n    from ..mid import thing\n    return thing\n",
    # a cycle: b imports c at run time, c imports b only for type checking
    "low/b.py": "from . import c\n",
    "low/c.py": (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from toy.low.b import B\n"
    ),
    "stray.py": "import os\n",
}


@pytest.fixture
def toy(tmp_path) -> Graph:
    for name, text in TOY.items():
        (tmp_path / "toy" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "toy" / name).write_text(text)
    return import_graph(tmp_path / "toy", "toy")


def test_the_checks_resolve_relative_imports_and_see_every_import(toy):
    assert toy["toy.mid"] == {"toy.low.a": 1}  # from .low import a: the module toy.low.a
    assert toy["toy.low.a"] == {"toy.mid": 2}  # inside a function, two levels up
    assert toy["toy.low.b"] == {"toy.low.c": 1}
    assert toy["toy.low.c"] == {"toy.low.b": 4}  # under TYPE_CHECKING
    assert toy["toy"] == {"toy.cli": 1} and toy["toy.cli"] == {"toy.mid": 1}


def test_the_checks_find_an_upward_import_a_cycle_and_a_stray_module(toy):
    assert climbing(toy, TOY_LAYERS) == [("toy.low.a", "toy.mid", "low", "mid", "2")]
    assert cycles(toy) == [
        ["toy.low.a", "toy.mid", "toy.low.a"],
        ["toy.low.b", "toy.low.c", "toy.low.b"],
    ]
    assert tangles(toy) == [{"toy.low.a", "toy.mid"}, {"toy.low.b", "toy.low.c"}]
    assert unclaimed(toy, TOY_LAYERS) == ["toy.stray"]
    # allowing the upward import also breaks the cycle it closes
    assert cycles(without(toy, {("toy.low.a", "toy.mid")})) == [
        ["toy.low.b", "toy.low.c", "toy.low.b"]
    ]
