"""The "processes" (loky) and "multicore" (fork) engines: single-worker executors kept between runs.

Worker processes live in a pool of single-worker executors that is kept and
reused between runs. One executor per worker is what makes worker deaths
precise: a crash breaks only the executor that held the unit, the parent knows
which units that worker held, and a marker file the worker writes before each
item says which unit and which item of it was running.

Each worker holds up to :data:`UNITS_IN_FLIGHT` units: while it runs one, the next
waits in its queue, so it does not sit idle while its result travels back and the
parent submits the next unit. :class:`~mlr3py.execution._deaths.DeathAttribution`
decides from that what is recorded as failed and what runs again elsewhere; the
executor is replaced; all other workers keep going. (A single multi-worker loky
pool kills all its workers when one dies and cannot say which item killed it.)

Items' shared parts travel to each worker once per run and stay there
(:mod:`mlr3py.execution._shared`); their large arrays are not copied to each
worker but written once to memory-mapped files that the workers map
(:mod:`mlr3py.execution._memmap`). Each call of :meth:`ProcessEngine.map` is one
:class:`ProcessRun`, an object holding the run's state. The workers themselves,
their marker files and the pools that keep them are in
:mod:`mlr3py.execution._slots`.
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import dataclasses
import multiprocessing
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlr3py.execution._deaths import DeathAttribution, Verdict, apply_verdict
from mlr3py.execution._engine import (
    Engine,
    EngineInfo,
    LogForwardingKind,
    register_engine,
)
from mlr3py.execution._memmap import ArrayFiles, Packed
from mlr3py.execution._plans import PlanSpec, default_workers, in_parallel_worker
from mlr3py.execution._sequential import SequentialEngine
from mlr3py.execution._shared import (
    collect,
    forget,
    new_run_token,
    refs,
    remember,
    restore,
    strip,
)
from mlr3py.execution._slots import FileMarker, Pool, Slot, shared_pool, shutdown_pools
from mlr3py.execution._units import Marker, Progress, Unit, run_chunk

__all__ = [
    "UNITS_IN_FLIGHT", "FileMarker", "MissingShared", "ProcessEngine", "ProcessRun",
    "run_unit_cached",
]

#: Units a worker holds at once: the one it runs and the next, queued.
UNITS_IN_FLIGHT = 2


class MissingShared:
    """What a worker returns when it lacks a shared object (it was replaced meanwhile)."""


def run_unit_cached(
    fn: Callable[[Any], Any], items: list[Any], levels: tuple[PlanSpec, ...],
    marker: Marker | None, run: tuple[int, int], new: dict[int, Any] | Packed,
) -> list[Any] | MissingShared:
    """:func:`run_chunk` in a worker process, on items stripped of their shared objects.

    Parameters
    ----------
    fn, levels, marker
        As for :func:`run_chunk`.
    items : list
        Items made by :func:`mlr3py.execution._shared.strip`.
    run : tuple
        The run's token: the worker keeps the shared objects of one run.
    new : dict or Packed
        The shared objects this worker has not had in this run yet (packed: their
        large arrays view memory-mapped files).
    """
    shared = remember(run, new.unpack() if isinstance(new, Packed) else new)
    if not refs(items) <= shared.keys():
        return MissingShared()
    return run_chunk(fn, restore(items, shared), levels, marker, worker_process=True)


_DEATH_ERRORS: tuple[type[BaseException], ...] = (concurrent.futures.process.BrokenProcessPool,)


def _death_errors() -> tuple[type[BaseException], ...]:
    try:
        from joblib.externals.loky.process_executor import ShutdownExecutorError
    except ImportError:  # pragma: no cover
        return _DEATH_ERRORS
    return (*_DEATH_ERRORS, ShutdownExecutorError)


class ProcessEngine:
    """Worker processes: ``kind`` "loky" (processes) or "fork" (multicore)."""

    forwarding: LogForwardingKind = "dedicated"

    def __init__(self, spec: PlanSpec, kind: str) -> None:
        self.spec = spec
        self.kind = kind

    def map(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress,
    ) -> list[list[Any]]:
        """``fn`` over each unit's items in the plan's worker processes."""
        n = min(default_workers(self.spec), len(units)) or 1
        # Inside a worker, inner pools live only for this map: idle grandchildren would
        # outlive a crash of their parent and keep its pipes open.
        nested = in_parallel_worker()
        pool = Pool(self.kind, nested=True) if nested else shared_pool(self.kind)
        slots = pool.acquire(n)
        run = ProcessRun(fn, units, levels, progress, slots)
        try:
            return run.run()
        finally:
            run.files.close()  # workers that still map a file keep its pages until they let go
            if nested:
                pool.shutdown()
            else:
                run.forget_shared()  # idle workers need not hold the run's shared objects
                pool.release(slots)


@dataclass
class _InFlight:
    """A unit submitted to a slot and not collected yet."""

    slot: Slot
    unit: Unit
    ticket: int


class ProcessRun:
    """One run of :class:`ProcessEngine`: its queue, running units, shared objects, results.

    Parameters
    ----------
    fn : callable
        The function mapped over the items.
    units : list of Unit
        The run's units.
    levels : tuple of PlanSpec
        The inner plan levels.
    progress : Progress
        Told about finished (and failed) items.
    slots : list of Slot
        The workers of the run.
    depth : int
        Units each worker holds at once (:data:`UNITS_IN_FLIGHT`).
    """

    def __init__(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress, slots: list[Slot], depth: int = UNITS_IN_FLIGHT,
    ) -> None:
        self.fn = fn
        self.units = units
        self.levels = levels
        self.progress = progress
        self.slots = slots
        self.depth = max(1, int(depth))
        self.results: dict[int, list[Any]] = {u.chunk: [None] * len(u.items) for u in units}
        self.queue: deque[Unit] = deque(units)
        self.running: dict[concurrent.futures.Future[Any], _InFlight] = {}
        self.held: dict[int, list[concurrent.futures.Future[Any]]] = {id(s): [] for s in slots}
        self.token = new_run_token()
        self.objects: dict[int, Any] = {}
        for unit in units:  # every shared object of the run, in item order
            collect(unit.items, self.objects)
        self.bundle: Packed | None = None  # all of them, pickled once for every worker
        self._bundled: set[int] = set()
        self.sent: dict[int, set[int]] = {}  # per slot: the shared objects its worker has
        self.files = ArrayFiles()  # the large arrays of the shared objects, once each
        self.attribution = DeathAttribution()
        self.death_errors = _death_errors()
        self.error: BaseException | None = None

    def run(self) -> list[list[Any]]:
        """Submit units to workers with room until all are done; results per unit."""
        try:
            while (self.queue and self.error is None) or self.running:
                self._submit()
                done, _ = concurrent.futures.wait(
                    list(self.running), return_when=concurrent.futures.FIRST_COMPLETED
                )
                for future in sorted(done, key=lambda f: self.running[f].ticket
                                     if f in self.running else 0):
                    if future in self.running:  # a death may have collected it already
                        self._collect(future)
            if self.error is not None:
                raise self.error
        except BaseException:
            for slot in {id(f.slot): f.slot for f in self.running.values()}.values():
                slot.discard()
            raise
        return [self.results[u.chunk] for u in self.units]

    def _submit(self) -> None:
        # first one unit to every worker, then a second one to queue behind it, ...
        for level in range(self.depth):
            for slot in self.slots:
                if not self.queue or self.error is not None:
                    return
                if len(self.held[id(slot)]) <= level:
                    self._submit_one(slot, self.queue.popleft())

    def _submit_one(self, slot: Slot, unit: Unit) -> None:
        items = strip(unit.items, self.objects)
        have = self.sent.setdefault(id(slot), set())
        packed: dict[int, Any] | Packed = {}
        if not refs(items) <= have:
            packed = self._bundle()
            have.update(self.objects)
        ticket = slot.next_ticket()
        future = slot.submit(run_unit_cached, self.fn, items, self.levels,
                             FileMarker(slot.marker, ticket), self.token, packed)
        self.running[future] = _InFlight(slot, unit, ticket)
        self.held[id(slot)].append(future)

    def _bundle(self) -> Packed:
        """All shared objects of the run, pickled once (on the first submission) and sent
        whole to each worker with its first unit.

        One pickle of all of them costs little more than one of a few (a batch of tuning
        configurations: 20 learners whose parameter sets share their domains pickle in
        0.8 ms together, 7 ms one by one), and every worker reuses the same bytes.
        """
        if self.bundle is None or set(self.objects) - self._bundled:
            self.bundle = self.files.pack(dict(self.objects))
            self._bundled = set(self.objects)
        return self.bundle

    def _collect(self, future: concurrent.futures.Future[Any]) -> None:
        flight = self.running.pop(future)
        self.held[id(flight.slot)].remove(future)
        try:
            out = future.result()
        except self.death_errors as exc:
            self._lost(flight, exc)
        except BaseException as exc:
            self.error = self.error or exc
        else:
            self._done(flight, out)

    def _done(self, flight: _InFlight, out: Any) -> None:
        if isinstance(out, MissingShared):  # a fresh worker: send all again
            self.sent.pop(id(flight.slot), None)
            self.queue.appendleft(flight.unit)
            return
        unit = flight.unit
        self.results[unit.chunk][unit.offset:unit.offset + len(out)] = out
        self.progress.update(len(out))

    def _lost(self, first: _InFlight, exc: BaseException) -> None:
        """The worker of ``first`` died: decide for every unit it held."""
        slot = first.slot
        flights = [first]
        for future in list(self.held[id(slot)]):
            other = self.running.pop(future)
            self.held[id(slot)].remove(future)
            if future.done() and not future.cancelled() and future.exception() is None:
                self._done(other, future.result())  # its result arrived before the death
            else:
                flights.append(other)
        flights.sort(key=lambda f: f.ticket)
        ticket, index, phase = slot.started()
        died = slot.death(exc)
        self.sent.pop(id(slot), None)  # its replacement starts empty
        slot.discard()
        slot.warm()
        again: list[Unit] = []
        blamed_start = not any(f.ticket == ticket for f in flights)
        for flight in flights:
            cause = died
            if flight.ticket == ticket:
                verdict = self.attribution.lost_at(flight.unit, index)
                if verdict.running:
                    cause = dataclasses.replace(died, phase=phase)
            elif flight.ticket < ticket:  # it finished; only its result was lost
                verdict = self.attribution.lost_at(flight.unit, len(flight.unit.items))
            elif blamed_start and flight is flights[0]:
                # none of the held units had started: the death came before the first
                verdict = self.attribution.lost_at(flight.unit, -1)
            else:  # queued behind the unit that was running: not its fault
                verdict = Verdict(again=(flight.unit,))
            again.extend(apply_verdict(verdict, cause, self.results, self.progress))
        self.queue.extendleft(reversed(again))

    def forget_shared(self) -> None:
        """Ask the workers that received shared objects in this run to drop them."""
        for slot in self.slots:
            if self.sent.get(id(slot)):
                slot.chore(forget)


def _multicore(spec: PlanSpec) -> Engine:
    if "fork" not in multiprocessing.get_all_start_methods():
        warnings.warn(
            "Plan 'multicore' needs the fork start method, which this platform lacks; "
            "running sequentially. Use plan('processes') instead.",
            RuntimeWarning, stacklevel=5,
        )
        return SequentialEngine(spec)
    return ProcessEngine(spec, "fork")


register_engine(EngineInfo("processes", lambda spec: ProcessEngine(spec, "loky"),
                           aliases=("multisession",), shutdown=shutdown_pools,
                           workers=default_workers))
register_engine(EngineInfo("multicore", _multicore, shutdown=shutdown_pools,
                           workers=default_workers))
