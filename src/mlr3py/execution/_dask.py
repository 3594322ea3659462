"""The "dask" plan: units run as tasks on a dask.distributed cluster.

A worker that dies takes with it the task it was running *and* the tasks the
scheduler had already assigned to it, started or not, and even a task that had
just finished there if the scheduler had not heard of it yet. When the
scheduler gives up on such a task (after ``distributed.scheduler.allowed-failures``
deaths; dask's default retries three times elsewhere first), the client sees
:class:`distributed.KilledWorker` for every one of them and cannot tell which one
killed the worker.

So each unit, when it starts, reports ``(submission, worker id, thread)`` to a
dask queue on the scheduler (:class:`QueueMarker`). The report is a round trip:
once a unit's first item runs, the scheduler holds its marker, and a death
afterwards cannot lose it. The units that started last on the threads of the
dead worker, and were not finished, are the ones it was running. On
``KilledWorker`` the client reads the markers:

- the worker was running this unit alone, and it holds one item: the item is
  recorded as failed (:class:`~mlr3py.execution._failures.WorkerDied`);
- ... and it holds several items: each is submitted again on its own, so that
  only the one that brings its worker down is caught next time;
- the worker was running several units at once (threads): each is submitted
  again, counting an attempt;
- the unit was not running there (queued, or finished but not reported yet)
  while another one was: it is submitted again, no attempt counted;
- no unit is known to have been running there: submitted again, counting an
  attempt. A unit that used up
  :data:`~mlr3py.execution._backends.MAX_START_FAILURES` attempts is recorded.

A worker that a crashing learner kills again and again can be caught between two
restarts when ``distributed.deploy.lost-worker-timeout`` (15 s) runs out; a
``LocalCluster`` then closes its nanny for good, and without workers the run would
wait forever. While it waits, the client starts such dropped workers again in the
local clusters that plans started (:func:`restore_dropped_workers`), and warns
when a cluster has no workers and no unit finished for :data:`NO_WORKERS_WARN_S`
seconds (a cluster of the user's is left to the user).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import threading
import time
import weakref
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
from mlr3py.log import logger

__all__ = [
    "NO_WORKERS_WARN_S", "DaskBackend", "QueueMarker", "close_local_clusters",
    "dask_client", "restore_dropped_workers",
]

#: Markers are drained from the scheduler's queue after this many finished units,
#: so that a long run does not pile them up there.
_DRAIN_EVERY = 256

#: How long the client waits for a unit to finish before it looks at the workers.
_CHECK_EVERY_S = 1.0

#: A cluster that has no workers while no unit has finished for this many seconds
#: gets a warning.
NO_WORKERS_WARN_S = 60.0

#: Once that long has passed, the scheduler is asked for its workers this often.
_ASK_WORKERS_EVERY_S = 10.0

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
        from distributed import Client
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
            cluster = _keeping_local_cluster()(
                n_workers=key[1], threads_per_worker=1, processes=True,
                dashboard_address=None,
            )
            client = Client(cluster, set_as_default=False)
            _DASK[key] = (client, cluster)
        return client


@functools.cache
def _keeping_local_cluster() -> type:
    """``LocalCluster`` made to keep workers that keep dying.

    ``SpecCluster`` closes the nanny of a worker that is missing from the scheduler
    ``distributed.deploy.lost-worker-timeout`` after one of its deaths; a worker
    that a crashing learner kills every few seconds is caught between two restarts
    sooner or later, and the nanny's close kills whatever runs there at that moment.
    The nanny restarts its worker by itself, so the local clusters of plans skip that
    close. (Should a later dask.distributed rename the hook, the workers it closes
    are started again by :func:`restore_dropped_workers`.)
    """
    from distributed import LocalCluster
    from distributed.deploy.cluster import Cluster

    class KeepingLocalCluster(LocalCluster):  # type: ignore[misc]
        def _update_worker_status(self, op: str, msg: Any) -> None:
            Cluster._update_worker_status(self, op, msg)  # not SpecCluster's close

    return KeepingLocalCluster


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


def _owned_cluster(client: Any) -> Any:
    """The local cluster behind ``client`` when a plan started it, else None."""
    with _DASK_LOCK:
        for owned_client, cluster in _DASK.values():
            if owned_client is client:
                return cluster
    return None


#: Per cluster: names of the dropped workers being started again.
_RESTORING: weakref.WeakKeyDictionary[Any, set[Any]] = weakref.WeakKeyDictionary()


def restore_dropped_workers(cluster: Any) -> list[Any]:
    """Start again the workers of a ``SpecCluster`` that it closed for good.

    A ``LocalCluster`` closes a worker's nanny when the worker has been missing from
    the scheduler for ``distributed.deploy.lost-worker-timeout``; a worker that a
    crashing learner kills again and again is missing at that moment now and then.
    The dropped workers stay in the cluster's ``worker_spec``, so scaling to its
    own size starts them again. Call it in the cluster's event loop
    (``cluster.loop.add_callback``): it reads the cluster's worker dicts.

    Parameters
    ----------
    cluster : distributed.SpecCluster
        The cluster.

    Returns
    -------
    list
        The names of the workers it starts again (not those it already started
        again on an earlier call and that are not back yet).
    """
    if getattr(cluster.status, "name", "") in ("closing", "closed"):
        return []
    dropped = set(cluster.worker_spec) - set(cluster.workers)
    restoring = _RESTORING.setdefault(cluster, set())
    restoring &= dropped  # the others are back
    new = sorted(dropped - restoring, key=str)
    if new:
        logger.info("Starting again %d dask worker(s) that the cluster closed after "
                    "repeated deaths: %s", len(new), new)
        restoring.update(new)
    if dropped:
        cluster.scale(len(cluster.worker_spec))  # starts the missing ones, once
    return new


class QueueMarker:
    """Sends ``(submission, worker id, thread)`` to a dask queue when its unit starts.

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
        # here would register one more reference to the queue that nothing releases.
        # The worker's id, not its address: a restarted worker may reuse the address.
        try:
            client.sync(client.scheduler.queue_put, name=self.queue,
                        data=(self.submission, get_worker().id, threading.get_ident()))
        except Exception as exc:  # a lost marker only makes a death harder to blame
            logger.debug("Could not report the start of a unit to the scheduler: %s", exc)

    def __getstate__(self) -> dict[str, Any]:
        return {"queue": self.queue, "submission": self.submission, "_client": None}


