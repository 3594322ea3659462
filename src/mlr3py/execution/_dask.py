"""The "dask" engine: units run as tasks on a dask.distributed cluster.

A worker that dies takes with it the task it was running *and* the tasks the
scheduler had already assigned to it, started or not, and even a task that had
just finished there if the scheduler had not heard of it yet. When the
scheduler gives up on such a task (after ``distributed.scheduler.allowed-failures``
deaths; dask's default retries three times elsewhere first), the client sees
:class:`distributed.KilledWorker` for every one of them and cannot tell which one
killed the worker.

So each unit, when it starts, reports ``(submission, worker id, thread)`` to a
dask queue on the scheduler (:class:`QueueMarker`), and so does each phase its
items reach (:func:`~mlr3py.execution._units.note_phase`: a job's ``"predict"``).
The report is a round trip:
once a unit's first item runs, the scheduler holds its marker, and a death
afterwards cannot lose it. The units that started last on the threads of the
dead worker, and were not finished, are the ones it was running. On
``KilledWorker`` the client reads the markers into a
:class:`~mlr3py.execution._deaths.DeathAttribution`, which decides (its module
docstring lists the rules). Each call of :meth:`DaskEngine.map` is one
:class:`DaskRun`. The clients and clusters live in :mod:`mlr3py.execution._dask_cluster`.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable
from typing import Any

from mlr3py.execution._dask_cluster import (
    CHECK_EVERY_S,
    ClusterWatch,
    check_client,
    close_local_clusters,
    dask_client,
    finished,
)
from mlr3py.execution._deaths import DeathAttribution, WorkerDied, apply_verdict
from mlr3py.execution._engine import EngineInfo, LogForwardingKind, register_engine
from mlr3py.execution._plans import PlanSpec, default_workers
from mlr3py.execution._units import Progress, Unit, run_chunk
from mlr3py.log import logger

__all__ = ["DaskEngine", "DaskRun", "QueueMarker"]

#: Markers are drained from the scheduler's queue after this many finished units,
#: so that a long run does not pile them up there.
_DRAIN_EVERY = 256


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
        self.single = True
        self._client: Any = None

    def __enter__(self) -> QueueMarker:
        from distributed import get_client

        self._client = get_client()  # the worker's own client, made once per worker
        return self

    def __exit__(self, *exc: object) -> None:
        self._client = None

    def __call__(self, index: int) -> None:
        if index == 0:
            self._report("")

    def phase(self, name: str) -> None:
        """The running item reached phase ``name``: one more round trip to the scheduler,
        made only for a unit of one item (a death is blamed on nothing else: a unit of
        several items lost with its worker runs again item by item)."""
        if self.single:
            self._report(name)

    def _report(self, phase: str) -> None:
        client = self._client
        if client is None:
            return
        from distributed import get_worker

        # the scheduler's queue_put handler directly: a distributed.Queue object made
        # here would register one more reference to the queue that nothing releases.
        # The worker's id, not its address: a restarted worker may reuse the address.
        try:
            client.sync(client.scheduler.queue_put, name=self.queue,
                        data=(self.submission, get_worker().id, threading.get_ident(), phase))
        except Exception as exc:  # a lost marker only makes a death harder to blame
            logger.debug("Could not report the start of a unit to the scheduler: %s", exc)

    def __getstate__(self) -> dict[str, Any]:
        return {"queue": self.queue, "submission": self.submission, "single": self.single,
                "_client": None}


def _run_unit(
    items: list[Any], marker: QueueMarker, fn: Callable[[Any], Any],
    levels: tuple[PlanSpec, ...],
) -> list[Any]:
    """:func:`run_chunk` in a dask worker, arguments in the order ``client.map`` passes them.

    Each unit carries its jobs whole, task and resampling included. (Shipping those
    once per run as tasks of their own made them dependencies that a worker's death
    can fail with ``KilledWorker`` too, taking every unit with them.)
    """
    marker.single = len(items) == 1
    return run_chunk(fn, items, levels, marker, worker_process=True)


class DaskEngine:
    """A dask.distributed cluster; see the module docstring for worker deaths."""

    forwarding: LogForwardingKind = "shared"

    def __init__(self, spec: PlanSpec) -> None:
        self.spec = spec

    def map(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress,
    ) -> list[list[Any]]:
        """``fn`` over each unit's items, a unit per dask task."""
        return DaskRun(dask_client(self.spec), fn, units, levels, progress).run()


