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
(:mod:`mlr3py.execution._memmap`); the large arrays of a unit's results come back
through a file as well (:mod:`mlr3py.execution._result_files`). Each call of
:meth:`ProcessEngine.map` is one :class:`ProcessRun`, an object holding the run's
state. The workers themselves,
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
from typing import TYPE_CHECKING, Any

from mlr3py.execution._deaths import DeathAttribution, Verdict, apply_verdict
from mlr3py.execution._engine import (
    Engine,
    EngineInfo,
    LogForwardingKind,
    register_engine,
)
from mlr3py.execution._memmap import ArrayFiles, Packed
from mlr3py.execution._plans import PlanSpec, default_workers, in_parallel_worker
from mlr3py.execution._result_files import ShippedResults, ship
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

if TYPE_CHECKING:
    from mlr3py.execution._stream import UnitFeed

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
    marker: Marker | None, run: tuple[int, int], new: dict[int, Any] | list[Packed],
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
    new : dict or list of Packed
        The shared objects this worker has not had in this run yet (packed bundles:
        their large arrays view memory-mapped files).
    """
    if isinstance(new, list):
        objects: dict[int, Any] = {}
        for bundle in new:
            objects.update(bundle.unpack())
        new = objects
    shared = remember(run, new)
    if not refs(items) <= shared.keys():
        return MissingShared()
    return ship(run_chunk(fn, restore(items, shared), levels, marker, worker_process=True))


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
        return self._run(n, lambda slots: ProcessRun(fn, units, levels, progress, slots))

    def stream(self, fn: Callable[[Any], Any], feed: UnitFeed, levels: tuple[PlanSpec, ...],
               progress: Progress) -> None:
        """``fn`` over the units of ``feed``, taken while the earlier ones run."""
        n = max(1, default_workers(self.spec))
        self._run(n, lambda slots: ProcessRun(fn, [], levels, progress, slots, feed=feed))

    def _run(self, n: int, make: Callable[[list[Slot]], ProcessRun]) -> Any:
        # Inside a worker, inner pools live only for this run: idle grandchildren would
        # outlive a crash of their parent and keep its pipes open.
        nested = in_parallel_worker()
        pool = Pool(self.kind, nested=True) if nested else shared_pool(self.kind)
        slots = pool.acquire(n)
        run = make(slots)
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
class _Sent:
    """What a worker received in a run: how many bundles, holding which shared objects."""

    bundles: int = 0
    keys: set[int] = dataclasses.field(default_factory=set)


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
    feed : UnitFeed, optional
        A stream (:func:`~mlr3py.execution._stream.map_stream`): asked for more units
        whenever the queue is empty, and given each group's outcomes as soon as the
        group is done.
    """

    def __init__(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress, slots: list[Slot], depth: int = UNITS_IN_FLIGHT,
        feed: UnitFeed | None = None,
    ) -> None:
        self.fn = fn
        self.levels = levels
        self.progress = progress
        self.slots = slots
        self.depth = max(1, int(depth))
        self.feed = feed
        self.order: list[int] = []  # the chunks of a map, in unit order
        self.results: dict[int, list[Any]] = {}
        self.queue: deque[Unit] = deque()
        self.running: dict[concurrent.futures.Future[Any], _InFlight] = {}
        self.held: dict[int, list[concurrent.futures.Future[Any]]] = {id(s): [] for s in slots}
        self.token = new_run_token()
        self.objects: dict[int, Any] = {}
        self.bundles: list[Packed] = []  # the shared objects, pickled once for every worker
        self._unbundled: dict[int, Any] = {}  # met since the last bundle
        self.sent: dict[int, _Sent] = {}  # per slot: what its worker has
        self.files = ArrayFiles()  # the large arrays of the shared objects, once each
        self.attribution = DeathAttribution()
        self.death_errors = _death_errors()
        self.error: BaseException | None = None
        self.extend(units)

    def extend(self, units: list[Unit]) -> None:
        """Queue more units (their shared objects join the run's)."""
        met: dict[int, Any] = {}
        for unit in units:
            if self.feed is None:
                self.order.append(unit.chunk)
            self.results[unit.chunk] = [None] * len(unit.items)
            self.queue.append(unit)
            collect(unit.items, met)  # in item order
        for key, obj in met.items():
            if key not in self.objects:
                self.objects[key] = self._unbundled[key] = obj

    def run(self) -> list[list[Any]]:
        """Submit units to workers with room until all are done; results per unit (a map)
        or given back to the feed group by group (a stream)."""
        try:
            while True:
                self._pull()
                if not ((self.queue and self.error is None) or self.running):
                    break
                self._submit()
                if len(self.queue) < len(self.slots) and self.feed is not None:
                    self._pull()  # the next group is prepared while these units run
                    self._submit()
                done, _ = concurrent.futures.wait(
                    list(self.running), return_when=concurrent.futures.FIRST_COMPLETED
                )
                for future in sorted(done, key=lambda f: self.running[f].ticket
                                     if f in self.running else 0):
                    if future in self.running:  # a death may have collected it already
                        self._collect(future)
                self._deliver()
            if self.error is not None:
                raise self.error
        except BaseException:
            for slot in {id(f.slot): f.slot for f in self.running.values()}.values():
                slot.discard()
            raise
        return [self.results[chunk] for chunk in self.order]

    def _pull(self) -> None:
        """Fewer units queued than workers: ask the feed (of a stream) for the next group's
        units, so they are ready before the workers run out of work."""
        if self.feed is None or len(self.queue) >= len(self.slots) or self.error is not None:
            return
        try:
            # busy: a group's outcomes are not all given back (its units may be running,
            # or still queued while no unit runs)
            self.extend(self.feed.more(busy=self.feed.oldest() is not None))
        except BaseException as exc:  # the running units are waited for, then it is raised
            self.error = exc

    def _deliver(self) -> None:
        """Give every group whose units are all done back to the feed, in group order."""
        while self.feed is not None and self.error is None:
            chunks = self.feed.oldest()
            if chunks is None:
                return
            wanted = set(chunks)
            if any(u.chunk in wanted for u in self.queue) or any(
                    f.unit.chunk in wanted for f in self.running.values()):
                return
            try:
                self.feed.deliver({c: self.results.pop(c) for c in chunks})
            except BaseException as exc:
                self.error = exc

    def _submit(self) -> None:
        # first one unit to every worker, then a second one to queue behind it, ...
        for level in range(self.depth):
            for slot in self.slots:
                if not self.queue or self.error is not None:
                    return
                if len(self.held[id(slot)]) <= level:
                    self._submit_one(slot, self.queue.popleft())

    def _submit_one(self, slot: Slot, unit: Unit) -> None:
        met: dict[int, Any] = {}
        items = strip(unit.items, met)
        for key in met.keys() - self.objects.keys():  # not met when queued (none so far)
            self.objects[key] = self._unbundled[key] = met[key]
        have = self.sent.setdefault(id(slot), _Sent())
        packed: dict[int, Any] | list[Packed] = {}
        if not refs(items) <= have.keys:
            self._bundle()
            packed = self.bundles[have.bundles:]
            have.bundles = len(self.bundles)
            have.keys.update(self.objects)
        ticket = slot.next_ticket()
        future = slot.submit(run_unit_cached, self.fn, items, self.levels,
                             FileMarker(slot.marker, ticket), self.token, packed)
        self.running[future] = _InFlight(slot, unit, ticket)
        self.held[id(slot)].append(future)

    def _bundle(self) -> None:
        """Pickle the shared objects met since the last bundle, together, as one more bundle.

        A worker gets every bundle it lacks with its next unit: in a map, all of the
        run's shared objects in one bundle with its first unit; in a stream, each
        group's new objects once more. One pickle of many objects costs little more
        than one of a few (a batch of tuning configurations: 20 learners whose parameter
        sets share their domains pickle in 0.8 ms together, 7 ms one by one), and every
        worker reuses the same bytes.
        """
        if self._unbundled:
            self.bundles.append(self.files.pack(self._unbundled))
            self._unbundled = {}

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
        if isinstance(out, ShippedResults):
            out = out.receive()
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
            if id(slot) in self.sent:
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