def _run_unit(
    items: list[Any], marker: QueueMarker, fn: Callable[[Any], Any],
    levels: tuple[PlanSpec, ...],
) -> list[Any]:
    """:func:`run_chunk` in a dask worker, arguments in the order ``client.map`` passes them.

    Each unit carries its jobs whole, task and resampling included. (Shipping those
    once per run as tasks of their own made them dependencies that a worker's death
    can fail with ``KilledWorker`` too, taking every unit with them.)
    """
    return run_chunk(fn, items, levels, marker, worker_process=True)


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
        numbers = itertools.count()
        submitted: dict[Any, tuple[Unit, int]] = {}
        # the unit that started last on each worker thread: the one it was running
        latest: dict[tuple[str, int], int] = {}
        # per dead worker: the units it was running when it died (set at its first loss)
        deaths: dict[str, set[int]] = {}
        queue = Queue(client=client)
        try:
            def submit(unit: Unit) -> Any:
                number = next(numbers)
                future = client.submit(_run_unit, unit.items,
                                       QueueMarker(queue.name, number), fn, levels,
                                       pure=False)
                submitted[future] = (unit, number)
                return future

            def drain() -> None:
                for number, worker, thread in queue.get(batch=True):  # in start order
                    latest[worker, thread] = number

            def lost(unit: Unit, number: int, exc: Any) -> list[Unit]:
                worker = getattr(exc.last_worker, "server_id", "")
                if worker not in deaths:
                    drain()
                    pending = {n for _, n in submitted.values()} | {number}
                    deaths[worker] = {n for (w, _), n in latest.items()
                                      if w == worker and n in pending}
                running = deaths[worker]
                died = WorkerDied(None, f"dask {type(exc).__name__}")
                if number not in running:
                    if running:  # queued there, or finished but not reported: not its fault
                        return [unit]
                    return split_lost_unit(unit, -1, died, results, progress)
                if len(running) > 1:
                    # several units were running on the worker's threads: which one brought
                    # it down is not known; each runs again (and counts the attempt)
                    return split_lost_unit(unit, -1, died, results, progress)
                if len(unit.items) > 1:
                    # which item was running is not known: each runs again on its own, so
                    # that only the one that brings its worker down is recorded
                    return [Unit(unit.chunk, unit.offset + k, [item])
                            for k, item in enumerate(unit.items)]
                return split_lost_unit(unit, 0, died, results, progress)

            first = next(numbers)
            for _ in range(len(units) - 1):
                next(numbers)
            markers = [QueueMarker(queue.name, first + k) for k in range(len(units))]
            futures = client.map(_run_unit, [u.items for u in units], markers, fn=fn,
                                 levels=levels, pure=False)  # one graph for all units
            for k, (future, unit) in enumerate(zip(futures, units, strict=True)):
                submitted[future] = (unit, first + k)
            ac = as_completed(futures, loop=client.loop)
            watch = _Watch(client, len(units))
            done = 0
            while not ac.is_empty():
                batch = _finished(ac, _CHECK_EVERY_S)
                if not batch:
                    watch.idle(len(submitted))
                    continue
                watch.progress()
                for future in batch:
                    unit, number = submitted.pop(future)
                    try:
                        out = watch.result(future, submitted)
                    except KilledWorker as exc:
                        for again in lost(unit, number, exc):
                            ac.add(submit(again))
                        watch.died()
                        continue
                    results[unit.chunk][unit.offset:unit.offset + len(out)] = out
                    progress.update(len(out))
                    done += 1
                    if done % _DRAIN_EVERY == 0:
                        drain()
        except BaseException:
            with contextlib.suppress(Exception):
                client.cancel(list(submitted))
            raise
        finally:
            with contextlib.suppress(Exception):
                queue.close()
        return [results[u.chunk] for u in units]