class DaskRun:
    """One run of :class:`DaskEngine`: submissions, markers, results.

    Parameters
    ----------
    client : distributed.Client
        The plan level's client.
    fn : callable
        The function mapped over the items.
    units : list of Unit
        The run's units.
    levels : tuple of PlanSpec
        The inner plan levels.
    progress : Progress
        Told about finished (and failed) items.
    """

    def __init__(
        self, client: Any, fn: Callable[[Any], Any], units: list[Unit],
        levels: tuple[PlanSpec, ...], progress: Progress,
    ) -> None:
        self.client = client
        self.fn = fn
        self.units = units
        self.levels = levels
        self.progress = progress
        self.results: dict[int, list[Any]] = {u.chunk: [None] * len(u.items) for u in units}
        self.numbers = itertools.count()
        self.submitted: dict[Any, tuple[Unit, int]] = {}
        self.attribution = DeathAttribution()
        self.queue: Any = None
        self.done = 0
        self.phases: dict[int, str] = {}  # per submission: the phase its item reached

    def run(self) -> list[list[Any]]:
        """Submit every unit, collect results, resubmit what dead workers lost."""
        from distributed import Queue, as_completed

        self.queue = Queue(client=self.client)
        try:
            ac = as_completed(self._submit_all(), loop=self.client.loop)
            watch = ClusterWatch(self.client, len(self.units))
            while not ac.is_empty():
                batch = finished(ac, CHECK_EVERY_S)
                if not batch:
                    watch.idle(len(self.submitted))
                    continue
                watch.progress()
                for future in batch:
                    for again in self._collect(future, watch):
                        ac.add(self._submit(again))
        except BaseException:
            with contextlib.suppress(Exception):
                self.client.cancel(list(self.submitted))
            raise
        finally:
            with contextlib.suppress(Exception):
                self.queue.close()
        return [self.results[u.chunk] for u in self.units]

    def _submit_all(self) -> list[Any]:
        numbers = [next(self.numbers) for _ in self.units]
        markers = [QueueMarker(self.queue.name, n) for n in numbers]
        futures = self.client.map(_run_unit, [u.items for u in self.units], markers,
                                  fn=self.fn, levels=self.levels,
                                  pure=False)  # one graph for all units
        for future, unit, number in zip(futures, self.units, numbers, strict=True):
            self.submitted[future] = (unit, number)
        return list(futures)

    def _submit(self, unit: Unit) -> Any:
        number = next(self.numbers)
        future = self.client.submit(_run_unit, unit.items,
                                    QueueMarker(self.queue.name, number), self.fn, self.levels,
                                    pure=False)
        self.submitted[future] = (unit, number)
        return future

    def _collect(self, future: Any, watch: ClusterWatch) -> list[Unit]:
        """Record a finished unit; the units to submit again when it was lost."""
        from distributed import KilledWorker

        unit, number = self.submitted.pop(future)
        try:
            out = watch.result(future, self.submitted)
        except KilledWorker as exc:
            again = self._lost(unit, number, exc)
            watch.died()
            return again
        self.results[unit.chunk][unit.offset:unit.offset + len(out)] = out
        self.progress.update(len(out))
        self.done += 1
        if self.done % _DRAIN_EVERY == 0:
            self._drain()
        return []

    def _drain(self) -> None:
        for number, worker, thread, phase in self.queue.get(batch=True):  # in start order
            if phase:
                self.phases[number] = phase
            else:
                self.attribution.started(number, worker, thread)

    def _lost(self, unit: Unit, number: int, exc: Any) -> list[Unit]:
        worker = getattr(exc.last_worker, "server_id", "")
        if not self.attribution.knows(worker):
            self._drain()
        pending = {n for _, n in self.submitted.values()}
        verdict = self.attribution.lost_on(unit, number, worker, pending)
        died = WorkerDied(None, f"dask {type(exc).__name__}",
                          self.phases.get(number, "") if verdict.running else "")
        return apply_verdict(verdict, died, self.results, self.progress)


def _check_settings(settings: dict[str, Any]) -> None:
    check_client(settings.get("client"))


def _cluster_threads(spec: PlanSpec) -> int:
    """The threads of the cluster's workers (a local cluster: its workers, one thread each)."""
    if spec.client is None and not spec.address:
        return default_workers(spec)
    try:
        return max(1, sum(dask_client(spec).nthreads().values()))
    except Exception:  # the run reports an unreachable cluster itself
        return default_workers(spec)


register_engine(EngineInfo("dask", DaskEngine, aliases=("cluster",),
                           settings=("workers", "client", "address"),
                           shutdown=close_local_clusters, check=_check_settings,
                           workers=_cluster_threads))
