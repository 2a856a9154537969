"""Many runs at once: the Dask execution seam and the commands built on it.

- :mod:`o2osim.batch.execution`: :class:`~o2osim.batch.execution.Executor`, where independent
  runs execute (Dask distributed, local or an existing cluster).
- :mod:`o2osim.batch.runs`: one replicate as an executor task (:func:`run_years`), freeing its
  model, and :class:`RunsFailed`.
- :mod:`o2osim.batch.comparison`: ``o2osim compare`` (scenarios side by side, common seeds).
- :mod:`o2osim.batch.sweep`: ``o2osim sweep`` (designs of parameter values, streamed to Parquet).
- :mod:`o2osim.batch.sweepdir`: reading a sweep directory back.
- :mod:`o2osim.batch.sensitivity`: ``o2osim sensitivity`` (Sobol and Morris indices, SALib).
- :mod:`o2osim.batch.calibration`: ``o2osim calibrate`` (fitting parameters to target series).

The package imports nothing itself, so ``import o2osim`` loads only what it uses (the
comparison).
"""