def _finished(ac: Any, timeout: float) -> list[Any]:
    """Futures of the ``as_completed`` iterator ``ac`` that finished, waiting up to ``timeout`` s.

    Like ``next(ac)``, which waits on the same condition in steps of 0.1 s, but
    returns an empty list when nothing finished in time.
    """
    deadline = time.monotonic() + timeout
    while not ac.has_ready():
        left = deadline - time.monotonic()
        if left <= 0 or ac.is_empty():
            return []
        with ac.thread_condition:
            ac.thread_condition.wait(min(left, 0.1))
    return list(ac.next_batch(block=False))


class _Watch:
    """Looks after the workers of the cluster while a run waits for its units.

    Parameters
    ----------
    client : distributed.Client
        The run's client.
    n_units : int
        Number of units first submitted (for the warning).
    """

    def __init__(self, client: Any, n_units: int) -> None:
        self.client = client
        self.cluster = _owned_cluster(client)
        self.n_units = n_units
        self.quiet_since = time.monotonic()
        self.next_ask = 0.0
        self.warned = False

    def result(self, future: Any, pending: dict[Any, Any]) -> Any:
        """The result of a finished ``future``, looking after the workers meanwhile.

        A finished unit's result stays on its worker until the client fetches it; if
        that worker dies first, the scheduler computes the unit again and the wait
        is as long as that takes.
        """
        # the future's state is watched, not result(timeout=...): that would cancel a
        # slow fetch each time, and could not tell its own timeout from a unit that
        # raised TimeoutError. A future as_completed gave is done unless its data was lost.
        look = time.monotonic() + _CHECK_EVERY_S
        while not future.done():
            if time.monotonic() > look:
                self.idle(len(pending) + 1)
                look = time.monotonic() + _CHECK_EVERY_S
            time.sleep(0.02)
        return future.result()

    def progress(self) -> None:
        """A unit finished or was lost."""
        self.quiet_since = time.monotonic()

    def died(self) -> None:
        """A worker died: its cluster may drop it a little later."""
        self._restore()

    def idle(self, waiting: int) -> None:
        """Nothing finished for a while: restore dropped workers, or warn about none."""
        self._restore()
        now = time.monotonic()
        if self.warned or now - self.quiet_since < NO_WORKERS_WARN_S or now < self.next_ask:
            return
        self.next_ask = now + _ASK_WORKERS_EVERY_S
        try:
            workers = len(self.client.nthreads())
        except Exception as exc:  # a scheduler that does not answer: dask reports it
            logger.debug("Could not ask the dask scheduler for its workers: %s", exc)
            return
        if workers == 0:
            self.warned = True
            logger.warning(
                "The dask cluster at %s has no workers, and no unit of this run has "
                "finished for %.0f s (units waiting: %d of %d submitted). A cluster "
                "closes a worker that keeps dying after "
                "distributed.deploy.lost-worker-timeout; start or scale its workers "
                "again and the run goes on.",
                self.client.scheduler.address, time.monotonic() - self.quiet_since,
                waiting, self.n_units,
            )

    def _restore(self) -> None:
        if self.cluster is not None:
            with contextlib.suppress(Exception):  # a closing loop: nothing to restore
                self.cluster.loop.add_callback(restore_dropped_workers, self.cluster)
