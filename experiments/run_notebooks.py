"""Run the teaching notebooks top to bottom and print how long each took.

Usage (from the repository root, after `make test` or `make notebook` created .venv):

    .venv/bin/python experiments/run_notebooks.py [NOTEBOOK ...] [--set NAME=VALUE ...] [--save]

Each notebook runs in a fresh kernel in experiments/, as in Jupyter; `--set` replaces a value in
the notebook's cell tagged "parameters" (the tests use this for small populations); `--save`
writes the executed notebook with its outputs to out/notebooks/. Exit code 1 if any notebook
raised.
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent
NOTEBOOKS = sorted(HERE.glob("[0-9][0-9]_*.ipynb"))


def set_parameters(book: nbformat.NotebookNode, values: dict[str, object]) -> None:
    """Replace assignments in the cell tagged "parameters" (every name must be there)."""
    cell = next(c for c in book.cells if "parameters" in c.metadata.get("tags", []))
    lines = cell.source.splitlines()
    for name, value in values.items():
        hits = [i for i, line in enumerate(lines) if line.split("=")[0].strip() == name]
        if not hits:
            raise KeyError(f"{name} is not a parameter of this notebook")
        lines[hits[0]] = f"{name} = {value!r}"
    cell.source = "\n".join(lines)


def execute(
    path: Path,
    values: dict[str, object] | None = None,
    timeout: int = 600,
    save: Path | None = None,
) -> float:
    """Run one notebook in a fresh kernel with its folder as working directory.

    Args:
        path: The notebook.
        values: Parameter values to set first.
        timeout: Seconds any one cell may take.
        save: Write the executed notebook here.

    Returns:
        Wall seconds.

    Raises:
        CellExecutionError: A cell raised; the message holds the cell and the traceback.
    """
    book = nbformat.read(path, as_version=4)
    if values:
        set_parameters(book, values)
    client = NotebookClient(
        book,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    if save is not None:
        save.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(book, save)
    return seconds


def _value(text: str) -> tuple[str, object]:
    name, _, value = text.partition("=")
    try:
        return name.strip(), ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        return name.strip(), value.strip()


def main() -> int:
    """Run the notebooks given (default: all five) and print a table of times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, default=NOTEBOOKS)
    parser.add_argument("--set", dest="values", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--save", action="store_true", help="keep executed copies in out/notebooks")
    args = parser.parse_args()
    values = dict(_value(v) for v in args.values)
    failed = 0
    for path in args.notebooks:
        save = HERE.parent / "out" / "notebooks" / path.name if args.save else None
        try:
            seconds = execute(path.resolve(), values, save=save)
            print(f"{path.name:40s} {seconds:6.1f} s", flush=True)
        except CellExecutionError as err:
            failed += 1
            print(f"{path.name:40s} FAILED\n{err}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
