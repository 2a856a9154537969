"""Where many independent runs execute: the one seam shared by compare, sweeps and calibration.

Every batch command hands an :class:`Executor` a function and a mapping of task keys to
arguments, and reads back ``(key, result)`` pairs as they finish. The engine behind it is Dask
distributed, either an embedded ``LocalCluster`` of single-threaded worker processes on this
machine or an existing cluster reached through its scheduler address, so the same code runs on
a laptop and on a cluster. Swapping the engine means rewriting this module only.

Rules for task functions, because they run in other processes (possibly other machines):

- define them at module level in an importable module (pickled by reference, so the
  workers import the same code);
- take and return plain, picklable data (scenarios, seeds, DataFrames, dicts), never a model;
- let exceptions propagate: :meth:`Executor.map_unordered` reports them per task.

Worker processes are started with the ``spawn`` method, which imports the ``__main__`` module
of the parent again: a script that starts an :class:`Executor` must do so under
``if __name__ == "__main__":`` (the ``o2osim`` command, pytest and Jupyter already are).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any

from o2osim.errors import O2OError

#: Worker preload (Python source, run in each worker process at start).
_IGNORE_SIGINT = "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)"


def default_workers() -> int:
    """Worker processes used when none are asked for: one per core of this machine."""
    return max(1, os.cpu_count() or 1)


class Executor:
    """Run independent tasks on a Dask distributed cluster.

    Use it as a context manager: entering starts the local cluster (or connects to the given
    scheduler), leaving shuts down what it started.

    Args:
        workers: Worker processes of the embedded local cluster, each single-threaded (default:
            one per core). Ignored when ``address`` is given.
        address: Address of a running Dask scheduler, e.g. ``tcp://10.0.0.5:8786``, to run on an
            existing cluster instead of starting one. Its workers must have o2osim installed.

    Raises:
        O2OError: If ``workers`` is below 1.

    Example::

        with Executor(workers=2) as ex:
            for key, value in ex.map_unordered(square, {"a": 2, "b": 3}):
                ...
    """

    def __init__(self, workers: int | None = None, address: str | None = None) -> None:
        if workers is not None and workers < 1:
            raise O2OError(f"--workers: got {workers}, expected at least 1")
        self.workers = default_workers() if workers is None else workers
        self.address = address
        self._cluster: Any = None
        self._client: Any = None

    def __enter__(self) -> Executor:
        from dask.distributed import Client, LocalCluster

        if self.address:
            try:
                self._client = Client(self.address, timeout="10s", set_as_default=False)
            except OSError as exc:
                raise O2OError(f"--scheduler: cannot reach {self.address}: {exc}") from None
            return self
        # One thread per process: the model is single-threaded Python and numpy; processes
        # give real parallelism. No dashboard; and the scheduler's small HTTP server (health
        # routes), which Dask starts even without one, goes to a free port on localhost
        # rather than 8787, so concurrent comparisons do not collide or warn.
        # Worker logs are noise on a command line: "event loop unresponsive" warnings while a
        # run holds the GIL, and "Compute Failed" errors for failures that map_unordered
        # reports to the caller anyway.
        self._cluster = LocalCluster(
            n_workers=self.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.CRITICAL,
            # Ctrl-C reaches every process of the terminal's group; the workers ignore it and
            # are stopped by __exit__, instead of each printing a KeyboardInterrupt traceback.
            preload=[_IGNORE_SIGINT],
        )
        try:
            self._client = Client(self._cluster, set_as_default=False)
        except BaseException:
            self._cluster.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    @property
    def client(self) -> Any:
        """The ``dask.distributed.Client`` (only inside the ``with`` block)."""
        if self._client is None:
            raise RuntimeError("Executor used outside its 'with' block")
        return self._client

    def map_unordered(
        self, fn: Callable[[Any], Any], tasks: Mapping[Hashable, Any]
    ) -> Iterator[tuple[Hashable, Any]]:
        """Apply ``fn`` to every task's argument on the cluster and yield results as they finish.

        Args:
            fn: A module-level function of one argument.
            tasks: Task key -> argument. Keys are the caller's (any hashable); they come back
                with the results.

        Yields:
            ``(key, result)`` in completion order; ``result`` is the exception instance when
            ``fn`` raised (or its worker died), so one failing task does not stop the others.
        """
        from dask.distributed import as_completed

        client = self.client
        # Unique Dask keys: the same function and argument must run again when asked
        # (pure=False), and two maps on one cluster must not share results.
        batch = uuid.uuid4().hex[:12]
        futures = {
            client.submit(
                fn, arg, key=f"{getattr(fn, '__name__', 'task')}-{batch}-{i}", pure=False
            ): key
            for i, (key, arg) in enumerate(tasks.items())
        }
        try:
            # set_as_default=False: as_completed must be told which client's loop to use
            for future in as_completed(list(futures), loop=client.loop):
                key = futures.pop(future)
                try:
                    outcome: Any = future.result()
                except Exception as exc:  # the task raised, its worker died, or it was cancelled
                    outcome = exc
                # Release the result on the cluster as soon as we hold it here.
                future.release()
                yield key, outcome
        finally:
            # Stopped early (an error in the caller, Ctrl-C): drop what has not run yet.
            if futures:
                client.cancel(list(futures))
