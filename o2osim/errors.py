"""Errors that o2osim reports to users as one line, without a traceback, and its one notice."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class O2OError(Exception):
    """Base of the errors the command line prints as one line and exits with code 2."""


class ScenarioError(O2OError):
    """A scenario (file, mapping or override) is invalid.

    The message names the file, the field path, the value found and what was expected, so one
    line is enough to fix the input.

    Args:
        source: The file or other origin of the bad input.
        field: Dotted path of the field, empty for a whole-file problem.
        value: The offending value (empty when there is none to show).
        expected: What a valid input looks like.
    """

    def __init__(self, source: Path | str, field: str, value: Any, expected: str) -> None:
        self.source, self.field, self.value, self.expected = str(source), field, value, expected
        where = f"{source}: {field}" if field else f"{source}"
        shown = _show(value)
        got = f"got {shown}, " if shown else ""
        super().__init__(f"{where}: {got}expected {expected}")


class HorizonNotice(UserWarning):
    """Settings dated after the last simulated year: they simply do not happen in the run.

    Not an error (shortening a horizon is common): :func:`o2osim.run` warns with this category,
    naming them all in one message, and the command line prints it as one ``o2osim: note:``
    line. Silence it with ``warnings.simplefilter("ignore", HorizonNotice)``.
    """


def _show(value: Any) -> str:
    """A short, single-line rendering of a bad value."""
    if value is None:
        return "null"
    if isinstance(value, str):
        if value == "":
            return ""
        text = value if value.startswith("(") else repr(value)
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."
