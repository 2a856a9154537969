"""The execution seam: tasks by key, failures reported per task, local or existing cluster.

Task functions come from the standard library (math.sqrt fails on -1), so the workers need
nothing from the test modules.
"""

import math

import pytest

from o2osim import O2OError
from o2osim.batch.execution import Executor


def test_results_come_back_by_key_and_a_failing_task_is_reported_not_raised():
    tasks = {("a", 0): 4.0, ("b", 1): -1.0, "c": 9.0}
    with Executor(workers=1) as ex:
        got = dict(ex.map_unordered(math.sqrt, tasks))
        # the cluster still works after a failure, and a second map runs the same task again
        again = dict(ex.map_unordered(math.sqrt, {"d": 4.0}))
    assert set(got) == set(tasks)
    assert got[("a", 0)] == 2.0 and got["c"] == 3.0
    assert isinstance(got[("b", 1)], ValueError)
    assert again == {"d": 2.0}


def test_runs_on_an_existing_cluster_through_its_scheduler_address():
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        with Executor(address=cluster.scheduler_address) as ex:
            assert dict(ex.map_unordered(math.sqrt, {1: 16.0})) == {1: 4.0}
        # the executor leaves a cluster it did not start running
        assert cluster.scheduler_address
        assert cluster.status.name == "running"


def test_fewer_than_one_worker_is_a_user_error():
    with pytest.raises(O2OError, match="--workers: got 0, expected at least 1"):
        Executor(workers=0)


def test_outside_its_with_block_the_executor_says_so():
    with pytest.raises(RuntimeError, match="outside its 'with' block"):
        dict(Executor(workers=1).map_unordered(math.sqrt, {1: 1.0}))


def test_run_all_returns_results_in_task_order():
    from o2osim.batch.runs import run_all

    tasks = {"nine": 9.0, "four": 4.0, "one": 1.0}
    got = run_all(tasks, math.sqrt, executor=Executor(workers=1), progress=False)
    assert list(got.items()) == [("nine", 3.0), ("four", 2.0), ("one", 1.0)]


def test_run_all_runs_every_task_then_names_the_first_failure_in_task_order():
    from o2osim.batch.runs import RunsFailed, run_all

    tasks = {"a": 4.0, "b": -1.0, "c": -4.0, "d": 1.0}
    with pytest.raises(RunsFailed, match=r"^2 of 4 runs failed; first: run b: ValueError: "):
        run_all(
            tasks,
            math.sqrt,
            executor=Executor(workers=1),
            progress=False,
            name=lambda key: f"run {key}",
        )
