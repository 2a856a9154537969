"""What the experiments' scripts share: the options of their runs and running them.

Each script runs a scenario on seeds 1..N, with and without some overrides, through
:func:`o2osim.batch.runs.run_all`: on this machine's cores by default, or on a Dask cluster
with ``--scheduler``, with a progress bar. A bad scenario or override stops it in one line
before anything runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any

import o2osim
from o2osim.batch.execution import Executor
from o2osim.batch.runs import run_all, run_years, seeded_tasks


def whole(text: str) -> int:
    """A whole number from 1 (``--seeds``, ``--workers``)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"got {text!r}, expected a whole number from 1")
    return int(text)


def add_run_options(parser: argparse.ArgumentParser, consumers: bool = True) -> None:
    """Add ``--seeds``, ``--consumers``, ``--set``, ``--workers`` and ``--scheduler``."""
    parser.add_argument("--seeds", type=whole, default=5, help="seeds 1..N (default 5)")
    if consumers:
        parser.add_argument(
            "--consumers", type=whole, default=None, help="default: the scenario's own population"
        )
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument(
        "--workers", type=whole, default=None, help="local worker processes (default: one per core)"
    )
    parser.add_argument(
        "--scheduler", default=None, help="address of a running Dask scheduler to run on instead"
    )


def common_overrides(args: argparse.Namespace) -> list[str]:
    """The overrides every run gets: ``--consumers`` (if given) and the ``--set`` ones."""
    size = (
        []
        if getattr(args, "consumers", None) is None
        else [f"population.consumers={args.consumers}"]
    )
    return [*size, *args.overrides]


def run_seeds(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    scenario: Path,
    variants: Mapping[Hashable, list[str]] | None = None,
    fn: Callable[[Any], Any] = run_years,
) -> dict[tuple[Hashable, int], Any]:
    """Run every variant (overrides after the common ones) on seeds 1..``--seeds``.

    Returns:
        ``(variant, seed)`` -> what ``fn`` returned for that run (default: its yearly table),
        variant by variant; the variant key is ``None`` without variants.
    """
    common = common_overrides(args)
    variants = {None: []} if variants is None else variants
    try:  # a bad scenario, override or worker count is told in one line before anything runs
        tasks = seeded_tasks(
            scenario,
            range(1, args.seeds + 1),
            {key: [*common, *over] for key, over in variants.items()},
        )
        executor = Executor(args.workers, args.scheduler)
    except o2osim.O2OError as err:
        parser.error(str(err))
    try:
        return run_all(tasks, fn, executor=executor, progress=True)
    except o2osim.O2OError as err:  # a run raised: say which, exit 1, no traceback
        parser.exit(1, f"{parser.prog}: error: {err}\n")
