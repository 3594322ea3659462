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
:class:`ProcessRun`, an object holding the run's state.
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import contextlib
import dataclasses
import math
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlr3py._exit import exitcode_from_message
from mlr3py.execution._deaths import DeathAttribution, Verdict, WorkerDied, apply_verdict
from mlr3py.execution._engine import (
    Engine,
    EngineInfo,
    LogForwardingKind,
    register_engine,
)
from mlr3py.execution._memmap import ArrayFiles, Packed
from mlr3py.execution._plans import PlanSpec, default_workers, in_parallel_worker
from mlr3py.execution._sequential import SequentialEngine
from mlr3py.execution._shared import forget, new_run_token, refs, remember, restore, strip
from mlr3py.execution._threads import THREAD_ENV_VARS, limit_worker_threads
from mlr3py.execution._units import Marker, Progress, Unit, run_chunk

__all__ = [
    "UNITS_IN_FLIGHT", "FileMarker", "MissingShared", "ProcessEngine", "ProcessRun",
    "run_unit_cached",
]

#: Units a worker holds at once: the one it runs and the next, queued.
UNITS_IN_FLIGHT = 2


_PHASE_AT = 32
_PHASE_LEN = 16


class FileMarker:
    """Writes the ticket of the unit, the index of the item about to run and the phase
    it reached (:func:`~mlr3py.execution._units.note_phase`) into a file of the parent's.

    Parameters
    ----------
    path : str
        The slot's marker file; the parent reads it after the worker died.
    ticket : int
        The unit's number on its slot (increasing with each submission), so that the
        parent can tell which of the units the worker held was running.
    """

    def __init__(self, path: str, ticket: int = 0) -> None:
        self.path = path
        self.ticket = ticket
        self._fd: int | None = None

    def __enter__(self) -> FileMarker:
        self._fd = os.open(self.path, os.O_WRONLY)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __call__(self, index: int) -> None:
        if self._fd is not None:
            os.pwrite(self._fd, b"%20d %11d" % (self.ticket, index) + b" " * _PHASE_LEN, 0)

    def phase(self, name: str) -> None:
        """The running item reached phase ``name``."""
        if self._fd is not None:
            data = name.encode("ascii", "replace")[:_PHASE_LEN].ljust(_PHASE_LEN)
            os.pwrite(self._fd, data, _PHASE_AT)


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


#: How often a worker checks that the process that started it is still there.
PARENT_CHECK_S = 0.25


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:  # reparented: the parent died (kill -9, SIGTERM, ...)
            os._exit(1)
        time.sleep(PARENT_CHECK_S)


def _init_worker(die_with_parent: bool, parent: int | None = None) -> None:
    """Initializer of worker processes: one BLAS thread; die with the parent.

    Every worker exits within :data:`PARENT_CHECK_S` seconds of its parent's death
    (however it died: ``kill -9``, SIGTERM, a crash): a thread polls the parent's
    pid. An orphan would hold the parent's stdout / stderr open (a ``| tee`` around
    the run would wait for it) and the pipe of the resource tracker, which removes
    the run's semaphores once the last holder is gone. (``PR_SET_PDEATHSIG`` alone
    is not enough: it fires when the parent's *thread* that started the worker
    ends.) Workers of a pool started inside another worker also get SIGKILL at once
    when that worker dies (Linux ``PR_SET_PDEATHSIG``): forked children inherit
    their parent's pipe ends, and orphans holding them would hide the parent's
    death from its pool.
    """
    limit_worker_threads()
    # the parent's pid comes from the parent: it may have died before this worker started
    threading.Thread(target=_watch_parent, args=(parent or os.getppid(),), daemon=True,
                     name="mlr3py-parent-watch").start()
    with contextlib.suppress(Exception):
        # loky checks a worker's memory every second after a call and replaces a worker
        # whose memory grew by 300 MB since its first call, taking it for a leak; these
        # workers keep a run's task on purpose (_shared), and a replacement would also
        # lose the parent's knowledge of which worker ran what. Without psutil the same
        # check is a full gc.collect() (tens of ms with scikit-learn and pandas loaded)
        # every second, which many short jobs pay again and again. Never check.
        from joblib.externals.loky import process_executor

        process_executor._MEMORY_LEAK_CHECK_DELAY = math.inf
    if die_with_parent and sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG


def _exit_code(proc: Any, wait: float = 10.0) -> int | None:
    """The exit code of a worker process, waiting up to ``wait`` seconds for its exit.

    The executor's own thread may be reaping the process at the same moment (then our
    waitpid fails and the exit code stays unknown for a while), and the exit of a large
    process takes seconds on a loaded machine: poll until it is known.
    """
    deadline = time.monotonic() + wait
    while True:
        with contextlib.suppress(Exception):
            proc.join(timeout=0.05)
        code = getattr(getattr(proc, "_popen", None), "returncode", None)
        code = proc.exitcode if code is None else code
        if code is not None or time.monotonic() > deadline:
            return code


class _Slot:
    """One worker: a single-worker executor plus its marker file."""

    def __init__(self, kind: str, die_with_parent: bool = False) -> None:
        self.kind = kind
        self.die_with_parent = die_with_parent
        self.executor: Any = None
        self._procs: list[Any] = []
        # processes of an executor found broken when a unit was submitted, before the run
        # learnt of the death: the next death() reads their exit code
        self._retired: list[Any] = []
        self._tickets = 0
        self.chores: list[concurrent.futures.Future[Any]] = []  # calls no run waits for
        fd, self.marker = tempfile.mkstemp(prefix="mlr3py-worker-", suffix=".marker")
        os.close(fd)

    def _new_executor(self) -> Any:
        if self.kind == "loky":
            from joblib.externals.loky import ProcessPoolExecutor

            return ProcessPoolExecutor(
                max_workers=1, env=dict.fromkeys(THREAD_ENV_VARS, "1"),
                initializer=_init_worker, initargs=(self.die_with_parent, os.getpid()),
            )
        import multiprocessing

        return concurrent.futures.ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("fork"),
            initializer=_init_worker, initargs=(self.die_with_parent, os.getpid()),
        )

    def submit(self, fn: Callable[..., Any], *args: Any) -> concurrent.futures.Future[Any]:
        for _ in range(2):
            if self.executor is None:
                self.executor = self._new_executor()
            try:
                future = self.executor.submit(fn, *args)
            except (concurrent.futures.BrokenExecutor, RuntimeError):
                # the worker died, while idle or while running a unit whose death the run
                # has not collected yet: keep its process for that death's exit code
                self._retired.extend(self._procs)
                self.discard()
                continue
            self._procs = list(getattr(self.executor, "_processes", {}).values())
            return future
        raise RuntimeError("Could not start a worker process.")  # pragma: no cover

    def next_ticket(self) -> int:
        """A new number for a unit submitted to this slot (greater than all before)."""
        self._tickets += 1
        return self._tickets

    def started(self) -> tuple[int, int, str]:
        """``(ticket, index, phase)``: the unit and the index of the item the worker
        last started (``len(items)`` once the unit finished), and the phase it
        reached; ``(-1, -1, "")`` if none."""
        try:
            with open(self.marker, "rb") as fh:
                data = fh.read()
            ticket, index = data[:_PHASE_AT].split()
            return int(ticket), int(index), data[_PHASE_AT:].decode("ascii", "replace").strip()
        except (OSError, ValueError):
            return -1, -1, ""

    def death(self, exc: BaseException) -> WorkerDied:
        """How the worker died: the exit code of the process that ran the unit (of an
        executor found broken and replaced on submit, else of the current one)."""
        retired, self._retired = self._retired, []
        for procs in (retired, self._procs):
            codes = [_exit_code(proc) for proc in procs]
            code = next((c for c in codes if c not in (None, 0)), None)
            if code is not None:
                return WorkerDied(code, type(exc).__name__)
        return WorkerDied(exitcode_from_message(str(exc)), type(exc).__name__)

    def warm(self) -> None:
        """Start a replacement worker now, in the background, so the next submit is quick."""
        if self.executor is None:
            with contextlib.suppress(Exception):
                self.executor = self._new_executor()
            self.chore(os.getpid)

    def discard(self) -> None:
        executor, self.executor, self._procs = self.executor, None, []
        if executor is None:
            return
        with contextlib.suppress(Exception):
            if self.kind == "loky":
                executor.shutdown(wait=False, kill_workers=True)
            else:
                executor.shutdown(wait=False, cancel_futures=True)

    def chore(self, fn: Callable[..., Any]) -> None:
        """Submit ``fn`` to an idle worker; :meth:`close` waits for it."""
        if self.executor is not None:
            with contextlib.suppress(Exception):
                self.chores = [f for f in self.chores if not f.done()]
                self.chores.append(self.executor.submit(fn))

    def close(self) -> None:
        # loky's manager thread fails with a KeyError when its executor is shut down
        # while a call is still queued: let the idle workers' chores finish first
        concurrent.futures.wait(self.chores, timeout=5.0)
        self.chores = []
        self.discard()
        with contextlib.suppress(OSError):
            os.unlink(self.marker)


