"""One replicate run as a batch task, many of them with a progress bar, and their failure.

Compare, sweep and calibration all hand :func:`run_years` to the
:class:`~o2osim.batch.execution.Executor`: it runs one fully resolved scenario in a worker and
returns only the yearly table, after freeing the model. :func:`run_all` runs a mapping of such
tasks to the end with a progress bar (the experiments' scripts use it, on this machine's cores
or on a Dask cluster), and :class:`RunsFailed` is what a batch raises when any of its runs
raised.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import mesa
import pandas as pd
from tqdm.auto import tqdm

from o2osim.batch.execution import Executor
from o2osim.errors import O2OError
from o2osim.run import run
from o2osim.scenario import Scenario, load_scenario


class RunsFailed(O2OError):
    """One or more replicate runs raised; nothing is written."""


def run_years(scenario: Scenario) -> pd.DataFrame:
    """Run one scenario to the end and return only its yearly table (an Executor task).

    Mesa 3.3 keeps every model it ever created alive (``Agent._ids`` is keyed by the model), so
    a long-lived worker would grow by a model per task: the model is dropped from that registry
    and deleted here, and only plain data leaves the worker.

    Args:
        scenario: The fully resolved scenario, seed included.

    Returns:
        The run's yearly indicators.
    """
    # memory was checked before the batch started; a worker does not refuse runs on its own,
    # nor tells of dates after the horizon (the batch's command does, once per scenario)
    result = run(scenario, progress=False, max_memory=None, notice=False)
    years, model = result.years, result.model
    result.model = None
    forget_model(model)
    del model, result
    gc.collect()  # the model's agents form reference cycles: free them now, not later
    return years


def forget_model(model: Any) -> None:
    """Drop a finished model from Mesa's registry, so that deleting it frees it.

    Mesa 3.3 keeps every model it ever created alive (``Agent._ids`` is keyed by the model);
    3.4.2+ no longer does. The caller then deletes its references and calls ``gc.collect()``.

    Args:
        model: The finished model.
    """
    ids = getattr(mesa.Agent, "_ids", None)
    if isinstance(ids, dict):
        ids.pop(model, None)


def run_all(
    tasks: Mapping[Hashable, Any],
    fn: Callable[[Any], Any] = run_years,
    *,
    executor: Executor | None = None,
    desc: str = "runs",
    progress: bool | None = None,
    name: Callable[[Hashable], str] = str,
) -> dict[Hashable, Any]:
    """Run every task to the end and return its result, or raise if any run raised.

    Every task runs even when one fails, so the message can count the failures; nothing is
    returned then.

    Args:
        tasks: Task key -> argument of ``fn`` (for :func:`run_years`, a resolved scenario).
        fn: A module-level function of one argument (default :func:`run_years`).
        executor: Where the runs execute, not yet entered (default: an :class:`Executor` with
            one worker process per core).
        desc: Label of the progress bar.
        progress: Show a progress bar of runs done on stderr (``None``: if it takes over a
            second).
        name: How the error message names a task, from its key.

    Returns:
        Task key -> result, in the order of ``tasks``.

    Raises:
        RunsFailed: If any run raised; the message counts them and names the first (in the
            order of ``tasks``) with its error.
    """
    done: dict[Hashable, Any] = {}
    failed: dict[Hashable, BaseException] = {}
    with (
        executor or Executor() as ex,
        tqdm(
            total=len(tasks),
            unit="run",
            desc=desc,
            file=sys.stderr,
            delay=0.0 if progress else 1.0,
            disable=progress is False,
            leave=False,
        ) as bar,
    ):
        for key, outcome in ex.map_unordered(fn, tasks):
            if isinstance(outcome, BaseException):
                failed[key] = outcome
            else:
                done[key] = outcome
            bar.update(1)
    if failed:
        key = next(k for k in tasks if k in failed)
        exc = failed[key]
        raise RunsFailed(
            f"{len(failed)} of {len(tasks)} runs failed; first: {name(key)}: "
            f"{type(exc).__name__}: {exc}"
        )
    return {key: done[key] for key in tasks}


def seeded_tasks(
    source: str | Path | Scenario,
    seeds: Iterable[int],
    variants: Mapping[Hashable, list[str]] | None = None,
) -> dict[tuple[Hashable, int], Scenario]:
    """Every variant of a scenario on every seed, validated before anything runs.

    Args:
        source: The scenario file or scenario.
        seeds: The seeds; every variant runs on each (common random numbers).
        variants: Variant key -> ``KEY=VALUE`` overrides (default: the scenario itself, key
            ``None``).

    Returns:
        ``(variant, seed)`` -> the resolved scenario, variant by variant, for :func:`run_all`.

    Raises:
        ScenarioError: If the scenario or any variant's override is invalid.
    """
    variants = {None: []} if variants is None else variants
    seeds = list(seeds)
    loaded = {key: load_scenario(source, list(overrides)) for key, overrides in variants.items()}
    return {(key, s): load_scenario(sc, seed=s) for key, sc in loaded.items() for s in seeds}
