"""The "dask" plan: units run as tasks on a dask.distributed cluster.

A worker that dies takes with it the task it was running *and* the tasks the
scheduler had already assigned to it, started or not, and even a task that had
just finished there if the scheduler had not heard of it yet. When the
scheduler gives up on such a task (after ``distributed.scheduler.allowed-failures``
deaths; dask's default retries three times elsewhere first), the client sees
:class:`distributed.KilledWorker` for every one of them and cannot tell which one
killed the worker.

So each unit, when it starts, reports ``(submission, worker, thread)`` to a dask
queue on the scheduler (:class:`QueueMarker`). The report is a round trip: once
a unit's first item runs, the scheduler holds its marker, and a death afterwards
cannot lose it. The unit that started last on a thread of the dead worker is the
one it was running. On ``KilledWorker`` the client reads the markers:

- the running unit of one item: the item is recorded as failed
  (:class:`~mlr3py.execution._failures.WorkerDied`);
- the running unit of several items: each item is submitted again on its own,
  so the one that brings its worker down is caught alone next time;
- any other unit (queued, or finished but not reported) is submitted again,
  up to :data:`~mlr3py.execution._backends.MAX_START_FAILURES` times.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.execution._backends import (
    Progress,
    Unit,
    default_workers,
    run_chunk,
    split_lost_unit,
)
from mlr3py.execution._failures import WorkerDied
from mlr3py.execution._plans import PlanSpec
from mlr3py.execution._shared import restore, strip

__all__ = ["DaskBackend", "QueueMarker", "close_local_clusters", "dask_client"]

#: Markers are drained from the scheduler's queue after this many finished units,
#: so that a long run does not pile them up there.
_DRAIN_EVERY = 256

_DASK: dict[Any, Any] = {}
_DASK_LOCK = threading.Lock()


def dask_client(spec: PlanSpec) -> Any:
    """The client of plan level ``spec``: given, connected to an address, or of a local cluster.

    Local clusters and clients to addresses are kept and reused between runs
    (:func:`close_local_clusters` stops them).

    Raises
    ------
    ConfigError
        If dask.distributed is not installed.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError(
            "Plan 'dask' needs dask.distributed. Install it with "
            "pip install 'mlr3py[dask]'."
        ) from exc
    if spec.client is not None:
        return spec.client
    key: Any = ("address", spec.address) if spec.address else ("local", default_workers(spec))
    with _DASK_LOCK:
        entry = _DASK.get(key)
        if entry is not None and entry[0].status not in ("closed", "closing"):
            return entry[0]
        if spec.address:
            client = Client(spec.address, set_as_default=False)
            _DASK[key] = (client, None)
        else:
            cluster = LocalCluster(
                n_workers=key[1], threads_per_worker=1, processes=True,
                dashboard_address=None,
            )
            client = Client(cluster, set_as_default=False)
            _DASK[key] = (client, cluster)
        return client


def close_local_clusters() -> None:
    """Close the clients and local clusters that plans started."""
    with _DASK_LOCK:
        entries = list(_DASK.values())
        _DASK.clear()
    for client, cluster in entries:
        with contextlib.suppress(Exception):
            client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()


class QueueMarker:
    """Sends ``(submission, worker, thread)`` to a dask queue when its unit starts.

    Only the start of the unit is reported (``index`` 0): the report is a round
    trip to the scheduler, which would cost every item of a chunk as much again.

    Parameters
    ----------
    queue : str
        Name of the :class:`distributed.Queue` the client created for the run.
    submission : int
        Number of the submission (a unit submitted again gets a new one).
    """

    def __init__(self, queue: str, submission: int) -> None:
        self.queue = queue
        self.submission = submission
        self._client: Any = None

    def __enter__(self) -> QueueMarker:
        from distributed import get_client

        self._client = get_client()  # the worker's own client, made once per worker
        return self

    def __exit__(self, *exc: object) -> None:
        self._client = None

    def __call__(self, index: int) -> None:
        client = self._client
        if client is None or index != 0:
            return
        from distributed import get_worker

        # the scheduler's queue_put handler directly: a distributed.Queue object made
        # here would register one more reference to the queue that nothing releases
        client.sync(client.scheduler.queue_put, name=self.queue,
                    data=(self.submission, get_worker().address, threading.get_ident()))

    def __getstate__(self) -> dict[str, Any]:
        return {"queue": self.queue, "submission": self.submission, "_client": None}


