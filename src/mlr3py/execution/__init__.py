"""Execution: the plans that say how work runs in parallel (R's ``future::plan()``).

Users call :func:`plan`, :func:`tweak`, :func:`set_threads` and :func:`available_cores`.
Underneath is a generic parallel map that knows nothing of what it runs:

- :mod:`._plans`: plan levels (:class:`PlanSpec`), :func:`plan`, :func:`tweak`;
- :mod:`._engine`: the engine protocol and registry; one module per engine:
  :mod:`._sequential`, :mod:`._thread_pool`, :mod:`._processes` (loky and fork;
  its single-worker executors and their pool in :mod:`._slots`), :mod:`._dask`
  (with its clusters in :mod:`._dask_cluster` and :mod:`._dask_restore`);
- :mod:`._map`: :func:`~._map.map_outcomes` / :func:`~._map.map_items` over the
  active plan; :mod:`._chunking` splits items into :mod:`._units`;
- :mod:`._items`: what items may declare (shared parts, log fields, threads);
  :mod:`._shared` sends shared parts to each worker once per run, their large
  arrays through the memory-mapped files of :mod:`._memmap`;
- :mod:`._deaths`: worker deaths and whom they are blamed on;
- :mod:`._threads`, :mod:`._progress`: cores, thread limits, progress bars.
"""

# the engines register themselves with the registry on import, in this order
# isort: off
from mlr3py.execution import _sequential, _thread_pool, _processes, _dask  # noqa: F401
# isort: on
from mlr3py.execution._plans import PlanHandle, PlanSpec, plan, tweak
from mlr3py.execution._threads import ThreadsConfigurable, available_cores, set_threads

__all__ = ["PlanHandle", "PlanSpec", "available_cores", "plan", "set_threads", "tweak"]
__all__ += ["ThreadsConfigurable"]
