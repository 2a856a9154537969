"""One replicate run as a batch task, and the failure of a batch's runs.

Compare, sweep and calibration all hand :func:`run_years` to the
:class:`~o2osim.batch.execution.Executor`: it runs one fully resolved scenario in a worker and
returns only the yearly table, after freeing the model. :class:`RunsFailed` is what a batch
raises when any of its runs raised.
"""

from __future__ import annotations

import gc
from typing import Any

import mesa
import pandas as pd

from o2osim.errors import O2OError
from o2osim.run import run
from o2osim.scenario import Scenario


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