def _hold(obj: Any) -> Any:
    """A task whose result is ``obj``: how a shared object gets onto the cluster."""
    return obj


def _run_unit(
    items: list[Any], marker: QueueMarker, fn: Callable[[Any], Any],
    levels: tuple[PlanSpec, ...], shared: dict[int, Any],
) -> list[Any]:
    """:func:`run_chunk` in a dask worker, arguments in the order ``client.map`` passes them."""
    return run_chunk(fn, restore(items, shared), levels, marker, worker_process=True)


class DaskBackend:
    """A dask.distributed cluster; see the module docstring for worker deaths."""

    def __init__(self, spec: PlanSpec) -> None:
        self.spec = spec

    def map(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress,
    ) -> list[list[Any]]:
        from distributed import KilledWorker, Queue, as_completed

        client = dask_client(self.spec)
        results = {u.chunk: [None] * len(u.items) for u in units}
        queue = Queue(client=client)
        numbers = itertools.count()
        submitted: dict[Any, tuple[Unit, int]] = {}
        # the unit that started last on each worker thread: the one it was running
        latest: dict[tuple[str, int], int] = {}

        objects: dict[int, Any] = {}
        stripped = [strip(u.items, objects) for u in units]
        keys = list(objects)
        # tasks rather than scattered data: the scheduler recomputes them if the worker
        # holding them dies, where scattered data would be lost with it
        shared = dict(zip(keys, client.map(_hold, [objects[k] for k in keys], pure=False),
                          strict=True))

        def submit(unit: Unit) -> Any:
            number = next(numbers)
            future = client.submit(_run_unit, strip(unit.items, objects),
                                   QueueMarker(queue.name, number), fn, levels, shared,
                                   pure=False)
            submitted[future] = (unit, number)
            return future

        def drain() -> None:
            for number, worker, thread in queue.get(batch=True):  # in the order they started
                latest[worker, thread] = number

        def lost(unit: Unit, number: int, exc: Any) -> list[Unit]:
            drain()
            worker = getattr(exc.last_worker, "address", "")
            running = number in {n for (w, _), n in latest.items() if w == worker}
            died = WorkerDied(None, f"dask {type(exc).__name__}")
            if running and len(unit.items) > 1:
                # which item was running is not known: each runs again on its own, so
                # that only the one that brings its worker down is recorded
                return [Unit(unit.chunk, unit.offset + k, [item])
                        for k, item in enumerate(unit.items)]
            return split_lost_unit(unit, 0 if running else -1, died, results, progress)

        first = next(numbers)
        for _ in range(len(units) - 1):
            next(numbers)
        markers = [QueueMarker(queue.name, first + k) for k in range(len(units))]
        futures = client.map(_run_unit, stripped, markers, fn=fn, levels=levels,
                             shared=shared, pure=False)  # one graph for all units
        for k, (future, unit) in enumerate(zip(futures, units, strict=True)):
            submitted[future] = (unit, first + k)
        ac = as_completed(futures, loop=client.loop)
        try:
            for done, future in enumerate(ac, start=1):
                unit, number = submitted.pop(future)
                try:
                    out = future.result()
                except KilledWorker as exc:
                    for again in lost(unit, number, exc):
                        ac.add(submit(again))
                    continue
                results[unit.chunk][unit.offset:unit.offset + len(out)] = out
                progress.update(len(out))
                if done % _DRAIN_EVERY == 0:
                    drain()
        except BaseException:
            client.cancel(list(submitted))
            raise
        finally:
            with contextlib.suppress(Exception):
                queue.close()
        return [results[u.chunk] for u in units]
