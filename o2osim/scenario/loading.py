"""Loading a scenario: safe YAML, ``extends``, ``--set`` overrides, validation, one-line errors.

YAML is read with safe loading and YAML 1.2 numbers (``1e6`` is a float), refusing duplicate
keys and files whose aliases expand to more than :data:`MAX_VALUES` values. Every problem is
raised as a :class:`~o2osim.errors.ScenarioError` naming the file, the field path, the value
and what was expected.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from o2osim.errors import ScenarioError
from o2osim.scenario.fields import FieldProblem
from o2osim.scenario.schema import Scenario


class _Loader(yaml.SafeLoader):
    """Safe loading, with YAML 1.2 numbers: ``1e6`` is a float, not the string '1e6'."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
        r"|[0-9][0-9_]*[eE][-+]?[0-9]+|\.(?:inf|Inf|INF)|[-+]\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


class DuplicateKeyError(yaml.YAMLError):
    """A mapping in the YAML file names the same key twice."""

    def __init__(self, path: str, line: int) -> None:
        super().__init__(f"duplicate key {path} (line {line})")
        self.path, self.line = path, line


def _check_duplicates(node: yaml.Node, path: tuple[str, ...] = ()) -> None:
    """Refuse a mapping that repeats a key, naming the key's full dotted path."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise DuplicateKeyError(".".join((*path, key)), key_node.start_mark.line + 1)
            seen.add(key)
            _check_duplicates(value_node, (*path, key))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicates(item, (*path, str(i)))


#: Most values a file may hold once its aliases are expanded: a scenario has a few hundred, and
#: a few lines of nested aliases ("billion laughs") can stand for billions.
MAX_VALUES = 100_000


def _expanded_size(node: yaml.Node, sizes: dict[int, int] | None = None) -> int:
    """How many values a node stands for once aliases are expanded (shared nodes sized once)."""
    sizes = {} if sizes is None else sizes
    key = id(node)
    if key not in sizes:
        sizes[key] = 1  # a node that contains itself counts once
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        sizes[key] = 1 + sum(min(_expanded_size(c, sizes), MAX_VALUES + 1) for c in children)
    return sizes[key]


ALLOWED_SUFFIXES = (".yaml", ".yml")


def read_yaml(path: Path) -> dict[str, Any]:
    """Read one YAML mapping with safe loading and duplicate-key detection.

    Args:
        path: The file to read.

    Returns:
        The mapping in the file (an empty file gives an error, not an empty mapping).

    Raises:
        ScenarioError: If the file is missing, not text, not YAML or not a mapping.
    """
    if path.suffix.lower() not in ALLOWED_SUFFIXES:
        raise ScenarioError(path, "", path.suffix or "(none)", "a .yaml or .yml file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(path, "", "", "an existing file (file not found)") from None
    except OSError as exc:
        raise ScenarioError(path, "", "", f"a readable file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(path, "", "", "a UTF-8 text file, got binary data") from None
    if "\x00" in text:
        raise ScenarioError(path, "", "", "a UTF-8 text file, got binary data")
    try:
        node = yaml.compose(text, Loader=_Loader)
        if node is not None:
            if _expanded_size(node) > MAX_VALUES:
                raise ScenarioError(
                    path,
                    "",
                    f"more than {MAX_VALUES:,} values",
                    f"at most {MAX_VALUES:,} values once YAML aliases are expanded",
                )
            _check_duplicates(node)
        data = _yaml(text)
    except DuplicateKeyError as exc:
        raise ScenarioError(
            path, exc.path, "", f"each key once (duplicate key at line {exc.line})"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        problem = (exc.problem or exc.context or "syntax error").strip()
        raise ScenarioError(path, "", "", f"valid YAML ({problem} at {where})") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(path, "", "", f"valid YAML ({exc})") from None
    if data is None:
        raise ScenarioError(path, "", "(empty file)", "a mapping of scenario sections")
    if not isinstance(data, dict):
        raise ScenarioError(path, "", type(data).__name__, "a mapping of scenario sections")
    return data


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into a copy of ``base``: mappings merge per key, anything else replaces.

    Args:
        base: The mapping inherited through ``extends``.
        override: The mapping of the extending file.

    Returns:
        A new merged mapping; neither argument is modified.
    """
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _resolve_extends(path: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    path = path.resolve()
    if path in chain:
        loop = " -> ".join(p.name for p in (*chain, path))
        raise ScenarioError(chain[-1], "extends", path.name, f"no loop of extends ({loop})")
    data = read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(path, "extends", parent, "a path to another scenario file")
    target = (path.parent / parent).resolve()
    if target.suffix.lower() not in ALLOWED_SUFFIXES:
        raise ScenarioError(path, "extends", parent, "a .yaml or .yml file")
    if not target.exists():
        raise ScenarioError(path, "extends", parent, f"an existing file ({target} not found)")
    return deep_merge(_resolve_extends(target, (*chain, path)), data)


def resolve_relative(spec: Path, field: str, relative: str) -> Path:
    """A scenario file named by another file (a sweep or calibration spec), checked.

    Args:
        spec: The file that names it.
        field: The field that names it (for the error).
        relative: The path as written, relative to ``spec``.

    Returns:
        The resolved path.

    Raises:
        ScenarioError: If it is not an existing .yaml or .yml file.
    """
    target = (spec.parent / relative).resolve()
    if target.suffix.lower() not in ALLOWED_SUFFIXES:
        raise ScenarioError(spec, field, relative, "a .yaml or .yml scenario file")
    if not target.exists():
        raise ScenarioError(spec, field, relative, f"an existing file ({target} not found)")
    return target


def field_value(data: dict[str, Any], dotted: str) -> Any:
    """The value at a dotted path (as in ``--set``) of a scenario mapping.

    Raises:
        KeyError: If no field has that path.
    """
    node: Any = data
    for key in dotted.split("."):
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            raise KeyError(dotted)
    return node


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``a.b.0.c=value`` into its path and a YAML-typed value.

    Args:
        text: One ``--set`` argument.

    Returns:
        The dotted path as a list of keys and the value parsed as a YAML scalar.

    Raises:
        ScenarioError: If there is no ``=`` or the path is empty.
    """
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ScenarioError("--set", text, text, "KEY=VALUE, e.g. platforms.0.commission=0.08")
    try:
        value = _yaml(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return key.strip().split("."), value


def apply_override(data: dict[str, Any], path: list[str], value: Any, source: str) -> None:
    """Set ``value`` at ``path`` inside the raw scenario mapping, creating mappings as needed.

    Args:
        data: The raw scenario mapping (modified in place).
        path: Keys; list elements are addressed by their integer index.
        value: The new value.
        source: Where the override came from, for error messages.

    Raises:
        ScenarioError: If the path runs through a value that is neither a mapping nor a list,
            or names a list index that does not exist.
    """
    node: Any = data
    for depth, key in enumerate(path):
        last = depth == len(path) - 1
        dotted = ".".join(path[: depth + 1])
        if isinstance(node, list):
            if not node:
                raise ScenarioError(source, dotted, key, "no index: the list is empty")
            if not key.isdigit() or int(key) >= len(node):
                raise ScenarioError(source, dotted, key, f"a list index from 0 to {len(node) - 1}")
            if last:
                node[int(key)] = value
            else:
                node = node[int(key)]
        elif isinstance(node, dict):
            if last:
                node[key] = value
            else:
                node = node.setdefault(key, {})
        else:
            raise ScenarioError(source, dotted, node, "a section or list to set a field in")


def _schema_fields(path: tuple[Any, ...], root: type[BaseModel] | None = None) -> list[str]:
    """Names of the fields allowed at a location in the scenario, for "did you mean"."""
    model: Any = root or Scenario
    for key in path[:-1]:
        if isinstance(key, int):
            continue
        info = model.model_fields.get(key)
        if info is None:
            return []
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        model = args[0] if args else annotation
        if not isinstance(model, type) or not issubclass(model, BaseModel):
            return []
    return list(model.model_fields)


#: Fields a scenario could once set, with what replaces them (said when an old file uses one).
_RETIRED = {
    "demand_boost": (
        "no such field: the festival week's extra demand follows from platform_discount, "
        "seller_discount and consumers.price_elasticity (remove it)"
    ),
}


def format_error(
    source: Path | str, err: dict[str, Any], root: type[BaseModel] | None = None
) -> ScenarioError:
    """One pydantic error as a one-line :class:`ScenarioError`.

    ``root`` is the model that was validated, for "did you mean" suggestions (the scenario by
    default).
    """
    loc = tuple(err["loc"])
    dotted = ".".join(str(p) for p in loc)
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else ""
        if key in _RETIRED:
            return ScenarioError(source, dotted, value, _RETIRED[key])
        known = _schema_fields(loc, root)
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        allowed = ", ".join(known)
        return ScenarioError(source, dotted, key, f"a known field{hint} (known: {allowed})")
    problem = err.get("ctx", {}).get("error")
    if isinstance(problem, FieldProblem):
        return ScenarioError(source, problem.field or dotted, problem.value, problem.expected)
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if kind == "missing":
        return ScenarioError(source, dotted, "(missing)", "a value: this field is required")
    if kind == "finite_number" or (isinstance(value, float) and not math.isfinite(value)):
        return ScenarioError(source, dotted, value, "a finite number")
    if not loc:
        return ScenarioError(source, "", "", message)
    return ScenarioError(source, dotted, value, message[0].lower() + message[1:])


def validate(data: dict[str, Any], source: Path | str) -> Scenario:
    """Validate a raw scenario mapping.

    Args:
        data: The mapping after ``extends`` and overrides.
        source: The file (or other origin) named in error messages.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: For the first problem found, as one line.
    """
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise format_error(source, exc.errors()[0]) from None


def load_scenario(
    source: str | Path | dict[str, Any] | Scenario,
    overrides: list[str] | None = None,
    **fields: Any,
) -> Scenario:
    """Load and validate a scenario from a file, a mapping or a scenario, applying overrides.

    Args:
        source: A path to a YAML file, a raw mapping, or an existing scenario.
        overrides: ``KEY=VALUE`` strings, as given to ``--set`` on the command line.
        **fields: Overrides as keyword arguments, with ``__`` for dots
            (``stores__rent=1000`` sets ``stores.rent``).

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: If the file or any value is invalid.
    """
    if isinstance(source, Scenario):
        data, origin = source.model_dump(mode="json"), "scenario"
    elif isinstance(source, dict):
        data, origin = copy.deepcopy(source), "scenario"
        if "extends" in data:
            raise ScenarioError(origin, "extends", data["extends"], "extends only in files")
    else:
        origin = Path(source)
        data = _resolve_extends(origin)
    for text in overrides or []:
        path, value = parse_override(text)
        apply_override(data, path, value, f"{origin} --set")
    for key, value in fields.items():
        apply_override(data, key.split("__"), value, f"{origin} ({key}=)")
    return validate(data, origin)