class _Pool:
    """Single-worker executors kept between runs; a run takes as many as it needs."""

    def __init__(self, kind: str, nested: bool = False) -> None:
        self.kind = kind
        self.nested = nested
        self._lock = threading.Lock()
        self._free: list[_Slot] = []
        self._all: list[_Slot] = []

    def acquire(self, n: int) -> list[_Slot]:
        with self._lock:
            slots, self._free = self._free[:n], self._free[n:]
            while len(slots) < n:
                slot = _Slot(self.kind, die_with_parent=self.nested)
                self._all.append(slot)
                slots.append(slot)
            return slots

    def release(self, slots: list[_Slot]) -> None:
        with self._lock:
            self._free = [*slots, *self._free]

    def shutdown(self) -> None:
        with self._lock:
            for slot in self._all:
                slot.close()
            self._all, self._free = [], []


_POOLS: dict[str, _Pool] = {}
_POOLS_LOCK = threading.Lock()


def _pool(kind: str) -> _Pool:
    with _POOLS_LOCK:
        pool = _POOLS.get(kind)
        if pool is None or os.getpid() != getattr(pool, "pid", os.getpid()):
            pool = _POOLS[kind] = _Pool(kind)
            pool.pid = os.getpid()  # type: ignore[attr-defined]
        return pool


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
        pool = _Pool(self.kind, nested=True) if nested else _pool(self.kind)
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

    slot: _Slot
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
    slots : list of _Slot
        The workers of the run.
    depth : int
        Units each worker holds at once (:data:`UNITS_IN_FLIGHT`).
    """

    def __init__(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress, slots: list[_Slot], depth: int = UNITS_IN_FLIGHT,
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

    def _submit_one(self, slot: _Slot, unit: Unit) -> None:
        items = strip(unit.items, self.objects)
        need = refs(items)
        have = self.sent.setdefault(id(slot), set())
        new = {k: self.objects[k] for k in need - have}
        have |= need
        packed: dict[int, Any] | Packed = self.files.pack(new) if new else {}
        ticket = slot.next_ticket()
        future = slot.submit(run_unit_cached, self.fn, items, self.levels,
                             FileMarker(slot.marker, ticket), self.token, packed)
        self.running[future] = _InFlight(slot, unit, ticket)
        self.held[id(slot)].append(future)

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


def shutdown_pools() -> None:
    """Stop the worker processes kept for reuse."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.shutdown()


register_engine(EngineInfo("processes", lambda spec: ProcessEngine(spec, "loky"),
                           aliases=("multisession",), shutdown=shutdown_pools,
                           workers=default_workers))
register_engine(EngineInfo("multicore", _multicore, shutdown=shutdown_pools,
                           workers=default_workers))
